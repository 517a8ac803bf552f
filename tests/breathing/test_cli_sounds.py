"""`breathe` with the new sound options, through the CLI: tones only, countdown, gong, a bed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from audio_companion.audio.wav import read_wav
from audio_companion.breathing.onsets import detect_onsets
from audio_companion.cli import main


def test_unknown_bed_is_one_clear_line(tmp_path: Path) -> None:
    out = tmp_path / "x.mp3"
    result = CliRunner().invoke(main, ["breathe", "--ambient", "surf", "--render", str(out)])
    assert result.exit_code == 2 and "'surf' is not one of" in result.output
    assert not out.exists()


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
def test_tones_only_render_with_countdown_gong_and_bed(tmp_path: Path) -> None:
    """--no-voice-cues needs no voice at all: pips, tones and the gong, over a brown bed."""
    out = tmp_path / "tones.mp3"
    args = ["breathe", "--pattern", "4-2-6-0", "--breaths", "2", "--no-voice-cues"]
    result = CliRunner().invoke(
        main,
        [*args, "--double-out", "--render", str(out)],
        env={"XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert result.exit_code == 0, result.output
    wav = tmp_path / "tones.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(out), "-ac", "1", str(wav)], check=True)
    audio = read_wav(wav)
    x = audio.to_int16()[:, 0]
    onsets = detect_onsets(x, audio.rate)
    # three pips one second apart, then 2 × (in, hold, out), then the gong: nothing spoken
    assert len(onsets) == 3 + 2 * 3 + 1, onsets
    assert np.allclose(np.diff(onsets[:4]), 1.0, atol=0.005)
    assert np.allclose(np.diff(onsets[3:9]), [4, 2, 6, 4, 2], atol=0.005)
    assert onsets[-1] == pytest.approx(onsets[3] + 2 * 12, abs=0.005)  # the gong ends the last out
    bedded = tmp_path / "bed.mp3"
    result = CliRunner().invoke(
        main,
        [*args, "--ambient", "brown", "--render", str(bedded)],
        env={"XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert result.exit_code == 0, result.output
    assert bedded.stat().st_size > 0
