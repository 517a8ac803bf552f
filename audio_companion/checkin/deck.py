"""Check-in decks: the ordered steps of a spoken ritual, kept as data in TOML.

The wording is what a person hears every night, so it lives in plain files that
are easy to read, vary and replace without touching code. Anyone may put their
own deck in the user folder; a mistake there is reported as ``file:line: problem``
because it will be fixed in a text editor, not in a debugger.

A deck file (its name is the file name without ``.toml``)::

    title = "Nightly check-in"          # required
    description = "..."                 # optional
    time_box_minutes = 10               # optional, 1..120, default 10
    recall = true                       # optional: after the greeting, one kind sentence
                                        # from the journal (see checkin.recall); default false

    [[step]]                            # one table per step, in order
    id = "mood"                         # required: letters, digits, - and _; unique
    kind = "mood"                       # required: see StepKind
    prompts = ["...", "..."]            # required: wordings, one chosen per night
    softer = ["..."]                    # free/mood/gratitude/feeling: re-prompts after silence
    per_partner = true                  # free/mood/gratitude/feeling: each partner in turn
                                        # (default); false: both at once, kept as "both"
    read_back = true                    # gratitude: then read each partner's list to the
                                        # other by name (default true)
    private = true                      # free/mood/gratitude/feeling: a later night recalls
                                        # its answers only to the one who gave them, never
                                        # with a partner listening (default false)
    confirm = "I heard {value}. Is that right?"   # mood: asked when unsure; needs {value}
    count = 3                           # gratitude: answers asked one at a time (1..10, default 3)
    more = ["What else?"]               # gratitude: wordings for the second and later answers
    nudge = "..."                       # gratitude: said when fewer than count were given
    explain = "..."                     # feeling: said when the answer lacks "I feel ... when ..."
    minutes = 1                         # breathing: required, 0.5..10

    [[step]]
    include = "nightly"                 # splices in the steps of another deck, here

``include`` takes a deck name and resolves it like `load_deck` (user folder,
then bundled), skipping any deck already being included, so a user's own
``nightly.toml`` may include the bundled ``nightly`` and add to it.

A text field may be one string instead of a list; whitespace runs (from
multi-line strings) are collapsed to one space since every wording is spoken.

Placeholders, checked at load time (``{{`` and ``}}`` write literal braces):

- ``{names}``: anywhere. ", Sam and Alex" for a couple, ", Sam" for one named
  person, empty when no name is known, so "Good evening{names}." always reads
  well (see `names_phrase`).
- ``{name}``: the partner being asked; only in answer steps asked of each partner
  (not in ``per_partner = false`` steps, which address both).
- ``{value}``: the mood number heard; only in ``confirm``.
- ``{count}``, ``{remaining}``: in gratitude steps, how many answers the step
  asks for and how many are still to come (with the one being asked).
- ``{appreciations}``: the appreciations named tonight as one spoken phrase;
  only in say and close prompts, after a gratitude step.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from audio_companion import paths
from audio_companion.checkin.deck_toml import DeckFile, DeckParser
from audio_companion.checkin.steps import (
    DEFAULT_DECK,
    NAME_PATTERN,
    PLACEHOLDERS,
    Deck,
    Step,
    StepKind,
    choose_wording,
    names_phrase,
)
from audio_companion.errors import DeckError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "DEFAULT_DECK",
    "PLACEHOLDERS",
    "Deck",
    "DeckError",
    "Step",
    "StepKind",
    "choose_wording",
    "default_user_dir",
    "list_decks",
    "load_deck",
    "names_phrase",
]


# ---------------------------------------------------------------- finding


def default_user_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where a person's own decks live: $AUDIO_COMPANION_DECKS, else the XDG config folder."""
    return paths.decks_dir(environ)


def _bundled_dir() -> Traversable:
    return resources.files("audio_companion") / "data" / "decks"


def _bundled(name: str) -> DeckFile | None:
    entry = _bundled_dir() / f"{name}.toml"
    if not entry.is_file():
        return None
    return DeckFile(name, str(entry), "bundled", "bundled:" + name, entry.read_bytes)


def _user(name: str, user_dir: Path) -> DeckFile | None:
    path = user_dir / f"{name}.toml"
    if not path.is_file():
        return None
    return DeckFile(name, str(path), str(path), str(path.resolve()), path.read_bytes)


def _from_path(path: Path) -> DeckFile:
    if not path.is_file():
        problem = "is a folder, not a deck file" if path.is_dir() else "no such deck file"
        raise DeckError(f"{path}: {problem}")
    return DeckFile(path.stem, str(path), str(path), str(path.resolve()), path.read_bytes)


def _candidates(name: str, user_dir: Path) -> list[DeckFile]:
    """The files a deck name may mean, first choice first."""
    if not NAME_PATTERN.fullmatch(name):
        return []
    found = (_user(name, user_dir), _bundled(name))
    return [f for f in found if f is not None]


def _user_names(user_dir: Path) -> list[str]:
    if not user_dir.is_dir():
        return []
    return [
        p.stem for p in user_dir.glob("*.toml") if p.is_file() and NAME_PATTERN.fullmatch(p.stem)
    ]


def _bundled_names() -> list[str]:
    return [e.name[: -len(".toml")] for e in _bundled_dir().iterdir() if e.name.endswith(".toml")]


def _available(user_dir: Path) -> str:
    return ", ".join(sorted({*_user_names(user_dir), *_bundled_names()})) or "none"


def _is_path(name_or_path: str | Path) -> bool:
    if isinstance(name_or_path, Path):
        return True
    return name_or_path.endswith(".toml") or "/" in name_or_path or os.sep in name_or_path


def load_deck(name_or_path: str | Path, user_dir: Path | None = None) -> Deck:
    """Load and validate a deck: a .toml path, or a name (user folder first, then bundled)."""
    folder = default_user_dir() if user_dir is None else user_dir
    if _is_path(name_or_path):
        file = _from_path(Path(name_or_path).expanduser())
    else:
        found = _candidates(str(name_or_path), folder)
        if not found:
            raise DeckError(
                f'unknown deck "{name_or_path}"; available: {_available(folder)} '
                f"(or give the path of a .toml file; your own decks go in {folder})"
            )
        file = found[0]
    return DeckParser(file, _Shelf(folder), ()).deck()


def list_decks(user_dir: Path | None = None) -> list[tuple[str, str, str]]:
    """(name, title, where) of every deck by name; a user deck hides the bundled one.

    `where` is "bundled" or the user file's path. A deck that fails to load is
    still listed, with the error as its title, so one broken file hides nothing.
    """
    folder = default_user_dir() if user_dir is None else user_dir
    rows = []
    for name in sorted({*_user_names(folder), *_bundled_names()}):
        file = _candidates(name, folder)[0]
        try:
            title = DeckParser(file, _Shelf(folder), ()).deck().title
        except DeckError as error:
            title = f"cannot be loaded: {error}"
        rows.append((name, title, file.where))
    return rows


@dataclass(frozen=True)
class _Shelf:
    """The user folder, then the bundled decks."""

    user_dir: Path

    def candidates(self, name: str) -> list[DeckFile]:
        return _candidates(name, self.user_dir)

    def available(self) -> str:
        return _available(self.user_dir)
