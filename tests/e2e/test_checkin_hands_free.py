"""A whole nightly check-in through real audio devices, answered and steered as a person would.

The person (tests/e2e/hands_free.py) answers each question in Piper's joe
voice and uses the spoken commands once each: "repeat" at the first
question, "pause" and "resume" at the mood, a hedged mood that the companion
checks back, and "skip" when offered a second try at the I-statement; the
second test says the stop word mid-answer. Each command is judged by its
effect in the companion's events, the journal as a person would judge it,
and every reply is timed from the outside (the end of the person's voice in
the microphone to the companion's next sound on the speaker): the figures are
printed and written to reply_latency.json, never asserted.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hands_free import (
    APPRECIATIONS,
    FEELING,
    I_FEEL_SHORT,
    Checkin,
    Person,
    describe,
    kept_words,
    reply_latencies,
    summary,
)
from rig import PulseRig

from audio_companion.checkin.wording import LINES
from audio_companion.journal.store import Journal

pytest.importorskip("faster_whisper")
pytest.importorskip("sounddevice")

pytestmark = pytest.mark.timeout(360)


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    return tmp_path / "journal" / "journal.sqlite3"


def opening_question(events: list[dict[str, Any]], step: str) -> str:
    """What the companion said just before it first listened at `step`."""
    at = next(i for i, e in enumerate(events) if e["event"] == "listen" and e["step"] == step)
    return [e["text"] for e in events[:at] if e["event"] == "say"][-1]


def after(events: list[dict[str, Any]], intent: str) -> tuple[list[dict[str, Any]], str]:
    """The events after the companion heard `intent`, and the last thing it said before."""
    at = next(
        (i for i, e in enumerate(events) if e["event"] == "heard" and e["intent"] == intent), None
    )
    assert at is not None, (
        f"{intent!r} was never understood: {[e for e in events if e['event'] == 'heard']}"
    )
    before = [e["text"] for e in events[:at] if e["event"] == "say"]
    return events[at + 1 :], before[-1] if before else ""


def first(events: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return next(e for e in events if e["event"] == kind)


def test_nightly_checkin_hands_free(pulse: PulseRig, journal: Path, tmp_path: Path) -> None:
    netlog = tmp_path / "net.log"
    started = time.monotonic()
    person = Person(steer=True)
    with (
        pulse.record_speaker() as room,
        pulse.record_mic() as mic,
        Checkin(pulse, journal, netlog) as checkin,
    ):
        end = checkin.converse(pulse, person)
        assert end is not None and end["reason"] == "completed", checkin.log()
        assert checkin.child.wait(60) == 0, checkin.log()
        time.sleep(0.3)
    wall = time.monotonic() - started
    log, events = checkin.log(), checkin.events
    turns = reply_latencies(checkin.replies, mic, room, checkin.child.stamped)
    figures = summary(turns)
    (tmp_path / "reply_latency.json").write_text(json.dumps({"summary": figures, "turns": turns}))
    print(f"\nhands-free nightly check-in: {wall:.1f} s wall, {len(turns)} replies")
    print(describe(figures, turns))
    print(f"  written to {tmp_path / 'reply_latency.json'}")

    # Each spoken command had its effect.
    rest, _ = after(events, "repeat")
    # The step's question again (also after a softer re-prompt, if repeat came later).
    assert first(rest, "say")["text"] == opening_question(events, "checkin"), log
    rest, _ = after(events, "pause")
    assert first(rest, "say")["text"] == LINES["paused"], log
    assert first(rest, "listen")["expect"] == "resume", log
    rest, _ = after(events, "resume")
    assert first(rest, "say")["text"] == LINES["resumed"], log
    rest, _ = after(events, "skip")
    assert not [e for e in rest if e["event"] == "listen"], log  # on to the close
    checked = [e["text"] for e in events if e["event"] == "say" and e["text"].startswith("I heard")]
    assert checked, log  # the hedged mood was checked back
    print(f"  mood confirmations: {checked}")

    assert not netlog.exists(), netlog.read_text()
    assert oct(os.stat(journal).st_mode & 0o777) == "0o600"
    with Journal.open(journal) as j:
        [summary_row] = j.sessions()
        record = j.session(summary_row.id)
    assert summary_row.end_reason == "completed"
    by_step: dict[str, list[str]] = {}
    for a in record.answers:
        by_step.setdefault(a.step, []).append(a.transcript)
    moods = [a.mood for a in record.answers if a.mood is not None]
    assert moods == [4] and isinstance(moods[0], int), log
    assert [kept_words(t, FEELING) for t in by_step["checkin"]] == [True], log
    assert len(by_step["appreciations"]) == 3, log
    for got, said in zip(by_step["appreciations"], APPRECIATIONS, strict=True):
        assert kept_words(got, said), (said.text, got, log)
    assert [kept_words(t, I_FEEL_SHORT) for t in by_step["feeling"]] == [True], log
    assert all(a.confidence is not None and a.confidence > 0 for a in record.answers)
    # No command was ever kept as an answer.
    commands = {"repeat", "pause", "resume", "skip", "three or four"}
    assert not [a for a in record.answers if a.transcript.lower().strip(".!? ") in commands]


def test_stop_word_in_the_middle_of_an_answer(
    pulse: PulseRig, journal: Path, tmp_path: Path
) -> None:
    netlog = tmp_path / "net.log"
    person = Person()
    with Checkin(pulse, journal, netlog) as checkin:
        # How they feel, the mood, the first appreciation; then a stop mid-answer.
        def second_appreciation(p: Person, listen: dict[str, Any]) -> bool:
            return len(p.given.get("appreciations", [])) == 1

        event = checkin.converse(pulse, person, until=second_appreciation)
        assert event is not None and event["event"] == "listen", checkin.child.describe()
        time.sleep(0.4)
        pulse.say_into_mic("Well, the soup was nice. Stop.")
        # If the companion did not catch it, it asks again (its own recovery after
        # silence) and a person says the stop word again; once was seen in 14 soak
        # runs, with no transcript at all for the sentence.
        stops = 1
        while (event := checkin.child.next_event(timeout=60)) is not None:
            if event["event"] == "end":
                break
            if event["event"] == "listen" and stops < 3:
                time.sleep(0.4)
                pulse.say_into_mic("Stop.")
                stops += 1
        assert checkin.child.wait(30) == 0, "\n".join(checkin.child.lines)
    lines = "\n".join(checkin.child.lines)
    assert "Everything you said is saved" in lines, lines
    with Journal.open(journal) as j:
        [summary_row] = j.sessions()
        record = j.session(summary_row.id)
    assert summary_row.end_reason == "stop_word", lines
    # The stop sentence itself is never kept as an answer.
    assert [a.step for a in record.answers] == ["checkin", "mood", "appreciations"], lines
    assert record.answers[1].mood == 4
    assert kept_words(record.answers[2].transcript, APPRECIATIONS[0])
