"""A person who talks to the companion's check-in, and a stopwatch on the replies.

The companion runs as its own process on the PulseAudio rig with the English
whisper engine and prints its events (`--format jsonl`). The simulated person
(Piper's joe voice, not the companion's) answers whenever the companion
listens, with what a person would say to *that* question: if the companion
asks again or checks a number it heard, the person answers that, so a
recognition slip is recovered by the product, never by retrying the test.

Besides answering, the person steers the way people do: "repeat" at the first
question, "pause" … "resume" at the mood, a hedged mood ("three or four", so
the companion checks what it heard), and "skip" when offered to try the
I-statement again. Each turn is timed from the outside: the end of the
person's voice in the microphone recording to the first sound of the
companion's reply in the speaker recording (`reply_latencies`).

Shared by tests/e2e/test_checkin_hands_free.py and scripts/bench_reply.py.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from child import Child
from rig import PulseRig, Recording

from audio_companion.voice.duplex import normalize_words

NIGHT = "2026-11-29"
NETGUARD = Path(__file__).resolve().parents[1] / "netguard"


@dataclass(frozen=True)
class Said:
    """One answer: the words spoken, and the words a listener must find kept."""

    text: str
    key: tuple[str, ...]


# Ordinary evening answers, not picked for being easy to recognise.
FEELING = Said("Honestly, a bit tired, but okay.", ("tired", "okay"))
APPRECIATIONS = [
    Said("My sister called to say hello.", ("sister", "called", "hello")),
    Said("The soup you made for dinner.", ("soup", "made", "dinner")),
    Said("A quiet walk after work.", ("quiet", "walk", "work")),
]
I_FEEL = Said("I feel relieved when we talk things through.", ("relieved", "talk", "through"))
# Without "when": the companion explains the form and offers another try, which the person skips.
I_FEEL_SHORT = Said("I feel relieved.", ("relieved",))
# "Let's skip it." rather than a bare "Skip.": the offer to try again is listened to in
# answer mode (a new try may come), where whisper heard a bare "Skip." as "Yep." once.
SKIP = "Let's skip it."
COMMANDS = ("Repeat.", "Pause.", "Resume.", SKIP, "Stop.")


# What the companion hears each steering move as, when it understands it.
MOVE_INTENTS = {"repeat": "repeat", "pause": "pause", "hedge": "number", "skip": "skip"}


@dataclass
class Person:
    """What the person says to each question; remembers where in the deck they are.

    `steer` makes them use the spoken commands once each (see the module doc);
    without it they only answer.
    """

    steer: bool = False
    appreciations: list[Said] = field(default_factory=lambda: list(APPRECIATIONS))
    given: dict[str, list[Said]] = field(default_factory=dict)
    last_said_by_companion: str = ""
    done: set[str] = field(default_factory=set)  # the steering moves made so far

    trying: str | None = None  # the steering move just made, until the companion answers

    def _once(self, move: str) -> bool:
        """Make `move` until the companion has understood it once: a person whose
        command went unheard says it again when asked again."""
        if not self.steer or move in self.done:
            return False
        self.trying = move
        return True

    def reply(self, listen: dict[str, Any]) -> str:
        step, expect = listen["step"], listen["expect"]
        if expect == "resume":
            return "Resume."
        if step == "checkin" and self._once("repeat"):
            return "Repeat."
        if expect == "number":
            if self._once("pause"):
                return "Pause."
            if self._once("hedge"):
                return "Three or four."
            return "Four."
        if expect == "yes_no":
            if step == "mood":  # "I heard N. Is that right?"
                heard = normalize_words(self.last_said_by_companion)
                return "Yes." if "4" in heard or "four" in heard else "No."
            if self._once("skip"):
                return SKIP
            return "No, thanks."
        if step == "appreciations":
            return self.appreciations[0].text
        if step == "checkin":
            return FEELING.text
        return (I_FEEL_SHORT if self.steer else I_FEEL).text

    def heard(self, step: str, intent: str | None) -> None:
        """The companion understood something: a steering move is done when it was
        understood as meant; after an answer, the next appreciation is a new one."""
        if self.trying is not None and intent == MOVE_INTENTS[self.trying]:
            self.done.add(self.trying)
        self.trying = None
        if intent is None and step == "appreciations" and self.appreciations:
            self.given.setdefault(step, []).append(self.appreciations.pop(0))


@dataclass
class Reply:
    """One turn: what the person said to which question, and when their voice ended."""

    expect: str
    said: str
    ended: float  # monotonic, when the rig finished playing it (refined from the mic)

    @property
    def kind(self) -> str:
        """'command' for a spoken command, else what the companion expected."""
        return "command" if self.said in COMMANDS else self.expect


class Checkin:
    """`audio-companion checkin` in its own process, talked to by a Person."""

    def __init__(self, rig: PulseRig, journal: Path, netlog: Path, *args: str) -> None:
        exe = Path(sys.executable).with_name("audio-companion")
        env = {
            **rig.env,
            "XDG_CACHE_HOME": str(rig.dir / "cache"),
            "PYTHONPATH": str(NETGUARD),
            "NETGUARD_LOG": str(netlog),
            "PYTHONUNBUFFERED": "1",
        }
        argv = [exe, "checkin", "--engine", "whisper", "--format", "jsonl", "--night", NIGHT]
        self.child = Child([*argv, "--journal", journal, *args], env=env)
        self.events: list[dict[str, Any]] = []
        self.replies: list[Reply] = []

    def __enter__(self) -> Checkin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.child.__exit__(*exc)

    def converse(
        self,
        rig: PulseRig,
        person: Person,
        until: Callable[[Person, dict[str, Any]], bool] = lambda p, e: False,
    ) -> dict[str, Any] | None:
        """Answer each question as it is asked, until the end event (returned) or until
        `until(person, listen_event)` holds at a question (that event is returned,
        unanswered)."""
        current_step = ""
        while True:
            event = self.child.next_event(timeout=90)
            if event is None:
                return None
            self.events.append(event)
            kind = event["event"]
            if kind == "say":
                person.last_said_by_companion = str(event["text"])
            elif kind == "heard":
                person.heard(current_step, event["intent"])
            elif kind == "end":
                return event
            elif kind == "listen":
                if until(person, event):
                    return event
                current_step = str(event["step"])
                time.sleep(0.4)  # a person lets the question settle before answering
                said = person.reply(event)
                rig.say_into_mic(said)
                self.replies.append(Reply(str(event["expect"]), said, time.monotonic()))

    def log(self) -> str:
        return "\n".join(self.child.lines)


def reply_latencies(
    replies: list[Reply], mic: Recording, room: Recording, stamped: list[tuple[float, str]]
) -> list[dict[str, Any]]:
    """Per turn: the end of the person's voice (mic recording) to the companion's next sound.

    Both recordings run on this machine's monotonic clock (each refined from
    its own arrival times, to within parec's ~10-20 ms), so the figure is what
    a person in the room would time: the quiet between their last word and
    the companion's first. `stamped` (the companion's output lines with their
    arrival times) splits it: `understood_s` until the companion printed what
    it heard (end of speech detected, recognised), `spoken_s` from then to the
    sound (choosing, rendering and starting the next prompt).
    """
    out = []
    for reply in replies:
        ended = mic.sound_before(reply.ended + 0.3) or reply.ended
        onset = room.first_sound_after(ended)
        understood = next(
            (t for t, line in stamped if t > ended and '"event": "heard"' in line), None
        )
        out.append(
            {
                "kind": reply.kind,
                "said": reply.said,
                "voice_ended": ended,
                "reply_started": onset,
                "gap_s": None if onset is None else round(onset - ended, 3),
                "understood_s": None if understood is None else round(understood - ended, 3),
                "spoken_s": None
                if onset is None or understood is None
                else round(onset - understood, 3),
            }
        )
    return out


def summary(turns: list[dict[str, Any]]) -> dict[str, Any]:
    """Median and max gap, over all turns and per kind of turn."""

    def figures(gaps: list[float]) -> dict[str, Any]:
        return {"turns": len(gaps), "median_s": statistics.median(gaps), "max_s": max(gaps)}

    gaps = [t["gap_s"] for t in turns if t["gap_s"] is not None]
    out: dict[str, Any] = {"all": figures(gaps) if gaps else {"turns": 0}}
    for part in ("understood_s", "spoken_s"):
        some = [t[part] for t in turns if t[part] is not None]
        if some:
            out[part.removesuffix("_s")] = figures(some)
    for kind in sorted({t["kind"] for t in turns}):
        some = [t["gap_s"] for t in turns if t["kind"] == kind and t["gap_s"] is not None]
        if some:
            out[kind] = figures(some)
    return out


def describe(figures: dict[str, Any], turns: list[dict[str, Any]]) -> str:
    """The figures as lines a person reads."""
    lines = []
    for kind, f in figures.items():
        if f["turns"]:
            what = "person stops -> next prompt" if kind not in ("understood", "spoken") else kind
            lines.append(
                f"  {what}, {kind}: median {f['median_s']:.2f} s, max {f['max_s']:.2f} s "
                f"({f['turns']} turns)"
            )
    lines.append("  per turn: " + ", ".join(f"{t['said'][:14]!r} {t['gap_s']}" for t in turns))
    return "\n".join(lines)


def kept_words(transcript: str, said: Said) -> bool:
    """A listener's judgement: most of the answer's key words are in what was kept."""
    words = set(normalize_words(transcript))
    return sum(k in words for k in said.key) * 2 >= len(said.key)
