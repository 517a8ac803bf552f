"""Where the passphrase comes from: the variable, then a private file, then a hidden prompt."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from audio_companion.errors import JournalError
from audio_companion.journal import passphrase
from audio_companion.journal.passphrase import (
    ENV,
    FILE_ENV,
    Passphrase,
    PassphraseError,
    existing,
    new,
    read_file,
    replacement,
)

JOURNAL = Path("/data/journal.sqlite3")


def secret_file(folder: Path, text: str, mode: int = 0o600, name: str = "pass") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


def answers(*typed: str) -> tuple[Callable[[str], str], list[str]]:
    """A prompt that answers with *typed* in turn and records what it was asked."""
    asked: list[str] = []
    queue = list(typed)

    def prompt(label: str) -> str:
        asked.append(label)
        return queue.pop(0)

    return prompt, asked


def test_the_variable_comes_first(tmp_path: Path) -> None:
    file = secret_file(tmp_path, "from the file\n")
    prompt, asked = answers("typed")
    found = existing(JOURNAL, {ENV: "from the variable", FILE_ENV: str(file)}, prompt)
    assert (found.secret, found.source) == ("from the variable", ENV)
    assert asked == []


def test_then_the_file_then_the_prompt(tmp_path: Path) -> None:
    file = secret_file(tmp_path, "from the file\n")
    prompt, asked = answers("typed")
    found = existing(JOURNAL, {ENV: "", FILE_ENV: str(file)}, prompt)
    assert (found.secret, found.source) == ("from the file", str(file))
    assert found.describe() == f"from {file}"
    typed = existing(JOURNAL, {}, prompt)
    assert (typed.secret, typed.describe()) == ("typed", "as typed")
    assert asked == [f"Passphrase for {JOURNAL}"]


def test_without_any_source_one_line_says_how_to_give_it() -> None:
    with pytest.raises(PassphraseError) as err:
        existing(JOURNAL, {}, None)
    message = str(err.value)
    assert message == (
        f"{JOURNAL} is encrypted: set AUDIO_COMPANION_PASSPHRASE, or "
        "AUDIO_COMPANION_PASSPHRASE_FILE to a file holding it (chmod 600), "
        "or run this at a terminal to type it"
    )
    assert isinstance(err.value, JournalError) and err.value.exit_code == 2


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o660, 0o700 | 0o004])
def test_a_file_others_can_reach_is_refused_with_the_chmod(tmp_path: Path, mode: int) -> None:
    file = secret_file(tmp_path, "words\n", mode)
    with pytest.raises(PassphraseError) as err:
        existing(JOURNAL, {FILE_ENV: str(file)}, None)
    message = str(err.value)
    assert f"run: chmod 600 {file}" in message and f"mode {mode:04o}" in message
    assert "\n" not in message and "words" not in message


@pytest.mark.parametrize("mode", [0o600, 0o400, 0o700])
def test_a_file_only_its_owner_reaches_is_used(tmp_path: Path, mode: int) -> None:
    file = secret_file(tmp_path, "words\n", mode)
    assert read_file(file).secret == "words"


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
def test_a_file_of_another_user_is_refused(tmp_path: Path) -> None:
    file = secret_file(tmp_path, "words\n")
    os.chown(file, 4321, -1)
    with pytest.raises(PassphraseError, match=rf"another user \(uid 4321\).*chmod 600 {file}"):
        read_file(file)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("plain", "plain"),
        ("one newline\n", "one newline"),
        ("windows\r\n", "windows"),
        ("two newlines\n\n", "two newlines\n"),  # only the line's end is dropped
        ("  spaces kept  \n", "  spaces kept  "),
        ("zoë ünïcode\n", "zoë ünïcode"),
    ],
)
def test_the_file_holds_the_passphrase_as_written(tmp_path: Path, text: str, secret: str) -> None:
    assert read_file(secret_file(tmp_path, text)).secret == secret


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: d / "absent", "no such file"),
        (lambda d: secret_file(d, "\n"), "is empty; write the passphrase in it"),
        (lambda d: secret_file(d, ""), "is empty"),
        (lambda d: d, "is not a file"),
    ],
)
def test_unusable_files_are_one_line_naming_them(
    tmp_path: Path, make: Callable[[Path], Path], expected: str
) -> None:
    os.chmod(tmp_path, 0o700)
    path = make(tmp_path)
    with pytest.raises(PassphraseError) as err:
        read_file(path)
    assert str(err.value).startswith(f"{path} ({FILE_ENV})") and expected in str(err.value)


def test_an_oversized_file_is_not_read_as_a_passphrase(tmp_path: Path) -> None:
    file = secret_file(tmp_path, "x" * (passphrase.MAX_FILE_BYTES + 1))
    with pytest.raises(PassphraseError, match="too large"):
        read_file(file)


def test_a_new_passphrase_is_typed_twice(tmp_path: Path) -> None:
    prompt, asked = answers("battery staple", "battery staple")
    assert new(JOURNAL, {}, prompt).secret == "battery staple"
    assert asked == [f"New passphrase for {JOURNAL}", "Repeat the new passphrase"]
    prompt, _ = answers("battery staple", "battery stapel")
    with pytest.raises(PassphraseError, match="differ; nothing was changed"):
        new(JOURNAL, {}, prompt)
    prompt, _ = answers("", "")
    with pytest.raises(PassphraseError, match="empty"):
        new(JOURNAL, {}, prompt)


def test_a_new_passphrase_comes_from_the_same_sources_as_opening(tmp_path: Path) -> None:
    prompt, asked = answers()
    assert new(JOURNAL, {ENV: "set"}, prompt).source == ENV
    file = secret_file(tmp_path, "filed\n")
    assert new(JOURNAL, {FILE_ENV: str(file)}, prompt).secret == "filed"
    assert asked == []
    with pytest.raises(PassphraseError, match="no passphrase to encrypt"):
        new(JOURNAL, {}, None)


def test_a_replacement_never_comes_from_the_environment(tmp_path: Path) -> None:
    file = secret_file(tmp_path, "next one\n")
    assert replacement(JOURNAL, file, None).secret == "next one"
    prompt, _ = answers("typed twice", "typed twice")
    assert replacement(JOURNAL, None, prompt).secret == "typed twice"
    with pytest.raises(PassphraseError, match="--new-passphrase-file FILE"):
        replacement(JOURNAL, None, None)
    loose = secret_file(tmp_path, "next one\n", 0o644, name="loose")
    with pytest.raises(PassphraseError, match=rf"\(--new-passphrase-file\).*chmod 600 {loose}"):
        replacement(JOURNAL, loose, None)


def test_the_secret_never_shows_in_a_repr() -> None:
    found = Passphrase("correct horse", ENV)
    assert "correct horse" not in repr(found) and ENV in repr(found)
