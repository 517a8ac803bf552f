"""`audio-companion build URL`: a page fetched from a server, its byline and date in the feed."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import feedparser
from click.testing import CliRunner
from helpers import needs_media

from audio_companion.cli import main

# Our own sample page, marked up the way news sites declare a byline and a date.
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Night Walks by the River | Daily Lantern</title>
<meta name="author" content="Ines Varga">
<meta property="article:published_time" content="2021-03-04T08:00:00Z">
<meta property="og:site_name" content="Daily Lantern">
</head><body>
<nav><a href="/">Home</a> | <a href="/city">City</a> | <a href="/weather">Weather</a></nav>
<article><h1>Night Walks by the River</h1>
<p class="byline">By Ines Varga</p>
<p>Walking after dinner has become a small ritual for many couples in the old town,
and the council has added lamps along the river path to keep it going in winter.</p>
<p>The path is two kilometres long and lit until midnight. Most walkers do one loop
in about half an hour, talking as they go and stopping at the stone bridge to look
at the water before turning home.</p>
<p>Several of them said the walk is the one part of the day without screens, and
that a question asked side by side is easier to answer than one asked across a table.</p>
</article>
<footer>© 2021 Daily Lantern. All rights reserved.</footer>
</body></html>"""


@needs_media
def test_build_url_puts_the_pages_author_and_date_in_the_feed_item(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "night-walks.html").write_text(PAGE, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = tmp_path / "feed"
    env = {"SOURCE_DATE_EPOCH": "1790000000", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    try:
        url = f"http://127.0.0.1:{server.server_port}/night-walks.html"
        args = ["build", url, "--voice", "espeak", "--jobs", "1", "--out", str(out)]
        result = CliRunner().invoke(main, args, env=env)
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    (item,) = feed.entries
    assert item.author == "Ines Varga"
    assert tuple(item.published_parsed[:3]) == (2021, 3, 4)
    assert "Written by Ines Varga, published 4 March 2021." in item.summary
    spoken = "".join(p.read_text("utf-8") for p in out.glob("*.vtt"))
    assert "walking after dinner" in spoken.lower()
    assert "Ines Varga" not in spoken and "rights reserved" not in spoken.lower()
