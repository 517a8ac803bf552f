"""Vosk (Kaldi) recogniser: small, streaming, and able to restrict itself to a grammar.

Command mode (``phrases`` given) restricts decoding to those phrases; a result
made only of ``[unk]`` or less sure than `MIN_COMMAND_CONFIDENCE`
comes back empty (``rejected`` keeps it).  Answer mode decodes freely.

The model folder loads once per process (``load_vosk_model`` caches it by
resolved path) and every stream gets its own ``KaldiRecognizer`` at 16 kHz
with word timings on.  A grammar is handed to Vosk as a JSON list of phrases
that always includes ``[unk]``, so speech outside the grammar comes back as
``[unk]`` instead of being forced onto the nearest phrase.  The JSON must be
dumped with ``ensure_ascii=False``: Vosk looks the words up as UTF-8, and an
escaped ``\\uXXXX`` word is "missing from the vocabulary" and silently
dropped.  Grammars only work with models that ship a dynamic graph
(``Gr.fst`` + ``HCLr.fst``, as the small models do); big models with a
static ``HCLG.fst`` ignore them.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from audio_companion.asr.base import UNKNOWN_WORD, Partial, Transcript, Word
from audio_companion.asr.models import HOW_TO_GET_VOSK, is_vosk_model_dir
from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.resample import TARGET_RATE, Mono16kStream
from audio_companion.errors import MissingDependencyError, MissingModelError

log = logging.getLogger(__name__)

# Kaldi's verbosity: 0 prints LOG lines, -1 still prints WARNINGs (e.g. every
# grammar word missing from the vocabulary), -2 only errors, which Vosk also
# raises.  Those warnings are logged through ``logging`` below instead.
VOSK_LOG_LEVEL = -2

MIN_COMMAND_CONFIDENCE = 0.5
"""In command mode a grammar forces every sound onto its nearest phrase; Kaldi's
word posterior (``conf``, averaged over the words that are not ``[unk]``) is what
tells a real "stop" from a forced one.  Not calibrated on English (no English
model is packaged): the Korean test model gives its clear words 0.5..1.0."""

_models: dict[Path, Any] = {}
_lock = threading.Lock()


def _vosk() -> Any:
    try:
        import vosk
    except ImportError as e:  # a core dependency, but the wheel may not exist for a platform
        raise MissingDependencyError("the vosk Python package", install="pip install vosk") from e
    vosk.SetLogLevel(VOSK_LOG_LEVEL)
    return vosk


def load_vosk_model(path: str | Path) -> Any:
    """The ``vosk.Model`` for ``path``, loaded on first use and shared afterwards."""
    key = Path(path).expanduser().resolve()
    with _lock:
        model = _models.get(key)
        if model is None:
            if not is_vosk_model_dir(key):
                raise MissingModelError(
                    f"{key} is not a Vosk model folder (no am/final.mdl + conf/); "
                    f"get one with {HOW_TO_GET_VOSK}"
                )
            vosk = _vosk()
            try:
                model = vosk.Model(str(key))
            except Exception as e:  # vosk raises a bare Exception: it has no error class
                raise MissingModelError(f"cannot load the Vosk model in {key}: {e}") from e
            _models[key] = model
        return model


def grammar_json(phrases: Sequence[str]) -> str:
    """Vosk's grammar: the phrases, lower-cased and de-duplicated, plus ``[unk]``."""
    seen: dict[str, None] = {}
    for phrase in phrases:
        p = " ".join(phrase.lower().split())
        if p and p != UNKNOWN_WORD:
            seen[p] = None
    return json.dumps([*seen, UNKNOWN_WORD], ensure_ascii=False)


def _words(result: dict[str, Any]) -> list[Word]:
    return [
        Word(
            str(w.get("word", "")),
            float(w.get("start", 0.0)),
            float(w.get("end", 0.0)),
            float(w.get("conf", 1.0)),
        )
        for w in result.get("result", [])
    ]


class VoskStream:
    """One utterance (or a run of them) through one ``KaldiRecognizer``."""

    def __init__(self, model: Any, phrases: Sequence[str] | None, engine: str = "vosk") -> None:
        vosk = _vosk()
        self.engine = engine
        self.command_mode = phrases is not None
        self.missing_words: list[str] = []
        if phrases is None:
            self._rec = vosk.KaldiRecognizer(model, float(TARGET_RATE))
        else:
            spec = grammar_json(phrases)
            self.missing_words = [
                w
                for phrase in json.loads(spec)
                for w in phrase.split()
                if w != UNKNOWN_WORD and model.vosk_model_find_word(w) < 0
            ]
            if self.missing_words:
                log.warning(
                    "grammar words not in the model's vocabulary, ignored: %s",
                    " ".join(self.missing_words),
                )
            self._rec = vosk.KaldiRecognizer(model, float(TARGET_RATE), spec)
        self._rec.SetWords(True)
        self._feed = Mono16kStream()
        self._words: list[Word] = []
        self._texts: list[str] = []
        self._last = ""
        self._done = False

    def _take(self, raw: str) -> None:
        result = json.loads(raw)
        text = str(result.get("text", "")).strip()
        if text:
            self._texts.append(text)
            self._words.extend(_words(result))

    def _push(self, data: bytes) -> Partial | None:
        if not data:
            return None
        if self._rec.AcceptWaveform(data):  # Vosk found an endpoint: a segment is final
            self._take(self._rec.Result())
            text = " ".join(self._texts)
        else:
            partial = str(json.loads(self._rec.PartialResult()).get("partial", "")).strip()
            text = " ".join([*self._texts, partial]).strip()
        if text and text != self._last:
            self._last = text
            return Partial(text)
        return None

    def accept(self, chunk: AudioChunk) -> Partial | None:
        if self._done:
            raise RuntimeError("this recognition stream has finished")
        return self._push(self._feed.convert(chunk))

    def finish(self) -> Transcript:
        if self._done:
            raise RuntimeError("this recognition stream has finished")
        self._push(self._feed.flush())
        self._take(self._rec.FinalResult())
        self._done = True
        result = Transcript.from_words(tuple(self._words), self.engine, " ".join(self._texts))
        return _judged(result) if self.command_mode else result


def _judged(result: Transcript) -> Transcript:
    """A command-mode result, or an empty one if it is only ``[unk]`` or too unsure."""
    known = [w.confidence for w in result.words if w.text != UNKNOWN_WORD]
    if known and sum(known) / len(known) >= MIN_COMMAND_CONFIDENCE:
        return result
    return Transcript("", (), result.confidence, result.engine, rejected=result.text)


class VoskRecognizer:
    """``Recognizer`` backed by a Vosk model folder."""

    name = "vosk"
    streaming = True

    def __init__(self, model_path: str | Path) -> None:
        self.model_path = Path(model_path)
        self.model = load_vosk_model(self.model_path)

    @property
    def supports_grammar(self) -> bool:
        """Whether the model has the dynamic graph that restricted grammars need."""
        p = self.model_path
        return (p / "graph" / "Gr.fst").is_file() or (p / "Gr.fst").is_file()

    def stream(self, phrases: Sequence[str] | None = None) -> VoskStream:
        return VoskStream(self.model, phrases, self.name)

    def transcribe(self, chunk: AudioChunk, phrases: Sequence[str] | None = None) -> Transcript:
        s = self.stream(phrases)
        s.accept(chunk)
        return s.finish()
