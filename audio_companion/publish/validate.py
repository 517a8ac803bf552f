"""Check a built feed against the rules podcast apps apply, before anyone subscribes.

Apple Podcasts and Podcasting 2.0 apps reject or silently mangle feeds that
break their rules (a CMYK cover, a wrong enclosure length, a bad date), and
they say so late and vaguely. `validate_feed` finds those problems locally:
it reads the XML and, for URLs under the feed's own address, the files behind
them. It reports problems as values and never raises on a bad feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from audio_companion.errors import CompanionError
from audio_companion.publish.cover import (
    COVER_DIGEST,
    cover_digest,
    cover_problems,
    published_cover,
)
from audio_companion.publish.feed import DESCRIPTION_MAX_BYTES
from audio_companion.publish.feed_checks import (
    DURATION_TOLERANCE_S,
    Checker,
    Problem,
    audio_seconds,
    check_json_chapters,
    check_psc_chapters,
    check_transcript,
    is_absolute,
    positive_int,
    tag,
    text_of,
)
from audio_companion.publish.feed_ext import (
    ITUNES_NS,
    PODCAST_NS,
    PODCAST_NS_ALIASES,
    PSC_NS,
    podcast_guid,
)
from audio_companion.publish.manifest import load_manifest

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"
AUDIO_TYPES = ("audio/mpeg", "audio/mp4", "audio/x-m4a")


def validate_feed(
    feed_xml: bytes, folder: Path | None, cover: tuple[str, str] | None = None
) -> list[Problem]:
    """Every rule the feed breaks, in document order; [] for a good feed.

    Pure except that files behind URLs under the feed's own address (its
    `atom:link rel="self"` without the last path segment) are read from `folder`.
    `cover`: the file name and digest of the cover the build published (its
    manifest says); that file must still have that digest.
    """
    for alias in PODCAST_NS_ALIASES:  # one namespace under two names (the spec says so)
        feed_xml = feed_xml.replace(f'"{alias}"'.encode(), f'"{PODCAST_NS}"'.encode())
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(feed_xml, parser)
    except etree.XMLSyntaxError as exc:
        return [Problem("feed", f"not well-formed XML ({exc}); expected an RSS 2.0 document")]
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None:
        return [Problem("feed", f"root is <{root.tag}>, expected <rss> with a <channel>")]
    check = Checker(folder, cover)
    _check_channel(channel, check)
    _check_items(channel, check)
    return check.problems


def _check_channel(channel: Any, check: Checker) -> None:
    where = "channel"
    for name in ("title", "link", "description"):
        if not text_of(channel, name):
            check.add(where, f"<{name}> is missing or empty; apps need it to list the show")
    description = text_of(channel, "description") or ""
    size = len(description.encode("utf-8"))
    if size > DESCRIPTION_MAX_BYTES:
        check.add(
            where, f"<description> is {size} bytes; Apple allows at most {DESCRIPTION_MAX_BYTES}"
        )
    if not text_of(channel, "language"):
        check.add(where, "<language> is missing; expected a language code such as en")

    self_href = None
    for link in channel.findall(tag(ATOM_NS, "link")):
        if link.get("rel") == "self":
            self_href = (link.get("href") or "").strip()
            break
    if self_href is None:
        check.add(where, '<atom:link rel="self"> is missing; expected the feed\'s own URL')
    elif not is_absolute(self_href):
        check.add(
            where, f'<atom:link rel="self"> href {self_href!r} is not an absolute http(s) URL'
        )
    else:
        parts = urlsplit(self_href)
        check.base = f"{parts.scheme}://{parts.netloc}{parts.path.rsplit('/', 1)[0]}/"

    image = channel.find(tag(ITUNES_NS, "image"))
    href = (image.get("href") or "").strip() if image is not None else ""
    if not href:
        check.add(where, "<itunes:image href> is missing; Apple requires show artwork")
    else:
        cover = check.local(href)
        if cover is not None:
            _check_cover(cover, check)
    category = channel.find(tag(ITUNES_NS, "category"))
    if category is None or not (category.get("text") or "").strip():
        check.add(where, "<itunes:category text> is missing; Apple requires a category")
    explicit = text_of(channel, tag(ITUNES_NS, "explicit"))
    if explicit not in ("true", "false"):
        check.add(where, f"<itunes:explicit> is {explicit!r}; expected 'true' or 'false'")
    if not text_of(channel, tag(ITUNES_NS, "author")):
        check.add(where, "<itunes:author> is missing or empty")
    show_type = text_of(channel, tag(ITUNES_NS, "type"))
    if show_type not in ("episodic", "serial"):
        check.add(where, f"<itunes:type> is {show_type!r}; expected 'episodic' or 'serial'")
    owner = channel.find(tag(ITUNES_NS, "owner"))
    if owner is None or not text_of(owner, tag(ITUNES_NS, "email")):
        check.add(where, "<itunes:owner> has no <itunes:email>; Apple mails ownership checks there")

    guid = text_of(channel, tag(PODCAST_NS, "guid"))
    if not guid:
        check.add(where, "<podcast:guid> is missing; expected the UUIDv5 of the feed URL")
    elif check.base is not None and self_href is not None:
        expected = podcast_guid(self_href)
        if guid != expected:
            check.add(where, f"<podcast:guid> is {guid}; the feed URL {self_href} gives {expected}")
    locked = text_of(channel, tag(PODCAST_NS, "locked"))
    if locked not in ("yes", "no"):
        check.add(where, f"<podcast:locked> is {locked!r}; expected 'yes' or 'no'")


def _check_cover(path: Path, check: Checker) -> None:
    if not path.is_file():
        check.add(path.name, "the cover image the feed points to does not exist")
        return
    data = path.read_bytes()
    for problem in cover_problems(data, path.name):
        check.add(path.name, problem)
    if (
        check.cover is not None
        and check.cover[0] == path.name
        and cover_digest(data) != check.cover[1]
    ):
        check.add(
            path.name,
            "the cover is not the one the last build published (its manifest says "
            "otherwise); build again to restore it",
        )


def _check_items(channel: Any, check: Checker) -> None:
    guids: dict[str, str] = {}
    numbers: dict[tuple[int, int], str] = {}
    for index, item in enumerate(channel.findall("item"), start=1):
        title = text_of(item, "title")
        where = f"item {index} ({title})" if title else f"item {index}"
        if not title:
            check.add(where, "<title> is missing or empty")
        guid = text_of(item, "guid")
        if not guid:
            check.add(where, "<guid> is missing; apps use it to tell episodes apart")
        elif guid in guids:
            check.add(where, f"<guid> {guid} is also used by {guids[guid]}; guids must be unique")
        else:
            guids[guid] = where
        _check_pub_date(text_of(item, "pubDate"), where, check)
        explicit = text_of(item, tag(ITUNES_NS, "explicit"))
        if explicit is not None and explicit not in ("true", "false"):
            check.add(where, f"<itunes:explicit> is {explicit!r}; expected 'true' or 'false'")
        if not text_of(item, "description"):
            check.add(where, "<description> is missing or empty; expected show notes")

        duration_text = text_of(item, tag(ITUNES_NS, "duration"))
        duration: int | None = None
        if duration_text is None:
            check.add(where, "<itunes:duration> is missing; expected whole seconds")
        elif not duration_text.isdigit():
            check.add(
                where, f"<itunes:duration> is {duration_text!r}; expected whole seconds (digits)"
            )
        else:
            duration = int(duration_text)
        measured = _check_enclosure(item, where, duration, check)
        limit = measured if measured is not None else duration

        season_episode: list[int | None] = []
        for name in ("season", "episode"):
            value = text_of(item, tag(ITUNES_NS, name))
            number = positive_int(value or "")
            if number is None:
                got = "missing" if value is None else repr(value)
                check.add(where, f"<itunes:{name}> is {got}; expected a positive integer")
            season_episode.append(number)
        season, episode = season_episode
        if season is not None and episode is not None:
            if (season, episode) in numbers:
                check.add(
                    where,
                    f"season {season} episode {episode} is also {numbers[(season, episode)]}; "
                    "each (season, episode) must be unique",
                )
            else:
                numbers[(season, episode)] = where

        for el in item.findall(tag(PODCAST_NS, "transcript")):
            check_transcript(el, where, check)
        for el in item.findall(tag(PODCAST_NS, "chapters")):
            check_json_chapters(el, where, limit, check)
        for el in item.findall(tag(PSC_NS, "chapters")):
            check_psc_chapters(el, where, check)


def _check_pub_date(text: str | None, where: str, check: Checker) -> None:
    if not text:
        check.add(where, "<pubDate> is missing; expected an RFC 2822 date")
        return
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        check.add(
            where,
            f"<pubDate> {text!r} is not an RFC 2822 date like Mon, 21 Sep 2026 14:13:20 +0000",
        )
        return
    if parsed.tzinfo is None:
        check.add(where, f"<pubDate> {text!r} has no time zone; expected e.g. +0000")


def _check_enclosure(item: Any, where: str, duration: int | None, check: Checker) -> float | None:
    """Check <enclosure> and its file; the file's measured duration when it was read."""
    enclosure = item.find("enclosure")
    if enclosure is None:
        check.add(where, "<enclosure> is missing; an episode needs its audio")
        return None
    url = (enclosure.get("url") or "").strip()
    length_text = (enclosure.get("length") or "").strip()
    mime = (enclosure.get("type") or "").strip()
    if not is_absolute(url):
        check.add(where, f"<enclosure url> {url!r} is not an absolute http(s) URL")
    length = positive_int(length_text)
    if length is None:
        check.add(
            where, f"<enclosure length> is {length_text!r}; expected the file size in bytes (> 0)"
        )
    if mime not in AUDIO_TYPES:
        check.add(where, f"<enclosure type> is {mime!r}; expected one of {', '.join(AUDIO_TYPES)}")
    path = check.local(url)
    if path is None:
        return None
    if not path.is_file():
        check.add(where, f"enclosure file {path.name} does not exist in the feed folder")
        return None
    size = path.stat().st_size
    if length is not None and size != length:
        check.add(
            where,
            f"enclosure file {path.name} is {size} bytes but <enclosure length> says {length}",
        )
    measured = audio_seconds(path)
    if measured is None:
        check.add(where, f"enclosure file {path.name} is not audio that could be read")
    elif duration is not None and abs(measured - duration) > DURATION_TOLERANCE_S:
        check.add(
            where,
            f"<itunes:duration> says {duration} s but {path.name} lasts {measured:.1f} s; "
            f"expected within {DURATION_TOLERANCE_S:g} s",
        )
    return measured


def feed_file(path: Path) -> Path:
    """The feed file `path` names: itself, or feed.xml when it is a folder."""
    return path / FEED_FILE if path.is_dir() else path


def validate_folder(path: Path) -> list[Problem]:
    """Validate a built feed folder (its feed.xml) or a feed file, with the files beside it."""
    target = feed_file(path)
    try:
        data = target.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return [
            Problem(
                str(target),
                f"cannot read the feed ({reason}); build one with: audio-companion build",
            )
        ]
    return validate_feed(data, target.parent, _published_cover(target.parent))


def _published_cover(folder: Path) -> tuple[str, str] | None:
    """The cover name and digest the folder's manifest recorded, if it has them."""
    try:
        manifest = load_manifest(folder)
    except CompanionError:
        return None  # a damaged manifest is the build's to report
    digest = manifest.extra.get(COVER_DIGEST)
    return None if digest is None else (published_cover(manifest), digest)


def count_episodes(feed_xml: bytes) -> int:
    """Number of <item>s, or 0 when the feed does not parse (that is reported elsewhere)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(feed_xml, parser)
    except etree.XMLSyntaxError:
        return 0
    return len(root.findall("channel/item"))


def format_problems(problems: Sequence[Problem]) -> str:
    """One `where: message` line per problem, as the CLI prints them."""
    return "\n".join(f"{p.where}: {p.message}" for p in problems)
