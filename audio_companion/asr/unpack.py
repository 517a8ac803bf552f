"""Unpacking a model zip: every member checked before anything is written.

Split from install.py, which downloads and moves a finished model into
place; this module is the part that trusts nothing in the zip.  Members are
checked before anything is written (no absolute paths, no ``..``, no control
characters or over-long names, no path twice, no symlink pointing outside),
the declared sizes are held to the unpacked cap and the zip-bomb ratio, free
space is checked for the total, and each member is then copied no further
than the size it declared.  Files are written through the ``create`` the
caller passes, so install keeps the one place where model data is written.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO

from audio_companion.asr.limits import (
    CHUNK,
    DiskFree,
    InstallLimits,
    check_space,
    format_size,
    write_failed,
)
from audio_companion.errors import InputError

_MAX_LINK = 4096  # PATH_MAX: a symlink member longer than this is not a path
_MAX_COMPONENT = 255  # NAME_MAX on every common filesystem

Create = Callable[[Path], IO[bytes]]  # opens a path for writing file data
Members = list[tuple[zipfile.ZipInfo, tuple[str, ...]]]


def _member_parts(name: str) -> tuple[str, ...]:
    """The member's path components, or InputError if it could land outside the target
    or cannot be a file name here (control characters, a component over 255 bytes)."""
    unixy = name.replace("\\", "/")
    if unixy.startswith("/") or (len(unixy) > 1 and unixy[1] == ":"):
        raise InputError(f"unsafe zip: member {name!r} has an absolute path")
    parts = tuple(p for p in PurePosixPath(unixy).parts if p not in ("", "."))
    if ".." in parts:
        raise InputError(f"unsafe zip: member {name!r} points outside the model folder")
    if any(ord(c) < 32 or c == "\x7f" for c in unixy):
        raise InputError(f"unsafe zip: member {name!r} has a control character in its name")
    if any(len(p.encode("utf-8", "surrogateescape")) > _MAX_COMPONENT for p in parts):
        raise InputError(
            f"unsafe zip: member {name[:60]!r}... has a name longer than {_MAX_COMPONENT} bytes"
        )
    return parts


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_link(zf: zipfile.ZipFile, info: zipfile.ZipInfo, parts: tuple[str, ...]) -> None:
    """A symlink member must be a short path that stays inside the archive."""
    if info.file_size > _MAX_LINK:
        raise InputError(
            f"unsafe zip: symlink {info.filename!r} is {format_size(info.file_size)} long, "
            "which is no path"
        )
    target = zf.read(info).decode("utf-8", "replace").replace("\\", "/")
    if target.startswith("/") or (len(target) > 1 and target[1] == ":"):
        raise InputError(f"unsafe zip: symlink {info.filename!r} points to {target!r}")
    depth = len(parts) - 1  # folders above the link, inside the archive
    for p in PurePosixPath(target).parts:
        depth += -1 if p == ".." else (0 if p in ("", ".") else 1)
        if depth < 0:
            raise InputError(f"unsafe zip: symlink {info.filename!r} points outside ({target!r})")


def _check_names(members: Members) -> None:
    """No path twice (however it is spelled) and no member inside a file or a symlink:
    either would overwrite one member with another, or fail halfway through unpacking."""
    seen: dict[tuple[str, ...], zipfile.ZipInfo] = {}
    for info, parts in members:
        first = seen.get(parts)
        if first is not None and not (first.is_dir() and info.is_dir()):
            raise InputError(
                f"unsafe zip: {info.filename!r} appears twice (also as {first.filename!r})"
            )
        seen.setdefault(parts, info)
    for info, parts in members:
        for i in range(1, len(parts)):
            above = seen.get(parts[:i])
            if above is not None and not above.is_dir():
                raise InputError(
                    f"unsafe zip: {info.filename!r} is inside {above.filename!r}, which is a file"
                )


def _check_sizes(members: Members, packed: int, limits: InstallLimits) -> int:
    """The total unpacked size, after refusing a zip over the cap or that inflates too much.

    The sizes are the ones the zip declares; ``_extract`` holds it to them.
    """
    total = 0
    for info, _ in members:
        size = info.file_size
        if size > limits.ratio_floor and size > limits.max_ratio * max(info.compress_size, 1):
            raise InputError(
                f"unsafe zip: member {info.filename!r} would unpack to {format_size(size)} from "
                f"{format_size(info.compress_size)}, over {limits.max_ratio:g} times its size "
                "(a zip bomb?); if you trust this zip, raise the limit with --max-ratio N"
            )
        total += size
    if total > limits.max_unpacked:
        raise InputError(
            f"the zip would unpack to {format_size(total)}, more than the "
            f"{format_size(limits.max_unpacked)} cap; if this model really is that big, "
            "raise the cap with --max-unpacked SIZE"
        )
    if total > limits.ratio_floor and total > limits.max_ratio * max(packed, 1):
        raise InputError(
            f"unsafe zip: the whole zip would unpack to {format_size(total)} from "
            f"{format_size(packed)}, over {limits.max_ratio:g} times its size (a zip bomb?); "
            "if you trust this zip, raise the limit with --max-ratio N"
        )
    return total


def _check_zip(zf: zipfile.ZipFile) -> Members:
    """Validate every member's name (and every symlink) before anything is written."""
    members = []
    for info in zf.infolist():
        parts = _member_parts(info.filename)
        if not parts:
            continue
        if _is_symlink(info):
            _check_link(zf, info, parts)
        members.append((info, parts))
    if not members:
        raise InputError("the zip is empty")
    _check_names(members)
    return members


def _copy(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int, create: Create
) -> int:
    """Unpack one member, never more than its declared size or the ``budget`` left."""
    allowed = min(info.file_size, budget)
    written = 0
    with zf.open(info) as src, create(target) as out:
        while block := src.read(CHUNK):
            written += len(block)
            if written > allowed:
                raise InputError(
                    f"unsafe zip: member {info.filename!r} unpacks to more than it declares"
                )
            out.write(block)
    return written


def _extract(
    zf: zipfile.ZipFile,
    dest: Path,
    members: Members,
    total: int,
    create: Create,
) -> None:
    """Write the checked ``members`` into ``dest``, at most ``total`` bytes of them."""
    root = dest.resolve()
    links = []
    budget = total
    for info, parts in members:
        target = root.joinpath(*parts)
        if not target.resolve().is_relative_to(root):  # a parent is a symlink out
            raise InputError(f"unsafe zip: member {info.filename!r} escapes the model folder")
        if _is_symlink(info):
            links.append((info, target))
        elif info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            budget -= _copy(zf, info, target, budget, create)
    for info, target in links:  # last, so no file is written through one
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(zf.read(info).decode("utf-8"))


def check_links(model: Path) -> None:
    """Every symlink must stay inside the model folder itself (not just the archive)."""
    root = model.resolve()
    for link in model.rglob("*"):
        if link.is_symlink() and not (link.parent / os.readlink(link)).resolve().is_relative_to(
            root
        ):
            raise InputError(f"unsafe zip: symlink {link.relative_to(model)} points outside")


def model_root(unpacked: Path) -> Path:
    """The model folder inside an unpacked zip: its single top folder, or the zip's root."""
    entries = [p for p in unpacked.iterdir() if p.name != "__MACOSX"]
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink():
        return entries[0]
    return unpacked


def unpack(
    archive: Path,
    source: str,
    dest: Path,
    limits: InstallLimits,
    disk_free: DiskFree,
    create: Create,
) -> None:
    """Check the zip (names, sizes, free space), then unpack it into ``dest``.

    Every failure is one line: a bad zip is InputError; a write that fails
    (a full disk, a name the filesystem refuses) is CompanionError, and the
    caller removes ``dest``.
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            members = _check_zip(zf)
            total = _check_sizes(members, archive.stat().st_size, limits)
            check_space(dest.parent, total, f"unpack {source}", limits, disk_free)
            _extract(zf, dest, members, total, create)
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise InputError(f"{source} is not a valid zip file: {e}") from e
    except (NotImplementedError, RuntimeError) as e:  # an unknown method, a password
        raise InputError(f"{source} cannot be unpacked: {e}") from e
    except OSError as e:
        raise write_failed(e, f"could not unpack {source} into {dest.parent}") from e
