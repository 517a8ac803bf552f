"""Exports: every answer present, local ISO times, moods as integers, never any audio."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

from audio_companion.journal.export import (
    join_partners,
    markdown_session,
    split_partners,
    to_csv,
    to_json,
    to_markdown,
)
from audio_companion.journal.paces import PaceRecord, PaceStep
from audio_companion.journal.store import AnswerRecord, SessionRecord

TZ = timezone(timedelta(hours=2))
T0 = datetime(2024, 5, 14, 21, 30, tzinfo=TZ).timestamp()


def ans(i: int, partner: str | None, prompt: str, said: str, **kw: object) -> AnswerRecord:
    fields: dict[str, object] = {
        "id": i,
        "session_id": 1,
        "partner": partner,
        "step": f"step{i}",
        "kind": "open",
        "prompt": prompt,
        "transcript": said,
        "mood": None,
        "confidence": None,
        "started_at": T0 + 10 * i,
        "ended_at": T0 + 10 * i + 5,
        "written_at": T0 + 10 * i + 5.25,
        "audio_seconds": None,
    }
    fields.update(kw)
    return AnswerRecord(**fields)  # type: ignore[arg-type]


RECORDS = [
    SessionRecord(
        id=1,
        started_at=T0,
        ended_at=T0 + 600,
        deck="nightly",
        partners=("Alex", "Sam"),
        engine="vosk",
        end_reason="completed",
        answers=(
            ans(1, "Alex", "How are you feeling today?", 'tired, but "okay"', audio_seconds=2.5),
            ans(2, "Sam", "Your mood, one to five?", "four", mood=4, kind="mood", confidence=0.8),
            ans(3, None, "Anything else?", ""),
        ),
    ),
    SessionRecord(
        id=2,
        started_at=T0 + 86400,
        ended_at=None,
        deck="short",
        partners=("Alex",),
        engine="whisper",
        end_reason=None,
        answers=(),
    ),
]


def test_csv_has_a_row_per_answer_and_one_for_an_empty_session() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(RECORDS, TZ))))
    assert len(rows) == 4
    first = rows[0]
    assert first["session_started_at"] == "2024-05-14T21:30:00+02:00"
    assert first["partners"] == "Alex; Sam"
    assert first["transcript"] == 'tired, but "okay"'
    assert first["audio"] == "1" and rows[1]["audio"] == "0"
    assert rows[1]["mood"] == "4" and first["mood"] == ""
    assert rows[1]["confidence"] == "0.8"  # exact, not rounded: an import must get 0.8 back
    assert rows[1]["written_at"] == "2024-05-14T21:30:25.250000+02:00"  # to the microsecond
    assert rows[1]["ended_at"] == "2024-05-14T21:30:25+02:00"  # whole seconds stay short
    assert rows[3]["session_id"] == "2" and rows[3]["answer_id"] == ""
    assert rows[3]["session_ended_at"] == ""


def test_json_is_versioned_with_int_moods_and_no_audio() -> None:
    doc = json.loads(to_json(RECORDS, TZ))
    assert doc["format"] == "audio-companion-journal" and doc["version"] == 2
    s1, s2 = doc["sessions"]
    assert s1["started_at"] == "2024-05-14T21:30:00+02:00"
    assert s1["ended_at"] == "2024-05-14T21:40:00+02:00"
    assert s1["partners"] == ["Alex", "Sam"]
    assert s1["audio_recordings"] == 1
    mood = s1["answers"][1]["mood"]
    assert mood == 4 and isinstance(mood, int)
    assert s1["answers"][0]["has_audio"] is True
    assert s1["answers"][0]["written_at"] == "2024-05-14T21:30:15.250000+02:00"
    assert s1["answers"][1]["confidence"] == 0.8
    assert "audio" not in s1["answers"][0]
    assert s2["ended_at"] is None and s2["answers"] == []


def test_markdown_reads_as_a_diary() -> None:
    md = to_markdown(RECORDS, TZ)
    assert md.startswith("# Check-in journal\n")
    assert "## Tuesday 14 May 2024, 21:30–21:40 — Alex & Sam" in md
    assert '**Alex** — How are you feeling today?\n\n> tired, but "okay"' in md
    assert "**Sam** — Your mood, one to five?\n\n> four\n\nMood: 4/5" in md
    assert "**Both** — Anything else?\n\n> *(no answer)*" in md
    assert "1 recording kept in the journal (not exported)" in md
    assert "## Wednesday 15 May 2024, 21:30 — Alex" in md
    assert "unfinished" in md and "*No answers were given.*" in md
    assert md.index("Tuesday") < md.index("Wednesday")


def test_markdown_escapes_what_would_become_formatting() -> None:
    rec = SessionRecord(
        1, T0, None, "d", ("Al_ex",), "vosk", None, (ans(1, None, "p", "# not a heading *x*"),)
    )
    md = markdown_session(rec, TZ)
    assert "> \\# not a heading \\*x\\*" in md
    assert "**Al\\_ex** — p" in md


def test_empty_exports_are_still_valid() -> None:
    assert to_csv([]).splitlines()[0].startswith("session_id,")
    assert json.loads(to_json([]))["sessions"] == []
    assert json.loads(to_json([]))["paces"] == []
    assert "No check-ins yet." in to_markdown([])


def test_csv_columns_keep_their_places_and_add_written_at_last() -> None:
    header = to_csv([]).splitlines()[0].split(",")
    assert header[:18] == [
        "session_id", "session_started_at", "session_ended_at", "deck", "partners", "engine",
        "end_reason", "answer_id", "partner", "step", "kind", "prompt", "transcript", "mood",
        "confidence", "started_at", "ended_at", "audio",
    ]  # fmt: skip
    assert header[18:] == ["written_at"]


def test_partners_with_a_separator_in_a_name_come_back_whole() -> None:
    names = ("Sam; Alex", "Zoë", "back\\slash", ";")
    cell = join_partners(names)
    assert split_partners(cell) == names
    assert join_partners(("Alex", "Sam")) == "Alex; Sam"  # ordinary names read as before
    assert split_partners("") == () and split_partners("Alex;Sam") == ("Alex", "Sam")


def test_json_carries_every_field_of_every_pace() -> None:
    steps = (PaceStep(6.5, 120, comfort=3, heard="three"), PaceStep(6, 90.5, None, 41.25, ""))
    pace = PaceRecord(T0 + 0.5, 6.5, "comfort", "lehrer-stepped", steps, id=7)
    doc = json.loads(to_json(RECORDS, TZ, [pace]))
    assert doc["paces"] == [
        {
            "id": 7,
            "measured_at": "2024-05-14T21:30:00.500000+02:00",
            "breaths_per_minute": 6.5,
            "measure": "comfort",
            "protocol": "lehrer-stepped",
            "steps": [
                {"breaths_per_minute": 6.5, "seconds": 120.0, "comfort": 3, "hrv": None,
                 "heard": "three"},
                {"breaths_per_minute": 6.0, "seconds": 90.5, "comfort": None, "hrv": 41.25,
                 "heard": ""},
            ],
        }
    ]  # fmt: skip
    # Whole numbers are written as floats: what an import reads back, so it exports alike.
    assert '"seconds": 120.0' in to_json([], TZ, [pace])
