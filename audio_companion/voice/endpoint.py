"""Decide when the user started and stopped talking (voice-activity endpointing).

The recogniser should see one utterance at a time: from just before the first
syllable to a little after the last. The endpointer cuts the microphone stream
into such utterances from per-frame speech / non-speech decisions.

All timing comes from the chunks' timestamps (or an injected clock for chunks
without one), never from the wall clock inside the logic, so behaviour is
reproducible and tests need no sleeps. Lengths are counted in whole frames, so
"0.3 s of speech" means exactly ``round(0.3 / frame)`` frames.
"""

from __future__ import annotations

import importlib
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeAlias

import numpy as np

from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import MissingDependencyError

VAD_RATES = (8000, 16000, 32000, 48000)
VAD_FRAME_MS = (10, 20, 30)
_EPS = 1e-6  # timestamps are floats; treat differences below a microsecond as equal


class FrameClassifier(Protocol):
    """Says whether one frame (mono int16 bytes of 10/20/30 ms) contains speech."""

    def is_speech(self, frame: bytes, rate: int) -> bool: ...


@dataclass(frozen=True)
class EndpointSettings:
    """Endpointing thresholds; defaults follow other offline assistants (Rhasspy, Wyoming)."""

    rate: int = 16000
    frame_ms: int = 20
    start_speech_s: float = 0.3  # continuous speech needed before an utterance starts
    end_silence_s: float = 0.7  # trailing non-speech that ends it
    max_utterance_s: float = 30.0  # speech longer than this is cut (reason "max_length")
    no_speech_timeout_s: float | None = 8.0  # None = wait forever
    pre_roll_s: float = 0.4  # audio kept from before the detected onset
    # A frame this far below the utterance's loudest (-26 dB) is a pause in the
    # words (`trailing_pause_s`), even while the VAD still calls it speech.
    quiet_ratio: float = 0.05

    def __post_init__(self) -> None:
        if self.rate not in VAD_RATES:
            raise ValueError(f"rate must be one of {VAD_RATES}, not {self.rate}")
        if self.frame_ms not in VAD_FRAME_MS:
            raise ValueError(f"frame_ms must be one of {VAD_FRAME_MS}, not {self.frame_ms}")
        for name in ("start_speech_s", "end_silence_s", "max_utterance_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.pre_roll_s < 0:
            raise ValueError("pre_roll_s must not be negative")
        if not 0 <= self.quiet_ratio < 1:
            raise ValueError("quiet_ratio must be within [0, 1)")
        if self.no_speech_timeout_s is not None and self.no_speech_timeout_s <= 0:
            raise ValueError("no_speech_timeout_s must be positive or None")
        if self.max_frames <= self.start_frames:
            raise ValueError("max_utterance_s must be longer than start_speech_s")

    @property
    def frame_s(self) -> float:
        return self.frame_ms / 1000

    @property
    def frame_samples(self) -> int:
        return self.rate * self.frame_ms // 1000

    def _frames(self, seconds: float) -> int:
        return max(1, round(seconds / self.frame_s))

    @property
    def start_frames(self) -> int:
        return self._frames(self.start_speech_s)

    @property
    def end_frames(self) -> int:
        return self._frames(self.end_silence_s)

    @property
    def max_frames(self) -> int:
        return self._frames(self.max_utterance_s)

    @property
    def pre_roll_frames(self) -> int:
        return round(self.pre_roll_s / self.frame_s)


# Why the endpointer cut an utterance where it did (not why a session ended).
# "complete": the caller ended it early, the words being already a whole command.
CutReason: TypeAlias = Literal["silence", "max_length", "end_of_stream", "complete"]


@dataclass(frozen=True)
class UtteranceStarted:
    t: float  # when the start was decided (end of the confirming frame)
    speech_start: float  # onset of the speech run that triggered it


@dataclass(frozen=True)
class UtteranceEnded:
    t: float  # when the end was decided
    audio: AudioChunk  # pre-roll + speech + trailing silence; timestamp = first sample
    reason: CutReason
    speech_start: float


@dataclass(frozen=True)
class NoSpeechTimeout:
    t: float


EndpointEvent: TypeAlias = UtteranceStarted | UtteranceEnded | NoSpeechTimeout


class WebRtcVadClassifier:
    """The WebRTC VAD (GMM based, fast, well tested) via the ``webrtcvad-wheels`` package.

    Imported lazily so the rest of the package works where the wheel is missing.
    """

    def __init__(self, aggressiveness: int = 2) -> None:
        if aggressiveness not in (0, 1, 2, 3):
            raise ValueError("aggressiveness must be 0, 1, 2 or 3")
        self.aggressiveness = aggressiveness
        self._vad: Any = None

    def _load(self) -> Any:
        if self._vad is None:
            try:
                module = importlib.import_module("webrtcvad")
            except ImportError as exc:
                raise MissingDependencyError(
                    "the Python package webrtcvad",
                    "python3-webrtcvad",
                    " (or: pip install webrtcvad-wheels)",
                ) from exc
            self._vad = module.Vad(self.aggressiveness)
        return self._vad

    def is_speech(self, frame: bytes, rate: int) -> bool:
        ms = len(frame) // 2 * 1000 // rate if rate else 0
        if rate not in VAD_RATES or ms not in VAD_FRAME_MS or len(frame) != rate * ms // 500:
            raise ValueError(f"webrtcvad needs 10/20/30 ms int16 frames at {VAD_RATES} Hz")
        return bool(self._load().is_speech(frame, rate))


def frame_rms(frame: bytes) -> float:
    """RMS of int16 samples, in sample units (0 for an empty frame)."""
    samples = np.frombuffer(frame, dtype="<i2").astype(np.float64)
    return math.sqrt(float(np.mean(samples * samples))) if samples.size else 0.0


def frame_dbfs(frame: bytes) -> float:
    """RMS level of int16 samples relative to full scale, floored at -100 dBFS."""
    rms = frame_rms(frame) / 32768.0
    return max(-100.0, 20 * math.log10(rms)) if rms > 0 else -100.0


class EnergyClassifier:
    """Dependency-free fallback: speech = clearly louder than the recent noise floor.

    The floor is the quietest frame of the last ``window_s`` seconds (minimum
    statistics): speech has pauses between words that reveal the room noise,
    so the floor follows a fan switching on within ``window_s`` instead of
    counting it as endless speech. An absolute minimum keeps near-silence from
    ever being speech when the floor is very low.
    """

    def __init__(
        self, margin_db: float = 12.0, min_speech_dbfs: float = -50.0, window_s: float = 3.0
    ) -> None:
        if window_s <= 0:
            raise ValueError("window_s must be positive")
        self.margin_db = margin_db
        self.min_speech_dbfs = min_speech_dbfs
        self.window_s = window_s
        self._levels: deque[float] = deque()

    @property
    def noise_floor_dbfs(self) -> float | None:
        return min(self._levels) if self._levels else None

    def is_speech(self, frame: bytes, rate: int) -> bool:
        level = frame_dbfs(frame)
        frames = max(1, round(self.window_s * rate / max(1, len(frame) // 2)))
        self._levels.append(level)
        while len(self._levels) > frames:
            self._levels.popleft()
        floor = min(self._levels)
        return level >= max(floor + self.margin_db, self.min_speech_dbfs)

    def reset(self) -> None:
        self._levels.clear()


def default_classifier(aggressiveness: int = 2) -> FrameClassifier:
    """WebRTC VAD when installed, else the energy classifier."""
    try:
        importlib.import_module("webrtcvad")
    except ImportError:
        return EnergyClassifier()
    return WebRtcVadClassifier(aggressiveness)


@dataclass(frozen=True)
class _Frame:
    t: float
    data: bytes


class Endpointer:
    """Turns a stream of 16 kHz mono int16 chunks into utterance events.

    Feed chunks of any size to :meth:`process`; it re-frames them and returns
    the events the new audio caused. Call :meth:`reset` whenever the app starts
    listening for a new answer: it clears state and re-arms the no-speech
    timeout, which fires at most once per listening session.
    """

    def __init__(
        self,
        settings: EndpointSettings | None = None,
        classifier: FrameClassifier | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.settings = settings or EndpointSettings()
        self.classifier = classifier if classifier is not None else default_classifier()
        self._clock = clock  # only consulted for chunks without a timestamp
        s = self.settings
        self._frame_bytes = s.frame_samples * 2
        self._history: deque[_Frame] = deque(maxlen=s.pre_roll_frames + s.start_frames)
        self.reset()

    @property
    def in_utterance(self) -> bool:
        return self._utterance is not None

    @property
    def trailing_silence_s(self) -> float:
        """Non-speech since the last speech frame of the open utterance (0 outside one)."""
        return self._silence_run * self.settings.frame_s if self._utterance is not None else 0.0

    @property
    def trailing_pause_s(self) -> float:
        """How long the person has paused: VAD silence, or audio far below the utterance's
        loudest frame (`quiet_ratio`), whichever has lasted longer (0 outside one).

        webrtcvad holds a fading voice as speech for another 0.10-0.14 s (measured
        on the test voice), time a reply would otherwise wait on. This is for judging
        the words early (drafts, complete commands); the end silence that closes
        an utterance on its own stays the VAD's.
        """
        if self._utterance is None:
            return 0.0
        return max(self._silence_run, self._quiet_run) * self.settings.frame_s

    def set_start_speech(self, seconds: float) -> None:
        """The speech run that opens an utterance from now on, at most the settings' own.

        A one-word reply ("Four.", "Yes.") may hold the VAD for barely 0.3 s;
        where only such words are expected, a shorter run must do.
        """
        if seconds <= 0:
            raise ValueError("start speech must be positive")
        self._start_frames = min(self.settings.start_frames, self.settings._frames(seconds))

    def set_end_silence(self, seconds: float) -> None:
        """The trailing silence that ends an utterance from now on (the settings' until reset).

        A turn's patience depends on what is asked: a reflective answer may pause
        longer than a one-word command.
        """
        if seconds <= 0:
            raise ValueError("end silence must be positive")
        self._end_frames = self.settings._frames(seconds)

    def utterance_audio(self) -> AudioChunk | None:
        """The open utterance so far (pre-roll included), or None outside one."""
        if self._utterance is None:
            return None
        return AudioChunk(self.settings.rate, 2, 1, b"".join(self._utterance), self._utt_t)

    def end_now(self) -> UtteranceEnded | None:
        """Close the open utterance at the last frame seen (reason "complete"), if any.

        For a caller that knows the turn is over before the end silence has
        passed: the words so far already make a whole command.
        """
        if self._utterance is None:
            return None
        return self._end("complete", self._last_t)

    def reset(self, t: float | None = None) -> None:
        """Forget all audio; the no-speech timeout counts from ``t`` (or the next frame)."""
        self._pending = bytearray()
        self._pending_t = 0.0  # time of the first pending sample
        self._last_t = 0.0  # end of the last frame seen
        self._end_frames = self.settings.end_frames
        self._start_frames = self.settings.start_frames
        self._next_t: float | None = None  # where the stream continues, if known
        self._history.clear()
        self._run = 0  # consecutive speech frames while idle
        self._utterance: list[bytes] | None = None
        self._utt_t = 0.0
        self._onset_t = 0.0
        self._speech_frames = 0
        self._silence_run = 0
        self._quiet_run = 0  # frames far below the utterance's loudest, in a row
        self._peak_rms = 0.0
        self._timeout_armed = self.settings.no_speech_timeout_s is not None
        self._timeout_from = t

    def process(self, chunk: AudioChunk, *, look_back_only: bool = False) -> list[EndpointEvent]:
        """Events caused by `chunk`.

        With ``look_back_only`` the audio is kept only as pre-roll for an
        utterance that starts later, and counts as silence: it can neither
        start an utterance nor carry a speech run into the audio after it. The
        voice loop uses this for the duplex gate's tail, so a reply that begins
        as the gate opens keeps its first sound, while an echo of the prompt
        that outlasts the tail by a moment still needs a whole start run of
        its own (a soak run once heard "I do." from such an edge when tail
        audio counted toward the run).
        """
        s = self.settings
        if chunk.rate != s.rate or chunk.width != 2 or chunk.channels != 1:
            raise ValueError(
                f"endpointer needs {s.rate} Hz mono int16 audio, got "
                f"{chunk.rate} Hz, {chunk.width * 8} bit, {chunk.channels} ch"
            )
        if chunk.timestamp is not None:
            ts = chunk.timestamp
        elif self._clock is not None:
            ts = self._clock() - chunk.duration  # the clock reads when the chunk arrived
        else:
            ts = self._next_t if self._next_t is not None else 0.0
        if not self._pending:
            self._pending_t = ts
        elif self._next_t is None or abs(ts - self._next_t) > s.frame_s:
            # A gap (e.g. audio dropped by the duplex gate): a partial frame
            # cannot be stitched to audio from another time.
            self._pending.clear()
            self._pending_t = ts
        self._pending += chunk.audio
        self._next_t = ts + chunk.duration

        events: list[EndpointEvent] = []
        fb = self._frame_bytes
        n = len(self._pending) // fb
        base = self._pending_t
        for i in range(n):
            frame = bytes(self._pending[i * fb : (i + 1) * fb])
            events.extend(self._on_frame(base + i * s.frame_s, frame, look_back_only))
        del self._pending[: n * fb]
        self._pending_t = base + n * s.frame_s
        return events

    def flush(self) -> list[EndpointEvent]:
        """End of stream: close an open utterance (reason "end_of_stream")."""
        self._pending.clear()
        if self._utterance is None:
            return []
        end = self._pending_t
        return [self._end("end_of_stream", end)]

    def _on_frame(
        self, t: float, frame: bytes, look_back_only: bool = False
    ) -> list[EndpointEvent]:
        s = self.settings
        end = t + s.frame_s
        self._last_t = end
        speech = not look_back_only and self.classifier.is_speech(frame, s.rate)
        if self._utterance is not None:
            self._utterance.append(frame)
            self._speech_frames += 1
            self._silence_run = 0 if speech else self._silence_run + 1
            rms = frame_rms(frame)
            if speech:
                self._peak_rms = max(self._peak_rms, rms)
            quiet = rms < self._peak_rms * s.quiet_ratio
            self._quiet_run = self._quiet_run + 1 if quiet else 0
            if self._silence_run >= self._end_frames:
                return [self._end("silence", end)]
            if self._speech_frames >= s.max_frames:
                return [self._end("max_length", end)]
            return []

        if self._timeout_from is None:
            self._timeout_from = t
        self._history.append(_Frame(t, frame))
        self._run = self._run + 1 if speech else 0
        if self._run >= self._start_frames:
            return [self._start(end)]
        timeout = s.no_speech_timeout_s
        # A speech run in progress defers the timeout: the user may be starting to talk.
        if (
            self._timeout_armed
            and timeout is not None
            and self._run == 0
            and end >= self._timeout_from + timeout - _EPS
        ):
            self._timeout_armed = False
            return [NoSpeechTimeout(end)]
        return []

    def _start(self, t: float) -> UtteranceStarted:
        frames = list(self._history)
        onset = max(0, len(frames) - self._run)
        first = max(0, onset - self.settings.pre_roll_frames)
        self._utterance = [f.data for f in frames[first:]]
        self._utt_t = frames[first].t
        self._onset_t = frames[onset].t
        self._speech_frames = self._run
        self._silence_run = 0
        self._quiet_run = 0
        self._peak_rms = max(frame_rms(f.data) for f in frames[onset:])
        self._history.clear()
        self._run = 0
        self._timeout_armed = False
        return UtteranceStarted(t, self._onset_t)

    def _end(self, reason: CutReason, t: float) -> UtteranceEnded:
        assert self._utterance is not None
        audio = AudioChunk(self.settings.rate, 2, 1, b"".join(self._utterance), self._utt_t)
        self._utterance = None
        self._speech_frames = 0
        self._silence_run = 0
        self._quiet_run = 0
        return UtteranceEnded(t, audio, reason, self._onset_t)
