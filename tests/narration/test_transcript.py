"""Transcripts: cue splitting and timing properties over random input, and the text formats
read back by a small independent parser."""

from __future__ import annotations

import html
import itertools
import random
import re

import pytest

from audio_companion.narration.transcript import (
    Subtitle,
    cues_from_sentences,
    shift,
    to_srt,
    to_vtt,
)

WORDS = [
    *("calm", "breath", "the", "a", "notice", "gently", "and", "mind", "back,", "slow;", "rest:"),
    *("—", "R&D", "<aside>", "x" * 30, "supercalifragilisticexpialidocious"),
]

TIMING = re.compile(
    r"^(\d{2,}):(\d{2}):(\d{2})([.,])(\d{3}) --> (\d{2,}):(\d{2}):(\d{2})([.,])(\d{3})$"
)


def parse(text: str, vtt: bool) -> list[tuple[int, int, str]]:
    """(start ms, end ms, text) of each cue; lines of a cue joined by spaces."""
    blocks = text.strip("\n").split("\n\n")
    if vtt:
        assert blocks[0] == "WEBVTT"
        blocks = blocks[1:]
    out = []
    for n, block in enumerate(blocks, 1):
        ident, timing, *lines = block.split("\n")
        assert ident == str(n)
        m = TIMING.match(timing)
        assert m, timing
        assert m[4] == m[9] == ("." if vtt else ",")
        g = [int(x) for x in m.group(1, 2, 3, 5, 6, 7, 8, 10)]
        start = ((g[0] * 60 + g[1]) * 60 + g[2]) * 1000 + g[3]
        end = ((g[4] * 60 + g[5]) * 60 + g[6]) * 1000 + g[7]
        assert 1 <= len(lines) <= 2 and all(lines)
        if vtt:
            assert not re.search(r"[<>]|&(?!amp;|lt;|gt;)", "".join(lines))
            lines = [html.unescape(line) for line in lines]
        out.append((start, end, " ".join(lines)))
    return out


def random_sentences(rng: random.Random, n: int) -> list[tuple[float, float, str]]:
    t = rng.random()
    sentences = []
    for _ in range(n):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40)))
        start = t + rng.choice([0.0, 0.0, rng.random()])  # often touching the previous
        end = start + rng.choice([0.0, rng.random() * 10, rng.random() * 0.01])
        sentences.append((start, end, text))
        t = end
    return sentences


@pytest.mark.parametrize("seed", range(40))
def test_random_sentences_give_ordered_contiguous_cues(seed: int) -> None:
    rng = random.Random(seed)
    max_chars = rng.choice([20, 42, 84])
    sentences = random_sentences(rng, rng.randint(1, 30))
    cues = cues_from_sentences(sentences, max_chars)
    per_sentence = [cues_from_sentences([s], max_chars) for s in sentences]
    assert cues == [c for part in per_sentence for c in part]
    for (start, end, text), parts in zip(sentences, per_sentence, strict=True):
        assert " ".join(c.text for c in parts).split() == text.split()  # no word lost or cut
        assert parts[0].start == start and parts[-1].end == end  # covers the sentence
        for a, b in itertools.pairwise(parts):
            assert a.end == b.start  # contiguous
        for c in parts:
            assert start <= c.start <= c.end <= end
            assert len(c.text) <= max_chars or " " not in c.text
        # as few parts as fit: no two neighbours could have been one
        for a, b in itertools.pairwise(parts):
            assert len(a.text) + 1 + len(b.text) > max_chars
    for a, b in itertools.pairwise(cues):
        assert a.end <= b.start


@pytest.mark.parametrize("seed", range(20))
def test_written_cues_round_trip_and_never_overlap(seed: int) -> None:
    rng = random.Random(1000 + seed)
    sentences = random_sentences(rng, 25)
    # awkward times: exactly half a millisecond, far past an hour
    sentences = [(s + 3600.0005 * seed, e + 3600.0005 * seed, t) for s, e, t in sentences]
    cues = cues_from_sentences(sentences)
    for vtt in (True, False):
        parsed = parse(to_vtt(cues) if vtt else to_srt(cues), vtt)
        assert [p[2] for p in parsed] == [c.text for c in cues]
        for (start, end, _), cue in zip(parsed, cues, strict=True):
            assert abs(start - cue.start * 1000) <= 0.5 + 1e-6
            assert abs(end - cue.end * 1000) <= 0.5 + 1e-6
            assert start <= end
        for a, b in itertools.pairwise(parsed):
            assert a[1] <= b[0]


def test_rounding_at_half_milliseconds_keeps_touching_cues_touching() -> None:
    cues = [
        Subtitle(0.0, 1.0005, "one"),
        Subtitle(1.0005, 2.0015, "two"),
        Subtitle(2.0015, 2.0025, "three"),
    ]
    parsed = parse(to_vtt(cues), vtt=True)
    assert parsed[0][1] == parsed[1][0] and parsed[1][1] == parsed[2][0]


def test_long_sentence_splits_after_punctuation_near_the_middle() -> None:
    text = (
        "When you notice your mind wandering, gently bring it back to the breath; "
        "this is the practice, not a failure of it, and it gets easier with time."
    )
    cues = cues_from_sentences([(1.0, 9.5, text)])
    assert [c.text for c in cues] == [
        "When you notice your mind wandering, gently bring it back to the breath;",
        "this is the practice, not a failure of it, and it gets easier with time.",
    ]
    assert cues[0].start == 1.0 and cues[0].end == cues[1].start == 5.25 and cues[1].end == 9.5


def test_time_is_shared_in_proportion_to_characters() -> None:
    cues = cues_from_sentences([(10.0, 13.0, "aaaaaaaaa bbbbbbbbbbbbbbbbbbb")], max_chars=20)
    assert [c.text for c in cues] == ["aaaaaaaaa", "bbbbbbbbbbbbbbbbbbb"]
    assert cues[0].end == pytest.approx(10.0 + 3.0 * 9 / 28)


def test_a_word_longer_than_the_limit_stands_alone() -> None:
    word = "x" * 50
    cues = cues_from_sentences([(0.0, 1.0, f"a {word} b")], max_chars=10)
    assert [c.text for c in cues] == ["a", word, "b"]


def test_whitespace_is_normalised_and_blank_sentences_skipped() -> None:
    cues = cues_from_sentences([(0.0, 1.0, "  one\n two "), (1.0, 2.0, " \n\t"), (2.0, 3.0, "x")])
    assert cues == [Subtitle(0.0, 1.0, "one two"), Subtitle(2.0, 3.0, "x")]


@pytest.mark.parametrize(
    "sentences",
    [
        [(2.0, 1.0, "backwards")],
        [(0.0, 2.0, "one"), (1.5, 3.0, "overlaps")],
        [(-1.0, 1.0, "before zero")],
        [(0.0, float("nan"), "nan")],
    ],
)
def test_bad_times_are_rejected(sentences: list[tuple[float, float, str]]) -> None:
    with pytest.raises(ValueError):
        cues_from_sentences(sentences)


def test_vtt_layout_escaping_and_wrapping() -> None:
    cues = [
        Subtitle(0.0, 1.5, "Fish & chips <b>not bold</b> -> here"),
        Subtitle(3725.25, 36000.0, "This cue is long enough that it has to go onto two lines."),
    ]
    assert to_vtt(cues) == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:01.500\n"
        "Fish &amp; chips &lt;b&gt;not bold&lt;/b&gt; -&gt; here\n\n"
        "2\n01:02:05.250 --> 10:00:00.000\n"
        "This cue is long enough that\nit has to go onto two lines.\n"
    )


def test_srt_is_not_escaped_and_uses_commas() -> None:
    cues = [Subtitle(0.0, 1.5, "Fish & chips"), Subtitle(3725.25, 3726.0, "<i>as is</i>")]
    assert to_srt(cues) == (
        "1\n00:00:00,000 --> 00:00:01,500\nFish & chips\n\n"
        "2\n01:02:05,250 --> 01:02:06,000\n<i>as is</i>\n"
    )


def test_wrapping_splits_at_the_space_nearest_the_middle() -> None:
    text = "a " + "b" * 40 + " " + "c" * 39
    assert to_srt([Subtitle(0.0, 1.0, text)]).split("\n")[2:4] == ["a " + "b" * 40, "c" * 39]
    words = " ".join(["word"] * 30)  # too long for two lines of 42: still two lines
    lines = to_srt([Subtitle(0.0, 1.0, words)]).split("\n")[2:4]
    assert [len(line) for line in lines] == [74, 74]
    assert to_srt([Subtitle(0.0, 1.0, "x" * 50)]).split("\n")[2:4] == ["x" * 50, ""]


def test_blank_cues_are_left_out_and_numbering_stays_dense() -> None:
    cues = [Subtitle(0.0, 1.0, "one"), Subtitle(1.0, 2.0, "  "), Subtitle(2.0, 3.0, "two\n\nlines")]
    assert [p[2] for p in parse(to_vtt(cues), vtt=True)] == ["one", "two lines"]
    assert [p[2] for p in parse(to_srt(cues), vtt=False)] == ["one", "two lines"]
    assert to_vtt([]) == "WEBVTT\n" and to_srt([]) == ""


def test_shift_moves_clamps_and_drops() -> None:
    cues = [Subtitle(0.0, 0.4, "trimmed"), Subtitle(0.4, 1.0, "cut"), Subtitle(1.0, 2.0, "kept"),
            Subtitle(2.0, 3.5, "clamped"), Subtitle(3.5, 4.0, "past the end")]  # fmt: skip
    assert shift(cues, -0.5, duration=3.0) == [
        Subtitle(0.0, 0.5, "cut"),
        Subtitle(0.5, 1.5, "kept"),
        Subtitle(1.5, 3.0, "clamped"),
    ]
    assert shift(cues, 1.0) == [Subtitle(c.start + 1.0, c.end + 1.0, c.text) for c in cues]
    with pytest.raises(ValueError):
        shift(cues, 0.0, duration=-1.0)


def test_cue_rejects_bad_spans() -> None:
    with pytest.raises(ValueError):
        Subtitle(1.0, 0.5, "backwards")
    with pytest.raises(ValueError):
        Subtitle(-0.1, 0.5, "negative")
