"""The feed server: pure Range/type/path helpers, then real sockets, then the CLI."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from child import Child
from click.testing import CliRunner

from audio_companion.cli import main
from audio_companion.publish.http_rules import parse_range
from audio_companion.publish.serve import running_server
from audio_companion.publish.targets import content_type, resolve

SIZE = 200 * 1024
SECRET = b"TOP SECRET: outside the feed folder"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", (0, 99)),
        ("bytes=100-199", (100, 199)),
        ("bytes=-500", (500, 999)),
        ("bytes=900-", (900, 999)),
        ("bytes=0-", (0, 999)),
        ("bytes=999-999", (999, 999)),
        ("bytes=990-5000", (990, 999)),  # end beyond the file is clamped
        ("bytes=-5000", (0, 999)),  # suffix longer than the file: all of it
        ("BYTES = 1-2", (1, 2)),  # the unit is case-insensitive
        ("bytes=1000-", "unsatisfiable"),
        ("bytes=1000-2000", "unsatisfiable"),
        ("bytes=-0", "unsatisfiable"),
        ("bytes=5-2", None),  # invalid (last < first): ignored, not 416
        ("bytes=-", None),
        ("bytes=a-b", None),
        ("bytes=1-2-3", None),
        ("bytes=+1-2", None),
        ("items=0-99", None),
        ("0-99", None),
        ("", None),
        ("garbage", None),
        ("bytes=0-99,200-299", None),  # multi-range: the whole file
        ("bytes=0-0,-1", None),
    ],
)
def test_parse_range(header: str, expected: object) -> None:
    assert parse_range(header, 1000) == expected


def test_parse_range_on_an_empty_file() -> None:
    assert parse_range("bytes=0-", 0) == "unsatisfiable"
    assert parse_range("bytes=-10", 0) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ep01.mp3", "audio/mpeg"),
        ("EP01.MP3", "audio/mpeg"),
        ("book.m4b", "audio/mp4"),
        ("clip.m4a", "audio/mp4"),
        ("feed.xml", "application/rss+xml; charset=utf-8"),
        ("other.xml", "application/rss+xml; charset=utf-8"),
        ("ep01.vtt", "text/vtt; charset=utf-8"),
        ("ep01.srt", "application/x-subrip"),
        ("ep01.chapters.json", "application/json+chapters"),
        ("data.json", "application/json"),
        ("index.html", "text/html; charset=utf-8"),
        ("cover.png", "image/png"),
        ("cover.jpg", "image/jpeg"),
        ("cover.jpeg", "image/jpeg"),
        ("style.css", "text/css; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("notes.bin", "application/octet-stream"),
        ("README", "application/octet-stream"),
    ],
)
def test_content_type(name: str, expected: str) -> None:
    assert content_type(Path("feed") / name) == expected


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A feed folder with a secret file right next to it, outside the root."""
    (tmp_path / "secret").write_bytes(SECRET)
    (tmp_path / "x").write_bytes(SECRET)
    root = tmp_path / "feed"
    root.mkdir()
    (root / "ep01.mp3").write_bytes(os.urandom(SIZE))
    (root / "feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"/>', "utf-8")
    (root / "ep01.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n", "utf-8")
    (root / "ep01.chapters.json").write_text('{"version": "1.2.0", "chapters": []}', "utf-8")
    (root / "index.html").write_text("<h1>Top</h1>", "utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "index.html").write_text("<h1>Sub</h1>", "utf-8")
    (root / "sub" / "a b.txt").write_text("spaced", "utf-8")
    (root / "leak").symlink_to(tmp_path / "secret")
    (root / "leakdir").symlink_to(tmp_path)
    (root / "alias.mp3").symlink_to(root / "ep01.mp3")
    return root


@pytest.mark.parametrize(
    "url",
    [
        "/../secret",
        "/../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/secret",
        "/..%2fsecret",
        "/..%5csecret",
        "/sub/..%5c..%5csecret",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/sub/../../x",
        "/sub/../ep01.mp3",  # ".." is refused even when it would stay inside
        "/leak",
        "/leakdir/secret",
        "/feed.xml%00.png",
        "/ep01.mp3\x00",
        "/%ff%fe",
        "/missing.mp3",
        "ep01.mp3",
        "",
        "/sub/a b.txt/x",
    ],
)
def test_resolve_refuses(site: Path, url: str) -> None:
    assert resolve(site, url) is None


@pytest.mark.parametrize(
    ("url", "relative"),
    [
        ("/ep01.mp3", "ep01.mp3"),
        ("/ep01.mp3?t=10#frag", "ep01.mp3"),
        ("//ep01.mp3", "ep01.mp3"),
        ("/./feed.xml", "feed.xml"),
        ("/", "index.html"),
        ("/sub", "sub/index.html"),
        ("/sub/", "sub/index.html"),
        ("/sub/a%20b.txt", "sub/a b.txt"),
        ("/alias.mp3", "ep01.mp3"),  # a symlink that stays inside is fine
        ("http://localhost:8000/feed.xml", "feed.xml"),
    ],
)
def test_resolve_finds(site: Path, url: str, relative: str) -> None:
    assert resolve(site, url) == (site / relative).resolve()


@pytest.fixture
def base(site: Path) -> Iterator[str]:
    with running_server(site) as url:
        yield url


def _request(
    base: str, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request over raw http.client, which sends the path exactly as given."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def test_get_whole_file(site: Path, base: str) -> None:
    with urllib.request.urlopen(base + "ep01.mp3", timeout=10) as resp:
        body = resp.read()
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "audio/mpeg"
        assert resp.headers["Content-Length"] == str(SIZE)
        assert resp.headers["Accept-Ranges"] == "bytes"
        assert resp.headers["ETag"].startswith('"') and resp.headers["ETag"].endswith('"')
        assert resp.headers["Last-Modified"].endswith("GMT")
    assert body == (site / "ep01.mp3").read_bytes()


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-50999", 1000, 50999),
        ("bytes=-500", SIZE - 500, SIZE - 1),
        ("bytes=150000-", 150000, SIZE - 1),
        ("bytes=204000-999999", 204000, SIZE - 1),
    ],
)
def test_get_range(site: Path, base: str, header: str, start: int, end: int) -> None:
    status, headers, body = _request(base, "/ep01.mp3", headers={"Range": header})
    assert status == 206
    assert headers["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert headers["Content-Length"] == str(end - start + 1)
    assert body == (site / "ep01.mp3").read_bytes()[start : end + 1]


def test_unsatisfiable_range_is_416(base: str) -> None:
    status, headers, _ = _request(base, "/ep01.mp3", headers={"Range": f"bytes={SIZE}-"})
    assert status == 416
    assert headers["Content-Range"] == f"bytes */{SIZE}"


def test_malformed_and_multi_ranges_get_the_whole_file(base: str) -> None:
    for header in ("bytes=oops", "bytes=0-1,5-6"):
        status, headers, body = _request(base, "/ep01.mp3", headers={"Range": header})
        assert status == 200 and len(body) == SIZE and "Content-Range" not in headers


def test_head_has_headers_and_no_body(base: str) -> None:
    status, headers, body = _request(base, "/ep01.mp3", "HEAD")
    assert status == 200
    assert headers["Content-Length"] == str(SIZE)
    assert headers["Accept-Ranges"] == "bytes"
    assert body == b""


def test_head_ignores_range(base: str) -> None:
    # RFC 9110 §14.2: Range is defined for GET only.
    status, headers, _ = _request(base, "/ep01.mp3", "HEAD", {"Range": "bytes=0-9"})
    assert status == 200 and headers["Content-Length"] == str(SIZE)


def test_empty_file(site: Path, base: str) -> None:
    (site / "empty.mp3").write_bytes(b"")
    assert _request(base, "/empty.mp3")[:3:2] == (200, b"")
    status, headers, _ = _request(base, "/empty.mp3", headers={"Range": "bytes=0-"})
    assert status == 416 and headers["Content-Range"] == "bytes */0"


def test_conditional_requests(site: Path, base: str) -> None:
    _, headers, _ = _request(base, "/feed.xml")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert _request(base, "/feed.xml", headers={"If-None-Match": etag})[0] == 304
    assert _request(base, "/feed.xml", headers={"If-None-Match": f'"x", W/{etag}'})[0] == 304
    assert _request(base, "/feed.xml", headers={"If-None-Match": '"other"'})[0] == 200
    assert _request(base, "/feed.xml", headers={"If-Modified-Since": modified})[0] == 304
    old = formatdate(0, usegmt=True)
    assert _request(base, "/feed.xml", headers={"If-Modified-Since": old})[0] == 200
    # If-None-Match wins over If-Modified-Since when both are sent.
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert _request(base, "/feed.xml", headers=both)[0] == 200
    _, headers, body = _request(base, "/feed.xml", headers={"If-None-Match": etag})
    assert body == b"" and headers["ETag"] == etag


def test_if_range(base: str) -> None:
    _, headers, _ = _request(base, "/ep01.mp3", "HEAD")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    for validator, expected in [(etag, 206), (modified, 206), ('"stale"', 200), ("W/" + etag, 200)]:
        wanted = {"Range": "bytes=0-9", "If-Range": validator}
        status, _, body = _request(base, "/ep01.mp3", headers=wanted)
        assert status == expected, validator
        assert len(body) == (10 if expected == 206 else SIZE)


@pytest.mark.parametrize(
    "path",
    [
        "/../secret",
        "/%2e%2e/secret",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2fsecret",
        "/sub/../../x",
        "//etc/passwd",
        "/leak",
        "/leakdir/x",
        "/nothing-here.mp3",
    ],
)
def test_traversal_over_the_wire_is_404(base: str, path: str) -> None:
    for method in ("GET", "HEAD"):
        status, _, body = _request(base, path, method)
        assert status == 404
        assert SECRET not in body and b"root:" not in body


def test_directory_serves_index(base: str) -> None:
    status, headers, body = _request(base, "/")
    assert status == 200 and body == b"<h1>Top</h1>"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert _request(base, "/sub/")[2] == b"<h1>Sub</h1>"


def test_other_methods_are_405(base: str) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH", "BREW"):
        status, headers, _ = _request(base, "/feed.xml", method)
        assert status == 405, method
        assert headers["Allow"] == "GET, HEAD, OPTIONS"


def test_keep_alive_serves_several_requests_on_one_connection(site: Path, base: str) -> None:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    data = (site / "ep01.mp3").read_bytes()
    try:
        for start in (0, 5000, 100000):
            conn.request("GET", "/ep01.mp3", headers={"Range": f"bytes={start}-{start + 99}"})
            resp = conn.getresponse()
            assert resp.status == 206 and resp.read() == data[start : start + 100]
    finally:
        conn.close()


def test_served_chapters_and_transcripts_have_their_types(base: str) -> None:
    assert _request(base, "/ep01.vtt")[1]["Content-Type"] == "text/vtt; charset=utf-8"
    assert _request(base, "/ep01.chapters.json")[1]["Content-Type"] == "application/json+chapters"


def test_cli_refuses_a_missing_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", str(tmp_path / "nope")])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "does not exist" in lines[0]
    assert "audio-companion build" in lines[0]


def test_cli_says_when_the_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(tmp_path), "--port", str(port)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "already in use" in lines[0] and "--port" in lines[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_cli_serves_until_ctrl_c(site: Path) -> None:
    exe = Path(sys.executable).with_name("audio-companion")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/feed.xml"
    with Child([exe, "serve", site, "--port", str(port)]) as child:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    body = resp.read()
                break
            except (urllib.error.URLError, ConnectionError):
                assert child.proc.poll() is None, child.describe()
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.1)
        assert body == (site / "feed.xml").read_bytes()
        child.signal(signal.SIGINT)
        assert child.wait(timeout=15) == 0, child.describe()
    out, err = "\n".join(child.lines), "\n".join(child.errors)
    assert f"Serving {site} at http://127.0.0.1:{port}/" in out
    assert f"subscribe to {url}" in out
    assert "GET /feed.xml" in err and "Traceback" not in err
