"""tts/registry.py: voice engine name → synthesizer, and the default voice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audio_companion.errors import InputError
from audio_companion.tts import hibari
from audio_companion.tts.base import VOICE_ENGINES, Synthesizer, VoiceSettings
from audio_companion.tts.espeak import Pyttsx3Synthesizer
from audio_companion.tts.hibari import HibariSynthesizer
from audio_companion.tts.registry import (
    ENGINES,
    FALLBACK_NOTE,
    default_voice,
    installed_voices,
    make_synthesizer,
    resolve,
)


def fake_hibari(root: Path, *, bundled: bool = True) -> Path:
    """A hibari package layout (registry and model file) without the package."""
    assets = root / "assets"
    assets.mkdir(parents=True)
    table = {
        "heart": {"language": "en-US", "accent": "American", "gender": "female",
                  "file": "hibari.onnx", "bundled": True, "british": False},
        "emma": {"language": "en-GB", "accent": "British", "gender": "female",
                 "file": "emma.onnx", "bundled": False, "british": True},
    }  # fmt: skip
    (assets / "voices.json").write_text(json.dumps(table), "utf-8")
    if bundled:
        (assets / "hibari.onnx").write_bytes(b"model" * 100)
    return root


@pytest.fixture
def no_hibari(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hibari, "_package_dir", lambda: None)


def test_every_voice_engine_has_a_factory() -> None:
    assert ENGINES == VOICE_ENGINES


@pytest.mark.usefixtures("no_hibari")
def test_without_hibari_the_default_is_espeak_with_a_note() -> None:
    default = default_voice()
    assert default.engine == "espeak"
    assert default.note == FALLBACK_NOTE and "\n" not in FALLBACK_NOTE
    synth: Synthesizer = make_synthesizer(VoiceSettings())
    assert isinstance(synth, Pyttsx3Synthesizer)
    assert synth.identity == "pyttsx3-espeak:default:175"


def test_with_hibari_and_its_voice_the_default_is_hibari_without_a_note(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = fake_hibari(tmp_path)
    monkeypatch.setattr(hibari, "_package_dir", lambda: root)
    assert default_voice().engine == "hibari" and default_voice().note is None
    synth = make_synthesizer(VoiceSettings())
    assert isinstance(synth, HibariSynthesizer)
    assert resolve(VoiceSettings()) == VoiceSettings("hibari", None, 175)


def test_hibari_without_its_model_file_is_not_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = fake_hibari(tmp_path, bundled=False)
    monkeypatch.setattr(hibari, "_package_dir", lambda: root)
    assert default_voice().engine == "espeak"


def test_a_named_engine_is_not_resolved() -> None:
    assert resolve(VoiceSettings("piper")) == VoiceSettings("piper")


def test_installed_voices_lists_hibari_voices_present_and_marks_one_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = fake_hibari(tmp_path / "pkg")
    monkeypatch.setattr(hibari, "_package_dir", lambda: root)
    monkeypatch.setenv("HIBARI_HOME", str(tmp_path / "home"))
    specs = [v.spec for v in installed_voices()]
    assert specs[0] == "hibari" and "hibari:emma" not in specs  # emma is not downloaded
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "emma.onnx").write_bytes(b"x")
    found = installed_voices()
    assert [v.spec for v in found][:2] == ["hibari", "hibari:emma"]
    assert [v.spec for v in found if v.default] == ["hibari"]
    assert all(v.description and "\n" not in v.description for v in found)


@pytest.mark.usefixtures("no_hibari")
def test_without_hibari_the_system_voice_is_the_marked_default() -> None:
    found = installed_voices()
    assert not any(v.spec.startswith("hibari") for v in found)
    assert [v.spec for v in found if v.default] in (["system"], [])  # [] without espeak-ng


def test_unknown_engine_is_unusable_input() -> None:
    with pytest.raises(InputError, match="unknown voice engine 'festival'; use: hibari, piper"):
        make_synthesizer(VoiceSettings(engine="festival"))
