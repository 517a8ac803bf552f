"""`build --max-input-size / --max-episodes`: the limits reach the loader and the plan,
and going over them is one line and exit code 2, before any audio is made."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from audio_companion.cli import main
from audio_companion.cli.build import parse_size
from audio_companion.podcast.plan import plan_episodes

BODY = "The evening light falls over the quiet town while people walk home. " * 12


def _book(tmp_path: Path, sections: int) -> Path:
    p = tmp_path / "book.md"
    parts = (f"## Part {i}\n\n{BODY}\n\n" for i in range(sections))
    p.write_text("# A Long Book\n\n" + "".join(parts), encoding="utf-8")
    return p


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Stand-ins for synthesis and the build: the real plan runs, nothing is narrated."""
    seen: list[Any] = []

    def fake_build(articles: list[Any], settings: Any, *args: Any) -> SimpleNamespace:
        episodes = plan_episodes(articles, settings)
        seen.append((settings, episodes))
        return SimpleNamespace(
            loudness=[],
            rendered=episodes,
            reused=[],
            sentences_synthesized=0,
            sentences_cached=0,
            audiobook=None,
            audio_seconds=0.0,
            episodes=episodes,
            feed_path="feed.xml",
            wall_seconds=0.0,
        )

    monkeypatch.setattr("audio_companion.podcast.build.build", fake_build)
    monkeypatch.setattr("audio_companion.tts.registry.make_synthesizer", lambda *a, **k: None)
    return seen


def _run(args: list[str]) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["build", "--voice", "espeak", *args])
    assert "Traceback" not in result.output
    return result.exit_code, [ln for ln in result.output.splitlines() if ln.strip()]


def test_an_article_over_the_size_limit_is_one_line_naming_the_option(
    tmp_path: Path, planned: list[Any]
) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Title\n\nA Heading\n\n" + "Words and more words. " * 100_000, encoding="utf-8")
    code, lines = _run([str(big), "--out", str(tmp_path / "out")])
    assert code == 2
    assert lines[-1].startswith("Error: ")
    assert "is 2.3 MB of text, over the 2 MB limit" in lines[-1]
    assert lines[-1].endswith("--max-input-size 2.3MB")
    assert planned == []
    code, lines = _run([str(big), "--out", str(tmp_path / "out"), "--max-input-size", "2.3MB"])
    assert code == 0, lines
    assert planned[0][0].max_input_bytes == 2_300_000


def test_more_episodes_than_the_limit_is_refused_until_it_is_raised(
    tmp_path: Path, planned: list[Any]
) -> None:
    book = _book(tmp_path, 120)
    code, lines = _run([str(book), "--out", str(tmp_path / "out")])
    assert code == 2
    assert "would become 120 episodes, over the limit of 100" in lines[-1]
    assert lines[-1].endswith("--max-episodes 120")
    code, lines = _run([str(book), "--out", str(tmp_path / "out"), "--max-episodes", "120"])
    assert code == 0, lines
    assert len(planned[-1][1]) == 120


@pytest.mark.parametrize("value", ["lots", "0", "5 parsecs", "-1MB"])
def test_a_bad_size_is_one_line(tmp_path: Path, planned: list[Any], value: str) -> None:
    code, lines = _run([str(_book(tmp_path, 1)), "--max-input-size", value])
    assert code == 2
    assert lines[-1].startswith("Error: --max-input-size") and "5MB" in lines[-1]


@pytest.mark.parametrize(
    ("spec", "size"),
    [("2MB", 2_000_000), ("800 kb", 800_000), ("1.5M", 1_500_000), ("12345", 12_345)],
)
def test_sizes_are_read_in_decimal_units(spec: str, size: int) -> None:
    assert parse_size(spec) == size
