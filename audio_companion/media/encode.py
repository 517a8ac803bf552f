"""MP3 encoding through pydub (which drives ffmpeg), written atomically."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import BuildError, MissingDependencyError
from audio_companion.fsutil import atomic_path


@dataclass(frozen=True)
class EncodeSettings:
    """MP3 output format: mono 44.1 kHz CBR, what podcast apps expect."""

    bitrate: str = "64k"
    sample_rate: int = 44100
    channels: int = 1


def require_ffmpeg() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        raise MissingDependencyError("ffmpeg", "ffmpeg")
    return path


def encode_mp3(chunk: AudioChunk, dest: Path, fmt: EncodeSettings, tags: dict[str, str]) -> None:
    ffmpeg = require_ffmpeg()
    from pydub import AudioSegment

    AudioSegment.converter = ffmpeg
    segment = AudioSegment(
        data=chunk.audio, sample_width=chunk.width, frame_rate=chunk.rate, channels=chunk.channels
    )
    params = ["-ar", str(fmt.sample_rate), "-ac", str(fmt.channels), "-write_xing", "1"]
    with atomic_path(dest) as tmp:
        try:
            handle = segment.export(
                str(tmp),
                format="mp3",
                bitrate=fmt.bitrate,
                parameters=params,
                tags=tags,
                id3v2_version="3",
            )
            handle.close()
        except Exception as exc:  # pydub raises CouldntEncodeError with ffmpeg's stderr
            raise BuildError(f"ffmpeg could not encode {dest.name}: {str(exc)[-300:]}") from exc


def mp3_duration(path: Path) -> float:
    from mutagen.mp3 import MP3

    info: Any = MP3(str(path)).info  # type: ignore[no-untyped-call]
    return float(info.length)
