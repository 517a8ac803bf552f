"""Where the companion keeps things on disk: one place that knows the folders."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(environ: dict[str, str] | None = None) -> Path:
    """Where rendered prompts are kept between sessions (XDG base directories)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "audio-companion"
