"""`audio-companion script`: the narration script, readable or as JSON, before any audio."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from click.testing import CliRunner
from helpers import GOLDEN, SEED, SEED_TITLES

from audio_companion.cli import main


def test_script_text_shows_written_and_spoken_forms() -> None:
    result = CliRunner().invoke(main, ["script"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("=== Episode 1: The Evening Check-In: Ten Minutes, Two Voices")
    assert "--- chapter: Three Simple Questions" in out
    assert "[callout] Tip: Pick a fixed time" in out
    assert "says: Here's a tip. Pick a fixed time" in out
    assert "Episode 2: Why Say Thank You to Someone You See Every Day?  (about" in out


def test_script_json_lists_episodes_chapters_and_lines() -> None:
    result = CliRunner().invoke(main, ["script", "--format", "json"])
    data = json.loads(result.output)
    assert [e["episode"] for e in data] == [1, 2, 3, 4, 5]
    first = data[0]
    assert first["chapters"] == ["Three Simple Questions", "Listening Without Fixing"]
    assert first["lines"][0]["kind"] == "intro"
    assert all({"display", "speech", "pause"} <= set(line) for line in first["lines"])
    assert 60 < first["estimated_seconds"] < 200


def _seed_lines_that_must_not_be_read(text: str) -> list[str]:
    """Found from the page's shape alone, independently of the parser: image
    captions (unpunctuated fragments before a heading), the citation list,
    and the footer after it."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    unread = []
    for i, ln in enumerate(lines[2:-1], start=2):  # title and teaser are show metadata
        nxt = lines[i + 1]
        if not ln.endswith((".", "?", "!", ":", "”", '"')) and not re.match(r"^[•⬇]", ln):
            # A fragment followed by a short title-like line: a caption above a heading.
            if ln[:1].islower() or len(ln.split()) > 14:
                unread.append(ln)
            if nxt and len(nxt.split()) <= 10 and ln[:1].islower():
                unread.append(ln)
    start = lines.index("Citations")
    unread.extend(lines[start:])
    return unread


@pytest.mark.skipif(not SEED.exists(), reason="the seed article lives in ../shared")
def test_seed_script_reads_no_captions_chrome_emoji_or_citations() -> None:
    result = CliRunner().invoke(main, ["script", str(SEED), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [e["title"].replace("\u2019", "'") for e in data] == SEED_TITLES
    assert data[1]["chapters"] == [
        "The Emotional Alarm of Betrayal",
        "The Stress Cascade",
        "Attachment System Breakdown",
    ]
    speech = "\n".join(line["speech"] for e in data for line in e["lines"])
    unread = _seed_lines_that_must_not_be_read(SEED.read_text("utf-8"))
    assert len(unread) > 15  # captions, citations and footer were found
    for line in unread:
        assert line not in speech, line
        assert line[:40] not in speech, line
    pictographs = [ch for ch in speech if unicodedata.category(ch) == "So"]
    assert pictographs == []
    assert "http" not in speech


def test_a_feed_lexicon_changes_what_is_said(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text('[words]\nlandlord = "land lord"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["script", "--format", "json", "--lexicon", str(lexicon)])
    speech = " ".join(line["speech"] for e in json.loads(result.output) for line in e["lines"])
    assert "call the land lord" in speech and "landlord" not in speech
    bad = tmp_path / "bad.toml"
    bad.write_text("[words]\nx = 3\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["script", "--lexicon", str(bad)])
    assert result.exit_code == 2 and f"{bad}:2:" in result.output


def test_legacy_encoding_is_read_and_said(tmp_path) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "café.txt"
    article.write_bytes(
        "Crème Brûlée Nights\n\nA Quiet Café\n\nWe met at the café for crème brûlée.\n".encode(
            "windows-1252"
        )
    )
    result = CliRunner().invoke(main, ["script", str(article)])
    assert result.exit_code == 0, result.output
    assert "is not UTF-8; read it as" in result.stderr
    assert "crème brûlée" in result.output


def test_script_reads_a_page_from_a_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import functools
    import http.server
    import threading

    page = (GOLDEN / "articles" / "evening.html").read_bytes()
    (tmp_path / "evening.html").write_bytes(page)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/evening.html"
        result = CliRunner().invoke(main, ["script", url])
    finally:
        server.shutdown()
    assert result.exit_code == 0, result.output
    assert "=== Episode 1: Why Evenings Drift" in result.output
    assert "LEAK" not in result.output


def test_script_applies_the_builds_input_limits(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # What `script` shows is what `build` would read, limits included.
    over = CliRunner().invoke(main, ["script", "--max-episodes", "2"])
    assert over.exit_code == 2 and "--max-episodes 5" in over.output, over.output
    assert CliRunner().invoke(main, ["script", "--max-episodes", "5"]).exit_code == 0
    big = tmp_path / "big.md"
    big.write_text("# Big\n\n## One\n\n" + "A calm evening. " * 200 + "\n", encoding="utf-8")
    small = CliRunner().invoke(main, ["script", str(big), "--max-input-size", "1KB"])
    assert small.exit_code == 2 and "--max-input-size" in small.output, small.output


def test_script_json_carries_the_pages_byline_and_date(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "walks.html"
    page.write_text(
        '<html><head><meta name="author" content="Ines Varga">'
        '<meta property="article:published_time" content="2021-03-04">'
        "<title>Night Walks</title></head><body><article><h1>Night Walks</h1>"
        "<p>The river path is lit until midnight, and most couples walk one loop of it "
        "after dinner, talking as they go and stopping at the bridge.</p></article></body></html>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["script", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    (episode,) = json.loads(result.output)
    assert (episode["author"], episode["written"]) == ("Ines Varga", "2021-03-04")
    assert not any("Ines Varga" in line["speech"] for line in episode["lines"])
