from __future__ import annotations

import pytest

from audio_companion.podcast.settings import BuildSettings
from audio_companion.tts.base import AUTO, NARRATION_RATE_WPM, VoiceSettings


@pytest.mark.parametrize(
    ("spec", "engine", "name"),
    [
        ("espeak", "espeak", None),
        ("system", "espeak", None),
        ("espeak:gmw/en-GB", "espeak", "gmw/en-GB"),
        ("system:gmw/en-GB", "espeak", "gmw/en-GB"),
        ("gmw/en-US", "espeak", "gmw/en-US"),
        ("piper", "piper", None),
        ("piper:/voices/amy.onnx", "piper", "/voices/amy.onnx"),
        ("voices/amy.onnx", "piper", "voices/amy.onnx"),
        ("espeak:", "espeak", None),
        ("hibari", "hibari", None),
        ("hibari:heart", "hibari", "heart"),
        (" hibari ", "hibari", None),
    ],
)
def test_voice_specs(spec: str, engine: str, name: str | None) -> None:
    voice = VoiceSettings.parse(spec)
    assert (voice.engine, voice.name) == (engine, name)
    assert voice.rate_wpm == NARRATION_RATE_WPM[engine]


def test_a_given_rate_wins_and_the_build_reads_espeak_at_its_narration_pace() -> None:
    assert VoiceSettings.parse("piper", 200).rate_wpm == 200
    assert BuildSettings().voice == VoiceSettings("espeak", None, NARRATION_RATE_WPM["espeak"])


def test_the_default_settings_mean_the_default_voice_at_prompt_pace() -> None:
    assert VoiceSettings() == VoiceSettings(AUTO, None, 175)
    assert VoiceSettings.parse("auto").engine == AUTO
