"""MP3 encoding through ffmpeg (media.ffmpeg), written atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio_companion.audio.chunk import AudioChunk
from audio_companion.fsutil import atomic_path
from audio_companion.media import ffmpeg


@dataclass(frozen=True)
class EncodeSettings:
    """MP3 output format: mono 44.1 kHz CBR, what podcast apps expect."""

    bitrate: str = "64k"
    sample_rate: int = 44100
    channels: int = 1


def encode_mp3(chunk: AudioChunk, dest: Path, fmt: EncodeSettings, tags: dict[str, str]) -> None:
    """`chunk` as a CBR MP3 at `dest` with a Xing/LAME header (so decoders drop the
    encoder delay) and `tags` as ID3v2.3 text frames; nothing is left on failure."""
    args = [
        *("-b:a", fmt.bitrate, "-ar", str(fmt.sample_rate), "-ac", str(fmt.channels)),
        *("-write_xing", "1"),
    ]
    for key, value in tags.items():
        args += ["-metadata", f"{key}={value}"]
    args += ["-id3v2_version", "3", "-f", "mp3"]
    with atomic_path(dest) as tmp:
        ffmpeg.encode(chunk, tmp, args, name=dest.name)


def mp3_duration(path: Path) -> float:
    from mutagen.mp3 import MP3

    info: Any = MP3(str(path)).info  # type: ignore[no-untyped-call]
    return float(info.length)
