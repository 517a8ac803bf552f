from __future__ import annotations

import pytest

from audio_companion.podcast.settings import BuildSettings
from audio_companion.tts.base import NARRATION_RATE_WPM, VoiceSettings


@pytest.mark.parametrize(
    ("spec", "engine", "name"),
    [
        ("espeak", "espeak", None),
        ("espeak:gmw/en-GB", "espeak", "gmw/en-GB"),
        ("gmw/en-US", "espeak", "gmw/en-US"),
        ("piper", "piper", None),
        ("piper:/voices/amy.onnx", "piper", "/voices/amy.onnx"),
        ("voices/amy.onnx", "piper", "voices/amy.onnx"),
        ("espeak:", "espeak", None),
    ],
)
def test_voice_specs(spec: str, engine: str, name: str | None) -> None:
    voice = VoiceSettings.parse(spec)
    assert (voice.engine, voice.name) == (engine, name)
    assert voice.rate_wpm == NARRATION_RATE_WPM[engine]


def test_a_given_rate_wins_and_the_build_reads_espeak_at_its_narration_pace() -> None:
    assert VoiceSettings.parse("piper", 200).rate_wpm == 200
    assert BuildSettings().voice == VoiceSettings("espeak", None, NARRATION_RATE_WPM["espeak"])
