"""Installing a speech model: download, check its SHA-256, unpack it safely.

Installing downloads a known model's zip (or takes a local one with
``from_zip``), checks its SHA-256, and unpacks it so that a failure at any
step leaves nothing behind: the zip streams into a temporary file inside the
models folder, members are checked before anything is written (asr.unpack),
the unpacking happens in a temporary folder next to the final one, and only a
complete model is moved into place with one ``rename``.

Everything is bounded (``InstallLimits``, in asr.limits and re-exported
here): the download stops at a size cap while it streams, the zip is refused
before anything is written when its members add up to more than the unpacked
cap or inflate suspiciously (a zip bomb), and free space is checked before
downloading and before unpacking, so a small disk gets a one-line message
instead of filling up.  The temporary files hold an ``flock`` while in use,
so the next install can tell what a killed one left behind (unlocked) from
what a running one is writing (locked) and removes only the former.

A download that fails is a missing model (exit code 3), with the offline
route in the message; a zip that is corrupt, unsafe, too big or not a model
is unusable input (exit code 2); a disk without room is exit code 1.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from audio_companion.asr.limits import (
    CHUNK,
    DEFAULT_LIMITS,
    DiskFree,
    GiB,
    InstallLimits,
    KiB,
    MiB,
    check_space,
    format_size,
    write_failed,
)
from audio_companion.asr.models import KNOWN_MODELS, is_model_dir, models_folder
from audio_companion.asr.unpack import check_links, model_root, unpack
from audio_companion.errors import InputError, MissingModelError

__all__ = [
    "DEFAULT_LIMITS",
    "DiskFree",
    "GiB",
    "InstallLimits",
    "KiB",
    "MiB",
    "Opener",
    "Progress",
    "format_size",
    "install",
    "sha256_file",
]

# What a killed install can leave in the models folder; each is flocked while in use.
_TEMP_PREFIXES = (".download-", ".install-", ".old-")


def _urlopen(url: str) -> IO[bytes]:
    response: IO[bytes] = urllib.request.urlopen(url, timeout=60)
    return response


Opener = Callable[[str], IO[bytes]]
Progress = Callable[[int, int | None], None]


def _free_bytes(path: Path) -> int:
    return shutil.disk_usage(path).free


def _create(path: Path) -> IO[bytes]:
    """Open ``path`` for writing; the one place install writes file data (tests fake a full
    disk here)."""
    return path.open("wb")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
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
        check_space(dest.parent, total or 0, f"download {url}", limits, disk_free)
        try:  # only writing raises OSError in here: reading errors are converted where read
            with _create(dest) as out:
                while True:
                    try:
                        block = response.read(CHUNK)
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
            raise write_failed(e, f"could not write the download to {dest}") from e
    if total is not None and done != total:
        raise MissingModelError(
            f"download of {url} stopped after {done} of {total} bytes; try again, or fetch the "
            "zip another way and run `audio-companion models install NAME --from FILE.zip`"
        )
    return h.hexdigest()


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
        unpack(archive, source, unpacked, limits, free, _create)
        model = model_root(unpacked)
        check_links(model)
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
