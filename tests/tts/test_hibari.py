"""tts/hibari.py: the default neural voice, offline only. Tests that speak skip
cleanly without the hibari-tts package (CI installs it)."""

from __future__ import annotations

import socket
import sys
import urllib.request
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from audio_companion.errors import InputError
from audio_companion.tts import hibari as hibari_engine
from audio_companion.tts.base import VoiceSettings
from audio_companion.tts.hibari import (
    MAX_SPEED,
    MIN_SPEED,
    SAMPLE_RATE,
    HibariSynthesizer,
    speed_for,
)
from audio_companion.tts.registry import make_synthesizer

needs_hibari = pytest.mark.skipif(
    not hibari_engine.is_installed(), reason="needs hibari-tts (scripts/setup.sh installs it)"
)


class _Offline(socket.socket):
    """Refuses internet sockets, as tests/netguard does for subprocesses."""

    def __init__(self, family: Any = -1, *args: Any, **kwargs: Any) -> None:
        if family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError("network access during synthesis")
        super().__init__(family, *args, **kwargs)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def no_urlopen(*args: object, **kwargs: object) -> None:
        raise AssertionError("hibari tried to download")

    monkeypatch.setattr(socket, "socket", _Offline)
    monkeypatch.setattr(urllib.request, "urlopen", no_urlopen)
    yield


def test_speed_follows_rate_and_is_clamped() -> None:
    assert speed_for(175) == 1.0
    assert speed_for(210) == pytest.approx(1.2)
    assert speed_for(20) == MIN_SPEED and speed_for(1000) == MAX_SPEED


@needs_hibari
def test_identity_needs_no_model_load_nor_import() -> None:
    synth = HibariSynthesizer(VoiceSettings("hibari"))
    identity = synth.identity
    assert identity.startswith("hibari:heart:") and identity.endswith(":175")
    assert synth._tts is None  # nothing loaded
    assert identity == HibariSynthesizer(VoiceSettings("hibari", "heart")).identity
    assert identity != HibariSynthesizer(VoiceSettings("hibari", rate_wpm=200)).identity


@needs_hibari
def test_speaks_a_sentence_offline_at_24_khz(offline: None) -> None:
    synth = make_synthesizer(VoiceSettings.parse("hibari"), threads=1)
    audio = synth.synthesize("Good evening. How was your day?")
    assert audio.rate == SAMPLE_RATE and audio.width == 2 and audio.channels == 1
    assert 1.0 < audio.duration < 5.0
    samples = audio.to_int16()[:, 0]
    # Cut to the voice: sound within the first and the last 50 ms, not hibari's 0.3 s lead-in.
    edge = SAMPLE_RATE // 20
    assert np.abs(samples[:edge]).max() > 100 and np.abs(samples[-edge:]).max() > 100


@needs_hibari
def test_same_text_same_audio_and_faster_is_shorter() -> None:
    text = "Let us take a slow breath together."
    normal = HibariSynthesizer(VoiceSettings("hibari"))
    assert normal.synthesize(text).audio == normal.synthesize(text).audio
    fast = HibariSynthesizer(VoiceSettings("hibari", rate_wpm=260)).synthesize(text)
    assert fast.duration < normal.synthesize(text).duration


@needs_hibari
def test_nothing_to_say_is_a_short_silence() -> None:
    audio = HibariSynthesizer(VoiceSettings("hibari")).synthesize("  … ")
    assert audio.rate == SAMPLE_RATE and 0 < audio.duration < 0.1
    assert not any(audio.audio)


@needs_hibari
def test_a_voice_not_on_this_machine_is_refused_before_hibari_can_fetch_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, offline: None
) -> None:
    monkeypatch.setenv("HIBARI_HOME", str(tmp_path))  # no downloaded voices
    import hibari.voices

    fetched: list[object] = []
    monkeypatch.setattr(hibari.voices, "download", lambda *a, **k: fetched.append(a))
    for name in ("emma", "nobody"):
        synth = HibariSynthesizer(VoiceSettings("hibari", name))
        with pytest.raises(InputError, match=rf"no voice '{name}'.*available: heart"):
            synth.synthesize("Hello.")
        with pytest.raises(InputError):
            _ = synth.identity
    assert fetched == []


def test_a_missing_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from audio_companion.errors import MissingDependencyError

    monkeypatch.setattr(hibari_engine, "_package_dir", lambda: None)
    monkeypatch.setitem(sys.modules, "hibari", None)
    with pytest.raises(MissingDependencyError, match=r"scripts/setup\.sh"):
        HibariSynthesizer(VoiceSettings("hibari")).synthesize("Hello.")
