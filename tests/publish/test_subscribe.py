"""Subscribing as a podcast app does: over HTTP, from `serve`, with two real parsers."""

from __future__ import annotations

import json
import urllib.request
from io import BytesIO
from pathlib import Path

import feedparser
import podcastparser
from helpers import FakeSynth, needs_media

from audio_companion.article import parse_text
from audio_companion.podcast.build import build
from audio_companion.podcast.settings import BuildSettings
from audio_companion.publish.manifest import load_manifest
from audio_companion.publish.serve import running_server

pytestmark = needs_media


def fetch(url: str, byte_range: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Range": byte_range} if byte_range else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_an_app_subscribes_reads_every_episode_and_seeks(tmp_path: Path, sample_text: str) -> None:
    out = tmp_path / "feed"
    out.mkdir()
    with running_server(out) as url:
        settings = BuildSettings(out_dir=out, base_url=url, published=1_790_000_000.0)
        build([parse_text(sample_text, "text")], settings, FakeSynth())
        status, headers, raw = fetch(url + "feed.xml")
        assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")

        parsed = podcastparser.parse(url + "feed.xml", BytesIO(raw))
        fp = feedparser.parse(raw)
        assert not fp.bozo, fp.get("bozo_exception")
        assert (
            parsed["title"]
            == fp.feed.title
            == "Small Rituals, Steady Hearts: An Evening Routine for Two"
        )
        records = {r.guid: r for r in load_manifest(out).episodes.values()}
        by_guid = {e["guid"]: e for e in parsed["episodes"]}
        assert set(by_guid) == set(records) == {e.id for e in fp.entries}
        for guid, record in records.items():
            ep = by_guid[guid]
            enclosure = ep["enclosures"][0]
            assert enclosure["url"] == url + record.file_name
            assert enclosure["file_size"] == (out / record.file_name).stat().st_size
            assert enclosure["mime_type"] == "audio/mpeg"
            assert ep["total_time"] == round(record.duration_s)
            assert ep["transcript_url"].startswith(url)
            assert ep["chapters_json_url"] == url + record.file_name[:-4] + ".chapters.json"
            assert [c["title"] for c in ep.get("chapters", [])] == [
                c.title for c in record.chapters
            ]
            # Everything the feed points to is there, with the type apps expect.
            status, headers, body = fetch(ep["chapters_json_url"])
            assert headers["Content-Type"] == "application/json+chapters"
            assert json.loads(body)["version"] == "1.2.0"
            stem = ep["transcript_url"].rsplit(".", 1)[0]  # podcastparser keeps one of the two
            status, headers, body = fetch(stem + ".vtt")
            assert headers["Content-Type"].startswith("text/vtt") and body.startswith(b"WEBVTT")
            status, headers, body = fetch(stem + ".srt")
            assert headers["Content-Type"] == "application/x-subrip"
            assert body.startswith(b"1\n00:00:00,000 --> ")
        entry = fp.entries[0]
        assert entry.itunes_episode and entry.itunes_season and entry.published

        # Seek as a player does: the file in two Range requests.
        first = records[next(iter(records))]
        whole = (out / first.file_name).read_bytes()
        half = len(whole) // 2
        s1, h1, part1 = fetch(url + first.file_name, f"bytes=0-{half - 1}")
        s2, h2, part2 = fetch(url + first.file_name, f"bytes={half}-")
        assert (s1, s2) == (206, 206)
        assert h1["Content-Range"] == f"bytes 0-{half - 1}/{len(whole)}"
        assert h2["Content-Range"] == f"bytes {half}-{len(whole) - 1}/{len(whole)}"
        assert part1 + part2 == whole
