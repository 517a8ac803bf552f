"""The feed folder's `index.html`: a page for people, beside the feed for apps.

A listener opens the folder in a browser, plays episodes there, and copies the
feed URL into a podcast app. The page is rendered by a pure function from the
same values as the feed, with no clock and no external resources, so a rebuild
with nothing changed writes the same bytes and the page works offline. Links
into the folder are made relative, so the page keeps working when the folder is
served from another host (say 127.0.0.1) than the base URL written in the feed.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from html import escape

from audio_companion.media.tags import Chapter
from audio_companion.publish.feed import Channel, Episode, Transcript, clock

TRANSCRIPT_LABELS = {
    "text/vtt": "Transcript (WebVTT)",
    "application/x-subrip": "Transcript (SRT)",
}

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_URL = re.compile(r"https?://[^\s<>\"']+")

_CSS = """\
:root { color-scheme: light dark; --bg: #fdfcf9; --fg: #1d1d1f; --muted: #5f6368;
  --card: #ffffff; --line: #dedbd3; --accent: #1f5fbf; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16171a; --fg: #e8e6e3; --muted: #a4a7ad; --card: #202226;
    --line: #34373d; --accent: #8ab4f8; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
a { color: var(--accent); }
header.show { display: flex; flex-wrap: wrap; gap: 1.25rem; align-items: flex-start; }
header.show img { width: 10rem; height: 10rem; object-fit: cover; border-radius: .75rem; }
header.show .about { flex: 1 1 18rem; }
h1 { margin: 0 0 .5rem; line-height: 1.2; }
.subscribe { display: flex; gap: .5rem; margin: .75rem 0 .25rem; }
.subscribe input { flex: 1; min-width: 0; padding: .4rem .5rem; font: inherit;
  font-size: .9rem; color: inherit; background: var(--card);
  border: 1px solid var(--line); border-radius: .4rem; }
button { font: inherit; font-size: .9rem; padding: .35rem .8rem; cursor: pointer;
  color: inherit; background: var(--card); border: 1px solid var(--line);
  border-radius: .4rem; }
button:hover { border-color: var(--accent); }
.muted { color: var(--muted); font-size: .9rem; }
.episode { background: var(--card); border: 1px solid var(--line);
  border-radius: .75rem; padding: 1rem 1.25rem; margin: 1.25rem 0; }
.episode h3 { margin: 0 0 .25rem; line-height: 1.3; }
audio { width: 100%; margin: .75rem 0; }
ol.chapters { padding-left: 1.5rem; }
ol.chapters li { margin: .2rem 0; }
ol.chapters button { text-align: left; }
.time { font-variant-numeric: tabular-nums; color: var(--muted); margin-right: .4rem; }
"""

# Data never goes into the script: it reads the page's own attributes, so
# HTML escaping is the only escaping needed.
_JS = """\
document.getElementById("copy-feed").addEventListener("click", function (ev) {
  var field = document.getElementById("feed-url"), button = ev.currentTarget;
  function select() { field.focus(); field.select(); }
  function done() { button.textContent = "Copied"; }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, select);
  } else {
    select();
    try { if (document.execCommand("copy")) { done(); } } catch (e) { /* selected */ }
  }
});
document.addEventListener("click", function (ev) {
  var seek = ev.target.closest("[data-seek]");
  if (!seek) { return; }
  var audio = seek.closest("article").querySelector("audio");
  audio.currentTime = parseFloat(seek.getAttribute("data-seek"));
  var playing = audio.play();
  if (playing && playing.catch) { playing.catch(function () {}); }
});
"""


def relative_to(url: str, base: str) -> str:
    """`url` relative to the folder `base` when it lies inside it, else unchanged.

    The feed needs absolute URLs, but the page must not pin the host it was
    built for: `https://x.org/show/a.mp3` under `https://x.org/show/` is `a.mp3`.
    """
    if not base:
        return url
    folder = base if base.endswith("/") else base + "/"
    if url.startswith(folder):
        return url[len(folder) :] or "./"
    return url


def format_duration(seconds: float) -> str:
    """H:MM:SS, or M:SS under an hour, to the nearest second (halves up, not to even)."""
    return clock(math.floor(seconds + 0.5))


# A position in the audio, like a player shows it: the second it falls in.
format_time = clock


def episode_id(episode: Episode) -> str:
    """A stable fragment id, so a person can link to one episode (`#s1e2`)."""
    return f"s{episode.season}e{episode.number}"


def render_index(
    channel: Channel, episodes: Sequence[Episode], cover_file: str | None = "cover.png"
) -> str:
    """The whole page as text; write it as UTF-8 beside the feed."""
    base = channel.link
    cover = cover_file if cover_file is not None else relative_to(channel.image_url, base)
    ordered = sorted(episodes, key=lambda e: (e.season, e.number))
    seasons = [(s, list(eps)) for s, eps in itertools.groupby(ordered, key=lambda e: e.season)]
    body: list[str] = []
    for season, eps in seasons:
        if len(seasons) > 1:
            body.append(f'<section class="season" id="season-{season}">')
            body.append(f"<h2>Season {season}</h2>")
        else:
            body.append('<section class="season">')
            body.append('<h2 class="muted">Episodes</h2>')
        body.extend(_episode(ep, base) for ep in eps)
        body.append("</section>")
    if not ordered:
        body.append('<p class="muted">No episodes yet.</p>')

    feed_href = relative_to(channel.feed_url, base)
    lines = [
        "<!doctype html>",
        f'<html lang="{_e(channel.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(channel.title)}</title>",
        f'<meta name="description" content="{_e(channel.description)}">',
        f'<link rel="alternate" type="application/rss+xml" title="{_e(channel.title)}"'
        f' href="{_e(feed_href)}">',
        f"<style>\n{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        '<header class="show">',
        f'<img src="{_e(cover)}" alt="Cover of {_e(channel.title)}" width="160" height="160">',
        '<div class="about">',
        f"<h1>{_e(channel.title)}</h1>",
        *_paragraphs(channel.description),
        '<label class="muted" for="feed-url">Podcast feed — paste into your podcast app:</label>',
        '<div class="subscribe">',
        f'<input id="feed-url" type="text" readonly value="{_e(channel.feed_url)}">',
        '<button type="button" id="copy-feed">Copy</button>',
        "</div>",
        f'<p class="muted"><a href="{_e(feed_href)}">RSS feed</a> · by {_e(channel.author)}</p>',
        "</div>",
        "</header>",
        *body,
        "</main>",
        f"<script>\n{_JS}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines)


def _episode(ep: Episode, base: str) -> str:
    date = ep.published.date().isoformat()
    parts = [
        f'<article class="episode" id="{_e(episode_id(ep))}">',
        f'<h3><span class="number">{ep.number}.</span> {_e(ep.title)}</h3>',
        f'<p class="muted"><time datetime="{date}">{date}</time>'
        f' · <span class="duration">{format_duration(ep.duration_s)}</span></p>',
        f'<audio controls preload="metadata" src="{_e(relative_to(ep.url, base))}"></audio>',
        *_paragraphs(ep.description),
    ]
    if ep.chapters:
        parts.append(_chapters(ep.chapters))
    links = [
        f'<a href="{_e(relative_to(t.url, base))}">{_e(_transcript_label(t))}</a>'
        for t in ep.transcripts
    ]
    if ep.chapters_url:
        links.append(f'<a href="{_e(relative_to(ep.chapters_url, base))}">Chapters (JSON)</a>')
    if links:
        parts.append(f'<p class="links">{" · ".join(links)}</p>')
    if ep.citations:
        parts.append("<h4>Sources</h4>")
        parts.append('<ul class="sources">')
        parts.extend(f"<li>{_linkify(c)}</li>" for c in ep.citations)
        parts.append("</ul>")
    parts.append("</article>")
    return "\n".join(parts)


def _chapters(chapters: Sequence[Chapter]) -> str:
    items = [
        f'<li><button type="button" data-seek="{_seconds(c.start)}">'
        f'<span class="time">{format_time(c.start)}</span> {_e(c.title)}</button></li>'
        for c in chapters
    ]
    return "\n".join(['<ol class="chapters">', *items, "</ol>"])


def _transcript_label(t: Transcript) -> str:
    return TRANSCRIPT_LABELS.get(t.mime, f"Transcript ({t.mime})")


def _seconds(t: float) -> str:
    """Seconds to the millisecond, without trailing zeros: 12.5, 0, 61.25."""
    return f"{max(0.0, t):.3f}".rstrip("0").rstrip(".")


def _paragraphs(text: str) -> list[str]:
    """Plain-text notes as paragraphs: blank lines split them, single newlines break lines."""
    paras = [p.strip() for p in _PARAGRAPH_BREAK.split(text.strip())]
    return [
        "<p>" + "<br>\n".join(_e(line.strip()) for line in p.splitlines()) + "</p>"
        for p in paras
        if p
    ]


def _linkify(text: str) -> str:
    """Escaped text with its http(s) URLs made into links (a citation often ends in one)."""
    out: list[str] = []
    last = 0
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:)")
        end = m.start() + len(url)
        out.append(_e(text[last : m.start()]))
        out.append(f'<a href="{_e(url)}">{_e(url)}</a>')
        last = end
    out.append(_e(text[last:]))
    return "".join(out)


def _e(text: str) -> str:
    """Escaped for text and for quoted attributes alike (`<`, `&`, both quotes)."""
    return escape(text, quote=True)
