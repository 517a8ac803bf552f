"""What one turn of listening gives, and what it is asked for: the voice loop's values.

Kept apart from `voice.loop` so that every part of the loop (the stop-word
watcher, the dialogs above it) can speak of a `Heard` and an `Ask` without
importing the loop itself; `voice.loop` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from audio_companion.asr.base import Transcript
from audio_companion.audio.chunk import AudioChunk
from audio_companion.voice.intents import NO_COMMAND, Command, Intent
from audio_companion.voice.words import MAX_NUMBER


class AudioSource(Protocol):
    exhausted: bool

    def read(self, timeout: float = 1.0) -> AudioChunk | None: ...


class PlaybackLike(Protocol):
    start: float | None
    end: float | None

    def wait(self, timeout: float | None = None) -> bool: ...


class AudioSink(Protocol):
    def play(self, chunk: AudioChunk, at: float | None = None) -> PlaybackLike: ...


@dataclass(frozen=True)
class Heard:
    """One turn of listening: what was said, or why nothing was."""

    kind: Literal["speech", "timeout", "end"]
    text: str = ""
    command: Command = NO_COMMAND
    transcript: Transcript | None = None
    started: float | None = None  # utterance start/end on the source's clock
    ended: float | None = None
    audio: AudioChunk | None = None  # the utterance as the recogniser heard it

    @property
    def is_stop(self) -> bool:
        return self.command.intent is Intent.STOP


@dataclass(frozen=True)
class Ask:
    """What one `listen` is for: how long to wait for speech, and which answers count.

    One value handed down through every layer of a conversation (captions, typed
    answers, the voice loop) rather than the same three arguments at each.
    """

    timeout_s: float | None = None  # None: wait as long as it takes
    expect_number: bool = False
    allowed: frozenset[Intent] | None = None  # None: any command
    mode: Literal["answer", "command"] = "answer"
    """"command": only a command, yes/no or number is expected, so the recogniser is
    primed with (or restricted to) exactly the allowed words and rejects what it is
    unsure of; "answer": free speech, nothing primed."""
    numbers_up_to: int = MAX_NUMBER
    """With `expect_number`, the top of the scale asked for (a mood, a comfort rating: 5).
    Command mode primes only the numbers up to it; a number above is still understood,
    so the dialog can say what the scale is."""
    backchannels: bool = False
    """Answer mode, a partner's protected turn: another person in the room may say
    "mm-hm" or "yeah" meanwhile. Such an utterance is no turn, and such sentences
    are not part of the answer nor the sign that it is over (`voice.backchannel`)."""


ANY_ANSWER = Ask()
"""`listen` with no limits: wait as long as it takes, for any answer."""


@dataclass
class LoopStats:
    prompts: int = 0
    utterances: int = 0
    echoes_dropped: int = 0
    gated_chunks: int = 0
    recognition_seconds: list[float] = field(default_factory=list)
    early_ends: int = 0  # turns ended on a complete command or finished sentence
    backchannels: int = 0  # utterances that were only a listener's "mm-hm"
    speculative_seconds: list[float] = field(default_factory=list)  # whisper's early decodes


class StopHeard(Exception):
    """The stop word, said while the companion spoke (`VoiceLoop.say` with barge-in).

    An exception rather than a value: wherever the conversation is (a greeting,
    a follow-up, three prompts before the next question), it ends there.
    """

    def __init__(self, heard: Heard) -> None:
        super().__init__(heard.text)
        self.heard = heard
