"""The private check-in journal: one SQLite file, written the moment each answer is given.

What people say in a nightly check-in is intimate, so the file is created 0600 before a single
byte of it is written (see `private`); its schema and migrations are in `schema`.
Each answer is its own committed transaction with `synchronous=FULL`, so an answer survives the
process being killed (or the power going) the instant `add_answer` returns. The default rollback
journal is used rather than WAL: at rest the journal is one file, easy to back up or delete.
An encrypted journal is the same database sealed by SQLCipher (see `sealed`): `Journal.open`
takes its passphrase, and everything below works on it unchanged.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import wave
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import date, tzinfo
from pathlib import Path
from typing import Any, TypeVar

from audio_companion import paths
from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import JournalError
from audio_companion.journal.connect import Connection, open_file
from audio_companion.journal.lock import SharedLock, shared
from audio_companion.journal.mood import validate_mood
from audio_companion.journal.nights import nights_at
from audio_companion.journal.paces import PACE_COLUMNS, Pace, PaceRecord, pace_from_row, pace_row
from audio_companion.journal.passphrase import Passphrase
from audio_companion.journal.private import create_or_repair
from audio_companion.journal.records import (
    Answer,
    AnswerRecord,
    MoodPoint,
    SessionHead,
    SessionRecord,
    SessionSummary,
    SpokenAnswer,
    chunk_from_wav,
    wav_bytes,
)
from audio_companion.journal.schema import END_REASONS, SessionEndReason
from audio_companion.journal.sealed import kind_of, remove_staging

# The record types live in `records`; they are exported from here too, where they always were.
__all__ = [
    "LIST_HINT",
    "Answer",
    "AnswerRecord",
    "Journal",
    "MoodPoint",
    "SessionHead",
    "SessionRecord",
    "SessionSummary",
    "SpokenAnswer",
    "default_journal_path",
]

LIST_HINT = "see: audio-companion journal list"

_SESSION_COLUMNS = "id, started_at, ended_at, deck, partners, engine, end_reason"
_ANSWER_COLUMNS = "id, session_id, partner, step, kind, prompt, transcript, mood, confidence, " + (
    "started_at, ended_at, written_at"
)


def _insert(table: str, columns: str) -> str:
    """An INSERT of *columns* by name, so a record's fields (`vars`) fill it."""
    return f"INSERT INTO {table} ({columns}) VALUES (:{columns.replace(', ', ', :')})"


def default_journal_path(environ: Mapping[str, str] | None = None) -> Path:
    """$AUDIO_COMPANION_JOURNAL, else $XDG_DATA_HOME/audio-companion/journal.sqlite3.

    Data, not cache: losing it loses the diary, so it lives under XDG_DATA_HOME.
    """
    return paths.journal_path(environ)


_Session = TypeVar("_Session", SessionSummary, SessionRecord)


class Journal:
    """The check-in journal. Open with `Journal.open(path)`; use as a context manager.

    Safe to share between the voice loop's threads: calls are serialised by a lock.
    """

    def __init__(self, opened: Connection, path: Path, file_lock: SharedLock | None = None) -> None:
        self._conn = opened.conn
        self._db_errors = opened.errors  # sqlite3's, or SQLCipher's too for an encrypted one
        self._row = opened.row
        self.encrypted = opened.encrypted
        self.path = path
        self._lock = threading.Lock()
        self._file_lock = file_lock

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, passphrase: Passphrase | None = None) -> Journal:
        """Open (creating if needed) the journal at *path*, private and at the current schema.

        An encrypted journal needs its *passphrase* (ignored for a plain one). The file stays
        locked (shared) while open, so that no re-key replaces it under a check-in.
        Raises JournalError, naming the file, when it is not a journal, cannot be made private,
        or is encrypted and the passphrase is missing or wrong (then nothing is written).
        """
        path = Path(path).expanduser()
        try:
            create_or_repair(path)
            file_lock = shared(path)
        except JournalError:
            raise
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise JournalError(f"{path}: cannot create or secure the journal ({reason})") from exc
        try:
            remove_staging(path)  # what a killed re-key left; none runs while we hold the lock
            header = file_lock.header()
            opened = open_file(path, kind_of(header, path), header, passphrase)
        except BaseException:
            file_lock.release()
            raise
        return cls(opened, path, file_lock)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            if self._file_lock is not None:
                self._file_lock.release()  # after the connection: see `lock` on why

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction; SQLite errors become one-line JournalErrors."""
        with self._lock, self._errors():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                with suppress(*self._db_errors):
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except self._db_errors as exc:
            raise JournalError(f"{self.path}: journal error ({exc})") from exc

    def start_session(
        self, deck: str, partners: Sequence[str], engine: str, started_at: float
    ) -> int:
        """Record that a session began; returns its id for `add_answer` and `end_session`."""
        names = json.dumps([str(p) for p in partners], ensure_ascii=False)
        with self._transaction() as conn:
            cur = conn.execute(
                "INSERT INTO sessions (started_at, deck, partners, engine) VALUES (?, ?, ?, ?)",
                (float(started_at), deck, names, engine),
            )
            return int(cur.lastrowid or 0)

    def add_answer(self, session_id: int, answer: Answer) -> int:
        """Store one answer and commit it before returning (durable against SIGKILL/power loss).

        Raises ValueError for a mood off the scale (a caller bug), JournalError for an unknown
        session.
        """
        mood, audio = answer.mood, answer.audio
        if mood is not None:
            validate_mood(mood)
        blob = wav_bytes(audio) if audio is not None else None
        seconds = audio.duration if audio is not None else None
        with self._transaction() as conn:
            if (
                conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone()
                is None
            ):
                raise JournalError(f"no session {session_id}; {LIST_HINT}")
            cur = conn.execute(
                """INSERT INTO answers (session_id, partner, step, kind, prompt, transcript,
                       mood, confidence, started_at, ended_at, written_at, audio_seconds, audio)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    session_id,
                    answer.partner,
                    answer.step,
                    answer.kind,
                    answer.prompt,
                    answer.transcript,
                    None if mood is None else int(mood),
                    None if answer.confidence is None else float(answer.confidence),
                    float(answer.started_at),
                    float(answer.ended_at),
                    time.time(),
                    seconds,
                    blob,
                ),
            )
            return int(cur.lastrowid or 0)

    def end_session(self, session_id: int, ended_at: float, reason: SessionEndReason) -> None:
        """Mark a session finished. Calling it again overwrites the earlier end."""
        if reason not in END_REASONS:
            raise ValueError(f"end reason must be one of {sorted(END_REASONS)}, not {reason!r}")
        with self._transaction() as conn:
            cur = conn.execute(
                "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?",
                (float(ended_at), reason, session_id),
            )
            if cur.rowcount == 0:
                raise JournalError(f"no session {session_id}; {LIST_HINT}")

    def add_import(
        self,
        records: Sequence[SessionRecord],
        key: Callable[[SessionRecord], Hashable],
        paces: Sequence[PaceRecord],
        pace_key: Callable[[PaceRecord], Hashable],
    ) -> tuple[int, int]:
        """Add whole sessions and resonance paces (an import) in one transaction; returns how
        many sessions and how many paces were added.

        Those whose `key` (`pace_key`) matches one already in the journal are skipped (importing
        a file twice adds nothing). Ids are kept when given, distinct and free, as in an empty
        journal, so an export imported there exports again identically. A bad value leaves
        nothing written, sessions or paces.
        """
        with self._transaction() as conn:
            present = {key(r) for r in self._all_records()}
            new = [r for r in records if key(r) not in present]
            for rec in new:
                ids = [("sessions", rec.id)] + [("answers", a.id) for a in rec.answers]
                keep = len(set(ids)) == len(ids) and all(
                    i > 0 and not conn.execute(f"SELECT 1 FROM {t} WHERE id = ?", (i,)).fetchall()
                    for t, i in ids
                )
                partners = json.dumps(list(rec.partners), ensure_ascii=False)
                row = {**vars(rec), "id": rec.id if keep else None, "partners": partners}
                sid = conn.execute(_insert("sessions", _SESSION_COLUMNS), row).lastrowid
                for a in rec.answers:
                    if a.mood is not None:
                        validate_mood(a.mood)
                    answer = {**vars(a), "id": a.id if keep else None, "session_id": sid}
                    conn.execute(_insert("answers", _ANSWER_COLUMNS), answer)
            known = {pace_key(p) for p in self._all_paces()}
            fresh = [p for p in paces if pace_key(p) not in known]
            for pace in fresh:  # an id repeated in the file is taken by then: renumbered
                taken = conn.execute("SELECT 1 FROM paces WHERE id = ?", (pace.id,)).fetchall()
                row_id = pace.id if pace.id > 0 and not taken else None
                conn.execute(_insert("paces", PACE_COLUMNS), pace_row(pace, row_id))
        return len(new), len(fresh)

    def add_pace(self, pace: Pace) -> int:
        """Keep a resonance protocol's result; the newest one is the person's pace from then on."""
        with self._transaction() as conn:
            cur = conn.execute(_insert("paces", PACE_COLUMNS), pace_row(pace))
            return int(cur.lastrowid or 0)

    def latest_pace(self) -> PaceRecord | None:
        """The pace found last (by when it was measured), or None before any protocol ran."""
        rows = self._query("SELECT * FROM paces ORDER BY measured_at DESC, id DESC LIMIT 1")
        return pace_from_row(rows[0], str(self.path)) if rows else None

    def paces(self) -> list[PaceRecord]:
        """Every resonance pace kept, oldest first: what an export and `journal paces` show."""
        with self._lock, self._errors():
            return self._all_paces()

    def _all_paces(self) -> list[PaceRecord]:
        rows = self._rows("SELECT * FROM paces ORDER BY measured_at, id")
        return [pace_from_row(r, str(self.path)) for r in rows]

    # -- reading -----------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """Rows as mappings; the caller holds the lock (so a transaction can read too)."""
        cur = self._conn.execute(sql, tuple(params))
        cur.row_factory = self._row
        return list(cur.fetchall())

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock, self._errors():
            return self._rows(sql, params)

    def sessions(self, limit: int | None = None) -> list[SessionSummary]:
        """Session summaries, newest first, with answer count and mean mood."""
        sql = """SELECT s.id, s.started_at, s.ended_at, s.deck, s.partners, s.engine,
                        s.end_reason, COUNT(a.id) AS answer_count, AVG(a.mood) AS mean_mood
                 FROM sessions s LEFT JOIN answers a ON a.session_id = s.id
                 GROUP BY s.id ORDER BY s.started_at DESC, s.id DESC"""
        params: tuple[object, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (max(0, int(limit)),)
        return [
            self._session(
                SessionSummary, r, answer_count=r["answer_count"], mean_mood=r["mean_mood"]
            )
            for r in self._query(sql, params)
        ]

    def session(self, session_id: int) -> SessionRecord:
        """One session with its answers in order; JournalError if there is no such session."""
        with self._lock, self._errors():
            rows = self._rows("SELECT * FROM sessions WHERE id = ?", (session_id,))
            if not rows:
                raise JournalError(f"no session {session_id}; {LIST_HINT}")
            answers = self._answers("WHERE session_id = ?", (session_id,))
        return self._record(rows[0], answers.get(session_id, []))

    def records(self) -> list[SessionRecord]:
        """Every session with its answers, oldest first: what an export needs, without audio."""
        with self._lock, self._errors():
            return self._all_records()

    def _all_records(self) -> list[SessionRecord]:
        answers = self._answers("", ())
        rows = self._rows("SELECT * FROM sessions ORDER BY started_at, id")
        return [self._record(r, answers.get(r["id"], [])) for r in rows]

    def audio(self, answer_id: int) -> AudioChunk | None:
        """The recording kept with an answer, or None."""
        rows = self._query("SELECT audio FROM answers WHERE id = ?", (answer_id,))
        if not rows or rows[0]["audio"] is None:
            return None
        try:
            return chunk_from_wav(bytes(rows[0]["audio"]))
        except (wave.Error, EOFError, ValueError) as exc:
            raise JournalError(f"{self.path}: answer {answer_id} has unreadable audio") from exc

    def moods(self, since: float | None = None) -> list[MoodPoint]:
        """Every mood rating (optionally from *since* on), oldest first."""
        sql = "SELECT started_at, partner, mood FROM answers WHERE mood IS NOT NULL"
        params: tuple[object, ...] = ()
        if since is not None:
            sql += " AND started_at >= ?"
            params = (float(since),)
        sql += " ORDER BY started_at, id"
        return [
            MoodPoint(r["started_at"], r["partner"], int(r["mood"]))
            for r in self._query(sql, params)
        ]

    def checkin_nights(self, tz: tzinfo | None = None) -> set[date]:
        """The check-in nights (`nights.night_of`, read in *tz*, None: this machine's zone) on
        which a session with at least one answer began: what the streak is counted over.

        A session's start decides, as for the spoken recall, so that a check-in running from
        23:50 past midnight is one night, and both count it alike.
        """
        rows = self._query(
            """SELECT DISTINCT started_at FROM sessions s
               WHERE EXISTS (SELECT 1 FROM answers a WHERE a.session_id = s.id)"""
        )
        return nights_at((r["started_at"] for r in rows), tz)

    # -- helpers -----------------------------------------------------------------------

    def _answers(self, where: str, params: Sequence[object]) -> dict[int, list[AnswerRecord]]:
        rows = self._rows(
            f"""SELECT id, session_id, partner, step, kind, prompt, transcript, mood, confidence,
                       started_at, ended_at, written_at, audio_seconds
                FROM answers {where} ORDER BY started_at, id""",
            params,
        )
        out: dict[int, list[AnswerRecord]] = {}
        for r in rows:
            out.setdefault(r["session_id"], []).append(
                AnswerRecord(
                    id=r["id"],
                    session_id=r["session_id"],
                    partner=r["partner"],
                    step=r["step"],
                    kind=r["kind"],
                    prompt=r["prompt"],
                    transcript=r["transcript"],
                    mood=None if r["mood"] is None else int(r["mood"]),
                    confidence=r["confidence"],
                    started_at=r["started_at"],
                    ended_at=r["ended_at"],
                    written_at=r["written_at"],
                    audio_seconds=r["audio_seconds"],
                )
            )
        return out

    def _record(self, row: sqlite3.Row, answers: list[AnswerRecord]) -> SessionRecord:
        return self._session(SessionRecord, row, answers=tuple(answers))

    def _session(self, cls: type[_Session], row: sqlite3.Row, **rest: Any) -> _Session:
        """A summary or a whole session: the columns both read from `row`, the rest as given."""
        return cls(
            id=row["id"],
            started_at=row["started_at"],
            ended_at=row["ended_at"],
            deck=row["deck"],
            partners=self._partners(row["partners"]),
            engine=row["engine"],
            end_reason=row["end_reason"],
            **rest,
        )

    def _partners(self, text: str) -> tuple[str, ...]:
        try:
            value = json.loads(text)
        except (TypeError, ValueError):
            value = None
        if not isinstance(value, list):
            raise JournalError(f"{self.path}: a session's partners are not a JSON list")
        return tuple(str(p) for p in value)
