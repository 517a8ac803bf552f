"""Encrypt, decrypt and change the passphrase: everything kept, mistakes refused before writing."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from audio_companion import faults
from audio_companion.errors import JournalError
from audio_companion.journal import Journal, rekey, sealed
from audio_companion.journal.passphrase import Passphrase, PassphraseError
from audio_companion.journal.rekey import Contents
from audio_companion.journal.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from conftest import Diary

OLD = Passphrase("correct horse battery staple", "typed")
NEW = Passphrase("a different zoë passphrase", "typed")


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


def test_encrypt_change_decrypt_keep_every_session_and_recording(diary: Diary) -> None:
    counts = Contents(sessions=12, answers=36, recordings=8)
    assert rekey.encrypt(diary.path, OLD) == counts
    diary.check(OLD)
    first_salt = diary.path.read_bytes()[:16]
    assert rekey.change(diary.path, OLD, NEW) == counts
    assert diary.path.read_bytes()[:16] != first_salt  # a new salt with the new key
    diary.check(NEW)
    with pytest.raises(PassphraseError, match="wrong passphrase"):
        Journal.open(diary.path, OLD)
    assert rekey.decrypt(diary.path, NEW) == counts
    assert diary.path.read_bytes()[:16] == b"SQLite format 3\x00"
    diary.check()
    assert stat.S_IMODE(diary.path.stat().st_mode) == 0o600
    assert [p.name for p in diary.path.parent.iterdir()] == ["journal.sqlite3"]


def test_the_decrypted_file_is_what_python_sqlite_reads(diary: Diary) -> None:
    import sqlite3

    rekey.encrypt(diary.path, OLD)
    rekey.decrypt(diary.path, OLD)
    conn = sqlite3.connect(diary.path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x41434A31
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_encrypting_where_there_is_no_journal_makes_an_empty_encrypted_one(tmp_path: Path) -> None:
    path = tmp_path / "new" / "journal.sqlite3"
    assert rekey.encrypt(path, OLD) == Contents(0, 0, 0)
    assert path.read_bytes()[:4] == b"ACJ\x01"
    with Journal.open(path, OLD) as j:
        assert j.encrypted and j.sessions() == []


def test_the_old_file_is_overwritten_once_replaced(diary: Diary) -> None:
    old = os.open(diary.path, os.O_RDONLY)  # keeps the old file readable after the rename
    try:
        size = os.fstat(old).st_size
        rekey.encrypt(diary.path, OLD)
        left = os.pread(old, size, 0)
    finally:
        os.close(old)
    assert len(left) == size and left == bytes(size)


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        ("decrypt", "is not encrypted; there is nothing to decrypt"),
        ("change", "is not encrypted; encrypt it with: audio-companion journal encrypt"),
    ],
)
def test_a_plain_journal_cannot_be_decrypted_or_rekeyed(
    diary: Diary, operation: str, message: str
) -> None:
    before = snapshot(diary.path)
    with pytest.raises(JournalError, match=message):
        if operation == "decrypt":
            rekey.decrypt(diary.path, OLD)
        else:
            rekey.change(diary.path, OLD, NEW)
    assert snapshot(diary.path) == before


def test_an_encrypted_journal_is_not_encrypted_again(diary: Diary) -> None:
    rekey.encrypt(diary.path, OLD)
    before = snapshot(diary.path)
    with pytest.raises(JournalError, match="already encrypted; to change its passphrase: "):
        rekey.encrypt(diary.path, NEW)
    assert snapshot(diary.path) == before


@pytest.mark.parametrize("operation", ["decrypt", "change"])
def test_a_wrong_passphrase_rekeys_nothing(diary: Diary, operation: str) -> None:
    rekey.encrypt(diary.path, OLD)
    before = snapshot(diary.path)
    wrong = Passphrase("correct horse battery stapler", "AUDIO_COMPANION_PASSPHRASE")
    with pytest.raises(PassphraseError) as err:
        if operation == "decrypt":
            rekey.decrypt(diary.path, wrong)
        else:
            rekey.change(diary.path, wrong, NEW)
    assert str(err.value) == (
        f"{diary.path}: wrong passphrase (from AUDIO_COMPANION_PASSPHRASE); "
        "the journal was not changed"
    )
    assert snapshot(diary.path) == before
    diary.check(OLD)


def test_no_journal_to_decrypt_is_said_and_nothing_is_made(tmp_path: Path) -> None:
    path = tmp_path / "none" / "journal.sqlite3"
    with pytest.raises(JournalError, match=f"no journal at {path}"):
        rekey.decrypt(path, OLD)
    assert not path.parent.exists()


def test_a_leftover_staging_file_goes_with_the_next_open_or_rekey(diary: Diary) -> None:
    staging = sealed.staging_path(diary.path)
    assert staging.name == ".journal.sqlite3.staging"
    for leftover in (staging, staging.with_name(staging.name + "-journal")):
        leftover.write_bytes(b"half a journal")
    Journal.open(diary.path).close()
    assert [p.name for p in diary.path.parent.iterdir()] == ["journal.sqlite3"]
    staging.write_bytes(b"half a journal")
    rekey.encrypt(diary.path, OLD)
    assert [p.name for p in diary.path.parent.iterdir()] == ["journal.sqlite3"]
    diary.check(OLD)


def test_a_failed_export_leaves_the_journal_and_no_staging(
    diary: Diary, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(diary.path)

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rekey, "_fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        rekey.encrypt(diary.path, OLD)
    assert snapshot(diary.path) == before
    diary.check()


def test_the_steps_are_passed_in_order(
    diary: Diary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "steps.txt"
    monkeypatch.setenv(faults.FAULT_LOG, str(log))
    rekey.encrypt(diary.path, OLD)
    assert tuple(log.read_text().split()) == rekey.STEPS
