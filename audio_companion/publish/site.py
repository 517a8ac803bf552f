"""The feed folder's `index.html`: a page for people, beside the feed for apps.

A listener opens the folder in a browser, plays episodes there, and copies the
feed URL into a podcast app. The page is rendered by a pure function from the
same values as the feed, with no clock and no external resources, so a rebuild
with nothing changed writes the same bytes and the page works offline. Links
into the folder are made relative, so the page keeps working when the folder is
served from another host (say 127.0.0.1) than the base URL written in the feed.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from html import escape
from importlib import resources

from audio_companion.media.tags import Chapter
from audio_companion.publish.feed import Channel, Episode, Transcript, clock

TRANSCRIPT_LABELS = {
    "text/vtt": "Transcript (WebVTT)",
    "application/x-subrip": "Transcript (SRT)",
}

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_URL = re.compile(r"https?://[^\s<>\"']+")

SPEEDS = ("0.8", "1", "1.25", "1.5", "1.75", "2")
SKIP_BACK_S = 15
SKIP_FORWARD_S = 30


@functools.cache
def page_asset(name: str) -> str:
    """`player.css` or `player.js` from the package's `page` folder, inlined in the
    page so it works from file:// and from any host with no other request."""
    return resources.files("audio_companion.publish").joinpath("page", name).read_text("utf-8")


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
    channel: Channel,
    episodes: Sequence[Episode],
    cover_file: str | None = "cover.png",
    vtt_texts: Mapping[str, str] | None = None,
) -> str:
    """The whole page as text; write it as UTF-8 beside the feed.

    The page's transcripts come from each episode's .vtt through a `<track>`,
    which browsers load over http(s) but refuse to a file:// page. `vtt_texts`
    (episode guid to the WebVTT text) embeds them instead, so they work from
    file:// too, at the cost of a larger page.
    """
    base = channel.link
    vtts = vtt_texts or {}
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
        body.extend(_episode(ep, base, vtts.get(ep.guid)) for ep in eps)
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
        f"<style>\n{page_asset('player.css')}</style>",
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
        '<p class="muted keys">Keys: <kbd>Space</kbd> play or pause ·'
        f" <kbd>←</kbd> back {SKIP_BACK_S} s · <kbd>→</kbd> forward {SKIP_FORWARD_S} s."
        " Click a sentence of a transcript to play from there.</p>",
        "</div>",
        "</header>",
        *body,
        "</main>",
        f"<script>\n{page_asset('player.js')}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines)


def _episode(ep: Episode, base: str, vtt_text: str | None) -> str:
    date = ep.published.date().isoformat()
    title = _e(ep.title)
    vtt = next((t for t in ep.transcripts if t.mime == "text/vtt"), None)
    track = (
        f'<track kind="metadata" label="Transcript" src="{_e(relative_to(vtt.url, base))}">'
        if vtt
        else ""
    )
    parts = [
        f'<article class="episode" id="{_e(episode_id(ep))}" data-key="{_e(ep.guid)}"'
        f' aria-labelledby="{_e(episode_id(ep))}-title">',
        f'<h3 id="{_e(episode_id(ep))}-title"><span class="number">{ep.number}.</span>'
        f" {title}</h3>",
        f'<p class="muted"><time datetime="{date}">{date}</time>'
        f' · <span class="duration">{format_duration(ep.duration_s)}</span>'
        ' <span class="badge" hidden>Finished</span></p>',
        f'<audio controls preload="metadata" src="{_e(relative_to(ep.url, base))}"'
        f' aria-label="{title}">{track}</audio>',
        _controls(),
        *_paragraphs(ep.description),
    ]
    if ep.chapters:
        parts.append(_chapters(ep.chapters))
    if vtt:
        parts.append(_transcript(ep.title, vtt_text))
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


def _controls() -> str:
    """Skip buttons, the speed menu and the resume offer the script fills in."""
    speeds = "".join(
        f'<option value="{s}"{" selected" if s == "1" else ""}>{s}×</option>' for s in SPEEDS
    )
    return "\n".join(
        [
            '<div class="controls">',
            f'<button type="button" data-skip="-{SKIP_BACK_S}">Back {SKIP_BACK_S} seconds</button>',
            f'<button type="button" data-skip="{SKIP_FORWARD_S}">'
            f"Forward {SKIP_FORWARD_S} seconds</button>",
            f'<label>Speed <select class="speed">{speeds}</select></label>',
            '<button type="button" class="resume" hidden>Resume</button>',
            "</div>",
        ]
    )


def _transcript(title: str, vtt_text: str | None) -> str:
    """The box the script fills with the WebVTT cues, one clickable span each, from
    the embedded text when there is one, else from the audio's track."""
    embedded = [f'<pre class="vtt" hidden>{_e(vtt_text)}</pre>'] if vtt_text else []
    return "\n".join(
        [
            '<div class="transcript-head">',
            "<h4>Transcript</h4>",
            '<button type="button" class="follow" hidden>Follow along</button>',
            "</div>",
            f'<div class="transcript" role="region" tabindex="0"'
            f' aria-label="Transcript of {_e(title)}">',
            '<p class="muted">Loading the transcript…</p>',
            "</div>",
            *embedded,
        ]
    )


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
