from pathlib import Path

import pytest

from audio_companion.article import BlockKind, load_article
from audio_companion.article.html import parse_html
from audio_companion.errors import ArticleError

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "articles" / "evening.html"


def test_evening_outline() -> None:
    article = parse_html(GOLDEN.read_text("utf-8"))
    assert article.title == "The Quiet Hour: Building an Evening That Ends Well"
    assert article.teaser.startswith("Most of us plan our mornings with care")
    assert [s.title for s in article.sections] == [
        "Why Evenings Drift",
        "A Routine in Four Steps",
        "When It Falls Apart",
    ]
    assert [[sub.title for sub in s.subsections] for s in article.sections] == [
        ["The Light Problem", "The Screen Problem"],
        ["Keeping Track"],
        [],
    ]
    assert article.citations == (
        "Harrow, L. (2021). Light at Night and the Sleepy Brain. "
        "Journal of Evening Studies, 4(2), 11-19.",
        "Okafor, B. (2019). Habits That Stick. Quiet Press.",
    )


def test_evening_blocks() -> None:
    article = parse_html(GOLDEN.read_text("utf-8"))
    light = article.sections[0].subsections[0]
    tip = light.blocks[-1]
    assert tip.kind is BlockKind.CALLOUT and tip.label == "Tip"
    assert tip.text.startswith("put your lamps on a single switch")
    routine = article.sections[1]
    assert [(b.label, b.kind) for b in routine.blocks[1:]] == [
        (lead, BlockKind.LIST_ITEM) for lead in ("Tidy", "Wash", "Write", "Read")
    ]
    code = [b for b in routine.subsections[0].blocks if b.kind is BlockKind.CODE]
    assert [b.text for b in code] == ['echo "$(date +%F) lights out 22:40" >> ~/evenings.txt']


def test_evening_has_no_page_chrome() -> None:
    article = parse_html(GOLDEN.read_text("utf-8"))
    texts = [article.title, article.teaser, *article.citations]
    for section in article.sections:
        texts.append(section.title)
        texts.extend(sub.title for sub in section.subsections)
        texts.extend(b.text + " " + b.label for b in section.all_blocks())
    joined = "\n".join(texts)
    for leak in ("LEAK", "brass lamp", "glowing softly", "pillows", "Privacy", "STYLE"):
        assert leak not in joined
    assert "Evenings drift because nothing marks their edges." in joined


def test_html_file_by_suffix_and_by_sniffing(tmp_path: Path) -> None:
    html = GOLDEN.read_text("utf-8")
    by_suffix = load_article(GOLDEN)
    sniffed = tmp_path / "saved_page.txt"
    sniffed.write_text(html, encoding="utf-8")
    assert load_article(sniffed) == by_suffix


def test_page_without_content_is_one_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "nav.html"
    page.write_text(
        "<html><body><nav><ul><li><a href='/a'>Home</a></li><li><a href='/b'>About</a></li>"
        "</ul></nav><footer>© 2026</footer></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(ArticleError) as info:
        load_article(page)
    message = str(info.value)
    assert message == f"{page}: no main content found in the page"
    assert "\n" not in message


def test_page_without_subheadings_is_one_section() -> None:
    html = (
        "<html><head><title>Small Note</title></head><body><article><h1>Small Note</h1>"
        "<p>One paragraph about the evening walk, long enough to count as prose here.</p>"
        "<p>Another paragraph about tea and a book before the lights go out.</p>"
        "</article></body></html>"
    )
    article = parse_html(html)
    assert article.title == "Small Note"
    assert [s.title for s in article.sections] == ["Small Note"]
    assert len(article.sections[0].blocks) == 2
