"""The HTTP rules the feed server follows, as pure functions of a request's headers.

Split from serve.py so that what RFC 9110/9112 say a request gets can be read
(and tested) apart from the sockets and threads that move the bytes: which
byte range a Range header selects, which validators make a GET 304 or 412,
whether If-Range lets a Range through, which request-line versions are
accepted, and the CORS headers every answer carries. Nothing here does I/O.
"""

from __future__ import annotations

import re
from datetime import timezone
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Literal

ALLOW = "GET, HEAD, OPTIONS"

# Every file is public, so any web page may read it (a player on another site fetching
# chapters or a transcript). Content-Range, Accept-Ranges and ETag are not readable
# cross-origin unless exposed; Content-Length and Last-Modified always are.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Range, Accept-Ranges, ETag",
}
# The answer to a preflight OPTIONS: browsers send one before a Range that is not a
# single "bytes=N-" or "bytes=N-M", or before any conditional header.
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": ALLOW,
    "Access-Control-Allow-Headers": (
        "Range, If-Range, If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since"
    ),
    "Access-Control-Max-Age": "86400",
}

_RANGE_SPEC = re.compile(r"(\d*)-(\d*)")
_ENTITY_TAG = re.compile(r'(?:W/)?"[^"]*"')
REQUEST_VERSION = re.compile(r"HTTP/(\d)\.\d")  # RFC 9112 §2.3: one digit each side

Unsatisfiable = Literal["unsatisfiable"]


def parse_range(header: str, size: int) -> tuple[int, int] | Unsatisfiable | None:
    """The inclusive byte span a Range header asks for, per RFC 9110 §14.

    None means "send the whole file" (200): the header is malformed, uses an
    unknown unit, is an invalid range (last < first), or asks for several
    ranges. Answering a multi-range request with the whole file is allowed
    (a server MAY ignore Range) and spares us multipart/byteranges, which no
    podcast app needs. A well-formed range that starts at or past the end, or
    a zero-length suffix, is "unsatisfiable" (416).
    """
    unit, sep, spec = header.strip().partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None
    specs = spec.split(",")
    if len(specs) != 1:
        return None
    match = _RANGE_SPEC.fullmatch(specs[0].strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first:
        if not last:
            return None  # "bytes=-" is not a range at all
        if _magnitude(last) == _magnitude("0"):
            return "unsatisfiable"
        if size == 0:
            return None  # an empty file has no bytes to select; send it whole
        return size - _capped(last, size), size - 1
    if last and _magnitude(last) < _magnitude(first):
        return None  # invalid, not unsatisfiable: RFC says ignore it
    start = _capped(first, size)
    if start >= size:
        return "unsatisfiable"
    return start, _capped(last, size - 1) if last else size - 1


def _magnitude(digits: str) -> tuple[int, str]:
    """A sort key for a decimal numeral of any length, without converting it.

    int() refuses numerals over 4300 digits (a ValueError, so a traceback and
    no reply); a client can send a thousand times that in one header.
    """
    digits = digits.lstrip("0") or "0"
    return len(digits), digits


def _capped(digits: str, cap: int) -> int:
    """min(int(digits), cap) for a numeral of any length; `cap` is at least 0."""
    magnitude = _magnitude(digits)  # also drops leading zeros, which count towards the limit
    return cap if magnitude > _magnitude(str(cap)) else int(magnitude[1])


def entity_tag(size: int, mtime_ns: int) -> str:
    """A strong validator that changes whenever a rebuild rewrites the file."""
    return f'"{size:x}-{mtime_ns:x}"'


def _tags(header: str) -> list[str]:
    return _ENTITY_TAG.findall(header)


def _http_date(value: str) -> float | None:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):  # a year of 20 digits overflows
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp()


def not_modified(headers: Message, etag: str, mtime: int) -> bool:
    """Whether a conditional GET/HEAD gets 304.

    If-None-Match, when present, wins over If-Modified-Since (RFC 9110 §13.2.2).
    """
    none_match = headers.get("If-None-Match")
    if none_match is not None:
        if none_match.strip() == "*":
            return True
        weak = etag.removeprefix("W/")
        return any(tag.removeprefix("W/") == weak for tag in _tags(none_match))
    since = headers.get("If-Modified-Since")
    if since is not None:
        when = _http_date(since)
        return when is not None and mtime <= when
    return False


def precondition_failed(headers: Message, etag: str, mtime: int) -> bool:
    """Whether If-Match or If-Unmodified-Since fails (412), RFC 9110 §13.2.2 steps 1-2.

    A client resuming a download sends these to make sure it still has the
    same file; serving the new one would splice two versions together.
    If-Match, when present, wins over If-Unmodified-Since, and compares
    strongly: a weak tag never matches. An unreadable date is ignored.
    """
    if_match = headers.get("If-Match")
    if if_match is not None:
        if if_match.strip() == "*":
            return False  # the file exists
        return etag not in _tags(if_match)
    since = headers.get("If-Unmodified-Since")
    if since is not None:
        when = _http_date(since)
        return when is not None and mtime > when
    return False


def range_applies(headers: Message, etag: str, mtime: int) -> bool:
    """Whether If-Range (if any) lets Range through: a strong ETag match or the exact date."""
    if_range = headers.get("If-Range")
    if if_range is None:
        return True
    value = if_range.strip()
    if value.startswith(('"', "W/")):
        return value == etag  # strong comparison; a weak tag never matches
    when = _http_date(value)
    return when is not None and int(when) == mtime
