"""Check-in decks: the ordered steps of a spoken ritual, kept as data in TOML.

The wording is what a person hears every night, so it lives in plain files that
are easy to read, vary and replace without touching code. Anyone may put their
own deck in the user folder; a mistake there is reported as ``file:line: problem``
because it will be fixed in a text editor, not in a debugger.

A deck file (its name is the file name without ``.toml``)::

    title = "Nightly check-in"          # required
    description = "..."                 # optional
    time_box_minutes = 10               # optional, 1..120, default 10

    [[step]]                            # one table per step, in order
    id = "mood"                         # required: letters, digits, - and _; unique
    kind = "mood"                       # required: see StepKind
    prompts = ["...", "..."]            # required: wordings, one chosen per night
    softer = ["..."]                    # free/mood/gratitude/feeling: re-prompts after silence
    per_partner = true                  # free/mood/gratitude/feeling: ask each partner
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
- ``{name}``: the partner being asked; only in ``per_partner`` steps, the only
  ones that address one partner.
- ``{value}``: the mood number heard; only in ``confirm``.
- ``{count}``, ``{remaining}``: in gratitude steps, how many answers the step
  asks for and how many are still to come (with the one being asked).
- ``{appreciations}``: the appreciations named tonight as one spoken phrase;
  only in say and close prompts, after a gratitude step.
"""

from __future__ import annotations

import hashlib
import os
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final, NoReturn

from audio_companion import paths
from audio_companion.errors import DeckError
from audio_companion.tomlfile import syntax_error_message, tomllib

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

DEFAULT_DECK: Final = "nightly"
MIN_BREATHING_MINUTES: Final = 0.5
MAX_BREATHING_MINUTES: Final = 10.0
MAX_COUNT: Final = 10
DEFAULT_GRATITUDE_COUNT: Final = 3
DEFAULT_TIME_BOX_MINUTES: Final = 10.0
MAX_TIME_BOX_MINUTES: Final = 120.0


class StepKind(Enum):
    """What a step does; the TOML ``kind`` is the lowercase value."""

    SAY = "say"  # the companion speaks; no answer
    FREE = "free"  # a free answer, journaled
    MOOD = "mood"  # a number on the mood scale (journal.mood)
    GRATITUDE = "gratitude"  # `count` appreciations, asked one at a time
    FEELING = "feeling"  # one feeling as an I-statement: "I feel ... when ..."
    CLOSE = "close"  # the warm close; may read back {appreciations}
    BREATHING = "breathing"  # `minutes` of paced breathing, run by another module

    @property
    def answered(self) -> bool:
        """Whether the step waits for an answer (and so may re-prompt and go per partner)."""
        return self in _ANSWERED


_ANSWERED: Final = frozenset({StepKind.FREE, StepKind.MOOD, StepKind.GRATITUDE, StepKind.FEELING})


@dataclass(frozen=True)
class Step:
    """One step of a deck. `line` is its ``[[step]]`` line in the file it was written in."""

    id: str
    kind: StepKind
    prompts: tuple[str, ...]
    softer: tuple[str, ...] = ()
    per_partner: bool = False
    count: int = 1
    nudge: str = ""
    explain: str = ""
    confirm: str = ""
    minutes: float = 0.0
    line: int = 0
    more: tuple[str, ...] = ()  # gratitude: wordings for answers 2..count; empty: reuse prompts


@dataclass(frozen=True)
class Deck:
    """A whole check-in. `source` is the file it was loaded from."""

    name: str
    title: str
    description: str
    time_box_s: float
    steps: tuple[Step, ...]
    source: str


PLACEHOLDERS: Final[Mapping[str, str]] = {
    "name": "the partner being asked (per_partner steps only)",
    "names": '", Sam and Alex" for a couple, ", Sam" for one, "" with no names',
    "value": "the mood number heard (confirm only)",
    "appreciations": "tonight's appreciations read back (say and close prompts only)",
    "count": "how many answers a gratitude step asks for",
    "remaining": "how many answers a gratitude step still needs",
}

# Why a known placeholder is refused where it was written.
_MISPLACED: Final[Mapping[str, str]] = {
    "name": "only per_partner steps address one partner; use {names}",
    "value": "only the confirm wording of a mood step knows the number",
    "appreciations": "only say and close prompts can read them back",
    "count": "only gratitude steps count answers",
    "remaining": "only gratitude steps count answers",
}

_COMMON_KEYS: Final = ("id", "kind", "prompts")
_KIND_KEYS: Final[Mapping[StepKind, tuple[str, ...]]] = {
    StepKind.SAY: (),
    StepKind.FREE: ("softer", "per_partner"),
    StepKind.MOOD: ("softer", "per_partner", "confirm"),
    StepKind.GRATITUDE: ("softer", "per_partner", "count", "more", "nudge"),
    StepKind.FEELING: ("softer", "per_partner", "explain"),
    StepKind.CLOSE: (),
    StepKind.BREATHING: ("minutes",),
}
_STEP_KEYS: Final = (
    *_COMMON_KEYS,
    "softer",
    "per_partner",
    "confirm",
    "count",
    "more",
    "nudge",
    "explain",
    "minutes",
    "include",
)
_TOP_KEYS: Final = ("title", "description", "time_box_minutes", "step")
_KINDS: Final = ", ".join(kind.value for kind in StepKind)
_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_NAME: Final = _ID


# --------------------------------------------------------------- wording


def choose_wording(options: tuple[str, ...], night: date, salt: str) -> str:
    """One of `options` for this night: the same all night, a different one the next.

    Rotating by the date (rather than hashing it) guarantees no wording is heard
    two nights running; `salt` (e.g. the step id) offsets the rotation so the
    steps of a deck do not all move in lockstep.
    """
    if not options:
        raise ValueError("no wordings to choose from")
    offset = int.from_bytes(hashlib.sha256(salt.encode("utf-8")).digest()[:4], "big")
    return options[(night.toordinal() + offset) % len(options)]


def names_phrase(partners: Sequence[str]) -> str:
    """The value of {names}: ", Sam and Alex", ", Sam", or "" when nobody is named."""
    names = [n.strip() for n in partners if n.strip()]
    if not names:
        return ""
    if len(names) == 1:
        return ", " + names[0]
    return ", " + ", ".join(names[:-1]) + " and " + names[-1]


# ---------------------------------------------------------------- finding


def default_user_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where a person's own decks live: $AUDIO_COMPANION_DECKS, else the XDG config folder."""
    return paths.decks_dir(environ)


@dataclass(frozen=True)
class _DeckFile:
    name: str
    shown: str  # how messages name the file
    where: str  # "bundled" or the user file's path
    key: str  # identity, for include cycles
    read: Callable[[], bytes]


def _bundled_dir() -> Traversable:
    return resources.files("audio_companion") / "data" / "decks"


def _bundled(name: str) -> _DeckFile | None:
    entry = _bundled_dir() / f"{name}.toml"
    if not entry.is_file():
        return None
    return _DeckFile(name, str(entry), "bundled", "bundled:" + name, entry.read_bytes)


def _user(name: str, user_dir: Path) -> _DeckFile | None:
    path = user_dir / f"{name}.toml"
    if not path.is_file():
        return None
    return _DeckFile(name, str(path), str(path), str(path.resolve()), path.read_bytes)


def _from_path(path: Path) -> _DeckFile:
    if not path.is_file():
        problem = "is a folder, not a deck file" if path.is_dir() else "no such deck file"
        raise DeckError(f"{path}: {problem}")
    return _DeckFile(path.stem, str(path), str(path), str(path.resolve()), path.read_bytes)


def _candidates(name: str, user_dir: Path) -> list[_DeckFile]:
    """The files a deck name may mean, first choice first."""
    if not _NAME.fullmatch(name):
        return []
    found = (_user(name, user_dir), _bundled(name))
    return [f for f in found if f is not None]


def _user_names(user_dir: Path) -> list[str]:
    if not user_dir.is_dir():
        return []
    return [p.stem for p in user_dir.glob("*.toml") if p.is_file() and _NAME.fullmatch(p.stem)]


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
    return _Parser(file, folder, ()).deck()


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
            title = _Parser(file, folder, ()).deck().title
        except DeckError as error:
            title = f"cannot be loaded: {error}"
        rows.append((name, title, file.where))
    return rows


# ---------------------------------------------------------------- locating


def _statement_lines(lines: Sequence[str]) -> list[int]:
    """Numbers (from 1) of the lines that start outside any string or array.

    Only those can hold a table header or a ``key =``; scanning strings and
    brackets keeps a "[" or "key =" inside a wording from being mistaken for one.
    """
    starts: list[int] = []
    quote = ""  # the open string's delimiter, if any
    depth = 0
    for number, line in enumerate(lines, 1):
        if not quote and depth == 0:
            starts.append(number)
        i = 0
        while i < len(line):
            if not quote:
                char = line[i]
                if char == "#":
                    break
                if line.startswith(('"""', "'''"), i):
                    quote = line[i : i + 3]
                    i += 3
                    continue
                if char in "\"'":
                    quote = char
                elif char == "[":
                    depth += 1
                elif char == "]":
                    depth = max(0, depth - 1)
                i += 1
            elif line[i] == "\\" and quote in ('"', '"""'):
                i += 2
            elif line.startswith(quote, i):
                i += len(quote)
                quote = ""
            else:
                i += 1
        if quote in ('"', "'"):
            quote = ""  # one-line strings cannot span lines
    return starts


_HEADER: Final = re.compile(r"\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")


class _Locator:
    """Maps "the Nth [[step]]" and "its key" back to line numbers in the raw text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.statements = _statement_lines(self.lines)
        self.headers: list[tuple[int, str, bool]] = []  # line, dotted name, is array table
        for number in self.statements:
            match = _HEADER.match(self.lines[number - 1])
            if match:
                name = re.sub(r"\s*\.\s*", ".", match.group(2)).replace('"', "").replace("'", "")
                self.headers.append((number, name, match.group(1) == "[["))
        self.steps = [line for line, name, array in self.headers if array and name == "step"]

    def _span(self, index: int | None) -> tuple[int, int]:
        """First and last line of the top level (index None) or of the index-th step."""
        if index is None:
            start = 1
        elif index < len(self.steps):
            start = self.steps[index]
        else:  # steps written inline (step = [{...}]): point at that key
            line = self.key(None, "step")
            return line, line
        after = [line for line, _, _ in self.headers if line > start]
        return start, (after[0] - 1 if after else len(self.lines))

    def step(self, index: int) -> int:
        return self._span(index)[0]

    def key(self, index: int | None, key: str) -> int:
        """Line of ``key =`` in the step (or top level); else of a [key] table; else the start."""
        start, end = self._span(index)
        name = re.escape(key)
        pattern = re.compile(rf"\s*(?:{name}|\"{name}\"|'{name}')\s*=")
        for number in self.statements:
            if start <= number <= end and pattern.match(self.lines[number - 1]):
                return number
        table = key if index is None else f"step.{key}"
        for number, name, _ in self.headers:
            if number >= start and name == table:
                return number
        return max(start, 1)

    def find(self, index: int | None, key: str, needle: str) -> int:
        """First line from ``key =`` to the end of its table that contains `needle`."""
        first = self.key(index, key)
        end = self._span(index)[1]
        for number in range(first, end + 1):
            if needle in self.lines[number - 1]:
                return number
        return first


# ---------------------------------------------------------------- parsing


def _show(value: object) -> str:
    """A value as it would look in TOML, for messages."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _type_name(value: object) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _syntax_error(shown: str, text: str, error: tomllib.TOMLDecodeError) -> DeckError:
    return DeckError(syntax_error_message(shown, text, error))


class _Parser:
    """Validates one deck file; every complaint names the file and the line."""

    def __init__(self, file: _DeckFile, user_dir: Path, chain: tuple[str, ...]) -> None:
        self.file = file
        self.user_dir = user_dir
        self.chain = (*chain, file.key)
        self.loc = _Locator("")

    def fail(self, line: int, problem: str) -> NoReturn:
        raise DeckError(f"{self.file.shown}:{line}: {problem}")

    def deck(self) -> Deck:
        try:
            data = self.file.read()
        except OSError as error:
            raise DeckError(f"{self.file.shown}: cannot be read: {error.strerror}") from error
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.fail(line, "not UTF-8 text; save the file as UTF-8")
        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise _syntax_error(self.file.shown, text, error) from None
        self.loc = _Locator(text)
        return self._deck(table)

    def _deck(self, table: Mapping[str, object]) -> Deck:
        for key in table:
            if key not in _TOP_KEYS:
                self.fail(
                    self.loc.key(None, key),
                    f'unknown key "{key}" (use one of: {", ".join(_TOP_KEYS)})',
                )
        title = self._text(None, "", table, "title", required=True)
        description = self._text(None, "", table, "description", required=False)
        minutes = self._number(None, "", table, "time_box_minutes", 1.0, MAX_TIME_BOX_MINUTES)
        time_box = DEFAULT_TIME_BOX_MINUTES if minutes is None else minutes
        raw_steps = table.get("step")
        if raw_steps is None:
            self.fail(1, "no steps; add a [[step]] table for each step")
        if not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
            self.fail(self.loc.key(None, "step"), "write each step as a [[step]] table")
        if not raw_steps:
            self.fail(self.loc.key(None, "step"), "no steps; add a [[step]] table for each step")

        steps: list[Step] = []
        seen: dict[str, str] = {}  # id -> where it was first written
        for index, raw in enumerate(raw_steps):
            if "include" in raw:
                added = self._include(index, raw)
                origin = f'include "{raw["include"]}"'
                line = self.loc.key(index, "include")
            else:
                added = [self._step(index, raw)]
                origin = ""
                line = self.loc.key(index, "id")
            for step in added:
                if step.id in seen:
                    by = f"{origin} brings " if origin else ""
                    self.fail(line, f'{by}step "{step.id}" again; {seen[step.id]} uses that id')
                seen[step.id] = f"line {step.line}" if not origin else f"{origin} (line {line})"
                if (
                    "appreciations" in _fields(step.prompts)
                    and not origin
                    and not any(s.kind is StepKind.GRATITUDE for s in steps)
                ):
                    self.fail(
                        self.loc.find(index, "prompts", "{appreciations"),
                        f'step "{step.id}": {{appreciations}} needs a gratitude step before it',
                    )
                steps.append(step)

        breathing = sum(s.minutes for s in steps if s.kind is StepKind.BREATHING)
        if breathing >= time_box:
            self.fail(
                self.loc.key(None, "time_box_minutes"),
                f"the breathing steps take {breathing:g} minutes, "
                f"more than time_box_minutes = {time_box:g}",
            )
        return Deck(
            name=self.file.name,
            title=title,
            description=description,
            time_box_s=time_box * 60.0,
            steps=tuple(steps),
            source=self.file.shown,
        )

    def _include(self, index: int, raw: Mapping[str, object]) -> list[Step]:
        line = self.loc.key(index, "include")
        for key in raw:
            if key != "include":
                self.fail(
                    self.loc.key(index, key),
                    f'step {index + 1}: a step with include takes no other keys, found "{key}"',
                )
        name = raw["include"]
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            self.fail(line, f"step {index + 1}: include takes a deck name, got {_show(name)}")
        found = _candidates(name, self.user_dir)
        if not found:
            self.fail(
                line, f'include "{name}": no such deck (available: {_available(self.user_dir)})'
            )
        usable = [f for f in found if f.key not in self.chain]
        if not usable:
            self.fail(line, f'include "{name}": that deck includes this one, a loop')
        return list(_Parser(usable[0], self.user_dir, self.chain).deck().steps)

    def _step(self, index: int, raw: Mapping[str, object]) -> Step:
        at = self.loc.step(index)
        ident = raw.get("id")
        if ident is None:
            self.fail(at, f'step {index + 1}: missing id (a short name, e.g. id = "mood")')
        if not isinstance(ident, str) or not _ID.fullmatch(ident):
            self.fail(
                self.loc.key(index, "id"),
                f"step {index + 1}: id must be a short name of letters, digits, - or _, "
                f"got {_show(ident)}",
            )
        label = f'step "{ident}": '
        kind_name = raw.get("kind")
        if kind_name is None:
            self.fail(at, f"{label}missing kind (use one of: {_KINDS})")
        kind = next((k for k in StepKind if k.value == kind_name), None)
        if kind is None:
            self.fail(
                self.loc.key(index, "kind"),
                f"{label}unknown kind {_show(kind_name)} (use one of: {_KINDS})",
            )
        allowed = (*_COMMON_KEYS, *_KIND_KEYS[kind])
        for key in raw:
            if key not in _STEP_KEYS:
                self.fail(
                    self.loc.key(index, key),
                    f'{label}unknown key "{key}" (use one of: {", ".join(allowed)})',
                )
            if key not in allowed:
                self.fail(
                    self.loc.key(index, key),
                    f'{label}"{key}" does not apply to a {kind.value} step '
                    f"(it takes: {', '.join(allowed)})",
                )

        per_partner = raw.get("per_partner", False)
        if not isinstance(per_partner, bool):
            self.fail(
                self.loc.key(index, "per_partner"),
                f"{label}per_partner must be true or false, got {_type_name(per_partner)}",
            )
        count = DEFAULT_GRATITUDE_COUNT if kind is StepKind.GRATITUDE else 1
        if "count" in raw:
            value = raw["count"]
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(
                    self.loc.key(index, "count"),
                    f"{label}count must be a whole number, got {_type_name(value)}",
                )
            if not 1 <= value <= MAX_COUNT:
                self.fail(
                    self.loc.key(index, "count"),
                    f"{label}count must be from 1 to {MAX_COUNT}, got {value}",
                )
            count = value
        minutes = self._number(
            index, label, raw, "minutes", MIN_BREATHING_MINUTES, MAX_BREATHING_MINUTES
        )
        if kind is StepKind.BREATHING and minutes is None:
            self.fail(at, f"{label}missing minutes (how long to breathe, e.g. minutes = 1)")

        step = Step(
            id=ident,
            kind=kind,
            prompts=self._wordings(index, label, raw, "prompts", required=True),
            softer=self._wordings(index, label, raw, "softer", required=False),
            per_partner=per_partner,
            count=count,
            nudge=self._text(index, label, raw, "nudge", required=False),
            explain=self._text(index, label, raw, "explain", required=False),
            confirm=self._text(index, label, raw, "confirm", required=False),
            minutes=minutes or 0.0,
            line=at,
            more=self._wordings(index, label, raw, "more", required=False),
        )
        self._check_placeholders(index, label, step)
        return step

    def _check_placeholders(self, index: int, label: str, step: Step) -> None:
        fields: dict[str, Iterable[str]] = {
            "prompts": step.prompts,
            "softer": step.softer,
            "more": step.more,
            "nudge": (step.nudge,),
            "explain": (step.explain,),
            "confirm": (step.confirm,),
        }
        for key, texts in fields.items():
            allowed = {"names"}
            if step.per_partner:
                allowed.add("name")
            if key == "confirm":
                allowed.add("value")
            if step.kind is StepKind.GRATITUDE:
                allowed |= {"count", "remaining"}
            if key == "prompts" and step.kind in (StepKind.SAY, StepKind.CLOSE):
                allowed.add("appreciations")
            for text in texts:
                self._check_wording(index, label, key, text, allowed)
        if step.confirm and "value" not in _fields((step.confirm,)):
            self.fail(
                self.loc.key(index, "confirm"),
                f"{label}confirm must say {{value}}, so the number heard is read back",
            )

    def _check_wording(
        self, index: int, label: str, key: str, text: str, allowed: set[str]
    ) -> None:
        try:
            parts = list(string.Formatter().parse(text))
        except ValueError:
            self.fail(
                self.loc.key(index, key),
                f"{label}a lone {{ or }} in {key}; write {{{{ or }}}} for a literal brace",
            )
        for _, field, spec, conversion in parts:
            if field is None:
                continue
            line = self.loc.find(index, key, "{" + field)
            if field not in PLACEHOLDERS:
                known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                self.fail(line, f"{label}unknown placeholder {{{field}}} in {key} (use: {known})")
            if spec or conversion:
                self.fail(line, f"{label}write {{{field}}} in {key} without a format")
            if field not in allowed:
                self.fail(line, f"{label}{{{field}}} cannot be used in {key}: {_MISPLACED[field]}")

    def _wordings(
        self, index: int, label: str, raw: Mapping[str, object], key: str, *, required: bool
    ) -> tuple[str, ...]:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail(
                    self.loc.step(index),
                    f'{label}missing {key} (at least one wording, e.g. {key} = ["..."])',
                )
            return ()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            self.fail(
                self.loc.key(index, key),
                f'{label}{key} must be a list of texts, e.g. {key} = ["..."], '
                f"got {_type_name(value)}",
            )
        wordings = tuple(" ".join(v.split()) for v in items)
        if required and not wordings:
            self.fail(self.loc.key(index, key), f"{label}{key} is empty; give one wording")
        if "" in wordings:
            self.fail(self.loc.key(index, key), f"{label}{key} has an empty wording")
        return wordings

    def _text(
        self,
        index: int | None,
        label: str,
        raw: Mapping[str, object],
        key: str,
        *,
        required: bool,
    ) -> str:
        value = raw.get(key)
        if value is None:
            if required:
                line = 1 if index is None else self.loc.step(index)
                self.fail(line, f'{label}missing {key} (e.g. {key} = "...")')
            return ""
        if not isinstance(value, str):
            self.fail(
                self.loc.key(index, key),
                f"{label}{key} must be text in quotes, got {_type_name(value)}",
            )
        text = " ".join(value.split())
        if not text:
            self.fail(self.loc.key(index, key), f"{label}{key} is empty")
        return text

    def _number(
        self,
        index: int | None,
        label: str,
        raw: Mapping[str, object],
        key: str,
        low: float,
        high: float,
    ) -> float | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(
                self.loc.key(index, key), f"{label}{key} must be a number, got {_type_name(value)}"
            )
        if not low <= value <= high:
            self.fail(
                self.loc.key(index, key),
                f"{label}{key} must be from {low:g} to {high:g}, got {value:g}",
            )
        return float(value)


def _fields(texts: Iterable[str]) -> set[str]:
    """Placeholder names used in validated wordings."""
    return {field for text in texts for _, field, _, _ in string.Formatter().parse(text) if field}
