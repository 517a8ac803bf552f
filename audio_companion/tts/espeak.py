"""espeak-ng through pyttsx3, behind the Synthesizer protocol.

pyttsx3 drives espeak-ng in-process. We never let it play audio: each text is
rendered to a WAV and returned as an AudioChunk, so callers decide where the
sound goes and know exactly how long it lasts (pyttsx3's own playback loop is
known to hang when an engine is reused).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import tempfile
from pathlib import Path
from typing import Any

from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.wav import read_wav
from audio_companion.errors import BuildError, InputError, MissingDependencyError
from audio_companion.tts.base import VoiceSettings

ESPEAK_PACKAGES = "espeak-ng libespeak-ng1"
PREFERRED_ENGLISH = ("gmw/en-US", "en-us", "gmw/en", "en")


def espeak_library_present() -> bool:
    return any(ctypes.util.find_library(n) for n in ("espeak-ng", "espeak"))


class Pyttsx3Synthesizer:
    """espeak-ng through pyttsx3, rendered to WAV (22.05 kHz mono int16)."""

    def __init__(self, voice: VoiceSettings) -> None:
        self._settings = voice
        self._engine: Any = None
        self._voice_id = voice.name or ""

    @property
    def identity(self) -> str:
        # From the settings, not the resolved voice: a cache key must not
        # change once the engine has started.
        return f"pyttsx3-espeak:{self._settings.name or 'default'}:{self._settings.rate_wpm}"

    def _init(self) -> Any:
        if self._engine is not None:
            return self._engine
        if not espeak_library_present():
            raise MissingDependencyError("espeak-ng (libespeak-ng)", ESPEAK_PACKAGES)
        try:
            import pyttsx3
        except ImportError as exc:  # pragma: no cover - a dependency of the package
            raise MissingDependencyError("the Python package pyttsx3", "python3-pyttsx3") from exc
        try:
            engine = pyttsx3.init("espeak")
        except Exception as exc:  # pyttsx3 has no error class: drivers raise anything
            raise MissingDependencyError(f"a working espeak-ng ({exc})", ESPEAK_PACKAGES) from exc
        ids = [v.id for v in engine.getProperty("voices")]
        if self._settings.name:
            if self._settings.name not in ids:
                matches = [i for i in ids if i.endswith("/" + self._settings.name)]
                if not matches:
                    raise InputError(
                        f"espeak-ng has no voice '{self._settings.name}'; "
                        "list them with: espeak-ng --voices=en"
                    )
                self._voice_id = matches[0]
            else:
                self._voice_id = self._settings.name
        else:
            self._voice_id = next((v for v in PREFERRED_ENGLISH if v in ids), "")
        if self._voice_id:
            engine.setProperty("voice", self._voice_id)
        engine.setProperty("rate", self._settings.rate_wpm)
        self._engine = engine
        return engine

    def synthesize(self, text: str) -> AudioChunk:
        engine = self._init()
        with tempfile.TemporaryDirectory(prefix="ac-tts-") as tmpdir:
            wav = Path(tmpdir) / "speech.wav"
            # The driver now and then writes an empty file (seen on the first long
            # text of a fresh process); a retry gets the audio.
            for _attempt in range(3):
                engine.save_to_file(text, str(wav))
                with contextlib.redirect_stdout(io.StringIO()):  # it prints "Audio saved to …"
                    engine.runAndWait()
                if wav.exists():
                    chunk = read_wav(wav)
                    if chunk.frames or not any(c.isalnum() for c in text):
                        return chunk
                    wav.unlink()
        raise BuildError(f"espeak-ng produced no audio for: {text[:60]!r}")
