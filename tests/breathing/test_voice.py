from __future__ import annotations

import pytest

from audio_companion.breathing.live import PLAYER_COMMANDS
from audio_companion.breathing.voice import INTENT_COMMANDS, command_in
from audio_companion.voice.intents import CommandVocabulary, match_command

BREATHING_INTENTS = frozenset(INTENT_COMMANDS)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("Stop.", "stop"),
        ("pause", "pause"),
        ("Slow down.", "slower"),
        ("Skip.", "skip"),
        ("Repeat.", "repeat"),
        ("Three.", None),  # numbers are never commands while breathing
        ("3", None),
        ("Four.", None),
        ("Breathe.", None),
        ("Top.", "stop"),  # a stop with its first sound clipped
        ("top", "stop"),
        ("on top of it", None),
        ("Top it up", None),
        ("Hello there.", None),
    ],
)
def test_commands_heard_during_breathing(text: str, command: str | None) -> None:
    intent = match_command(text, CommandVocabulary(), allowed=BREATHING_INTENTS).intent
    assert command_in(text, intent) == command


def test_every_breathing_command_is_one_the_player_knows() -> None:
    assert sorted(INTENT_COMMANDS.values()) == sorted(PLAYER_COMMANDS)


def test_the_listener_is_primed_with_commands_and_never_numbers() -> None:
    phrases = CommandVocabulary().phrases_for(BREATHING_INTENTS, numbers=False)
    assert phrases[0] == "stop"
    assert {"pause", "resume", "skip", "repeat"} <= set(phrases)
    assert not {"one", "two", "three", "four", "five"} & set(phrases)
