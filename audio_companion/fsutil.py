"""Writing files so that a crash never leaves half a file where a good one was."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

PUBLIC_FILE = 0o644  # what a build publishes: served and synced as is
PRIVATE_FILE = 0o600  # what only its owner may read (cached speech)
PRIVATE_FOLDER = 0o700


@contextlib.contextmanager
def atomic_path(dest: Path, mode: int = PUBLIC_FILE) -> Iterator[Path]:
    """Yield a temporary path beside *dest*; rename it over *dest* on success.

    The temporary file lives in the same folder so the final rename is atomic
    on POSIX; on any exception (including Ctrl-C) it is removed instead. The
    file gets `mode` whatever the umask.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{dest.name}.", suffix=".part" + dest.suffix, dir=dest.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, mode)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def private_folder(path: Path) -> None:
    """Make sure `path` exists and only its owner can list or enter it.

    Folders it creates, and `path` itself if it was there before (made by an older
    version, 0755), get 0700 whatever the umask: ``mkdir``'s mode is only ever
    narrowed by the umask, and parents would get the default 0777 & ~umask.
    """
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for folder in {path, *missing}:
        os.chmod(folder, PRIVATE_FOLDER)


def write_bytes_atomic(dest: Path, data: bytes) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)


def write_if_changed(dest: Path, data: bytes) -> None:
    """Write atomically, but leave an identical file alone: its date then tells
    servers, caches and rsync that nothing changed."""
    try:
        if dest.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    write_bytes_atomic(dest, data)


@contextlib.contextmanager
def scratch_folder(path: Path) -> Iterator[Path]:
    """An empty folder at `path` for the block's work, removed afterwards (also
    what an earlier, killed run left there)."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def temp_files_in(folder: Path) -> Iterator[None]:
    """Within the block, temporary files go to `folder`: this process's `tempfile`
    and, through ``TMPDIR``, the programs and worker processes it starts."""
    folder.mkdir(parents=True, exist_ok=True)
    saved_dir, saved_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = saved_dir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env


class FolderBusy(Exception):
    """Another process holds the folder's lock; `holder` is what it wrote there."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


@contextlib.contextmanager
def folder_lock(folder: Path, name: str = ".lock") -> Iterator[None]:
    """Hold an exclusive advisory lock on `folder` (flock on `folder/name`).

    The kernel releases it when the process ends, however it ends, so a crashed
    build never leaves a stale lock; the file keeps the holder's pid for the
    message another build shows.
    """
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            raise FolderBusy(holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
