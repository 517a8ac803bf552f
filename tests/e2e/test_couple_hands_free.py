"""A couple's check-in through real audio devices: one partner's turn is protected.

Two people in the room, two voices: Sam speaks with Piper's joe voice, Alex with
hibari's. Sam answers how the day was in three sentences while Alex says "mm-hm"
and "yeah" between them, as a listener does; the companion must keep Sam's answer
whole, as one turn, with none of Alex's words in it. Then, on Alex's own turn,
Alex says their personal stop word ("lighthouse") and the check-in ends kindly,
with the journal showing who said what.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hands_free import Checkin, Said, kept_words
from rig import Person, PulseRig

from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.resample import to_mono16k
from audio_companion.audio.wav import read_wav, write_wav
from audio_companion.journal.store import Journal
from audio_companion.voice.duplex import normalize_words

pytest.importorskip("faster_whisper")
pytest.importorskip("sounddevice")
pytest.importorskip("hibari")

pytestmark = pytest.mark.timeout(300)

RATE = 16000
SAM = [  # with the pause after each part; Alex's backchannels fall in Sam's pauses
    ("Sam", "Honestly, a bit tired.", 0.25),
    ("Alex", "Mm-hmm.", 0.6),
    ("Sam", "But the walk after dinner helped.", 0.25),
    ("Alex", "Yeah.", 0.6),
    ("Sam", "And I slept well last night.", 0.0),
]
COUPLE = ("--partners", "Sam,Alex", "--stop-word", "Sam=pineapple,Alex=lighthouse")
SAMS_ANSWER = Said("", ("tired", "walk", "dinner", "helped", "slept", "night"))
# Each of Sam's sentences, by the words a listener would recognise it from. Whisper
# may slip on one word ("helped" was once heard "held"), never on a whole sentence.
SAMS_SENTENCES = (("honestly", "tired"), ("walk", "dinner", "helped"), ("slept", "well", "night"))


def _voiced(chunk: AudioChunk) -> np.ndarray:
    """`chunk` at `RATE`, mono float, without the silence around the voice."""
    x = to_mono16k(chunk).to_int16()[:, 0].astype(np.float32) / 32768
    loud = np.flatnonzero(np.abs(x) > 0.01)
    return x[loud[0] : loud[-1] + 1] if loud.size else x


class Alex:
    """The second person in the room: hibari's voice, loaded once."""

    synth: Any = None

    @classmethod
    def say(cls, text: str) -> AudioChunk:
        if cls.synth is None:
            from audio_companion.tts.base import VoiceSettings
            from audio_companion.tts.registry import make_synthesizer

            cls.synth = make_synthesizer(VoiceSettings(engine="hibari"))
        chunk: AudioChunk = cls.synth.synthesize(text)
        return chunk


def two_voices(parts: list[tuple[str, str, float]], folder: Path) -> Path:
    """One recording of the room: each part in its speaker's voice, then its pause."""
    pieces = [np.zeros(RATE // 10, np.float32)]
    for i, (who, text, pause) in enumerate(parts):
        if who == "Sam":
            wav = folder / f"sam-{i}.wav"
            Person.speak_to_file(text, wav)
            chunk = read_wav(wav)
        else:
            chunk = Alex.say(text)
        pieces += [_voiced(chunk), np.zeros(round(pause * RATE), np.float32)]
    pieces.append(np.zeros(RATE // 10, np.float32))
    path = folder / "room.wav"
    samples = np.concatenate(pieces)
    write_wav(path, AudioChunk.from_int16((samples * 32767).astype("<i2"), RATE))
    return path


def test_a_partners_turn_is_kept_whole_and_the_others_stop_word_ends_it(
    pulse: PulseRig, tmp_path: Path
) -> None:
    journal = tmp_path / "journal.sqlite3"
    netlog = tmp_path / "net.log"
    room = two_voices(SAM, tmp_path)
    lighthouse = tmp_path / "lighthouse.wav"
    write_wav(lighthouse, Alex.say("Lighthouse."))
    listens: list[dict[str, Any]] = []
    with Checkin(pulse, journal, netlog, *COUPLE) as checkin:
        child = checkin.child
        while (event := child.next_event(timeout=90)) is not None:
            if event["event"] == "end":
                break
            if event["event"] != "listen":
                continue
            listens.append(event)
            assert len(listens) <= 4, child.describe()  # a re-ask at most per turn
            time.sleep(0.4)  # a person lets the question settle before answering
            if event["partner"] == "Sam":
                pulse.play_into_mic(room)
            else:
                pulse.play_into_mic(lighthouse)
        assert event is not None and event["reason"] == "stop_word", child.describe()
        assert child.wait(30) == 0, child.describe()
    lines = "\n".join(child.lines)
    assert not netlog.exists(), netlog.read_text()
    with Journal.open(journal) as j:
        [summary] = j.sessions()
        record = j.session(summary.id)
    assert summary.end_reason == "stop_word", lines
    answers = [(a.partner, a.step, a.transcript) for a in record.answers]
    # Sam's answer is one turn, whole, and Alex said nothing the journal kept.
    assert [(p, s) for p, s, _ in answers] == [("Sam", "checkin")], lines
    kept = answers[0][2]
    words = set(normalize_words(kept))
    assert kept_words(kept, SAMS_ANSWER), lines
    assert all(words & set(sentence) for sentence in SAMS_SENTENCES), lines
    assert not any(w in kept.lower() for w in ("mm-hmm", "yeah", "lighthouse")), kept
    asked = [e["partner"] for e in listens]
    assert asked[0] == "Sam" and asked[-1] == "Alex", lines


def test_a_stop_word_said_while_the_companion_speaks_stops_it_at_once(
    pulse: PulseRig, tmp_path: Path
) -> None:
    """Alex says "lighthouse" over the greeting (about six seconds long): the greeting is
    cut, nothing more is asked, and the goodbye follows within moments."""
    journal = tmp_path / "journal.sqlite3"
    lighthouse = tmp_path / "lighthouse.wav"
    write_wav(lighthouse, Alex.say("Lighthouse."))
    events: list[dict[str, Any]] = []
    with Checkin(pulse, journal, tmp_path / "net.log", *COUPLE) as checkin:
        child = checkin.child
        while (event := child.next_event(timeout=90)) is not None:
            events.append(event)
            if event["event"] == "end":
                break
            if event["event"] == "say" and len(events) == 1:
                time.sleep(1.0)  # into the greeting, while it plays
                pulse.play_into_mic(lighthouse)
                spoken = time.monotonic()  # paplay returns when it has played
        assert event is not None and event["reason"] == "stop_word", child.describe()
        assert child.wait(30) == 0, child.describe()
    lines = "\n".join(child.lines)
    says = [e["text"] for e in events if e["event"] == "say"]
    assert len(says) == 2 and says[0].startswith("Good evening"), lines  # greeting, goodbye
    assert not [e for e in events if e["event"] == "listen"], lines
    goodbye = next(t for t, line in child.stamped if says[1] in line)
    # The greeting would have gone on for about five more seconds.
    assert goodbye - spoken < 2.0, (goodbye - spoken, lines)
    with Journal.open(journal) as j:
        [summary] = j.sessions()
    assert summary.end_reason == "stop_word" and summary.answer_count == 0
