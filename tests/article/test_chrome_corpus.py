"""The rules the corpus of real pages (tests/article/corpus) asked for, one by one.

Each is shown on the shape of the page that needed it, and on prose that looks
close and must stay.
"""

from __future__ import annotations

import pytest

from audio_companion.article import BlockKind
from audio_companion.article.html import parse_html
from audio_companion.article.lines import (
    continues,
    join_fragments,
    looks_like_code,
    stray_fragment,
    strip_permalink,
    strip_symbols,
    title_without_site,
    trim_chrome,
)
from audio_companion.article.model import Article


def _page(body: str, title: str = "A Page", head: str = "") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


def _texts(article: Article) -> list[str]:
    return [b.text for s in article.sections for b in s.all_blocks()]


PROSE = (
    "<p>The evening walk took longer than planned, and the lamps along the river were "
    "already lit when we came back to the house.</p>"
)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            "To access your bookmarks, create a new one. Learn more",
            "To access your bookmarks, create a new one.",
        ),
        ("Learn more about Page Inspector", ""),
        ("Shel, you never sounded so good. ...more", "Shel, you never sounded so good."),
        ("We stayed up to learn more", "We stayed up to learn more"),
        (
            "There is always more to learn more or less.",
            "There is always more to learn more or less.",
        ),
    ],
)
def test_trailing_calls_to_action_are_cut(line: str, kept: str) -> None:
    assert trim_chrome(line) == kept


@pytest.mark.parametrize(
    ("previous", "line", "joined"),
    [
        ("One source told The Grayzone that", "an official was robbed.", True),
        ("Throughout the black operations campaign,", "US intelligence appears to…", True),
        ("Previously detailed by the", "Guardian in 2015, the report…", True),
        ("then at the Italian daily La Repubblica", ", were failing to go through.", True),
        ("Spying, stealing diapers, and burglary plans", "Stefania Maurizi remembered…", False),
        ("Pompeo outlines the attack on Assange", "Pompeo's first public speech…", False),
        ("It was the end.", "and then it began again.", False),
        ('Journey to "the dark side"', "On February 26, 2017, Wikileaks…", False),
    ],
)
def test_split_paragraphs_continue(previous: str, line: str, joined: bool) -> None:
    assert continues(previous, line) is joined


def test_fragments_join_as_prose() -> None:
    assert join_fragments("then at the daily", "La Repubblica") == "then at the daily La Repubblica"
    assert join_fragments("La Repubblica", ", were failing.") == "La Repubblica, were failing."


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (">>> n = 37 >>> bin(37) '0b100101'", True),
        ("$ python -m json.tool mp_films.json", True),
        ("def default(self, o): try: iterable = iter(o)", True),
        ("for chunk in json.JSONEncoder().iterencode(bigobject): mysocket.write(chunk)", True),
        ("______...WR...W_.........................................", True),
        ("With the new syntax, the function is no longer needed.", False),
        ('"...," she said. "... — and then?"', False),
        ("(Suggested by Antoine Pitrou and Jesse Noller.)", False),
        ("For all its faults, the class of 1998 was kind.", False),
    ],
)
def test_code_in_a_quote_is_recognised(text: str, code: bool) -> None:
    assert looks_like_code(text) is code


@pytest.mark.parametrize(
    ("title", "names", "said"),
    [
        (
            "Takeaways from the trial | CNN Politics",
            ["CNN", "cnn.com", "politics"],
            "Takeaways from the trial",
        ),
        (
            "'The American friends': New court files -- Sott.net",
            ["Sott.net"],
            "'The American friends': New court files",
        ),
        (
            "LinkNaija | Nigeria's popular news platform: Nollywood Actress Is Stunning",
            ["LinkNaija | Nigeria's popular news platform"],
            "Nollywood Actress Is Stunning",
        ),
        (
            "Scrapinghub: Scrapinghub Enterprise Solutions",
            ["Scrapinghub"],
            "Scrapinghub Enterprise Solutions",
        ),
        (
            "All-new Sentra is here - Auto News",
            ["AutoIndustriya.com", "Auto News"],
            "All-new Sentra is here",
        ),
        ("What's New In Python 3.1", ["What's New In Python 3.1"], "What's New In Python 3.1"),
        ("Herman Melville - Moby-Dick", [""], "Herman Melville - Moby-Dick"),
        ("CNN's reporters - the inside story", ["CNN"], "CNN's reporters - the inside story"),
    ],
)
def test_title_loses_the_site_name(title: str, names: list[str], said: str) -> None:
    assert title_without_site(title, names) == said


def test_documentation_terms_lose_their_permalink_and_degrees_stay() -> None:
    assert strip_permalink("json.dump(obj, fp)¶") == "json.dump(obj, fp)"
    assert (
        strip_symbols("earth will pass 1.5°C of warming ✨") == "earth will pass 1.5°C of warming"
    )


def test_a_story_in_a_layout_table_is_read_paragraph_by_paragraph() -> None:
    """AP's pages hold the whole story in one table cell, with the copyright notice:
    flattened into one line, the notice took the story with it."""
    cell = "".join(
        f"<p>Paragraph {n} of the story, long enough to be prose in it.</p>" for n in (1, 2)
    )
    html = _page(
        f"<table><tr><td>{cell}<p>© 2016 The Associated Press. All rights reserved.</p></td></tr>"
        "</table><table><tr><td><p>AP Photo/Uncredited</p></td></tr></table>"
    )
    texts = _texts(parse_html(html))
    assert texts == [
        "Paragraph 1 of the story, long enough to be prose in it.",
        "Paragraph 2 of the story, long enough to be prose in it.",
    ]


def test_table_rows_are_never_joined_as_split_paragraphs() -> None:
    rows = "".join(
        f"<tr><td>{a}</td><td>{b}</td></tr>"
        for a, b in [("Chinese", "Han (variant"), ("испытание", "Russian")]
    )
    texts = _texts(parse_html(_page(PROSE + f"<table>{rows}</table>")))
    assert texts[-2:] == ["Chinese, Han (variant", "испытание, Russian"]


def test_definition_lists_read_as_terms_and_definitions() -> None:
    """Sphinx's API entries: a long signature is a paragraph of its own, a short
    term labels its definition, code inside a definition is announced, and a
    list of terms alone (Apache's status lines) is a plain list."""
    html = _page(
        "<h1>json</h1><h2>Basic Usage</h2>" + PROSE + "<dl>"
        "<dt>json.dumps(obj, *, skipkeys=False)¶</dt><dd><p>Serialize obj to a str.</p>"
        "<pre>&gt;&gt;&gt; json.dumps([1, 2])\n'[1, 2]'</pre><p>Changed in version 3.6.</p></dd>"
        "<dt>msg¶</dt><dd><p>The unformatted error message.</p></dd></dl>"
        "<dl><dt>Server MPM: prefork</dt><dt>Server uptime: 18 minutes</dt></dl>"
    )
    blocks = parse_html(html).sections[0].blocks[1:]
    assert [(b.kind, b.label, b.text) for b in blocks] == [
        (BlockKind.PARAGRAPH, "", "json.dumps(obj, *, skipkeys=False)"),
        (BlockKind.PARAGRAPH, "", "Serialize obj to a str."),
        # trafilatura makes a <pre> in a list item a quote, and loses its line breaks
        (BlockKind.CODE, "", ">>> json.dumps([1, 2]) '[1, 2]'"),
        (BlockKind.PARAGRAPH, "", "Changed in version 3.6."),
        (BlockKind.LIST_ITEM, "msg", "The unformatted error message."),
        (BlockKind.LIST_ITEM, "Server MPM", "prefork"),
        (BlockKind.LIST_ITEM, "Server uptime", "18 minutes"),
    ]


def test_feature_box_title_labels_its_text_and_its_link_goes() -> None:
    """Mozilla's boxes: a heading, a paragraph and a "Learn more about …" link."""
    boxes = "".join(
        f"<li><h3>{name}</h3><p>{text}</p><a href='/x'>Learn more about {name}</a></li>"
        for name, text in [
            ("Page Inspector", "Examine the HTML and CSS of any Web page."),
            ("Web Console", "See logged information associated with a Web page."),
        ]
    )
    html = _page("<h1>Tools</h1><h2>Features</h2>" + PROSE + f"<ul>{boxes}</ul>")
    blocks = parse_html(html).sections[0].blocks[1:]
    assert [(b.kind, b.label, b.text) for b in blocks] == [
        (BlockKind.LIST_ITEM, "Page Inspector", "Examine the HTML and CSS of any Web page."),
        (BlockKind.LIST_ITEM, "Web Console", "See logged information associated with a Web page."),
    ]


def test_a_chrome_heading_ends_the_story_and_is_no_section() -> None:
    """TIME's "More Must-Reads" heading: before, it made the page sectioned (so
    the story became "Introduction") and its list of headlines the highlights."""
    html = _page(
        "<article><h1>Warming Says Hansen</h1>" + PROSE + "<h2>More Must-Reads From TIME</h2>"
        "<ul><li>The Best Inventions of 2023</li></ul>"
        "<p>Write to Alejandro de la Garza at alejandro.delagarza@time.com</p></article>"
    )
    article = parse_html(html)
    assert [s.title for s in article.sections] == ["Warming Says Hansen"]
    assert article.highlights == ()
    assert _texts(article) == [PROSE[3:-4]]


@pytest.mark.parametrize(
    ("text", "stray"),
    [
        ("per month", True),
        ("per user", True),
        ("and more", True),
        ("Per month", False),  # a capitalised line may be a heading
        ("per month.", False),
        ("we walked for an hour", False),  # four words: a sentence's start
        ("", False),
    ],
)
def test_stray_fragment(text: str, stray: bool) -> None:
    assert stray_fragment(text) is stray
