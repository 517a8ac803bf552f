"""The encrypted journal's file: recognised without its passphrase, opaque without it, and
never touched by a wrong one."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from helpers import kill_after_two_answers  # type: ignore[import-not-found, unused-ignore]

from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import JournalError, MissingDependencyError
from audio_companion.journal import Answer, Journal, rekey, sealed
from audio_companion.journal.passphrase import Passphrase, PassphraseError
from audio_companion.journal.sealed import Kind, kind_of

if TYPE_CHECKING:
    from conftest import Diary

KEY = Passphrase("correct horse battery staple", "AUDIO_COMPANION_PASSPHRASE")
PATH = Path("/j.sqlite3")


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    """The file's bytes and modification time, and what else is in its folder."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


def secrets_of(diary: Diary) -> list[bytes]:
    """Byte strings that must not appear in an encrypted file: words said, names, the deck,
    and a stretch from the middle of every recording."""
    words = [a.transcript.encode() for r in diary.records for a in r.answers]
    pcm = [data[len(data) // 2 : len(data) // 2 + 64] for data in diary.audio.values()]
    return [*words, b"How are you feeling", b"Alex", b"nightly", *pcm]


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (b"", Kind.EMPTY),
        (b"SQLite format 3\x00", Kind.PLAIN),
        (b"ACJ\x01" + bytes(range(12)), Kind.SEALED),
        (b"not a journal at all", Kind.PLAIN),  # SQLite then says it is not a database
        (b"\x00" * 16, Kind.PLAIN),
    ],
)
def test_the_kind_is_told_from_the_first_bytes(header: bytes, kind: Kind) -> None:
    assert kind_of(header, PATH) is kind


def test_a_newer_or_cut_encrypted_file_is_named_as_such() -> None:
    newer = r"encrypted by a newer audio-companion \(format 2\); upgrade"
    with pytest.raises(JournalError, match=newer):
        kind_of(b"ACJ\x02" + bytes(12), PATH)
    with pytest.raises(JournalError, match="encrypted journal cut short"):
        kind_of(b"ACJ\x01\x00", PATH)


def test_each_file_gets_its_own_salt_behind_the_marker() -> None:
    salts = {sealed.new_salt() for _ in range(50)}
    assert len(salts) == 50
    assert all(s[:4] == b"ACJ\x01" and len(s) == 16 for s in salts)


def test_the_key_depends_on_passphrase_and_salt_and_not_on_unicode_spelling() -> None:
    salt = b"ACJ\x01" + bytes(12)
    composed = Passphrase(unicodedata.normalize("NFC", "zoë"), "typed")
    decomposed = Passphrase(unicodedata.normalize("NFD", "zoë"), "typed")
    assert composed.secret != decomposed.secret
    key = sealed.raw_key(composed, salt)
    assert key == sealed.raw_key(decomposed, salt)
    assert key != sealed.raw_key(composed, b"ACJ\x01" + bytes(11) + b"\x01")
    assert key != sealed.raw_key(Passphrase("zoe", "typed"), salt)
    assert key.startswith("x'") and key.endswith(salt.hex() + "'") and len(key) == 3 + 96


def test_nothing_said_or_recorded_is_readable_in_the_encrypted_file(diary: Diary) -> None:
    plain = diary.path.read_bytes()
    secrets = secrets_of(diary)
    assert len(diary.audio) == 8
    assert all(s in plain for s in secrets)  # the test can see them when they are there
    rekey.encrypt(diary.path, KEY)
    sealed_bytes = diary.path.read_bytes()
    assert sealed_bytes[:4] == b"ACJ\x01"
    assert [s for s in secrets if s in sealed_bytes] == []
    diary.check(KEY)


def test_recordings_saved_into_an_encrypted_journal_stay_sealed(diary: Diary) -> None:
    rekey.encrypt(diary.path, KEY)
    noise = np.random.default_rng(99).integers(-8000, 8000, 32000, dtype="<i2")
    tone = AudioChunk.from_int16(noise, 16000)
    with Journal.open(diary.path, KEY) as j:
        assert j.encrypted
        sid = j.start_session("nightly", ["Sam"], "whisper", 1.0)
        answer_id = j.add_answer(
            sid,
            Answer(partner="Sam", step="gratitude", kind="open", prompt="What went well?",
                   transcript="the quiet harbour at dusk", mood=None, confidence=None,
                   started_at=2.0, ended_at=4.0, audio=tone),
        )  # fmt: skip
        j.end_session(sid, 5.0, "completed")
    data, _, folder = snapshot(diary.path)
    assert b"quiet harbour" not in data and b"What went well" not in data
    assert tone.audio[16000:16064] not in data
    assert folder == ["journal.sqlite3"]  # no rollback journal or copy left beside it
    with Journal.open(diary.path, KEY) as j:
        back = j.audio(answer_id)
    assert back is not None and back.audio == tone.audio


def test_without_a_passphrase_the_error_says_how_to_give_one(diary: Diary) -> None:
    rekey.encrypt(diary.path, KEY)
    before = snapshot(diary.path)
    with pytest.raises(PassphraseError) as err:
        Journal.open(diary.path)
    assert str(err.value).startswith(f"{diary.path} is encrypted: set AUDIO_COMPANION_PASSPHRASE")
    assert snapshot(diary.path) == before


@pytest.mark.parametrize("wrong", ["correct horse battery stapl", "Correct horse battery staple"])
def test_a_wrong_passphrase_is_one_line_and_changes_nothing(diary: Diary, wrong: str) -> None:
    rekey.encrypt(diary.path, KEY)
    before = snapshot(diary.path)
    with pytest.raises(PassphraseError) as err:
        Journal.open(diary.path, Passphrase(wrong, "AUDIO_COMPANION_PASSPHRASE"))
    assert str(err.value) == (
        f"{diary.path}: wrong passphrase (from AUDIO_COMPANION_PASSPHRASE); "
        "the journal was not changed"
    )
    assert err.value.exit_code == 2
    assert snapshot(diary.path) == before
    diary.check(KEY)  # and the right one still opens it


def test_a_plain_journal_ignores_a_passphrase(diary: Diary) -> None:
    with Journal.open(diary.path, KEY) as j:
        assert not j.encrypted
    assert kind_of(diary.path.read_bytes()[:16], diary.path) is Kind.PLAIN


def test_without_sqlcipher_an_encrypted_journal_says_what_to_install(
    diary: Diary, monkeypatch: pytest.MonkeyPatch
) -> None:
    rekey.encrypt(diary.path, KEY)
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # as where no wheel is installed
    with pytest.raises(MissingDependencyError, match="pip install sqlcipher3-binary") as err:
        Journal.open(diary.path, KEY)
    assert err.value.exit_code == 3
    monkeypatch.undo()
    diary.check(KEY)


def test_answers_in_an_encrypted_journal_survive_sigkill(diary: Diary) -> None:
    rekey.encrypt(diary.path, KEY)
    kill_after_two_answers(diary.path, KEY.secret)
    with Journal.open(diary.path, KEY) as j:
        newest = j.session(max(s.id for s in j.sessions()))
    assert [a.transcript for a in newest.answers] == ["answer 0", "answer 1"]
    assert newest.end_reason is None
    assert b"answer 0" not in diary.path.read_bytes()
