"""What every text-to-speech engine shares: the voice a caller asks for, and the
interface every engine offers (``Synthesizer``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from audio_companion.audio.chunk import AudioChunk

# Narration pace per engine, measured with scripts/bench_quality.py on the seed:
# espeak-ng is understood better a little slower than prompts are spoken (160
# wpm: 9-10% word errors, 175: 12%); piper is best at its natural pace (175
# maps to length_scale 1.0: 5%; slowed to 160: 6%).
NARRATION_RATE_WPM = {"espeak": 160, "piper": 175}


@dataclass(frozen=True)
class VoiceSettings:
    """Which text-to-speech voice reads the episodes."""

    engine: str = "espeak"
    # espeak voice id (e.g. "gmw/en-US") or piper model (.onnx); None = engine default
    name: str | None = None
    rate_wpm: int = 175

    @classmethod
    def parse(cls, spec: str, rate_wpm: int | None = None) -> VoiceSettings:
        """A voice for narration: `espeak`, `espeak:NAME`, `piper`, `piper:MODEL.onnx`
        (a bare espeak voice name or .onnx path is understood too); without a rate,
        the engine's narration pace."""
        engine, sep, name = spec.strip().partition(":")
        if sep and engine in VOICE_ENGINES:
            voice = cls(engine, name.strip() or None)
        elif spec in VOICE_ENGINES:
            voice = cls(spec, None)
        elif spec.endswith(".onnx"):
            voice = cls("piper", spec)
        else:
            voice = cls("espeak", spec.strip() or None)
        return replace(voice, rate_wpm=rate_wpm or NARRATION_RATE_WPM[voice.engine])


VOICE_ENGINES = ("espeak", "piper")


class Synthesizer(Protocol):
    """Text in, speech out: every engine (espeak-ng, piper, the tests' fakes)."""

    @property
    def identity(self) -> str:
        """Names voice and settings; part of every cache key."""
        ...

    def synthesize(self, text: str) -> AudioChunk: ...
