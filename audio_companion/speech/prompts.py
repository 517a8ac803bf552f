"""Rendered prompts, cached by voice and text.

The same few dozen prompts are spoken every night; rendering each once (in
memory, and on disk across sessions) means the companion answers at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.wav import read_wav, write_wav
from audio_companion.fsutil import atomic_path
from audio_companion.speech.tts import Synthesizer


class PromptCache:
    def __init__(self, synth: Synthesizer, folder: Path | None = None) -> None:
        self.synth = synth
        self.folder = folder
        self._memory: dict[str, AudioChunk] = {}
        self.hits = 0
        self.misses = 0

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.synth.identity}\n{text}".encode()).hexdigest()[:32]

    def get(self, text: str) -> AudioChunk:
        key = self.key(text)
        if key in self._memory:
            self.hits += 1
            return self._memory[key]
        path = self.folder / f"{key}.wav" if self.folder else None
        if path is not None and path.exists():
            chunk = read_wav(path)
            with contextlib.suppress(OSError):
                os.utime(path)  # used tonight: `cache clear --older-than` keeps it
            self.hits += 1
        else:
            chunk = self.synth.synthesize(text)
            self.misses += 1
            if path is not None:
                with atomic_path(path) as tmp:
                    write_wav(tmp, chunk)
        self._memory[key] = chunk
        return chunk
