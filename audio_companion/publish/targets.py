"""Which file under the feed folder a request names, and the type it is served as.

Split from serve.py because mapping a request target to a file is where the
server's safety lives (no "..", no dotfiles such as the builder's lock and
staging folder, no symlink out of the root), and it is a pure function of a
path and a folder that deserves to be read on its own. Podcast apps are picky
about Content-Type, so the types live here too.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from urllib.parse import unquote

# Longest suffixes first in spirit: compound suffixes are checked before these.
_COMPOUND_TYPES = {".chapters.json": "application/json+chapters"}
_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".m4b": "audio/mp4",
    ".xml": "application/rss+xml; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}
DEFAULT_TYPE = "application/octet-stream"

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*")


def content_type(path: PurePath | str) -> str:
    """The Content-Type for a file name; apps are picky about audio and RSS types."""
    name = PurePath(path).name.lower()
    for suffix, kind in _COMPOUND_TYPES.items():
        if name.endswith(suffix):
            return kind
    return _TYPES.get(PurePath(name).suffix, DEFAULT_TYPE)


def resolve(root: Path, url_path: str) -> Path | None:
    """The regular file under `root` a request path names, or None to answer 404.

    Any ".." segment is refused outright rather than normalised: clients
    remove dot-segments before sending (RFC 3986), so one that arrives is an
    attack or a bug. So is every other name starting with a dot: the builder
    keeps its lock (which names its pid) and half-made episodes in
    `.build.lock` and `.staging/` inside the feed folder. Empty segments
    (`//x`) are skipped so that a base URL ending in "/" still works, and can
    never make the path absolute; but a trailing "/" after a file's name
    (`/feed.xml/`) is 404, as on any other server, so relative links resolve
    the same everywhere. The final check on the resolved path also stops
    symlinks that leave `root` or lead to a dotfile.
    """
    target = _SCHEME.sub("", url_path, count=1)  # absolute-form request targets
    target = target.split("#", 1)[0].split("?", 1)[0]
    if not target.startswith("/"):
        return None
    try:
        decoded = unquote(target, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded or "\\" in decoded:
        return None
    segments = [s for s in decoded.split("/") if s not in ("", ".")]
    if any(s.startswith(".") for s in segments):  # "..", dotfiles, .staging/
        return None
    names_a_folder = decoded.endswith(("/", "/."))
    try:
        base = root.resolve(strict=True)
        found = base.joinpath(*segments).resolve(strict=True)
        if found.is_dir():
            found = (found / "index.html").resolve(strict=True)
        elif names_a_folder:
            return None
    except (OSError, RuntimeError):  # missing, unreadable, or a symlink loop
        return None
    if not found.is_relative_to(base) or not found.is_file():
        return None
    if any(part.startswith(".") for part in found.relative_to(base).parts):
        return None
    return found
