"""Rendered prompts, cached by voice and text, and rendered ahead of need.

The same few dozen prompts are spoken every night; rendering each once (in
memory, and on disk across sessions) means the companion answers at once.
`prepare` renders a session's prompts before they are asked for: the first
one at once, the rest on a background thread while the first is playing, so
no prompt waits for synthesis even on a night whose wordings are new.

One synthesis runs at a time (no engine here is safe to call from two
threads at once), and a prompt asked for now goes before the background's
next one.

Only the companion's own wording is kept on disk: texts given to `prepare`, or
asked for with ``own=True``. Anything else said (the close that repeats the
night's appreciations, "I heard four", a read-back of what was heard) is made
from a person's answers: it stays in memory for this session and is gone with
it, so deleting the journal deletes their words. Safe by default: a new line
nobody marked is only ever rendered again, never leaked.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from audio_companion.audio.chunk import AudioChunk
from audio_companion.tts.base import Synthesizer
from audio_companion.tts.store import SpeechStore

# How long the background waits for a prompt asked for now before it goes on
# anyway (a bound, never reached in practice: a prompt takes tens of ms).
YIELD_LIMIT_S = 5.0
# While someone is listened to, the background checks this often whether it may go on.
LISTENING_POLL_S = 0.25


class PromptCache:
    def __init__(self, synth: Synthesizer, folder: Path | None = None) -> None:
        self.synth = synth
        self.store = SpeechStore(folder) if folder is not None else None
        self._memory: dict[str, AudioChunk] = {}
        self._own: set[str] = set()  # texts that may be kept on disk
        self.hits = 0
        self.misses = 0
        self._synthesis = threading.Lock()  # one synthesis at a time
        self._asked = threading.Condition()  # counts callers of `get` waiting for audio
        self._waiting = 0
        self._listening = 0  # `listening` blocks open: rendering ahead waits
        self._background: threading.Thread | None = None
        self._stopped = threading.Event()

    def _key(self, text: str) -> str:
        return SpeechStore.key(self.synth.identity, text)

    def _stored(self, key: str) -> AudioChunk | None:
        chunk = self._memory.get(key)
        if chunk is None and self.store is not None:
            chunk = self.store.load(key)
            if chunk is not None:
                self._memory[key] = chunk
        return chunk

    def get(self, text: str, *, own: bool = False) -> AudioChunk:
        """The prompt's audio: from memory, the disk, or synthesised now.

        `own`: the text is the companion's own wording, with nothing a person
        said in it, so it may be kept on disk for the next session.
        """
        if own:
            self._own.add(text)
        with self._asked:
            self._waiting += 1
        try:
            return self._get(text)
        finally:
            with self._asked:
                self._waiting -= 1
                self._asked.notify_all()

    def _get(self, text: str) -> AudioChunk:
        key = self._key(text)
        chunk = self._stored(key)
        if chunk is not None:
            self.hits += 1
            return chunk
        with self._synthesis:
            chunk = self._memory.get(key)  # the background may have just made it
            if chunk is not None:
                self.hits += 1
                return chunk
            chunk = self.synth.synthesize(text)
            self.misses += 1
            self._memory[key] = chunk
        self._keep(key, text, chunk)
        return chunk

    def _keep(self, key: str, text: str, chunk: AudioChunk) -> None:
        if self.store is not None and text in self._own:
            self.store.save(key, chunk)

    def prepare(self, texts: Iterable[str], *, background: bool = True) -> None:
        """Have every text of `texts` ready before it is asked for.

        The first is rendered now (so it is ready when this returns); the rest
        in a background thread, or here too if `background` is False. A prompt
        asked for meanwhile goes first. Call `close` to stop early.
        """
        todo = list(dict.fromkeys(t for t in texts if t.strip()))
        if not todo:
            return
        self._own.update(todo)  # a list known ahead is the companion's own wording
        self.get(todo[0])
        if not background:
            for text in todo[1:]:
                self.get(text)
            return
        self.close()  # a new list replaces the old one
        self._stopped = threading.Event()  # (an old thread still finishing keeps its own)
        self._background = threading.Thread(
            target=self._render_ahead,
            args=(todo[1:], self._stopped),
            name="prompts",
            daemon=True,
        )
        self._background.start()

    def soon(self, text: str) -> None:
        """Render `text` in the background and return at once: a prompt known a while
        before it is said (the check-in's close, made of the night's appreciations).
        Kept in memory only, unless it is the companion's own wording."""
        if not text.strip() or self._stored(self._key(text)) is not None:
            return
        threading.Thread(
            target=self._render_ahead, args=([text], self._stopped), name="prompt", daemon=True
        ).start()

    @contextlib.contextmanager
    def listening(self) -> Iterator[None]:
        """Rendering ahead waits while the block runs (the companion listens).

        Synthesis is CPU and Python work that competes with the microphone's
        callback; on a small machine a cold render of the night's prompts
        during the first questions lost the start of short replies ("Repeat.",
        "Four.") on the hands-free rig. While the companion speaks, the
        microphone is gated anyway: that is when the rest is rendered.
        """
        with self._asked:
            self._listening += 1
        try:
            yield
        finally:
            with self._asked:
                self._listening -= 1
                self._asked.notify_all()

    def _render_ahead(self, texts: list[str], stopped: threading.Event) -> None:
        for text in texts:
            with self._asked:
                self._asked.wait_for(lambda: self._waiting == 0, timeout=YIELD_LIMIT_S)
                while self._listening and not stopped.is_set():
                    self._asked.wait(LISTENING_POLL_S)
            if stopped.is_set():
                return
            key = self._key(text)
            if self._stored(key) is not None:
                continue
            with self._synthesis:
                if key in self._memory or stopped.is_set():
                    continue
                try:
                    chunk = self.synth.synthesize(text)
                except Exception:  # asked for later, it fails where it is heard
                    continue
                self._memory[key] = chunk
            self._keep(key, text, chunk)

    def ready(self, timeout: float | None = None) -> bool:
        """Wait (at most `timeout` s) for the background to finish; True if it did."""
        thread = self._background
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def close(self, timeout: float = YIELD_LIMIT_S) -> None:
        """Stop rendering ahead (the prompt being made is finished first)."""
        self._stopped.set()
        if self.ready(timeout):
            self._background = None
