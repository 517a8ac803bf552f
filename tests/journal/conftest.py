"""A diary to encrypt: sessions with answers, a few with recordings, and a way to check it whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from audio_companion.audio.chunk import AudioChunk
from audio_companion.journal import Answer, Journal, SessionRecord
from audio_companion.journal.passphrase import Passphrase

T0 = datetime(2025, 3, 2, 21, 30).timestamp()


def transcript(session: int, answer: int) -> str:
    """Words that would be found in the file's bytes if they were stored in the clear."""
    return f"lighthouse-{session}-{answer} the walk by the river"


def recording(seed: int, seconds: float = 0.5) -> AudioChunk:
    noise = np.random.default_rng(seed).integers(-8000, 8000, int(16000 * seconds), dtype="<i2")
    return AudioChunk.from_int16(noise, 16000)


@dataclass
class Diary:
    """A journal file and what it held when made: every re-key must keep exactly this."""

    path: Path
    records: list[SessionRecord]
    audio: dict[int, bytes]  # answer id -> the PCM it was given

    def check(self, passphrase: Passphrase | None = None) -> None:
        """Open the file (with *passphrase* if encrypted): every session, answer and
        recording is there, as made."""
        with Journal.open(self.path, passphrase) as j:
            assert j.records() == self.records
            for answer_id, pcm in self.audio.items():
                chunk = j.audio(answer_id)
                assert chunk is not None and chunk.audio == pcm, answer_id


def make_diary(path: Path, sessions: int, every: int = 5, seconds: float = 0.5) -> Diary:
    """*sessions* check-ins of three answers each; every *every*-th answer keeps a recording."""
    audio: dict[int, bytes] = {}
    with Journal.open(path) as j:
        for s in range(sessions):
            start = T0 + s * 86400
            sid = j.start_session("nightly", ["Alex", "Sam"], "vosk", start)
            for a in range(3):
                chunk = recording(s * 3 + a, seconds) if (s * 3 + a) % every == 0 else None
                answer_id = j.add_answer(
                    sid,
                    Answer(
                        partner=("Alex", "Sam")[a % 2],
                        step=f"step{a}",
                        kind="mood" if a == 1 else "open",
                        prompt="How are you feeling tonight?",
                        transcript=transcript(s, a),
                        mood=(s % 5) + 1 if a == 1 else None,
                        confidence=0.875,
                        started_at=start + 10 * a,
                        ended_at=start + 10 * a + 5,
                        audio=chunk,
                    ),
                )
                if chunk is not None:
                    audio[answer_id] = chunk.audio
            j.end_session(sid, start + 600, "completed")
        records = j.records()
    return Diary(path, records, audio)


DiaryMaker = Callable[..., Diary]


@pytest.fixture(scope="session")
def diary_factory() -> DiaryMaker:
    """`make_diary`, for tests that need a larger diary or several."""
    return make_diary


@pytest.fixture
def diary(tmp_path: Path) -> Diary:
    """A plain journal of 12 check-ins, 8 answers of which kept a recording."""
    return make_diary(tmp_path / "private" / "journal.sqlite3", 12)
