"""Voice engine name → synthesizer; ``make_synthesizer``.

Engines are imported when first asked for: piper and onnxruntime are an
optional extra, and a build that narrates with espeak-ng never loads them.
A new engine is one loader in the table below (and its name in
``tts.base.VOICE_ENGINES``, which parses ``--voice``).
"""

from __future__ import annotations

from collections.abc import Callable

from audio_companion.errors import InputError
from audio_companion.tts.base import Synthesizer, VoiceSettings

__all__ = ["ENGINES", "make_synthesizer"]


def _espeak(voice: VoiceSettings, threads: int | None) -> Synthesizer:
    from audio_companion.tts.espeak import Pyttsx3Synthesizer

    return Pyttsx3Synthesizer(voice)  # espeak-ng runs on one thread anyway


def _piper(voice: VoiceSettings, threads: int | None) -> Synthesizer:
    from audio_companion.tts.piper import PiperSynthesizer

    return PiperSynthesizer(voice, threads=threads)


_FACTORIES: dict[str, Callable[[VoiceSettings, int | None], Synthesizer]] = {
    "espeak": _espeak,
    "piper": _piper,
}
ENGINES = tuple(_FACTORIES)  # the same as tts.base.VOICE_ENGINES (a test checks)


def make_synthesizer(voice: VoiceSettings, threads: int | None = None) -> Synthesizer:
    """The synthesizer for *voice*. `threads` caps the engine's own threads
    (piper's onnxruntime; espeak-ng has one) when one process runs per core."""
    factory = _FACTORIES.get(voice.engine)
    if factory is None:
        raise InputError(f"unknown voice engine '{voice.engine}'; use: {', '.join(ENGINES)}")
    return factory(voice, threads)
