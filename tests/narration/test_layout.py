from __future__ import annotations

import itertools

import numpy as np
import pytest
from helpers import FakeSynth

from audio_companion.audio.chunk import AudioChunk
from audio_companion.narration.layout import (
    EDGE_PAD,
    SENTENCE_PAUSE,
    assemble,
    episode_chapters,
    line_sentences,
    render_script,
    script_sentences,
    trim_to_voice,
)
from audio_companion.narration.script import Line
from audio_companion.podcast.chime import make_chime

RATE = 22050
LINES = [
    Line("Show. Episode one: Rest.", 1.0, "intro", display="Show — Episode 1: Rest"),
    Line(
        "Sleep helps. It heals twenty ways.",
        0.6,
        "paragraph",
        display="Sleep helps. It heals 20 ways.",
    ),
    Line("Why it matters.", 0.7, "heading", "Why it matters", display="Why it matters"),
    Line("Here's a tip. Rest early.", 0.8, "callout", display="Tip: Rest early."),
    Line("That was Rest.", 0.5, "outro", display="(end of Rest)"),
]


def padded_synth(lead: float = 0.2, tail: float = 0.3) -> FakeSynth:
    """A synthesizer that, like real engines, leaves silence around its voice."""

    class Padded(FakeSynth):
        def synthesize(self, text: str) -> AudioChunk:
            voice = super().synthesize(text).to_int16()[:, 0]
            out = np.concatenate(
                [np.zeros(round(lead * RATE), "<i2"), voice, np.zeros(round(tail * RATE), "<i2")]
            )
            return AudioChunk.from_int16(out, RATE)

    return Padded()


def test_sentences_of_each_line_and_their_written_form() -> None:
    assert script_sentences(LINES) == [
        "Show.",
        "Episode one: Rest.",
        "Sleep helps.",
        "It heals twenty ways.",
        "Why it matters.",
        "Here's a tip.",
        "Rest early.",
        "That was Rest.",
    ]
    assert line_sentences(LINES[1])[1] == ("It heals twenty ways.", "It heals 20 ways.")
    assert line_sentences(LINES[3]) == [
        ("Here's a tip.", "Here's a tip."),
        ("Rest early.", "Rest early."),
    ]


def test_engine_silence_is_replaced_by_the_script_pauses() -> None:
    rendered = render_script(LINES, padded_synth())
    s = rendered.sentences
    voice = [FakeSynth().synthesize(t).duration for t in script_sentences(LINES)]
    for sent, seconds in zip(s, voice, strict=True):
        assert sent.end - sent.start == pytest.approx(seconds + 2 * EDGE_PAD, abs=2 / RATE)
    # Within a line: the sentence pause; between lines: the line's pause.
    assert s[1].start - s[0].end == pytest.approx(SENTENCE_PAUSE, abs=1 / RATE)
    assert s[2].start - s[1].end == pytest.approx(LINES[0].pause_after, abs=1 / RATE)
    assert rendered.audio.duration == pytest.approx(s[-1].end + LINES[-1].pause_after, abs=1 / RATE)


def test_sentences_are_ordered_disjoint_and_inside_their_lines() -> None:
    rendered = render_script(LINES, FakeSynth())
    for a, b in itertools.pairwise(rendered.sentences):
        assert a.start < a.end <= b.start
    bounds = [(p.start, p.end) for p in rendered.placed]
    assert bounds[0][0] == 0.0
    for sent in rendered.sentences:
        assert any(lo <= sent.start and sent.end <= hi for lo, hi in bounds)
    chapters = episode_chapters(rendered.placed, rendered.audio.duration)
    assert [(c.title, c.start) for c in chapters[1:]] == [
        ("Why it matters", rendered.sentences[4].start)
    ]


def test_every_sentence_is_where_the_audio_says() -> None:
    rendered = render_script(LINES, FakeSynth())
    x = np.abs(rendered.audio.to_int16()[:, 0]) > 100
    for sent in rendered.sentences:
        a, b = round(sent.start * RATE), round(sent.end * RATE)
        assert x[a : a + 50].any() and x[b - 50 : b].any()
        assert not x[max(0, a - 200) : a].any()


def test_chime_opens_and_closes_the_episode() -> None:
    chime = make_chime(RATE)
    plain = render_script(LINES, FakeSynth())
    rendered = render_script(LINES, FakeSynth(), chime=chime)
    offset = rendered.sentences[0].start
    assert offset > chime.duration
    assert [round(s.start - offset, 6) for s in rendered.sentences] == [
        round(s.start, 6) for s in plain.sentences
    ]
    tail = rendered.audio.to_int16()[-chime.frames :, 0]
    assert np.array_equal(tail, chime.to_int16()[:, 0])


def test_chime_is_soft_and_rings() -> None:
    x = make_chime(RATE).to_int16()[:, 0].astype(float)
    peak_dbfs = 20 * np.log10(np.abs(x).max() / 32768)
    assert -30 < peak_dbfs < -15
    quarter = len(x) // 4
    assert np.sqrt((x[:quarter] ** 2).mean()) > 3 * np.sqrt((x[-quarter:] ** 2).mean())


def test_trim_keeps_all_quiet_audio_as_it_is() -> None:
    quiet = AudioChunk.silence(0.5, RATE)
    assert trim_to_voice(quiet) == quiet


def test_clip_count_must_match_the_script() -> None:
    with pytest.raises(ValueError, match="clips"):
        assemble(LINES, [FakeSynth().synthesize("x")])
