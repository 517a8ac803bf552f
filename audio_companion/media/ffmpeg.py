"""The one place ffmpeg is found and run: raw PCM in, encoded files out, and back.

Every encoder and decoder of the project goes through `run`, so a missing
ffmpeg is always the same MissingDependencyError and a failing one always a
BuildError carrying the last line ffmpeg printed.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import BuildError, MissingDependencyError

PCM_FORMATS = {1: "u8", 2: "s16le", 4: "s32le"}  # sample width in bytes -> ffmpeg raw format
_QUIET = ("-nostdin", "-hide_banner", "-loglevel", "error", "-y")
_running: set[subprocess.Popen[bytes]] = set()  # every ffmpeg of this process, for `stop_all`
_lock = threading.Lock()
_stopped = threading.Event()


def require_ffmpeg() -> str:
    """The ffmpeg executable, or MissingDependencyError naming the package to install."""
    path = shutil.which("ffmpeg")
    if path is None:
        raise MissingDependencyError("ffmpeg", "ffmpeg")
    return path


def pcm_input(chunk: AudioChunk) -> list[str]:
    """ffmpeg input options reading `chunk`'s raw samples from stdin (no WAV header,
    so nothing overflows past 4 GB and no temporary file is written)."""
    return [
        *("-f", PCM_FORMATS[chunk.width], "-ar", str(chunk.rate)),
        *("-ac", str(chunk.channels), "-i", "pipe:0"),
    ]


def run(args: Sequence[str], *, failure: str, stdin: bytes | None = None) -> bytes:
    """Run ffmpeg with `args` (after the usual quiet options); return its stdout.

    On failure raise BuildError "{failure}: {ffmpeg's last line}".
    """
    cmd = [require_ffmpeg(), *_QUIET, *args]
    with _lock:
        if _stopped.is_set():
            raise BuildError(f"{failure}: stopped")
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        _running.add(proc)
    try:
        out, err = proc.communicate(stdin if stdin is not None else b"")
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        with _lock:
            _running.discard(proc)
    if _stopped.is_set():
        raise BuildError(f"{failure}: stopped")
    if proc.returncode != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        last = lines[-1] if lines else f"exit status {proc.returncode}"
        raise BuildError(f"{failure}: {last[-300:]}")
    return out


def stop_all() -> None:
    """Kill every ffmpeg this process is running, and refuse to start more.

    For an interrupted build: encoder threads blocked in `run` return at once
    (with a BuildError nobody waits for) instead of finishing their episode.
    `resume` allows ffmpeg again (a later build in the same process).
    """
    with _lock:
        _stopped.set()
        for proc in _running:
            proc.kill()


def resume() -> None:
    _stopped.clear()


def encode(
    chunk: AudioChunk, dest: Path, output_args: Sequence[str], *, name: str | None = None
) -> None:
    """Encode `chunk` into `dest` with `output_args` (codec, rate, muxer …) before the
    file name; `name` is the file named in an error (default: `dest`'s)."""
    failure = f"ffmpeg could not encode {name or dest.name}"
    run([*pcm_input(chunk), *output_args, str(dest)], failure=failure, stdin=chunk.audio)


def decode(path: Path, rate: int, channels: int = 1) -> AudioChunk:
    """Any file ffmpeg reads, as 16-bit samples at `rate` with `channels` channels."""
    import numpy as np

    raw = run(
        ["-i", str(path), "-f", "s16le", "-ac", str(channels), "-ar", str(rate), "-"],
        failure=f"ffmpeg could not decode {path.name}",
    )
    samples = np.frombuffer(raw, dtype="<i2").reshape(-1, channels)
    return AudioChunk.from_int16(samples, rate)
