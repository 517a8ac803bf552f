"""The encrypted journal's file format: SQLCipher 4 pages under a key derived with scrypt.

SQLCipher encrypts every page of the SQLite file (AES-256-CBC, each page authenticated with
HMAC-SHA512), so transcripts, recordings, times, moods, names and the schema are all sealed,
and so is the rollback journal written beside it during a transaction. What is left in the
clear is the first 16 bytes: SQLCipher's salt. We choose that salt, and begin it with ``ACJ``
and a format byte; the other 12 bytes are random. So a journal is recognised without its
passphrase (plain SQLite, encrypted by us, encrypted by a newer version, or neither), and a
missing passphrase is a clear error rather than "file is not a database".

The key is ours, not SQLCipher's PBKDF2: scrypt (N=2^17, r=8, p=1; 128 MiB, about 0.3 s),
which makes guessing on graphics cards expensive, handed to SQLCipher as a raw key with that
salt. Format byte 1 fixes these parameters and SQLCipher 4's page settings
(``cipher_compatibility = 4``); changing any of them needs a new format byte.
"""

from __future__ import annotations

import enum
import hashlib
import os
import sqlite3
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import cast

from audio_companion.errors import JournalError, MissingDependencyError
from audio_companion.journal.passphrase import Passphrase, PassphraseError

SQLITE_MAGIC = b"SQLite format 3\x00"
MAGIC = b"ACJ"  # audio-companion journal
FORMAT = 1
SALT_BYTES = 16
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
KEY_BYTES = 32
STAGING = ".staging"  # `.journal.sqlite3.staging`: a re-key's new file, beside the journal


class Kind(enum.Enum):
    """What a journal file is, as far as can be told without its passphrase."""

    EMPTY = "empty"  # no bytes yet: a new journal, plain until someone encrypts it
    PLAIN = "plain"  # SQLite, or something SQLite will refuse with its own message
    SEALED = "sealed"


def kind_of(header: bytes, path: Path) -> Kind:
    """The kind of journal whose first bytes are *header*; JournalError for a newer format."""
    if not header:
        return Kind.EMPTY
    if header.startswith(MAGIC) and not header.startswith(SQLITE_MAGIC):
        if len(header) < SALT_BYTES:
            raise JournalError(f"{path}: an encrypted journal cut short; restore it from a backup")
        if header[len(MAGIC)] != FORMAT:
            raise JournalError(
                f"{path}: encrypted by a newer audio-companion (format {header[len(MAGIC)]}); "
                "upgrade to read it"
            )
        return Kind.SEALED
    return Kind.PLAIN


def kind_at(path: Path) -> Kind | None:
    """The kind of the journal at *path*, or None when there is no file there."""
    try:
        with open(path, "rb") as f:
            return kind_of(f.read(SALT_BYTES), path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise JournalError(f"{path}: cannot read the journal ({exc.strerror or exc})") from exc


def new_salt() -> bytes:
    """Our marker and format byte, then 12 random bytes (96 bits: unique per file in practice)."""
    return MAGIC + bytes([FORMAT]) + os.urandom(SALT_BYTES - len(MAGIC) - 1)


def raw_key(passphrase: Passphrase, salt: bytes) -> str:
    """The key for SQLCipher as ``x'<key><salt>'``: scrypt of the passphrase, and the salt
    SQLCipher then keeps as the file's first bytes.

    The passphrase is NFC-normalised, so "é" typed as one character or as e and an accent opens
    the same journal.
    """
    secret = unicodedata.normalize("NFC", passphrase.secret).encode("utf-8")
    key = hashlib.scrypt(
        secret,
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=2 * 128 * SCRYPT_R * SCRYPT_N,
        dklen=KEY_BYTES,
    )
    return f"x'{(key + salt).hex()}'"


def sqlcipher() -> ModuleType:
    """SQLCipher's DB-API module, or MissingDependencyError saying how to install it.

    Imported only for encrypted journals: a plain journal works where no wheel exists.
    """
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:
        raise MissingDependencyError(
            "SQLCipher for Python (an encrypted journal needs it)",
            install=".venv/bin/pip install sqlcipher3-binary",
            extra=" (where no wheel exists: sudo apt-get install libsqlcipher-dev, "
            "then pip install sqlcipher3)",
        ) from exc
    return cast(ModuleType, dbapi2)


def errors() -> tuple[type[Exception], ...]:
    """The errors a journal connection may raise: the standard sqlite3's and SQLCipher's."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        return (sqlite3.Error,)
    return (sqlite3.Error, cast(type[Exception], dbapi2.Error))


def connect(path: Path, key: str | None, *, verify: Passphrase | None = None) -> sqlite3.Connection:
    """An SQLCipher connection to *path* keyed with *key* (None: a plain file, through SQLCipher).

    With *verify*, the key is checked with a first read; a wrong one closes the connection and
    raises PassphraseError, before anything could be written.
    """
    module = sqlcipher()
    conn = cast(
        sqlite3.Connection,
        module.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10.0),
    )
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # errors are ours to word, not stderr's
        if key is not None:
            conn.execute(f'PRAGMA key = "{key}"')  # hex digits only: nothing to escape
            conn.execute("PRAGMA cipher_compatibility = 4")
        if verify is not None:
            try:
                conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            except module.Error as exc:
                raise PassphraseError(
                    f"{path}: wrong passphrase ({verify.describe()}); the journal was not changed"
                ) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def staging_path(journal: Path) -> Path:
    """Where a re-key writes the new file: beside the journal, so the rename is atomic."""
    return journal.with_name(f".{journal.name}{STAGING}")


def remove_staging(journal: Path) -> None:
    """Remove what a killed re-key left: its new file and that file's rollback journal.

    Called only with the journal locked, so no re-key is running (its file is not in use).
    """
    staging = staging_path(journal)
    for leftover in (staging, staging.with_name(staging.name + "-journal")):
        leftover.unlink(missing_ok=True)
