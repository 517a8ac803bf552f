"""Fetching an article over HTTP(S): one InputError line for every failure.

Every failure becomes one InputError line that names the address and the
problem. Turning the bytes into text is article.decode's job (the same steps
serve saved files); its names are re-exported here, where callers have always
found them.

A server is not trusted to behave: one deadline covers the whole fetch
(connect, every redirect, the body), every redirect hop must be http(s) again,
gzip and deflate are unpacked while streaming and the size cap applies to the
unpacked page (FetchSettings holds the limits).
"""

from __future__ import annotations

import http.client
import io
import re
import socket
import ssl
import string
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from audio_companion import __version__
from audio_companion.article.decode import (
    Decoded,
    decode_bytes,
    encoding_label,
    guess_encoding,
    meta_charset,
)
from audio_companion.errors import InputError

__all__ = [
    "USER_AGENT",
    "Decoded",
    "FetchSettings",
    "Page",
    "decode_bytes",
    "encoding_label",
    "fetch_page",
    "fetch_url",
    "guess_encoding",
    "is_url",
    "meta_charset",
]

USER_AGENT = f"audio-companion/{__version__} (+article reader; offline podcast builder)"
_ACCEPT = "text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.9,*/*;q=0.5"
_ENCODINGS = "gzip, deflate"


def is_url(text: str) -> bool:
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text) is not None


@dataclass(frozen=True)
class FetchSettings:
    """Limits on fetching one page; the defaults are the README's.

    A slow, huge or hostile server must not hang a build or fill memory, so the
    limits cover the whole fetch, not each socket operation: a server sending one
    byte every few seconds still stops at `deadline`.
    """

    deadline: float = 30.0  # seconds for everything: connect, every redirect, the body
    max_bytes: int = 20_000_000  # the page's size, on the wire and after unpacking gzip
    max_redirects: int = 10  # hops followed before giving up (a redirect loop)

    def __post_init__(self) -> None:
        """Checked here because the values come from options a person typed."""
        if not self.deadline > 0:
            raise InputError(f"fetch deadline {self.deadline:g} s: give a number of seconds over 0")
        if self.max_bytes < 1:
            raise InputError(f"fetch size limit {self.max_bytes}: give a number of bytes over 0")
        if self.max_redirects < 0:
            raise InputError(f"fetch redirect limit {self.max_redirects}: give 0 or more")


_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_READ_SIZE = 65_536
_SAVE_IT = "save the page from a browser and give the file instead"


class _Refused(Exception):
    """A problem fetch_page words itself; the text follows '<url>: '."""


class _Deadline:
    """One absolute deadline for a whole fetch, on an injectable clock."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds

    def left(self) -> float:
        """Seconds still allowed; TimeoutError once none are left."""
        left = self._end - self._clock()
        if left <= 0:
            raise TimeoutError(f"the fetch took over {self.seconds:g} s")
        return left

    def expired(self) -> bool:
        return self._end - self._clock() <= 0


class _DeadlineReader(io.RawIOBase):
    """Socket reads that each wait only for what is left of the deadline.

    A socket timeout alone restarts on every byte received; setting it to the
    time left before every read makes the deadline absolute, for headers,
    chunk sizes and the body alike.
    """

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # keeps the socket open until closed
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        self._sock.settimeout(self._deadline.left())
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _connections(
    deadline: _Deadline,
) -> tuple[type[http.client.HTTPConnection], type[http.client.HTTPSConnection]]:
    """Connection classes whose responses read through the deadline."""

    class Response(http.client.HTTPResponse):
        def __init__(
            self,
            sock: socket.socket,
            debuglevel: int = 0,
            method: str | None = None,
            url: Any = None,
        ) -> None:
            super().__init__(sock, debuglevel, method, url)
            self.fp.close()
            self.fp = io.BufferedReader(_DeadlineReader(sock, deadline))

    class Plain(http.client.HTTPConnection):
        response_class = Response

    class Secure(http.client.HTTPSConnection):
        response_class = Response

    return Plain, Secure


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, connection: type[http.client.HTTPConnection]) -> None:
        super().__init__()
        self._connection = connection

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, connection: type[http.client.HTTPSConnection]) -> None:
        super().__init__()
        self._connection = connection
        self._tls = ssl.create_default_context()

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req, context=self._tls)


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """http and https only (through the user's proxy, if set); no redirect or
    error handling, because fetch_page checks every status and hop itself."""
    plain, secure = _connections(deadline)
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        _HTTPHandler(plain),
        _HTTPSHandler(secure),
        urllib.request.UnknownHandler(),
    ):
        opener.add_handler(handler)
    return opener


class _Unpacker:
    """A Content-Encoding undone while streaming, never past `cap` bytes.

    The cap applies to the unpacked size, so a small gzip bomb stops at the
    limit instead of filling memory.
    """

    def __init__(self, encoding_header: str, cap: int) -> None:
        codings = [c.strip().lower() for c in encoding_header.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise _Refused(
                f"the server packed the page {len(codings)} times ({encoding_header}), "
                f"which this program does not unpack; {_SAVE_IT}"
            )
        self.coding = codings[0] if codings else ""
        if self.coding not in ("", "gzip", "x-gzip", "deflate"):
            raise _Refused(
                f"the server sent the page compressed as '{self.coding}', which this program "
                f"cannot unpack (it reads gzip and deflate); {_SAVE_IT}"
            )
        self._cap = cap
        self._out = bytearray()
        self._pending = b""  # deflate: the first bytes, until zlib or raw can be told apart
        self._inflater: Any = None
        self._fed = False
        if self.coding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> None:
        self._fed = self._fed or bool(data)
        if not self.coding:
            self._keep(data)
            return
        if self._inflater is None:  # deflate: RFC says zlib-wrapped; some servers send raw
            self._pending += data
            if len(self._pending) < 2:
                return
            head = self._pending[0] << 8 | self._pending[1]
            zlib_wrapped = self._pending[0] & 0x0F == 8 and head % 31 == 0
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)
            data, self._pending = self._pending, b""
        try:
            while data:
                if self._inflater.eof:
                    if self.coding == "deflate" or not data.startswith(b"\x1f\x8b"):
                        return  # padding after the end, as browsers allow
                    self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)  # next gzip member
                self._keep(self._inflater.decompress(data, self._cap + 1 - len(self._out)))
                data = self._inflater.unused_data or self._inflater.unconsumed_tail
        except zlib.error as exc:
            raise self._damaged() from exc

    def finish(self) -> bytes:
        """The unpacked page; an empty body stays empty (the caller says so)."""
        unfinished = self._pending or (self._inflater is not None and not self._inflater.eof)
        if self.coding and self._fed and unfinished:
            raise self._damaged()
        return bytes(self._out)

    def _keep(self, data: bytes) -> None:
        self._out += data
        if len(self._out) > self._cap:
            unpacked = "unpacks to" if self.coding else "is"
            raise _Refused(f"the page {unpacked} over the {self._cap:,} byte limit; {_SAVE_IT}")

    def _damaged(self) -> _Refused:
        return _Refused(
            f"cannot fetch: the {self.coding}-compressed page is damaged or cut short; "
            "try again later, or " + _SAVE_IT
        )


def _problem(exc: BaseException) -> str:
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return "cannot find that host (check the address and your connection)"
    if isinstance(reason, http.client.IncompleteRead):
        return "the connection closed before the whole page arrived; try again later"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"the site's certificate cannot be trusted ({reason.verify_message})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason) or type(reason).__name__


def _web_address(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _next_hop(current: str, location: str) -> str:
    """Where a redirect leads, refused unless it is http(s) again."""
    target = urllib.parse.urljoin(current, location.strip())
    target = urllib.parse.quote(target, encoding="iso-8859-1", safe=string.punctuation)
    if not _web_address(target):
        raise _Refused(
            f"redirected to {target}, which is not an http:// or https:// address; "
            "not following it (give the article's own web address, or a saved file)"
        )
    return target


@dataclass(frozen=True)
class Page:
    url: str
    text: str
    content_type: str  # "text/html", "text/plain", … (no parameters)
    encoding: str
    encoding_how: str  # as Decoded.how: "detected" means it was a guess


def fetch_url(
    url: str, settings: FetchSettings | None = None, clock: Callable[[], float] = time.monotonic
) -> tuple[str, str]:
    """(text, content type) of a web page; InputError naming the URL on any failure."""
    page = fetch_page(url, settings, clock)
    return page.text, page.content_type


def fetch_page(
    url: str, settings: FetchSettings | None = None, clock: Callable[[], float] = time.monotonic
) -> Page:
    """The page at url, decoded; InputError naming the URL on any failure.

    Redirects are followed by hand so that every hop is checked (http/https
    only, at most settings.max_redirects), and all of it shares one deadline.
    """
    settings = settings or FetchSettings()
    if not _web_address(url):
        raise InputError(f"{url}: not a web address; give an http:// or https:// URL")
    deadline = _Deadline(settings.deadline, clock)
    try:
        data, content_type, charset = _download(url, settings, deadline)
    except _Refused as exc:
        raise InputError(f"{url}: {exc}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        if deadline.expired() or isinstance(exc, TimeoutError):
            problem = (
                f"timed out: no whole page within {settings.deadline:g} s; "
                f"try again later, or {_SAVE_IT}"
            )
        else:
            problem = _problem(exc)
        raise InputError(f"{url}: cannot fetch: {problem}") from exc
    if not data.strip():
        raise InputError(f"{url}: the page is empty")
    decoded = decode_bytes(data, charset, html="html" in content_type)
    if decoded is None:
        raise InputError(f"{url}: cannot tell the page's character set; it declares none")
    return Page(url, decoded.text, content_type, decoded.encoding, decoded.how)


def _download(
    url: str, settings: FetchSettings, deadline: _Deadline
) -> tuple[bytes, str, str | None]:
    opener = _opener(deadline)
    current = url
    for _hop in range(settings.max_redirects + 1):
        request = urllib.request.Request(
            current,
            headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT, "Accept-Encoding": _ENCODINGS},
        )
        resp: http.client.HTTPResponse
        with opener.open(request, timeout=deadline.left()) as resp:
            location = resp.headers.get("Location")
            if resp.status in _REDIRECTS and location:
                current = _next_hop(current, location)
                continue
            if not 200 <= resp.status < 300:
                reason = f"{resp.status} {resp.reason}".rstrip()
                raise _Refused(f"cannot fetch: the server answered {reason}")
            data = _read_body(resp, settings.max_bytes)
            return data, resp.headers.get_content_type(), resp.headers.get_content_charset()
    raise _Refused(
        f"more than {settings.max_redirects} redirects (a redirect loop?); "
        "open it in a browser and give the address it ends at"
    )


def _read_body(resp: http.client.HTTPResponse, cap: int) -> bytes:
    """The body, unpacked, read in pieces so that no limit is passed by much."""
    length = resp.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > cap:
        raise _Refused(
            f"the page is {int(length):,} bytes, over the {cap:,} byte limit; {_SAVE_IT}"
        )
    unpacker = _Unpacker(resp.headers.get("Content-Encoding", ""), cap)
    received = 0
    while chunk := resp.read1(_READ_SIZE):
        received += len(chunk)
        if received > cap:
            raise _Refused(f"the page is over the {cap:,} byte limit; {_SAVE_IT}")
        unpacker.feed(chunk)
    return unpacker.finish()
