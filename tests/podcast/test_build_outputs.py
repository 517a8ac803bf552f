"""What a build writes besides the MP3s: transcripts, the audiobook, and what
the sentence cache saves on the next build."""

from __future__ import annotations

import dataclasses
import html
import itertools
import json
import re
import subprocess
from pathlib import Path

import pytest
from helpers import FakeSynth, needs_media

from audio_companion.article import Article, parse_text
from audio_companion.narration.layout import render_script, script_sentences
from audio_companion.podcast.build import build
from audio_companion.podcast.plan import plan_episodes
from audio_companion.podcast.produce import transcript_paths
from audio_companion.podcast.settings import BuildSettings

pytestmark = needs_media
CUE = re.compile(r"(\d+):(\d\d):(\d\d)\.(\d{3}) --> (\d+):(\d\d):(\d\d)\.(\d{3})")
EDITED = "Days can pass where the only conversations are about chores."


def settings(out: Path, **kw: object) -> BuildSettings:
    return BuildSettings(out_dir=out, published=1_790_000_000.0, **kw)  # type: ignore[arg-type]


def seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def read_vtt(path: Path) -> list[tuple[float, float, str]]:
    """An independent reader: (start, end, text) per cue."""
    text = path.read_text("utf-8")
    assert text.startswith("WEBVTT\n")
    cues = []
    for block in text.split("\n\n")[1:]:
        lines = block.strip().splitlines()
        if not lines:
            continue
        timing = next(i for i, ln in enumerate(lines) if "-->" in ln)
        m = CUE.fullmatch(lines[timing])
        assert m, lines[timing]
        cues.append(
            (seconds(*m.groups()[:4]), seconds(*m.groups()[4:]), " ".join(lines[timing + 1 :]))
        )
    return cues


@pytest.fixture(scope="module")
def sample(sample_text: str) -> Article:
    return parse_text(sample_text, "text")


def test_transcript_cues_are_ordered_disjoint_and_cover_every_sentence(
    tmp_path: Path, sample: Article
) -> None:
    s = settings(tmp_path)
    build([sample], s, FakeSynth())
    for ep in plan_episodes([sample], s):
        vtt, srt = transcript_paths(tmp_path / ep.file_name)
        cues = read_vtt(vtt)
        for (a0, a1, _), (b0, _, _) in itertools.pairwise(cues):
            assert a0 < a1 <= b0
        rendered = render_script(ep.lines, FakeSynth())
        shown = " ".join(s.shown for s in rendered.sentences)
        said = " ".join(text for _, _, text in cues).replace("&amp;", "&")
        assert said.split() == shown.split()
        assert srt.read_text("utf-8").startswith("1\n00:00:00,000 --> ")
        assert len(srt.read_text("utf-8").strip().split("\n\n")) == len(cues)


def test_vtt_cue_times_are_the_sentence_times(tmp_path: Path, sample: Article) -> None:
    s = settings(tmp_path)
    build([sample], s, FakeSynth())
    ep = plan_episodes([sample], s)[0]
    rendered = render_script(ep.lines, FakeSynth())
    offset = rendered.sentences[0].start
    cues = read_vtt(transcript_paths(tmp_path / ep.file_name)[0])
    cue_starts = [c[0] for c in cues]
    for sentence in rendered.sentences:
        want = round(sentence.start - offset, 3)
        assert min(abs(t - want) for t in cue_starts) <= 0.001, sentence


def test_unchanged_rebuild_synthesises_nothing_and_an_edit_only_its_sentences(
    tmp_path: Path, sample_text: str
) -> None:
    cache = tmp_path / "cache"
    s = settings(tmp_path / "out", speech_cache=cache)
    article = parse_text(sample_text, "text")
    first = build([article], s, FakeSynth())
    everything = [t for ep in plan_episodes([article], s) for t in script_sentences(ep.lines)]
    assert first.sentences_synthesized == len(set(everything)) and first.sentences_cached == 0

    synth = FakeSynth()
    again = build([article], s, synth)
    assert synth.calls == [] and again.sentences_synthesized == 0
    assert again.rendered == () and len(again.reused) == len(first.rendered)

    # Another bitrate: every episode is encoded again, every sentence from the cache.
    synth = FakeSynth()
    s96 = dataclasses.replace(s, encode=dataclasses.replace(s.encode, bitrate="96k"))
    recoded = build([article], s96, synth)
    assert synth.calls == [] and len(recoded.rendered) == len(first.rendered)
    assert recoded.sentences_cached == len(set(everything))

    assert EDITED in sample_text
    edited = parse_text(
        sample_text.replace(EDITED, "Whole weeks can go by on chores alone."), "text"
    )
    synth = FakeSynth()
    result = build([edited], s96, synth)
    assert synth.calls == ["Whole weeks can go by on chores alone."]
    assert result.rendered == (plan_episodes([edited], s96)[0].file_name,)


def test_worker_processes_give_the_same_episodes(tmp_path: Path, sample: Article) -> None:
    one = build([sample], settings(tmp_path / "one"), FakeSynth())
    two = build([sample], settings(tmp_path / "two", workers=2), FakeSynth(), factory=FakeSynth)
    assert [e.duration_s for e in one.episodes] == [e.duration_s for e in two.episodes]
    for a, b in zip(
        sorted((tmp_path / "one").glob("*.vtt")),
        sorted((tmp_path / "two").glob("*.vtt")),
        strict=True,
    ):
        assert a.read_text() == b.read_text()


def test_audiobook_has_one_chapter_per_episode_section(tmp_path: Path, sample: Article) -> None:
    book = tmp_path / "book.m4b"
    s = settings(tmp_path / "out", audiobook=book)
    result = build([sample], s, FakeSynth())
    assert result.audiobook == book and book.exists()
    probe = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-show_chapters", "-show_format", "-of", "json", str(book)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    titles = [c["tags"]["title"] for c in probe["chapters"]]
    episodes = [ep.title for ep in plan_episodes([sample], s)]
    # Each episode opens a chapter (its sub-sections follow as "Episode: Chapter").
    assert [t for t in titles if ":" not in t or t in episodes] == episodes
    total = sum(e.duration_s for e in result.episodes)
    assert float(probe["format"]["duration"]) == pytest.approx(total + len(episodes) - 1, abs=0.5)
    assert probe["format"]["tags"]["title"] == sample.title


def test_chime_lengthens_each_episode_by_two_chimes(tmp_path: Path, sample: Article) -> None:
    from audio_companion.podcast.chime import make_chime

    plain = build([sample], settings(tmp_path / "a"), FakeSynth())
    chimed = build([sample], settings(tmp_path / "b", chime=True), FakeSynth())
    # Two chimes and the gap after the first; the outro's closing pause, trimmed
    # as trailing silence without a chime, now stays before the second.
    extra = 2 * make_chime().duration + 0.5
    for a, b in zip(plain.episodes, chimed.episodes, strict=True):
        assert extra - 0.1 < b.duration_s - a.duration_s < extra + 0.5 + 0.1


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings(Path("x")).chime = True  # type: ignore[misc]


def test_the_index_page_embeds_each_transcript_for_a_page_opened_from_disk(
    sample_feed: Path,
) -> None:
    page = (sample_feed / "index.html").read_text(encoding="utf-8")
    vtts = sorted(sample_feed.glob("*.vtt"))
    assert vtts and page.count('<pre class="vtt" hidden>WEBVTT') == len(vtts)
    first_cue = vtts[0].read_text(encoding="utf-8").split("\n\n")[1].splitlines()[-1]
    assert html.escape(first_cue, quote=False) in page or html.escape(first_cue) in page
