"""The feed server under hostile or careless clients (issue 14, items 8-10).

A burst of connections larger than socketserver's backlog of 5, idle and
trickling clients, protocol edge cases that used to answer without a status
line (or not at all), validators that must fail with 412, the builder's
dotfiles, and the CORS headers web players on other sites need.
"""

from __future__ import annotations

import http.client
import os
import re
import select
import signal
import socket
import sys
import time
from collections.abc import Iterator
from email.message import Message
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from child import Child
from click.testing import CliRunner

from audio_companion.cli import main
from audio_companion.errors import InputError
from audio_companion.publish.http_rules import not_modified, parse_range, precondition_failed
from audio_companion.publish.serve import make_server, running_server
from audio_companion.publish.targets import resolve

SIZE = 64 * 1024
HUGE = "9" * 5000  # past int()'s 4300-digit limit
LIMIT = 10.0  # the most any single socket wait below may take before the test fails


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A feed folder as the builder leaves it mid-build: a lock and a staging folder."""
    root = tmp_path / "feed"
    root.mkdir()
    (root / "ep01.mp3").write_bytes(os.urandom(SIZE))
    (root / "feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"/>', "utf-8")
    (root / "ep01.vtt").write_text("WEBVTT\n", "utf-8")
    (root / "ep01.chapters.json").write_text('{"version": "1.2.0", "chapters": []}', "utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "index.html").write_text("<h1>Sub</h1>", "utf-8")
    (root / "sub" / "notes.txt").write_text("notes", "utf-8")
    (root / ".build.lock").write_text("pid 4242 on builder-host\n", "utf-8")
    (root / ".staging").mkdir()
    (root / ".staging" / "ep02.mp3").write_bytes(b"half an episode")
    (root / ".staging" / "index.html").write_text("staged", "utf-8")
    (root / "sub" / ".hidden").write_text("hidden", "utf-8")
    (root / "lock.txt").symlink_to(root / ".build.lock")  # a public name for a dotfile
    return root


@pytest.fixture
def base(site: Path) -> Iterator[str]:
    with running_server(site) as url:
        yield url


def _address(base: str) -> tuple[str, int]:
    parts = urlsplit(base)
    return parts.hostname or "", parts.port or 80


def _request(
    base: str, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(*_address(base), timeout=LIMIT)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def _raw(base: str, data: bytes) -> bytes:
    """Send raw bytes, then read until the server closes (each wait bounded by LIMIT)."""
    with socket.create_connection(_address(base), timeout=LIMIT) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


# --- pure helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (f"bytes={HUGE}-", "unsatisfiable"),
        (f"bytes={HUGE}-{HUGE}", "unsatisfiable"),
        (f"bytes=0-{HUGE}", (0, 999)),
        (f"bytes=-{HUGE}", (0, 999)),
        (f"bytes={'0' * 5000}5-{'0' * 5000}9", (5, 9)),
        (f"bytes=-{'0' * 5000}", "unsatisfiable"),
        (f"bytes={HUGE}-{'8' * 5000}", None),  # last < first: invalid, ignored
        (f"bytes={'8' * 5000}-{HUGE}", "unsatisfiable"),
        (f"bytes=5-{'0' * 5000}3", None),
    ],
)
def test_parse_range_takes_numbers_of_any_length(header: str, expected: object) -> None:
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize(
    "url",
    [
        "/.build.lock",
        "/%2ebuild.lock",
        "/.staging/ep02.mp3",
        "/.staging/",
        "/.staging",
        "/sub/.hidden",
        "/lock.txt",  # a symlink to a dotfile
        "/feed.xml/",
        "/feed.xml/.",
        "/sub/notes.txt/",
        "/ep01.mp3//",
    ],
)
def test_resolve_refuses_dotfiles_and_files_named_as_folders(site: Path, url: str) -> None:
    assert resolve(site, url) is None


def test_resolve_still_finds_folders_with_a_slash(site: Path) -> None:
    assert resolve(site, "/sub/") == (site / "sub" / "index.html").resolve()
    assert resolve(site, "/sub/.") == (site / "sub" / "index.html").resolve()


def _headers(**fields: str) -> Message:
    message = Message()
    for name, value in fields.items():
        message[name.replace("_", "-")] = value
    return message


ETAG = '"10-abc"'
MTIME = 1_000_000


@pytest.mark.parametrize(
    ("fields", "failed"),
    [
        ({}, False),
        ({"If_Match": ETAG}, False),
        ({"If_Match": f'"x", {ETAG}'}, False),
        ({"If_Match": "*"}, False),
        ({"If_Match": '"other"'}, True),
        ({"If_Match": f"W/{ETAG}"}, True),  # strong comparison: weak tags never match
        ({"If_Unmodified_Since": formatdate(MTIME, usegmt=True)}, False),
        ({"If_Unmodified_Since": formatdate(MTIME + 60, usegmt=True)}, False),
        ({"If_Unmodified_Since": formatdate(MTIME - 60, usegmt=True)}, True),
        ({"If_Unmodified_Since": "not a date"}, False),
        # If-Match wins over If-Unmodified-Since (RFC 9110 §13.2.2).
        ({"If_Match": ETAG, "If_Unmodified_Since": formatdate(0, usegmt=True)}, False),
    ],
)
def test_precondition_failed(fields: dict[str, str], failed: bool) -> None:
    assert precondition_failed(_headers(**fields), ETAG, MTIME) is failed


def test_an_absurd_date_is_ignored_not_a_crash() -> None:
    year = "9" * 20  # OverflowError deep in the date parser
    absurd = _headers(If_Modified_Since=f"Mon, 01 Jan {year} 00:00:00 GMT")
    assert not_modified(absurd, ETAG, MTIME) is False
    absurd = _headers(If_Unmodified_Since=f"Mon, 01 Jan {year} 00:00:00 GMT")
    assert precondition_failed(absurd, ETAG, MTIME) is False


def test_a_timeout_must_be_positive(site: Path) -> None:
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(InputError, match="--timeout"):
            make_server(site, port=0, client_timeout=bad)


# --- over the wire: protocol edges ----------------------------------------------------


def test_a_5000_digit_range_is_416(base: str) -> None:
    status, headers, _ = _request(base, "/ep01.mp3", headers={"Range": f"bytes={HUGE}-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{SIZE}"
    status, _, body = _request(base, "/ep01.mp3", headers={"Range": f"bytes=0-{HUGE}"})
    assert status == 206 and len(body) == SIZE


def test_an_absurd_date_gets_the_file(base: str) -> None:
    absurd = {"If-Modified-Since": f"Mon, 01 Jan {'9' * 20} 00:00:00 GMT"}
    assert _request(base, "/feed.xml", headers=absurd)[0] == 200


@pytest.mark.parametrize(
    ("request_line", "status"),
    [
        ("GET /feed.xml HTTP/2.0", 505),
        ("GET /feed.xml HTTP/3.0", 505),
        ("GET /feed.xml HTTP/0.9", 505),
        ("GET /feed.xml HTTP/1.1.1", 400),
        ("GET /feed.xml HTTP/11", 400),
        ("GET /feed.xml HTTP/x.y", 400),
        ("GET /feed.xml http/1.1", 400),
        ("GET /feed.xml FTP/1.1", 400),
        ("GET /feed.xml", 400),  # HTTP/0.9 style: would get a bare body with no status
        ("GET", 400),
        ("GET /feed.xml HTTP/1.1 extra", 400),
    ],
)
def test_bad_request_lines_get_a_status_line(base: str, request_line: str, status: int) -> None:
    reply = _raw(base, f"{request_line}\r\nHost: x\r\n\r\n".encode())
    assert reply.startswith(f"HTTP/1.1 {status} ".encode()), reply[:80]
    assert b"Connection: close" in reply and b"<rss" not in reply


def test_http_1_1_needs_exactly_one_host(base: str) -> None:
    reply = _raw(base, b"GET /feed.xml HTTP/1.1\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400 "), reply[:80]
    reply = _raw(base, b"GET /feed.xml HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400 "), reply[:80]
    reply = _raw(base, b"GET /feed.xml HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 200 ") and reply.endswith(b'<rss version="2.0"/>')


def test_http_1_0_needs_no_host(base: str) -> None:
    reply = _raw(base, b"GET /feed.xml HTTP/1.0\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 200 ") and reply.endswith(b'<rss version="2.0"/>')


def test_the_server_header_is_just_the_name(base: str) -> None:
    reply = _raw(base, b"GET /feed.xml HTTP/1.0\r\n\r\n")
    assert b"\r\nServer: audio-companion\r\n" in reply


@pytest.mark.parametrize("path", ["/feed.xml/", "/ep01.mp3/", "/sub/notes.txt/"])
def test_a_file_named_as_a_folder_is_404(base: str, path: str) -> None:
    assert _request(base, path)[0] == 404


@pytest.mark.parametrize(
    "path", ["/.build.lock", "/%2Ebuild.lock", "/.staging/ep02.mp3", "/.staging/", "/lock.txt"]
)
def test_dotfiles_are_never_served(base: str, path: str) -> None:
    for method in ("GET", "HEAD", "OPTIONS"):
        status, _, body = _request(base, path, method)
        assert status == 404, method
        assert b"4242" not in body and b"half" not in body and b"staged" not in body


def test_if_match_and_if_unmodified_since_over_the_wire(base: str) -> None:
    _, headers, _ = _request(base, "/ep01.mp3", "HEAD")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert _request(base, "/ep01.mp3", headers={"If-Match": etag})[0] == 200
    assert _request(base, "/ep01.mp3", headers={"If-Match": '"stale"'})[0] == 412
    assert _request(base, "/ep01.mp3", "HEAD", {"If-Match": '"stale"'})[0] == 412
    assert _request(base, "/ep01.mp3", headers={"If-Unmodified-Since": modified})[0] == 200
    old = formatdate(0, usegmt=True)
    assert _request(base, "/ep01.mp3", headers={"If-Unmodified-Since": old})[0] == 412
    # A resumed download: the range only if the file is still the same one.
    resume = {"If-Match": etag, "Range": "bytes=100-199"}
    status, _, body = _request(base, "/ep01.mp3", headers=resume)
    assert status == 206 and len(body) == 100
    resume["If-Match"] = '"stale"'
    assert _request(base, "/ep01.mp3", headers=resume)[0] == 412


# --- over the wire: CORS --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/feed.xml", {}, 200),
        ("/ep01.chapters.json", {}, 200),
        ("/ep01.vtt", {}, 200),
        ("/ep01.mp3", {"Range": "bytes=0-9"}, 206),
        ("/ep01.mp3", {"Range": f"bytes={SIZE}-"}, 416),
        ("/ep01.mp3", {"If-None-Match": "*"}, 304),
    ],
)
def test_public_files_allow_any_origin(
    base: str, path: str, headers: dict[str, str], status: int
) -> None:
    got, reply, _ = _request(base, path, headers={"Origin": "https://player.example", **headers})
    assert got == status
    assert reply["Access-Control-Allow-Origin"] == "*"
    assert "Content-Range" in reply["Access-Control-Expose-Headers"]


def test_preflight_options(base: str) -> None:
    asked = {
        "Origin": "https://player.example",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "range",
    }
    status, headers, body = _request(base, "/ep01.chapters.json", "OPTIONS", asked)
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in headers["Access-Control-Allow-Methods"]
    assert "range" in headers["Access-Control-Allow-Headers"].lower()
    assert headers["Allow"] == "GET, HEAD, OPTIONS"
    assert _request(base, "/missing.json", "OPTIONS", asked)[0] == 404


# --- backlog and timeouts -------------------------------------------------------------


def test_a_burst_of_connections_fits_the_backlog(site: Path) -> None:
    """Before any accept(), 100 clients complete their handshakes: the kernel queues them.

    With socketserver's backlog of 5 the kernel drops the SYNs of all but
    the first few, and those clients retry only after 1, 3, 7... seconds.
    """
    clients: list[socket.socket] = []
    server = make_server(site, port=0, quiet=True)  # bound and listening, not accepting
    try:
        for _ in range(100):
            client = socket.socket()
            clients.append(client)
            client.setblocking(False)
            client.connect_ex(server.server_address[:2])
        pending = list(clients)
        deadline = time.monotonic() + LIMIT
        while pending and time.monotonic() < deadline:
            _, writable, _ = select.select([], pending, [], 0.5)
            pending = [c for c in pending if c not in writable]
        errors = [c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) for c in clients]
        assert not pending, f"{len(pending)} of 100 connections never completed"
        assert errors == [0] * 100
    finally:
        for client in clients:
            client.close()
        server.server_close()


def _closed_by_server(sock: socket.socket) -> bytes:
    """What the server sends before closing; fails (socket timeout) if it never closes."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_an_idle_connection_is_closed_quietly(site: Path) -> None:
    with (
        running_server(site, client_timeout=0.3) as url,
        socket.create_connection(_address(url), timeout=LIMIT) as sock,
    ):
        assert _closed_by_server(sock) == b""  # nothing sent, nothing answered


def test_an_idle_keep_alive_connection_is_closed_after_its_request(site: Path) -> None:
    with (
        running_server(site, client_timeout=0.3) as url,
        socket.create_connection(_address(url), timeout=LIMIT) as sock,
    ):
        sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n")
        reply = _closed_by_server(sock)
    assert reply.startswith(b"HTTP/1.1 200 ") and reply.endswith(b'<rss version="2.0"/>')


def test_a_trickling_header_is_cut_off_with_408(site: Path) -> None:
    """Slowloris: every byte arrives well within the timeout, the whole header never does."""
    with (
        running_server(site, client_timeout=0.3) as url,
        socket.create_connection(_address(url), timeout=LIMIT) as sock,
    ):
        sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n")
        reply = b""
        for _ in range(int(LIMIT / 0.05)):  # bounded: gives up after about LIMIT seconds
            readable, _, _ = select.select([sock], [], [], 0.05)
            if readable:
                reply = _closed_by_server(sock)
                break
            try:
                sock.sendall(b"X")  # one more byte of an endless header line
            except (BrokenPipeError, ConnectionResetError):
                break
    assert reply.startswith(b"HTTP/1.1 408 "), reply[:80]
    assert b"Connection: close" in reply


@pytest.mark.parametrize(
    "sent",
    [
        b"GET /feed.x",  # a request line that never ends
        b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n\r\nGET /feed.x",  # the next one, pipelined
    ],
)
def test_a_stalled_request_line_gets_408(site: Path, sent: bytes) -> None:
    with (
        running_server(site, client_timeout=0.3) as url,
        socket.create_connection(_address(url), timeout=LIMIT) as sock,
    ):
        sock.sendall(sent)
        reply = _closed_by_server(sock)
    assert reply.count(b"HTTP/1.1 ") == sent.count(b"HTTP/1.1") + 1
    assert reply[reply.rindex(b"HTTP/1.1 ") :].startswith(b"HTTP/1.1 408 "), reply[-200:]


def test_the_cli_timeout_reaches_the_server(site: Path) -> None:
    exe = Path(sys.executable).with_name("audio-companion")
    with Child([exe, "serve", site, "--port", "0", "--timeout", "0.3", "-q"]) as child:
        announced = child.expect("Serving", timeout=30)
        url = re.search(r"http://\S+/", announced)
        assert url is not None, announced
        with socket.create_connection(_address(url.group(0)), timeout=LIMIT) as sock:
            sock.sendall(b"GET /feed.xml HTTP/1.1\r\n")  # and never the rest
            reply = _closed_by_server(sock)
        child.signal(signal.SIGINT)
        assert child.wait(timeout=15) == 0, child.describe()
    assert reply.startswith(b"HTTP/1.1 408 "), reply[:80]


def test_the_cli_refuses_a_timeout_of_zero(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", str(tmp_path), "--timeout", "0"])
    assert result.exit_code == 2 and "x>0" in result.output
