"""Speak a script into one AudioChunk, remembering where each line and sentence landed.

Every line is split into sentences, each synthesised (and cached) on its own;
their audio is trimmed to the voice and laid out with pauses this module
chooses, so pacing follows the article's structure rather than whatever
silence an engine happens to leave, and every sentence's place in the
episode is known to the sample — chapters (`episode_chapters`) and transcripts
come from here.
The audio is joined once, from a list of parts.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from audio_companion.audio import dsp
from audio_companion.audio.chunk import AudioChunk, concatenate
from audio_companion.media.tags import Chapter
from audio_companion.narration.narrator import Narrator
from audio_companion.narration.script import Line
from audio_companion.narration.sentences import paired_sentences, split_sentences
from audio_companion.tts.base import Synthesizer

SENTENCE_PAUSE = 0.35  # between sentences of one line (narration.pacing: per engine)
EDGE_PAD = 0.02  # silence kept before and after each sentence's voice
VOICE_LEVEL = 100  # |sample| above this (about -50 dBFS) counts as voice
CHIME_GAP = 0.5  # between the chime and the voice
# Lines whose written form can stand in the transcript; the others (callouts
# with a spoken lead-in, quotes, code) are transcribed as spoken.
WRITTEN_KINDS = frozenset({"paragraph", "list_item", "heading"})


@dataclass(frozen=True)
class Placed:
    line: Line
    start: float  # seconds from the start of the episode
    end: float


@dataclass(frozen=True)
class Spoken:
    """One sentence in the episode audio: what was said and how it is written."""

    start: float
    end: float
    text: str
    shown: str


@dataclass(frozen=True)
class RenderedEpisode:
    audio: AudioChunk
    placed: tuple[Placed, ...]
    sentences: tuple[Spoken, ...] = ()


def episode_chapters(
    placed: Sequence[Placed], duration: float, intro_title: str = "Introduction"
) -> list[Chapter]:
    """One chapter for the opening, then one per sub-section heading.

    The opening runs from 0 to the first heading (it is left out when a heading
    starts at 0); each sub-section runs from its heading line's start to the
    next chapter's start; the last ends at `duration`. Without sub-sections the
    whole episode is a single chapter titled `intro_title`.
    """
    if duration < 0:
        raise ValueError(f"duration must not be negative, got {duration}")
    marks: list[tuple[str, float]] = [(intro_title, 0.0)]
    for p in placed:
        if p.line.chapter:
            if p.start == 0.0 and len(marks) == 1 and marks[0][1] == 0.0:
                marks[0] = (p.line.chapter, p.start)
            else:
                marks.append((p.line.chapter, p.start))
    for (_, a), (title, b) in itertools.pairwise(marks):
        if b < a:
            raise ValueError(f"chapter {title!r} starts at {b}s, before the one before it")
    if marks[-1][1] > duration:
        raise ValueError(f"chapter {marks[-1][0]!r} starts after the end ({duration}s)")
    ends = [start for _, start in marks[1:]] + [duration]
    return [Chapter(title, start, end) for (title, start), end in zip(marks, ends, strict=True)]


def line_sentences(line: Line) -> list[tuple[str, str]]:
    """(spoken, shown) per sentence of a line."""
    if line.kind in WRITTEN_KINDS:
        return paired_sentences(line.text, line.display.removeprefix("• "))
    return [(s, s) for s in split_sentences(line.text)]


def script_sentences(lines: Sequence[Line]) -> list[str]:
    """Every sentence the narrator speaks for `lines`, in order."""
    return [spoken for line in lines for spoken, _ in line_sentences(line)]


def trim_to_voice(chunk: AudioChunk, pad: float = EDGE_PAD) -> AudioChunk:
    """The chunk cut to its voiced part plus `pad` each side (unchanged if all quiet)."""
    samples = chunk.to_int16()
    keep = round(pad * chunk.rate)
    span = dsp.loud_span(np.abs(samples).max(axis=1) > VOICE_LEVEL, keep, keep)
    if span is None:
        return chunk
    return AudioChunk.from_int16(samples[span[0] : span[1]], chunk.rate)


def assemble(
    lines: Sequence[Line],
    audio: Sequence[AudioChunk],
    chime: AudioChunk | None = None,
    sentence_pause: float = SENTENCE_PAUSE,
) -> RenderedEpisode:
    """Lay out the sentence audio of `lines` (in `script_sentences` order) with pauses:
    each line's own after it, `sentence_pause` between the sentences of a line."""
    pairs = [line_sentences(line) for line in lines]
    if sum(map(len, pairs)) != len(audio):
        raise ValueError(f"{len(audio)} clips for {sum(map(len, pairs))} sentences")
    if not audio:
        raise ValueError("nothing to say: the script has no sentences")
    first = audio[0]
    for clip in audio:
        if not clip.same_format(first):
            raise ValueError("the synthesizer changed its audio format mid-episode")
    rate, width, channels = first.rate, first.width, first.channels

    parts: list[AudioChunk] = []
    t = 0

    def add(chunk: AudioChunk) -> None:
        nonlocal t
        parts.append(chunk)
        t += chunk.frames

    def pause(seconds: float) -> None:
        add(AudioChunk.silence(seconds, rate, width, channels))

    if chime is not None:
        add(chime)
        pause(CHIME_GAP)
    placed: list[Placed] = []
    spoken: list[Spoken] = []
    clips = iter(audio)
    for line, line_pairs in zip(lines, pairs, strict=True):
        line_start = t
        for k, (said, shown) in enumerate(line_pairs):
            if k:
                pause(sentence_pause)
            clip = trim_to_voice(next(clips))
            begin = t
            add(clip)
            spoken.append(Spoken(begin / rate, t / rate, said, shown))
        placed.append(Placed(line, line_start / rate, t / rate))
        pause(line.pause_after)
    if chime is not None:
        add(chime)
    return RenderedEpisode(concatenate(parts), tuple(placed), tuple(spoken))


def render_script(
    lines: Sequence[Line],
    speech: Synthesizer | Narrator,
    chime: AudioChunk | None = None,
) -> RenderedEpisode:
    """Synthesise and assemble in one go (the build overlaps the two instead)."""
    narrator = speech if isinstance(speech, Narrator) else Narrator(speech)
    return assemble(lines, narrator.speak(script_sentences(lines)), chime)
