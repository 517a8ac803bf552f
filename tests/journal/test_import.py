"""Our own exports come back: export, import into an empty journal, export again: same bytes.

Times are fixed and zones explicit (Europe/Berlin, whose offset changes in March), so nothing
here depends on the clock, the date or the machine's zone.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from itertools import count
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from helpers import added

from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import InputError
from audio_companion.journal import Answer, Journal, SessionRecord, store
from audio_companion.journal.export import to_csv, to_json
from audio_companion.journal.importer import decode, parse, session_key

BERLIN = ZoneInfo("Europe/Berlin")
Render = Callable[[Sequence[SessionRecord], ZoneInfo], str]
RENDER: dict[str, Render] = {"json": to_json, "csv": to_csv}


def at(y: int, mo: int, d: int, h: int, mi: int, s: int = 0, micro: int = 0) -> float:
    """A wall-clock instant in Berlin (winter +01:00, summer +02:00)."""
    return datetime(y, mo, d, h, mi, s, micro, tzinfo=BERLIN).timestamp()


def said(t: float, step: str, transcript: str, **kw: object) -> Answer:
    fields: dict[str, object] = {
        "partner": None,
        "step": step,
        "kind": "open",
        "prompt": f"Prompt for {step}?",
        "transcript": transcript,
        "mood": None,
        "confidence": None,
        "started_at": t,
        "ended_at": t + 4.5,
    }
    fields.update(kw)
    return Answer(**fields)  # type: ignore[arg-type]


def fill(j: Journal) -> None:
    """Four sessions, written out of date order so that ids and export order differ."""
    summer = at(2024, 7, 20, 22, 5, 7, 123456)
    sid = j.start_session("nightly", ["Alex"], "vosk", summer)
    j.add_answer(sid, said(summer + 3, "mood", "two", kind="mood", mood=2, partner="Alex"))
    j.end_session(sid, summer + 100, "time_box")

    winter = at(2024, 1, 14, 21, 30)
    sid = j.start_session("nightly", ["Alex", "Zoë"], "vosk", winter)
    j.add_answer(sid, said(winter + 5, "feeling", 'müde, aber "okay" — danke 😊',
                           partner="Alex", confidence=0.8731))  # fmt: skip
    j.add_answer(sid, said(winter + 12, "mood", "vier", kind="mood", mood=4,
                           partner="Zoë", confidence=0.5))  # fmt: skip
    j.add_answer(sid, said(winter + 20, "gratitude", "one,\ntwo; three\r\nfour"))
    j.add_answer(sid, said(winter + 20.5, "close", ""))  # nothing said: still an answer
    j.end_session(sid, winter + 600.75, "completed")

    spring = at(2024, 3, 31, 21, 30, 0, 250000)  # the first evening of summer time
    sid = j.start_session("weekly", ["Sam; Alex", "Kim\\"], "whisper", spring)
    j.add_answer(sid, said(spring + 1, "mood", "one", kind="mood", mood=1, confidence=1.0))
    j.add_answer(sid, said(spring + 2, "mood", "five", kind="mood", mood=5, confidence=0.0))
    j.end_session(sid, spring + 30, "stop_word")

    j.start_session("breathe-first", [], "vosk", at(2024, 2, 1, 20, 0))  # never answered


@pytest.fixture
def original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Journal]:
    """A journal written through the check-in's own calls, with written_at from a fixed clock."""
    ticks = count()
    clock = SimpleNamespace(time=lambda: at(2024, 8, 1, 9, 0) + next(ticks) * 1.015625)
    monkeypatch.setattr(store, "time", clock)
    with Journal.open(tmp_path / "original.sqlite3") as j:
        fill(j)
        yield j


def import_into(path: Path, text: str, name: str = "export") -> tuple[Journal, int]:
    found = parse(text, name)
    j = Journal.open(path)
    return j, added(j, found.sessions)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_export_gives_the_same_bytes(
    original: Journal, tmp_path: Path, fmt: str
) -> None:
    render = RENDER[fmt]
    first = render(original.records(), BERLIN)
    assert "+01:00" in first and "+02:00" in first  # both of Berlin's offsets are in it
    copy, added = import_into(tmp_path / "copy.sqlite3", first)
    with copy:
        assert added == 4
        assert render(copy.records(), BERLIN) == first


def test_json_and_csv_carry_the_same_journal(original: Journal, tmp_path: Path) -> None:
    # Imported from JSON, the journal exports the CSV the original exports, and back.
    records = original.records()
    for source, target in (("json", "csv"), ("csv", "json")):
        copy, _ = import_into(tmp_path / f"from-{source}.sqlite3", RENDER[source](records, BERLIN))
        with copy:
            assert RENDER[target](copy.records(), BERLIN) == RENDER[target](records, BERLIN)


def test_the_exports_hold_what_rebuilds_the_journal(original: Journal) -> None:
    doc = json.loads(to_json(original.records(), BERLIN))
    winter = doc["sessions"][0]
    assert winter["partners"] == ["Alex", "Zoë"] and winter["deck"] == "nightly"
    assert winter["end_reason"] == "completed" and winter["engine"] == "vosk"
    assert winter["ended_at"] == "2024-01-14T21:40:00.750000+01:00"
    feeling, mood = winter["answers"][:2]
    assert (feeling["partner"], feeling["step"], feeling["kind"]) == ("Alex", "feeling", "open")
    assert feeling["confidence"] == 0.8731 and feeling["mood"] is None
    assert mood["mood"] == 4 and mood["prompt"] == "Prompt for mood?"
    assert feeling["written_at"] == "2024-08-01T09:00:01.015625+02:00"  # the fixed clock
    row = next(csv.DictReader(io.StringIO(to_csv(original.records(), BERLIN))))
    assert row["confidence"] == "0.8731" and row["written_at"] == feeling["written_at"]
    assert row["partners"] == "Alex; Zoë"


def test_importing_into_the_journal_it_came_from_adds_nothing(original: Journal) -> None:
    for render in RENDER.values():
        found = parse(render(original.records(), BERLIN), "export")
        assert added(original, found.sessions) == 0
    assert len(original.records()) == 4


def test_an_export_from_another_zone_is_the_same_journal(original: Journal) -> None:
    # Exported on a machine in another zone (other offsets on every time): same sessions.
    tokyo = to_csv(original.records(), ZoneInfo("Asia/Tokyo"))
    assert "+09:00" in tokyo and "+01:00" not in tokyo
    assert added(original, parse(tokyo, "tokyo.csv").sessions) == 0


def test_a_file_mixing_offsets_keeps_each_instant() -> None:
    # Hand-joined rows from two zones: each time is read with its own offset.
    lines = to_csv([]).splitlines()[:1]
    for sid, when in ((1, "2024-05-14T21:30:00-04:00"), (2, "2024-05-15T07:00:00+05:30")):
        lines.append(
            f"{sid},{when},,nightly,,vosk,,{sid},,mood,mood,Mood?,three,3,,{when},{when},0,"
        )
    sessions = parse("\n".join(lines) + "\n", "mixed.csv").sessions
    expected = [
        datetime(2024, 5, 15, 1, 30, tzinfo=timezone.utc).timestamp(),
        datetime(2024, 5, 15, 1, 30, tzinfo=timezone.utc).timestamp(),
    ]
    assert [s.started_at for s in sessions] == expected
    assert sessions[0].answers[0].written_at == sessions[0].answers[0].ended_at  # empty: ended


def test_ids_are_renumbered_where_they_are_taken(original: Journal, tmp_path: Path) -> None:
    text = to_json(original.records(), BERLIN)
    with Journal.open(tmp_path / "busy.sqlite3") as busy:
        sid = busy.start_session("nightly", [], "vosk", at(2023, 12, 24, 20, 0))
        busy.add_answer(sid, said(at(2023, 12, 24, 20, 1), "feeling", "calm"))
        assert added(busy, parse(text, "export.json").sessions) == 4
        records = busy.records()
    assert len(records) == 5 and len({r.id for r in records}) == 5
    assert len({a.id for r in records for a in r.answers}) == 8
    keys = {session_key(r) for r in records[1:]}
    assert keys == {session_key(r) for r in original.records()}


def test_a_file_partly_imported_adds_only_the_rest(original: Journal, tmp_path: Path) -> None:
    records = original.records()
    with Journal.open(tmp_path / "half.sqlite3") as half:
        assert added(half, parse(to_json(records[:2], BERLIN), "a").sessions) == 2
        found = parse(to_csv(records, BERLIN), "b")
        assert added(half, found.sessions) == 2
        assert to_csv(half.records(), BERLIN) == to_csv(records, BERLIN)


def test_an_edited_session_is_imported_as_another(original: Journal) -> None:
    doc = json.loads(to_json(original.records(), BERLIN))
    doc["sessions"][0]["answers"][1]["mood"] = 3
    found = parse(json.dumps(doc), "edited.json")
    assert added(original, found.sessions) == 1


def test_recordings_are_counted_but_never_imported(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "voice.sqlite3") as j:
        sid = j.start_session("nightly", ["Alex"], "vosk", at(2024, 5, 1, 21, 0))
        chunk = AudioChunk(16000, 2, 1, b"\x01\x00" * 1600)
        j.add_answer(sid, replace(said(at(2024, 5, 1, 21, 0, 5), "feeling", "fine"), audio=chunk))
        records = j.records()
    as_json, as_csv = to_json(records, BERLIN), to_csv(records, BERLIN)
    assert '"has_audio": true' in as_json and '"audio_recordings": 1' in as_json
    without = {  # what the journal can truthfully say once the recording stayed behind
        "json": as_json.replace('"has_audio": true', '"has_audio": false').replace(
            '"audio_recordings": 1', '"audio_recordings": 0'
        ),
        "csv": edit_row(as_csv, 2, "audio", "0"),
    }
    for fmt, text in (("json", as_json), ("csv", as_csv)):
        found = parse(text, "voice")
        assert found.recordings == 1
        with Journal.open(tmp_path / f"copy.{fmt}.sqlite3") as copy:
            added(copy, found.sessions)
            (answer,) = copy.records()[0].answers
            assert not answer.has_audio and copy.audio(answer.id) is None
            assert RENDER[fmt](copy.records(), BERLIN) == without[fmt]


def test_exports_from_before_written_at_still_import(original: Journal) -> None:
    records = original.records()
    doc = json.loads(to_json(records, BERLIN))
    for s in doc["sessions"]:
        for a in s["answers"]:
            del a["written_at"]
    out = io.StringIO()
    csv.writer(out).writerows(row[:-1] for row in csv.reader(io.StringIO(to_csv(records, BERLIN))))
    old_csv = out.getvalue()
    assert old_csv.splitlines()[0].endswith(",audio")
    for text in (json.dumps(doc), old_csv):
        found = parse(text, "old")
        answer = found.sessions[0].answers[0]
        assert answer.written_at == answer.ended_at == records[0].answers[0].ended_at


def test_the_format_is_told_by_the_content(original: Journal) -> None:
    records = original.records()
    as_json = "\ufeff\n  " + to_json(records, BERLIN)  # a byte-order mark and a blank line
    assert parse(as_json, "journal.csv").format == "json"
    crlf = to_csv(records, BERLIN).replace("\n", "\r\n")  # as a spreadsheet saves it
    found = parse(crlf, "journal.json")
    assert found.format == "csv" and len(found.sessions) == 4
    assert decode("\ufeffé".encode(), "x") == "é"


def test_a_failed_write_leaves_the_journal_as_it_was(original: Journal) -> None:
    before = to_json(original.records(), BERLIN)
    good = parse(to_json(original.records(), timezone(timedelta(hours=3))), "x").sessions
    fresh = [replace(s, started_at=s.started_at + 86400 * 365) for s in good]
    broken = replace(fresh[2], answers=(replace(fresh[2].answers[0], mood=9),))
    with pytest.raises(ValueError, match="mood"):  # the importer would have said so first
        added(original, [fresh[0], fresh[1], broken])
    assert to_json(original.records(), BERLIN) == before


def mistake(text: str, name: str = "export") -> str:
    with pytest.raises(InputError) as caught:
        parse(text, name)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(name)
    return message


@pytest.fixture
def csv_text(original: Journal) -> str:
    return to_csv(original.records(), BERLIN)


@pytest.fixture
def json_doc(original: Journal) -> dict[str, object]:
    doc: dict[str, object] = json.loads(to_json(original.records(), BERLIN))
    return doc


def edit_row(text: str, row: int, column: str, value: str) -> str:
    """*text* with one cell changed (*row* counts the header as 1)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows[row - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    ("row", "column", "value", "expected"),
    [
        (2, "mood", "7", 'export.csv:2: mood: "7" is not a mood, 1 to 5'),
        (3, "mood", "four", 'export.csv:3: mood: "four" is not a mood'),
        (2, "started_at", "2024-01-14 21:30", "export.csv:2: started_at: "),
        (2, "session_started_at", "2024-01-14T21:30:00", "has no UTC offset"),
        (2, "end_reason", "bored", 'end_reason: "bored" is not one of completed'),
        (2, "confidence", "high", 'export.csv:2: confidence: "high" is not a number'),
        (2, "audio", "yes", 'export.csv:2: audio: "yes" is not true or false'),
        (2, "session_id", "x", 'export.csv:2: session_id: "x" is not a whole number'),
        (3, "deck", "weekly", "export.csv:3: session 2 differs from line 2"),
        # Line 9, not row 7: the gratitude answer's transcript spans three lines.
        (2, "session_id", "3", "export.csv:9: session 3 goes on after another began"),
        (3, "answer_id", "", 'export.csv:3: answer_id: "" is not a whole number'),
    ],
)
def test_a_mistake_in_our_csv_names_its_line(
    csv_text: str, row: int, column: str, value: str, expected: str
) -> None:
    message = mistake(edit_row(csv_text, row, column, value), "export.csv")
    assert expected in message and "export the journal again" in message


def test_csv_structure_mistakes_are_one_line(csv_text: str) -> None:
    header, *rows = csv_text.splitlines(keepends=True)
    assert "export.csv:3: 3 values where the first line names 19" in mistake(
        header + rows[0] + "1,2,3\n", "export.csv"
    )
    assert "export.csv:3: not readable as CSV" in mistake(
        header + rows[0] + '1,"open\n', "export.csv"
    )
    assert "export.csv:1: no journal export's or Daylio's columns" in mistake(
        "name,when\nAlex,today\n", "export.csv"
    )
    assert "the file is empty" in mistake(" \n,,\n", "export.csv")


def test_a_mistake_in_our_json_names_its_place(json_doc: dict[str, object]) -> None:
    sessions: list[dict[str, object]] = json_doc["sessions"]  # type: ignore[assignment]
    answers: list[dict[str, object]] = sessions[2]["answers"]  # type: ignore[assignment]
    answers[1]["mood"] = 6
    assert "export.json: sessions[2].answers[1].mood: 6 is not a mood" in mistake(
        json.dumps(json_doc), "export.json"
    )
    answers[1]["mood"] = True
    assert "true is not a mood" in mistake(json.dumps(json_doc), "export.json")
    answers[1]["mood"] = None
    del sessions[1]["deck"]
    assert "export.json: sessions[1].deck: missing" in mistake(json.dumps(json_doc), "export.json")
    sessions[1]["deck"] = 7
    assert "sessions[1].deck: 7 is not text" in mistake(json.dumps(json_doc), "export.json")
    sessions[1]["deck"] = "d"
    sessions[0]["answers"] = ["not an object"]
    assert 'sessions[0].answers[0]: "not an object" is not an object' in mistake(
        json.dumps(json_doc), "export.json"
    )
    sessions[0]["answers"] = {}
    assert "sessions[0].answers: not a list" in mistake(json.dumps(json_doc), "export.json")


def test_json_that_is_not_our_export_is_refused(json_doc: dict[str, object]) -> None:
    text = json.dumps(json_doc, indent=2)
    assert mistake(text[:-40], "e.json").startswith("e.json:")
    assert "not valid JSON" in mistake(text[:-40], "e.json")
    assert "e.json: format: not " in mistake('{"format": "other", "sessions": []}', "e.json")
    newer = json.dumps({**json_doc, "version": 99})
    assert "e.json: version: 99; upgrade audio-companion" in mistake(newer, "e.json")
    no_sessions = {k: v for k, v in json_doc.items() if k != "sessions"}
    assert "e.json: sessions: missing" in mistake(json.dumps(no_sessions), "e.json")


def test_a_file_that_is_not_utf8_names_its_line() -> None:
    with pytest.raises(InputError, match=r"^bad\.csv:2: not UTF-8 text; save the file as UTF-8$"):
        decode(b"full_date,time\n2024-01-01,\xff\n", "bad.csv")
