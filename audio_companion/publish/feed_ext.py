"""feedgen extensions for the tags feedgen lacks or writes in an outdated form.

Apple reads `itunes:explicit` as "true"/"false" today; feedgen's podcast
extension only accepts yes/no/clean. Podcasting 2.0 (`podcast:`) and Podlove
Simple Chapters (`psc:`) have no feedgen extension at all. Rather than patch
the XML afterwards, these extensions own those elements.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"


class AppleExtension(BaseExtension):  # type: ignore[misc]
    def __init__(self) -> None:
        self._explicit: bool | None = None
        self._show_type: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS}

    def explicit(self, value: bool) -> None:
        self._explicit = value

    def show_type(self, value: str) -> None:
        if value not in ("episodic", "serial"):
            raise ValueError("itunes:type is 'episodic' or 'serial'")
        self._show_type = value

    def extend_rss(self, rss_feed: Any) -> Any:
        channel = rss_feed[0]
        if self._explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = (
                "true" if self._explicit else "false"
            )
        if self._show_type:
            xml_elem(f"{{{ITUNES_NS}}}type", channel).text = self._show_type
        return rss_feed


class AppleEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    def __init__(self) -> None:
        self._explicit: bool | None = None

    def explicit(self, value: bool) -> None:
        self._explicit = value

    def extend_rss(self, entry: Any) -> Any:
        if self._explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", entry).text = "true" if self._explicit else "false"
        return entry


# --- Podcasting 2.0 and Podlove Simple Chapters ----------------------------------------

# The spec names https://podcastindex.org/namespace/1.0 and requires clients to
# treat this, its original URI, as identical; gPodder's podcastparser (and so
# gPodder, among others) knows only this one, so this is the one we write.
PODCAST_NS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
PODCAST_NS_ALIASES = ("https://podcastindex.org/namespace/1.0",)
PSC_NS = "http://podlove.org/simple-chapters"
# The namespace the Podcasting 2.0 spec fixes for podcast:guid (UUIDv5 of the feed URL).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def podcast_guid(feed_url: str) -> str:
    """podcast:guid as the spec defines it: UUIDv5 of the feed URL without its
    scheme and trailing slashes, so every copy of the feed names the same show."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def npt(seconds: float) -> str:
    """Normal Play Time (HH:MM:SS.mmm), the form Podlove chapters use."""
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


class PodcastIndexExtension(BaseExtension):  # type: ignore[misc]
    """Channel tags: podcast:guid and podcast:locked."""

    def __init__(self) -> None:
        self._guid: str | None = None
        self._locked: tuple[bool, str] | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS, "psc": PSC_NS}

    def guid(self, value: str) -> None:
        self._guid = value

    def locked(self, value: bool, owner: str) -> None:
        self._locked = (value, owner)

    def extend_rss(self, rss_feed: Any) -> Any:
        channel = rss_feed[0]
        if self._guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self._guid
        if self._locked is not None:
            locked = xml_elem(f"{{{PODCAST_NS}}}locked", channel)
            locked.text = "yes" if self._locked[0] else "no"
            if self._locked[1]:
                locked.set("owner", self._locked[1])
        return rss_feed


class PodcastIndexEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """Item tags: podcast:transcript, podcast:chapters and inline psc:chapters."""

    def __init__(self) -> None:
        self._transcripts: list[tuple[str, str, str | None]] = []
        self._chapters_url: str | None = None
        self._inline: list[tuple[float, str]] = []

    def transcript(self, url: str, mime: str, language: str | None = None) -> None:
        self._transcripts.append((url, mime, language))

    def chapters(self, url: str) -> None:
        self._chapters_url = url

    def inline_chapters(self, chapters: list[tuple[float, str]]) -> None:
        self._inline = list(chapters)

    def extend_rss(self, entry: Any) -> Any:
        for url, mime, language in self._transcripts:
            el = xml_elem(f"{{{PODCAST_NS}}}transcript", entry)
            el.set("url", url)
            el.set("type", mime)
            if language:
                el.set("language", language)
            # Timed captions (cue per sentence), which apps may show in sync.
            el.set("rel", "captions")
        if self._chapters_url:
            el = xml_elem(f"{{{PODCAST_NS}}}chapters", entry)
            el.set("url", self._chapters_url)
            el.set("type", "application/json+chapters")
        if self._inline:
            group = xml_elem(f"{{{PSC_NS}}}chapters", entry)
            group.set("version", "1.2")
            for start, title in self._inline:
                el = xml_elem(f"{{{PSC_NS}}}chapter", group)
                el.set("start", npt(start))
                el.set("title", title)
        return entry
