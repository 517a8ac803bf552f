"""fetch_url against a local http.server: no network leaves 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from audio_companion.article import load_article
from audio_companion.article.fetch import USER_AGENT, FetchSettings, fetch_url
from audio_companion.article.loader import load_article_with_notes
from audio_companion.errors import ArticleError, InputError

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "articles" / "evening.html"
LATIN_HTML = (
    "<html><head><meta charset='iso-8859-1'><title>Caf\xe9</title></head><body><article>"
    "<h1>Caf\xe9 Evenings</h1><h2>The Menu</h2>"
    "<p>A cr\xe8me br\xfbl\xe9e and a na\xefve little tisane close the day at the caf\xe9.</p>"
    "<h2>The Walk Home</h2><p>The streets are quiet and the air is cool after dinner.</p>"
    "</article></body></html>"
).encode("latin-1")
SEEN_AGENTS: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, body: bytes, ctype: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        if self.path == "/evening":
            self._send(GOLDEN.read_bytes(), "text/html; charset=utf-8")
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/evening")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/latin-meta":
            self._send(LATIN_HTML, "text/html")
        elif self.path == "/latin-header":
            self._send("Caf\xe9 cr\xe8me\n".encode("latin-1"), "text/plain; charset=ISO-8859-1")
        elif self.path == "/notes.txt":
            body = "Evening Notes\n\nA Heading\n\nSome text about the evening.\n"
            self._send(body.encode(), "text/plain; charset=utf-8")
        elif self.path == "/notes.md":
            self._send(b"# Notes\n\n## Part\n\nBody text.\n", "text/markdown")
        elif self.path == "/nav":
            self._send(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html")
        elif self.path == "/big":
            self._send(b"x" * 5000, "text/plain")
        elif self.path == "/image":
            self._send(b"\x89PNG....", "image/png")
        else:
            self._send(b"not here", "text/plain", status=404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_html_with_user_agent(server: str) -> None:
    text, ctype = fetch_url(f"{server}/evening")
    assert ctype == "text/html" and "The Quiet Hour" in text
    assert SEEN_AGENTS[-1] == USER_AGENT


def test_follows_redirects(server: str) -> None:
    text, _ = fetch_url(f"{server}/moved")
    assert "Why Evenings Drift" in text


def test_charset_from_meta_and_header(server: str) -> None:
    text, _ = fetch_url(f"{server}/latin-meta")
    assert "crème brûlée" in text
    text, ctype = fetch_url(f"{server}/latin-header")
    assert ctype == "text/plain" and text == "Café crème\n"


def test_http_error_names_url(server: str) -> None:
    url = f"{server}/missing"
    with pytest.raises(InputError) as info:
        fetch_url(url)
    assert str(info.value) == f"{url}: cannot fetch: the server answered 404 Not Found"


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/page"
    with pytest.raises(InputError, match="connection refused") as info:
        fetch_url(url, FetchSettings(deadline=5))
    assert str(info.value).startswith(url) and "\n" not in str(info.value)


def test_timeout() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection but never answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/slow"
        with pytest.raises(InputError, match="timed out"):
            fetch_url(url, FetchSettings(deadline=0.3))
    finally:
        listener.close()


@pytest.mark.parametrize("url", ["ftp://example.com/a", "file:///etc/passwd", "http://"])
def test_bad_scheme(url: str) -> None:
    with pytest.raises(InputError, match="http:// or https://"):
        fetch_url(url)


def test_refuses_oversized_page(server: str) -> None:
    with pytest.raises(InputError, match="byte limit"):
        fetch_url(f"{server}/big", FetchSettings(max_bytes=1000))


def test_load_article_from_url(server: str) -> None:
    article = load_article(f"{server}/evening")
    assert article.sections[0].title == "Why Evenings Drift"
    loaded = load_article_with_notes(f"{server}/latin-meta")
    assert [s.title for s in loaded.article.sections] == ["The Menu", "The Walk Home"]
    assert loaded.notes == ()


def test_load_text_and_markdown_urls(server: str) -> None:
    assert [s.title for s in load_article(f"{server}/notes.txt").sections] == ["A Heading"]
    assert [s.title for s in load_article(f"{server}/notes.md").sections] == ["Part"]


def test_url_errors(server: str) -> None:
    with pytest.raises(ArticleError, match=r"/nav: no main content found in the page$"):
        load_article(f"{server}/nav")
    with pytest.raises(InputError, match="is image/png, not a web page"):
        load_article(f"{server}/image")
