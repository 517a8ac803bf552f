"""Frozen settings, built once at the CLI edge and passed inward.

The core never reads options or the environment itself; everything it needs
arrives in one of these values, which keeps it testable and reproducible.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_BASE_URL = "http://localhost:8000/"
DEFAULT_AUTHOR = "Audio Companion"


# Narration pace per engine, measured with scripts/bench_quality.py on the seed:
# espeak-ng is understood better a little slower than prompts are spoken (160
# wpm: 9-10% word errors, 175: 12%); piper is best at its natural pace (175
# maps to length_scale 1.0: 5%; slowed to 160: 6%).
NARRATION_RATE_WPM = {"espeak": 160, "piper": 175}


@dataclass(frozen=True)
class VoiceSettings:
    """Which text-to-speech voice reads the episodes."""

    engine: str = "espeak"
    # espeak voice id (e.g. "gmw/en-US") or piper model (.onnx); None = engine default
    name: str | None = None
    rate_wpm: int = 175

    @classmethod
    def parse(cls, spec: str, rate_wpm: int | None = None) -> VoiceSettings:
        """A voice for narration: `espeak`, `espeak:NAME`, `piper`, `piper:MODEL.onnx`
        (a bare espeak voice name or .onnx path is understood too); without a rate,
        the engine's narration pace."""
        engine, sep, name = spec.strip().partition(":")
        if sep and engine in VOICE_ENGINES:
            voice = cls(engine, name.strip() or None)
        elif spec in VOICE_ENGINES:
            voice = cls(spec, None)
        elif spec.endswith(".onnx"):
            voice = cls("piper", spec)
        else:
            voice = cls("espeak", spec.strip() or None)
        return replace(voice, rate_wpm=rate_wpm or NARRATION_RATE_WPM[voice.engine])


VOICE_ENGINES = ("espeak", "piper")


@dataclass(frozen=True)
class EncodeSettings:
    """MP3 output format: mono 44.1 kHz CBR, what podcast apps expect."""

    bitrate: str = "64k"
    sample_rate: int = 44100
    channels: int = 1


@dataclass(frozen=True)
class ShowSettings:
    """Channel-level metadata of the feed."""

    title: str | None = None  # None: the article's title (or a generic one for several)
    description: str | None = None
    author: str = DEFAULT_AUTHOR
    owner_email: str = "podcast@example.invalid"
    language: str = "en"
    category: str = "Health & Fitness"
    subcategory: str | None = "Mental Health"
    explicit: bool = False
    image_url: str | None = None  # a cover hosted elsewhere; None: one in the feed folder
    cover: Path | None = None  # a local .jpg/.png to check and copy; None: generate one
    locked: bool = True  # podcast:locked: ask other platforms not to import the feed


@dataclass(frozen=True)
class BuildSettings:
    out_dir: Path = Path("feed")
    base_url: str = DEFAULT_BASE_URL
    show: ShowSettings = field(default_factory=ShowSettings)
    voice: VoiceSettings = field(default_factory=lambda: VoiceSettings.parse("espeak"))
    encode: EncodeSettings = field(default_factory=EncodeSettings)
    # Publication time of the build; SOURCE_DATE_EPOCH makes builds reproducible.
    published: float = field(default_factory=time.time)
    # A pronunciation lexicon (TOML) for this feed, over the bundled and the user's.
    lexicon: Path | None = None
    # Guided breathing sessions published as episodes: (pattern, minutes) pairs.
    breathing: tuple[tuple[str, float], ...] = ()
    # Synthesised sentences kept here between builds (None: no disk cache).
    speech_cache: Path | None = None
    # Processes synthesising sentences at once (the CLI uses every core).
    workers: int = 1
    # A soft generated chime before the intro and after the outro.
    chime: bool = False
    # Also write the whole build as one chaptered audiobook file (.m4b).
    audiobook: Path | None = None

    @property
    def feed_url(self) -> str:
        return self.base_url + "feed.xml"


def build_time_from_env(environ: dict[str, str] | None = None) -> float:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) if set, else now."""
    env = os.environ if environ is None else environ
    value = env.get("SOURCE_DATE_EPOCH")
    if value:
        try:
            return float(int(value))
        except ValueError:
            pass
    return time.time()


def normalise_base_url(url: str) -> str:
    """Enclosure URLs are base + file name, so the base must end in a slash."""
    return url if url.endswith("/") else url + "/"


def cache_dir(environ: dict[str, str] | None = None) -> Path:
    """Where rendered prompts are kept between sessions (XDG base directories)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "audio-companion"
