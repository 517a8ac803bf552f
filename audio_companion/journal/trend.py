"""Mood over time and the check-in streak: pure functions over journal rows.

Moods are charted by calendar day; the streak counts check-in nights (`nights`), the same
nights the spoken recall counts. The streak forgives a single missed night because a ritual
that collapses after one bad evening discourages more than it encourages; two missed nights
in a row do end it.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from audio_companion.errors import CompanionError
from audio_companion.journal.mood import MOOD_MAX, MOOD_MIN, MOOD_RANGE
from audio_companion.journal.private import write_private
from audio_companion.journal.store import MoodPoint

SPARK = "▁▂▄▆█"  # one glyph per mood on the scale, low to high
assert len(SPARK) == len(MOOD_RANGE)
NO_RATING = "·"
ONE_DAY = timedelta(days=1)


class ChartsUnavailableError(CompanionError):
    """matplotlib (the `charts` extra) is needed for PNG charts and is not installed."""

    exit_code = 3

    def __init__(self) -> None:
        super().__init__("matplotlib is not installed; pip install 'audio-companion[charts]'")


class DailyMood(NamedTuple):
    day: date
    partner: str | None
    mean_mood: float


def daily_moods(points: Iterable[MoodPoint], tz: tzinfo | None = None) -> list[DailyMood]:
    """Mean mood per local (or *tz*) day and partner, sorted by day then partner."""
    groups: dict[tuple[date, str | None], list[int]] = defaultdict(list)
    for p in points:
        groups[(datetime.fromtimestamp(p.at, tz).date(), p.partner)].append(p.mood)
    return [
        DailyMood(day, partner, sum(ms) / len(ms))
        for (day, partner), ms in sorted(groups.items(), key=lambda kv: _key(kv[0]))
    ]


def _key(k: tuple[date, str | None]) -> tuple[date, str]:
    return k[0], "" if k[1] is None else "\x01" + k[1]


def streak(nights: set[date], tonight: date, forgive: int = 1) -> int:
    """Nights with a check-in in the current run, ending tonight (or last night if not yet).

    *nights* and *tonight* are check-in nights (`nights.night_of`: until 4 am it is still the
    evening before), never calendar days, so that `journal trend` and the spoken recall count
    a check-in at 00:30 alike. Up to *forgive* consecutive missed nights are bridged without
    ending the run; missed nights never count. Nights after *tonight* are ignored.
    """
    if forgive < 0:
        raise ValueError("forgive must be 0 or more")
    cursor = tonight if tonight in nights else tonight - ONE_DAY
    earliest = min(nights, default=tonight)
    count = missed = 0
    while cursor >= earliest:
        if cursor in nights:
            count += 1
            missed = 0
        else:
            missed += 1
            if missed > forgive:
                break
        cursor -= ONE_DAY
    return count


def _glyph(mood: float) -> str:
    rounded = int(mood + 0.5)  # round half up: 3.5 reads as 4
    return SPARK[min(MOOD_MAX, max(MOOD_MIN, rounded)) - MOOD_MIN]


def text_chart(daily: Sequence[DailyMood], weeks: int, today: date | None = None) -> str:
    """A sparkline per partner over the last *weeks* weeks ending *today* (default: today).

    One character a day (▁ low … █ high, · no rating), a space between weeks, and the mean
    over the period at the end of each row.
    """
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    end = today or date.today()
    start = end - timedelta(days=weeks * 7 - 1)
    shown = [d for d in daily if start <= d.day <= end]
    header = f"Mood, {weeks} week{'s' if weeks != 1 else ''} to {end:%a %d %b %Y}"
    if not shown:
        return f"{header}\nno mood ratings in this period\n"
    by_partner: dict[str | None, dict[date, float]] = defaultdict(dict)
    for d in shown:
        by_partner[d.partner][d.day] = d.mean_mood
    names = {p: p if p is not None else "mood" for p in by_partner}
    width = max(8, *(len(n) for n in names.values()))
    week_starts = [start + timedelta(days=7 * w) for w in range(weeks)]
    ruler = " ".join(f"{d:%d %b}".ljust(7) for d in week_starts)
    lines = [header, f"{'':{width}}  {ruler}".rstrip()]
    for partner in sorted(by_partner, key=_partner_key):
        values = by_partner[partner]
        cells = []
        for w in week_starts:
            week = (w + timedelta(days=i) for i in range(7))
            cells.append("".join(_glyph(values[d]) if d in values else NO_RATING for d in week))
        mean = sum(values.values()) / len(values)
        lines.append(f"{names[partner]:{width}}  {' '.join(cells)}  mean {mean:.1f}/{MOOD_MAX}")
    lines.append(f"{'':{width}}  {MOOD_MIN} {SPARK} {MOOD_MAX}   {NO_RATING} no rating")
    if len(by_partner) > 1:
        lines += ["", *_weekly_table(by_partner, names, week_starts, width)]
    return "\n".join(lines) + "\n"


def _weekly_table(
    by_partner: Mapping[str | None, Mapping[date, float]],
    names: Mapping[str | None, str],
    week_starts: Sequence[date],
    width: int,
) -> list[str]:
    """Each partner's mean mood per week, side by side: a couple compares weeks at a glance,
    which a row of glyphs each does not show (one person's chart has no such table)."""
    order = sorted(by_partner, key=_partner_key)
    columns = [(p, max(4, len(names[p]))) for p in order]
    rows = ["  ".join([f"{'Week of':{width}}", *(f"{names[p]:>{w}}" for p, w in columns)])]
    for start in week_starts:
        cells = [f"{start:%d %b}".ljust(width)]
        for partner, w in columns:
            week = [m for d, m in by_partner[partner].items() if start <= d < start + 7 * ONE_DAY]
            cells.append(f"{sum(week) / len(week):>{w}.1f}" if week else f"{'-':>{w}}")
        rows.append("  ".join(cells))
    return rows


def _partner_key(partner: str | None) -> str:
    """Nobody named first, then the names in order."""
    return "" if partner is None else "\x01" + partner


def png_chart(daily: Sequence[DailyMood], path: Path, title: str = "Mood per day") -> None:
    """Draw mood per day (one line per partner) into a PNG at *path*, written 0600."""
    fig = mood_figure(daily, title)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    write_private(path, buf.getvalue())


def mood_figure(daily: Sequence[DailyMood], title: str = "Mood per day") -> Any:
    """The chart as a matplotlib Figure: one line per partner (a couple side by side on the
    same scale, nobody named as "mood"), a legend once anyone is named.

    matplotlib is imported only here and drawn through its Agg canvas directly, so the rest of
    the package never needs it and no global pyplot state is touched.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ChartsUnavailableError() from exc

    fig = Figure(figsize=(8, 3.5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    by_partner: dict[str | None, list[DailyMood]] = defaultdict(list)
    for d in daily:
        by_partner[d.partner].append(d)
    for partner in sorted(by_partner, key=_partner_key):
        rows = by_partner[partner]
        ax.plot(
            np.array([r.day for r in rows], dtype="datetime64[D]"),
            [r.mean_mood for r in rows],
            marker="o",
            label=partner or "mood",
        )
    if not daily:
        ax.text(0.5, 0.5, "no mood ratings yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_ylim(MOOD_MIN - 0.5, MOOD_MAX + 0.5)
    ax.set_yticks(list(MOOD_RANGE))
    ax.set_ylabel("mood")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    if len(by_partner) > 1 or any(p is not None for p in by_partner):
        ax.legend(loc="lower left")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig
