"""What every text-to-speech engine shares: the voice a caller asks for, and the
interface every engine offers (``Synthesizer``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from audio_companion.audio.chunk import AudioChunk

# Narration pace per engine, measured with scripts/bench_quality.py on the seed:
# espeak-ng is understood better a little slower than prompts are spoken (160
# wpm: 9-10% word errors, 175: 12%); piper is best at its natural pace (175
# maps to length_scale 1.0: 5%; slowed to 160: 6%); hibari too (175 maps to
# speed 1.0, about 180 wpm on a long sentence; see tts.hibari).
NARRATION_RATE_WPM = {"hibari": 175, "piper": 175, "espeak": 160}

# The engines `--voice` names, best first. "system" is espeak-ng through pyttsx3.
VOICE_ENGINES = ("hibari", "piper", "espeak")
ENGINE_ALIASES = {"system": "espeak"}
# `VoiceSettings()` means "the default voice": hibari when it is installed, else
# espeak-ng (tts.registry.default_voice resolves it when a synthesizer is made).
AUTO = "auto"


@dataclass(frozen=True)
class VoiceSettings:
    """Which text-to-speech voice speaks: an engine, a voice of it, and a pace.

    The default, engine "auto", is the default voice (resolved by
    `tts.registry`), at the pace prompts are spoken.
    """

    engine: str = AUTO
    # hibari voice ("heart"), espeak voice id (e.g. "gmw/en-US") or piper model
    # (.onnx); None = the engine's default
    name: str | None = None
    rate_wpm: int = 175

    @classmethod
    def parse(cls, spec: str, rate_wpm: int | None = None) -> VoiceSettings:
        """A voice for narration: `hibari[:VOICE]`, `piper[:MODEL.onnx]`, `espeak[:NAME]`
        or `system` (a bare espeak voice name or .onnx path is understood too);
        without a rate, the engine's narration pace. `auto` is left for
        `tts.registry.resolve` (it has no narration pace of its own)."""
        spec = spec.strip()
        engine, sep, name = spec.partition(":")
        engine = ENGINE_ALIASES.get(engine, engine)
        if sep and engine in VOICE_ENGINES:
            voice = cls(engine, name.strip() or None)
        elif engine in (*VOICE_ENGINES, AUTO):
            voice = cls(engine, None)
        elif spec.endswith(".onnx"):
            voice = cls("piper", spec)
        else:
            voice = cls("espeak", spec or None)
        return replace(voice, rate_wpm=rate_wpm or NARRATION_RATE_WPM.get(voice.engine, 175))


class Synthesizer(Protocol):
    """Text in, speech out: every engine (hibari, piper, espeak-ng, the tests' fakes)."""

    @property
    def identity(self) -> str:
        """Names voice and settings; part of every cache key."""
        ...

    def synthesize(self, text: str) -> AudioChunk: ...
