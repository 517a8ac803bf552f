"""How a reader handles four shapes of page the corpus showed (tests/article/corpus).

A generic site name as the <title>, a fold that prints a description twice,
a table's title set as a heading, and API signatures. Each is shown on a page
written here, and on a close shape that must stay as it is.
"""

from __future__ import annotations

import pytest

from audio_companion.article.headline import site_name
from audio_companion.article.html import parse_html
from audio_companion.article.lines import cut_short, unfold
from audio_companion.article.model import Article

LONG = (
    "The harbour lamps were switched on again last night after two years of repairs, "
    "and the old quay filled with people walking slowly in both directions."
)
MORE = (
    "Most of the walkers said the light made the evening feel longer, and that the walk "
    "had become a habit they shared with a friend."
)


def _texts(article: Article) -> list[str]:
    return [b.text for s in article.sections for b in s.all_blocks()]


# 1. A <title> that is only the site's generic name.


@pytest.mark.parametrize(
    ("title", "sites", "name"),
    [
        ("News from The Harbour Gazette", [""], "The Harbour Gazette"),
        ("Welcome to Quayside Media", [""], "Quayside Media"),
        ("Home | Harbour Gazette", [""], "Harbour Gazette"),
        ("Harbour Gazette - Latest News", [""], "Harbour Gazette"),
        ("Gazette News", ["gazette.example"], "Gazette"),
        ("Harbour lamps lit again", [""], None),
        ("Good News", [""], None),  # a headline, not a site's name
        ("News from Gaza", [""], None),  # one word: a place more often than a site
        ("What's New In Lamps 3.1", ["What's New In Lamps 3.1"], None),  # the page's own name
    ],
)
def test_a_title_that_is_only_the_sites_name_is_generic(
    title: str, sites: list[str], name: str | None
) -> None:
    assert site_name(title, sites) == name


GENERIC = """<html><head><title>News from The Harbour Gazette</title>{meta}</head><body>
<table class="story"><tr><td><div class="body">
<p class="body"><span class="headline entry-title">Harbour lamps lit again after repairs</span></p>
<p>{long}</p><p>{more}</p></div></td></tr></table></body></html>"""


def test_a_generic_title_gives_way_to_the_headline_the_page_marks() -> None:
    article = parse_html(GENERIC.format(meta="", long=LONG, more=MORE))
    assert article.title == "Harbour lamps lit again after repairs"
    # The headline printed above the story is said by the intro, not read again.
    assert _texts(article)[0].startswith("The harbour lamps")
    unmarked = GENERIC.replace(' class="headline entry-title"', "")
    assert parse_html(unmarked.format(meta="", long=LONG, more=MORE)).title == (
        "Harbour lamps lit again after repairs"  # the headline as the story's first line
    )
    card = '<meta property="og:title" content="Lamps back on the old quay">'
    assert parse_html(GENERIC.format(meta=card, long=LONG, more=MORE)).title == (
        "Lamps back on the old quay"
    )


def test_a_real_title_is_kept_whatever_the_page_marks() -> None:
    page = GENERIC.replace("News from The Harbour Gazette", "The Quay at Night")
    assert parse_html(page.format(meta="", long=LONG, more=MORE)).title == "The Quay at Night"


# 2. A fold that prints the start of a text, cut, and then the whole of it.


def test_a_cut_teaser_before_the_whole_text_is_the_folds() -> None:
    cut = LONG[:100]  # "… and the old qu"
    assert cut_short(cut, LONG)
    assert cut_short(cut + "...", LONG) and cut_short(cut + "…", LONG)
    assert unfold(f"{cut} {LONG}") == LONG
    first = LONG.split(", and")[0] + "."  # a finished sentence said twice: the writer's
    assert not cut_short(first, first + " " + MORE)
    assert unfold(f"{first} {first} {MORE}") == f"{first} {first} {MORE}"
    assert not cut_short("The harbour lamps", LONG)  # too short to be a teaser


def test_a_description_printed_twice_by_its_fold_is_read_once() -> None:
    one = (
        "<html><head><title>Lamp</title></head><body><article><h1>Brass Lamp</h1>"
        f"<h2>Description</h2><p>{LONG[:100]} {LONG} ...more</p>"
        f"<h2>Care</h2><p>{MORE}</p></article></body></html>"
    )
    two = one.replace(f"{LONG[:100]} {LONG} ...more", f"{LONG[:100]}...</p><p>{LONG}")
    for page in (one, two):
        description = parse_html(page).sections[0]
        assert [b.text for b in description.blocks] == [LONG]


# 3. A table's title set as a heading.

TABLE = """<html><head><title>Ferries</title></head><body><article>
<h1>More People Take the Ferry</h1><p>{long} As the table below shows, crossings grew.</p>
<div><section><header><{h}>Crossings have grown every year</{h}>
<p class="subtitle">Passengers per year on the island line</p></header>
<table><thead><tr><th>Year</th><th>Passengers</th></tr></thead>
<tbody><tr><td>2019</td><td>1,200</td></tr><tr><td>2020</td><td>1,450</td></tr></tbody>
</table></section></div><p>{more}</p><p>{long}</p></article></body></html>"""


def test_a_tables_title_introduces_the_table_and_is_no_episode() -> None:
    article = parse_html(TABLE.format(h="h5", long=LONG, more=MORE))
    assert len(article.sections) == 1
    texts = _texts(article)
    title = texts.index("Table: Crossings have grown every year")
    assert texts[title + 1] == "Passengers per year on the island line"
    assert texts[-2] == MORE  # the article goes on in the same episode


def test_a_section_heading_that_opens_on_a_table_stays_a_section() -> None:
    article = parse_html(TABLE.format(h="h2", long=LONG, more=MORE))
    assert [s.title for s in article.sections][-1] == "Crossings have grown every year"
