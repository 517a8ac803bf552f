"""Speak a script into one AudioChunk, remembering where each line landed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from audio_companion.audio.chunk import AudioChunk, concatenate
from audio_companion.podcast.script import Line
from audio_companion.speech.tts import Synthesizer


@dataclass(frozen=True)
class Placed:
    line: Line
    start: float  # seconds from the start of the episode
    end: float


@dataclass(frozen=True)
class RenderedEpisode:
    audio: AudioChunk
    placed: tuple[Placed, ...]

    @property
    def chapters(self) -> list[tuple[str, float]]:
        return [(p.line.chapter, p.start) for p in self.placed if p.line.chapter]


def render_script(
    lines: list[Line],
    synth: Synthesizer,
    on_line: Callable[[], None] = lambda: None,
) -> RenderedEpisode:
    parts: list[AudioChunk] = []
    placed: list[Placed] = []
    t = 0.0
    for line in lines:
        speech = synth.synthesize(line.text)
        if parts and not speech.same_format(parts[0]):
            raise ValueError("the synthesizer changed its audio format mid-episode")
        pause = AudioChunk.silence(line.pause_after, speech.rate, speech.width, speech.channels)
        placed.append(Placed(line, t, t + speech.duration))
        parts.extend((speech, pause))
        t += speech.duration + pause.duration
        on_line()
    return RenderedEpisode(concatenate(parts), tuple(placed))
