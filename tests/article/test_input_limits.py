"""An article's size is checked before it is parsed: one line says the size, the limit
and the option that raises it."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_companion.article import load_article, parse_text
from audio_companion.article.loader import (
    DEFAULT_MAX_INPUT_BYTES,
    HTML_FACTOR,
    human_size,
    load_article_with_notes,
)
from audio_companion.errors import InputError

SECTION = "A Heading\n\nA sentence of the body, long enough to read.\n\n"


def _article(size: int) -> str:
    return "Title\n\n" + SECTION * (size // len(SECTION) + 1)


def test_a_text_file_over_the_limit_is_refused_with_the_option_to_raise_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / "huge.txt"
    p.write_text(_article(DEFAULT_MAX_INPUT_BYTES + 1000), encoding="utf-8")
    parsed: list[str] = []
    monkeypatch.setitem(
        __import__("audio_companion.article.loader", fromlist=["PARSERS"]).PARSERS,
        "text",
        lambda text: parsed.append(text),  # never reached
    )
    with pytest.raises(InputError) as info:
        load_article(p)
    message = str(info.value)
    assert "\n" not in message
    assert f"{p}: is 2.1 MB of text, over the 2 MB limit" in message
    assert "--max-input-size" in message
    assert parsed == []


def test_the_message_names_a_size_that_would_do(tmp_path: Path) -> None:
    p = tmp_path / "big.md"
    p.write_text("# T\n\n## One\n\n" + "Words. " * 500_000, encoding="utf-8")
    with pytest.raises(InputError, match=r"is 3\.6 MB of text.*--max-input-size 3\.6MB"):
        load_article(p)


def test_a_raised_limit_reads_the_file(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    p.write_text(_article(DEFAULT_MAX_INPUT_BYTES + 1000), encoding="utf-8")
    article = load_article_with_notes(p, max_bytes=3_000_000).article
    assert article.sections[0].title == "A Heading"


def test_html_may_be_larger_because_markup_is_most_of_a_page(tmp_path: Path) -> None:
    body = "<h2>One</h2><p>Plenty of words in a paragraph of the article body.</p>"
    script = "<script>" + "x" * 50_000 + "</script>"
    page = "<html><head><title>T</title></head><body>" + script + body + "</body></html>"
    p = tmp_path / "page.html"
    p.write_text(page, encoding="utf-8")
    assert load_article(p, max_bytes=20_000).sections[0].title == "One"
    with pytest.raises(InputError) as info:
        load_article(p, max_bytes=2_000)
    assert "is 50.2 KB of HTML, over the 20 KB limit" in str(info.value)
    assert str(info.value).endswith("--max-input-size 5.1KB")
    assert len(page) > 2_000 * HTML_FACTOR


def test_text_given_directly_is_checked_too() -> None:
    with pytest.raises(InputError, match=r"<text>: is 1 KB of text, over the 100 bytes limit"):
        parse_text(_article(1000)[:1000], "text", max_bytes=100)


@pytest.mark.parametrize(
    ("n", "shown"),
    [(999, "999 bytes"), (2500, "2.5 KB"), (2_000_000, "2 MB"), (52_428_800, "52.5 MB")],
)
def test_sizes_read_as_a_person_would_say_them(n: int, shown: str) -> None:
    assert human_size(n) == shown
