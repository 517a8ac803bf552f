"""Resonance paces come back too: export JSON, import into an empty journal, export: same bytes.

Times are fixed and zones explicit (Europe/Berlin, both of its offsets), so nothing here
depends on the clock, the date or the machine's zone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from audio_companion.errors import InputError
from audio_companion.journal import Answer, Journal, store
from audio_companion.journal.export import to_csv, to_json
from audio_companion.journal.importer import pace_key, parse, session_key
from audio_companion.journal.paces import Pace, PaceStep

BERLIN = ZoneInfo("Europe/Berlin")


def at(y: int, mo: int, d: int, h: int, mi: int, s: int = 0, micro: int = 0) -> float:
    return datetime(y, mo, d, h, mi, s, micro, tzinfo=BERLIN).timestamp()


PACES = (  # written out of the order they were measured in, so ids and export order differ
    Pace(
        at(2024, 7, 2, 21, 15, 9, 250000),
        6.0,
        "comfort",
        "lehrer-stepped-6.5-4.5",
        (
            PaceStep(6.5, 120.0, comfort=3, heard="three"),
            PaceStep(6.0, 120.0, comfort=4, heard='easier, "much" — leichter 😊'),
            PaceStep(5.5, 120, comfort=None, heard=""),  # stored whole: exported as 120.0
        ),
    ),
    Pace(
        at(2024, 1, 3, 20, 0),
        5.5,
        "hrv",
        "lehrer-stepped-6.5-4.5",
        (PaceStep(6.5, 90.25, 2, 38.5, "two"), PaceStep(5.5, 90.25, None, 52.125, "")),
    ),
    Pace(at(2024, 3, 1, 19, 0), 6.5, "comfort", "short", ()),
)


def export(j: Journal) -> str:
    return to_json(j.records(), BERLIN, j.paces())


@pytest.fixture
def original(tmp_path: Path) -> Iterator[Journal]:
    """Three paces and one check-in, as `breathe --find-resonance` and a check-in leave them."""
    with Journal.open(tmp_path / "original.sqlite3") as j:
        for pace in PACES:
            j.add_pace(pace)
        t = at(2024, 1, 3, 21, 30)
        sid = j.start_session("nightly", ["Alex"], "vosk", t)
        j.add_answer(sid, Answer("Alex", "mood", "mood", "Mood?", "four", 4, 0.5, t + 1, t + 3))
        j.end_session(sid, t + 60, "completed")
        yield j


def import_into(j: Journal, text: str) -> tuple[int, int]:
    found = parse(text, "export.json")
    return j.add_import(found.sessions, session_key, found.paces, pace_key)


def test_export_import_export_gives_the_same_bytes(original: Journal, tmp_path: Path) -> None:
    first = export(original)
    assert "+01:00" in first and "+02:00" in first
    with Journal.open(tmp_path / "copy.sqlite3") as copy:
        assert import_into(copy, first) == (1, 3)
        assert export(copy) == first
        assert [p.id for p in copy.paces()] == [p.id for p in original.paces()] == [2, 3, 1]
        latest = copy.latest_pace()
        assert latest is not None and latest.breaths_per_minute == 6.0


def test_every_field_of_a_pace_is_in_the_export(original: Journal) -> None:
    summer = json.loads(export(original))["paces"][2]
    assert summer["measured_at"] == "2024-07-02T21:15:09.250000+02:00"
    assert (summer["breaths_per_minute"], summer["measure"]) == (6.0, "comfort")
    assert summer["protocol"] == "lehrer-stepped-6.5-4.5"
    assert summer["steps"][1] == {
        "breaths_per_minute": 6.0,
        "seconds": 120.0,
        "comfort": 4,
        "hrv": None,
        "heard": 'easier, "much" — leichter 😊',
    }


def test_importing_twice_adds_no_pace(original: Journal) -> None:
    assert import_into(original, export(original)) == (0, 0)
    assert len(original.paces()) == 3


def test_a_pace_measured_again_is_another(original: Journal) -> None:
    doc = json.loads(export(original))
    doc["paces"][0]["steps"][0]["comfort"] = 4  # rated otherwise: not the same measurement
    assert import_into(original, json.dumps(doc)) == (0, 1)
    assert len(original.paces()) == 4


def test_ids_are_renumbered_where_they_are_taken(original: Journal, tmp_path: Path) -> None:
    with Journal.open(tmp_path / "busy.sqlite3") as busy:
        busy.add_pace(Pace(at(2023, 5, 5, 20, 0), 5.0, "comfort", "other"))  # takes id 1
        assert import_into(busy, export(original)) == (1, 3)
        paces = busy.paces()
    assert sorted(p.id for p in paces) == [1, 2, 3, 4]
    assert [p.protocol for p in paces if p.id == 1] == ["other"]


def test_csv_carries_no_paces(original: Journal) -> None:
    # One row per answer: a pace is no answer (see `export`); JSON is the export that keeps them.
    assert parse(to_csv(original.records(), BERLIN), "export.csv").paces == ()


def test_exports_from_before_paces_still_import(original: Journal) -> None:
    doc = json.loads(export(original))
    del doc["paces"]
    doc["version"] = 1
    found = parse(json.dumps(doc), "old.json")
    assert found.paces == () and len(found.sessions) == 1


def test_a_failed_write_leaves_no_pace(
    original: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = export(original)
    rows = iter([True, False])
    real = store.pace_row

    def second_fails(pace: Pace, row_id: int | None = None) -> dict[str, object]:
        if not next(rows):
            raise OSError("disk full")
        return real(pace, row_id)

    with Journal.open(tmp_path / "copy.sqlite3") as copy:
        monkeypatch.setattr(store, "pace_row", second_fails)
        with pytest.raises(OSError):
            import_into(copy, text)
        assert copy.paces() == [] and copy.records() == []


def edit(doc: dict[str, Any], path: str, value: object) -> str:
    """*doc* as text with the value at *path* ("paces.0.steps.1.comfort") set, or deleted when
    *value* is DELETE."""
    *parents, last = path.split(".")
    node: Any = doc
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is DELETE:
        del node[last]
    else:
        node[int(last) if isinstance(node, list) else last] = value
    return json.dumps(doc)


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("paces.0.steps.1.comfort", 7, "paces[0].steps[1].comfort: 7 is not a comfort rating"),
        ("paces.0.steps.1.comfort", True, "paces[0].steps[1].comfort: true is not a comfort"),
        ("paces.1.measure", "mood", 'paces[1].measure: "mood" is not one of comfort, hrv'),
        ("paces.2.breaths_per_minute", 45, "paces[2].breaths_per_minute: 45 is not a pace"),
        ("paces.2.steps.0.breaths_per_minute", 0, "paces[2].steps[0].breaths_per_minute: 0 "),
        ("paces.0.measured_at", "2024-01-03 20:00", "paces[0].measured_at: "),
        ("paces.0.measured_at", "2024-01-03T20:00:00", "has no UTC offset"),
        ("paces.0.steps.0.heard", DELETE, "paces[0].steps[0].heard: missing"),
        ("paces.0.steps.0.heard", 3, "paces[0].steps[0].heard: 3 is not text"),
        ("paces.0.steps.1.hrv", "high", 'paces[0].steps[1].hrv: "high" is not a number'),
        ("paces.0.steps.0.seconds", -1, "paces[0].steps[0].seconds: -1 is not a length"),
        ("paces.0.steps.0", 3, "paces[0].steps[0]: 3 is not an object"),
        ("paces.0.steps", {}, "paces[0].steps: not a list"),
        ("paces.1.id", 0, "paces[1].id: 0 is not a whole number of 1 or more"),
        ("paces.1.protocol", DELETE, "paces[1].protocol: missing"),
        ("paces", {}, "export.json: paces: not a list"),
        ("paces", DELETE, "export.json: paces: missing"),
    ],
)
def test_a_mistake_in_a_pace_names_its_place(
    original: Journal, path: str, value: object, expected: str
) -> None:
    doc = json.loads(export(original))
    with pytest.raises(InputError) as caught:
        parse(edit(doc, path, value), "export.json")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("export.json: ")
    assert expected in message and "export the journal again" in message
