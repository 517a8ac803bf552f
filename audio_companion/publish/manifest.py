"""The build manifest: what was published, so identity and work survive rebuilds.

Podcast apps key episodes by GUID and sort them by date; once an episode is
out, both must stay as they are, even when its text is edited or the feed is
rebuilt on another machine. The manifest (`manifest.json`, next to the feed)
keeps, per episode, its GUID and first publication date, and the hash of
everything its audio was made from, with the results (file size, duration,
chapters, loudness), so an unchanged episode is neither synthesised nor
encoded again. Copy it along with the feed to keep identities elsewhere.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from audio_companion.errors import BuildError
from audio_companion.fsutil import write_if_changed
from audio_companion.media.tags import Chapter

MANIFEST_FILE = "manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class EpisodeRecord:
    key: str  # article slug / section slug: what the episode *is*
    guid: str
    first_published: datetime
    file_name: str = ""
    content_hash: str = ""  # of everything the files were made from ("" = never built)
    size: int = 0
    duration_s: float = 0.0
    chapters: tuple[Chapter, ...] = ()
    lufs: float | None = None
    true_peak_dbtp: float | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["first_published"] = self.first_published.isoformat()
        data["chapters"] = [[c.title, c.start, c.end] for c in self.chapters]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EpisodeRecord:
        return cls(
            key=str(data["key"]),
            guid=str(data["guid"]),
            first_published=datetime.fromisoformat(data["first_published"]),
            file_name=str(data.get("file_name", "")),
            content_hash=str(data.get("content_hash", "")),
            size=int(data.get("size", 0)),
            duration_s=float(data.get("duration_s", 0.0)),
            chapters=tuple(Chapter(str(t), float(a), float(b)) for t, a, b in data["chapters"]),
            lufs=data.get("lufs"),
            true_peak_dbtp=data.get("true_peak_dbtp"),
        )


@dataclass
class Manifest:
    """Every episode ever published from this folder, by key (removed ones too:
    a section that comes back keeps its identity)."""

    episodes: dict[str, EpisodeRecord] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)  # hashes of shared files (cover)
    retired: tuple[str, ...] = ()
    """Files the feed no longer names, to delete once the new feed is in place
    (podcast.switch); a build killed before that leaves them listed here."""

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "note": "Episode identities of this feed. Keep it with the feed; do not edit.",
            "extra": dict(sorted(self.extra.items())),
            "retired": sorted(self.retired),
            "episodes": [r.to_json() for _, r in sorted(self.episodes.items())],
        }
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes, where: str = MANIFEST_FILE) -> Manifest:
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
            records = (EpisodeRecord.from_json(r) for r in data["episodes"])
            extra = {str(k): str(v) for k, v in data.get("extra", {}).items()}
            retired = tuple(str(name) for name in data.get("retired", []))
            if any("/" in n or n.startswith(".") or not n for n in retired):
                raise ValueError("a retired file name is not a plain file name")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BuildError(
                f"{where} is damaged ({exc}); restore it from a backup or a published copy "
                "of the feed folder (removing it gives changed episodes new dates)"
            ) from exc
        return cls({r.key: r for r in records}, extra, retired)


def load_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Manifest()
    return Manifest.from_bytes(raw, str(path))


def save_manifest(folder: Path, manifest: Manifest) -> None:
    write_if_changed(folder / MANIFEST_FILE, manifest.to_bytes())
