"""What `validate` needs to check one part of a feed: the problem list, the
feed's folder, and the checks of the files an item points to (transcripts,
JSON chapters) and of chapter times.

Kept apart from `publish.validate` so each reads in one sitting; the rules
themselves are the podcast apps' (Apple, Podcasting 2.0), as there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from audio_companion.publish.feed import TRANSCRIPT_TYPES
from audio_companion.publish.feed_ext import PSC_NS

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


def tag(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def text_of(parent: Any, tag: str) -> str | None:
    """Stripped text of the first `tag` child; None when there is no such child."""
    el = parent.find(tag)
    if el is None:
        return None
    return (el.text or "").strip()


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def positive_int(text: str) -> int | None:
    return int(text) if text.isdigit() and int(text) > 0 else None


class Checker:
    """Collects problems; maps URLs under the feed's own address to files in `folder`."""

    def __init__(self, folder: Path | None, cover: tuple[str, str] | None = None) -> None:
        self.folder = folder
        self.cover = cover  # (file name, sha256) of the cover the last build published
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


def audio_seconds(path: Path) -> float | None:
    import mutagen

    try:
        audio: Any = mutagen.File(str(path))
    except (mutagen.MutagenError, OSError):  # a broken or unreadable file
        return None
    if audio is None or getattr(audio, "info", None) is None:
        return None
    return float(audio.info.length)


def check_transcript(el: Any, where: str, check: Checker) -> None:
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


def check_json_chapters(el: Any, where: str, duration: float | None, check: Checker) -> None:
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
    check_order(starts, name, "startTime", check)


def check_psc_chapters(el: Any, where: str, check: Checker) -> None:
    starts: list[float] = []
    for n, chapter in enumerate(el.findall(tag(PSC_NS, "chapter")), start=1):
        start = (chapter.get("start") or "").strip()
        m = NPT.fullmatch(start)
        if m is None:
            check.add(where, f"psc:chapter {n} start {start!r} is not HH:MM:SS or HH:MM:SS.mmm")
            continue
        h, mi, s, frac = m.groups()
        starts.append(int(h) * 3600 + int(mi) * 60 + int(s) + float(frac or 0))
    check_order(starts, where, "psc:chapter start", check)


def check_order(starts: Sequence[float], where: str, what: str, check: Checker) -> None:
    for n in range(1, len(starts)):
        if starts[n] < starts[n - 1]:
            check.add(
                where,
                f"chapters out of order: {what} {starts[n]:g} s comes after {starts[n - 1]:g} s; "
                "expected non-decreasing times",
            )
            return
