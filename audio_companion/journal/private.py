"""Private files: the journal and everything made from it are readable by their owner only.

What people say in a nightly check-in is intimate, so files are created 0600 (inside a
0700 folder when we create the folder) before a single byte is written, whatever the umask.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from audio_companion.errors import JournalError

FILE_MODE = 0o600
DIR_MODE = 0o700


def _make_private_dirs(folder: Path) -> None:
    """Create *folder* and any missing parents as 0700; folders that exist are left alone.

    An existing folder may be shared (a home directory, /tmp), so it is not ours to tighten;
    the journal file itself is 0600 regardless.
    """
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # created concurrently: not ours, leave it
        os.chmod(d, DIR_MODE)  # mkdir's mode is narrowed by the umask; make it exact


def _make_private(path: Path) -> None:
    """Make an existing file 0600 (the journal, or a sidecar SQLite left behind)."""
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise JournalError(f"{path}: not a regular file; the journal must be a file")
    if stat.S_IMODE(st.st_mode) != FILE_MODE:
        os.chmod(path, FILE_MODE)


def create_or_repair(path: Path) -> None:
    """Ensure *path* exists as an empty-or-existing file with mode 0600, before any data."""
    _make_private_dirs(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_CLOEXEC, FILE_MODE)
    except FileExistsError:
        _make_private(path)
    else:
        try:
            os.fchmod(fd, FILE_MODE)  # a restrictive umask would narrow it; make it exact
        finally:
            os.close(fd)
    for suffix in ("-journal", "-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            _make_private(sidecar)


def write_private(path: Path, data: bytes) -> None:
    """Write *data* to *path* as a 0600 file, atomically (beside it, then renamed into place).

    Exports and charts carry the same intimate content as the journal, so they get its mode.
    """
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    tmp = folder / f".{path.name}.{os.getpid()}.part"
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_CLOEXEC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
