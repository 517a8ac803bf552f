"""End-to-end builds with real espeak-ng and ffmpeg, read back by podcast clients."""

from __future__ import annotations

import json
import re
import subprocess
from io import BytesIO
from pathlib import Path

import feedparser
import podcastparser
import pytest
from helpers import FakeSynth, needs_media

from audio_companion.article import Article, parse_text
from audio_companion.errors import BuildError
from audio_companion.podcast.build import build
from audio_companion.podcast.plan import plan_episodes
from audio_companion.podcast.settings import BuildSettings
from audio_companion.tts.base import VoiceSettings
from audio_companion.tts.registry import make_synthesizer

pytestmark = needs_media
FIXED_TIME = 1_790_000_000.0


def settings(out: Path, base: str = "http://localhost:8000/") -> BuildSettings:
    return BuildSettings(out_dir=out, base_url=base, published=FIXED_TIME)


def ffprobe(path: Path) -> dict[str, str]:
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=duration:stream=sample_rate,channels",
            "-of",
            "json",
            str(path),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    data = json.loads(out)
    return {**data["streams"][0], "duration": data["format"]["duration"]}


@pytest.fixture(scope="module")
def sample(sample_text: str) -> Article:
    return parse_text(sample_text, "text")


@pytest.fixture(scope="module")
def real_build(tmp_path_factory: pytest.TempPathFactory, sample: Article) -> Path:
    out = tmp_path_factory.mktemp("feed")
    build([sample], settings(out), make_synthesizer(VoiceSettings.parse("espeak")))
    return out


def test_clients_read_the_built_feed(real_build: Path, sample: Article) -> None:
    xml = (real_build / "feed.xml").read_bytes()
    parsed = podcastparser.parse("http://localhost:8000/feed.xml", BytesIO(xml))
    titles = [e["title"] for e in sorted(parsed["episodes"], key=lambda e: e["number"])]
    assert titles == [s.title for s in sample.sections]
    fp = feedparser.parse(xml)
    assert not fp.bozo
    assert len(fp.entries) == len(sample.sections)
    for episode in parsed["episodes"]:
        enclosure = episode["enclosures"][0]
        assert enclosure["mime_type"] == "audio/mpeg"
        path = real_build / enclosure["url"].rsplit("/", 1)[1]
        assert enclosure["file_size"] == path.stat().st_size
        probe = ffprobe(path)
        assert abs(episode["total_time"] - float(probe["duration"])) <= 1.0
        assert probe["sample_rate"] == "44100" and probe["channels"] == 1
        assert float(probe["duration"]) > 20  # real narration, not a placeholder


def test_episode_numbers_and_cover(real_build: Path) -> None:
    fp = feedparser.parse((real_build / "feed.xml").read_bytes())
    numbers = sorted(int(e.itunes_episode) for e in fp.entries)
    assert numbers == list(range(1, len(numbers) + 1))
    assert fp.feed.image.href == "http://localhost:8000/cover.png"
    assert (real_build / "cover.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_guids_identical_across_builds(tmp_path: Path, sample: Article) -> None:
    a = build([sample], settings(tmp_path / "a"), FakeSynth())
    b = build([sample], settings(tmp_path / "b", "https://example.org/pod/"), FakeSynth())
    assert [e.guid for e in a.episodes] == [e.guid for e in b.episodes]
    assert len({e.guid for e in a.episodes}) == len(a.episodes)


def test_failed_build_keeps_previous_feed(tmp_path: Path, sample: Article) -> None:
    s = settings(tmp_path)
    build([sample], s, FakeSynth())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    class Broken(FakeSynth):
        identity = "fake:broken"  # another voice: every episode is made again

        def synthesize(self, text: str):  # type: ignore[no-untyped-def]
            if len(self.calls) > 30:
                raise BuildError("synthesis failed")
            return super().synthesize(text)

    with pytest.raises(BuildError):
        build([sample], s, Broken(seconds_per_char=0.02))
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    # Not only the feed: every episode it describes is the one it describes.
    assert after == before
    assert not [n for n in after if ".part" in n]


def test_interrupted_encode_leaves_no_partial_mp3(
    tmp_path: Path, sample: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = settings(tmp_path)
    build([sample], s, FakeSynth())
    first = plan_episodes([sample], s)[0].file_name
    good = (tmp_path / first).read_bytes()

    from audio_companion.media import ffmpeg

    def half_then_interrupt(args, **kwargs):  # type: ignore[no-untyped-def]
        Path(args[-1]).write_bytes(b"ID3 half an mp3")  # the output file is the last argument
        raise KeyboardInterrupt

    monkeypatch.setattr(ffmpeg, "run", half_then_interrupt)
    again = FakeSynth()
    again.identity = "fake:another"  # type: ignore[misc]  # so the episodes are made again
    with pytest.raises(KeyboardInterrupt):
        build([sample], s, again)
    assert (tmp_path / first).read_bytes() == good
    assert not [p for p in tmp_path.iterdir() if ".part" in p.name]


def test_breathing_sessions_are_published_as_their_own_season(
    tmp_path: Path, sample: Article
) -> None:
    s = BuildSettings(
        out_dir=tmp_path, published=FIXED_TIME, breathing=(("box", 1.0), ("resonance", 1.5))
    )
    result = build([sample], s, FakeSynth())
    parsed = podcastparser.parse(s.feed_url, BytesIO((tmp_path / "feed.xml").read_bytes()))
    fp = feedparser.parse((tmp_path / "feed.xml").read_bytes())
    seasons = {e.title: int(e.itunes_season) for e in fp.entries}
    assert seasons["Box breathing, 1 minute"] == 2
    assert seasons["Resonance breathing, 1.5 minutes"] == 2
    assert len(result.episodes) == len(sample.sections) + 2
    for ep in parsed["episodes"]:
        path = tmp_path / ep["enclosures"][0]["url"].rsplit("/", 1)[1]
        assert ep["enclosures"][0]["file_size"] == path.stat().st_size
        assert abs(ep["total_time"] - float(ffprobe(path)["duration"])) <= 1.0


def test_breathing_spec_errors_are_clear() -> None:
    from audio_companion.cli.build import parse_breathing
    from audio_companion.errors import InputError

    assert parse_breathing("box:4, 4-7-8") == (("box", 4.0), ("4-7-8", 4.0))
    with pytest.raises(InputError, match="minutes must be a number"):
        parse_breathing("box:four")


def test_chapters_in_id3_and_json_sit_at_the_sub_section_audio(
    tmp_path: Path, sample: Article
) -> None:
    from mutagen.id3 import ID3

    from audio_companion.narration.layout import episode_chapters, render_script
    from audio_companion.podcast.produce import chapters_path

    s = settings(tmp_path)
    build([sample], s, FakeSynth())
    first = plan_episodes([sample], s)[0]
    rendered = render_script(list(first.lines), FakeSynth())
    marks = episode_chapters(rendered.placed, rendered.audio.duration, first.title)
    expected = [c.start for c in marks]
    tags = ID3(str(tmp_path / first.file_name))
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [c.start_time for c in chaps] == [round(t * 1000) for t in expected]
    assert [str(c.sub_frames["TIT2"]) for c in chaps] == [c.title for c in marks]
    assert str(tags["TALB"]) == sample.title and str(tags["TRCK"]) == "1"
    assert tags.getall("APIC")[0].mime == "image/png"
    data = json.loads(chapters_path(tmp_path / first.file_name).read_text("utf-8"))
    assert data["version"] == "1.2.0"
    assert [c["startTime"] for c in data["chapters"]] == [round(t, 3) for t in expected]


def ebur128(path: Path) -> tuple[float, float]:
    """Integrated loudness and true peak measured by ffmpeg, not by our code."""
    err = subprocess.run(
        [
            "ffmpeg",
            "-nostats",
            "-i",
            str(path),
            "-filter_complex",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    summary = err[err.rindex("Summary:") :]
    lufs = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    return lufs, peak


def test_every_episode_is_mastered_to_the_loudness_target(real_build: Path) -> None:
    for mp3 in sorted(real_build.glob("*.mp3")):
        lufs, peak = ebur128(mp3)
        assert -20.0 <= lufs <= -18.0, (mp3.name, lufs)
        # MP3 encoding can add a few tenths of a dB of overshoot to the limited peaks.
        assert peak <= -0.5, (mp3.name, peak)
