"""The recall sentence in a check-in: said once, right after the greeting; rendered ahead,
in memory only; and read from the journal by `checkin` before the session starts."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from audio_companion.audio.chunk import AudioChunk
from audio_companion.checkin.conversation import TypedConversation
from audio_companion.checkin.deck import Deck, Step, StepKind, load_deck
from audio_companion.checkin.rehearsal import deck_prompts
from audio_companion.checkin.session import CheckinSession, CheckinSettings
from audio_companion.cli import main
from audio_companion.journal import Answer, Journal
from audio_companion.tts.prompts import PromptCache
from audio_companion.tts.store import SpeechStore
from audio_companion.voice.intents import CommandVocabulary
from audio_companion.voice.loop import ANY_ANSWER, Ask, Heard

NIGHT = date(2026, 11, 27)
RECALL = "A week ago you appreciated the soup."
ANSWERS = ["fine", "four", "the tea", "the walk", "the call", "I feel calm when it rains"]


class Recorder:
    """Typed answers in order (then silence); every text the session says is kept."""

    def __init__(self, answers: list[str], prompts: PromptCache | None = None) -> None:
        self.said: list[str] = []
        self.t = 0.0
        self.prompts = prompts
        self.typed = TypedConversation(iter(answers), CommandVocabulary())

    def say(self, text: str) -> None:
        if self.prompts is not None:
            self.prompts.get(text)
        self.said.append(text)
        self.t += 3.0

    def listen(self, ask: Ask = ANY_ANSWER) -> Heard:
        self.t += 4.0
        return self.typed.listen(ask)


def run(deck: Deck, recall: str | None, prompts: PromptCache | None = None) -> list[str]:
    recorder = Recorder(list(ANSWERS), prompts)
    settings = CheckinSettings(night=NIGHT, recall=recall)
    CheckinSession(deck, recorder, lambda _a: None, settings, clock=lambda: recorder.t).run()
    return recorder.said


def test_said_once_right_after_the_greeting(tmp_path: Path) -> None:
    nightly = load_deck("nightly", user_dir=tmp_path)
    plain = run(nightly, None)
    said = run(nightly, RECALL)
    assert said[1] == RECALL and said.count(RECALL) == 1
    assert said[0] == plain[0] and said[:1] + said[2:] == plain  # nothing else changes


def test_after_the_greeting_that_follows_the_breathing(tmp_path: Path) -> None:
    said = run(load_deck("breathe-first", user_dir=tmp_path), RECALL)
    assert said.index(RECALL) == 2  # the breathing's words, the greeting, then the recall
    assert said[1].startswith(("Good evening", "Hello again", "Hi"))


def test_without_a_greeting_before_the_first_question() -> None:
    deck = Deck(
        "quick",
        "Quick",
        "",
        300.0,
        (Step("how", StepKind.FREE, ("How was it?",)), Step("bye", StepKind.CLOSE, ("Bye.",))),
        "test",
        recall=True,
    )
    assert run(deck, RECALL)[:2] == [RECALL, "How was it?"]


class Synth:
    """Renders silence whose length follows the text; remembers what it rendered."""

    identity = "test:silence"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def synthesize(self, text: str) -> AudioChunk:
        self.calls.append(text)
        return AudioChunk.from_int16(np.zeros(10 * len(text), dtype="<i2"), 16000)


def test_rendered_ahead_in_memory_never_on_disk(tmp_path: Path) -> None:
    deck = load_deck("nightly", user_dir=tmp_path / "decks")
    synth = Synth()
    prompts = PromptCache(synth, tmp_path / "prompts")
    prompts.prepare(deck_prompts(deck, NIGHT), background=False)
    prompts.soon(RECALL)  # as `checkin` does: the recall is made of what was said
    deadline = time.monotonic() + 10
    while RECALL not in synth.calls and time.monotonic() < deadline:
        time.sleep(0.01)
    assert RECALL in synth.calls  # rendered before the session starts
    said = run(deck, RECALL, prompts)
    assert RECALL in said and synth.calls.count(RECALL) == 1  # said from memory
    on_disk = {p.stem for p in (tmp_path / "prompts").rglob("*.wav")}
    assert SpeechStore.key(synth.identity, said[0]) in on_disk  # the deck's own words are kept
    assert SpeechStore.key(synth.identity, RECALL) not in on_disk


# --- `checkin` reads the journal for it ---------------------------------------------------


def evening(night: date) -> float:
    """21:30 on `night` in this machine's zone, the zone `checkin` reads the journal in."""
    return datetime(night.year, night.month, night.day, 21, 30).timestamp()


def kept(path: Path, night: date, thanks: str, mood: int = 4) -> None:
    t = evening(night)
    with Journal.open(path) as j:
        sid = j.start_session("nightly", [], "text", t)
        j.add_answer(sid, Answer(None, "mood", "mood", "?", str(mood), mood, None, t + 5, t + 6))
        j.add_answer(sid, Answer(None, "appreciations", "gratitude", "?", thanks, None, None,
                                 t + 10, t + 12))  # fmt: skip
        j.end_session(sid, t + 600, "completed")


def typed(path: Path, *extra: str) -> list[str]:
    result = CliRunner().invoke(
        main,
        ["checkin", "--text", "--mute", "--journal", str(path), "--night", str(NIGHT), *extra],
        input="\n".join(ANSWERS) + "\n",
    )
    assert result.exit_code == 0, result.output
    return [ln.removeprefix("companion: ") for ln in result.output.splitlines()]


@pytest.mark.parametrize(
    ("mood", "expected"), [(4, "A week ago you appreciated the soup."), (2, None)]
)
def test_checkin_says_what_the_journal_remembers(
    tmp_path: Path, mood: int, expected: str | None
) -> None:
    path = tmp_path / "journal.sqlite3"
    kept(path, NIGHT - timedelta(days=7), "The soup.", mood)
    lines = typed(path)
    if expected is None:
        assert not any("ago" in ln or "in a row" in ln for ln in lines)
    else:
        assert lines[1] == expected


def test_checkin_recalls_only_where_the_deck_says_so(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    kept(path, NIGHT - timedelta(days=1), "the tea")
    assert typed(path)[1] == "This is your second night in a row."
    deck = tmp_path / "quiet.toml"
    nightly = load_deck("nightly", user_dir=tmp_path / "none")
    text = Path(nightly.source).read_text("utf-8").replace("recall = true", "recall = false")
    deck.write_text(text, "utf-8")
    assert not any("in a row" in ln for ln in typed(path, "--deck", str(deck)))
