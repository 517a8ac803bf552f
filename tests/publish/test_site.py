"""The listener's page is pure: escaped, relative, ordered, and well-formed HTML."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from html.parser import HTMLParser

import pytest
from helpers import example_channel

from audio_companion.media.tags import Chapter
from audio_companion.publish.feed import Episode, Transcript
from audio_companion.publish.site import format_duration, format_time, relative_to, render_index

BASE = "https://example.org/show/"
CHANNEL = example_channel(BASE, description="A show about evenings.\n\nSecond paragraph.")


def episode(season: int, number: int, **kw: object) -> Episode:
    values: dict[str, object] = {
        "guid": f"guid-{season}-{number}",
        "title": f"Part {season}.{number}",
        "description": f"Notes for {season}.{number}.",
        "url": f"{BASE}s{season}e{number}.mp3",
        "length_bytes": 1000,
        "duration_s": 65.4,
        "number": number,
        "season": season,
        "published": datetime(2026, 1, number, 20, 0, tzinfo=timezone.utc),
    }
    values.update(kw)
    return Episode(**values)  # type: ignore[arg-type]


FULL = episode(
    1,
    1,
    chapters=(Chapter("Opening", 0.0, 12.5), Chapter("The middle", 12.5, 75.0)),
    chapters_url=BASE + "s1e1.chapters.json",
    transcripts=(
        Transcript(BASE + "s1e1.vtt", "text/vtt"),
        Transcript(BASE + "s1e1.srt", "application/x-subrip"),
    ),
    citations=("Smith (2020), Trust, https://doi.org/10.1/x.", "A book without a link"),
)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}


class TagChecker(HTMLParser):
    """Balanced non-void elements: every start has its end, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.doctype: str | None = None
        self.text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.errors.append(f"end tag for void <{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check(page: str) -> TagChecker:
    checker = TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.errors == []
    assert checker.stack == [], f"unclosed: {checker.stack}"
    return checker


class Attrs(HTMLParser):
    """Every start tag's attributes, decoded, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str, name: str) -> list[dict[str, str | None]]:
    parser = Attrs()
    parser.feed(page)
    return [attrs for tag, attrs in parser.tags if tag == name]


def test_page_is_well_formed_html5() -> None:
    page = render_index(CHANNEL, [FULL, episode(1, 2)])
    checker = check(page)
    assert checker.doctype is not None and checker.doctype.lower() == "doctype html"
    assert page.startswith("<!doctype html>\n")
    assert tags(page, "html") == [{"lang": "en"}]
    assert {"charset": "utf-8"} in tags(page, "meta")
    assert any(m.get("name") == "viewport" for m in tags(page, "meta"))
    assert "prefers-color-scheme: dark" in page


def test_no_external_resources() -> None:
    page = render_index(CHANNEL, [FULL])
    assert tags(page, "script") == [{}]  # inline only
    assert not any(link.get("rel") == "stylesheet" for link in tags(page, "link"))
    assert "@import" not in page and "url(" not in page
    for name, attr in (("img", "src"), ("audio", "src"), ("link", "href")):
        for t in tags(page, name):
            assert "//" not in (t[attr] or ""), (name, t)


def test_hostile_text_is_escaped() -> None:
    evil = "<script>alert(\"x\")</script> & 'quotes'"
    channel = replace(CHANNEL, title=evil, description=evil, author=evil, language='en"><x')
    ep = replace(
        FULL,
        title=evil,
        description=f"{evil}\n\n<b>bold</b>",
        chapters=(Chapter(evil, 0.0, 1.0),),
        citations=(evil, 'https://e.org/"onmouseover=x'),
    )
    page = render_index(channel, [ep])
    checker = check(page)
    assert page.count("<script>") == 1  # our own
    assert "<b>" not in page and "<x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;" in page
    assert tags(page, "html") == [{"lang": 'en"><x'}]
    text = "".join(checker.text)
    assert evil in text and "<b>bold</b>" in text
    assert 'https://e.org/"onmouseover=x' not in page


def test_relative_to() -> None:
    assert relative_to(BASE + "a.mp3", BASE) == "a.mp3"
    assert relative_to(BASE + "a.mp3", BASE.rstrip("/")) == "a.mp3"
    assert relative_to("https://example.org/shows/a.mp3", "https://example.org/show") == (
        "https://example.org/shows/a.mp3"
    )
    assert relative_to("https://cdn.example.net/a.mp3", BASE) == "https://cdn.example.net/a.mp3"
    assert relative_to(BASE + "a.mp3", "") == BASE + "a.mp3"


def test_links_into_the_folder_are_relative() -> None:
    other = episode(1, 2, url="https://cdn.example.net/s1e2.mp3")
    page = render_index(CHANNEL, [FULL, other])
    assert [a["src"] for a in tags(page, "audio")] == [
        "s1e1.mp3",
        "https://cdn.example.net/s1e2.mp3",
    ]
    hrefs = [a["href"] for a in tags(page, "a")]
    assert "feed.xml" in hrefs
    assert {"s1e1.vtt", "s1e1.srt", "s1e1.chapters.json"} <= set(hrefs)
    assert [i["value"] for i in tags(page, "input")] == [CHANNEL.feed_url]  # absolute, to copy


def test_cover() -> None:
    assert tags(render_index(CHANNEL, []), "img")[0]["src"] == "cover.png"
    assert tags(render_index(CHANNEL, [], cover_file="art.jpg"), "img")[0]["src"] == "art.jpg"
    external = replace(CHANNEL, image_url="https://img.example.net/c.png")
    assert tags(render_index(external, [], cover_file=None), "img")[0]["src"] == (
        "https://img.example.net/c.png"
    )
    assert tags(render_index(CHANNEL, [], cover_file=None), "img")[0]["src"] == "cover.png"


def test_seasons_grouped_and_ordered() -> None:
    eps = [episode(2, 1), episode(1, 2), episode(2, 3), episode(1, 1)]
    page = render_index(CHANNEL, eps)
    check(page)
    ids = [a["id"] for a in tags(page, "article")]
    assert ids == ["s1e1", "s1e2", "s2e1", "s2e3"]
    assert [a["class"] for a in tags(page, "article")] == ["episode"] * 4
    assert re.findall(r"<h2>(Season \d+)</h2>", page) == ["Season 1", "Season 2"]
    assert page.index("Season 2") > page.index('id="s1e2"')
    single = render_index(CHANNEL, [episode(1, 2), episode(1, 1)])
    assert "Season" not in single
    assert [a["id"] for a in tags(single, "article")] == ["s1e1", "s1e2"]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0:00"),
        (3.4, "0:03"),
        (59.6, "1:00"),
        (65.4, "1:05"),
        (3599.4, "59:59"),
        (2.5, "0:03"),
        (3599.5, "1:00:00"),
        (3600, "1:00:00"),
        (3725, "1:02:05"),
        (36000, "10:00:00"),
        (-1, "0:00"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0:00"), (1.5, "0:01"), (59.999, "0:59"), (3725.9, "1:02:05"), (-0.5, "0:00")],
)
def test_format_time_floors(seconds: float, text: str) -> None:
    assert format_time(seconds) == text


def test_episode_shows_date_duration_and_audio() -> None:
    page = render_index(CHANNEL, [FULL])
    assert '<time datetime="2026-01-01">2026-01-01</time>' in page
    assert '<span class="duration">1:05</span>' in page
    assert tags(page, "audio") == [
        {"controls": None, "preload": "metadata", "src": "s1e1.mp3", "aria-label": "Part 1.1"}
    ]
    assert "<p>Notes for 1.1.</p>" in page


def test_notes_become_paragraphs() -> None:
    ep = replace(FULL, description="First line\nsame paragraph.\n\n  \nSecond.\n")
    page = render_index(CHANNEL, [ep])
    assert "<p>First line<br>\nsame paragraph.</p>\n<p>Second.</p>" in page


def test_chapters_seek_buttons_with_times() -> None:
    long = replace(FULL, chapters=(*FULL.chapters, Chapter("Late", 3725.75, 3800.0)))
    page = render_index(CHANNEL, [long])
    buttons = [b for b in tags(page, "button") if "data-seek" in b]
    assert [b["data-seek"] for b in buttons] == ["0", "12.5", "3725.75"]
    assert re.findall(r'<span class="time">([^<]*)</span> ([^<]*)</button>', page) == [
        ("0:00", "Opening"),
        ("0:12", "The middle"),
        ("1:02:05", "Late"),
    ]
    assert '<ol class="chapters">' in page
    assert "<ol" not in render_index(CHANNEL, [episode(1, 2)])


def test_transcripts_chapters_json_and_sources() -> None:
    page = render_index(CHANNEL, [FULL])
    assert '<a href="s1e1.vtt">Transcript (WebVTT)</a>' in page
    assert '<a href="s1e1.srt">Transcript (SRT)</a>' in page
    assert '<a href="s1e1.chapters.json">Chapters (JSON)</a>' in page
    assert "<h4>Sources</h4>" in page
    assert (
        '<li>Smith (2020), Trust, <a href="https://doi.org/10.1/x">https://doi.org/10.1/x</a>.</li>'
        in page
    )
    assert "<li>A book without a link</li>" in page
    bare = render_index(CHANNEL, [episode(1, 2)])
    assert "Sources" not in bare and ">Transcript (" not in bare


def test_copy_button_and_feed_link() -> None:
    page = render_index(CHANNEL, [])
    assert tags(page, "input") == [
        {"id": "feed-url", "type": "text", "readonly": None, "value": CHANNEL.feed_url}
    ]
    assert {"type": "button", "id": "copy-feed"} in tags(page, "button")
    assert "navigator.clipboard" in page and ".select()" in page
    check(page)


def test_output_is_stable() -> None:
    eps = [FULL, episode(1, 2), episode(2, 1)]
    assert render_index(CHANNEL, eps) == render_index(CHANNEL, list(reversed(eps)))


def test_player_controls_for_each_episode() -> None:
    page = render_index(CHANNEL, [FULL, episode(1, 2)])
    check(page)
    skips = [b["data-skip"] for b in tags(page, "button") if "data-skip" in b]
    assert skips == ["-15", "30", "-15", "30"]
    # The visible text is the accessible name (axe: label-content-name-mismatch).
    assert (
        re.findall(r'data-skip="[-0-9]+">([^<]*)</button>', page)
        == [
            "Back 15 seconds",
            "Forward 30 seconds",
        ]
        * 2
    )
    speeds = [o["value"] for o in tags(page, "option")]
    assert speeds == ["0.8", "1", "1.25", "1.5", "1.75", "2"] * 2
    assert [o for o in tags(page, "option") if "selected" in o] == [
        {"value": "1", "selected": None}
    ] * 2
    assert page.count("<label>Speed <select") == 2  # a visible label wraps each menu
    resume = [b for b in tags(page, "button") if b.get("class") == "resume"]
    assert resume == [{"type": "button", "class": "resume", "hidden": None}] * 2
    assert page.count('<span class="badge" hidden>Finished</span>') == 2


def test_articles_carry_their_guid_for_remembered_positions() -> None:
    ep = replace(FULL, guid='tag:x,2026:"a"&b')
    page = render_index(CHANNEL, [ep])
    (article,) = tags(page, "article")
    assert article["data-key"] == 'tag:x,2026:"a"&b'
    assert article["aria-labelledby"] == "s1e1-title"
    assert [h["id"] for h in tags(page, "h3")] == ["s1e1-title"]


def test_transcript_box_reads_the_vtt_track() -> None:
    page = render_index(CHANNEL, [FULL])
    check(page)
    assert tags(page, "track") == [{"kind": "metadata", "label": "Transcript", "src": "s1e1.vtt"}]
    assert page.index("<track") > page.index("<audio") and page.index("</audio>") > page.index(
        "<track"
    )
    (box,) = [d for d in tags(page, "div") if d.get("class") == "transcript"]
    assert box == {
        "class": "transcript",
        "role": "region",
        "tabindex": "0",
        "aria-label": "Transcript of Part 1.1",
    }
    assert {"type": "button", "class": "follow", "hidden": None} in tags(page, "button")
    srt_only = replace(FULL, transcripts=(Transcript(BASE + "s1e1.srt", "application/x-subrip"),))
    bare = render_index(CHANNEL, [srt_only])
    assert tags(bare, "track") == [] and 'class="transcript"' not in bare
    assert tags(bare, "audio")[0]["src"] == "s1e1.mp3"


def test_keyboard_help_and_inline_player() -> None:
    page = render_index(CHANNEL, [FULL])
    assert "<kbd>Space</kbd> play or pause" in page
    assert "<kbd>←</kbd> back 15 s · <kbd>→</kbd> forward 30 s" in page
    script = page[page.index("<script>") : page.index("</script>")]
    for needle in ("localStorage", "playbackRate", "ArrowLeft", "ArrowRight", "track"):
        assert needle in script
    style = page[page.index("<style>") : page.index("</style>")]
    assert ".cue.now" in style and "prefers-color-scheme: dark" in style


def test_page_assets_ship_as_package_data() -> None:
    from importlib import resources

    folder = resources.files("audio_companion.publish").joinpath("page")
    assert {"player.css", "player.js"} <= {p.name for p in folder.iterdir()}


def test_vtt_text_can_be_embedded_for_file_urls() -> None:
    vtt = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nTom &amp; <Jerry> </pre><script>x\n"
    page = render_index(CHANNEL, [FULL, episode(1, 2)], vtt_texts={FULL.guid: vtt})
    check(page)
    assert page.count('<pre class="vtt" hidden>') == 1
    assert page.count("<script>") == 1 and "</pre><script>" not in page
    start = page.index('<pre class="vtt" hidden>') + len('<pre class="vtt" hidden>')
    from html import unescape

    assert unescape(page[start : page.index("</pre>", start)]) == vtt
    assert page.index('<pre class="vtt"') > page.index('id="s1e1"')
    assert page.index('<pre class="vtt"') < page.index('id="s1e2"')
    assert render_index(CHANNEL, [FULL]) == render_index(CHANNEL, [FULL], vtt_texts={})
