"""The journal's SQLite schema and its migrations: what a journal file holds, by version.

A journal outlives many versions of the program, so the schema is versioned in
`PRAGMA user_version` and a file is only ever moved forward, one step at a time,
inside one transaction. The steps never change once released: a journal written
by an old version must come out of `migrate` exactly like a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Final, Literal, get_args

from audio_companion.errors import JournalError

SCHEMA_VERSION = 2
APPLICATION_ID = 0x41434A31  # "ACJ1": marks the file as an audio-companion journal

SessionEndReason = Literal["completed", "stop_word", "time_box", "interrupted"]
"""Why a check-in session ended, as the journal keeps it."""
END_REASONS: Final = frozenset(get_args(SessionEndReason))
# A released step is frozen: version 1 files also allow "no_answer" (which no
# version ever wrote) and spell out the mood scale, so that new files are
# created exactly as old ones were. The checks that matter run before writing.
_V1_END_REASONS: Final = ("completed", "interrupted", "no_answer", "stop_word", "time_box")

Migration = Callable[[sqlite3.Connection], None]


def _create_v1(conn: sqlite3.Connection) -> None:
    reasons = ", ".join(f"'{r}'" for r in _V1_END_REASONS)
    conn.execute(
        f"""CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started_at REAL NOT NULL,
            ended_at REAL,
            deck TEXT NOT NULL,
            partners TEXT NOT NULL DEFAULT '[]',
            engine TEXT NOT NULL,
            end_reason TEXT CHECK (end_reason IS NULL OR end_reason IN ({reasons}))
        )"""
    )
    # audio stays the last column: SQLite then never reads its overflow pages for
    # summaries, so listing years of sessions does not touch the recordings.
    conn.execute(
        """CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            partner TEXT,
            step TEXT NOT NULL,
            kind TEXT NOT NULL,
            prompt TEXT NOT NULL,
            transcript TEXT NOT NULL,
            mood INTEGER CHECK (mood IS NULL OR mood BETWEEN 1 AND 5),
            confidence REAL,
            started_at REAL NOT NULL,
            ended_at REAL NOT NULL,
            written_at REAL NOT NULL,
            audio_seconds REAL,
            audio BLOB
        )"""
    )
    conn.execute("CREATE INDEX answers_session ON answers(session_id)")
    conn.execute("CREATE INDEX sessions_started ON sessions(started_at)")


def _add_paces_v2(conn: sqlite3.Connection) -> None:
    """Version 2: a person's own resonance pace, one row per finished protocol.

    A table of its own, not a kind of check-in session: comfort ratings of a
    breathing pace are no mood, and must not reach `journal list` or the mood
    trend. `steps` is JSON (each pace tried, how it was rated), so that a
    future heart-rate sensor's numbers fit without another migration.
    """
    conn.execute(
        """CREATE TABLE paces (
            id INTEGER PRIMARY KEY,
            measured_at REAL NOT NULL,
            breaths_per_minute REAL NOT NULL
                CHECK (breaths_per_minute > 0 AND breaths_per_minute <= 30),
            measure TEXT NOT NULL CHECK (measure IN ('comfort', 'hrv')),
            protocol TEXT NOT NULL,
            steps TEXT NOT NULL DEFAULT '[]'
        )"""
    )
    conn.execute("CREATE INDEX paces_measured ON paces(measured_at)")


# MIGRATIONS[n] upgrades a journal at version n-1 to version n, inside one transaction.
# A future schema change appends a function here and bumps SCHEMA_VERSION.
MIGRATIONS: dict[int, Migration] = {1: _create_v1, 2: _add_paces_v2}


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the file to SCHEMA_VERSION, refusing files that are not ours or are newer."""
    conn.execute("BEGIN IMMEDIATE")  # the first real read: a non-SQLite file fails here
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        if app_id not in (0, APPLICATION_ID):
            raise JournalError(f"{path}: not an audio-companion journal (another SQLite file)")
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"{path}: written by a newer audio-companion (schema {version}); upgrade to read it"
            )
        if version == 0:
            tables = conn.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
            if tables:
                raise JournalError(f"{path}: not an audio-companion journal (another SQLite file)")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[target](conn)
        if version != SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    except BaseException:
        with suppress(Exception):  # sqlite3's error, or SQLCipher's on an encrypted journal
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
