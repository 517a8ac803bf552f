"""Moving a feed folder from one build to the next so that every instant is a valid feed.

A podcast app may fetch ``feed.xml`` and then any file it names at any moment,
and a build may be killed at any moment. So a build never overwrites a file a
published feed names:

1. New content gets a new file name (`fresh_name`): the planned name when it is
   free, else the planned name plus the first 8 hex digits of what it was made
   from. The sidecars (chapters, transcripts) follow the MP3's name.
2. The new files are moved in beside the old ones; the old feed is still whole.
3. The manifest is saved with the files no longer in use listed as *retired*.
4. ``feed.xml`` is replaced in one rename; from here the new feed is whole.
5. Retired files are deleted, and the manifest saved without them.

Killed anywhere, the folder holds one whole feed, and the next build finishes
the job: it retires what the last one listed, and files a killed build moved in
before recording them (named by `fresh_name`, so recognisable).

`fault_point` lets a test kill the build at every one of these steps (the
``AUDIO_COMPANION_KILL_AT`` environment variable; ``AUDIO_COMPANION_FAULT_LOG``
lists the steps a build passes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from audio_companion.faults import fault_point
from audio_companion.publish.cover import COVER_DIGEST, published_cover
from audio_companion.publish.manifest import Manifest

SIDECARS = (".chapters.json", ".vtt", ".srt")  # beside an episode's .mp3, named after it


def fresh_name(planned: str, digest: str, taken: Callable[[str], bool]) -> str:
    """A file name for new content: `planned` if no file has it, else one with the
    content's digest in it (``s01e01-why-3f2a9c1b.mp3``)."""
    if not taken(planned):
        return planned
    stem, dot, suffix = planned.rpartition(".")
    return f"{stem}-{digest[:8]}{dot}{suffix}"


def files_of(file_name: str) -> list[str]:
    """An episode file and the sidecars named after it."""
    if not file_name:
        return []
    stem = file_name.rsplit(".", 1)[0]
    return [file_name, *(stem + s for s in SIDECARS)]


def in_use(file_names: Iterable[str]) -> set[str]:
    """Every file the published episodes (and cover) named by `file_names` need."""
    out: set[str] = set()
    for name in file_names:
        out.update(files_of(name) if name.endswith(".mp3") else [name] if name else [])
    return out


def strays(out: Path, planned: Iterable[str], known: set[str]) -> set[str]:
    """Files a killed build moved in before recording them: a planned episode's
    digest-named version (and sidecars) that no manifest names."""
    found: set[str] = set()
    for name in planned:
        stem = name.rsplit(".", 1)[0]
        pattern = re.compile(
            re.escape(stem)
            + r"-[0-9a-f]{8}(\.mp3|"
            + "|".join(re.escape(s) for s in SIDECARS)
            + r")$"
        )
        found.update(p.name for p in out.glob(stem + "-*") if pattern.match(p.name))
    return found - known


def sweep(out: Path, names: Iterable[str]) -> None:
    """Delete retired files (already gone is fine: a killed sweep is done again)."""
    for name in sorted(names):
        fault_point(f"sweep:{name}")
        (out / name).unlink(missing_ok=True)


def retired(
    manifest: Manifest,
    old_files: dict[str, str],
    old_cover: str,
    planned: Sequence[str],
    out: Path,
) -> tuple[str, ...]:
    """Files to delete once the new feed is in place: replaced episodes' old files,
    a replaced cover, what an earlier build listed, and files a killed build moved
    in without recording them. Never a file the new feed needs. `old_files` and
    `old_cover` are what the manifest named before this build; `planned`, the
    episodes' planned file names."""
    new_cover = published_cover(manifest) if COVER_DIGEST in manifest.extra else ""
    needed = in_use([rec.file_name for rec in manifest.episodes.values()] + [new_cover])
    replaced = [
        old_files[key]
        for key, rec in manifest.episodes.items()
        if key in old_files and old_files[key] != rec.file_name
    ]
    gone = set(manifest.retired) | in_use([*replaced, old_cover])
    gone |= strays(out, planned, needed)
    return tuple(sorted(gone - needed))
