"""The feed validator: a real build passes, and each broken rule is reported alone."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import GOLDEN
from lxml import etree
from PIL import Image

from audio_companion.publish.feed_ext import PODCAST_NS
from audio_companion.publish.manifest import MANIFEST_FILE
from audio_companion.publish.validate import (
    Problem,
    format_problems,
    validate_feed,
    validate_folder,
)

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


@pytest.fixture
def good(sample_feed: Path) -> Path:
    return sample_feed


@pytest.fixture
def copy(good: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(good, tmp_path / "feed"))


def only(problems: list[Problem], where: str, message: str) -> Problem:
    """The single problem reported, checked against substrings of where and message."""
    assert len(problems) == 1, format_problems(problems)
    (p,) = problems
    assert where in p.where, p
    assert message in p.message, p
    return p


def edit_feed(folder: Path, change: Callable[[str], str]) -> None:
    path = folder / "feed.xml"
    before = path.read_text("utf-8")
    after = change(before)
    assert after != before, "the mutation did not apply"
    path.write_text(after, "utf-8")


def first(pattern: str, repl: str) -> Callable[[str], str]:
    return lambda xml: re.sub(pattern, repl, xml, count=1, flags=re.S)


def items(folder: Path) -> list[tuple[str, dict[str, Path]]]:
    """(title, {enclosure, vtt, srt, chapters: file}) per item, in feed order."""
    root = etree.parse(str(folder / "feed.xml")).getroot()
    ns = {"podcast": PODCAST_NS}
    out = []
    for item in root.iterfind("channel/item"):
        files = {"enclosure": item.find("enclosure").get("url")}
        for t in item.iterfind("podcast:transcript", ns):
            files["vtt" if t.get("type") == "text/vtt" else "srt"] = t.get("url")
        chapters = item.find("podcast:chapters", ns)
        if chapters is not None:
            files["chapters"] = chapters.get("url")
        out.append(
            (item.findtext("title"), {k: folder / v.rsplit("/", 1)[1] for k, v in files.items()})
        )
    return out


def test_real_build_has_no_problems(good: Path) -> None:
    assert validate_folder(good) == []
    assert validate_folder(good / "feed.xml") == []
    # The build's feed carries what the file checks below rely on.
    for _, files in items(good):
        assert set(files) == {"enclosure", "vtt", "srt", "chapters"}


def test_golden_feed_has_no_problems_without_its_files() -> None:
    assert validate_feed((GOLDEN / "basic_feed.rss").read_bytes(), None) == []


def _dup_second_guid(xml: str) -> str:
    guids = re.findall(r'<guid isPermaLink="false">(.*?)</guid>', xml)
    return xml.replace(guids[1], guids[0], 1)


def _bump(pattern: str, by: int) -> Callable[[str], str]:
    return lambda xml: re.sub(
        pattern, lambda m: m[0].replace(m[1], str(int(m[1]) + by)), xml, count=1
    )


XML_CASES = [
    (
        "description over 4000 bytes",
        first(r"(<channel>.*?<description>)", r"\g<1>" + "é" * 2001),
        "channel",
        "Apple allows at most 4000",
    ),
    ("missing language", first(r"\s*<language>en</language>", ""), "channel", "<language>"),
    (
        "explicit yes",
        first(r"<itunes:explicit>false<", "<itunes:explicit>yes<"),
        "channel",
        "<itunes:explicit> is 'yes'",
    ),
    (
        "wrong show type",
        first(r"<itunes:type>serial<", "<itunes:type>weekly<"),
        "channel",
        "'episodic' or 'serial'",
    ),
    (
        "missing owner email",
        first(r"\s*<itunes:email>[^<]*</itunes:email>", ""),
        "channel",
        "<itunes:email>",
    ),
    (
        "missing self link",
        first(r'\s*<atom:link [^>]*rel="self"[^>]*/>', ""),
        "channel",
        '<atom:link rel="self"> is missing',
    ),
    (
        "wrong podcast guid",
        first(r"<podcast:guid>[^<]*<", "<podcast:guid>00000000-0000-0000-0000-000000000000<"),
        "channel",
        "<podcast:guid> is 00000000",
    ),
    (
        "locked maybe",
        first(r"(<podcast:locked[^>]*>)yes<", r"\g<1>maybe<"),
        "channel",
        "<podcast:locked> is 'maybe'",
    ),
    ("duplicate guid", _dup_second_guid, "item 2 (", "also used by item 1"),
    (
        "bad pubDate",
        first(r"<pubDate>[^<]*<", "<pubDate>2026-09-21 14:13:20<"),
        "item 1 (",
        "not an RFC 2822 date",
    ),
    (
        "pubDate without zone",
        first(r"<pubDate>[^<]*<", "<pubDate>Mon, 21 Sep 2026 14:13:20 -0000<"),
        "item 1 (",
        "no time zone",
    ),
    ("enclosure length off", _bump(r'length="(\d+)"', 1), "item 1 (", "bytes but <enclosure"),
    (
        "non-integer duration",
        first(r"<itunes:duration>\d+<", "<itunes:duration>0:10<"),
        "item 1 (",
        "whole seconds",
    ),
    (
        "duration off by 5 s",
        _bump(r"<itunes:duration>(\d+)<", 5),
        "item 1 (",
        "expected within 1 s",
    ),
    (
        "episode number zero",
        first(r"<itunes:episode>\d+<", "<itunes:episode>0<"),
        "item 1 (",
        "<itunes:episode> is '0'",
    ),
    (
        "same season and episode",
        lambda xml: xml.replace("<itunes:episode>4<", "<itunes:episode>5<"),
        "item 2 (",
        "season 1 episode 5 is also item 1",
    ),
    (
        "transcript type",
        first(r'type="application/x-subrip"', 'type="text/plain"'),
        "item 1 (",
        "<podcast:transcript type> is 'text/plain'",
    ),
    (
        "chapters type",
        first(r'type="application/json\+chapters"', 'type="application/json"'),
        "item 1 (",
        "<podcast:chapters type>",
    ),
    (
        "psc start not NPT",
        first(r'<psc:chapter start="00:00:00.000"', '<psc:chapter start="0:00"'),
        "item 1 (",
        "is not HH:MM:SS",
    ),
    (
        "empty item description",
        first(r"<description>[^<]+</description>(\s*<content)", r"<description></description>\1"),
        "item 1 (",
        "<description>",
    ),
]


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [case[1:] for case in XML_CASES],
    ids=[case[0] for case in XML_CASES],
)
def test_broken_feed_reports_exactly_that_rule(
    copy: Path, change: Callable[[str], str], where: str, message: str
) -> None:
    edit_feed(copy, change)
    only(validate_folder(copy), where, message)


def test_missing_enclosure_file(copy: Path) -> None:
    title, files = items(copy)[0]
    files["enclosure"].unlink()
    only(validate_folder(copy), f"item 1 ({title})", f"{files['enclosure'].name} does not exist")


def test_missing_transcript_file(copy: Path) -> None:
    title, files = items(copy)[1]
    files["vtt"].unlink()
    only(validate_folder(copy), f"item 2 ({title})", f"transcript file {files['vtt'].name}")


def test_vtt_without_header(copy: Path) -> None:
    vtt = items(copy)[0][1]["vtt"]
    vtt.write_text(vtt.read_text("utf-8").removeprefix("WEBVTT\n"), "utf-8")
    only(validate_folder(copy), vtt.name, "start with the line WEBVTT")


def test_srt_whose_first_cue_does_not_parse(copy: Path) -> None:
    srt = items(copy)[0][1]["srt"]
    srt.write_text(srt.read_text("utf-8").replace(",", ".", 1), "utf-8")
    only(validate_folder(copy), srt.name, "first SubRip cue does not parse")


def _edit_chapters(path: Path, change: Callable[[dict[str, object]], None]) -> None:
    doc = json.loads(path.read_text("utf-8"))
    change(doc)
    path.write_text(json.dumps(doc), "utf-8")


def test_chapters_json_wrong_version(copy: Path) -> None:
    path = items(copy)[0][1]["chapters"]
    _edit_chapters(path, lambda doc: doc.update(version="1.1"))
    only(validate_folder(copy), path.name, "version is '1.1'; expected '1.2.0'")


def test_chapters_json_out_of_order(copy: Path) -> None:
    path = next(
        files["chapters"]
        for _, files in items(copy)
        if len(json.loads(files["chapters"].read_text("utf-8"))["chapters"]) > 1
    )

    def swap(doc: dict[str, object]) -> None:
        chapters = doc["chapters"]
        assert isinstance(chapters, list)
        chapters[0]["startTime"], chapters[1]["startTime"] = (
            chapters[1]["startTime"],
            chapters[0]["startTime"],
        )

    _edit_chapters(path, swap)
    only(validate_folder(copy), path.name, "chapters out of order")


def test_chapter_after_the_end(copy: Path) -> None:
    path = items(copy)[0][1]["chapters"]
    _edit_chapters(path, lambda doc: doc["chapters"].append({"startTime": 9999}))  # type: ignore[union-attr]
    only(validate_folder(copy), path.name, "after the episode ends")


def test_missing_chapters_file(copy: Path) -> None:
    title, files = items(copy)[0]
    files["chapters"].unlink()
    only(validate_folder(copy), f"item 1 ({title})", "chapters file")


COVER_CASES = [
    ("not square", (1400, 1500), "RGB", "PNG", "cover.png", "must be square"),
    ("too small", (1000, 1000), "RGB", "PNG", "cover.png", "1400-3000 px a side"),
    ("too big", (3200, 3200), "RGB", "PNG", "cover.png", "1400-3000 px a side"),
    ("CMYK", (1400, 1400), "CMYK", "JPEG", "cover.jpg", "colour mode is CMYK"),
    ("RGBA", (1400, 1400), "RGBA", "PNG", "cover.png", "colour mode is RGBA"),
    ("palette", (1400, 1400), "P", "PNG", "cover.png", "colour mode is P"),
    ("grey", (1400, 1400), "L", "PNG", "cover.png", "colour mode is L"),
    ("PNG named .jpg", (1400, 1400), "RGB", "PNG", "cover.jpg", "a PNG but named .jpg"),
    ("JPEG named .png", (1400, 1400), "RGB", "JPEG", "cover.png", "a JPEG but named .png"),
]


def hand_made(copy: Path) -> None:
    """No build manifest: the cover is checked for what apps ask, not against a build."""
    (copy / MANIFEST_FILE).unlink()
    (copy / "cover.png").unlink()


@pytest.mark.parametrize(
    ("size", "mode", "fmt", "name", "message"),
    [case[1:] for case in COVER_CASES],
    ids=[case[0] for case in COVER_CASES],
)
def test_bad_cover(
    copy: Path, size: tuple[int, int], mode: str, fmt: str, name: str, message: str
) -> None:
    hand_made(copy)
    Image.new(mode, size).save(copy / name, format=fmt)
    if name != "cover.png":
        edit_feed(
            copy,
            lambda xml: xml.replace(
                'href="http://localhost:8000/cover.png"', f'href="http://localhost:8000/{name}"'
            ),
        )
    only(validate_folder(copy), name, message)


def test_good_jpeg_cover_passes(copy: Path) -> None:
    hand_made(copy)
    Image.new("RGB", (1400, 1400)).save(copy / "cover.jpg", format="JPEG")
    edit_feed(copy, lambda xml: xml.replace("8000/cover.png", "8000/cover.jpg"))
    assert validate_folder(copy) == []


def test_urls_elsewhere_are_not_checked_locally(copy: Path) -> None:
    def move_media(xml: str) -> str:
        moved = xml.replace("http://localhost:8000/", "https://cdn.example.org/x/")
        return moved.replace(
            'href="https://cdn.example.org/x/feed.xml"', 'href="http://localhost:8000/feed.xml"'
        )

    edit_feed(copy, move_media)
    for path in copy.iterdir():
        if path.name != "feed.xml":
            path.unlink()
    assert validate_folder(copy) == []


def test_psc_chapters_out_of_order() -> None:
    xml = (GOLDEN / "basic_feed.rss").read_bytes()
    xml = xml.replace(b'start="00:00:20.000" title="Why', b'start="00:00:00.000" title="Why', 1)
    xml = xml.replace(b'start="00:00:00.000" title="Part 2"', b'start="00:00:30.000" title="P2"')
    only(validate_feed(xml, None), "item 1 (Part 2)", "chapters out of order")


def test_missing_feed_and_bad_xml_are_problems_not_errors(tmp_path: Path) -> None:
    only(validate_folder(tmp_path), "feed.xml", "cannot read the feed")
    (tmp_path / "feed.xml").write_text("<rss><channel>", "utf-8")
    only(validate_folder(tmp_path), "feed", "not well-formed XML")
    (tmp_path / "feed.xml").write_text("<feed/>", "utf-8")
    only(validate_folder(tmp_path), "feed", "root is <feed>")


def test_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", "utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss><channel><title>&x;</title></channel></rss>"
    ).encode()
    problems = validate_feed(xml, None)
    assert "SECRET" not in format_problems(problems)
    assert any("<title>" in p.message for p in problems)


def test_format_problems_is_one_line_each() -> None:
    text = format_problems([Problem("channel", "a"), Problem("item 1 (T)", "b")])
    assert text == "channel: a\nitem 1 (T): b"


def test_the_podcast_namespace_under_its_newer_name_is_the_same(good: Path, tmp_path: Path) -> None:
    copy = tmp_path / "renamed"
    shutil.copytree(good, copy)
    feed = copy / "feed.xml"
    feed.write_bytes(
        feed.read_bytes().replace(PODCAST_NS.encode(), b"https://podcastindex.org/namespace/1.0")
    )
    assert validate_folder(copy) == []
