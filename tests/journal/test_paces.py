"""The resonance pace in the journal: schema 2's `paces` table, its migration, read-back, table."""

from __future__ import annotations

import sqlite3
from datetime import timedelta, timezone
from pathlib import Path

import pytest

from audio_companion.errors import JournalError
from audio_companion.journal import Journal, rekey, schema
from audio_companion.journal.paces import Pace, PaceRecord, PaceStep, pace_table
from audio_companion.journal.passphrase import Passphrase

T0 = 1_750_000_000.0  # a fixed wall-clock second: nothing depends on today
STEPS = (
    PaceStep(6.5, 120.0, comfort=3, heard="three"),
    PaceStep(6.0, 120.0, comfort=4, heard="easier"),
    PaceStep(5.5, 120.0, comfort=None, heard=""),
)


def pace(at: float = T0, bpm: float = 6.0) -> Pace:
    return Pace(at, bpm, "comfort", "lehrer-stepped-6.5-4.5", STEPS)


def test_a_stored_pace_reads_back_whole(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as j:
        assert j.latest_pace() is None
        row = j.add_pace(pace())
        got = j.latest_pace()
    assert got is not None and got.id == row
    assert (got.measured_at, got.breaths_per_minute, got.measure) == (T0, 6.0, "comfort")
    assert got.protocol == "lehrer-stepped-6.5-4.5"
    assert got.steps == STEPS


def test_the_newest_measurement_wins_whatever_the_order_written(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as j:
        j.add_pace(pace(T0 + 86_400, 5.0))
        j.add_pace(pace(T0, 6.5))  # an older result written later (an import, a clock fix)
        got = j.latest_pace()
    assert got is not None and got.breaths_per_minute == 5.0


def test_paces_are_no_check_in_sessions(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as j:
        j.add_pace(pace())
        assert j.sessions() == [] and j.moods() == []


@pytest.mark.parametrize("bpm", [0.0, -1.0, 31.0, float("nan")])
def test_an_impossible_pace_is_refused_before_writing(bpm: float) -> None:
    with pytest.raises(ValueError, match="pace"):
        pace(bpm=bpm)


def test_a_version_1_journal_gains_the_table_and_keeps_its_sessions(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    schema.MIGRATIONS[1](conn)  # exactly what version 1 wrote, frozen
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(
        "INSERT INTO sessions (started_at, deck, partners, engine) VALUES (?, ?, '[]', 'x')",
        (T0, "nightly"),
    )
    conn.commit()
    conn.close()
    with Journal.open(path) as j:
        assert len(j.sessions()) == 1
        j.add_pace(pace())
        assert j.latest_pace() is not None
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 2
    conn.close()


def test_a_damaged_steps_column_is_one_journal_error(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal.open(path) as j:
        j.add_pace(pace())
    conn = sqlite3.connect(path)
    conn.execute("UPDATE paces SET steps = 'not json'")
    conn.commit()
    conn.close()
    with Journal.open(path) as j, pytest.raises(JournalError, match="unreadable steps"):
        j.latest_pace()


def test_an_encrypted_journal_keeps_the_pace_sealed(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    path = tmp_path / "j.sqlite3"
    secret = Passphrase("correct horse battery staple", "typed")
    Journal.open(path).close()
    rekey.encrypt(path, secret)
    with Journal.open(path, secret) as j:
        j.add_pace(pace())
    assert b"lehrer-stepped" not in path.read_bytes()
    with Journal.open(path, secret) as j:
        got = j.latest_pace()
    assert got is not None and got.steps == STEPS


def test_paces_read_back_oldest_first_and_the_newest_is_in_use(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as j:
        j.add_pace(pace(T0 + 86_400, 5.0))
        j.add_pace(pace(T0, 6.5))
        j.add_pace(pace(T0 + 86_400, 5.5))  # the same second: the later row is the newer
        paces = j.paces()
        latest = j.latest_pace()
    assert [(p.id, p.breaths_per_minute) for p in paces] == [(2, 6.5), (1, 5.0), (3, 5.5)]
    assert latest == paces[-1]


def test_the_table_shows_each_pace_with_its_steps() -> None:
    zone = timezone(timedelta(hours=2))
    older = PaceRecord(T0, 6.0, "comfort", "lehrer", STEPS, id=1)
    newer = PaceRecord(T0 + 86_400, 5.5, "hrv", "lehrer", (PaceStep(5.5, 60, 4, 41.5),), id=2)
    assert pace_table([newer, older], zone).splitlines() == [
        "when              breaths/min  measure  steps (breaths/min: comfort)",
        "2025-06-16 17:06          5.5  hrv      5.5: 4 (hrv 41.5)",
        "2025-06-15 17:06          6.0  comfort  6.5: 3, 6: 4, 5.5: -",
        "breathe --pattern resonance uses the newest: 5.5 a minute",
    ]
