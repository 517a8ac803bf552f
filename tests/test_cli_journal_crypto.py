"""`journal encrypt / decrypt / passphrase`, and every journal command on an encrypted journal.

Through CliRunner, whose standard input is no terminal: the passphrase comes from the
variable or a file. The hidden prompt is tested on a real pseudo-terminal.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from helpers import JOURNAL_TODAY, three_nights

from audio_companion.cli import main
from audio_companion.journal import Journal
from audio_companion.journal.passphrase import ENV, FILE_ENV, Passphrase

SECRET = "correct horse battery staple"
KEY = Passphrase(SECRET, ENV)
TODAY = JOURNAL_TODAY  # the day the charts end; never the clock's
NIGHT = "2026-11-27"
ANSWERS = [
    "I feel fine, a bit tired",
    "four",
    "the tea",
    "the walk by the river",
    "my friend's message",
    "I feel calm when it rains",
]
HOW = (
    "set AUDIO_COMPANION_PASSPHRASE, or AUDIO_COMPANION_PASSPHRASE_FILE to a file holding it "
    "(chmod 600), or run this at a terminal to type it"
)
NOT_GIVEN = "is encrypted: " + HOW


def run(args: list[str], env: Mapping[str, str] | None = None, **kw: Any) -> Result:
    """The command with only the passphrase variables given in *env* set."""
    given: dict[str, str | None] = {ENV: None, FILE_ENV: None, **(env or {})}
    result = CliRunner().invoke(main, args, env=given, **kw)
    assert "Traceback" not in result.output
    return result


def error_line(result: Result) -> str:
    """The one line an error prints (after whatever the command printed before it)."""
    errors = [ln for ln in result.output.splitlines() if ln.startswith("Error: ")]
    assert len(errors) == 1, result.output
    return errors[0].removeprefix("Error: ")


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A plain journal of three nights for a couple, as a check-in leaves it."""
    return three_nights(tmp_path / "private" / "journal.sqlite3", "lighthouse night {n}")


def secret_file(folder: Path, text: str = SECRET + "\n", mode: int = 0o600) -> Path:
    path = folder / "passphrase.txt"
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


def encrypted(journal: Path) -> Path:
    result = run(["journal", "encrypt", "--journal", str(journal)], {ENV: SECRET})
    assert result.exit_code == 0, result.output
    return journal


# -- the commands ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["encrypt", "decrypt", "passphrase"])
def test_each_command_has_help(command: str) -> None:
    result = run(["journal", command, "--help"])
    assert result.exit_code == 0
    assert "AUDIO_COMPANION_PASSPHRASE" in result.output and "--journal" in result.output
    cmd = main.get_command(None, "journal").get_command(None, command)  # type: ignore[union-attr, arg-type]
    assert cmd is not None and cmd.help and len(cmd.help.strip()) > 20


def test_encrypt_with_the_variable_then_every_reader_needs_it(journal: Path) -> None:
    plain_list = run(["journal", "list", "--journal", str(journal)]).output
    result = run(["journal", "encrypt", "--journal", str(journal)], {ENV: SECRET})
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Encrypted {journal} (3 sessions, 6 answers, 0 recordings).",
        "Every command now needs its passphrase (from AUDIO_COMPANION_PASSPHRASE).",
    ]
    assert journal.read_bytes()[:4] == b"ACJ\x01" and b"lighthouse" not in journal.read_bytes()
    refused = run(["journal", "list", "--journal", str(journal)])
    assert refused.exit_code == 2 and error_line(refused) == f"{journal} {NOT_GIVEN}"
    again = run(["journal", "list", "--journal", str(journal)], {ENV: SECRET})
    assert again.exit_code == 0 and again.output == plain_list


def test_encrypt_with_a_passphrase_file(journal: Path, tmp_path: Path) -> None:
    file = secret_file(tmp_path)
    result = run(["journal", "encrypt", "--journal", str(journal)], {FILE_ENV: str(file)})
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == f"Every command now needs its passphrase (from {file})."
    listed = run(["journal", "list", "--journal", str(journal)], {FILE_ENV: str(file)})
    assert listed.exit_code == 0 and "Alex, Sam" in listed.output


@pytest.mark.parametrize("mode", [0o644, 0o640])
def test_a_loose_passphrase_file_is_refused_with_the_chmod(
    journal: Path, tmp_path: Path, mode: int
) -> None:
    file = secret_file(tmp_path, mode=mode)
    before = snapshot(journal)
    result = run(["journal", "encrypt", "--journal", str(journal)], {FILE_ENV: str(file)})
    assert result.exit_code == 2
    assert error_line(result) == (
        f"{file} (AUDIO_COMPANION_PASSPHRASE_FILE) can be read or changed by others "
        f"(mode {mode:04o}); run: chmod 600 {file}"
    )
    assert snapshot(journal) == before


def test_without_a_terminal_or_passphrase_encrypt_says_how(journal: Path) -> None:
    before = snapshot(journal)
    result = run(["journal", "encrypt", "--journal", str(journal)])
    assert result.exit_code == 2
    assert (
        error_line(result)
        == f"no passphrase to encrypt {journal} with: " + NOT_GIVEN.split(": ", 1)[1]
    )
    assert snapshot(journal) == before


def test_mistaken_commands_are_one_line_and_write_nothing(journal: Path, tmp_path: Path) -> None:
    result = run(["journal", "decrypt", "--journal", str(journal)], {ENV: SECRET})
    assert error_line(result) == f"{journal} is not encrypted; there is nothing to decrypt"
    result = run(["journal", "passphrase", "--journal", str(journal)], {ENV: SECRET})
    assert error_line(result) == (
        f"{journal} is not encrypted; encrypt it with: audio-companion journal encrypt"
    )
    encrypted(journal)
    before = snapshot(journal)
    result = run(["journal", "encrypt", "--journal", str(journal)], {ENV: "another"})
    assert result.exit_code == 2 and error_line(result) == (
        f"{journal} is already encrypted; to change its passphrase: "
        "audio-companion journal passphrase"
    )
    assert snapshot(journal) == before
    missing = tmp_path / "none" / "journal.sqlite3"
    result = run(["journal", "decrypt", "--journal", str(missing)], {ENV: SECRET})
    assert result.exit_code == 2 and error_line(result) == f"no journal at {missing}"
    assert not missing.parent.exists()


def test_decrypt_gives_back_the_plain_journal(journal: Path) -> None:
    plain_export = run(["journal", "export", "--format", "json", "--journal", str(journal)])
    encrypted(journal)
    result = run(["journal", "decrypt", "--journal", str(journal)], {ENV: SECRET})
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Decrypted {journal} (3 sessions, 6 answers, 0 recordings); "
        "no passphrase is needed any more.\n"
    )
    assert journal.read_bytes()[:16] == b"SQLite format 3\x00"
    again = run(["journal", "export", "--format", "json", "--journal", str(journal)])
    assert again.output == plain_export.output


def test_change_the_passphrase_from_a_file(journal: Path, tmp_path: Path) -> None:
    encrypted(journal)
    new = tmp_path / "new-passphrase"
    new.write_text("a brand new one\n")
    os.chmod(new, 0o600)
    args = ["journal", "passphrase", "--new-passphrase-file", str(new), "--journal", str(journal)]
    result = run(args, {ENV: SECRET})
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Changed the passphrase of {journal} (3 sessions, 6 answers, 0 recordings).",
        "AUDIO_COMPANION_PASSPHRASE still holds the old one: set it to the new one.",
    ]
    old = run(["journal", "list", "--journal", str(journal)], {ENV: SECRET})
    assert old.exit_code == 2 and "wrong passphrase" in error_line(old)
    fresh = run(["journal", "list", "--journal", str(journal)], {FILE_ENV: str(new)})
    assert fresh.exit_code == 0 and "Alex, Sam" in fresh.output


def test_change_reminds_to_update_the_passphrase_file(journal: Path, tmp_path: Path) -> None:
    file = secret_file(tmp_path)
    run(["journal", "encrypt", "--journal", str(journal)], {FILE_ENV: str(file)})
    new = tmp_path / "next"
    new.write_text("the next one")
    os.chmod(new, 0o400)
    args = ["journal", "passphrase", "--new-passphrase-file", str(new), "--journal", str(journal)]
    result = run(args, {FILE_ENV: str(file)})
    assert result.exit_code == 0, result.output
    assert (
        result.output.splitlines()[-1] == f"{file} still holds the old one: put the new one in it."
    )


def test_change_without_a_new_passphrase_says_how(journal: Path) -> None:
    encrypted(journal)
    before = snapshot(journal)
    result = run(["journal", "passphrase", "--journal", str(journal)], {ENV: SECRET})
    assert result.exit_code == 2
    assert error_line(result) == (
        "give the new passphrase in a file (chmod 600) with --new-passphrase-file FILE, "
        "or run this at a terminal to type it"
    )
    assert snapshot(journal) == before


# -- every command on an encrypted journal ----------------------------------------------

READERS = [
    ["journal", "list"],
    ["journal", "show", "2"],
    ["journal", "export", "--format", "csv"],
    ["journal", "export", "--format", "md"],
    ["journal", "trend", "--until", TODAY.isoformat()],
    ["journal", "recall", "--on", TODAY.isoformat(), "--partners", "Alex,Sam", "--tz", "UTC"],
    ["journal", "paces", "--tz", "UTC"],
]


@pytest.mark.parametrize("command", READERS, ids=lambda c: "-".join(c[1:3]))
def test_readers_say_the_same_of_an_encrypted_journal(journal: Path, command: list[str]) -> None:
    plain = run([*command, "--journal", str(journal)])
    assert plain.exit_code == 0, plain.output
    encrypted(journal)
    same = run([*command, "--journal", str(journal)], {ENV: SECRET})
    assert same.exit_code == 0, same.output
    assert same.output == plain.output
    before = snapshot(journal)
    missing = run([*command, "--journal", str(journal)])
    assert missing.exit_code == 2 and error_line(missing) == f"{journal} {NOT_GIVEN}"
    wrong = run([*command, "--journal", str(journal)], {ENV: SECRET + "!"})
    assert wrong.exit_code == 2 and error_line(wrong) == (
        f"{journal}: wrong passphrase (from AUDIO_COMPANION_PASSPHRASE); "
        "the journal was not changed"
    )
    assert snapshot(journal) == before


def test_import_into_an_encrypted_journal(journal: Path, tmp_path: Path) -> None:
    exported = tmp_path / "export.json"
    run(["journal", "export", "--format", "json", "-o", str(exported), "--journal", str(journal)])
    target = encrypted(tmp_path / "other" / "journal.sqlite3")
    before = snapshot(target)
    wrong = run(["journal", "import", str(exported), "--journal", str(target)], {ENV: "nope"})
    assert wrong.exit_code == 2 and "wrong passphrase" in error_line(wrong)
    assert snapshot(target) == before
    result = run(["journal", "import", str(exported), "--journal", str(target)], {ENV: SECRET})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("3 sessions imported, 0 already present")
    assert b"lighthouse" not in target.read_bytes()
    with Journal.open(target, KEY) as j:
        assert len(j.sessions()) == 3


def typed_checkin(journal: Path, env: Mapping[str, str], *extra: str) -> Result:
    args = ["checkin", "--text", "--mute", "--journal", str(journal), "--night", NIGHT, *extra]
    return run(args, env, input="\n".join(ANSWERS) + "\n")


def test_a_checkin_writes_into_the_encrypted_journal(journal: Path, tmp_path: Path) -> None:
    encrypted(journal)
    file = secret_file(tmp_path)
    result = typed_checkin(journal, {FILE_ENV: str(file)})
    assert result.exit_code == 0, result.output
    data = journal.read_bytes()
    assert all(answer.encode() not in data for answer in ANSWERS)
    with Journal.open(journal, KEY) as j:
        newest = j.session(max(s.id for s in j.sessions()))
    assert [a.transcript for a in newest.answers][:2] == ANSWERS[:2]


def test_a_checkin_without_the_passphrase_stops_before_asking(journal: Path) -> None:
    encrypted(journal)
    before = snapshot(journal)
    result = typed_checkin(journal, {})
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"Error: {journal} {NOT_GIVEN}"]  # nothing asked
    wrong = typed_checkin(journal, {ENV: "not it"})
    assert wrong.exit_code == 2 and "wrong passphrase (from AUDIO_COMPANION_PASSPHRASE)" in (
        error_line(wrong)
    )
    assert snapshot(journal) == before


def test_a_reminders_checkin_uses_the_passphrase_file(journal: Path, tmp_path: Path) -> None:
    encrypted(journal)
    file = secret_file(tmp_path)
    args = ["remind", "fire", "--id", "1", "--partners", "Sam,Alex", "--text", "--mute"]
    env = {"AUDIO_COMPANION_JOURNAL": str(journal), FILE_ENV: str(file)}
    result = run(args, env, input="yes\nI feel fine\nstop\n")
    assert result.exit_code == 0, result.output
    with Journal.open(journal, KEY) as j:
        newest = j.session(max(s.id for s in j.sessions()))
    assert newest.partners == ("Sam", "Alex") and newest.end_reason == "stop_word"
    missing = run(args, {"AUDIO_COMPANION_JOURNAL": str(journal)}, input="yes\nfine\nstop\n")
    assert missing.exit_code == 2 and error_line(missing) == f"{journal} {NOT_GIVEN}"


def test_a_reminder_without_a_working_passphrase_fails_before_the_chime(
    journal: Path, tmp_path: Path
) -> None:
    encrypted(journal)
    before = snapshot(journal)
    args = ["remind", "fire", "--id", "1", "--text", "--mute"]
    missing = run(args, {"AUDIO_COMPANION_JOURNAL": str(journal)}, input="yes\n")
    assert missing.exit_code == 2 and error_line(missing) == f"{journal} {NOT_GIVEN}"
    assert "asking about tonight" not in missing.output  # nobody was asked "Ready?"
    wrong = run(args, {"AUDIO_COMPANION_JOURNAL": str(journal), ENV: "not it"}, input="yes\n")
    assert wrong.exit_code == 2 and "wrong passphrase" in error_line(wrong)
    assert "asking about tonight" not in wrong.output
    assert snapshot(journal) == before


# -- the hidden prompt, on a real terminal -------------------------------------------------


class Terminal:
    """A command on a pseudo-terminal of its own; every read has a deadline."""

    def __init__(self, argv: list[str], env: Mapping[str, str]) -> None:
        master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=dict(env), start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.seen = b""

    def until(self, text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {text!r} in time; the terminal shows {self.seen!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            chunk = b""
            if ready:
                with contextlib.suppress(OSError):  # EIO once the command has ended
                    chunk = os.read(self.master, 4096)
                if not chunk:
                    raise AssertionError(f"ended before {text!r}; the terminal shows {self.seen!r}")
            self.seen += chunk

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\r")

    def finish(self, timeout: float = 60.0) -> int:
        """Read to the end of what the command writes, then its exit code."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if not ready:
                if self.proc.poll() is not None:
                    break
                continue
            chunk = b""
            with contextlib.suppress(OSError):  # EIO once the command has closed the terminal
                chunk = os.read(self.master, 4096)
            if not chunk:
                break
            self.seen += chunk
        else:
            raise AssertionError(f"still running after {timeout} s; it shows {self.seen!r}")
        return self.proc.wait(timeout=10)

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        os.close(self.master)


@contextlib.contextmanager
def terminal(*args: str) -> Iterator[Terminal]:
    exe = Path(sys.executable).with_name("audio-companion")
    env = {k: v for k, v in os.environ.items() if k not in (ENV, FILE_ENV)}
    t = Terminal([str(exe), *args], env)
    try:
        yield t
    finally:
        t.close()


def test_at_a_terminal_the_passphrase_is_asked_hidden_and_twice_when_new(journal: Path) -> None:
    typed = "typed at the terminal"
    with terminal("journal", "encrypt", "--journal", str(journal)) as t:
        t.until(f"New passphrase for {journal}:")
        t.type(typed)
        t.until("Repeat the new passphrase:")
        t.type(typed)
        assert t.finish() == 0, t.seen
        shown = t.seen.decode()
    assert f"Encrypted {journal} (3 sessions" in shown and "(as typed)" in shown
    assert typed not in shown  # never echoed
    with terminal("journal", "list", "--journal", str(journal)) as t:
        t.until(f"Passphrase for {journal}:")
        t.type(typed)
        assert t.finish() == 0, t.seen
        assert "Alex, Sam" in t.seen.decode() and typed not in t.seen.decode()
    with Journal.open(journal, Passphrase(typed, "typed")) as j:
        assert len(j.sessions()) == 3


def test_at_a_terminal_two_different_passphrases_change_nothing(journal: Path) -> None:
    before = snapshot(journal)
    with terminal("journal", "encrypt", "--journal", str(journal)) as t:
        t.until("New passphrase")
        t.type("one thing")
        t.until("Repeat the new passphrase:")
        t.type("another thing")
        assert t.finish() == 2, t.seen
        assert "Error: the two passphrases typed differ; nothing was changed" in t.seen.decode()
    assert snapshot(journal) == before
