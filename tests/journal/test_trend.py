"""Mood per day, the forgiving streak, and the charts."""

from __future__ import annotations

import builtins
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from audio_companion.journal.store import MoodPoint
from audio_companion.journal.trend import (
    ChartsUnavailableError,
    DailyMood,
    daily_moods,
    mood_figure,
    png_chart,
    streak,
    text_chart,
)

TODAY = date(2024, 5, 20)


def ago(*offsets: int) -> set[date]:
    return {TODAY - timedelta(days=n) for n in offsets}


def test_daily_moods_average_per_day_and_partner() -> None:
    tz = timezone(timedelta(hours=2))

    def at(day: int, hour: int) -> float:
        return datetime(2024, 5, day, hour, tzinfo=tz).timestamp()

    points = [
        MoodPoint(at(14, 21), "Sam", 5),
        MoodPoint(at(14, 21), "Alex", 2),
        MoodPoint(at(14, 22), "Alex", 3),
        MoodPoint(at(15, 1), "Alex", 4),  # after midnight: the next local day
        MoodPoint(at(15, 21), None, 1),
    ]
    assert daily_moods(points, tz) == [
        DailyMood(date(2024, 5, 14), "Alex", 2.5),
        DailyMood(date(2024, 5, 14), "Sam", 5.0),
        DailyMood(date(2024, 5, 15), None, 1.0),
        DailyMood(date(2024, 5, 15), "Alex", 4.0),
    ]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (ago(0, 1, 2, 3), 4),  # consecutive, ending today
        (ago(0, 1, 3, 4), 4),  # one missed night (2) is forgiven and not counted
        (ago(0, 2, 4, 6), 4),  # every other night still holds
        (ago(0, 1, 4, 5), 2),  # two missed nights in a row end it
        (ago(1, 2, 3), 3),  # nothing yet today: counts from yesterday
        (ago(2, 3), 2),  # yesterday missed, today still open: alive
        (ago(3, 4), 0),  # yesterday and the day before missed: broken
        (ago(0), 1),
        (set(), 0),
        ({TODAY + timedelta(days=1)}, 0),  # the future does not count
    ],
)
def test_streak(days: set[date], expected: int) -> None:
    assert streak(days, TODAY) == expected


def test_streak_without_forgiveness() -> None:
    assert streak(ago(0, 1, 3, 4), TODAY, forgive=0) == 2
    assert streak(ago(1, 2), TODAY, forgive=0) == 2
    with pytest.raises(ValueError):
        streak(set(), TODAY, forgive=-1)


def test_text_chart_one_glyph_per_day() -> None:
    daily = [
        DailyMood(TODAY, "Alex", 5.0),
        DailyMood(TODAY - timedelta(days=1), "Alex", 1.0),
        DailyMood(TODAY - timedelta(days=2), "Alex", 3.5),  # rounds up to 4
        DailyMood(TODAY, "Sam", 2.0),
        DailyMood(TODAY - timedelta(days=30), "Alex", 5.0),  # outside 2 weeks
    ]
    chart = text_chart(daily, weeks=2, today=TODAY)
    lines = chart.splitlines()
    assert lines[0] == "Mood, 2 weeks to Mon 20 May 2024"
    assert "07 May" in lines[1] and "14 May" in lines[1]
    alex = next(ln for ln in lines if ln.startswith("Alex"))
    cells = alex.split()[1:3]
    assert cells == ["·······", "····▆▁█"]
    assert alex.endswith("mean 3.2/5")
    sam = next(ln for ln in lines if ln.startswith("Sam"))
    assert sam.split()[2] == "······▂"


def test_text_chart_without_ratings() -> None:
    assert "no mood ratings in this period" in text_chart([], 4, TODAY)
    with pytest.raises(ValueError):
        text_chart([], 0, TODAY)


def test_png_chart_writes_a_private_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "mood.png"
    png_chart(
        [DailyMood(TODAY, "Alex", 4.0), DailyMood(TODAY - timedelta(days=1), "Alex", 2.0)], out
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".*.part"))


def test_png_chart_without_matplotlib_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kw: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ChartsUnavailableError) as err:
        png_chart([], tmp_path / "x.png")
    assert str(err.value) == "matplotlib is not installed; pip install 'audio-companion[charts]'"
    assert err.value.exit_code == 3
    assert not (tmp_path / "x.png").exists()


def _day(n: int) -> date:
    return TODAY - timedelta(days=n)


COUPLE = [
    DailyMood(_day(0), "Sam", 4.0),
    DailyMood(_day(0), "Alex", 2.0),
    DailyMood(_day(1), "Sam", 5.0),
    DailyMood(_day(2), "Alex", 3.0),
    DailyMood(_day(3), "both", 4.0),
    DailyMood(_day(8), "Alex", 4.5),
]


def test_a_couples_weeks_side_by_side() -> None:
    assert text_chart(COUPLE, weeks=2, today=TODAY) == (
        "Mood, 2 weeks to Mon 20 May 2024\n"
        "          07 May  14 May\n"
        "Alex      ·····█· ····▄·▂  mean 3.2/5\n"
        "Sam       ······· ·····█▆  mean 4.5/5\n"
        "both      ······· ···▆···  mean 4.0/5\n"
        "          1 ▁▂▄▆█ 5   · no rating\n"
        "\n"
        "Week of   Alex   Sam  both\n"
        "07 May     4.5     -     -\n"
        "14 May     2.5   4.5   4.0\n"
    )


def test_one_persons_chart_is_unchanged_with_no_table() -> None:
    alone = [DailyMood(_day(0), None, 4.0), DailyMood(_day(2), None, 1.0)]
    assert text_chart(alone, weeks=1, today=TODAY) == (
        "Mood, 1 week to Mon 20 May 2024\n"
        "          14 May\n"
        "mood      ····▁·▆  mean 2.5/5\n"
        "          1 ▁▂▄▆█ 5   · no rating\n"
    )
    sam = [d._replace(partner="Sam") for d in alone]  # one named person: no table either
    assert "Week of" not in text_chart(sam, weeks=1, today=TODAY)


def test_the_png_draws_one_line_per_partner() -> None:
    pytest.importorskip("matplotlib")
    [ax] = mood_figure(sorted(COUPLE)).axes  # by day, as daily_moods gives them
    lines = {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()}
    assert lines == {"Alex": [4.5, 3.0, 2.0], "Sam": [5.0, 4.0], "both": [4.0]}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Alex", "Sam", "both"]
    [alone] = mood_figure([DailyMood(TODAY, None, 3.0)]).axes
    assert [line.get_label() for line in alone.get_lines()] == ["mood"]
    assert alone.get_legend() is None  # one unnamed person: nothing to tell apart
