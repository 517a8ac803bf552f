"""Where an encrypted journal's passphrase comes from, in a fixed order.

1. ``AUDIO_COMPANION_PASSPHRASE``: the passphrase itself, for a session that set it.
2. ``AUDIO_COMPANION_PASSPHRASE_FILE``: a file holding it, for what runs unattended (a
   reminder's check-in started by systemd or cron has no terminal to ask at). The file must be
   the user's own and readable by nobody else, or anyone who can read it can read the diary;
   a looser file is refused with the ``chmod 600`` that fixes it, never used "just this once".
3. A hidden prompt, only when standard input is a terminal: a check-in fed its answers through a
   pipe must not have its first answer taken for the passphrase.

Nothing here knows click: the CLI hands in the prompt. A passphrase is never logged or shown;
`Passphrase` keeps its secret out of its repr so that a traceback cannot print it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from audio_companion.errors import JournalError

ENV = "AUDIO_COMPANION_PASSPHRASE"
FILE_ENV = "AUDIO_COMPANION_PASSPHRASE_FILE"
MAX_FILE_BYTES = 64 * 1024  # a passphrase file is one line; a bigger one is the wrong file

HOW = (
    f"set {ENV}, or {FILE_ENV} to a file holding it (chmod 600), "
    "or run this at a terminal to type it"
)

Prompt = Callable[[str], str]
"""Asks with a label and returns what was typed, without echoing it."""


class PassphraseError(JournalError):
    """No passphrase, an unusable passphrase file, or one that does not open the journal.

    A JournalError (exit 2), so the CLI reports it in one line; its own class so that callers
    can tell "the key is missing or wrong" from "the journal is damaged".
    """


@dataclass(frozen=True)
class Passphrase:
    """A passphrase and where it came from (named in errors, so the person knows which to fix)."""

    secret: str = field(repr=False)
    source: str  # "AUDIO_COMPANION_PASSPHRASE", a file's path, or "typed"

    def __post_init__(self) -> None:
        if not self.secret:
            raise PassphraseError(f"the passphrase ({self.describe()}) is empty; give one")

    def describe(self) -> str:
        """ "from AUDIO_COMPANION_PASSPHRASE", "from /home/sam/.journal-pass", "as typed"."""
        return "as typed" if self.source == "typed" else f"from {self.source}"


def read_file(path: Path, what: str = FILE_ENV) -> Passphrase:
    """The passphrase in *path*: its first line (one trailing newline dropped, nothing else).

    Refused unless it is a regular file of this user's that nobody else can read or write;
    *what* names where the path came from (an environment variable or an option).
    """
    name = f"{path} ({what})"
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise PassphraseError(f"{name}: no such file") from None
    except OSError as exc:
        raise PassphraseError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(st.st_mode):
        raise PassphraseError(f"{name} is not a file")
    if st.st_uid != os.getuid():
        raise PassphraseError(
            f"{name} belongs to another user (uid {st.st_uid}); use a file of your own, "
            f"then: chmod 600 {path}"
        )
    if stat.S_IMODE(st.st_mode) & 0o077:
        raise PassphraseError(
            f"{name} can be read or changed by others (mode {stat.S_IMODE(st.st_mode):04o}); "
            f"run: chmod 600 {path}"
        )
    if st.st_size > MAX_FILE_BYTES:
        raise PassphraseError(f"{name} is too large to be a passphrase file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PassphraseError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PassphraseError(f"{name} is not UTF-8 text") from None
    text = text.removesuffix("\n").removesuffix("\r")
    if not text:
        raise PassphraseError(f"{name} is empty; write the passphrase in it")
    return Passphrase(text, str(path))


def from_environment(environ: Mapping[str, str]) -> Passphrase | None:
    """The passphrase from the variable, else from the file the other variable names."""
    secret = environ.get(ENV, "")
    if secret:
        return Passphrase(secret, ENV)
    file = environ.get(FILE_ENV, "").strip()
    if file:
        return read_file(Path(file).expanduser())
    return None


def existing(journal: Path, environ: Mapping[str, str], prompt: Prompt | None) -> Passphrase:
    """The passphrase of the encrypted journal at *journal*: environment, file, then prompt.

    Raises PassphraseError saying how to give one when there is none.
    """
    found = from_environment(environ)
    if found is not None:
        return found
    if prompt is None:
        raise PassphraseError(f"{journal} is encrypted: {HOW}")
    return Passphrase(prompt(f"Passphrase for {journal}"), "typed")


def new(journal: Path, environ: Mapping[str, str], prompt: Prompt | None) -> Passphrase:
    """A passphrase to encrypt *journal* with: environment, file, then prompt (asked twice).

    The same sources as for opening it, so whatever is set up now opens it afterwards.
    """
    found = from_environment(environ)
    if found is not None:
        return found
    if prompt is None:
        raise PassphraseError(f"no passphrase to encrypt {journal} with: {HOW}")
    return confirmed(journal, prompt)


def replacement(journal: Path, file: Path | None, prompt: Prompt | None) -> Passphrase:
    """The passphrase that replaces *journal*'s: from *file* (an option), else typed twice.

    Never from the environment, which holds the current one.
    """
    if file is not None:
        return read_file(file.expanduser(), "--new-passphrase-file")
    if prompt is None:
        raise PassphraseError(
            "give the new passphrase in a file (chmod 600) with --new-passphrase-file FILE, "
            "or run this at a terminal to type it"
        )
    return confirmed(journal, prompt)


def confirmed(journal: Path, prompt: Prompt) -> Passphrase:
    """A new passphrase typed twice, the same both times: a typo nobody noticed would lock
    the diary for good."""
    first = Passphrase(prompt(f"New passphrase for {journal}"), "typed")
    if prompt("Repeat the new passphrase") != first.secret:
        raise PassphraseError("the two passphrases typed differ; nothing was changed")
    return first
