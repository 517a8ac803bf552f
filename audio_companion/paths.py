"""Where the companion keeps things on disk: the one place that knows the folders.

Four user folders, each with an override for people who want it elsewhere:

=========  =================================  ====================================
kind       holds                              Linux default (override)
=========  =================================  ====================================
cache      synthesised speech (``speech/``,   ``~/.cache/audio-companion``
           ``prompts/``); safe to delete      (``$XDG_CACHE_HOME``)
data       the check-in journal               ``~/.local/share/audio-companion``
                                              (``$XDG_DATA_HOME``;
                                              ``$AUDIO_COMPANION_JOURNAL`` for the
                                              journal file itself)
config     a person's decks and lexicon       ``~/.config/audio-companion``
                                              (``$XDG_CONFIG_HOME``;
                                              ``$AUDIO_COMPANION_DECKS`` for decks)
models     speech-recognition models          ``<data>/models``
                                              (``$AUDIO_COMPANION_MODELS``)
=========  =================================  ====================================

An absolute ``$XDG_*_HOME`` is honoured on every platform; a relative one is
ignored, as the XDG spec says.  Without one, Linux and the BSDs use the XDG
defaults above and macOS and Windows their native folders, from platformdirs
(e.g. ``~/Library/Caches/audio-companion``, ``%LOCALAPPDATA%\\audio-companion``).

Every function takes an optional ``environ`` mapping (``os.environ`` when
None) so callers and tests can resolve folders without touching the process
environment.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import platformdirs

APP_NAME = "audio-companion"

JOURNAL_ENV = "AUDIO_COMPANION_JOURNAL"
DECKS_ENV = "AUDIO_COMPANION_DECKS"
MODELS_ENV = "AUDIO_COMPANION_MODELS"

JOURNAL_FILE = "journal.sqlite3"
LEXICON_FILE = "lexicon.toml"

Kind = Literal["cache", "data", "config"]

# kind -> (XDG variable, default below the home folder)
_XDG: dict[Kind, tuple[str, tuple[str, ...]]] = {
    "cache": ("XDG_CACHE_HOME", (".cache",)),
    "data": ("XDG_DATA_HOME", (".local", "share")),
    "config": ("XDG_CONFIG_HOME", (".config",)),
}


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def _override(environ: Mapping[str, str] | None, name: str) -> Path | None:
    """A folder or file named by an ``AUDIO_COMPANION_*`` variable, if set."""
    value = _env(environ).get(name, "").strip()
    return Path(value).expanduser() if value else None


def _native(kind: Kind) -> Path:
    """The platform's own folder for ``kind`` when no XDG variable says otherwise."""
    if sys.platform in ("darwin", "win32"):
        native = {
            "cache": platformdirs.user_cache_dir,
            "data": platformdirs.user_data_dir,
            "config": platformdirs.user_config_dir,
        }[kind]
        return Path(native(APP_NAME, appauthor=False))
    # XDG systems: the spec's defaults. Not platformdirs' answer here, because it
    # reads os.environ itself and `environ` may be another mapping.
    return Path.home().joinpath(*_XDG[kind][1], APP_NAME)


def user_dir(kind: Kind, environ: Mapping[str, str] | None = None) -> Path:
    """The companion's folder of ``kind`` (cache, data or config); not created."""
    variable, _ = _XDG[kind]
    base = _env(environ).get(variable, "")
    if base and Path(base).is_absolute():  # the XDG spec ignores relative paths
        return Path(base) / APP_NAME
    return _native(kind)


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where synthesised speech is kept between builds and sessions."""
    return user_dir("cache", environ)


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where what must not be lost lives (the journal); data, not cache."""
    return user_dir("data", environ)


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where a person's own decks and lexicon live."""
    return user_dir("config", environ)


def journal_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$AUDIO_COMPANION_JOURNAL``, else ``journal.sqlite3`` in the data folder."""
    return _override(environ, JOURNAL_ENV) or data_dir(environ) / JOURNAL_FILE


def decks_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$AUDIO_COMPANION_DECKS``, else ``decks/`` in the config folder."""
    return _override(environ, DECKS_ENV) or config_dir(environ) / "decks"


def lexicon_path(environ: Mapping[str, str] | None = None) -> Path:
    """The person's own pronunciation lexicon: ``lexicon.toml`` in the config folder."""
    return config_dir(environ) / LEXICON_FILE


def models_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$AUDIO_COMPANION_MODELS``, else ``models/`` in the data folder.

    Not the current directory: a model installed once is found from anywhere.
    """
    return _override(environ, MODELS_ENV) or data_dir(environ) / "models"
