"""`audio-companion validate`: an OK line for a good feed, else a line per problem and exit 1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from audio_companion.cli import main

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


@pytest.fixture
def good(sample_feed: Path) -> Path:
    return sample_feed


@needs_ffmpeg
def test_good_feed_folder_is_ok(good: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    assert result.output == f"OK: {good} — 5 episodes, no problems.\n"


@needs_ffmpeg
def test_default_is_the_feed_folder_and_a_file_works_too(
    good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(good, tmp_path / "feed")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: feed — 5 episodes")
    result = CliRunner().invoke(main, ["validate", "feed/feed.xml"])
    assert result.exit_code == 0, result.output


@needs_ffmpeg
def test_problems_are_listed_with_a_summary_and_exit_1(good: Path, tmp_path: Path) -> None:
    folder = Path(shutil.copytree(good, tmp_path / "feed"))
    mp3 = sorted(folder.glob("*.mp3"))[0]
    mp3.unlink()
    feed = folder / "feed.xml"
    feed.write_text(feed.read_text("utf-8").replace("<language>en</language>", ""), "utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("channel: <language> is missing")
    assert lines[1].startswith("item 5 (") and f"{mp3.name} does not exist" in lines[1]
    assert lines[2:] == [f"2 problems in {folder}."]


def test_missing_feed_is_a_problem(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "cannot read the feed" in result.output
    assert result.output.endswith(f"1 problem in {tmp_path / 'nowhere'}.\n")
    assert "Traceback" not in result.output
