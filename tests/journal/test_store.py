"""The journal file: private from its first byte, durable per answer, refusing foreign files."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import kill_after_two_answers  # type: ignore[import-not-found, unused-ignore]

from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import InputError, JournalError
from audio_companion.journal import Answer, Journal, default_journal_path, schema

T0 = datetime(2024, 5, 14, 21, 30).timestamp()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def answer(j: Journal, sid: int, **kw: object) -> int:
    fields: dict[str, object] = {
        "partner": "Alex",
        "step": "feeling",
        "kind": "open",
        "prompt": "How are you feeling today?",
        "transcript": "tired but okay",
        "mood": None,
        "confidence": None,
        "started_at": T0 + 10,
        "ended_at": T0 + 14,
    }
    fields.update(kw)
    return j.add_answer(sid, Answer(**fields))  # type: ignore[arg-type]


def test_default_path_follows_env_and_xdg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/someone")
    assert default_journal_path({"AUDIO_COMPANION_JOURNAL": "/x/j.db"}) == Path("/x/j.db")
    assert default_journal_path({"XDG_DATA_HOME": "/data"}) == Path(
        "/data/audio-companion/journal.sqlite3"
    )
    expected = Path("/home/someone/.local/share/audio-companion/journal.sqlite3")
    assert default_journal_path({}) == expected
    assert default_journal_path({"XDG_DATA_HOME": "relative/ignored"}) == expected


@pytest.mark.parametrize("mask", [0o022, 0o000, 0o277])
def test_new_journal_is_private_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    path = tmp_path / "made" / "here" / "journal.sqlite3"
    os.chmod(tmp_path, 0o755)
    with umask(mask), Journal.open(path) as j:
        sid = j.start_session("nightly", ["Alex"], "vosk", T0)
        answer(j, sid)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(path.parent.parent) == 0o700
    assert mode(tmp_path) == 0o755  # an existing folder is not ours to change


def test_file_is_private_before_any_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "journal.sqlite3"
    seen: list[tuple[int, int]] = []
    real_connect = sqlite3.connect

    def spy(database: str, *args: Any, **kw: Any) -> sqlite3.Connection:
        st = Path(database).stat()
        seen.append((stat.S_IMODE(st.st_mode), st.st_size))
        conn: sqlite3.Connection = real_connect(database, *args, **kw)
        return conn

    monkeypatch.setattr(sqlite3, "connect", spy)
    with umask(0o000):
        Journal.open(path).close()
    assert seen == [(0o600, 0)]


def test_existing_permissive_file_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal.open(path).close()
    os.chmod(path, 0o644)
    Journal.open(path).close()
    assert mode(path) == 0o600


def test_answers_are_persisted_in_order(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    tone = AudioChunk.from_int16(np.arange(1600, dtype="<i2"), 16000)
    with Journal.open(path) as j:
        sid = j.start_session("nightly", ["Alex", "Sam"], "whisper", T0)
        a1 = answer(j, sid, audio=tone, confidence=0.91)
        answer(j, sid, partner="Sam", step="mood", kind="mood", transcript="four", mood=4,
               started_at=T0 + 20, ended_at=T0 + 21)  # fmt: skip
        j.end_session(sid, T0 + 300, "completed")
    with Journal.open(path) as j:
        rec = j.session(sid)
        assert rec.partners == ("Alex", "Sam")
        assert rec.deck == "nightly" and rec.engine == "whisper"
        assert rec.end_reason == "completed" and rec.ended_at == T0 + 300
        assert [a.partner for a in rec.answers] == ["Alex", "Sam"]
        assert rec.answers[0].transcript == "tired but okay"
        assert rec.answers[0].confidence == pytest.approx(0.91)
        assert rec.answers[1].mood == 4 and rec.answers[0].mood is None
        assert rec.answers[0].audio_seconds == pytest.approx(0.1)
        assert rec.audio_count == 1
        back = j.audio(a1)
        assert back is not None and back.audio == tone.audio and back.rate == 16000
        assert j.audio(rec.answers[1].id) is None


def test_session_summaries_newest_first(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as j:
        old = j.start_session("nightly", ["Alex"], "vosk", T0)
        answer(j, old, mood=2)
        answer(j, old, mood=5)
        answer(j, old)
        new = j.start_session("short", ["Alex", "Sam"], "vosk", T0 + 86400)
        empty = j.sessions()
        assert [s.id for s in empty] == [new, old]
        assert empty[0].answer_count == 0 and empty[0].mean_mood is None
        assert empty[0].end_reason is None
        assert empty[1].answer_count == 3 and empty[1].mean_mood == pytest.approx(3.5)
        assert [s.id for s in j.sessions(limit=1)] == [new]


def test_moods_and_checkin_nights(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as j:
        sid = j.start_session("nightly", ["Alex", "Sam"], "vosk", T0)
        answer(j, sid, mood=3, started_at=T0, ended_at=T0 + 1)
        answer(j, sid, partner="Sam", mood=5, started_at=T0 + 2, ended_at=T0 + 3)
        answer(j, sid, started_at=T0 + 86400, ended_at=T0 + 86401)  # no mood
        answer(j, sid, mood=1, started_at=T0 + 2 * 86400, ended_at=T0 + 2 * 86400 + 1)
        points = j.moods()
        assert [(p.partner, p.mood) for p in points] == [("Alex", 3), ("Sam", 5), ("Alex", 1)]
        assert [p.mood for p in j.moods(since=T0 + 86400)] == [1]
        # The session's start decides its night, wherever its answers fall (as for recall);
        # a session without an answer is no check-in.
        j.start_session("nightly", ["Alex"], "vosk", T0 + 5 * 86400)
        assert j.checkin_nights() == {date(2024, 5, 14)}


def test_bad_values_are_refused_before_writing(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as j:
        sid = j.start_session("nightly", ["Alex"], "vosk", T0)
        with pytest.raises(ValueError, match="mood"):
            answer(j, sid, mood=6)
        with pytest.raises(ValueError, match="end reason"):
            j.end_session(sid, T0, "bored")  # type: ignore[arg-type]  # on purpose
        assert j.session(sid).answers == ()


def test_missing_session_is_a_journal_error(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as j:
        with pytest.raises(JournalError, match=r"no session 7; see: audio-companion journal list"):
            j.session(7)
        with pytest.raises(JournalError, match="no session 7"):
            answer(j, 7)
        with pytest.raises(JournalError, match="no session 7"):
            j.end_session(7, T0, "completed")
    assert issubclass(JournalError, InputError)


@pytest.mark.parametrize(
    "content", [b"this is not a database at all, just some text\n" * 40, b"SQLite format 3\x00junk"]
)
def test_corrupt_file_is_one_line_naming_it(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(content)
    with pytest.raises(JournalError) as err:
        Journal.open(path)
    message = str(err.value)
    assert str(path) in message and "\n" not in message
    assert path.read_bytes() == content  # never overwritten


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(JournalError, match="not an audio-companion journal"):
        Journal.open(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(JournalError, match="newer"):
        Journal.open(path)


def test_migration_hook_runs_missing_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal.open(path) as j:
        j.start_session("nightly", ["Alex"], "vosk", T0)

    def add_tags(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE sessions ADD COLUMN tags TEXT")

    future = schema.SCHEMA_VERSION + 1
    monkeypatch.setattr(schema, "SCHEMA_VERSION", future)
    monkeypatch.setitem(schema.MIGRATIONS, future, add_tags)
    with Journal.open(path) as j:
        assert len(j.sessions()) == 1
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == future
    assert "tags" in [r[1] for r in conn.execute("PRAGMA table_info(sessions)")]
    conn.close()


def test_answers_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    kill_after_two_answers(path)
    with Journal.open(path) as j:
        (summary,) = j.sessions()
        rec = j.session(summary.id)
    assert [a.transcript for a in rec.answers] == ["answer 0", "answer 1"]
    assert rec.end_reason is None  # killed before it ended
