"""A small static file server for the feed folder that honours HTTP Range.

Podcast apps seek inside an episode by asking for byte ranges; Python's
`http.server` ignores Range and sends the whole file, so seeking stalls or
restarts. The pure helpers (`parse_range`, `content_type`, `resolve`) decide
everything; the handler only moves bytes. Stdlib only, so serving needs
nothing the build did not already need.
"""

from __future__ import annotations

import errno
import os
import re
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timezone
from email.message import Message
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, cast
from urllib.parse import unquote

from audio_companion.errors import InputError

CHUNK_BYTES = 64 * 1024
ALLOW = "GET, HEAD"

# Longest suffixes first in spirit: compound suffixes are checked before these.
_COMPOUND_TYPES = {".chapters.json": "application/json+chapters"}
_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".m4b": "audio/mp4",
    ".xml": "application/rss+xml; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}
DEFAULT_TYPE = "application/octet-stream"

_RANGE_SPEC = re.compile(r"(\d*)-(\d*)")
_ENTITY_TAG = re.compile(r'(?:W/)?"[^"]*"')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*")

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
        suffix = int(last)
        if suffix == 0:
            return "unsatisfiable"
        if size == 0:
            return None  # an empty file has no bytes to select; send it whole
        return max(0, size - suffix), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # invalid, not unsatisfiable: RFC says ignore it
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


def content_type(path: PurePath | str) -> str:
    """The Content-Type for a file name; apps are picky about audio and RSS types."""
    name = PurePath(path).name.lower()
    for suffix, kind in _COMPOUND_TYPES.items():
        if name.endswith(suffix):
            return kind
    return _TYPES.get(PurePath(name).suffix, DEFAULT_TYPE)


def resolve(root: Path, url_path: str) -> Path | None:
    """The regular file under `root` a request path names, or None to answer 404.

    Any ".." segment is refused outright rather than normalised: clients
    remove dot-segments before sending (RFC 3986), so one that arrives is an
    attack or a bug. Empty segments (`//x`) are skipped so that a base URL
    ending in "/" still works, and can never make the path absolute. The
    final check on the resolved path also stops symlinks that leave `root`.
    """
    target = _SCHEME.sub("", url_path, count=1)  # absolute-form request targets
    target = target.split("#", 1)[0].split("?", 1)[0]
    if not target.startswith("/"):
        return None
    try:
        decoded = unquote(target, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded or "\\" in decoded:
        return None
    segments = [s for s in decoded.split("/") if s not in ("", ".")]
    if ".." in segments:
        return None
    try:
        base = root.resolve(strict=True)
        found = base.joinpath(*segments).resolve(strict=True)
        if found.is_dir():
            found = (found / "index.html").resolve(strict=True)
    except (OSError, RuntimeError):  # missing, unreadable, or a symlink loop
        return None
    if not found.is_relative_to(base) or not found.is_file():
        return None
    return found


def entity_tag(size: int, mtime_ns: int) -> str:
    """A strong validator that changes whenever a rebuild rewrites the file."""
    return f'"{size:x}-{mtime_ns:x}"'


def _tags(header: str) -> list[str]:
    return _ENTITY_TAG.findall(header)


def _http_date(value: str) -> float | None:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
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


class FeedRequestHandler(BaseHTTPRequestHandler):
    """GET and HEAD for files under the server's root; every other method is 405."""

    protocol_version = "HTTP/1.1"  # keep-alive: apps fire many small range requests
    server_version = "audio-companion"
    sys_version = ""
    timeout = 60  # idle keep-alive connections must not hold a thread forever

    def do_GET(self) -> None:
        self._send_file(body=True)

    def do_HEAD(self) -> None:
        self._send_file(body=False)

    if not TYPE_CHECKING:  # hidden from mypy, which would otherwise accept any self.typo

        def __getattr__(self, name: str) -> Any:
            # The base class looks up do_<METHOD>: every other method lands here as 405.
            if name.startswith("do_"):
                return self._method_not_allowed
            raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        if not cast(FeedServer, self.server).quiet:
            super().log_message(format, *args)

    def _method_not_allowed(self) -> None:
        # An unread request body would be parsed as the next request: close instead.
        self.close_connection = True
        self._send_short(HTTPStatus.METHOD_NOT_ALLOWED, {"Allow": ALLOW, "Connection": "close"})

    def _send_short(self, status: HTTPStatus, headers: dict[str, str], body: bool = True) -> None:
        has_body = status != HTTPStatus.NOT_MODIFIED
        text = f"{status.value} {status.phrase}\n".encode() if has_body else b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if has_body:
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if body and text:
            self.wfile.write(text)

    def _send_file(self, body: bool) -> None:
        if self.headers.get("Content-Length", "0") != "0" or "Transfer-Encoding" in self.headers:
            self.close_connection = True  # we never read request bodies
        root = cast(FeedServer, self.server).root
        path = resolve(root, self.path)
        handle = _open(path) if path is not None else None
        if path is None or handle is None:
            self._send_short(HTTPStatus.NOT_FOUND, {}, body)  # never say why
            return
        with handle:
            stat = os.fstat(handle.fileno())
            size, mtime = stat.st_size, int(stat.st_mtime)
            etag = entity_tag(size, stat.st_mtime_ns)
            validators = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True)}
            if not_modified(self.headers, etag, mtime):
                self._send_short(HTTPStatus.NOT_MODIFIED, validators, body=False)
                return
            span: tuple[int, int] | Unsatisfiable | None = None
            wanted = self.headers.get("Range")
            # RFC 9110 §14.2: Range is defined for GET only, so HEAD describes the whole file.
            if body and wanted is not None and range_applies(self.headers, etag, mtime):
                span = parse_range(wanted, size)
            if span == "unsatisfiable":
                self._send_short(
                    HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                    {"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"},
                )
                return
            start, end = span if isinstance(span, tuple) else (0, size - 1)
            partial = isinstance(span, tuple)
            self.send_response(HTTPStatus.PARTIAL_CONTENT if partial else HTTPStatus.OK)
            self.send_header("Content-Type", content_type(path))
            self.send_header("Content-Length", str(end - start + 1))
            self.send_header("Accept-Ranges", "bytes")
            for name, value in validators.items():
                self.send_header(name, value)
            if partial:
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.end_headers()
            if body:
                self._copy(handle, start, end - start + 1)

    def _copy(self, handle: BinaryIO, start: int, length: int) -> None:
        """Stream in chunks: episodes can be far larger than we want in memory."""
        handle.seek(start)
        try:
            while length > 0:
                chunk = handle.read(min(CHUNK_BYTES, length))
                if not chunk:  # the file shrank under us: the length we sent is a lie
                    self.close_connection = True
                    return
                self.wfile.write(chunk)
                length -= len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            # Apps drop a connection mid-episode whenever the listener seeks.
            self.close_connection = True


def _open(path: Path) -> BinaryIO | None:
    try:
        return open(path, "rb")  # closed by the caller's `with`
    except OSError:
        return None


class FeedServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its root folder and whether to log."""

    daemon_threads = True

    def __init__(self, root: Path, host: str, port: int, quiet: bool = False) -> None:
        self.root = root
        self.quiet = quiet
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), FeedRequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup we never use; it can stall.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    @property
    def url(self) -> str:
        """The base URL clients use, with the real port when 0 asked for any free one."""
        host, port = str(self.server_address[0]), int(self.server_address[1])
        return base_url(host, port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up is routine, not worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


def base_url(host: str, port: int) -> str:
    """http://HOST:PORT/, with IPv6 addresses in brackets."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def make_server(
    root: Path, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False
) -> FeedServer:
    """Bind (but do not start) a server, turning the usual bind failures into fixes."""
    try:
        return FeedServer(root, host, port, quiet)
    except socket.gaierror as exc:
        raise InputError(
            f"cannot listen on host {host!r} ({exc.strerror}); use an address of this "
            "machine, e.g. --host 127.0.0.1"
        ) from exc
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputError(
                f"port {port} on {host} is already in use (another server?); "
                f"choose another with --port, e.g. --port {port + 1 if port else 8001}"
            ) from exc
        if exc.errno == errno.EACCES:
            raise InputError(
                f"port {port} needs administrator rights; use a port from 1024 up, e.g. --port 8000"
            ) from exc
        if exc.errno == errno.EADDRNOTAVAIL:
            raise InputError(
                f"{host} is not an address of this machine; use --host 127.0.0.1 "
                "(this machine) or --host 0.0.0.0 (the whole LAN)"
            ) from exc
        raise


def serve(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    quiet: bool = False,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve `root` until interrupted; `on_ready` gets the base URL once the port is bound."""
    with make_server(root, host, port, quiet) as server:
        if on_ready is not None:
            on_ready(server.url)
        server.serve_forever()


@contextmanager
def running_server(
    root: Path, host: str = "127.0.0.1", port: int = 0, quiet: bool = True
) -> Iterator[str]:
    """Serve `root` from a background thread for as long as the block runs; yields its URL."""
    server = make_server(root, host, port, quiet)
    # A short poll keeps shutdown (and so each test) quick.
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="feed-server", daemon=True
    )
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
