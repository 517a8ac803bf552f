"""Validating a deck file: TOML fields, kinds, numbers and placeholders, line by line.

A deck is written by hand in a text editor, so every complaint is reported as
``file:line: problem``: the locator finds the line of a step, a key or a word
inside a wording, and the parser checks each field against what its step's
kind allows. The format itself is described in `deck`.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final, NoReturn, Protocol

from audio_companion.checkin.deck_lines import Locator
from audio_companion.checkin.steps import (
    DEFAULT_GRATITUDE_COUNT,
    DEFAULT_TIME_BOX_MINUTES,
    MAX_BREATHING_MINUTES,
    MAX_COUNT,
    MAX_TIME_BOX_MINUTES,
    MIN_BREATHING_MINUTES,
    NAME_PATTERN,
    PLACEHOLDERS,
    Deck,
    Step,
    StepKind,
)
from audio_companion.errors import DeckError
from audio_companion.tomlfile import syntax_error_message, tomllib


@dataclass(frozen=True)
class DeckFile:
    """A deck file, bundled or the user's, as the parser reads it."""

    name: str
    shown: str  # how messages name the file
    where: str  # "bundled" or the user file's path
    key: str  # identity, for include cycles
    read: Callable[[], bytes]


class DeckShelf(Protocol):
    """Where an ``include`` finds the decks it names."""

    def candidates(self, name: str) -> list[DeckFile]:
        """The files a deck name may mean, first choice first."""
        ...

    def available(self) -> str:
        """The deck names there are, for a message."""
        ...


# Why a known placeholder is refused where it was written.
_MISPLACED: Final[Mapping[str, str]] = {
    "name": "only a step asked of each partner in turn addresses one; use {names}",
    "value": "only the confirm wording of a mood step knows the number",
    "appreciations": "only say and close prompts can read them back",
    "count": "only gratitude steps count answers",
    "remaining": "only gratitude steps count answers",
}

_COMMON_KEYS: Final = ("id", "kind", "prompts")
_ANSWER_KEYS: Final = ("softer", "per_partner", "private")  # every step that waits for answers
_KIND_KEYS: Final[Mapping[StepKind, tuple[str, ...]]] = {
    StepKind.SAY: (),
    StepKind.FREE: _ANSWER_KEYS,
    StepKind.MOOD: (*_ANSWER_KEYS, "confirm"),
    StepKind.GRATITUDE: (*_ANSWER_KEYS, "count", "more", "nudge", "read_back"),
    StepKind.FEELING: (*_ANSWER_KEYS, "explain"),
    StepKind.CLOSE: (),
    StepKind.BREATHING: ("minutes",),
}
_STEP_KEYS: Final = frozenset(
    {*_COMMON_KEYS, "include", *(key for keys in _KIND_KEYS.values() for key in keys)}
)
_TOP_KEYS: Final = ("title", "description", "time_box_minutes", "recall", "step")
_KINDS: Final = ", ".join(kind.value for kind in StepKind)


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


class DeckParser:
    """Validates one deck file; every complaint names the file and the line."""

    def __init__(self, file: DeckFile, shelf: DeckShelf, chain: tuple[str, ...]) -> None:
        self.file = file
        self.shelf = shelf
        self.chain = (*chain, file.key)
        self.loc = Locator("")

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
        self.loc = Locator(text)
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
        recall = self._flag(None, "", table, "recall", default=False)
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
            recall=recall,
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
        if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
            self.fail(line, f"step {index + 1}: include takes a deck name, got {_show(name)}")
        found = self.shelf.candidates(name)
        if not found:
            self.fail(line, f'include "{name}": no such deck (available: {self.shelf.available()})')
        usable = [f for f in found if f.key not in self.chain]
        if not usable:
            self.fail(line, f'include "{name}": that deck includes this one, a loop')
        return list(DeckParser(usable[0], self.shelf, self.chain).deck().steps)

    def _step(self, index: int, raw: Mapping[str, object]) -> Step:
        at = self.loc.step(index)
        ident = raw.get("id")
        if ident is None:
            self.fail(at, f'step {index + 1}: missing id (a short name, e.g. id = "mood")')
        if not isinstance(ident, str) or not NAME_PATTERN.fullmatch(ident):
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

        per_partner = self._flag(index, label, raw, "per_partner")
        read_back = self._flag(index, label, raw, "read_back")
        private = self._flag(index, label, raw, "private", default=False)
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
            read_back=read_back,
            private=private,
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

    def _flag(
        self,
        index: int | None,
        label: str,
        raw: Mapping[str, object],
        key: str,
        default: bool = True,
    ) -> bool:
        """A true/false key of a step (or, index None, of the deck); `default` when absent."""
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.fail(
                self.loc.key(index, key),
                f"{label}{key} must be true or false, got {_type_name(value)}",
            )
        return value

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
            if step.per_partner and step.kind.answered:
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
