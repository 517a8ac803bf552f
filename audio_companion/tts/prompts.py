"""Rendered prompts, cached by voice and text.

The same few dozen prompts are spoken every night; rendering each once (in
memory, and on disk across sessions) means the companion answers at once.
"""

from __future__ import annotations

from pathlib import Path

from audio_companion.audio.chunk import AudioChunk
from audio_companion.tts.base import Synthesizer
from audio_companion.tts.store import SpeechStore


class PromptCache:
    def __init__(self, synth: Synthesizer, folder: Path | None = None) -> None:
        self.synth = synth
        self.store = SpeechStore(folder) if folder is not None else None
        self._memory: dict[str, AudioChunk] = {}
        self.hits = 0
        self.misses = 0

    def get(self, text: str) -> AudioChunk:
        key = SpeechStore.key(self.synth.identity, text)
        chunk = self._memory.get(key)
        if chunk is None and self.store is not None:
            chunk = self.store.load(key)
        if chunk is not None:
            self.hits += 1
        else:
            chunk = self.synth.synthesize(text)
            self.misses += 1
            if self.store is not None:
                self.store.save(key, chunk)
        self._memory[key] = chunk
        return chunk
