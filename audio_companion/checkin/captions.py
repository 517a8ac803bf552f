"""What a spoken session shows while it runs: captions for people, events for programs.

A conversation reports what the companion said, whose turn it is and what was
heard; a `Captions` turns that into lines. `TextCaptions` prints what a person
reads along ("companion: …", "you: …"); `JsonCaptions` prints one JSON object a
line, so a program driving the companion (a front end, a test, a script)
reacts to *events* — "it is listening now, for a number" — and never to the
punctuation of one night's wording.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from audio_companion.voice.intents import Intent
from audio_companion.voice.loop import Heard

Expect = Literal["answer", "number", "yes_no", "resume"]


@dataclass(frozen=True)
class Turn:
    """The session is about to listen: for which step, whom, and what it expects."""

    step: str
    kind: str  # the step's kind ("mood", "gratitude", …), or "pause"
    partner: str | None
    expect: Expect


class Captions(Protocol):
    def said(self, text: str) -> None: ...

    def turn(self, turn: Turn) -> None: ...

    def heard(self, heard: Heard) -> None: ...

    def note(self, text: str) -> None: ...

    def ended(self, reason: str, answers: int, journal: str, session: int) -> None: ...


class TextCaptions:
    """Lines a person reads along with. `echo` repeats what was heard (off for typed
    answers: the person can see what they typed)."""

    def __init__(self, write: Callable[[str], None], *, echo: bool = True) -> None:
        self.write = write
        self.echo = echo

    def said(self, text: str) -> None:
        self.write(f"companion: {text}")

    def turn(self, turn: Turn) -> None:
        """Nothing to show: the question itself was just said."""

    def heard(self, heard: Heard) -> None:
        if not self.echo:
            return
        if heard.kind == "speech":
            self.write(f"you: {heard.text}")
        elif heard.kind == "timeout":
            self.write("(silence)")

    def note(self, text: str) -> None:
        self.write(text)

    def ended(self, reason: str, answers: int, journal: str, session: int) -> None:
        self.write(
            f"Check-in {reason.replace('_', ' ')}: {answers} answers "
            f"kept in {journal} (session {session})."
        )


class JsonCaptions:
    """One JSON object a line (JSON Lines), each with an ``event`` key:

    - ``say``: ``text`` — the companion said this;
    - ``listen``: ``step``, ``kind``, ``partner``, ``expect`` (answer, number,
      yes_no, resume) — it is listening now;
    - ``heard``: ``text``, ``intent``, ``value`` — what it understood, or
      ``silence`` when nothing was said in time;
    - ``note``: ``text`` — anything else a person would have been shown;
    - ``end``: ``reason``, ``answers``, ``journal``, ``session``.
    """

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write

    def _emit(self, event: str, **fields: Any) -> None:
        self.write(json.dumps({"event": event, **fields}, ensure_ascii=False))

    def said(self, text: str) -> None:
        self._emit("say", text=text)

    def turn(self, turn: Turn) -> None:
        self._emit(
            "listen", step=turn.step, kind=turn.kind, partner=turn.partner, expect=turn.expect
        )

    def heard(self, heard: Heard) -> None:
        if heard.kind == "speech":
            intent = heard.command.intent
            self._emit(
                "heard",
                text=heard.text,
                intent=None if intent is Intent.NONE else intent.value,
                value=heard.command.value,
            )
        elif heard.kind == "timeout":
            self._emit("silence")

    def note(self, text: str) -> None:
        self._emit("note", text=text)

    def ended(self, reason: str, answers: int, journal: str, session: int) -> None:
        self._emit("end", reason=reason, answers=answers, journal=journal, session=session)
