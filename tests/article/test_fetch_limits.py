"""The limits on fetching a URL, against a loopback http.server in a thread.

One deadline for the whole fetch, Content-Encoding (gzip, deflate, refused
otherwise), http/https on every redirect hop, and the size cap on the unpacked
page. Every server loop is bounded and stops when the test ends.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from audio_companion.article.fetch import FetchSettings, fetch_page, fetch_url
from audio_companion.errors import InputError

PAGE = (
    "<html><head><title>Tea</title></head><body><article><h1>Tea at Dusk</h1>"
    "<p>A caf\u00e9 au lait and a cr\u00e8me br\u00fbl\u00e9e close the day.</p>"
    "</article></body></html>"
).encode()
BOMB = gzip.compress(b"\0" * 20_000_000)  # ~20 kB on the wire, 20 MB unpacked
STOP = threading.Event()  # set when the module's tests end: every slow loop checks it
SEEN: list[str] = []  # request paths, in arrival order


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, body: bytes, headers: dict[str, str], status: int = 200) -> None:
        self.send_response(status)
        headers = {"Content-Type": "text/html", "Content-Length": str(len(body)), **headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send(b"", {"Location": location}, status)

    def _drip(self, data: bytes) -> None:
        """One byte every 0.05 s: each read gets data long before any per-read timeout."""
        for byte in data:
            if STOP.wait(0.05):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:  # the client gave up: the point of the test
                return

    def do_GET(self) -> None:
        SEEN.append(self.path)
        path = self.path
        if path == "/page":
            self._send(PAGE, {})
        elif path == "/gzip":  # no charset declared: the bytes must be unpacked to be read
            self._send(gzip.compress(PAGE), {"Content-Encoding": "gzip"})
        elif path == "/gzip-members":  # two members, then padding some servers add
            body = gzip.compress(PAGE[:60]) + gzip.compress(PAGE[60:]) + b"\0" * 8
            self._send(body, {"Content-Encoding": "gzip"})
        elif path == "/empty-gzip":
            self._send(b"", {"Content-Encoding": "gzip"})
        elif path == "/deflate":
            self._send(zlib.compress(PAGE), {"Content-Encoding": "deflate"})
        elif path == "/raw-deflate":
            packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
            body = packer.compress(PAGE) + packer.flush()
            self._send(body, {"Content-Encoding": "deflate"})
        elif path == "/brotli":
            self._send(b"\x0b\x02\x80not really brotli", {"Content-Encoding": "br"})
        elif path == "/twice":
            self._send(gzip.compress(gzip.compress(PAGE)), {"Content-Encoding": "gzip, gzip"})
        elif path == "/cut-gzip":
            self._send(gzip.compress(PAGE)[:40], {"Content-Encoding": "gzip"})
        elif path == "/bomb":
            self._send(BOMB, {"Content-Encoding": "gzip"})
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(PAGE), 50):
                piece = PAGE[start : start + 50]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/endless":  # no Content-Length: only the cap can stop it
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(2000):  # 2 MB at most
                if STOP.is_set():
                    return
                try:
                    self.wfile.write(b"x" * 1000)
                except OSError:
                    return
        elif path == "/drip-body":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.flush()
            self._drip(b"x" * 100)
        elif path == "/drip-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self._drip(b"X-Slow: " + b"y" * 100 + b"\r\n\r\n")
        elif path.startswith("/hop/"):  # /hop/3 → /hop/2 → … → /hop/0, the page
            left = int(path.rsplit("/", 1)[1])
            if left:
                self._redirect(f"/hop/{left - 1}")
            else:
                self._send(PAGE, {})
        elif path == "/loop":
            self._redirect("/loop", 301)
        elif path == "/to-ftp":
            self._redirect("ftp://127.0.0.1:9/article.html")
        elif path == "/to-file":
            self._redirect("file:///etc/passwd", 307)
        elif path == "/to-data":
            self._redirect("data:text/html,<p>hi</p>", 308)
        elif path == "/see-other":
            self._redirect("/page", 303)
        elif path == "/broken":
            self._send(b"oops", {}, status=500)
        else:
            self._send(b"not here", {}, status=404)


class Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close waits for the (bounded) handlers
    block_on_close = True


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    STOP.clear()
    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        STOP.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def quick(**changes: Any) -> FetchSettings:
    """Settings with a deadline long enough for loopback, short enough to fail fast."""
    return replace(FetchSettings(deadline=10.0), **changes)


def error(url: str, settings: FetchSettings | None = None) -> str:
    with pytest.raises(InputError) as info:
        fetch_url(url, settings or quick())
    message = str(info.value)
    assert message.startswith(url + ": ") and "\n" not in message
    return message


# --- the deadline covers the whole fetch -------------------------------------------------


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers"])
def test_slow_drip_stops_at_the_deadline(server: str, path: str) -> None:
    message = error(f"{server}{path}", quick(deadline=0.5))
    assert "timed out: no whole page within 0.5 s" in message
    assert "save the page from a browser" in message


def test_deadline_spans_redirects(server: str) -> None:
    """Each hop is quick, but the clock passes the deadline after the first one."""
    SEEN.clear()

    def clock() -> float:
        return 0.0 if len(SEEN) < 2 else 100.0

    with pytest.raises(InputError, match="timed out: no whole page within 30 s"):
        fetch_page(f"{server}/hop/3", FetchSettings(deadline=30), clock=clock)
    assert SEEN == ["/hop/3", "/hop/2"]  # gave up on the second hop, went no further


# --- Content-Encoding -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/gzip", "/gzip-members", "/deflate", "/raw-deflate", "/chunked"])
def test_packed_pages_are_unpacked(server: str, path: str) -> None:
    page = fetch_page(f"{server}{path}", quick())
    assert page.content_type == "text/html"
    assert "cr\u00e8me br\u00fbl\u00e9e" in page.text and page.encoding == "utf-8"


def test_empty_packed_page_is_empty(server: str) -> None:
    assert error(f"{server}/empty-gzip").endswith(": the page is empty")


def test_unknown_encoding_is_refused(server: str) -> None:
    message = error(f"{server}/brotli")
    assert "compressed as 'br', which this program cannot unpack (it reads gzip and deflate)" in (
        message
    )


def test_packed_twice_is_refused(server: str) -> None:
    assert "packed the page 2 times (gzip, gzip)" in error(f"{server}/twice")


def test_cut_gzip_is_damaged(server: str) -> None:
    assert "the gzip-compressed page is damaged or cut short" in error(f"{server}/cut-gzip")


def test_gzip_bomb_stops_at_the_cap(server: str) -> None:
    message = error(f"{server}/bomb", quick(max_bytes=1_000_000))
    assert "the page unpacks to over the 1,000,000 byte limit" in message


def test_cap_while_streaming_without_a_length(server: str) -> None:
    message = error(f"{server}/endless", quick(max_bytes=10_000))
    assert "the page is over the 10,000 byte limit" in message


# --- redirects ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/to-ftp", "ftp://127.0.0.1:9/article.html"),
        ("/to-file", "file:///etc/passwd"),
        ("/to-data", "data:text/html,<p>hi</p>"),
    ],
)
def test_redirect_off_the_web_is_refused(server: str, path: str, target: str) -> None:
    message = error(f"{server}{path}")
    assert f"redirected to {target}, which is not an http:// or https:// address" in message


def test_redirects_are_bounded(server: str) -> None:
    assert "more than 10 redirects (a redirect loop?)" in error(f"{server}/loop")
    assert "more than 2 redirects" in error(f"{server}/hop/3", quick(max_redirects=2))
    assert "Tea at Dusk" in fetch_url(f"{server}/hop/2", quick(max_redirects=2))[0]


def test_see_other_and_server_errors(server: str) -> None:
    assert "Tea at Dusk" in fetch_url(f"{server}/see-other", quick())[0]
    assert error(f"{server}/broken").endswith(
        "cannot fetch: the server answered 500 Internal Server Error"
    )


def test_defaults_are_documented() -> None:
    """The README's table states these; change both together."""
    assert FetchSettings() == FetchSettings(deadline=30.0, max_bytes=20_000_000, max_redirects=10)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"deadline": 0}, "fetch deadline 0 s: give a number of seconds over 0"),
        ({"deadline": float("nan")}, "fetch deadline nan s"),
        ({"max_bytes": 0}, "fetch size limit 0: give a number of bytes over 0"),
        ({"max_redirects": -1}, "fetch redirect limit -1: give 0 or more"),
    ],
)
def test_settings_are_checked(changes: dict[str, Any], problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        FetchSettings(**changes)


def test_no_redirects_allowed(server: str) -> None:
    assert "more than 0 redirects" in error(f"{server}/hop/1", quick(max_redirects=0))
    assert "Tea at Dusk" in fetch_url(f"{server}/hop/0", quick(max_redirects=0))[0]
