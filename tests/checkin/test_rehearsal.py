"""The prompts rendered ahead are the prompts said: a whole check-in, run against the list."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from audio_companion.audio.chunk import AudioChunk
from audio_companion.checkin.conversation import TypedConversation
from audio_companion.checkin.deck import load_deck
from audio_companion.checkin.rehearsal import address, deck_prompts
from audio_companion.checkin.session import CheckinSession, CheckinSettings
from audio_companion.checkin.steps import Deck
from audio_companion.tts.prompts import PromptCache
from audio_companion.tts.store import SpeechStore
from audio_companion.voice.intents import CommandVocabulary
from audio_companion.voice.loop import ANY_ANSWER, Ask, Heard

NIGHT = date(2026, 11, 27)
ANSWERS = [
    "Rested, and a little restless",
    "three or four",  # a hedge: the number is confirmed
    "yes",
    "the soup you made",
    "a call with my sister",
    "",  # silence: the softer wording
    "the quiet walk",
    "We cooked together",  # no I-statement: the form is explained
    "no",
]


class Recorder:
    """Typed answers in order (then silence); every text the session says is kept."""

    def __init__(self, answers: list[str]) -> None:
        self.said: list[str] = []
        self.t = 0.0
        self.typed = TypedConversation(iter(answers), CommandVocabulary())

    def say(self, text: str) -> None:
        self.said.append(text)
        self.t += 3.0

    def listen(self, ask: Ask = ANY_ANSWER) -> Heard:
        self.t += 4.0
        return self.typed.listen(ask)


def said_in_a_checkin(deck: Deck, partners: tuple[str, ...]) -> list[str]:
    recorder = Recorder(ANSWERS * (2 if partners else 1))
    settings = CheckinSettings(night=NIGHT, partners=partners)
    session = CheckinSession(
        deck, recorder, lambda _answer: None, settings, clock=lambda: recorder.t
    )
    session.run()
    return recorder.said


def _needs_an_answer(text: str) -> bool:
    # The close reads back the appreciations; a number is confirmed by its value.
    return any(answer and answer in text for answer in ANSWERS) or "I heard" in text


@pytest.mark.parametrize("deck_name", ["nightly", "weekly", "breathe-first"])
@pytest.mark.parametrize("partners", [(), ("Sam", "Alex")])
def test_every_prompt_said_was_rendered_ahead(deck_name: str, partners: tuple[str, ...]) -> None:
    deck = load_deck(deck_name)
    said = said_in_a_checkin(deck, partners)
    ahead = set(deck_prompts(deck, NIGHT, partners))
    missing = [t for t in said if t not in ahead and not _needs_an_answer(t)]
    assert len(said) > 8 and missing == []


def test_tonights_wordings_come_first_and_other_nights_follow() -> None:
    deck = load_deck("nightly")
    tonight = deck_prompts(deck, NIGHT)
    tomorrow = deck_prompts(deck, NIGHT + timedelta(days=1))
    assert set(tonight) == set(tomorrow)  # every wording, for next time too
    assert tonight != tomorrow  # but in the night's order
    assert len(tonight) == len(set(tonight))


def test_address_puts_the_partners_name_first() -> None:
    assert address("How was your day?", "Sam") == "Sam, how was your day?"
    assert address("I wonder how you are.", "Sam") == "Sam, I wonder how you are."
    assert address("Sam, how are you?", "Sam") == "Sam, how are you?"
    assert address("How was your day?", None) == "How was your day?"


def test_the_close_is_known_before_the_feeling_question() -> None:
    # The close reads the appreciations back, so it cannot be rendered at start-up;
    # the session tells it as soon as they are in, a whole question before it is said.
    recorder = Recorder(ANSWERS)
    known: list[tuple[int, str]] = []
    session = CheckinSession(
        load_deck("nightly"),
        recorder,
        lambda _answer: None,
        CheckinSettings(night=NIGHT),
        clock=lambda: recorder.t,
        on_known=lambda text: known.append((len(recorder.said), text)),
    )
    session.run()
    assert len(known) == 1
    said_before, close = known[0]
    assert recorder.said[-1] == close and "the soup you made" in close
    assert said_before < len(recorder.said) - 2  # at least one more question came first


class FakeSynth:
    """Renders silence whose length follows the text: enough for a prompt cache."""

    identity = "fake:silence"

    def synthesize(self, text: str) -> AudioChunk:
        return AudioChunk.from_int16(np.zeros(10 * len(text), dtype="<i2"), 16000)


class Speaking(Recorder):
    """Says every text through a prompt cache, as the voice loop does."""

    def __init__(self, answers: list[str], prompts: PromptCache) -> None:
        super().__init__(answers)
        self.prompts = prompts

    def say(self, text: str) -> None:
        self.prompts.get(text)
        super().say(text)


def test_nothing_a_person_said_is_kept_on_disk(tmp_path: Path) -> None:
    deck, partners = load_deck("nightly"), ()
    synth = FakeSynth()
    prompts = PromptCache(synth, tmp_path)
    prompts.prepare(deck_prompts(deck, NIGHT, partners), background=False)
    speaking = Speaking(ANSWERS, prompts)
    settings = CheckinSettings(night=NIGHT, partners=partners)
    session = CheckinSession(
        deck,
        speaking,
        lambda _answer: None,
        settings,
        clock=lambda: speaking.t,
        on_known=prompts.soon,
    )
    session.run()
    assert prompts.ready(10)
    private = [t for t in speaking.said if _needs_an_answer(t)]
    assert any("the soup you made" in t for t in private)  # the close repeats it
    on_disk = {p.stem for p in tmp_path.rglob("*.wav")}
    assert len(on_disk) > 8
    assert [t for t in private if SpeechStore.key(synth.identity, t) in on_disk] == []
