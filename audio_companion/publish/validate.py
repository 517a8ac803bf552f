"""Check a built feed against the rules podcast apps apply, before anyone subscribes.

Apple Podcasts and Podcasting 2.0 apps reject or silently mangle feeds that
break their rules (a CMYK cover, a wrong enclosure length, a bad date), and
they say so late and vaguely. `validate_feed` finds those problems locally:
it reads the XML and, for URLs under the feed's own address, the files behind
them. It reports problems as values and never raises on a bad feed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from audio_companion.errors import CompanionError
from audio_companion.publish.cover import COVER_DIGEST, cover_digest, cover_problems
from audio_companion.publish.feed import DESCRIPTION_MAX_BYTES, TRANSCRIPT_TYPES
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
CHAPTERS_TYPE = "application/json+chapters"
CHAPTERS_VERSION = "1.2.0"
DURATION_TOLERANCE_S = 1.0
NPT = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d{3})?")
SRT_FIRST_CUE = re.compile(
    r"1[ \t]*\r?\n\d{2}:\d{2}:\d{2},\d{3}[ \t]+-->[ \t]+\d{2}:\d{2}:\d{2},\d{3}"
)


@dataclass(frozen=True)
class Problem:
    where: str  # "channel", "item 3 (Title)" or a file name
    message: str  # what is wrong and what is expected


def _tag(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _text(parent: Any, tag: str) -> str | None:
    """Stripped text of the first `tag` child; None when there is no such child."""
    el = parent.find(tag)
    if el is None:
        return None
    return (el.text or "").strip()


def _is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _positive_int(text: str) -> int | None:
    return int(text) if text.isdigit() and int(text) > 0 else None


class _Checker:
    """Collects problems; maps URLs under the feed's own address to files in `folder`."""

    def __init__(self, folder: Path | None, cover_sha256: str | None = None) -> None:
        self.folder = folder
        self.cover_sha256 = cover_sha256  # what the last build published, if known
        self.base: str | None = None
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def local(self, url: str) -> Path | None:
        """The file behind `url` when it is served from the feed's folder, else None."""
        if self.folder is None or not self.base or not url.startswith(self.base):
            return None
        rel = unquote(urlsplit(url[len(self.base) :]).path)
        if not rel or any(part in ("", ".", "..") for part in rel.split("/")):
            return None  # not a plain file under the folder: nothing to check locally
        return self.folder / rel


def validate_feed(
    feed_xml: bytes, folder: Path | None, cover_sha256: str | None = None
) -> list[Problem]:
    """Every rule the feed breaks, in document order; [] for a good feed.

    Pure except that files behind URLs under the feed's own address (its
    `atom:link rel="self"` without the last path segment) are read from `folder`.
    `cover_sha256`: the digest of the cover the build published (its manifest
    says), which the cover file must still have.
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
    check = _Checker(folder, cover_sha256)
    _check_channel(channel, check)
    _check_items(channel, check)
    return check.problems


def _check_channel(channel: Any, check: _Checker) -> None:
    where = "channel"
    for name in ("title", "link", "description"):
        if not _text(channel, name):
            check.add(where, f"<{name}> is missing or empty; apps need it to list the show")
    description = _text(channel, "description") or ""
    size = len(description.encode("utf-8"))
    if size > DESCRIPTION_MAX_BYTES:
        check.add(
            where, f"<description> is {size} bytes; Apple allows at most {DESCRIPTION_MAX_BYTES}"
        )
    if not _text(channel, "language"):
        check.add(where, "<language> is missing; expected a language code such as en")

    self_href = None
    for link in channel.findall(_tag(ATOM_NS, "link")):
        if link.get("rel") == "self":
            self_href = (link.get("href") or "").strip()
            break
    if self_href is None:
        check.add(where, '<atom:link rel="self"> is missing; expected the feed\'s own URL')
    elif not _is_absolute(self_href):
        check.add(
            where, f'<atom:link rel="self"> href {self_href!r} is not an absolute http(s) URL'
        )
    else:
        parts = urlsplit(self_href)
        check.base = f"{parts.scheme}://{parts.netloc}{parts.path.rsplit('/', 1)[0]}/"

    image = channel.find(_tag(ITUNES_NS, "image"))
    href = (image.get("href") or "").strip() if image is not None else ""
    if not href:
        check.add(where, "<itunes:image href> is missing; Apple requires show artwork")
    else:
        cover = check.local(href)
        if cover is not None:
            _check_cover(cover, check)
    category = channel.find(_tag(ITUNES_NS, "category"))
    if category is None or not (category.get("text") or "").strip():
        check.add(where, "<itunes:category text> is missing; Apple requires a category")
    explicit = _text(channel, _tag(ITUNES_NS, "explicit"))
    if explicit not in ("true", "false"):
        check.add(where, f"<itunes:explicit> is {explicit!r}; expected 'true' or 'false'")
    if not _text(channel, _tag(ITUNES_NS, "author")):
        check.add(where, "<itunes:author> is missing or empty")
    show_type = _text(channel, _tag(ITUNES_NS, "type"))
    if show_type not in ("episodic", "serial"):
        check.add(where, f"<itunes:type> is {show_type!r}; expected 'episodic' or 'serial'")
    owner = channel.find(_tag(ITUNES_NS, "owner"))
    if owner is None or not _text(owner, _tag(ITUNES_NS, "email")):
        check.add(where, "<itunes:owner> has no <itunes:email>; Apple mails ownership checks there")

    guid = _text(channel, _tag(PODCAST_NS, "guid"))
    if not guid:
        check.add(where, "<podcast:guid> is missing; expected the UUIDv5 of the feed URL")
    elif check.base is not None and self_href is not None:
        expected = podcast_guid(self_href)
        if guid != expected:
            check.add(where, f"<podcast:guid> is {guid}; the feed URL {self_href} gives {expected}")
    locked = _text(channel, _tag(PODCAST_NS, "locked"))
    if locked not in ("yes", "no"):
        check.add(where, f"<podcast:locked> is {locked!r}; expected 'yes' or 'no'")


def _check_cover(path: Path, check: _Checker) -> None:
    if not path.is_file():
        check.add(path.name, "the cover image the feed points to does not exist")
        return
    data = path.read_bytes()
    for problem in cover_problems(data, path.name):
        check.add(path.name, problem)
    if check.cover_sha256 is not None and cover_digest(data) != check.cover_sha256:
        check.add(
            path.name,
            "the cover is not the one the last build published (its manifest says "
            "otherwise); build again to restore it",
        )


def _check_items(channel: Any, check: _Checker) -> None:
    guids: dict[str, str] = {}
    numbers: dict[tuple[int, int], str] = {}
    for index, item in enumerate(channel.findall("item"), start=1):
        title = _text(item, "title")
        where = f"item {index} ({title})" if title else f"item {index}"
        if not title:
            check.add(where, "<title> is missing or empty")
        guid = _text(item, "guid")
        if not guid:
            check.add(where, "<guid> is missing; apps use it to tell episodes apart")
        elif guid in guids:
            check.add(where, f"<guid> {guid} is also used by {guids[guid]}; guids must be unique")
        else:
            guids[guid] = where
        _check_pub_date(_text(item, "pubDate"), where, check)
        explicit = _text(item, _tag(ITUNES_NS, "explicit"))
        if explicit is not None and explicit not in ("true", "false"):
            check.add(where, f"<itunes:explicit> is {explicit!r}; expected 'true' or 'false'")
        if not _text(item, "description"):
            check.add(where, "<description> is missing or empty; expected show notes")

        duration_text = _text(item, _tag(ITUNES_NS, "duration"))
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
            value = _text(item, _tag(ITUNES_NS, name))
            number = _positive_int(value or "")
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

        for el in item.findall(_tag(PODCAST_NS, "transcript")):
            _check_transcript(el, where, check)
        for el in item.findall(_tag(PODCAST_NS, "chapters")):
            _check_json_chapters(el, where, limit, check)
        for el in item.findall(_tag(PSC_NS, "chapters")):
            _check_psc_chapters(el, where, check)


def _check_pub_date(text: str | None, where: str, check: _Checker) -> None:
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


def _check_enclosure(item: Any, where: str, duration: int | None, check: _Checker) -> float | None:
    """Check <enclosure> and its file; the file's measured duration when it was read."""
    enclosure = item.find("enclosure")
    if enclosure is None:
        check.add(where, "<enclosure> is missing; an episode needs its audio")
        return None
    url = (enclosure.get("url") or "").strip()
    length_text = (enclosure.get("length") or "").strip()
    mime = (enclosure.get("type") or "").strip()
    if not _is_absolute(url):
        check.add(where, f"<enclosure url> {url!r} is not an absolute http(s) URL")
    length = _positive_int(length_text)
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
    measured = _audio_seconds(path)
    if measured is None:
        check.add(where, f"enclosure file {path.name} is not audio that could be read")
    elif duration is not None and abs(measured - duration) > DURATION_TOLERANCE_S:
        check.add(
            where,
            f"<itunes:duration> says {duration} s but {path.name} lasts {measured:.1f} s; "
            f"expected within {DURATION_TOLERANCE_S:g} s",
        )
    return measured


def _audio_seconds(path: Path) -> float | None:
    import mutagen

    try:
        audio: Any = mutagen.File(str(path))
    except (mutagen.MutagenError, OSError):  # a broken or unreadable file
        return None
    if audio is None or getattr(audio, "info", None) is None:
        return None
    return float(audio.info.length)


def _check_transcript(el: Any, where: str, check: _Checker) -> None:
    url = (el.get("url") or "").strip()
    mime = (el.get("type") or "").strip()
    if not url:
        check.add(where, "<podcast:transcript> has no url")
    if mime not in TRANSCRIPT_TYPES:
        check.add(
            where,
            f"<podcast:transcript type> is {mime!r}; expected {' or '.join(TRANSCRIPT_TYPES)}",
        )
    path = check.local(url) if url else None
    if path is None:
        return
    if not path.is_file():
        check.add(where, f"transcript file {path.name} does not exist in the feed folder")
        return
    text = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
    if mime == "text/vtt" and not re.match(r"WEBVTT(?:[ \t\r\n]|$)", text):
        check.add(path.name, "a WebVTT transcript must start with the line WEBVTT")
    elif mime == "application/x-subrip" and not SRT_FIRST_CUE.match(text.lstrip()):
        check.add(
            path.name,
            "the first SubRip cue does not parse; expected '1' then "
            "'HH:MM:SS,mmm --> HH:MM:SS,mmm'",
        )


def _check_json_chapters(el: Any, where: str, duration: float | None, check: _Checker) -> None:
    url = (el.get("url") or "").strip()
    mime = (el.get("type") or "").strip()
    if not url:
        check.add(where, "<podcast:chapters> has no url")
    if mime != CHAPTERS_TYPE:
        check.add(where, f"<podcast:chapters type> is {mime!r}; expected {CHAPTERS_TYPE}")
    path = check.local(url) if url else None
    if path is None:
        return
    if not path.is_file():
        check.add(where, f"chapters file {path.name} does not exist in the feed folder")
        return
    name = path.name
    try:
        doc = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as exc:
        check.add(name, f"not valid JSON ({exc}); expected Podcasting 2.0 JSON chapters")
        return
    if not isinstance(doc, dict):
        check.add(name, "expected a JSON object with 'version' and 'chapters'")
        return
    if doc.get("version") != CHAPTERS_VERSION:
        check.add(name, f"version is {doc.get('version')!r}; expected {CHAPTERS_VERSION!r}")
    chapters = doc.get("chapters")
    if not isinstance(chapters, list):
        check.add(name, "'chapters' is missing or not a list")
        return
    starts: list[float] = []
    for n, chapter in enumerate(chapters, start=1):
        start = chapter.get("startTime") if isinstance(chapter, dict) else None
        if isinstance(start, bool) or not isinstance(start, int | float) or start < 0:
            check.add(name, f"chapter {n} startTime is {start!r}; expected seconds (a number >= 0)")
            continue
        starts.append(float(start))
        if duration is not None and start > duration + DURATION_TOLERANCE_S:
            check.add(
                name, f"chapter {n} starts at {start} s, after the episode ends ({duration} s)"
            )
    _check_order(starts, name, "startTime", check)


def _check_psc_chapters(el: Any, where: str, check: _Checker) -> None:
    starts: list[float] = []
    for n, chapter in enumerate(el.findall(_tag(PSC_NS, "chapter")), start=1):
        start = (chapter.get("start") or "").strip()
        m = NPT.fullmatch(start)
        if m is None:
            check.add(where, f"psc:chapter {n} start {start!r} is not HH:MM:SS or HH:MM:SS.mmm")
            continue
        h, mi, s, frac = m.groups()
        starts.append(int(h) * 3600 + int(mi) * 60 + int(s) + float(frac or 0))
    _check_order(starts, where, "psc:chapter start", check)


def _check_order(starts: Sequence[float], where: str, what: str, check: _Checker) -> None:
    for n in range(1, len(starts)):
        if starts[n] < starts[n - 1]:
            check.add(
                where,
                f"chapters out of order: {what} {starts[n]:g} s comes after {starts[n - 1]:g} s; "
                "expected non-decreasing times",
            )
            return


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


def _published_cover(folder: Path) -> str | None:
    """The cover digest the folder's manifest recorded, if it has a readable one."""
    try:
        return load_manifest(folder).extra.get(COVER_DIGEST)
    except CompanionError:
        return None  # a damaged manifest is the build's to report


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
