"""Conversations the check-in can hold: spoken with captions, or typed.

Each is a `Conversation`: `say` and `listen` like the voice loop, so a session
does not know (or care) whether answers come from a microphone or a keyboard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from audio_companion.checkin.captions import Captions
from audio_companion.voice.intents import CommandVocabulary, Intent, match_command
from audio_companion.voice.loop import Heard, VoiceLoop


class Conversation(Protocol):
    """What a check-in talks through; `listen` takes the voice loop's arguments."""

    def say(self, text: str) -> None: ...

    def listen(
        self,
        timeout_s: float | None = None,
        *,
        expect_number: bool = False,
        allowed: frozenset[Intent] | None = None,
    ) -> Heard: ...


class CaptionedVoice:
    """The voice loop, with what is said and heard shown as captions."""

    def __init__(self, loop: VoiceLoop, captions: Captions):
        self.loop = loop
        self.captions = captions

    def say(self, text: str) -> None:
        self.captions.said(text)
        self.loop.say(text)

    def listen(
        self,
        timeout_s: float | None = None,
        *,
        expect_number: bool = False,
        allowed: frozenset[Intent] | None = None,
    ) -> Heard:
        heard = self.loop.listen(timeout_s, expect_number=expect_number, allowed=allowed)
        self.captions.heard(heard)
        return heard


class TypedConversation:
    """Typed answers from lines of text; prompts shown, and spoken if a voice is given.

    An empty line stands for silence; the end of input ends the session.
    """

    def __init__(
        self,
        lines: Iterator[str],
        captions: Captions,
        vocabulary: CommandVocabulary,
        speak: Callable[[str], None] | None = None,
    ) -> None:
        self.lines = lines
        self.captions = captions
        self.vocabulary = vocabulary
        self.speak = speak

    def say(self, text: str) -> None:
        self.captions.said(text)
        if self.speak is not None:
            self.speak(text)

    def listen(
        self,
        timeout_s: float | None = None,
        *,
        expect_number: bool = False,
        allowed: frozenset[Intent] | None = None,
    ) -> Heard:
        line = next(self.lines, None)
        if line is None:
            return Heard("end")
        text = line.strip()
        if not text:
            heard = Heard("timeout")
        else:
            command = match_command(
                text, self.vocabulary, expect_number=expect_number, allowed=allowed
            )
            heard = Heard("speech", text, command)
        self.captions.heard(heard)
        return heard
