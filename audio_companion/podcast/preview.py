"""`build --preview`: the first half minute of the first episode, to hear a voice
before narrating a whole feed.

The sample is one MP3 of its own, mastered and encoded as an episode would
be, written where it is asked to be and nowhere else: the feed folder, its
manifest and its lock are left alone, so a preview never publishes a half
feed over a real one. The cut falls at the end of the last sentence that
finishes within the time asked for (never mid-word); sentences come from, and
go to, the same cache as the build's, so the full build after a preview does
not synthesise them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audio_companion.article.model import Article
from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import BuildError
from audio_companion.media import ffmpeg
from audio_companion.media.encode import encode_mp3
from audio_companion.narration.layout import assemble, script_sentences
from audio_companion.narration.narrator import Narrator
from audio_companion.narration.pacing import pacing_for
from audio_companion.narration.script import Line, estimated_seconds
from audio_companion.podcast.plan import plan_episodes
from audio_companion.podcast.settings import BuildSettings
from audio_companion.tts.base import Synthesizer
from audio_companion.tts.store import SpeechStore

PREVIEW_SECONDS = 30.0
TAIL = 0.4  # silence kept after the last sentence
MARGIN = 1.5  # lines are estimated at ESTIMATE_WPM; take more than enough


@dataclass(frozen=True)
class Preview:
    path: Path
    title: str  # of the episode it samples
    seconds: float  # of audio in the file
    sentences: int


def opening_lines(lines: tuple[Line, ...], seconds: float) -> list[Line]:
    """The first lines of a script that surely last `seconds` (at least one)."""
    taken: list[Line] = []
    for line in lines:
        taken.append(line)
        if estimated_seconds(taken) >= seconds * MARGIN:
            break
    return taken


def cut_after_sentences(audio: AudioChunk, ends: list[float], seconds: float) -> AudioChunk:
    """`audio` up to the end of the last sentence ending by `seconds` (the first
    sentence at least), plus a short tail of silence."""
    fits = [end for end in ends if end <= seconds]
    end = (fits[-1] if fits else ends[0]) + TAIL
    frames = min(audio.frames, round(end * audio.rate))
    size = audio.width * audio.channels
    return AudioChunk(audio.rate, audio.width, audio.channels, audio.audio[: frames * size])


def write_preview(
    articles: list[Article],
    settings: BuildSettings,
    synth: Synthesizer,
    dest: Path,
    seconds: float = PREVIEW_SECONDS,
) -> Preview:
    """Narrate about `seconds` of the first episode into the MP3 `dest`."""
    from audio_companion.media.loudness import master

    planned = plan_episodes(articles, settings)
    if not planned:
        raise BuildError("nothing to preview: the articles have no sections")
    episode = planned[0]
    lines = opening_lines(episode.lines, seconds)
    ffmpeg.require_ffmpeg()
    store = SpeechStore(settings.speech_cache) if settings.speech_cache else None
    with Narrator(synth, store=store) as narrator:
        audio = narrator.speak(script_sentences(lines))
    pause = pacing_for(settings.voice.engine).sentence_pause
    rendered = assemble(lines, audio, sentence_pause=pause)
    ends = [s.end for s in rendered.sentences]
    clip = cut_after_sentences(rendered.audio, ends, seconds)
    mastered, _ = master(clip)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create the folder of {dest}: {exc.strerror}") from exc
    encode_mp3(mastered, dest, settings.encode, {"title": f"Preview: {episode.title}"})
    said = sum(1 for end in ends if end <= clip.duration)
    return Preview(dest, episode.title, mastered.duration, max(1, said))
