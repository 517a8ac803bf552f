"""Synthesised speech on disk, one WAV per (voice identity, text).

Shared by the narrator (episode sentences) and the prompt cache (check-in
and breathing prompts): a damaged entry is dropped and made again, a cache
that cannot be written only costs time, and every hit marks the entry used
so `cache clear --older-than` keeps what is still in use.

Everything in it is private to its owner (folders 0700, files 0600, whatever
the umask): a cached sentence says what the person chose to have said, and the
store, its folder and the user's cache folder holding it are tightened when
first written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import wave
from pathlib import Path

from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.wav import read_wav, write_wav
from audio_companion.fsutil import PRIVATE_FILE, atomic_path, private_folder

_HASH_BLOCK = 1 << 20  # a model digest reads the first and last MiB of the model


def model_digest(model: Path, *sidecars: Path) -> str:
    """sha256 of a voice model's size, first and last MiB, and each sidecar file whole.

    Part of a synthesizer's identity (so of every cache key): stable across
    machines and copies (no mtime or path), and cheap on a 60 MB model; voice
    files are published whole, so a changed model changes these.
    """
    h = hashlib.sha256()
    size = model.stat().st_size
    h.update(str(size).encode())
    with model.open("rb") as f:
        h.update(f.read(_HASH_BLOCK))
        if size > _HASH_BLOCK:
            f.seek(max(_HASH_BLOCK, size - _HASH_BLOCK))
            h.update(f.read())
    for sidecar in sidecars:
        h.update(sidecar.read_bytes())
    return h.hexdigest()[:16]


class SpeechStore:
    """Synthesised sentences on disk, one WAV per (identity, text)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._secured = False

    @staticmethod
    def key(identity: str, text: str) -> str:
        return hashlib.sha256(f"{identity}\n{text}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.wav"

    def load(self, key: str) -> AudioChunk | None:
        path = self._path(key)
        try:
            chunk = read_wav(path)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, EOFError, wave.Error):
            path.unlink(missing_ok=True)  # a damaged entry is re-synthesised
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: `cache clear --older-than` keeps it
        return chunk

    def save(self, key: str, chunk: AudioChunk) -> None:
        path = self._path(key)
        try:
            if not self._secured:
                private_folder(self.folder.parent)  # the user's cache folder
                private_folder(self.folder)
                self._secured = True
            if not path.parent.is_dir():  # made private once, not re-checked per sentence
                private_folder(path.parent)
            with atomic_path(path, PRIVATE_FILE) as tmp:
                write_wav(tmp, chunk)
        except OSError:
            pass  # a cache that cannot be written only costs time
