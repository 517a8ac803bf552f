from __future__ import annotations

import pytest

from audio_companion.breathing.voice import command_in
from audio_companion.voice.intents import CommandVocabulary, Intent, match_command

BREATHING_INTENTS = frozenset(
    {Intent.STOP, Intent.PAUSE, Intent.RESUME, Intent.SLOWER, Intent.FASTER}
)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("Stop.", "stop"),
        ("pause", "pause"),
        ("Slow down.", "slower"),
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
