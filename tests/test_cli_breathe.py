"""`audio-companion breathe`: rendering to a file, and bad input as one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from audio_companion.cli import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pattern", "nope"], "unknown breathing pattern 'nope'"),
        (["--pattern", "4-70-4"], "at most 60 s"),
        (["--pattern", "4--2-4"], "pattern"),
        (["--minutes", "0"], "minutes must be more than 0"),
        (["--minutes", "-3"], "minutes"),
        (["--breaths", "0"], "breaths"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["breathe", *args, "--render", str(tmp_path / "x.mp3")])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert not (tmp_path / "x.mp3").exists()


@pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("espeak-ng") is None,
    reason="needs ffmpeg and espeak-ng",
)
def test_render_writes_a_chaptered_mp3(tmp_path: Path) -> None:
    from mutagen.id3 import ID3

    out = tmp_path / "box.mp3"
    result = CliRunner().invoke(
        main,
        ["breathe", "--pattern", "box", "--minutes", "2", "--render", str(out)],
        env={"XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out}")
    tags = ID3(str(out))
    assert str(tags["TIT2"]) == "Box breathing, 2 minutes"
    chapters = tags.getall("CHAP")
    assert len(chapters) >= 2 and chapters[0].start_time == 0
