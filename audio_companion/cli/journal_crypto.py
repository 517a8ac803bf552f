"""`journal encrypt`, `journal decrypt`, `journal passphrase`: the journal sealed at rest.

Also the passphrase plumbing of every command that opens the journal (`passphrase_for`): the
journal's kind is read from its first bytes, and only an encrypted one needs a passphrase,
from ``AUDIO_COMPANION_PASSPHRASE``, the file ``AUDIO_COMPANION_PASSPHRASE_FILE`` names, or a
hidden prompt at a terminal. A command asks at most once, even when it opens the journal twice
(a check-in reads tonight's recall, then writes), or runs another command (`remind fire`).
Prompts go to standard error, so a check-in's JSON events on standard output stay clean.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audio_companion.cli.journal import journal, journal_option

if TYPE_CHECKING:
    from audio_companion.journal.passphrase import Passphrase, Prompt
    from audio_companion.journal.rekey import Contents
    from audio_companion.journal.sealed import Kind

_ASKED = "audio_companion.passphrases"  # click's ctx.meta: shared with invoked commands


def terminal_prompt() -> Prompt | None:
    """A hidden prompt on the terminal, or None when standard input is not one (a pipe's first
    line is a check-in's answer, not a passphrase; a scheduler has nobody to ask)."""
    if not sys.stdin.isatty():
        return None

    def ask(label: str) -> str:
        typed: str = click.prompt(label, hide_input=True, default="", show_default=False, err=True)
        return typed

    return ask


def passphrase_for(path: Path) -> Passphrase | None:
    """The passphrase the journal at *path* needs: None when it is plain or not there yet.

    Raises PassphraseError (one line, saying how to give it) when it is encrypted and no
    source has one. Asked once per command line, however often it is opened.
    """
    from audio_companion.journal import passphrase, sealed

    path = path.expanduser()
    if sealed.kind_at(path) is not sealed.Kind.SEALED:
        return None
    ctx = click.get_current_context(silent=True)
    asked: dict[Path, Passphrase] = ctx.meta.setdefault(_ASKED, {}) if ctx is not None else {}
    if path not in asked:
        asked[path] = passphrase.existing(path, os.environ, terminal_prompt())
    return asked[path]


def _path(journal_path: Path | None) -> Path:
    from audio_companion.journal.store import default_journal_path

    return (journal_path if journal_path is not None else default_journal_path()).expanduser()


def _counted(contents: Contents) -> str:
    def n(count: int, what: str) -> str:
        return f"{count} {what}{'' if count == 1 else 's'}"

    return ", ".join(
        [
            n(contents.sessions, "session"),
            n(contents.answers, "answer"),
            n(contents.recordings, "recording"),
        ]
    )


def _kind(path: Path) -> Kind:
    """The journal's kind, told before any passphrase is asked for (so none is asked in vain)."""
    from audio_companion.errors import JournalError
    from audio_companion.journal import sealed

    kind = sealed.kind_at(path)
    if kind is None:
        raise JournalError(f"no journal at {path}")
    return kind


@journal.command("encrypt")
@journal_option
def journal_encrypt(journal_path: Path | None) -> None:
    """Encrypt the journal with a passphrase: every answer, recording, time and mood in it.

    The passphrase is AUDIO_COMPANION_PASSPHRASE, else the one in the file named by
    AUDIO_COMPANION_PASSPHRASE_FILE (chmod 600), else typed twice at the terminal. Every
    command then needs it, found the same way. Without it the journal cannot be read: keep it
    somewhere safe. Where there is no journal yet, an empty encrypted one is made.
    """
    from audio_companion.errors import JournalError
    from audio_companion.journal import passphrase, rekey, sealed

    path = _path(journal_path)
    if sealed.kind_at(path) is sealed.Kind.SEALED:
        raise JournalError(
            f"{path} is already encrypted; to change its passphrase: "
            "audio-companion journal passphrase"
        )
    new = passphrase.new(path, os.environ, terminal_prompt())
    contents = rekey.encrypt(path, new)
    click.echo(f"Encrypted {path} ({_counted(contents)}).")
    click.echo(f"Every command now needs its passphrase ({new.describe()}).")


@journal.command("decrypt")
@journal_option
def journal_decrypt(journal_path: Path | None) -> None:
    """Decrypt the journal back into a plain SQLite file (still readable by you alone).

    Its passphrase is found as for any command: AUDIO_COMPANION_PASSPHRASE, the file named by
    AUDIO_COMPANION_PASSPHRASE_FILE, or typed at the terminal.
    """
    from audio_companion.errors import JournalError
    from audio_companion.journal import rekey, sealed

    path = _path(journal_path)
    if _kind(path) is not sealed.Kind.SEALED:
        raise JournalError(f"{path} is not encrypted; there is nothing to decrypt")
    old = passphrase_for(path)
    assert old is not None  # an encrypted journal always gets one, or an error
    contents = rekey.decrypt(path, old)
    click.echo(f"Decrypted {path} ({_counted(contents)}); no passphrase is needed any more.")


@journal.command("passphrase")
@click.option(
    "--new-passphrase-file",
    "new_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read the new passphrase from this file (yours, chmod 600) instead of typing it twice.",
)
@journal_option
def journal_passphrase(new_file: Path | None, journal_path: Path | None) -> None:
    """Change the encrypted journal's passphrase.

    The current one is found as for any command (AUDIO_COMPANION_PASSPHRASE, the file named by
    AUDIO_COMPANION_PASSPHRASE_FILE, or typed); the new one comes from --new-passphrase-file
    or is typed twice at the terminal. The journal is rewritten under a new key.
    """
    from audio_companion.errors import JournalError
    from audio_companion.journal import passphrase, rekey, sealed
    from audio_companion.journal.store import Journal

    path = _path(journal_path)
    if _kind(path) is not sealed.Kind.SEALED:
        raise JournalError(
            f"{path} is not encrypted; encrypt it with: audio-companion journal encrypt"
        )
    old = passphrase_for(path)
    assert old is not None
    Journal.open(path, old).close()  # a wrong current one is said before a new one is asked
    new = passphrase.replacement(path, new_file, terminal_prompt())
    contents = rekey.change(path, old, new)
    click.echo(f"Changed the passphrase of {path} ({_counted(contents)}).")
    if old.source == passphrase.ENV:
        click.echo(f"{passphrase.ENV} still holds the old one: set it to the new one.")
    elif old.source != "typed":
        click.echo(f"{old.source} still holds the old one: put the new one in it.")
