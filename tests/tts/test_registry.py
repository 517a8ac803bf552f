"""tts/registry.py: voice engine name → synthesizer."""

from __future__ import annotations

import pytest

from audio_companion.errors import InputError
from audio_companion.tts.base import VOICE_ENGINES, Synthesizer, VoiceSettings
from audio_companion.tts.espeak import Pyttsx3Synthesizer
from audio_companion.tts.registry import ENGINES, make_synthesizer


def test_every_voice_engine_has_a_factory() -> None:
    assert ENGINES == VOICE_ENGINES


def test_espeak_is_made_without_loading_anything() -> None:
    synth: Synthesizer = make_synthesizer(VoiceSettings())
    assert isinstance(synth, Pyttsx3Synthesizer)
    assert synth.identity == "pyttsx3-espeak:default:175"


def test_unknown_engine_is_unusable_input() -> None:
    with pytest.raises(InputError, match="unknown voice engine 'festival'; use: espeak, piper"):
        make_synthesizer(VoiceSettings(engine="festival"))
