"""No re-key replaces the journal under an open one, and an open waits for a re-key to end."""

from __future__ import annotations

import fcntl
import os
import sys
import textwrap
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from child import Child  # type: ignore[import-not-found, unused-ignore]  # tests/ on sys.path

from audio_companion.errors import JournalError
from audio_companion.journal import Journal, lock, rekey
from audio_companion.journal.passphrase import Passphrase

if TYPE_CHECKING:
    from conftest import Diary

REPO = Path(__file__).resolve().parents[2]
KEY = Passphrase("correct horse battery staple", "typed")


def test_a_rekey_is_refused_while_this_process_has_the_journal_open(diary: Diary) -> None:
    before = diary.path.read_bytes()
    with Journal.open(diary.path), pytest.raises(JournalError, match="open elsewhere"):
        rekey.encrypt(diary.path, KEY)
    assert diary.path.read_bytes() == before
    assert [p.name for p in diary.path.parent.iterdir()] == ["journal.sqlite3"]
    rekey.encrypt(diary.path, KEY)  # once closed, it goes ahead
    diary.check(KEY)


def test_two_journals_on_one_file_share_one_lock_until_both_close(diary: Diary) -> None:
    first = Journal.open(diary.path)
    second = Journal.open(diary.path)
    first.close()
    assert second.sessions()  # the second still reads, its SQLite locks intact
    with pytest.raises(JournalError, match="open elsewhere"):
        rekey.encrypt(diary.path, KEY)
    second.close()
    rekey.encrypt(diary.path, KEY)


def test_a_rekey_waits_for_no_check_in_of_another_process(diary: Diary) -> None:
    # Another process keeps the journal open (as a check-in does for its whole length).
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from audio_companion.journal import Journal
        with Journal.open(Path({str(diary.path)!r})):
            print("open", flush=True)
            sys.stdin.readline()
        print("closed", flush=True)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with Child([sys.executable, "-c", code], env=env, stdin=True) as child:
        child.expect("open", timeout=30)
        with pytest.raises(JournalError) as err:
            rekey.encrypt(diary.path, KEY)
        assert str(err.value) == (
            f"{diary.path} is open elsewhere (a check-in or another journal command); "
            "try again when it has finished"
        )
        child.send("")
        child.expect("closed", timeout=30)
        assert child.wait(timeout=30) == 0
    rekey.encrypt(diary.path, KEY)
    diary.check(KEY)


def test_an_open_waits_a_bounded_time_for_a_rekey(diary: Diary) -> None:
    fd = os.open(diary.path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a re-key holds it
        with pytest.raises(JournalError, match="being re-encrypted by another command"):
            lock.shared(diary.path, wait=0.3)
    finally:
        os.close(fd)
    lock.shared(diary.path, wait=0.3).release()


def test_an_open_that_waited_locks_the_file_that_replaced_the_old(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"old file")
    held = lock.exclusive(path)
    taken: list[lock.SharedLock] = []
    waiter = threading.Thread(target=lambda: taken.append(lock.shared(path, wait=20)))
    waiter.start()
    waiter.join(0.3)
    assert waiter.is_alive()  # waiting for the re-key
    (tmp_path / "new").write_bytes(b"new file")
    os.replace(tmp_path / "new", path)
    held.release()
    waiter.join(20)
    assert not waiter.is_alive()
    assert taken[0].header() == b"new file"
    with pytest.raises(JournalError, match="open elsewhere"):
        lock.exclusive(path, wait=0.1)  # the shared lock is on the new file
    taken[0].release()
    lock.exclusive(path, wait=0.1).release()
