"""Render the RSS feed from plain values: a pure function, no files, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from feedgen.feed import FeedGenerator

from audio_companion.podcast.feed_ext import AppleEntryExtension, AppleExtension


@dataclass(frozen=True)
class Channel:
    title: str
    description: str
    link: str
    feed_url: str
    language: str
    author: str
    owner_email: str
    image_url: str
    category: str
    subcategory: str | None
    explicit: bool
    generator: str


@dataclass(frozen=True)
class Episode:
    guid: str
    title: str
    description: str
    url: str
    length_bytes: int
    duration_s: float
    number: int
    season: int
    published: datetime


def render_feed(channel: Channel, episodes: list[Episode]) -> bytes:
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("apple", AppleExtension, AppleEntryExtension)
    fg.title(channel.title)
    fg.description(channel.description)
    fg.link(href=channel.feed_url, rel="self")
    fg.link(href=channel.link, rel="alternate")  # feedgen's RSS <link> is the last one set
    fg.language(channel.language)
    fg.author({"name": channel.author, "email": channel.owner_email})
    fg.generator(channel.generator)
    fg.image(url=channel.image_url, title=channel.title, link=channel.link)
    fg.podcast.itunes_author(channel.author)
    fg.podcast.itunes_owner(name=channel.author, email=channel.owner_email)
    fg.podcast.itunes_image(channel.image_url)
    fg.podcast.itunes_summary(channel.description)
    fg.podcast.itunes_category(channel.category, channel.subcategory)
    fg.apple.explicit(channel.explicit)
    fg.apple.show_type("serial")
    if episodes:
        fg.lastBuildDate(max(e.published for e in episodes))

    # feedgen prepends entries; add newest first so the XML lists oldest last.
    for ep in sorted(episodes, key=lambda e: (e.published, e.season, e.number)):
        fe = fg.add_entry()
        fe.guid(ep.guid, permalink=False)
        fe.title(ep.title)
        fe.description(ep.description)
        fe.enclosure(ep.url, str(ep.length_bytes), "audio/mpeg")
        fe.published(ep.published)
        fe.podcast.itunes_duration(round(ep.duration_s))
        fe.podcast.itunes_episode(ep.number)
        fe.podcast.itunes_season(ep.season)
        fe.podcast.itunes_episode_type("full")
        fe.apple.explicit(channel.explicit)
    xml: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return xml
