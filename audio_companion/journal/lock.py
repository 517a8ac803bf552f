"""Who may use the journal file at once: any number of open journals, or one re-key.

Encrypting, decrypting or changing the passphrase puts a new file in the journal's place. A
check-in still holding the old file would go on writing into a file that is no longer in the
folder, and its answers would be lost. So every open journal holds a shared flock(2) on the file
for as long as it is open, and a re-key takes it exclusively. Having waited for a lock, a taker
checks that the file it locked is still the one at the path: a re-key may have replaced it.
flock is not SQLite's locking (fcntl byte ranges), so the two never meet; the kernel drops a
flock when its process dies, however it dies, so a killed check-in never leaves the journal
locked.

A process keeps one descriptor per journal file however many journals it opens on it: closing
any descriptor of a file drops every fcntl lock the process holds on that file, SQLite's
included, so ours is closed only when the last journal on that file in this process closes.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from audio_companion.errors import JournalError

OPEN_WAIT = 10.0  # seconds an open waits for a re-key to finish (seconds for a large journal)
REKEY_WAIT = 2.0  # seconds a re-key waits for open journals (a check-in holds it for its length)
_POLL = 0.05
HEADER_BYTES = 16

_Identity = tuple[int, int]  # (st_dev, st_ino): the file, whatever name it has now


def _identity(st: os.stat_result) -> _Identity:
    return (st.st_dev, st.st_ino)


def _at_path(path: Path) -> _Identity | None:
    try:
        return _identity(os.stat(path))
    except FileNotFoundError:
        return None


@dataclass
class _Held:
    fd: int
    users: int


_held: dict[_Identity, _Held] = {}
_guard = threading.Lock()


class SharedLock:
    """This process's share of the journal file; released when its journal closes."""

    def __init__(self, identity: _Identity, fd: int) -> None:
        self._identity = identity
        self._fd = fd
        self._released = False

    def header(self) -> bytes:
        """The file's first bytes, read through the locked descriptor (no other is opened)."""
        return os.pread(self._fd, HEADER_BYTES, 0)

    def release(self) -> None:
        with _guard:
            if self._released:
                return
            self._released = True
            held = _held[self._identity]
            held.users -= 1
            if held.users == 0:
                del _held[self._identity]
                os.close(held.fd)


def _try(fd: int, operation: int) -> bool:
    try:
        fcntl.flock(fd, operation | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def shared(path: Path, wait: float = OPEN_WAIT) -> SharedLock:
    """A shared lock on the journal file at *path* (which exists), waiting at most *wait* s."""
    deadline = time.monotonic() + wait
    fd: int | None = None
    try:
        while True:
            with _guard:
                here = _at_path(path)
                if here is not None and here in _held:
                    _held[here].users += 1
                    return SharedLock(here, _held[here].fd)
                if fd is None:
                    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
                if _try(fd, fcntl.LOCK_SH):
                    mine = _identity(os.fstat(fd))
                    if mine == _at_path(path):
                        _held[mine] = _Held(fd, 1)
                        taken = SharedLock(mine, fd)
                        fd = None  # the registry owns it now
                        return taken
                    os.close(fd)  # replaced while we waited: lock the new file instead
                    fd = None
                    continue
            if time.monotonic() >= deadline:
                raise JournalError(
                    f"{path} is being re-encrypted by another command; try again in a moment"
                )
            time.sleep(_POLL)
    finally:
        if fd is not None:
            os.close(fd)


class ExclusiveLock:
    """The journal file for a re-key alone; `fd` stays on the old file after it is replaced."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def header(self) -> bytes:
        return os.pread(self.fd, HEADER_BYTES, 0)

    def release(self) -> None:
        os.close(self.fd)


def exclusive(path: Path, wait: float = REKEY_WAIT) -> ExclusiveLock:
    """The journal file at *path* for this process alone, or a JournalError saying it is in use."""
    busy = JournalError(
        f"{path} is open elsewhere (a check-in or another journal command); "
        "try again when it has finished"
    )
    deadline = time.monotonic() + wait
    with _guard:
        if _at_path(path) in _held:
            raise busy  # open in this very process
    fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    try:
        while not _try(fd, fcntl.LOCK_EX):
            if time.monotonic() >= deadline:
                raise busy
            time.sleep(_POLL)
        if _identity(os.fstat(fd)) != _at_path(path):
            raise JournalError(f"{path} was replaced while waiting; try again")
    except BaseException:
        os.close(fd)
        raise
    return ExclusiveLock(fd)
