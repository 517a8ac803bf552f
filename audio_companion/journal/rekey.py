"""Encrypt, decrypt, or change the passphrase of a journal: a new file, then one rename.

The journal is never changed in place. Under an exclusive lock (no check-in is writing), the
whole database is exported (SQLCipher's `sqlcipher_export`) into a staging file beside it, made
private before its first byte. The staging file is read back (same schema version, as many
sessions, answers and recordings, and SQLite's quick check), fsynced, and renamed over the
journal, and the folder is fsynced so the rename itself is on disk. A process killed at any
moment therefore leaves either the old journal or the new one at the path, never half of one;
a leftover staging file is removed by the next open or re-key.

Only then is the old file, no longer reachable by name, overwritten with zeros through the
descriptor still open on it, so its plaintext (or old-key) pages are not simply left in free
disk blocks. That is best effort: SSDs, copy-on-write file systems, snapshots and backups keep
copies this cannot reach.

``AUDIO_COMPANION_FAULT_LOG`` lists the named steps a re-key passes and
``AUDIO_COMPANION_KILL_AT`` kills the process (SIGKILL: no clean-up, as a power cut) at one of
them, the same hooks a podcast build has, so tests can kill it at every step.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from audio_companion.errors import JournalError
from audio_companion.faults import fault_point
from audio_companion.journal import sealed
from audio_companion.journal.connect import prepare
from audio_companion.journal.lock import ExclusiveLock, exclusive
from audio_companion.journal.passphrase import Passphrase
from audio_companion.journal.private import FILE_MODE
from audio_companion.journal.schema import APPLICATION_ID, SCHEMA_VERSION

STEPS = (
    "locked",
    "keyed",
    "staging",
    "exported",
    "verified",
    "synced",
    "replaced",
    "settled",
    "wiped",
)
_WIPE_CHUNK = 1 << 20


@dataclass(frozen=True)
class Contents:
    """What a journal file holds, counted: the same before and after a re-key, or it stops."""

    sessions: int
    answers: int
    recordings: int


def encrypt(path: Path, new: Passphrase) -> Contents:
    """Seal the plain journal at *path* (a new, empty one if there is none) with *new*."""
    from audio_companion.journal.store import Journal  # store imports `sealed`, not us

    path = Path(path).expanduser()
    if not path.exists():
        Journal.open(path).close()  # the schema, so the sealed file opens like any journal
    return _rekey(path, None, new)


def decrypt(path: Path, old: Passphrase) -> Contents:
    """Turn the encrypted journal at *path* back into a plain SQLite file."""
    return _rekey(Path(path).expanduser(), old, None)


def change(path: Path, old: Passphrase, new: Passphrase) -> Contents:
    """Seal the encrypted journal at *path* with *new* instead of *old* (and a new salt)."""
    return _rekey(Path(path).expanduser(), old, new)


def _rekey(path: Path, old: Passphrase | None, new: Passphrase | None) -> Contents:
    """Copy the journal, opened with *old* (None: plain), into a file sealed with *new*
    (None: plain), and put that file in its place."""
    if not path.exists():
        raise JournalError(f"no journal at {path}")
    lock = exclusive(path)
    try:
        fault_point("locked")
        sealed.remove_staging(path)
        _check_kind(path, sealed.kind_of(lock.header(), path), old, new)
        staging = sealed.staging_path(path)
        source = _open(path, lock.header(), old)
        try:
            before = _contents(source)
            new_key = None if new is None else sealed.raw_key(new, sealed.new_salt())
            fault_point("keyed")  # the slow part (scrypt) done; from here on, files are written
            _create_private(staging)
            fault_point("staging")
            _export(source, staging, new_key)
        finally:
            source.close()
        fault_point("exported")
        _verify(staging, new_key, new, before)
        fault_point("verified")
        _fsync(staging)
        fault_point("synced")
        os.replace(staging, path)
        fault_point("replaced")
        _fsync(path.parent)
        fault_point("settled")
        _wipe(lock)
        fault_point("wiped")
    except BaseException:
        sealed.remove_staging(path)  # gone already once renamed; we hold the lock either way
        raise
    finally:
        lock.release()
    return before


def _check_kind(
    path: Path, kind: sealed.Kind, old: Passphrase | None, new: Passphrase | None
) -> None:
    """Each command for the journal it fits: a mistake is said before anything is written."""
    encrypted = kind is sealed.Kind.SEALED
    if old is None and encrypted:
        raise JournalError(
            f"{path} is already encrypted; to change its passphrase: "
            "audio-companion journal passphrase"
        )
    if old is not None and not encrypted:
        if new is None:
            raise JournalError(f"{path} is not encrypted; there is nothing to decrypt")
        raise JournalError(
            f"{path} is not encrypted; encrypt it with: audio-companion journal encrypt"
        )


def _open(path: Path, header: bytes, passphrase: Passphrase | None) -> sqlite3.Connection:
    """The journal through SQLCipher (whose export this needs), checked and up to date."""
    key = None if passphrase is None else sealed.raw_key(passphrase, header[: sealed.SALT_BYTES])
    try:
        conn = sealed.connect(path, key, verify=passphrase)
    except sealed.errors() as exc:
        raise JournalError(f"{path}: cannot open the journal ({exc})") from exc
    prepare(conn, path, sealed.errors())  # refuses foreign or newer files, migrates old ones
    return conn


def _contents(conn: sqlite3.Connection) -> Contents:
    sessions, answers, recordings = conn.execute(
        "SELECT (SELECT COUNT(*) FROM sessions), (SELECT COUNT(*) FROM answers), "
        "(SELECT COUNT(*) FROM answers WHERE audio IS NOT NULL)"
    ).fetchone()
    return Contents(int(sessions), int(answers), int(recordings))


def _create_private(staging: Path) -> None:
    """The staging file, empty and 0600, before SQLite writes anything into it."""
    fd = os.open(staging, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_CLOEXEC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def _export(source: sqlite3.Connection, staging: Path, key: str | None) -> None:
    """Everything in *source* into *staging*, sealed with *key* (None: plain)."""
    source.execute("ATTACH DATABASE ? AS staged KEY ?", (str(staging), key or ""))
    try:
        source.execute("SELECT sqlcipher_export('staged')")
        # The export copies tables and rows, not the header's marks of what the file is.
        source.execute(f"PRAGMA staged.user_version = {SCHEMA_VERSION}")
        source.execute(f"PRAGMA staged.application_id = {APPLICATION_ID}")
    finally:
        source.execute("DETACH DATABASE staged")


def _verify(staging: Path, key: str | None, new: Passphrase | None, before: Contents) -> None:
    """Read the staging file back as the journal will be read: it must hold what the old one did."""
    conn = sealed.connect(staging, key, verify=new)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        after = _contents(conn)
    finally:
        conn.close()
    if version != SCHEMA_VERSION or check != "ok" or after != before:
        raise JournalError(
            f"{staging}: the new journal does not match the old ({after} against {before}, "
            f"check {check!r}); the journal was not changed"
        )


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _wipe(lock: ExclusiveLock) -> None:
    """Zeros over the old file, now nameless (its pages would otherwise stay in free blocks)."""
    size = os.fstat(lock.fd).st_size
    zeros = bytes(_WIPE_CHUNK)
    for offset in range(0, size, _WIPE_CHUNK):
        os.pwrite(lock.fd, zeros[: min(_WIPE_CHUNK, size - offset)], offset)
    os.fsync(lock.fd)
