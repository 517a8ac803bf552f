"""The default voice, hibari, end to end: the build without --voice, its own respellings
and pauses, the preview, all offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import needs_media

from audio_companion.cli import main
from audio_companion.tts import hibari

pytestmark = [
    needs_media,
    pytest.mark.skipif(not hibari.is_installed(), reason="needs hibari-tts (scripts/setup.sh)"),
]

ARTICLE = """# Two Minutes at the Door

Before leaving in the morning, stop at the door for a moment. Look at each other and say one
thing you are looking forward to today.

## Why it works

Small moments of attention add up. A short pause at the door tells the other person that they
matter more than the rush. Over weeks, these moments build a habit of noticing. People with
ADHD find that a fixed moment like this helps.
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "doors.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_the_default_build_narrates_with_hibari(tmp_path: Path, article: Path) -> None:
    out = tmp_path / "feed"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    args = ["build", str(article), "--jobs", "2", "--out", str(out)]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert "note:" not in result.output  # the neural voice is there: no fallback note
    mp3s = sorted(out.glob("*.mp3"))
    assert len(mp3s) == 1
    vtt = " ".join(mp3s[0].with_suffix(".vtt").read_text("utf-8").split())
    assert "matter more than the rush" in vtt
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest  # published
    again = CliRunner().invoke(main, args, env=env)
    assert "Sentences: 0 synthesised" in again.output, again.output
    assert "Episodes: 0 made" in again.output


def test_the_script_for_hibari_keeps_acronyms_whole(article: Path) -> None:
    def speech(voice: str) -> str:
        args = ["script", str(article), "--format", "json", "--voice", voice]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        return " ".join(ln["speech"] for ep in json.loads(result.output) for ln in ep["lines"])

    assert "People with ADHD find" in speech("hibari")
    assert "People with A D H D find" in speech("system")


def test_preview_writes_one_short_mp3_and_leaves_the_feed_alone(
    tmp_path: Path, article: Path
) -> None:
    from audio_companion.media.encode import mp3_duration

    out = tmp_path / "feed"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    sample = tmp_path / "sample.mp3"
    args = ["build", str(article), "--out", str(out), f"--preview={sample}"]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert str(sample) in result.output and "hibari" in result.output
    assert 3.0 < mp3_duration(sample) <= 31.0
    assert not out.exists() or not any(out.iterdir())  # no feed, no manifest, no lock
