"""Conversations the check-in can hold: spoken or typed, shown as captions.

A `Conversation` offers `say` and `listen`; the voice loop is one as it is, and
`TypedConversation` is one over lines of text, so a session does not know (or
care) whether answers come from a microphone or a keyboard. `Captioned` shows
what either says and hears.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from audio_companion.checkin.captions import Captions
from audio_companion.voice.intents import CommandVocabulary, match_command
from audio_companion.voice.loop import ANY_ANSWER, Ask, Heard, StopHeard


class Conversation(Protocol):
    """What a check-in talks through; `listen` takes the voice loop's `Ask`."""

    def say(self, text: str) -> None: ...

    def listen(self, ask: Ask = ANY_ANSWER) -> Heard: ...


class Captioned:
    """A conversation with every line said and heard shown as a caption.

    The voice loop is a conversation as it is; typed answers are another. Both
    are captioned here, once, so the text and JSON Lines output cannot differ
    between a spoken and a typed check-in.
    """

    def __init__(self, inner: Conversation, captions: Captions) -> None:
        self.inner = inner
        self.captions = captions

    def say(self, text: str) -> None:
        self.captions.said(text)
        try:
            self.inner.say(text)
        except StopHeard as stop:
            self.captions.heard(stop.heard)  # said over the prompt: shown like any answer
            raise

    def listen(self, ask: Ask = ANY_ANSWER) -> Heard:
        heard = self.inner.listen(ask)
        self.captions.heard(heard)
        return heard


class TypedConversation:
    """Typed answers from lines of text; prompts are spoken if a voice is given.

    An empty line stands for silence; the end of input ends the session.
    """

    def __init__(
        self,
        lines: Iterator[str],
        vocabulary: CommandVocabulary,
        speak: Callable[[str], None] | None = None,
    ) -> None:
        self.lines = lines
        self.vocabulary = vocabulary
        self.speak = speak

    def say(self, text: str) -> None:
        if self.speak is not None:
            self.speak(text)

    def listen(self, ask: Ask = ANY_ANSWER) -> Heard:
        line = next(self.lines, None)
        if line is None:
            return Heard("end")
        text = line.strip()
        if not text:
            return Heard("timeout")
        command = match_command(
            text, self.vocabulary, expect_number=ask.expect_number, allowed=ask.allowed
        )
        return Heard("speech", text, command)
