"""Render the RSS feed from plain values: a pure function, no files, no clock.

The tags follow Apple Podcasts' requirements, PSP-1 (`atom:link rel=self`),
Podcasting 2.0 (`podcast:guid`, `podcast:locked`, `podcast:transcript`,
`podcast:chapters`) and Podlove Simple Chapters for apps that read chapters
only from the feed.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from datetime import date, datetime

from feedgen.feed import FeedGenerator

from audio_companion.media.tags import Chapter
from audio_companion.publish.feed_ext import (
    AppleEntryExtension,
    AppleExtension,
    PodcastIndexEntryExtension,
    PodcastIndexExtension,
    podcast_guid,
)

DESCRIPTION_MAX_BYTES = 4000  # Apple's limit for the show description
TRANSCRIPT_TYPES = ("text/vtt", "application/x-subrip")  # what podcast:transcript takes


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
    locked: bool = True  # podcast:locked: other platforms must not import the feed


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
    chapters: tuple[Chapter, ...] = ()  # from the start of the audio
    chapters_url: str | None = None  # Podcasting 2.0 JSON chapters
    transcripts: tuple[Transcript, ...] = ()
    citations: tuple[str, ...] = ()  # sources the section cites, for the show notes
    author: str = ""  # the article's writers: itunes:author, dc:creator and the notes
    written: date | None = None  # the article's own date, for the notes


@dataclass(frozen=True)
class Transcript:
    url: str
    mime: str  # "text/vtt" or "application/x-subrip"


def clock(seconds: float) -> str:
    """A position as players show it, M:SS or H:MM:SS past an hour: the second it
    falls in (floored, so a chapter never reads later than where it starts)."""
    h, rest = divmod(max(0, math.floor(seconds)), 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def credit(ep: Episode) -> str:
    """ "Written by Ines Varga, published 4 March 2021.": the byline the narration
    leaves out. English month names, not the locale's: the feed's language is the
    show's, not the machine's."""
    when = (
        f"{ep.written.day} {MONTHS[ep.written.month - 1]} {ep.written.year}" if ep.written else ""
    )
    if ep.author and when:
        return f"Written by {ep.author}, published {when}."
    if ep.author:
        return f"Written by {ep.author}."
    return f"Published {when}." if when else ""


def show_notes_text(ep: Episode) -> str:
    """Plain-text show notes: the summary, the credit, the chapters with times, the sources."""
    parts = [ep.description, credit(ep)]
    if len(ep.chapters) > 1:
        parts.append("Chapters:\n" + "\n".join(f"{clock(c.start)} {c.title}" for c in ep.chapters))
    if ep.citations:
        parts.append("Sources:\n" + "\n".join(ep.citations))
    return "\n\n".join(p for p in parts if p)


def show_notes_html(ep: Episode) -> str:
    """The same show notes as HTML, for apps that render `content:encoded`.

    Blocks and list items go on lines of their own: apps that render HTML
    ignore the newlines, while clients that only strip the tags (terminal
    ones) would otherwise run the summary, "Chapters:" and the first chapter
    into one line.
    """
    out = [f"<p>{html.escape(p)}</p>" for p in ep.description.split("\n\n") if p.strip()]
    if line := credit(ep):
        out.append(f"<p>{html.escape(line)}</p>")
    if len(ep.chapters) > 1:
        items = [f"<li>{clock(c.start)} {html.escape(c.title)}</li>" for c in ep.chapters]
        out.append("\n".join(["<p>Chapters:</p>", "<ul>", *items, "</ul>"]))
    if ep.citations:
        items = [f"<li>{html.escape(c)}</li>" for c in ep.citations]
        out.append("\n".join(["<p>Sources:</p>", "<ul>", *items, "</ul>"]))
    return "\n".join(out)


def clip_bytes(text: str, limit: int = DESCRIPTION_MAX_BYTES) -> str:
    """`text` cut (at a word, with an ellipsis) to at most `limit` UTF-8 bytes."""
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[: limit - len("…".encode())].decode("utf-8", "ignore")
    return cut.rsplit(" ", 1)[0].rstrip() + "…"


def render_feed(channel: Channel, episodes: list[Episode]) -> bytes:
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("apple", AppleExtension, AppleEntryExtension)
    fg.register_extension("pod", PodcastIndexExtension, PodcastIndexEntryExtension)
    fg.title(channel.title)
    fg.description(clip_bytes(channel.description))
    fg.link(href=channel.feed_url, rel="self", type="application/rss+xml")
    fg.link(href=channel.link, rel="alternate")  # feedgen's RSS <link> is the last one set
    fg.language(channel.language)
    fg.author({"name": channel.author, "email": channel.owner_email})
    fg.generator(channel.generator)
    fg.image(url=channel.image_url, title=channel.title, link=channel.link)
    fg.podcast.itunes_author(channel.author)
    fg.podcast.itunes_owner(name=channel.author, email=channel.owner_email)
    fg.podcast.itunes_image(channel.image_url)
    fg.podcast.itunes_summary(clip_bytes(channel.description))
    fg.podcast.itunes_category(channel.category, channel.subcategory)
    fg.apple.explicit(channel.explicit)
    fg.apple.show_type("serial")
    fg.pod.guid(podcast_guid(channel.feed_url))
    fg.pod.locked(channel.locked, channel.owner_email)
    if any(ep.author for ep in episodes):
        fg.load_extension("dc")  # dc:creator, for apps that show a writer per episode
    if episodes:
        fg.lastBuildDate(max(e.published for e in episodes))

    # feedgen prepends entries; add newest first so the XML lists oldest last.
    for ep in sorted(episodes, key=lambda e: (e.published, e.season, e.number)):
        fe = fg.add_entry()
        fe.guid(ep.guid, permalink=False)
        fe.title(ep.title)
        fe.description(show_notes_text(ep))
        fe.content(show_notes_html(ep), type="CDATA")
        fe.enclosure(ep.url, str(ep.length_bytes), "audio/mpeg")
        fe.published(ep.published)
        fe.podcast.itunes_duration(round(ep.duration_s))
        fe.podcast.itunes_episode(ep.number)
        fe.podcast.itunes_season(ep.season)
        fe.podcast.itunes_episode_type("full")
        fe.apple.explicit(channel.explicit)
        if ep.author:
            fe.podcast.itunes_author(ep.author)
            fe.dc.dc_creator(ep.author)
        for t in ep.transcripts:
            fe.pod.transcript(t.url, t.mime, channel.language)
        if ep.chapters_url:
            fe.pod.chapters(ep.chapters_url)
        if ep.chapters:
            fe.pod.inline_chapters([(c.start, c.title) for c in ep.chapters])
    xml: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return xml
