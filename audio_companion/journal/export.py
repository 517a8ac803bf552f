"""Journal records as CSV, JSON or a Markdown diary: pure functions, no I/O.

Recordings never leave the journal through an export (only how many there are is said), so an
exported file can be shared with a therapist without sharing anyone's voice. Times are local
ISO-8601 with their UTC offset, unambiguous across daylight-saving changes.

JSON carries everything else the journal holds, exactly (times to the microsecond when they
have a fraction, confidences as written): the check-ins and the resonance paces `breathe
--find-resonance` kept, each step's rating and what was heard. So `journal import` rebuilds a
journal from it and exporting that again gives the same bytes (see `importer`). CSV carries the
check-ins just as exactly, but no paces: it is one row per answer, which spreadsheets and the
importer read as one table, and a pace (a measurement with a list of steps) is no answer; a
second table in the same file would break both, and a second file would break `--output`.
So the paces are JSON-only, and `journal export --format csv` says when it leaves some out.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from audio_companion.journal.mood import MOOD_MAX
from audio_companion.journal.paces import PaceRecord
from audio_companion.journal.store import AnswerRecord, SessionRecord

CSV_COLUMNS = (
    "session_id",
    "session_started_at",
    "session_ended_at",
    "deck",
    "partners",
    "engine",
    "end_reason",
    "answer_id",
    "partner",
    "step",
    "kind",
    "prompt",
    "transcript",
    "mood",
    "confidence",
    "started_at",
    "ended_at",
    "audio",
    "written_at",  # added last, so that readers counting columns still find the others
)
JSON_FORMAT = "audio-companion-journal"
JSON_VERSION = 2  # 2 added "paces": an older program refuses it rather than drop them unsaid


def iso(ts: float | None, tz: tzinfo | None = None) -> str | None:
    """Unix seconds as local (or *tz*) ISO-8601 with offset: to the second when that is exact,
    else to the microsecond, so that an import gives back the very instant."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, tz).astimezone(tz).isoformat()


def join_partners(names: Sequence[str]) -> str:
    """Partners in one CSV cell, "Alex; Sam": a ";" or "\\" in a name is escaped with "\\",
    so that `split_partners` gives the names back even when one contains "; "."""
    return "; ".join(n.replace("\\", "\\\\").replace(";", "\\;") for n in names)


def split_partners(cell: str) -> tuple[str, ...]:
    """The names `join_partners` wrote: split at each unescaped ";", around which spaces go
    (names never start or end with one: the check-in strips them)."""
    names: list[str] = []
    name: list[str] = []
    escaped = False
    for c in cell:
        if escaped or (c != "\\" and c != ";"):
            name.append(c)
            escaped = False
        elif c == "\\":
            escaped = True
        else:
            names.append("".join(name).strip())
            name = []
    names.append("".join(name).strip())
    return tuple(names) if cell.strip() else ()


def to_csv(records: Sequence[SessionRecord], tz: tzinfo | None = None) -> str:
    """One row per answer (a session without answers still gets one row, answer fields empty).

    `audio` is 1 when a recording exists in the journal; the recording itself is not exported.
    A mood is a number (empty when none was given), a confidence exact; partners as
    `join_partners` writes them.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rec in records:
        head = [
            rec.id,
            iso(rec.started_at, tz),
            iso(rec.ended_at, tz) or "",
            rec.deck,
            join_partners(rec.partners),
            rec.engine,
            rec.end_reason or "",
        ]
        if not rec.answers:
            writer.writerow([*head, *([""] * (len(CSV_COLUMNS) - len(head)))])
        for a in rec.answers:
            writer.writerow(
                [
                    *head,
                    a.id,
                    a.partner or "",
                    a.step,
                    a.kind,
                    a.prompt,
                    a.transcript,
                    "" if a.mood is None else a.mood,
                    "" if a.confidence is None else repr(a.confidence),
                    iso(a.started_at, tz),
                    iso(a.ended_at, tz),
                    1 if a.has_audio else 0,
                    iso(a.written_at, tz),
                ]
            )
    return buf.getvalue()


def _answer_json(a: AnswerRecord, tz: tzinfo | None) -> dict[str, Any]:
    return {
        "id": a.id,
        "partner": a.partner,
        "step": a.step,
        "kind": a.kind,
        "prompt": a.prompt,
        "transcript": a.transcript,
        "mood": a.mood,
        "confidence": a.confidence,
        "started_at": iso(a.started_at, tz),
        "ended_at": iso(a.ended_at, tz),
        "written_at": iso(a.written_at, tz),
        "has_audio": a.has_audio,
    }


def pace_json(p: PaceRecord, tz: tzinfo | None = None) -> dict[str, Any]:
    """One resonance pace with every step as stored (also `journal paces --format json`).

    Numbers are written as floats even when a step was stored with a whole one (6, not 6.0),
    so that an import, which reads them as floats, exports again to the same bytes.
    """
    return {
        "id": p.id,
        "measured_at": iso(p.measured_at, tz),
        "breaths_per_minute": float(p.breaths_per_minute),
        "measure": p.measure,
        "protocol": p.protocol,
        "steps": [
            {
                "breaths_per_minute": float(s.breaths_per_minute),
                "seconds": float(s.seconds),
                "comfort": s.comfort,
                "hrv": None if s.hrv is None else float(s.hrv),
                "heard": s.heard,
            }
            for s in p.steps
        ],
    }


def to_json(
    records: Sequence[SessionRecord],
    tz: tzinfo | None = None,
    paces: Sequence[PaceRecord] = (),
) -> str:
    """A versioned document `{"format", "version", "sessions": [...], "paces": [...]}` with
    answers nested in their sessions and steps in their paces, both oldest first as given."""
    doc = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "sessions": [
            {
                "id": rec.id,
                "started_at": iso(rec.started_at, tz),
                "ended_at": iso(rec.ended_at, tz),
                "deck": rec.deck,
                "partners": list(rec.partners),
                "engine": rec.engine,
                "end_reason": rec.end_reason,
                "audio_recordings": rec.audio_count,
                "answers": [_answer_json(a, tz) for a in rec.answers],
            }
            for rec in records
        ],
        "paces": [pace_json(p, tz) for p in paces],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _md(text: str) -> str:
    """Escape what Markdown would otherwise turn into formatting or HTML."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"^(\s*)([#>+-]|\d+\.)", r"\1\\\2", escaped, flags=re.MULTILINE)


def _speaker(a: AnswerRecord, partners: Sequence[str]) -> str:
    """Who answered: the partner, else the only person, else "Both" for a joint answer."""
    if a.partner:
        return a.partner
    if len(partners) == 1:
        return partners[0]
    return "Both" if partners else "You"


def _when(ts: float, tz: tzinfo | None) -> datetime:
    return datetime.fromtimestamp(ts, tz).astimezone(tz)


def markdown_session(rec: SessionRecord, tz: tzinfo | None = None) -> str:
    """One session as a diary entry (used by the diary and by `journal show`)."""
    start = _when(rec.started_at, tz)
    title = f"{start:%A %d %B %Y, %H:%M}"
    if rec.ended_at is not None:
        title += f"–{_when(rec.ended_at, tz):%H:%M}"
    if rec.partners:
        title += " — " + " & ".join(_md(p) for p in rec.partners)
    lines = [f"## {title}", ""]
    facts = [f"Check-in {rec.id}", f"deck: {_md(rec.deck)}"]
    facts.append(f"ended: {rec.end_reason}" if rec.end_reason else "unfinished")
    n = len(rec.answers)
    facts.append(f"{n} answer{'s' if n != 1 else ''}")
    if rec.audio_count:
        k = rec.audio_count
        facts.append(f"{k} recording{'s' if k != 1 else ''} kept in the journal (not exported)")
    lines += [" · ".join(facts), ""]
    for a in rec.answers:
        lines += [f"**{_md(_speaker(a, rec.partners))}** — {_md(a.prompt)}", ""]
        said = a.transcript.strip()
        quote = _md(said).splitlines() if said else ["*(no answer)*"]
        lines += [f"> {q}".rstrip() for q in quote]
        lines.append("")
        if a.mood is not None:
            lines += [f"Mood: {a.mood}/{MOOD_MAX}", ""]
    if not rec.answers:
        lines += ["*No answers were given.*", ""]
    return "\n".join(lines)


def to_markdown(records: Sequence[SessionRecord], tz: tzinfo | None = None) -> str:
    """A readable diary: one section per session, oldest first as given."""
    parts = ["# Check-in journal", ""]
    if not records:
        parts += ["No check-ins yet.", ""]
    parts += [markdown_session(rec, tz) for rec in records]
    return "\n".join(parts).rstrip("\n") + "\n"
