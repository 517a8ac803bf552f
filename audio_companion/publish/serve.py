"""A small static file server for the feed folder that honours HTTP Range.

Podcast apps seek inside an episode by asking for byte ranges; Python's
`http.server` ignores Range and sends the whole file, so seeking stalls or
restarts. Pure helpers decide everything: `parse_range`, `not_modified`,
`precondition_failed` and the CORS headers in publish.http_rules, `resolve`
and `content_type` in publish.targets; the handler only moves bytes.
Stdlib only, so serving needs nothing the build did not already need.

Hardening (issue 14): a listen backlog of 1024 instead of socketserver's 5,
which under 200 concurrent clients left SYNs dropped and requests stalled
for up to a minute; a deadline on each request header, so a client that
trickles bytes (slowloris) cannot hold a thread forever; strict request
lines (400/505 with a status line, Host required on HTTP/1.1); no dotfiles
(the builder's `.build.lock` and `.staging/`); and CORS, so web players on
other sites can fetch chapters and transcripts.
"""

from __future__ import annotations

import errno
import io
import os
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from audio_companion.errors import InputError
from audio_companion.publish.http_rules import (
    ALLOW,
    CORS_HEADERS,
    PREFLIGHT_HEADERS,
    REQUEST_VERSION,
    Unsatisfiable,
    entity_tag,
    not_modified,
    parse_range,
    precondition_failed,
    range_applies,
)
from audio_companion.publish.targets import content_type, resolve

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

CHUNK_BYTES = 64 * 1024
# socketserver listens with a backlog of 5: a burst of new connections overflows it and
# the kernel drops SYNs, which clients retry only after 1, 3, 7... seconds. Linux caps
# this at net.core.somaxconn (4096 on current kernels).
BACKLOG = 1024
# How long a connection may sit idle, take to send one request header, or stall while
# reading a reply (per 64 KiB chunk): nginx's client_header_timeout/send_timeout.
DEFAULT_CLIENT_TIMEOUT = 60.0


class _DeadlineReader(io.RawIOBase):
    """The socket's read side, with one deadline for a whole request header.

    A socket timeout alone restarts with every recv, so a client sending one
    byte every 59 seconds (slowloris) holds a thread forever. While armed,
    each recv may only wait for what is left of the deadline.
    """

    def __init__(self, sock: socket.socket, timeout: float) -> None:
        super().__init__()
        self._sock = sock
        self._timeout = timeout
        self.deadline: float | None = None

    def readable(self) -> bool:
        return True

    def arm(self) -> None:
        self.deadline = time.monotonic() + self._timeout

    def disarm(self) -> None:
        """Back to a plain per-operation timeout, for writing the reply."""
        self.deadline = None
        self._sock.settimeout(self._timeout)

    def readinto(self, buffer: WriteableBuffer) -> int:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request header took too long")
            self._sock.settimeout(left)
        return self._sock.recv_into(buffer)


class FeedRequestHandler(BaseHTTPRequestHandler):
    """GET, HEAD and OPTIONS for files under the server's root; every other method is 405."""

    protocol_version = "HTTP/1.1"  # keep-alive: apps fire many small range requests
    server_version = "audio-companion"
    _reader: _DeadlineReader
    _buffered: io.BufferedReader

    def version_string(self) -> str:
        # The base class appends " Python/3.x" (or a bare space): neither is anyone's business.
        return self.server_version

    def setup(self) -> None:
        timeout = cast(FeedServer, self.server).client_timeout
        super().setup()
        self.connection.settimeout(timeout)  # for writes; reads are timed by the reader
        self.rfile.close()  # replaced by one that keeps the header deadline
        self._reader = _DeadlineReader(self.connection, timeout)
        self.rfile = self._buffered = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        """The base class's loop step, with a deadline on the request header.

        A connection that sends nothing before the deadline (an idle
        keep-alive) is closed quietly; one that started a request and did
        not finish its header gets 408, as from nginx.
        """
        self._reader.arm()
        # Fresh for each request, so a 408 or a log line never shows the one before.
        self.requestline, self.command, self.request_version = "", "", "HTTP/1.1"
        started = False
        try:
            # Waits for the first byte, or finds it already read with the previous request.
            started = bool(self._buffered.peek(1))
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return  # the error reply is sent
            getattr(self, "do_" + self.command)()  # every method has one: 405 otherwise
            self.wfile.flush()
        except TimeoutError:
            self.close_connection = True
            if self._reader.deadline is not None and started:
                self._reader.disarm()
                self.send_error(HTTPStatus.REQUEST_TIMEOUT)

    def parse_request(self) -> bool:
        """The base class's parsing, made strict where it is lax or answers without a status line.

        It serves a two-word request line as HTTP/0.9 (a bare body, no
        status or headers), and answers a malformed or unsupported version
        without a status line; both are refused here, with one. HTTP/1.1
        requires exactly one Host header (RFC 9112 §3.2).
        """
        line = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = line.split()
        if not words:
            return super().parse_request()  # a blank line: the base class closes
        self.requestline = line  # request_version stays HTTP/1.1: an error gets a status line
        version = REQUEST_VERSION.fullmatch(words[-1]) if len(words) == 3 else None
        if version is None:
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request line")
            return False
        if version.group(1) != "1":
            self.send_error(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED)
            return False
        if not super().parse_request():
            return False
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1 or (not hosts and self.request_version != "HTTP/1.0"):
            self.send_error(HTTPStatus.BAD_REQUEST, "HTTP/1.1 needs one Host header")
            return False
        self._reader.disarm()
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Refuse a request the parser rejected: one plain-text line, then close.

        The connection is closed because after a bad request line or header
        we cannot know where the next request would start.
        """
        self.close_connection = True
        self.log_error("code %d, message %s", code, message or HTTPStatus(code).phrase)
        with suppress(OSError):  # the client may already be gone
            self._send_short(HTTPStatus(code), {"Connection": "close"}, body=self.command != "HEAD")

    def do_GET(self) -> None:
        self._send_file(body=True)

    def do_HEAD(self) -> None:
        self._send_file(body=False)

    def do_OPTIONS(self) -> None:
        """A CORS preflight (or a plain OPTIONS): which methods and headers a page may use."""
        self._refuse_body()
        if self.path == "*":
            self._send_short(HTTPStatus.NO_CONTENT, {"Allow": ALLOW})
            return
        if resolve(cast(FeedServer, self.server).root, self.path) is None:
            self._send_short(HTTPStatus.NOT_FOUND, CORS_HEADERS)
            return
        self._send_short(HTTPStatus.NO_CONTENT, {"Allow": ALLOW, **PREFLIGHT_HEADERS})

    if not TYPE_CHECKING:  # hidden from mypy, which would otherwise accept any self.typo

        def __getattr__(self, name: str) -> Any:
            # handle_one_request looks up do_<METHOD>: every other method lands here as 405.
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

    def _refuse_body(self) -> None:
        if self.headers.get("Content-Length", "0") != "0" or "Transfer-Encoding" in self.headers:
            self.close_connection = True  # we never read request bodies

    def _send_short(self, status: HTTPStatus, headers: dict[str, str], body: bool = True) -> None:
        has_body = status not in (HTTPStatus.NOT_MODIFIED, HTTPStatus.NO_CONTENT)
        text = f"{status.value} {status.phrase}\n".encode() if has_body else b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if has_body:
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(text)))
        elif status == HTTPStatus.NO_CONTENT:
            self.send_header("Content-Length", "0")
        self.end_headers()
        if body and text:
            self.wfile.write(text)

    def _send_file(self, body: bool) -> None:
        self._refuse_body()
        root = cast(FeedServer, self.server).root
        path = resolve(root, self.path)
        handle = _open(path) if path is not None else None
        if path is None or handle is None:
            self._send_short(HTTPStatus.NOT_FOUND, CORS_HEADERS, body)  # never say why
            return
        with handle:
            stat = os.fstat(handle.fileno())
            size, mtime = stat.st_size, int(stat.st_mtime)
            etag = entity_tag(size, stat.st_mtime_ns)
            validators = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True)}
            if precondition_failed(self.headers, etag, mtime):
                self._send_short(
                    HTTPStatus.PRECONDITION_FAILED, {**CORS_HEADERS, **validators}, body
                )
                return
            if not_modified(self.headers, etag, mtime):
                self._send_short(HTTPStatus.NOT_MODIFIED, {**CORS_HEADERS, **validators}, False)
                return
            span: tuple[int, int] | Unsatisfiable | None = None
            wanted = self.headers.get("Range")
            # RFC 9110 §14.2: Range is defined for GET only, so HEAD describes the whole file.
            if body and wanted is not None and range_applies(self.headers, etag, mtime):
                span = parse_range(wanted, size)
            if span == "unsatisfiable":
                self._send_short(
                    HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                    {"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes", **CORS_HEADERS},
                )
                return
            start, end = span if isinstance(span, tuple) else (0, size - 1)
            partial = isinstance(span, tuple)
            self.send_response(HTTPStatus.PARTIAL_CONTENT if partial else HTTPStatus.OK)
            self.send_header("Content-Type", content_type(path))
            self.send_header("Content-Length", str(end - start + 1))
            self.send_header("Accept-Ranges", "bytes")
            for name, value in {**validators, **CORS_HEADERS}.items():
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
    """A threading HTTP server that knows its root folder, its client timeout and whether to log."""

    daemon_threads = True
    request_queue_size = BACKLOG

    def __init__(
        self,
        root: Path,
        host: str,
        port: int,
        quiet: bool = False,
        client_timeout: float = DEFAULT_CLIENT_TIMEOUT,
    ) -> None:
        self.root = root
        self.quiet = quiet
        self.client_timeout = client_timeout
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
        # A client hanging up or stalling is routine, not worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


def base_url(host: str, port: int) -> str:
    """http://HOST:PORT/, with IPv6 addresses in brackets."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def make_server(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    quiet: bool = False,
    client_timeout: float = DEFAULT_CLIENT_TIMEOUT,
) -> FeedServer:
    """Bind (but do not start) a server, turning the usual bind failures into fixes."""
    if not client_timeout > 0:  # also refuses NaN
        raise InputError(
            f"the client timeout must be more than 0 seconds, not {client_timeout}; "
            f"e.g. --timeout {DEFAULT_CLIENT_TIMEOUT:g}"
        )
    try:
        return FeedServer(root, host, port, quiet, client_timeout)
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
    client_timeout: float = DEFAULT_CLIENT_TIMEOUT,
) -> None:
    """Serve `root` until interrupted; `on_ready` gets the base URL once the port is bound."""
    with make_server(root, host, port, quiet, client_timeout) as server:
        if on_ready is not None:
            on_ready(server.url)
        server.serve_forever()


@contextmanager
def running_server(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    quiet: bool = True,
    client_timeout: float = DEFAULT_CLIENT_TIMEOUT,
) -> Iterator[str]:
    """Serve `root` from a background thread for as long as the block runs; yields its URL."""
    server = make_server(root, host, port, quiet, client_timeout)
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
