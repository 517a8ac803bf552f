"""What the journal holds, as Python values: sessions, answers and mood points.

Kept apart from `store` (which reads and writes them) so that exports, imports and the
check-in can name these types without the SQLite plumbing, and `store` stays readable.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

from audio_companion.audio.chunk import AudioChunk


@dataclass(frozen=True)
class SessionHead:
    """What a summary and a whole session both say of one session (its row in `sessions`)."""

    id: int
    started_at: float
    ended_at: float | None
    deck: str
    partners: tuple[str, ...]
    engine: str
    end_reason: str | None  # None: still running, or the process died before it ended


@dataclass(frozen=True)
class SessionSummary(SessionHead):
    """One line of `journal list`: a session without its answers."""

    answer_count: int
    mean_mood: float | None


@dataclass(frozen=True)
class SpokenAnswer:
    """What was asked and what was heard: the part an answer to store and a stored one share."""

    partner: str | None
    step: str
    kind: str
    prompt: str
    transcript: str
    mood: int | None
    confidence: float | None
    started_at: float  # wall-clock seconds
    ended_at: float


@dataclass(frozen=True)
class Answer(SpokenAnswer):
    """One answer as the check-in hears it, to store; `audio` only when recordings are kept."""

    audio: AudioChunk | None = None


@dataclass(frozen=True, kw_only=True)
class AnswerRecord(SpokenAnswer):
    """One stored answer. Audio is fetched separately (`Journal.audio`) to keep reads light."""

    id: int
    session_id: int
    written_at: float  # when the journal committed it: exported, so an import keeps it
    audio_seconds: float | None  # None: no recording kept

    @property
    def has_audio(self) -> bool:
        return self.audio_seconds is not None


@dataclass(frozen=True)
class SessionRecord(SessionHead):
    """A whole session with its answers in the order they were given."""

    answers: tuple[AnswerRecord, ...]

    @property
    def audio_count(self) -> int:
        return sum(1 for a in self.answers if a.has_audio)


@dataclass(frozen=True)
class MoodPoint:
    at: float
    partner: str | None
    mood: int


def wav_bytes(chunk: AudioChunk) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(chunk.channels)
        w.setsampwidth(chunk.width)
        w.setframerate(chunk.rate)
        w.writeframes(chunk.audio)
    return buf.getvalue()


def chunk_from_wav(data: bytes) -> AudioChunk:
    with wave.open(io.BytesIO(data), "rb") as w:
        return AudioChunk(
            w.getframerate(), w.getsampwidth(), w.getnchannels(), w.readframes(w.getnframes())
        )
