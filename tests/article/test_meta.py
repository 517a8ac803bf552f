"""The byline and date a page declares, cleaned for the feed."""

from __future__ import annotations

from datetime import date

import pytest

from audio_companion.article.html import parse_html
from audio_companion.article.meta import clean_author, page_meta, parse_date


@pytest.mark.parametrize(
    ("raw", "site", "expected"),
    [
        ("Joan Biskupic", "CNN", "Joan Biskupic"),
        ("Dana A Ford; Tom Watkins; CNN", "CNN", "Dana A Ford and Tom Watkins"),
        ("Condé Nast; Tom Bennett", "WIRED", "Tom Bennett"),
        ("LYNNE O'DONNELL", "", "Lynne O'Donnell"),
        ("National Desk", "cleveland.com", ""),
        ("CNN Wire", "FOX 13 News Utah (KSTU)", ""),
        ("Submitted", "", ""),
        ("LinkNaija", "LinkNaija | Nigeria's popular news platform", ""),
        ("By Mara Lind", "", "Mara Lind"),
        ("A One; B Two; C Three; D Four; E Five", "", "A One, B Two, C Three, D Four and others"),
        ("Mara Lind; mara lind", "", "Mara Lind"),
        (None, "", ""),
    ],
)
def test_clean_author_keeps_people_not_outlets(raw: str | None, site: str, expected: str) -> None:
    assert clean_author(raw, site) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2014-04-27", date(2014, 4, 27)),
        ("2023-11-06T10:00:00", date(2023, 11, 6)),
        ("1970-01-01", None),  # a zero timestamp, not a date
        ("2014-02-30", None),
        ("", None),
        (None, None),
        ("27 April 2014", None),
    ],
)
def test_parse_date(raw: str | None, expected: date | None) -> None:
    assert parse_date(raw) == expected


def test_a_date_after_today_is_not_believed() -> None:
    assert parse_date("2031-01-01", today=date(2026, 1, 1)) is None
    assert parse_date("2025-12-31", today=date(2026, 1, 1)) == date(2025, 12, 31)


def test_page_meta_from_trafilatura_attributes() -> None:
    meta = page_meta(
        {"author": "Ines Varga; Daily Lantern", "date": "2021-03-04", "sitename": "Daily Lantern"}
    )
    assert (meta.author, meta.published, meta.site) == (
        "Ines Varga",
        date(2021, 3, 4),
        "Daily Lantern",
    )


PAGE = """<html><head><title>Night Walks - Daily Lantern</title>
<meta name="author" content="Ines Varga">
<meta property="article:published_time" content="2021-03-04T08:00:00Z">
<meta property="og:site_name" content="Daily Lantern">
</head><body><article><h1>Night Walks</h1>
<p class="byline">By Ines Varga</p>
<p>Walking after dinner has become a small ritual for many couples in the old town,
and the council has added lamps along the river path to keep it going in winter.</p>
<p>The path is two kilometres long and lit until midnight; most walkers do a loop
in about half an hour, talking as they go and stopping at the bridge.</p>
</article></body></html>"""


def test_parse_html_carries_the_byline_and_date_but_does_not_read_them() -> None:
    article = parse_html(PAGE)
    assert article.author == "Ines Varga"
    assert article.published == date(2021, 3, 4)
    spoken = " ".join(b.text for s in article.sections for b in s.all_blocks())
    assert "Ines Varga" not in spoken + article.teaser


def test_a_date_only_in_the_prose_is_not_the_page_date() -> None:
    """htmldate's extensive search would take it (and a copyright year); we do not."""
    page = PAGE.replace(
        '<meta property="article:published_time" content="2021-03-04T08:00:00Z">', ""
    ).replace("<p>The path", "<p>Since 1 January 1998 the path")
    assert parse_html(page).published is None
