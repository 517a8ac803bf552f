"""The user's cache of synthesised speech: what is there, and letting go of it.

Sentences for episodes (`speech/`) and rendered prompts (`prompts/`) are kept
so rebuilds and check-ins start at once; nothing else ever removes them. A
sentence's file is touched whenever a build uses it, so "unused for N days"
means what it says.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

KINDS = ("speech", "prompts")  # sub-folders of the cache folder, each of WAV files


@dataclass(frozen=True)
class Usage:
    kind: str
    files: int
    bytes: int
    oldest_days: float | None  # since the least recently used file was last used


def _wavs(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.wav") if p.is_file()] if folder.is_dir() else []


def usage(cache: Path, now: float | None = None) -> list[Usage]:
    now = time.time() if now is None else now
    out = []
    for kind in KINDS:
        files = _wavs(cache / kind)
        stats = [p.stat() for p in files]
        oldest = min((s.st_mtime for s in stats), default=None)
        out.append(
            Usage(
                kind,
                len(files),
                sum(s.st_size for s in stats),
                None if oldest is None else (now - oldest) / 86_400,
            )
        )
    return out


def clear(
    cache: Path,
    kinds: tuple[str, ...] = KINDS,
    older_than_days: float | None = None,
    now: float | None = None,
) -> tuple[int, int]:
    """Delete cached audio (only what was unused for `older_than_days`, if given);
    returns (files, bytes) removed.

    Without an age, each kind's folder goes whole: every file in it, whatever its
    name (a write cut short leaves a hidden ``.part`` file), and the folder.
    """
    now = time.time() if now is None else now
    files = removed = 0
    for kind in kinds:
        folder = cache / kind
        if older_than_days is None:
            every = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
            files += len(every)
            removed += sum(p.stat().st_size for p in every)
            shutil.rmtree(folder, ignore_errors=True)
            continue
        for path in _wavs(folder):
            stat = path.stat()
            if now - stat.st_mtime < older_than_days * 86_400:
                continue
            path.unlink(missing_ok=True)
            files += 1
            removed += stat.st_size
        for sub in sorted(folder.glob("*/"), reverse=True) if folder.is_dir() else ():
            if sub.is_dir() and not any(sub.iterdir()):
                sub.rmdir()
    return files, removed
