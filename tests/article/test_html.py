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


# A documentation page the way Sphinx writes one: section numbers before the
# headings and a "¶" permalink after them.
SPHINX = """<html><head><title>4. Loops in Practice — Example docs</title></head><body>
<div class="body" role="main"><section id="loops">
<h1><span class="section-number">4. </span>Loops in Practice<a class="headerlink"
 href="#loops" title="Link to this heading">¶</a></h1>
<section id="while"><h2><span class="section-number">4.1. </span>while Loops<a
 class="headerlink" href="#while">¶</a></h2>
<p>A while loop runs its body for as long as its condition holds, and a loop whose
condition never turns false runs until something inside it breaks out.</p>
<p>It suits waiting for a state to change more than counting through a sequence of items.</p>
</section>
<section id="ways"><h2>5 Ways to Rest<a class="headerlink" href="#ways">§</a></h2>
<p>Numbers that belong to a heading's words stay where they are, only the dotted section
numbers a generator adds go, along with the permalink signs after each heading.</p>
<p>Each of the five ways is short enough to read aloud in under a minute tonight.</p>
</section></section></div></body></html>"""


def test_documentation_headings_lose_permalinks_and_section_numbers() -> None:
    article = parse_html(SPHINX)
    assert article.title == "Loops in Practice"
    assert [s.title for s in article.sections] == ["while Loops", "5 Ways to Rest"]


@pytest.mark.parametrize(
    ("heading", "said"),
    [
        ("4.1. if Statements¶", "if Statements"),
        ("2. Setup #", "Setup"),
        ("Intro 🔗", "Intro"),
        ("5 Ways to Rest", "5 Ways to Rest"),
        ("Version 3.11 changes", "Version 3.11 changes"),
        ("1.", "1."),  # nothing else: kept as it is
    ],
)
def test_heading_text(heading: str, said: str) -> None:
    from audio_companion.article.lines import heading_text

    assert heading_text(heading) == said


ADMONITIONS = """<html><head><title>Loops</title></head><body><div role="main">
<h1>Loops in Practice</h1><section><h2>while Loops</h2>
<p>A while loop runs its body for as long as its condition holds, and a loop whose
condition never turns false runs until something inside it breaks out of it.</p>
<div class="admonition note"><p class="admonition-title">Note</p><p>An empty loop body
needs a pass statement, because a block cannot be empty in this language.</p></div>
<div class="admonition seealso"><p class="admonition-title">See also</p><p>The chapter on
iterators, which shows another way to walk through a sequence of items.</p></div>
<p>It suits waiting for a state to change more than counting through the items.</p>
</section></div></body></html>"""


def test_documentation_admonitions_become_callouts() -> None:
    blocks = parse_html(ADMONITIONS).sections[0].blocks
    callouts = [(b.label, b.text.split(",")[0]) for b in blocks if b.kind is BlockKind.CALLOUT]
    assert callouts == [
        ("Note", "An empty loop body needs a pass statement"),
        ("See also", "The chapter on iterators"),
    ]
    assert [b.kind for b in blocks].count(BlockKind.PARAGRAPH) == 2  # nothing else changed


LEAD = """<html><head><title>Loops</title></head><body><div role="main">
<h1>Loops in Practice</h1>
<p>Besides the while statement, a language offers a few more ways to repeat work, each
with a twist of its own that this chapter walks through.</p>
<h2>while Loops</h2><p>A while loop runs its body for as long as its condition holds,
until something inside it breaks out.</p>
<h2>for Loops</h2><p>The for statement walks through the items of any sequence in the
order that they appear.</p></div></body></html>"""


def test_the_paragraph_before_the_first_heading_is_read_first_and_is_the_teaser() -> None:
    article = parse_html(LEAD)
    assert article.teaser.startswith("Besides the while statement")
    assert article.sections[0].blocks[0].text == article.teaser  # narrated, not only described


TEASERS = """<html><head><title>Harbour Lights</title></head><body><article>
<h1>Harbour Lights</h1>
<p>The harbour lamps were switched on again last night after two years of repairs, and the
old quay filled with people walking slowly in both directions along the water.</p>
<p><a href="/other/ferry-timetable">New winter timetable for the island ferry</a></p>
<p>Most of the walkers we met said the light made the evening feel longer, and that the
walk had become a habit they shared with a partner or a friend, as reported by
<a href="/people/ines">Ines Varga.</a></p>
<p>The council plans to keep the lamps lit until midnight through the winter months, and
volunteers will check each of the forty posts once a week during the first season.</p>
<p><a href="/other/bakery">Bakery on the quay wins a regional prize</a></p>
</article></body></html>"""


def test_a_paragraph_that_is_only_a_link_is_another_story_and_is_not_read() -> None:
    article = parse_html(TEASERS)
    spoken = " ".join(b.text for s in article.sections for b in s.all_blocks())
    assert "ferry" not in spoken and "Bakery" not in spoken
    assert "as reported by Ines Varga." in spoken  # a link inside a sentence stays
    assert "forty posts" in spoken


def test_site_notices_and_stray_widget_words_are_not_read() -> None:
    page = TEASERS.replace(
        "<article>",
        '<article><div class="alert alert-warning" role="alert"><strong>Warning!</strong> '
        "This site is a demo; prices here have no meaning.</div>",
    ).replace("<p>The council", "<p>per month</p><p>The council")
    spoken = " ".join(b.text for s in parse_html(page).sections for b in s.all_blocks())
    assert "demo" not in spoken and "per month" not in spoken
    assert "The council plans" in spoken


def test_a_short_line_under_a_photo_is_its_caption_and_is_not_read() -> None:
    page = TEASERS.replace(
        "<p>Most of the walkers",
        '<div><img src="quay.jpg" alt="The quay"></div><div><em>The old quay at dusk</em></div>'
        "<p>Most of the walkers",
    )
    spoken = " ".join(b.text for s in parse_html(page).sections for b in s.all_blocks())
    assert "old quay at dusk" not in spoken and "Most of the walkers" in spoken
