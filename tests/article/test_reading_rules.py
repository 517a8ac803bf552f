"""How a reader handles four shapes of page the corpus showed (tests/article/corpus).

A generic site name as the <title>, a fold that prints a description twice,
a table's title set as a heading, and API signatures. Each is shown on a page
written here, and on a close shape that must stay as it is.
"""

from __future__ import annotations

import pytest

from audio_companion.article.apidoc import announce, signatures
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


# 4. API signatures on a reference page.

SIG = (
    '<dl class="py {kind}"><dt class="sig sig-object py" id="{id}">{prefix}{name}'
    '<span class="sig-paren">(</span>{params}<span class="sig-paren">)</span>'
    '<a class="headerlink" href="#{id}">¶</a></dt><dd><p>{said}</p>{inner}</dd></dl>'
)


def _name(prename: str, name: str) -> str:
    pre = f'<span class="sig-prename descclassname"><span class="pre">{prename}</span></span>'
    return (pre if prename else "") + (
        f'<span class="sig-name descname"><span class="pre">{name}</span></span>'
    )


def _param(name: str, default: str = "") -> str:
    said = f'<span class="n"><span class="pre">{name}</span></span>'
    if default:
        said += '<span class="o"><span class="pre">=</span></span>'
        said += f'<span class="default_value">{default}</span>'
    return f'<em class="sig-param">{said}</em>'


STAR = '<em class="sig-param"><span class="o"><span class="pre">*</span></span></em>'
KW = (
    '<em class="sig-param"><span class="o"><span class="pre">**</span></span>'
    '<span class="n">kw</span></em>'
)
METHOD = SIG.format(
    kind="method",
    id="lamps.Lamp.dim",
    prefix="",
    name=_name("", "dim"),
    params=_param("level")
    + '<span class="optional">[</span>, '
    + _param("step")
    + '<span class="optional">]</span>',
    said="Lower the light to <em>level</em>, one step at a time when a step is given, so "
    "that the change is slow enough for the eyes to follow it in a dark room.",
    inner="",
)
REFERENCE = (
    '<html><head><title>lamps</title></head><body><div role="main"><section>'
    "<h1>lamps — Lamp control</h1><p>This module switches and dims the lamps of a house, "
    "one at a time or all together, and reports what each of them is doing.</p>"
    "<section><h2>Functions</h2>"
    + SIG.format(
        kind="function",
        id="lamps.switch",
        prefix="",
        name=_name("lamps.", "switch"),
        params=", ".join(
            [_param("lamp"), _param("state"), STAR, _param("fade", "0"), _param("log", "None"), KW]
        ),
        said="Turn <em>lamp</em> on or off, fading over <em>fade</em> seconds; a lamp "
        "that is already in that state is left alone and nothing is written to the log.",
        inner="",
    )
    + SIG.format(
        kind="class",
        id="lamps.Lamp",
        prefix='<em class="property"><span class="pre">class</span> </em>',
        name=_name("lamps.", "Lamp"),
        params=", ".join([STAR, _param("colour", "None")]),
        said="One lamp of the house, with its colour, its brightness and the switch that "
        "turns it on; a lamp made without a colour shines white until one is given.",
        inner=METHOD,
    )
    + "</section></section></div></body></html>"
)


def test_an_api_entry_is_announced_then_described() -> None:
    texts = _texts(parse_html(REFERENCE))
    entry = texts.index("Function lamps.switch, taking lamp and state, and 2 optional arguments.")
    assert texts[entry + 1].startswith("Turn lamp on or off")
    assert "Class lamps.Lamp, taking 1 optional argument." in texts
    assert "Method dim, taking level and 1 optional argument." in texts
    assert not any("=" in text or "**" in text for text in texts)


def test_only_sphinx_signatures_are_announced() -> None:
    assert len(signatures(REFERENCE)) == 3
    assert signatures(REFERENCE.replace("sig-paren", "paren")) == {}
    plain = REFERENCE.replace('class="py ', 'class="std ')
    assert signatures(plain) == {}


@pytest.mark.parametrize(
    ("kind", "name", "required", "optional", "said"),
    [
        ("function", "lamps.off", [], 0, "Function lamps.off, taking no arguments."),
        (
            "exception",
            "lamps.Fault",
            ["lamp", "why", "when"],
            0,
            "Exception lamps.Fault, taking lamp, why and when.",
        ),
        (
            "staticmethod",
            "Lamp.make",
            ["kind"],
            3,
            "Static method Lamp.make, taking kind and 3 optional arguments.",
        ),
    ],
)
def test_announce(kind: str, name: str, required: list[str], optional: int, said: str) -> None:
    assert announce(kind, name, required, optional) == said
