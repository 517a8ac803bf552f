"""The voice stack, built in one place: prompts, speaker, microphone, recogniser, voice loop.

`checkin`, `listen` and `breathe` all speak and (mostly) listen. What they
share is put together here, once, from what the command line chose, so the
three cannot drift apart (a device opened in another order, a recogniser
primed differently, a prompt cache in another folder). The device and engine
modules are imported only when a stack is opened: `--help`, `--text` and
`--render` must work on a machine without PortAudio or a speech model.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audio_companion.cli import CompanionCommandError

if TYPE_CHECKING:
    from audio_companion.audio.speaker import SpeakerSink
    from audio_companion.tts.prompts import PromptCache
    from audio_companion.voice.intents import CommandVocabulary
    from audio_companion.voice.loop import VoiceLoop


@dataclass(frozen=True)
class VoiceOptions:
    """The command line's choices of engine, model and devices."""

    engine: str = "auto"
    model: str | None = None
    input_device: str | None = None
    output_device: str | None = None
    headphones: bool = False


@dataclass(frozen=True)
class Speaking:
    """A session that only speaks: prompts and the speaker they play on."""

    prompts: PromptCache
    speaker: SpeakerSink

    def speak(self, text: str) -> None:
        """Say a prompt and wait until it has played (nothing listens, so no gate)."""
        self.speaker.play(self.prompts.get(text)).wait()


@dataclass(frozen=True)
class VoiceStack(Speaking):
    """A session that speaks and listens, open for as long as the `with` block that made it."""

    loop: VoiceLoop


def prompt_cache(*, announce: bool = True) -> PromptCache:
    """The spoken prompts, rendered once with the default voice and kept in the cache folder.

    With `announce`, a session that will speak says on stderr (one line) when the
    default voice is the system fallback, so nobody wonders why it sounds robotic.
    """
    import click

    from audio_companion.paths import cache_dir
    from audio_companion.tts.base import VoiceSettings
    from audio_companion.tts.prompts import PromptCache
    from audio_companion.tts.registry import default_voice, make_synthesizer

    note = default_voice().note
    if announce and note:
        click.echo(note, err=True)
    return PromptCache(make_synthesizer(VoiceSettings()), cache_dir() / "prompts")


def speaker_rate(prompts: PromptCache) -> int:
    """The rate to open the speaker at: the prompt voice's own (hibari 24 kHz, espeak-ng
    22.05 kHz), so a prompt plays as it was rendered, never resampled on the way out."""
    from audio_companion.audio.speaker import DEFAULT_RATE

    rate = getattr(prompts.synth, "sample_rate", None)
    return rate if isinstance(rate, int) and rate > 0 else DEFAULT_RATE


def vocabulary_for(stop_word: str | None, partners: tuple[str, ...] = ()) -> CommandVocabulary:
    """The spoken commands, with the person's own stop word; a bad one is a usage error.

    A couple may each have their own: ``Sam=pineapple,Alex=lighthouse`` (names from
    `partners`). Every one of them stops the session, whoever says it: a stop word
    is a promise to both.
    """
    from audio_companion.errors import InputError
    from audio_companion.voice.intents import CommandVocabulary

    try:
        if stop_word and "=" in stop_word:
            own = partner_stop_words(stop_word, partners)
            return CommandVocabulary(stop_words=("stop", *own.values()))
        return CommandVocabulary(personal_stop_word=stop_word or None)
    except ValueError as exc:
        raise CompanionCommandError(InputError(f"--stop-word: {exc}")) from exc


def partner_stop_words(spec: str, partners: tuple[str, ...]) -> dict[str, str]:
    """ "Sam=pineapple,Alex=lighthouse" as {"Sam": "pineapple", "Alex": "lighthouse"}."""
    out: dict[str, str] = {}
    known = {p.casefold(): p for p in partners}
    for part in spec.split(","):
        name, _, word = (x.strip() for x in part.partition("="))
        if not name or not word:
            raise ValueError(f"{part.strip()!r} is not NAME=WORD (e.g. Sam=pineapple)")
        if not partners:
            raise ValueError("NAME=WORD is for a couple's check-in with --partners; give one word")
        if name.casefold() not in known:
            raise ValueError(f"{name!r} is not one of the partners ({', '.join(partners)})")
        out[known[name.casefold()]] = word
    return out


@contextlib.contextmanager
def open_voice(
    options: VoiceOptions,
    prompts: PromptCache,
    vocabulary: CommandVocabulary,
    *,
    commands: bool = False,
    rate: int | None = None,
    ambient: bool = False,
) -> Iterator[VoiceStack]:
    """Open the recogniser, microphone and speaker, joined by a voice loop.

    The recogniser loads first: a missing model is reported before any device
    is opened. `commands` tunes listening for one-word commands between
    sounds of our own (a breathing session): a short end of speech and no gate
    tail (what the recogniser expects is said per poll: command mode). `rate`
    opens the speaker at the rate of the sounds it will mostly play (breathing
    cues), else at the prompt voice's. `ambient`: a noise bed plays under the
    session, so pauses are judged by loudness (`breathing.voice.AMBIENT_ENDPOINT`).
    """
    from audio_companion.asr.registry import make_recognizer
    from audio_companion.audio.microphone import MicrophoneSource
    from audio_companion.audio.speaker import SpeakerSink
    from audio_companion.voice.loop import LoopSettings, VoiceLoop

    if commands:
        from audio_companion.breathing.voice import (
            AMBIENT_ENDPOINT,
            COMMAND_ENDPOINT,
            COMMAND_GATE_TAIL_S,
        )

        recognizer = make_recognizer(options.engine, options.model)
        settings = LoopSettings(
            endpoint=AMBIENT_ENDPOINT if ambient else COMMAND_ENDPOINT,
            gate_tail_s=COMMAND_GATE_TAIL_S,
            vocabulary=vocabulary,
            headphones=options.headphones,
        )
    else:
        recognizer = make_recognizer(options.engine, options.model)
        # A conversation: the stop word is heard even while the companion speaks.
        settings = LoopSettings(vocabulary=vocabulary, barge_in=True, headphones=options.headphones)
    with (
        MicrophoneSource(options.input_device) as mic,
        SpeakerSink(options.output_device, rate or speaker_rate(prompts)) as speaker,
    ):
        yield VoiceStack(prompts, speaker, VoiceLoop(mic, speaker, prompts, recognizer, settings))


@contextlib.contextmanager
def open_speaker(
    output_device: str | None, prompts: PromptCache, rate: int | None = None
) -> Iterator[Speaking]:
    """The speaker alone, for a session that does not listen (at `rate`, else the voice's)."""
    from audio_companion.audio.speaker import SpeakerSink

    with SpeakerSink(output_device, rate or speaker_rate(prompts)) as speaker:
        yield Speaking(prompts, speaker)


@contextlib.contextmanager
def open_speaker_if_any(
    output_device: str | None, prompts: PromptCache, warn: Callable[[str], None]
) -> Iterator[Speaking | None]:
    """The speaker alone, for typed answers; None (after a warning) where there is none.

    Typed mode still works on a machine without sound: prompts are then only shown.
    Only opening the speaker is forgiven; errors in the `with` block pass through.
    """
    from audio_companion.audio.speaker import SpeakerSink
    from audio_companion.errors import CompanionError

    try:
        speaker = SpeakerSink(output_device, speaker_rate(prompts)).__enter__()
    except CompanionError as exc:
        warn(f"(prompts are shown, not spoken: {exc})")
        yield None
        return
    try:
        yield Speaking(prompts, speaker)
    finally:
        speaker.__exit__(None, None, None)
