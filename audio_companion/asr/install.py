"""Installing a speech model: download, check its SHA-256, unpack it safely.

Installing downloads a known model's zip (or takes a local one with
``from_zip``), checks its SHA-256, and unpacks it so that a failure at any
step leaves nothing behind: the zip streams into a temporary file inside the
models folder, members are checked before anything is written (no absolute
paths, no ``..``, no symlink pointing outside), the unpacking happens in a
temporary folder next to the final one, and only a complete model is moved
into place with one ``rename``.

Everything is bounded (``InstallLimits``): the download stops at a size cap
while it streams, the zip is refused before anything is written when its
members add up to more than the unpacked cap or inflate suspiciously (a zip
bomb), and free space is checked before downloading and before unpacking,
so a small disk gets a one-line message instead of filling up.  The temporary
files hold an ``flock`` while in use, so the next install can tell what a
killed one left behind (unlocked) from what a running one is writing (locked)
and removes only the former.

A download that fails is a missing model (exit code 3), with the offline
route in the message; a zip that is corrupt, unsafe, too big or not a model
is unusable input (exit code 2); a disk without room is exit code 1.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from audio_companion.asr.models import KNOWN_MODELS, is_model_dir, models_folder
from audio_companion.errors import CompanionError, InputError, MissingModelError

_CHUNK = 1 << 20
KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30

# What a killed install can leave in the models folder; each is flocked while in use.
_TEMP_PREFIXES = (".download-", ".install-", ".old-")
_MAX_LINK = 4096  # PATH_MAX: a symlink member longer than this is not a path
_MAX_COMPONENT = 255  # NAME_MAX on every common filesystem


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


def _urlopen(url: str) -> IO[bytes]:
    response: IO[bytes] = urllib.request.urlopen(url, timeout=60)
    return response


Opener = Callable[[str], IO[bytes]]
Progress = Callable[[int, int | None], None]
DiskFree = Callable[[Path], int]  # free bytes on the filesystem holding a path


def _free_bytes(path: Path) -> int:
    return shutil.disk_usage(path).free


def _create(path: Path) -> IO[bytes]:
    """Open ``path`` for writing; the one place install writes file data (tests fake a full
    disk here)."""
    return path.open("wb")


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


def _check_space(root: Path, need: int, doing: str, limits: InstallLimits, free: DiskFree) -> None:
    """Refuse before writing when ``need`` bytes would leave less than ``keep_free``."""
    have = free(root)
    if have - need < limits.keep_free:
        raise CompanionError(
            f"not enough free space in {root} to {doing}: it needs {format_size(need)} "
            f"and {format_size(limits.keep_free)} to spare, {format_size(have)} is free; "
            + _WHERE_ELSE
        )


def _write_failed(e: OSError, what: str) -> CompanionError:
    """A one-line error for a write that failed (a full disk, a quota, an I/O error)."""
    reason = e.strerror or str(e)
    fix = _WHERE_ELSE if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) else "check the disk"
    return CompanionError(f"{what}: {reason}; nothing was installed; {fix}")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def _download_failed(url: str, reason: object) -> MissingModelError:
    return MissingModelError(
        f"could not download {url}: {reason}; without internet, fetch the zip on another "
        "machine and run `audio-companion models install NAME --from FILE.zip`"
    )


def _too_big_to_download(url: str, size: str, limits: InstallLimits) -> InputError:
    return InputError(
        f"{url} is {size}, more than the {format_size(limits.max_download)} download cap; "
        "if this model really is that big, raise the cap with --max-download SIZE"
    )


def _download(
    url: str,
    dest: Path,
    opener: Opener,
    progress: Progress | None,
    limits: InstallLimits,
    disk_free: DiskFree,
) -> str:
    """Stream ``url`` into ``dest``, within the download cap and the free space; returns
    the SHA-256 of what was written.

    The announced length is checked before the first byte is read; the cap is
    checked again on every block, because a server need not announce a length
    (or tell the truth about it).
    """
    h = hashlib.sha256()
    done = 0
    try:
        response = opener(url)
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise _download_failed(url, getattr(e, "reason", e)) from e
    with response:
        length = getattr(response, "headers", {}).get("Content-Length")
        total = int(length) if length and str(length).isdigit() else None
        if total is not None and total > limits.max_download:
            raise _too_big_to_download(url, format_size(total), limits)
        _check_space(dest.parent, total or 0, f"download {url}", limits, disk_free)
        try:  # only writing raises OSError in here: reading errors are converted where read
            with _create(dest) as out:
                while True:
                    try:
                        block = response.read(_CHUNK)
                    except (urllib.error.URLError, OSError, ValueError) as e:
                        raise _download_failed(url, getattr(e, "reason", e)) from e
                    if not block:
                        break
                    if done + len(block) > limits.max_download:
                        raise _too_big_to_download(url, f"more than {format_size(done)}", limits)
                    out.write(block)
                    h.update(block)
                    done += len(block)
                    if progress:
                        progress(done, total)
        except OSError as e:
            raise _write_failed(e, f"could not write the download to {dest}") from e
    if total is not None and done != total:
        raise MissingModelError(
            f"download of {url} stopped after {done} of {total} bytes; try again, or fetch the "
            "zip another way and run `audio-companion models install NAME --from FILE.zip`"
        )
    return h.hexdigest()


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


def _check_names(members: list[tuple[zipfile.ZipInfo, tuple[str, ...]]]) -> None:
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


def _check_sizes(
    members: list[tuple[zipfile.ZipInfo, tuple[str, ...]]], packed: int, limits: InstallLimits
) -> int:
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


def _check_zip(zf: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
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


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Unpack one member, never more than its declared size or the ``budget`` left."""
    allowed = min(info.file_size, budget)
    written = 0
    with zf.open(info) as src, _create(target) as out:
        while block := src.read(_CHUNK):
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
    members: list[tuple[zipfile.ZipInfo, tuple[str, ...]]],
    total: int,
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
            budget -= _copy(zf, info, target, budget)
    for info, target in links:  # last, so no file is written through one
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(zf.read(info).decode("utf-8"))


def _check_links(model: Path) -> None:
    """Every symlink must stay inside the model folder itself (not just the archive)."""
    root = model.resolve()
    for link in model.rglob("*"):
        if link.is_symlink() and not (link.parent / os.readlink(link)).resolve().is_relative_to(
            root
        ):
            raise InputError(f"unsafe zip: symlink {link.relative_to(model)} points outside")


def _model_root(unpacked: Path) -> Path:
    """The model folder inside an unpacked zip: its single top folder, or the zip's root."""
    entries = [p for p in unpacked.iterdir() if p.name != "__MACOSX"]
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink():
        return entries[0]
    return unpacked


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def _folder_mutex(root: Path) -> Iterator[None]:
    """Hold the models folder's own flock for a moment: sweeping leftovers and creating a
    temporary (then locking it) never interleave between two installs, so a sweep cannot
    take a temporary that was created but not yet locked."""
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held only for a few file-system calls
        yield
    finally:
        os.close(fd)


def _sweep(root: Path) -> None:
    """Remove what killed installs left in ``root``: temporaries nobody holds a lock on.

    A running install keeps its temporaries locked, and the kernel drops the
    lock when a process ends however it ends, so an unlocked one is stale.
    """
    for path in root.iterdir():
        if not path.name.startswith(_TEMP_PREFIXES) or path.is_symlink():
            continue
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue  # gone already, or not ours to open
        try:
            if _try_lock(fd):
                _remove(path)
        finally:
            os.close(fd)


class _Temps:
    """The install's temporaries in the models folder, each locked until it is removed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.held: list[tuple[Path, int]] = []

    def file(self, prefix: str, suffix: str = "") -> Path:
        with _folder_mutex(self.root):
            fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=self.root)
            return self._hold(Path(name), fd)

    def folder(self, prefix: str) -> Path:
        with _folder_mutex(self.root):
            path = Path(tempfile.mkdtemp(prefix=prefix, dir=self.root))
            return self._hold(path, os.open(path, os.O_RDONLY))

    def _hold(self, path: Path, fd: int) -> Path:
        self.held.append((path, fd))
        fcntl.flock(fd, fcntl.LOCK_EX)  # new, so nobody else can hold it
        return path

    def remove_all(self) -> None:
        for path, fd in self.held:
            _remove(path)  # still locked, so no sweep races this
            os.close(fd)
        self.held.clear()


@contextlib.contextmanager
def _cleanup(root: Path, created: bool) -> Iterator[_Temps]:
    """Sweep stale temporaries, yield a ``_Temps`` for this install's own, and remove them
    (and ``root`` if this install created it and it is empty) however the block ends."""
    with _folder_mutex(root):
        _sweep(root)
    temps = _Temps(root)
    try:
        yield temps
    finally:
        temps.remove_all()
        if created:
            with contextlib.suppress(OSError):
                root.rmdir()  # only succeeds when nothing was installed


def _unpack(
    archive: Path,
    source: str,
    dest: Path,
    limits: InstallLimits,
    disk_free: DiskFree,
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
            _check_space(dest.parent, total, f"unpack {source}", limits, disk_free)
            _extract(zf, dest, members, total)
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise InputError(f"{source} is not a valid zip file: {e}") from e
    except (NotImplementedError, RuntimeError) as e:  # an unknown method, a password
        raise InputError(f"{source} cannot be unpacked: {e}") from e
    except OSError as e:
        raise _write_failed(e, f"could not unpack {source} into {dest.parent}") from e


def install(
    name: str,
    models_dir: str | Path | None = None,
    *,
    url: str | None = None,
    from_zip: str | Path | None = None,
    sha256: str | None = None,
    verify: bool = True,
    force: bool = False,
    opener: Opener = _urlopen,
    progress: Progress | None = None,
    limits: InstallLimits = DEFAULT_LIMITS,
    disk_free: DiskFree | None = None,
) -> Path:
    """Install model ``name`` into the models folder and return its path.

    A known model downloads from its URL (``url`` overrides it, e.g. a mirror)
    or is taken from ``from_zip``; either way its SHA-256 must match (a
    ``sha256`` argument overrides the expected value).  A name that is not
    known needs ``from_zip`` or ``url`` and either ``sha256`` or
    ``verify=False``.  The unpacked folder must be a Vosk model (or a
    CTranslate2 Whisper one).  An existing install is an error unless
    ``force``.  ``limits`` caps the download and the unpacked size;
    ``disk_free`` (free bytes under a path, ``shutil.disk_usage`` by default)
    is asked before downloading and before unpacking.
    """
    free = disk_free or _free_bytes
    if not name or name.startswith(".") or "/" in name or "\\" in name:
        raise InputError(f"bad model name {name!r}: use a plain folder name")
    root = models_folder(models_dir)
    known = KNOWN_MODELS.get(name)
    expected = (sha256 or (known.sha256 if known else None)) if verify else None
    if verify and expected is None:
        raise InputError(
            f"{name!r} is not a known model ({', '.join(KNOWN_MODELS)}), so its checksum is "
            "unknown; pass its SHA-256, or skip the check for a zip you trust"
        )
    if from_zip is None and url is None and known is None:
        raise InputError(f"{name!r} is not a known model; give a URL or a zip file to install")
    if from_zip is not None and not Path(from_zip).is_file():
        raise InputError(f"no such zip file: {from_zip}")
    final = root / (known.folder if known else name)
    if (final.exists() or final.is_symlink()) and not force:
        raise InputError(f"{name} is already installed in {final}")

    created = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    with _cleanup(root, created) as temps:
        if from_zip is not None:
            archive = Path(from_zip)
            digest = sha256_file(archive) if expected else ""
            source = str(archive)
        else:
            source = url or (known.url if known else "")
            archive = temps.file(f".download-{name}-", ".zip")
            digest = _download(source, archive, opener, progress, limits, free)
        if expected and digest.lower() != expected.lower():
            raise InputError(
                f"checksum mismatch for {source}: expected SHA-256 {expected}, got {digest}; "
                "the file is corrupt or not the model it claims to be, so nothing was installed"
            )
        unpacked = temps.folder(f".install-{name}-")
        _unpack(archive, source, unpacked, limits, free)
        model = _model_root(unpacked)
        _check_links(model)
        if not is_model_dir(model):
            raise InputError(
                f"{source} does not contain a speech model "
                "(no am/final.mdl + conf/ for Vosk, no model.bin + config.json for Whisper)"
            )
        if final.exists() or final.is_symlink():  # force: move the old one aside first
            old = temps.folder(f".old-{name}-")
            final.rename(old / "model")
        model.rename(final)
    return final
