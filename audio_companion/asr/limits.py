"""What one model install may use: the caps, the free space, and how running out reads.

Split from install.py so that downloading (install) and unpacking (unpack)
share one set of limits and one wording for a disk that is too small, without
either importing the other.  Sizes are binary (KiB, MiB, GiB), as the CLI's
options and every message write them.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from audio_companion.errors import CompanionError

CHUNK = 1 << 20  # bytes read or written at a time, so no file is held in memory
KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30

DiskFree = Callable[[Path], int]  # free bytes on the filesystem holding a path


@dataclass(frozen=True)
class InstallLimits:
    """Caps on what one install may download and unpack.

    The defaults leave room for the biggest English Vosk models (roughly
    2-3 GB unpacked from zips of about 2 GB) and for a float16 CTranslate2
    Whisper large model (a model.bin of about 3 GB that barely compresses),
    with headroom, while a zip bomb or a runaway download stops long before a
    disk fills.  Each can be raised for one install (``models install
    --max-download / --max-unpacked / --max-ratio``).
    """

    max_download: int = 4 * GiB  # bytes streamed from a URL
    max_unpacked: int = 8 * GiB  # sum of the members' unpacked sizes
    # Unpacked / packed size, for each member and for the whole zip.  Model
    # files compress 1-5x; deflate of zeros reaches about 1000x.
    max_ratio: float = 100.0
    ratio_floor: int = 1 * MiB  # smaller members (and zips) are not ratio checked
    keep_free: int = 256 * MiB  # free space an install must leave on the disk


DEFAULT_LIMITS = InstallLimits()


def format_size(n: float) -> str:
    """Bytes as a person reads them: 17 bytes, 3.0 KiB, 40.0 MiB, 4.0 GiB."""
    if n < KiB:
        return f"{int(n)} bytes"
    for unit, size in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


_WHERE_ELSE = (
    "free some space, or install into a folder on a bigger disk "
    "with --dir (or AUDIO_COMPANION_MODELS)"
)


def check_space(root: Path, need: int, doing: str, limits: InstallLimits, free: DiskFree) -> None:
    """Refuse before writing when ``need`` bytes would leave less than ``keep_free``."""
    have = free(root)
    if have - need < limits.keep_free:
        raise CompanionError(
            f"not enough free space in {root} to {doing}: it needs {format_size(need)} "
            f"and {format_size(limits.keep_free)} to spare, {format_size(have)} is free; "
            + _WHERE_ELSE
        )


def write_failed(e: OSError, what: str) -> CompanionError:
    """A one-line error for a write that failed (a full disk, a quota, an I/O error)."""
    reason = e.strerror or str(e)
    fix = _WHERE_ELSE if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) else "check the disk"
    return CompanionError(f"{what}: {reason}; nothing was installed; {fix}")
