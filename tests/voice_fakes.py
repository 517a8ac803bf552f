"""A simulated room for the voice loop: exact times, no devices, no real speech.

Every phrase is a pure tone of its own frequency; the fake recogniser hears
the loudest tone and returns the phrase registered for it. The room can leak
the speaker into the microphone, on time or late, to test the half-duplex
gate and echo rejection apart. Shared by the loop's tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from audio_companion.asr.base import Partial, Transcript, Word
from audio_companion.audio.chunk import AudioChunk
from audio_companion.tts.prompts import PromptCache
from audio_companion.voice.loop import LoopSettings, VoiceLoop

RATE = 16000
CHUNK = 480  # 30 ms


class Phrasebook:
    """Text ↔ tone frequency, shared by the fake voice, user and recogniser."""

    def __init__(self) -> None:
        self.freqs: dict[str, float] = {}

    def freq(self, text: str) -> float:
        return self.freqs.setdefault(text, 300.0 + 50.0 * len(self.freqs))

    def tone(self, text: str, seconds: float, amp: float = 0.3) -> np.ndarray:
        t = np.arange(round(seconds * RATE)) / RATE
        return amp * np.sin(2 * np.pi * self.freq(text) * t)

    def text_of(self, samples: np.ndarray) -> str:
        spectrum = np.abs(np.fft.rfft(samples.astype(float)))
        peak = np.fft.rfftfreq(len(samples), 1 / RATE)[int(np.argmax(spectrum))]
        return min(self.freqs, key=lambda k: abs(self.freqs[k] - peak))


@dataclass
class Done:
    start: float
    end: float

    def wait(self, timeout: float | None = None) -> bool:
        return True


@dataclass
class Room:
    book: Phrasebook
    leak: float = 0.0  # speaker → microphone gain
    leak_delay: float = 0.0  # seconds the leaked sound arrives late
    t: float = 100.0
    sounds: list[tuple[float, np.ndarray]] = field(default_factory=list)
    played: list[str] = field(default_factory=list)
    exhausted: bool = False
    mic_t: float = 100.0  # the microphone's position: it lags the clock while audio is queued

    # sink
    def play(self, chunk: AudioChunk, at: float | None = None) -> Done:
        samples = chunk.to_int16()[:, 0].astype(float) / 32768
        self.played.append(self.book.text_of(samples))
        start, end = self.t, self.t + chunk.duration
        if self.leak:
            self.sounds.append((start + self.leak_delay, samples * self.leak))
        self.t = end  # playback blocks until the sound is over
        return Done(start, end)

    # source
    def read(self, timeout: float = 1.0) -> AudioChunk | None:
        n0 = round(self.mic_t * RATE)
        buf = np.zeros(CHUNK)
        for at, s in self.sounds:
            off = round(at * RATE) - n0
            lo, hi = max(0, off), min(CHUNK, off + len(s))
            if lo < hi:
                buf[lo:hi] += s[lo - off : hi - off]
        chunk = AudioChunk.from_int16((buf * 32767).astype("<i2"), RATE, self.mic_t)
        self.mic_t += CHUNK / RATE
        self.t = max(self.t, self.mic_t)  # reading live audio waits for it to happen
        return chunk

    def clock(self) -> float:
        return self.t

    def user_says(self, text: str, after: float = 0.5, seconds: float = 1.0) -> None:
        self.sounds.append((self.t + after, self.book.tone(text, seconds)))


class ToneSynth:
    def __init__(self, book: Phrasebook) -> None:
        self.book = book
        self.identity = "tone"

    def synthesize(self, text: str) -> AudioChunk:
        s = self.book.tone(text, 1.5)
        return AudioChunk.from_int16((s * 32767).astype("<i2"), RATE)


class ToneRecognizer:
    name = "tone"

    def __init__(
        self, book: Phrasebook, partials: dict[str, str] | None = None, confidence: float = 0.9
    ) -> None:
        self.book = book
        self.confidence = confidence
        self.partials = partials or {}
        self.streaming = partials is not None
        self.asked: list[tuple[str, ...] | None] = []  # phrases of each call; None: answer mode

    def transcribe(self, chunk: AudioChunk, phrases: Sequence[str] | None = None) -> Transcript:
        self.asked.append(None if phrases is None else tuple(phrases))
        return self.hear(chunk)

    def hear(self, chunk: AudioChunk) -> Transcript:
        text = self.book.text_of(chunk.to_int16()[:, 0])
        word = Word(text, 0.0, chunk.duration, self.confidence)
        return Transcript.from_words((word,), self.name, text)

    def stream(self, phrases: Sequence[str] | None = None) -> ToneStream:
        self.asked.append(None if phrases is None else tuple(phrases))
        return ToneStream(self)


class ToneStream:
    def __init__(self, rec: ToneRecognizer) -> None:
        self.rec = rec
        self.audio: list[np.ndarray] = []

    def accept(self, chunk: AudioChunk) -> Partial | None:
        self.audio.append(chunk.to_int16()[:, 0])
        heard = self.rec.book.text_of(np.concatenate(self.audio))
        return Partial(self.rec.partials.get(heard, heard)) if len(self.audio) > 10 else None

    def finish(self) -> Transcript:
        return self.rec.hear(AudioChunk.from_int16(np.concatenate(self.audio), RATE))


class LoudEnough:
    def is_speech(self, frame: bytes, rate: int) -> bool:
        x = np.frombuffer(frame, dtype="<i2").astype(float)
        return bool(np.sqrt((x**2).mean()) > 300)


def make_loop(room: Room, **kw: object) -> VoiceLoop:
    book = room.book
    return VoiceLoop(
        source=room,
        sink=room,
        prompts=PromptCache(ToneSynth(book)),
        recognizer=kw.pop("recognizer", ToneRecognizer(book)),  # type: ignore[arg-type]
        settings=kw.pop("settings", LoopSettings()),  # type: ignore[arg-type]
        classifier=LoudEnough(),
        clock=room.clock,
        **kw,  # type: ignore[arg-type]
    )
