"""The feed renderer is pure: fixed inputs give a byte-identical golden file."""

import html
import os
import re
from datetime import date, datetime, timezone
from io import BytesIO

import feedparser
import podcastparser
from helpers import GOLDEN

from audio_companion.media.tags import Chapter
from audio_companion.publish.feed import (
    Channel,
    Episode,
    Transcript,
    clip_bytes,
    credit,
    render_feed,
    show_notes_html,
    show_notes_text,
)
from audio_companion.publish.feed_ext import podcast_guid

CHANNEL = Channel(
    title="Evening Notes",
    description="A show about evenings.",
    link="https://example.org/show/",
    feed_url="https://example.org/show/feed.xml",
    language="en",
    author="Jo Example",
    owner_email="jo@example.org",
    image_url="https://example.org/show/cover.png",
    category="Health & Fitness",
    subcategory="Mental Health",
    explicit=False,
    generator="audio-companion test",
)
EPISODES = [
    Episode(
        guid=f"guid-{n}",
        title=f"Part {n}",
        description=f"Notes for part {n}.",
        url=f"https://example.org/show/part-{n}.mp3",
        length_bytes=1000 * n,
        duration_s=60.4 * n,
        number=n,
        season=1,
        published=datetime(2026, 1, n, 20, 0, tzinfo=timezone.utc),
        chapters=(Chapter(f"Part {n}", 0.0, 20.0), Chapter("Why <it> works & how", 20.0, 60.4 * n)),
        chapters_url=f"https://example.org/show/part-{n}.chapters.json",
        transcripts=(
            Transcript(f"https://example.org/show/part-{n}.vtt", "text/vtt"),
            Transcript(f"https://example.org/show/part-{n}.srt", "application/x-subrip"),
        ),
        citations=("Author, A. (2020). A study of evenings. Journal, 1, 2.",) if n == 1 else (),
    )
    for n in (1, 2)
]


def test_feed_matches_golden() -> None:
    xml = render_feed(CHANNEL, EPISODES)
    golden = GOLDEN / "basic_feed.rss"
    if os.environ.get("AC_UPDATE_GOLDEN"):
        golden.write_bytes(xml)
    assert xml.decode("utf-8") == golden.read_text("utf-8")


def test_explicit_is_written_as_apple_reads_it() -> None:
    xml = render_feed(CHANNEL, EPISODES).decode()
    assert "<itunes:explicit>false</itunes:explicit>" in xml
    explicit = render_feed(Channel(**{**CHANNEL.__dict__, "explicit": True}), EPISODES).decode()
    assert "<itunes:explicit>true</itunes:explicit>" in explicit
    assert "<itunes:explicit>no" not in xml and "clean" not in xml


def test_podcast_clients_read_the_feed() -> None:
    xml = render_feed(CHANNEL, EPISODES)
    parsed = podcastparser.parse(CHANNEL.feed_url, BytesIO(xml))
    assert parsed["title"] == "Evening Notes"
    assert parsed["cover_url"] == CHANNEL.image_url
    eps = sorted(parsed["episodes"], key=lambda e: e["published"])
    assert [e["title"] for e in eps] == ["Part 1", "Part 2"]
    assert [e["total_time"] for e in eps] == [60, 121]
    assert [e["enclosures"][0]["file_size"] for e in eps] == [1000, 2000]
    fp = feedparser.parse(xml)
    assert not fp.bozo, fp.get("bozo_exception")
    assert parsed["explicit"] is False
    explicit = render_feed(Channel(**{**CHANNEL.__dict__, "explicit": True}), EPISODES)
    assert podcastparser.parse(CHANNEL.feed_url, BytesIO(explicit))["explicit"] is True
    assert {e.id for e in fp.entries} == {"guid-1", "guid-2"}
    assert fp.feed.link == CHANNEL.link


def test_podcasting_2_tags() -> None:
    xml = render_feed(CHANNEL, EPISODES).decode()
    assert f"<podcast:guid>{podcast_guid(CHANNEL.feed_url)}</podcast:guid>" in xml
    assert '<podcast:locked owner="jo@example.org">yes</podcast:locked>' in xml
    assert (
        '<podcast:transcript url="https://example.org/show/part-1.vtt" type="text/vtt" '
        'language="en" rel="captions"/>'
    ) in xml
    assert 'type="application/x-subrip"' in xml
    assert (
        '<podcast:chapters url="https://example.org/show/part-2.chapters.json" '
        'type="application/json+chapters"/>'
    ) in xml
    assert '<psc:chapter start="00:00:20.000" title="Why &lt;it&gt; works &amp; how"/>' in xml
    assert 'rel="self" type="application/rss+xml"' in xml


def test_podcast_guid_follows_the_spec() -> None:
    # The example from the Podcasting 2.0 namespace documentation.
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )
    assert podcast_guid("mp3s.nashownotes.com/pc20rss.xml/") == podcast_guid(
        "http://mp3s.nashownotes.com/pc20rss.xml"
    )


def test_show_notes_list_chapters_with_times_and_sources() -> None:
    fp = feedparser.parse(render_feed(CHANNEL, EPISODES))
    first = next(e for e in fp.entries if e.id == "guid-1")
    assert "0:20 Why <it> works & how" in first.summary or "0:20 Why" in first.summary
    assert "Sources:" in first.summary and "A study of evenings" in first.summary
    html_notes = first.content[0].value
    assert "<li>0:20 Why &lt;it&gt; works &amp; how</li>" in html_notes


def test_long_descriptions_are_cut_to_apples_limit() -> None:
    text = "word " * 2000 + "ünïcödé"
    cut = clip_bytes(text)
    assert len(cut.encode("utf-8")) <= 4000 and cut.endswith("…")
    assert clip_bytes("short") == "short"


def _text_as_a_terminal_client_shows_it(fragment: str) -> list[str]:
    """The non-empty lines left when tags are dropped and nothing else is done, as
    a terminal podcast client that strips `content:encoded` to text shows it."""
    text = html.unescape(re.sub(r"<[^>]*>", "", fragment))
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_html_show_notes_keep_their_line_breaks_once_stripped_of_tags() -> None:
    """Blocks and list items are separated by newlines, so a client that drops the
    tags does not run the summary, the heading and the first chapter together
    ("…listening hard.Chapters:0:00 …" was seen)."""
    fp = feedparser.parse(render_feed(CHANNEL, EPISODES))
    first = next(e for e in fp.entries if e.id == "guid-1")
    assert _text_as_a_terminal_client_shows_it(first.content[0].value) == [
        "Notes for part 1.",
        "Chapters:",
        "0:00 Part 1",
        "0:20 Why <it> works & how",
        "Sources:",
        "Author, A. (2020). A study of evenings. Journal, 1, 2.",
    ]


def test_html_show_notes_are_well_formed() -> None:
    """The HTML variant stays one well-formed fragment whatever the whitespace."""
    from lxml import etree

    notes = show_notes_html(EPISODES[0])
    root = etree.fromstring(f"<div>{notes}</div>")
    assert [el.tag for el in root] == ["p", "p", "ul", "p", "ul"]
    assert [li.text for li in root[2]] == ["0:00 Part 1", "0:20 Why <it> works & how"]


def test_plain_show_notes_separate_their_parts_with_a_blank_line() -> None:
    assert show_notes_text(EPISODES[0]).split("\n\n") == [
        "Notes for part 1.",
        "Chapters:\n0:00 Part 1\n0:20 Why <it> works & how",
        "Sources:\nAuthor, A. (2020). A study of evenings. Journal, 1, 2.",
    ]


BYLINED = [
    Episode(**{**EPISODES[0].__dict__, "author": "Ines Varga", "written": date(2021, 3, 4)}),
    EPISODES[1],
]


def test_an_articles_writer_is_the_items_author_for_every_reader() -> None:
    xml = render_feed(CHANNEL, BYLINED)
    fp = feedparser.parse(xml)
    assert not fp.bozo, fp.get("bozo_exception")
    by_id = {e.id: e for e in fp.entries}
    assert by_id["guid-1"].author == "Ines Varga"  # itunes:author / dc:creator
    assert "author" not in by_id["guid-2"] or by_id["guid-2"].author == CHANNEL.author
    text = xml.decode()
    assert text.count("<dc:creator>Ines Varga</dc:creator>") == 1
    assert text.count("<itunes:author>Ines Varga</itunes:author>") == 1
    parsed = podcastparser.parse(CHANNEL.feed_url, BytesIO(xml))
    first = next(e for e in parsed["episodes"] if e["guid"] == "guid-1")
    assert "Written by Ines Varga, published 4 March 2021." in first["description"]


def test_without_bylines_the_feed_declares_no_dublin_core() -> None:
    assert b"purl.org/dc" not in render_feed(CHANNEL, EPISODES)


def test_credit_line() -> None:
    ep = EPISODES[0]
    assert credit(ep) == ""
    assert credit(Episode(**{**ep.__dict__, "author": "A B"})) == "Written by A B."
    assert credit(Episode(**{**ep.__dict__, "written": date(2014, 4, 27)})) == (
        "Published 27 April 2014."
    )
    both = Episode(**{**ep.__dict__, "author": "A B", "written": date(2014, 12, 1)})
    assert show_notes_text(both).split("\n\n")[:2] == [ep.description, credit(both)]
    assert "<p>Written by A B, published 1 December 2014.</p>" in show_notes_html(both)
