"""`audio-companion voices`: the installed voices, and a sample of one."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from audio_companion.audio.wav import read_wav
from audio_companion.cli import main
from audio_companion.tts import hibari

needs_hibari = pytest.mark.skipif(
    not hibari.is_installed(), reason="needs hibari-tts (scripts/setup.sh installs it)"
)


def test_lists_voices_one_line_each_with_the_default_marked() -> None:
    result = CliRunner().invoke(main, ["voices"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    marked = [ln for ln in lines if ln.startswith("* ")]
    assert len(marked) == 1
    specs = [ln[2:].split()[0] for ln in lines if ln[:2] in ("* ", "  ")]
    assert "system" in specs or "hibari" in specs
    assert lines[-1].startswith("(* the default voice")


def test_without_hibari_the_system_voice_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hibari, "_package_dir", lambda: None)
    result = CliRunner().invoke(main, ["voices"])
    assert result.exit_code == 0, result.output
    assert "* system" in result.output and "hibari" not in result.output


def test_system_voice_sample_is_written_with_the_fallback_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hibari, "_package_dir", lambda: None)
    out = tmp_path / "sample.wav"
    result = CliRunner().invoke(main, ["voices", "--say", "Good evening.", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "note: no neural voice is installed" in result.output
    assert read_wav(out).duration > 0.3


@needs_hibari
def test_default_voice_sample_is_hibari_at_24_khz(tmp_path: Path) -> None:
    out = tmp_path / "sample.wav"
    result = CliRunner().invoke(main, ["voices", "--say", "Good evening.", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "hibari" in result.output and "note:" not in result.output
    assert read_wav(out).rate == 24000


@needs_hibari
def test_a_hibari_voice_that_would_need_a_download_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HIBARI_HOME", str(tmp_path))
    args = ["voices", "--say", "Hi.", "--voice", "hibari:emma", "--out", str(tmp_path / "x.wav")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "hibari has no voice 'emma' on this machine (available: heart)" in result.output
    assert not (tmp_path / "x.wav").exists()


def test_voice_and_out_need_a_text_and_the_suffix_must_be_audio(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["voices", "--out", str(tmp_path / "a.wav")])
    assert result.exit_code == 2 and "--say" in result.output
    bad = CliRunner().invoke(
        main, ["voices", "--say", "Hi.", "--voice", "system", "--out", str(tmp_path / "a.ogg")]
    )
    assert bad.exit_code == 2 and ".wav or an .mp3" in bad.output
