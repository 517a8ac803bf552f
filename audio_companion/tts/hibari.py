"""hibari neural text-to-speech (a 7.9 MB distilled Kokoro voice on onnxruntime),
behind the Synthesizer protocol; the default voice when it is installed.

hibari sounds like a person, runs about 130-190x faster than real time on one
core and starts in a fraction of a second, so it reads both the episodes and
the check-in's prompts. Only its American voice "heart" ships in the wheel;
hibari fetches its other voices from the internet on first use. This project
never lets it: a voice is given to hibari as the path of a model file already
on this machine, and any other name is refused here, before hibari is called,
with the names that are available.

The package is imported on first synthesis, not when this module is (importing
it costs about 0.2 s, scipy.fft included): ``identity`` reads only the package's
voice registry and a little of the model file, so a check-in whose prompts are
all cached starts without loading the model at all.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import BuildError, InputError, MissingDependencyError
from audio_companion.tts.base import VoiceSettings
from audio_companion.tts.store import model_digest

HIBARI_EXTRA_HINT = "bash scripts/setup.sh (or: pip install 'audio-companion[hibari]')"
DEFAULT_VOICE = "heart"
SAMPLE_RATE = 24_000

# speed 1.0 is the voice's natural pace, about 180 wpm on long sentences (175
# on the seed's): like piper, we call that 175 wpm, so --rate means roughly
# the same with every engine. Clamped where the model starts to slur or drag.
REFERENCE_RATE_WPM = 175
MIN_SPEED = 0.5
MAX_SPEED = 2.0

# hibari surrounds every sentence with about 0.3 s of silence before and 0.45 s
# after it. Each sentence is cut to its voice (plus EDGE_PAD) and sentences of
# one text are joined with SENTENCE_GAP at speed 1.0: a prompt then starts
# sounding at once, and the narration lays out its own pauses (narration.pacing).
VOICE_LEVEL = 100 / 32767  # |sample| above this (about -50 dBFS) counts as voice
EDGE_PAD = 0.03
SENTENCE_GAP = 0.4
EMPTY_TEXT_SECONDS = 0.05  # what an empty or blank text "says"
SEED = 0  # hibari adds shaped noise; a fixed seed makes every rendering the same


@dataclass(frozen=True)
class HibariVoice:
    """One of hibari's voices, as its registry (``assets/voices.json``) describes it."""

    name: str
    language: str
    accent: str
    gender: str
    file: str
    bundled: bool
    british: bool

    @property
    def description(self) -> str:
        return f"{self.accent} English, {self.gender}"


def speed_for(rate_wpm: int) -> float:
    """hibari's speed factor for a speaking rate in words per minute."""
    return min(MAX_SPEED, max(MIN_SPEED, rate_wpm / REFERENCE_RATE_WPM))


def _package_dir() -> Path | None:
    """Where hibari is installed, found without importing it."""
    try:
        spec = importlib.util.find_spec("hibari")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def registry() -> dict[str, HibariVoice]:
    """Every voice hibari knows (present here or not); empty when it is not installed."""
    package = _package_dir()
    if package is None:
        return {}
    try:
        table = json.loads((package / "assets" / "voices.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        name: HibariVoice(
            name,
            str(v.get("language", "en")),
            str(v.get("accent", "")),
            str(v.get("gender", "")),
            str(v["file"]),
            bool(v.get("bundled")),
            bool(v.get("british")),
        )
        for name, v in table.items()
        if isinstance(v, dict) and "file" in v
    }


def _cache_dir() -> Path:
    """hibari's own folder for downloaded voices (as ``hibari.voices.cache_dir`` on Linux)."""
    home = os.environ.get("HIBARI_HOME")
    if home:
        return Path(home)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hibari"


def model_path(voice: HibariVoice) -> Path | None:
    """The voice's model file on this machine, or None if it is not here."""
    package = _package_dir()
    if package is None:
        return None
    path = package / "assets" / voice.file if voice.bundled else _cache_dir() / voice.file
    return path if path.is_file() else None


def installed_voices() -> list[HibariVoice]:
    """The voices that can speak without a download: the bundled one and any
    the person already fetched with hibari itself."""
    return [v for v in registry().values() if model_path(v) is not None]


def is_installed() -> bool:
    """hibari and its default voice are here (nothing would have to be fetched)."""
    voice = registry().get(DEFAULT_VOICE)
    return voice is not None and model_path(voice) is not None


def _resolve(name: str | None) -> tuple[HibariVoice, Path]:
    """The voice asked for and its model file, or an error saying what is available.

    Decided here, before hibari is called: given an unknown or absent voice,
    hibari would download it.
    """
    voices = registry()
    if not voices:
        raise MissingDependencyError(
            "the hibari voice (Python package hibari-tts)", install=HIBARI_EXTRA_HINT
        )
    wanted = name or DEFAULT_VOICE
    voice = voices.get(wanted)
    path = model_path(voice) if voice is not None else None
    if voice is None or path is None:
        here = ", ".join(v.name for v in installed_voices()) or "none"
        raise InputError(
            f"hibari has no voice '{wanted}' on this machine (available: {here}); "
            "audio-companion never downloads voices: use --voice hibari for the default"
        )
    return voice, path


def _version() -> str:
    try:
        return importlib.metadata.version("hibari-tts")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _trimmed(wav: np.ndarray, pad: int) -> np.ndarray:
    loud = np.flatnonzero(np.abs(wav) > VOICE_LEVEL)
    if not len(loud):
        return wav[:0]
    return wav[max(0, loud[0] - pad) : loud[-1] + 1 + pad]


class HibariSynthesizer:
    """A hibari voice rendered to 16-bit mono at 24 kHz.

    ``threads`` is onnxruntime's intra-op thread count; hibari is built for one
    (the default here), and a build runs one synthesizer process per core.
    """

    def __init__(self, voice: VoiceSettings, threads: int | None = None) -> None:
        if threads is not None and threads < 1:
            raise ValueError("threads must be at least 1 (or None for one thread)")
        self._settings = voice
        self._threads = threads or 1
        self._voice: tuple[HibariVoice, Path] | None = None
        self._identity: str | None = None
        self._tts: Any = None
        self._lock = threading.Lock()

    sample_rate = SAMPLE_RATE

    @property
    def voice(self) -> HibariVoice:
        """The voice that speaks (checked on first use: an absent one is refused)."""
        if self._voice is None:
            self._voice = _resolve(self._settings.name)
        return self._voice[0]

    @property
    def identity(self) -> str:
        # The voice, a digest of its model file (no load), hibari's version (its
        # spelling-to-sound rules) and the pace: cached audio of another voice,
        # engine or rate is never played for this one.
        if self._identity is None:
            voice = self.voice
            assert self._voice is not None
            digest = model_digest(self._voice[1])
            self._identity = f"hibari:{voice.name}:{digest}:{_version()}:{self._settings.rate_wpm}"
        return self._identity

    def load(self) -> None:
        """Load the model now (synthesize does it on first use)."""
        with self._lock:
            if self._tts is None:
                self._tts = self._load()

    def _load(self) -> Any:
        voice = self.voice
        assert self._voice is not None
        try:
            hibari = importlib.import_module("hibari")
        except ImportError as exc:
            raise MissingDependencyError(
                f"the Python package hibari-tts ({exc})", install=HIBARI_EXTRA_HINT
            ) from exc
        try:
            # model= is a file on this machine: hibari has nothing to download.
            return hibari.Hibari(voice=voice.name, model=str(self._voice[1]), threads=self._threads)
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types
            raise MissingDependencyError(
                f"a working hibari voice ({exc})", install=HIBARI_EXTRA_HINT
            ) from exc

    def synthesize(self, text: str) -> AudioChunk:
        if not any(c.isalnum() for c in text):
            return AudioChunk.silence(EMPTY_TEXT_SECONDS, SAMPLE_RATE)
        self.load()
        speed = speed_for(self._settings.rate_wpm)
        pad = round(EDGE_PAD * SAMPLE_RATE)
        gap = np.zeros(round(SENTENCE_GAP / speed * SAMPLE_RATE), np.float32)
        try:
            parts = [
                _trimmed(np.asarray(w, np.float32), pad)
                for w in self._tts.stream(text, speed, SEED)
            ]
        except Exception as exc:
            raise BuildError(f"hibari failed on {text[:60]!r}: {exc}") from exc
        joined: list[np.ndarray] = []
        for part in (p for p in parts if len(p)):
            if joined:
                joined.append(gap)
            joined.append(part)
        if not joined:  # e.g. only symbols: nothing to say
            return AudioChunk.silence(EMPTY_TEXT_SECONDS, SAMPLE_RATE)
        wav = np.concatenate(joined)
        return AudioChunk.from_int16(np.round(np.clip(wav, -1.0, 1.0) * 32767.0), SAMPLE_RATE)
