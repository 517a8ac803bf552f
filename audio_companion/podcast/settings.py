"""The settings of a build: the show, the voice, the output; frozen, made at the CLI edge.

The core never reads options or the environment itself; everything a build
needs arrives in one of these values, which keeps it testable and reproducible.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from audio_companion import DEFAULT_AUTHOR
from audio_companion.errors import InputError
from audio_companion.limits import DEFAULT_MAX_INPUT_BYTES
from audio_companion.media.encode import EncodeSettings
from audio_companion.tts.base import VoiceSettings

DEFAULT_BASE_URL = "http://localhost:8000/"
# Episodes one article may become. A book of 30 chapters is 30 episodes; a
# file that splits into hundreds is almost always mis-read headings (every
# line of a list taken for a heading), which should be refused, not published.
DEFAULT_MAX_EPISODES = 100


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
    # Limits on the input (the README's): an article's size in bytes (HTML may
    # be 10x) and the episodes one article may become; over them is an error.
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES
    max_episodes: int = DEFAULT_MAX_EPISODES

    def __post_init__(self) -> None:
        """Checked here because the values come from options a person typed."""
        if self.max_input_bytes < 1:
            raise InputError(f"--max-input-size {self.max_input_bytes}: give a size over 0")
        if self.max_episodes < 1:
            raise InputError(f"--max-episodes {self.max_episodes}: give 1 or more")

    @property
    def feed_url(self) -> str:
        return self.base_url + "feed.xml"


def normalise_base_url(url: str) -> str:
    """Enclosure URLs are base + file name, so the base must end in a slash."""
    return url if url.endswith("/") else url + "/"
