"""Keep the assistant from hearing itself.

Without acoustic echo cancellation the microphone picks up our own prompts.
Two independent guards:

* :class:`HalfDuplexGate` drops microphone audio captured while a prompt plays
  and for a short tail after it (room reverb, output latency), so that audio
  never reaches the recogniser.
* :func:`is_echo` / :class:`EchoFilter` catch what leaks through anyway (a
  late timestamp, a loud speaker): a transcript that is mostly a word-for-word
  piece of a prompt we just spoke is the speaker talking, not the user.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from audio_companion.audio.chunk import AudioChunk


class HalfDuplexGate:
    """Admits microphone chunks only when none of their audio overlaps our own speech.

    Decisions use each chunk's capture timestamp, not its arrival time, so a
    chunk delivered late is still judged by when it was recorded. A chunk is
    rejected if ``[timestamp, timestamp + duration)`` touches
    ``[speaking start, speaking end + tail)``.
    """

    def __init__(
        self,
        tail_s: float = 0.3,
        clock: Callable[[], float] | None = None,
        history: int = 16,
    ) -> None:
        if tail_s < 0:
            raise ValueError("tail_s must not be negative")
        self.tail_s = tail_s
        self._clock = clock  # only for chunks without a timestamp
        self._spans: deque[tuple[float, float | None]] = deque(maxlen=history)

    @property
    def speaking(self) -> bool:
        return bool(self._spans) and self._spans[-1][1] is None

    def speaking_started(self, t: float) -> None:
        if not self.speaking:
            self._spans.append((t, None))

    def speaking_ended(self, t: float) -> None:
        if self.speaking:
            start, _ = self._spans[-1]
            self._spans[-1] = (start, max(start, t))

    def muted_at(self, t: float) -> bool:
        """Whether audio captured at instant ``t`` is our own (or its tail)."""
        return self._overlaps(t, t)

    def admit(self, chunk: AudioChunk) -> bool:
        if chunk.timestamp is not None:
            start = chunk.timestamp
        elif self._clock is not None:
            start = self._clock() - chunk.duration  # the clock reads when the chunk arrived
        else:
            raise ValueError("the gate needs timestamped chunks or a clock")
        return not self._overlaps(start, start + chunk.duration)

    def in_tail(self, chunk: AudioChunk) -> bool:
        """Whether a rejected chunk lies only in a tail: after our sound ended.

        Such audio may hold the first sound of a quick reply (the microphone's
        capture times and the speaker's play times agree only to about 0.1 s),
        so the loop keeps it as look-back for an utterance that starts right
        after, though it may never start one itself.
        """
        start = chunk.timestamp
        if start is None:
            return False
        stop = start + chunk.duration
        return self._overlaps(start, stop) and not self._overlaps(start, stop, tail_s=0.0)

    def _overlaps(self, a: float, b: float, tail_s: float | None = None) -> bool:
        tail = self.tail_s if tail_s is None else tail_s
        for start, end in self._spans:
            stop = None if end is None else end + tail
            # Half-open intervals: a chunk ending exactly at the start, or
            # starting exactly at the end of the tail, is clean.
            begins_before_stop = stop is None or a < stop
            ends_after_start = b > start if b > a else a >= start
            if begins_before_stop and ends_after_start:
                return True
        return False


class OpenGate(HalfDuplexGate):
    """Admits everything: the person hears us in headphones, so the microphone never does.

    Without a speaker in the room there is no echo to keep out, and the gate
    would only make the companion deaf while it talks: a stop word over the
    breathing countdown, or a reply that begins before a prompt's last word,
    would be lost. Our sounds are still recorded (`speaking`) for whoever asks.
    """

    def __init__(self) -> None:
        super().__init__(tail_s=0.0)

    def muted_at(self, t: float) -> bool:
        return False

    def admit(self, chunk: AudioChunk) -> bool:
        return True

    def in_tail(self, chunk: AudioChunk) -> bool:
        return False


_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def normalize_words(text: str) -> list[str]:
    """Lower-case words without punctuation; apostrophes inside words are dropped."""
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    return [w.replace("'", "") for w in _WORD.findall(text)]


def _lcs(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two word lists."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def is_echo(
    transcript: str,
    recent_prompts: Iterable[str],
    *,
    min_words: int = 3,
    containment: float = 0.7,
) -> bool:
    """True when ``transcript`` is mostly an in-order piece of one of ``recent_prompts``.

    Echo needs at least ``min_words`` transcript words found in order in the
    prompt *and* those words making up ``containment`` of the transcript. The
    word floor is what keeps real short replies ("yes", "good night" to "Good
    night", "I feel fine" to "How are you feeling today?") from being thrown
    away; prompts shorter than that are left to the half-duplex gate.
    """
    words = normalize_words(transcript)
    if len(words) < min_words:
        return False
    for prompt in recent_prompts:
        matched = _lcs(words, normalize_words(prompt))
        if matched >= min_words and matched >= containment * len(words):
            return True
    return False


@dataclass(frozen=True)
class _Spoken:
    text: str
    t: float


class EchoFilter:
    """Remembers the last few prompts and flags transcripts that repeat one of them.

    Only prompts spoken within ``window_s`` count: a user may well quote
    something the assistant said minutes ago.
    """

    def __init__(
        self,
        max_prompts: int = 5,
        window_s: float = 30.0,
        *,
        min_words: int = 3,
        containment: float = 0.7,
    ) -> None:
        self.window_s = window_s
        self.min_words = min_words
        self.containment = containment
        self._prompts: deque[_Spoken] = deque(maxlen=max_prompts)

    def remember(self, prompt: str, t: float) -> None:
        """Record a prompt spoken at time ``t`` (when it finished playing)."""
        self._prompts.append(_Spoken(prompt, t))

    def recent(self, now: float) -> list[str]:
        return [p.text for p in self._prompts if now - p.t <= self.window_s]

    def is_echo(self, transcript: str, now: float) -> bool:
        return is_echo(
            transcript,
            self.recent(now),
            min_words=self.min_words,
            containment=self.containment,
        )

    def clear(self) -> None:
        self._prompts.clear()
