"""The journal commands through CliRunner: list, show, export, trend, import."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import JOURNAL_TODAY, evening, three_nights

from audio_companion.cli import main
from audio_companion.journal import Answer, Journal
from audio_companion.journal.export import iso


def run(args: list[str], **kw: Any) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, **kw)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


TODAY = JOURNAL_TODAY  # the day the charts end; never the clock's


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    return three_nights(tmp_path / "journal.sqlite3", stopped_first=True)


def test_list_without_journal_does_not_create_it(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "journal.sqlite3"
    code, out = run(["journal", "list", "--journal", str(path)])
    assert code == 0
    assert out.strip() == f"no check-ins yet (journal: {path})"
    assert not path.exists() and not path.parent.exists()


def test_list_uses_the_environment_default(tmp_path: Path) -> None:
    path = tmp_path / "env.sqlite3"
    code, out = run(["journal", "list"], env={"AUDIO_COMPANION_JOURNAL": str(path)})
    assert code == 0 and str(path) in out and not path.exists()


def test_list_newest_first_with_counts_and_mood(journal: Path) -> None:
    code, out = run(["journal", "list", "--journal", str(journal)])
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].split() == ["id", "when", "partners", "answers", "mood", "ended"]
    assert [ln.split()[0] for ln in lines[1:]] == ["3", "2", "1"]
    assert lines[-1].split()[-3:] == ["2", "2.0", "stop_word"]
    assert "Alex, Sam" in lines[1] and lines[1].split()[-2] == "4.0"


def test_list_limit_says_there_is_more(journal: Path) -> None:
    code, out = run(["journal", "list", "--journal", str(journal), "--limit", "2"])
    assert code == 0
    assert [ln.split()[0] for ln in out.splitlines()[1:3]] == ["3", "2"]
    assert "--limit 0 shows all" in out


def test_show_prints_the_session(journal: Path) -> None:
    code, out = run(["journal", "show", "1", "--journal", str(journal)])
    assert code == 0, out
    assert out.startswith("## ") and "Alex & Sam" in out
    assert "**Alex** — How are you feeling today?" in out and "> night 0" in out
    assert "Mood: 2/5" in out and "ended: stop_word" in out


def test_show_missing_session_is_one_line(journal: Path, tmp_path: Path) -> None:
    code, out = run(["journal", "show", "42", "--journal", str(journal)])
    assert code == 2
    assert out.strip() == "Error: no session 42; see: audio-companion journal list"
    code, out = run(["journal", "show", "1", "--journal", str(tmp_path / "none.sqlite3")])
    assert code == 2 and out.startswith("Error: no session 1;")
    assert not (tmp_path / "none.sqlite3").exists()


def test_corrupt_journal_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database " * 100)
    code, out = run(["journal", "list", "--journal", str(bad)])
    assert code == 2
    assert len(out.strip().splitlines()) == 1 and str(bad) in out


def test_export_csv_to_stdout(journal: Path) -> None:
    code, out = run(["journal", "export", "--format", "csv", "--journal", str(journal)])
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 6
    assert [r["transcript"] for r in rows[::2]] == ["night 0", "night 1", "night 2"]


def test_export_json_to_private_file(journal: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "export.json"
    args = ["journal", "export", "--format", "json", "-o", str(out_file)]
    code, out = run([*args, "--journal", str(journal)])
    assert code == 0, out
    assert "Wrote 3 check-ins" in out
    doc = json.loads(out_file.read_text("utf-8"))
    assert [s["id"] for s in doc["sessions"]] == [1, 2, 3]
    assert doc["sessions"][0]["answers"][1]["mood"] == 2
    assert out_file.stat().st_mode & 0o777 == 0o600


def test_export_markdown(journal: Path) -> None:
    code, out = run(["journal", "export", "--format", "md", "--journal", str(journal)])
    assert code == 0
    assert out.startswith("# Check-in journal") and out.count("\n## ") == 3
    assert "Mood: 4/5" in out


def test_export_without_journal_is_empty_but_valid(tmp_path: Path) -> None:
    path = tmp_path / "none.sqlite3"
    code, out = run(["journal", "export", "--format", "json", "--journal", str(path)])
    assert code == 0 and json.loads(out)["sessions"] == []
    assert not path.exists()


def test_export_needs_a_known_format(journal: Path) -> None:
    code, _ = run(["journal", "export", "--format", "pdf", "--journal", str(journal)])
    assert code == 2


def test_trend_prints_chart_and_streak(journal: Path) -> None:
    code, out = run(
        ["journal", "trend", "--journal", str(journal), "--weeks", "1", "--until", str(TODAY)]
    )
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("Mood, 1 week to ")
    sam = next(ln for ln in lines if ln.startswith("Sam"))
    assert sam.split()[1] == "···▂·▆▆"  # 3 days ago 2, yesterday and today 4
    # Nights 3, 1 and 0 days ago: the single missed night is forgiven, not counted.
    assert lines[-1] == "Streak: 3 nights"


def test_trend_counts_a_check_in_after_midnight_as_the_night_before(tmp_path: Path) -> None:
    # 23:59 and then 00:30: one night, as recall counts it, not two calendar days (both in
    # local time, as trend reads them, so any machine's zone gives the same).
    path = tmp_path / "j.sqlite3"
    night = TODAY - timedelta(days=2)
    late = datetime(night.year, night.month, night.day, 23, 59)
    with Journal.open(path) as j:
        for moment in (late, late + timedelta(minutes=31)):
            t = moment.timestamp()
            sid = j.start_session("nightly", ["Alex"], "vosk", t)
            j.add_answer(sid, Answer("Alex", "mood", "mood", "Mood?", "four", 4, None, t, t + 2))
    code, out = run(["journal", "trend", "--until", str(TODAY), "--journal", str(path)])
    assert code == 0, out
    assert out.splitlines()[-1] == "Streak: 1 night"  # by calendar day it said 2


def test_trend_without_journal(tmp_path: Path) -> None:
    path = tmp_path / "none.sqlite3"
    code, out = run(["journal", "trend", "--journal", str(path)])
    assert code == 0
    assert "no check-ins yet" in out and out.strip().endswith("Streak: 0 nights")
    assert not path.exists()


def test_trend_png(journal: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    png = tmp_path / "mood.png"
    args = ["journal", "trend", "--journal", str(journal), "--png", str(png), "--until", str(TODAY)]
    code, out = run(args)
    assert code == 0, out
    assert f"Wrote {png}" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_mode & 0o777 == 0o600


def test_trend_png_without_matplotlib(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kw: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    png = tmp_path / "mood.png"
    code, out = run(["journal", "trend", "--journal", str(journal), "--png", str(png)])
    assert code == 3
    assert out.splitlines()[-1] == (
        "Error: matplotlib is not installed; pip install 'audio-companion[charts]'"
    )
    assert not png.exists()


def test_reading_does_not_write(journal: Path) -> None:
    before = journal.stat().st_mtime_ns
    time.sleep(0.01)
    for args in (["list"], ["show", "1"], ["trend"], ["export", "--format", "csv"]):
        code, _ = run(["journal", *args, "--journal", str(journal)])
        assert code == 0
    assert journal.stat().st_mtime_ns == before


DAYLIO = Path(__file__).parent / "journal" / "data" / "daylio_sample.csv"


def test_import_daylio_twice_adds_it_once(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    args = ["journal", "import", str(DAYLIO), "--tz", "Europe/Berlin", "--journal", str(path)]
    code, out = run(args)
    assert code == 0, out
    assert out == f"6 sessions imported, 0 already present (from {DAYLIO}, Daylio CSV export; " \
        f"journal: {path})\n"  # fmt: skip
    code, out = run(args)
    assert code == 0 and out.startswith("0 sessions imported, 6 already present")
    code, out = run(["journal", "export", "--format", "json", "--journal", str(path)])
    doc = json.loads(out)
    assert [s["deck"] for s in doc["sessions"]] == ["daylio"] * 6
    assert [s["answers"][0]["mood"] for s in doc["sessions"]] == [1, 2, 4, 3, 4, 5]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_export_through_the_commands(journal: Path, tmp_path: Path, fmt: str) -> None:
    first, again = tmp_path / f"first.{fmt}", tmp_path / f"again.{fmt}"
    copy = tmp_path / "copy.sqlite3"
    run(["journal", "export", "--format", fmt, "-o", str(first), "--journal", str(journal)])
    code, out = run(["journal", "import", str(first), "--journal", str(copy)])
    assert code == 0, out
    assert out.startswith("3 sessions imported, 0 already present")
    run(["journal", "export", "--format", fmt, "-o", str(again), "--journal", str(copy)])
    assert again.read_bytes() == first.read_bytes()
    code, out = run(["journal", "import", str(again), "--journal", str(journal)])
    assert out.startswith("0 sessions imported, 3 already present")


def test_import_says_recordings_stay_behind(journal: Path, tmp_path: Path) -> None:
    code, out = run(["journal", "export", "--format", "json", "--journal", str(journal)])
    doc = json.loads(out)
    doc["sessions"][0]["answers"][0]["has_audio"] = True
    exported = tmp_path / "with-audio.json"
    exported.write_text(json.dumps(doc), "utf-8")
    code, out = run(["journal", "import", str(exported), "--journal", str(tmp_path / "n.db")])
    assert code == 0, out
    assert out.splitlines()[1] == (
        "1 answer had a recording where exported; exports never carry recordings, "
        "so none came with them"
    )


def test_a_bad_file_is_one_line_and_writes_nothing(journal: Path, tmp_path: Path) -> None:
    bad = tmp_path / "daylio.csv"
    bad.write_text(DAYLIO.read_text("utf-8").replace(",meh,", ",sleepy,"), "utf-8")
    fresh = tmp_path / "fresh.sqlite3"
    code, out = run(["journal", "import", str(bad), "--tz", "UTC", "--journal", str(fresh)])
    assert code == 2
    assert out.startswith(f'Error: {bad}:4: unknown mood "sleepy"')
    assert len(out.strip().splitlines()) == 1 and not fresh.exists()
    before = journal.read_bytes()
    code, out = run(["journal", "import", str(bad), "--tz", "UTC", "--journal", str(journal)])
    assert code == 2 and journal.read_bytes() == before
    code, out = run(["journal", "import", str(bad), "--tz", "UTC", "--mood", "Sleepy=3",
                     "--journal", str(fresh)])  # fmt: skip
    assert code == 0 and out.startswith("6 sessions imported")


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--tz", "Mars/Olympus", "'Mars/Olympus' is not a time zone"),
        ("--tz", "+25:00", "'+25:00' is not a time zone"),
        ("--mood", "sleepy", "'sleepy': write NAME=1..5"),
        ("--mood", "sleepy=6", "'sleepy=6': write NAME=1..5"),
    ],
)
def test_import_options_are_checked(tmp_path: Path, option: str, value: str, expected: str) -> None:
    path = tmp_path / "j.sqlite3"
    code, out = run(["journal", "import", str(DAYLIO), option, value, "--journal", str(path)])
    assert code == 2 and expected in out and not path.exists()


@pytest.mark.parametrize(
    ("zone", "first"),
    [("UTC", "2024-01-15T22:45:00+00:00"), ("-03:30", "2024-01-16T02:15:00+00:00")],
)
def test_import_reads_daylio_times_in_the_zone_given(tmp_path: Path, zone: str, first: str) -> None:
    path = tmp_path / "j.sqlite3"
    run(["journal", "import", str(DAYLIO), "--tz", zone, "--journal", str(path)])
    with Journal.open(path) as j:
        started = j.records()[0].started_at
    assert iso(started, timezone.utc) == first


# --- recall and a couple's trend --------------------------------------------------------------

TONIGHT = "2026-11-27"  # the night recalled for; never the clock's


def utc_evening(night: str, days_before: int) -> float:
    d = date.fromisoformat(night) - timedelta(days=days_before)
    return datetime(d.year, d.month, d.day, 21, 30, tzinfo=timezone.utc).timestamp()


def remember(path: Path, days_before: int, said: list[tuple[str | None, str, str, int | None]],
             partners: tuple[str, ...] = ()) -> None:  # fmt: skip
    """A session `days_before` TONIGHT, 21:30 UTC: (partner, kind, transcript, mood) answers."""
    t = utc_evening(TONIGHT, days_before)
    steps = {"mood": "mood", "gratitude": "appreciations"}
    with Journal.open(path) as j:
        sid = j.start_session("nightly", list(partners), "text", t)
        for n, (who, kind, text, mood) in enumerate(said, 1):
            j.add_answer(sid, Answer(who, steps[kind], kind, "?", text, mood, None, t + n, t + n))
        j.end_session(sid, t + 600, "completed")


def recall_cmd(path: Path, *extra: str) -> tuple[int, str]:
    return run(
        ["journal", "recall", "--journal", str(path), "--on", TONIGHT, "--tz", "UTC", *extra]
    )


def test_recall_says_what_the_checkin_would(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    remember(path, 7, [(None, "mood", "four", 4), (None, "gratitude", "The soup.", None)])
    assert recall_cmd(path) == (0, "A week ago you appreciated the soup.\n")
    remember(path, 1, [(None, "mood", "four", 4)])  # the everyday streak comes after
    assert recall_cmd(path) == (0, "A week ago you appreciated the soup.\n")
    code, out = run(["journal", "recall", "--journal", str(path), "--on", "2026-11-23",
                     "--tz", "UTC"])  # fmt: skip
    assert (code, out) == (0, "Nothing to recall tonight (the night of 2026-11-23).\n")


def test_recall_for_a_couple_by_name_and_never_the_absent(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    couple = ("Sam", "Alex")
    remember(path, 7, [("Sam", "mood", "five", 5), ("Sam", "gratitude", "the tea", None),
                       ("Alex", "mood", "four", 4)], couple)  # fmt: skip
    assert recall_cmd(path, "--partners", "Sam, Alex") == (
        0,
        "Sam, a week ago you appreciated the tea.\n",
    )
    code, out = recall_cmd(path, "--partners", "Alex")
    assert code == 0 and out.startswith("Nothing to recall tonight")


def test_recall_never_from_a_low_night(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    remember(path, 7, [(None, "mood", "two", 2), (None, "gratitude", "the soup", None)])
    code, out = recall_cmd(path)
    assert code == 0 and out.startswith("Nothing to recall tonight") and "soup" not in out


def test_recall_says_when_the_deck_would_not(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    remember(path, 1, [(None, "mood", "four", 4)])
    code, out = recall_cmd(path, "--deck", "weekly")
    assert code == 0
    assert out.splitlines() == [
        "This is your second night in a row.",
        '(the deck "weekly" has recall off: its check-in does not say this)',
    ]


def test_recall_without_a_journal_creates_none(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "none.sqlite3"
    code, out = recall_cmd(path)
    assert (code, out) == (0, "Nothing to recall tonight (the night of 2026-11-27).\n")
    assert not path.parent.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--on", "27.11.2026"], "YYYY-MM-DD"),
        (["--tz", "Mars/Olympus"], "'Mars/Olympus' is not a time zone"),
        (["--deck", "no-such-deck"], 'unknown deck "no-such-deck"'),
    ],
)
def test_recall_options_are_checked(tmp_path: Path, args: list[str], expected: str) -> None:
    code, out = run(["journal", "recall", "--journal", str(tmp_path / "j.sqlite3"), *args])
    assert code == 2 and expected in out


def test_recall_does_not_write(journal: Path) -> None:
    before = journal.stat().st_mtime_ns
    time.sleep(0.01)
    code, _ = run(["journal", "recall", "--journal", str(journal), "--on", str(TODAY)])
    assert code == 0 and journal.stat().st_mtime_ns == before


def test_trend_shows_a_couple_side_by_side(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal.open(path) as j:
        for days_ago, sam, alex in [(2, 5, 3), (0, 4, 2)]:
            t = evening(days_ago)
            sid = j.start_session("nightly", ["Sam", "Alex"], "text", t)
            for n, (who, value) in enumerate([("Sam", sam), ("Alex", alex)]):
                j.add_answer(sid, Answer(who, "mood", "mood", "?", str(value), value, None,
                                         t + n, t + n))  # fmt: skip
    code, out = run(["journal", "trend", "--journal", str(path), "--weeks", "1",
                     "--until", str(TODAY)])  # fmt: skip
    assert code == 0, out
    lines = out.splitlines()
    assert next(ln for ln in lines if ln.startswith("Alex")).split()[1] == "····▄·▂"
    assert next(ln for ln in lines if ln.startswith("Sam")).split()[1] == "····█·▆"
    assert lines[lines.index("Week of   Alex   Sam") + 1].split()[-2:] == ["2.5", "4.5"]
