"""Many sentences to audio, fast: cached on disk, synthesised on every core, in order.

A feed build speaks hundreds of sentences, most of them unchanged since the
last build. Each is looked up by a hash of its text and the synthesizer's
identity (voice and settings); only the missing ones are synthesised, in
worker processes (one engine per core: espeak-ng keeps global state and piper
scales better as several single-threaded sessions than one shared one), and
results come back in the order asked for.

`submit` starts the work at once and returns a handle; `result` waits for it.
Submitting every episode up front keeps the workers busy while finished
episodes are mastered and encoded.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from audio_companion.audio.chunk import AudioChunk
from audio_companion.tts.base import Synthesizer
from audio_companion.tts.store import SpeechStore

__all__ = ["Narrator", "NarratorStats", "Pending", "SpeechStore"]

BATCH = 6  # sentences per task sent to a worker: amortises the round trip


# --- worker processes -------------------------------------------------------

_worker_synth: Synthesizer | None = None
_worker_error: Exception | None = None


def _init_worker(factory: Callable[[], Synthesizer]) -> None:
    # An initializer that raises breaks the whole pool with an opaque error;
    # keep the exception and raise it from the first task instead.
    global _worker_synth, _worker_error
    try:
        _worker_synth = factory()
    except Exception as exc:
        _worker_error = exc


def _synthesize_batch(texts: list[str]) -> list[AudioChunk]:
    if _worker_error is not None:
        raise _worker_error
    assert _worker_synth is not None, "worker not initialised"
    return [_worker_synth.synthesize(t) for t in texts]


# --- the narrator -----------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """A submitted list of texts; `Narrator.result` gives their audio."""

    texts: tuple[str, ...]


@dataclass
class NarratorStats:
    hits: int = 0
    synthesized: list[str] = field(default_factory=list)


class Narrator:
    """Sentences to audio through a cache and a pool of synthesizer processes.

    `factory` builds the synthesizer inside each worker and must be picklable
    (e.g. `functools.partial(make_synthesizer, voice)`); without it, or with
    one worker, `synth` speaks in this process, which is what tests use.
    """

    def __init__(
        self,
        synth: Synthesizer,
        *,
        store: SpeechStore | None = None,
        workers: int = 1,
        factory: Callable[[], Synthesizer] | None = None,
        batch: int = BATCH,
    ) -> None:
        self.synth = synth
        self.identity = synth.identity
        self.store = store
        self.workers = workers if factory is not None else 1
        self.factory = factory
        self.batch = max(1, batch)
        self.stats = NarratorStats()
        self._pool: ProcessPoolExecutor | None = None
        # Audio of this build so far: a sentence said in several episodes
        # (the show's name in every intro) is synthesised once.
        self._memory: dict[str, AudioChunk] = {}
        self._jobs: dict[str, tuple[Future[list[AudioChunk]], int]] = {}
        self._todo: dict[str, None] = {}  # to speak in this process, on demand

    def __enter__(self) -> Narrator:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def abort(self) -> None:
        """Stop at once (an error or Ctrl+C): queued work is dropped and the worker
        processes are killed, not waited for (a batch of a slow voice takes
        seconds, and whoever pressed Ctrl+C is waiting).

        A worker killed while sending its audio back can leave half a message in
        the pool's pipe, and the pool's manager thread then waits for the rest;
        the CLI therefore ends an interrupted command without joining threads
        (`cli.reported_errors`).
        """
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # ProcessPoolExecutor has no public way to stop running tasks before 3.14.
        workers = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            process.kill()
        for process in workers:
            process.join(5)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            assert self.factory is not None, "workers need a factory"
            factory: Callable[[], Synthesizer] = self.factory
            # spawn: the build runs encoder threads, and forking a threaded
            # process can copy a held lock into the child.
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(factory,),
            )
        return self._pool

    def submit(self, texts: Sequence[str]) -> Pending:
        """Start synthesising whatever in `texts` is neither cached nor under way."""
        missing: list[str] = []
        for text in dict.fromkeys(texts):  # each distinct text once, in order
            if text in self._memory or text in self._jobs or text in self._todo:
                continue  # an earlier submission has it
            chunk = self.store.load(self.store.key(self.identity, text)) if self.store else None
            if chunk is not None:
                self._memory[text] = chunk
                self.stats.hits += 1
            else:
                missing.append(text)
        self.stats.synthesized.extend(missing)
        if self.workers > 1 and missing:
            pool = self._executor()
            for i in range(0, len(missing), self.batch):
                part = missing[i : i + self.batch]
                job = pool.submit(_synthesize_batch, part)
                for k, text in enumerate(part):
                    self._jobs[text] = (job, k)
        else:
            self._todo.update(dict.fromkeys(missing))
        return Pending(tuple(texts))

    def _audio(self, text: str) -> AudioChunk:
        chunk = self._memory.get(text)
        if chunk is not None:
            return chunk
        if text in self._jobs:
            job, k = self._jobs.pop(text)
            chunk = job.result()[k]
        else:
            self._todo.pop(text, None)
            chunk = self.synth.synthesize(text)
        self._memory[text] = chunk
        if self.store is not None:
            self.store.save(self.store.key(self.identity, text), chunk)
        return chunk

    def result(self, pending: Pending) -> list[AudioChunk]:
        """The audio of each text of `pending`, in order (waits for the workers)."""
        return [self._audio(t) for t in pending.texts]

    def speak(self, texts: Sequence[str]) -> list[AudioChunk]:
        return self.result(self.submit(texts))
