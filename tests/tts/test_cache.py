from __future__ import annotations

import os
import time
from pathlib import Path

from click.testing import CliRunner
from helpers import FakeSynth

from audio_companion.cli import main
from audio_companion.narration.narrator import Narrator, SpeechStore
from audio_companion.tts.cache import clear, usage

DAY = 86_400


def fill(cache: Path) -> None:
    Narrator(FakeSynth(), store=SpeechStore(cache / "speech")).speak(["One.", "Two two.", "Three."])
    (cache / "prompts").mkdir(parents=True)
    (cache / "prompts" / "p.wav").write_bytes(b"RIFF" + bytes(40))


def test_usage_counts_each_kind(tmp_path: Path) -> None:
    fill(tmp_path)
    speech, prompts = usage(tmp_path)
    assert (speech.kind, speech.files) == ("speech", 3) and speech.bytes > 0
    assert (prompts.kind, prompts.files, prompts.bytes) == ("prompts", 1, 44)


def test_clear_older_than_keeps_what_a_build_just_used(tmp_path: Path) -> None:
    fill(tmp_path)
    old = time.time() - 40 * DAY
    for wav in (tmp_path / "speech").rglob("*.wav"):
        os.utime(wav, (old, old))
    # A rebuild reads "One." from the cache: that marks it used.
    synth = FakeSynth()
    Narrator(synth, store=SpeechStore(tmp_path / "speech")).speak(["One."])
    assert synth.calls == []
    files, _ = clear(tmp_path, ("speech",), older_than_days=30)
    assert files == 2
    synth = FakeSynth()
    Narrator(synth, store=SpeechStore(tmp_path / "speech")).speak(["One.", "Two two."])
    assert synth.calls == ["Two two."]
    assert (tmp_path / "prompts" / "p.wav").exists()


def test_clear_everything_leaves_nothing(tmp_path: Path) -> None:
    fill(tmp_path)
    partial = tmp_path / "prompts" / "ab" / ".x.wav.k2j3.part.txt"  # a write cut short
    partial.parent.mkdir()
    partial.write_bytes(b"half")
    files, removed = clear(tmp_path)
    assert files == 5 and removed > 0
    assert not (tmp_path / "speech").exists() and not (tmp_path / "prompts").exists()
    assert usage(tmp_path)[0].files == 0


def test_cache_commands(tmp_path: Path) -> None:
    fill(tmp_path / "audio-companion")
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    info = CliRunner().invoke(main, ["cache", "info"], env=env)
    assert info.exit_code == 0, info.output
    assert f"Cache folder: {tmp_path / 'audio-companion'}" in info.output
    assert "speech        3 files" in info.output
    cleared = CliRunner().invoke(main, ["cache", "clear", "--only", "prompts"], env=env)
    assert cleared.output == "Removed 1 files (44 B).\n"
    again = CliRunner().invoke(main, ["cache", "clear", "--older-than", "1"], env=env)
    assert again.output == "Removed 0 files (0 B).\n"


def test_cache_prepare_renders_every_prompt_once(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    first = CliRunner().invoke(main, ["cache", "prepare", "--deck", "nightly"], env=env)
    assert first.exit_code == 0, first.output
    rendered = int(first.output.split("Prompts ready: ")[1].split(" ")[0])
    wavs = list((tmp_path / "audio-companion" / "prompts").rglob("*.wav"))
    assert rendered > 40 and len(wavs) == rendered
    again = CliRunner().invoke(main, ["cache", "prepare", "--deck", "nightly"], env=env)
    assert again.exit_code == 0 and "Prompts ready: 0 rendered now" in again.output
