"""The one interface every offline speech recogniser offers.

An engine turns a whole utterance into a ``Transcript`` (``transcribe``) or
follows a live microphone (``stream``): the stream takes chunks as they come,
may report a ``Partial`` guess after each one, and gives the final
``Transcript`` when the caller decides the utterance is over.  Chunks may be
in any rate/channel format; engines convert to what they need.

Two modes, chosen per call by ``phrases``:

- **answer mode** (``phrases=None``): free speech, nothing primed; the
  transcript is whatever was said.
- **command mode** (a sequence of phrases: "stop", "pause", "yes", "four"...):
  only those phrases are expected at this moment.  Engines that can restrict
  decoding to them (Vosk, as a grammar) do; others are primed with them
  (Whisper's initial prompt).  Either way a result the engine does not trust
  (low confidence, non-speech, implausibly long) comes back with empty
  ``text``: a wrong command costs more than a missed one, which the person
  can repeat.  ``rejected`` then says what was heard, for logs only, and
  ``confidence`` (0..1) is meaningful, so the dialog can confirm a doubtful
  number.  Speech outside a restricted grammar comes back as ``[unk]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from audio_companion.audio.chunk import AudioChunk

UNKNOWN_WORD = "[unk]"


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the utterance
    end: float
    confidence: float  # 0..1


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...]
    confidence: float  # mean word confidence, 0 when nothing was recognised
    engine: str
    # Command mode only: what was heard but not trusted (the text is then empty).
    rejected: str = ""

    @classmethod
    def from_words(
        cls, words: tuple[Word, ...], engine: str, text: str | None = None
    ) -> Transcript:
        """Build from words; ``text`` defaults to the words joined with spaces."""
        if text is None:
            text = " ".join(w.text for w in words)
        conf = sum(w.confidence for w in words) / len(words) if words else 0.0
        return cls(text.strip(), words, conf, engine)

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Partial:
    """The engine's current guess at the whole utterance so far; it may still change."""

    text: str


@runtime_checkable
class RecognizerStream(Protocol):
    def accept(self, chunk: AudioChunk) -> Partial | None:
        """Feed the next piece of audio; returns a new guess, or None when there is none."""
        ...

    def finish(self) -> Transcript:
        """End the utterance and return the final result; the stream is then spent."""
        ...


@runtime_checkable
class Recognizer(Protocol):
    name: str
    # True when the engine decodes as audio arrives (partial results, and the
    # final result is ready moments after the utterance ends); False when it
    # decodes the whole utterance at the end.
    streaming: bool

    def transcribe(self, chunk: AudioChunk, phrases: Sequence[str] | None = None) -> Transcript:
        """Recognise one whole utterance: answer mode, or command mode with ``phrases``."""
        ...

    def stream(self, phrases: Sequence[str] | None = None) -> RecognizerStream:
        """Start a streaming session: answer mode, or command mode with ``phrases``."""
        ...
