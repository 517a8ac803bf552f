"""One narrated episode's files: master, encode, tag, and write its chapters and transcripts.

`produce_episode` takes an episode already laid out (narration.layout) and
writes the MP3 with ID3 tags and chapters, the Podcasting 2.0 chapters JSON
and the WebVTT/SubRip transcripts, every time at the real offset in the
mastered audio. `is_unchanged` says whether the files of an earlier build can
be kept as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from audio_companion.audio.chunk import AudioChunk
from audio_companion.faults import fault_point
from audio_companion.fsutil import write_bytes_atomic
from audio_companion.media.chapters import json_chapters, shift
from audio_companion.media.encode import encode_mp3, mp3_duration
from audio_companion.media.tags import Chapter, Id3Tags, write_id3
from audio_companion.narration import transcript
from audio_companion.narration.layout import RenderedEpisode, episode_chapters
from audio_companion.narration.narrator import Narrator, Pending
from audio_companion.podcast.settings import BuildSettings
from audio_companion.publish.feed import Episode
from audio_companion.publish.manifest import EpisodeRecord

if TYPE_CHECKING:  # mastering pulls in scipy (~0.7 s): only builds that render pay for it
    from audio_companion.media.loudness import MasterReport


@dataclass(frozen=True)
class ProducedEpisode:
    size: int
    duration: float
    loudness: MasterReport
    audio: AudioChunk  # mastered, as encoded
    chapters: tuple[Chapter, ...]


def chapters_path(mp3: Path) -> Path:
    return mp3.with_name(mp3.stem + ".chapters.json")


def transcript_paths(mp3: Path) -> tuple[Path, Path]:
    """The WebVTT and SubRip transcripts of an episode file."""
    return mp3.with_suffix(".vtt"), mp3.with_suffix(".srt")


def is_unchanged(record: EpisodeRecord | None, digest: str, out: Path) -> bool:
    """The episode's files are there and were made from exactly this."""
    if record is None or record.content_hash != digest or not record.file_name:
        return False
    mp3 = out / record.file_name
    sidecars = (chapters_path(mp3), *transcript_paths(mp3))
    try:
        return mp3.stat().st_size == record.size and all(p.exists() for p in sidecars)
    except FileNotFoundError:
        return False


def produce_episode(
    rendered: RenderedEpisode, path: Path, settings: BuildSettings, tags: Id3Tags
) -> ProducedEpisode:
    """Master and encode one episode with its tags, chapters (ID3 and Podcasting
    2.0 JSON) and transcripts, all at the real offsets in the mastered audio."""
    from audio_companion.media.loudness import master

    fault_point(f"encode:{path.name}")
    audio, report = master(rendered.audio)
    encode_mp3(audio, path, settings.encode, {})
    marks = episode_chapters(rendered.placed, rendered.audio.duration, intro_title=tags.title)
    marks = shift(marks, -report.trimmed_start_s, audio.duration)
    write_id3(path, tags, marks)
    write_bytes_atomic(chapters_path(path), json_chapters(marks, tags.title).encode("utf-8"))
    cues = transcript.cues_from_sentences([(s.start, s.end, s.shown) for s in rendered.sentences])
    cues = transcript.shift(cues, -report.trimmed_start_s, audio.duration)
    vtt, srt = transcript_paths(path)
    write_bytes_atomic(vtt, transcript.to_vtt(cues).encode("utf-8"))
    write_bytes_atomic(srt, transcript.to_srt(cues).encode("utf-8"))
    return ProducedEpisode(path.stat().st_size, mp3_duration(path), report, audio, tuple(marks))


def first_rate(narrator: Narrator, pending: Pending) -> int:
    """The sample rate the voice speaks at (the chime is made to match it)."""
    return narrator.result(pending)[0].rate


def vtt_texts(out: Path, entries: Sequence[Episode]) -> dict[str, str]:
    """Each episode's WebVTT text, for the index page to embed: a page opened from disk
    (file://) may not load a `<track>`, and people open it that way on this machine."""
    texts = {}
    for ep in entries:
        for t in ep.transcripts:
            path = out / t.url.rsplit("/", 1)[-1]
            if t.mime == "text/vtt" and path.is_file():
                texts[ep.guid] = path.read_text(encoding="utf-8")
    return texts
