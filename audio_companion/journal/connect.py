"""A connection to a journal file, plain or encrypted, set up the same way for both.

A plain journal goes through Python's own sqlite3, as it always has; an encrypted one through
SQLCipher (see `sealed`). The two libraries have their own error and row classes, so a
connection comes with the ones to use on it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from audio_companion.errors import JournalError
from audio_companion.journal import sealed
from audio_companion.journal.passphrase import HOW, Passphrase, PassphraseError
from audio_companion.journal.schema import migrate

RowFactory = Callable[[sqlite3.Cursor, tuple[Any, ...]], Any]


@dataclass(frozen=True)
class Connection:
    """An open journal file: the connection, the errors it raises and its row class."""

    conn: sqlite3.Connection
    errors: tuple[type[Exception], ...]
    row: RowFactory
    encrypted: bool


def prepare(conn: sqlite3.Connection, path: Path, errors: tuple[type[Exception], ...]) -> None:
    """Durable, private settings, then the schema brought up to date; closes *conn* on failure."""
    try:
        conn.execute("PRAGMA journal_mode=DELETE").fetchone()
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA secure_delete=ON")  # deleted text is overwritten, not left
        conn.execute("PRAGMA temp_store=MEMORY")  # no temporary copies in /var/tmp
        migrate(conn, path)
    except JournalError:
        conn.close()
        raise
    except errors as exc:
        conn.close()
        raise JournalError(
            f"{path}: not a readable journal ({exc}); move it aside to start a new one"
        ) from exc


def open_file(
    path: Path, kind: sealed.Kind, header: bytes, passphrase: Passphrase | None
) -> Connection:
    """Connect to the journal file at *path*, whose first bytes are *header* and kind *kind*.

    An encrypted one needs *passphrase*: PassphraseError saying how to give it when it is None,
    or when it is wrong (the file untouched either way).
    """
    if kind is not sealed.Kind.SEALED:
        try:
            conn = sqlite3.connect(
                str(path), isolation_level=None, check_same_thread=False, timeout=10.0
            )
        except sqlite3.Error as exc:
            raise JournalError(f"{path}: cannot open the journal ({exc})") from exc
        prepare(conn, path, (sqlite3.Error,))
        return Connection(conn, (sqlite3.Error,), sqlite3.Row, encrypted=False)
    if passphrase is None:
        raise PassphraseError(f"{path} is encrypted: {HOW}")
    module = sealed.sqlcipher()
    errors = sealed.errors()
    key = sealed.raw_key(passphrase, header[: sealed.SALT_BYTES])
    try:
        conn = sealed.connect(path, key, verify=passphrase)
    except errors as exc:
        raise JournalError(f"{path}: cannot open the journal ({exc})") from exc
    prepare(conn, path, errors)
    return Connection(conn, errors, cast(RowFactory, module.Row), encrypted=True)
