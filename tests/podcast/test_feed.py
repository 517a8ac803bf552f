"""The feed renderer is pure: fixed inputs give a byte-identical golden file."""

from datetime import datetime, timezone
from io import BytesIO

import feedparser
import podcastparser
from helpers import GOLDEN

from audio_companion.podcast.feed import Channel, Episode, render_feed

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
    )
    for n in (1, 2)
]


def test_feed_matches_golden() -> None:
    xml = render_feed(CHANNEL, EPISODES)
    golden = GOLDEN / "basic_feed.rss"
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
