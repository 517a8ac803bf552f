"""The stop word while the companion speaks: a promise that holds mid-sentence too.

The half-duplex gate keeps the microphone out of the recogniser while the
companion speaks, so that it never answers its own voice. That also deafens it
to a person who says the stop word over a prompt, and a stop word is a promise:
when a talk gets too heavy, nobody should have to wait for the companion to
finish its sentence. So while a prompt plays, `StopWatcher` listens to the
microphone for one thing only, a short utterance that is a stop word:

- its own endpointer, quick to start (0.2 s of speech) and to end (0.3 s);
- an utterance longer than `max_speech_s` is not a stop word said over us: it
  is most likely our own voice reaching the microphone, and is never decoded;
- the recogniser in command mode, primed with (or restricted to) the stop words;
- a stop word that the prompt itself says ("You can say stop at any time.")
  does not count while that prompt plays: without echo cancellation the
  microphone may hear the companion say it.

What it hears is handed back to the voice loop as a `Heard`, which silences the
speaker and ends the conversation with it (`StopHeard`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from audio_companion.asr.base import Recognizer
from audio_companion.voice.duplex import normalize_words
from audio_companion.voice.endpoint import (
    Endpointer,
    EndpointSettings,
    FrameClassifier,
    UtteranceEnded,
)
from audio_companion.voice.heard import AudioSource, Heard, PlaybackLike
from audio_companion.voice.intents import CommandVocabulary, Intent, match_command

STOP_ONLY = frozenset({Intent.STOP})


@dataclass(frozen=True)
class WatchSettings:
    start_speech_s: float = 0.2
    end_silence_s: float = 0.3
    max_speech_s: float = 1.5
    """Longer than anyone says "stop"; our own sentences leaking in are longer."""
    poll_s: float = 0.03
    prompt_words_are_ours: bool = True
    """A stop word the prompt says may be the microphone hearing us; with headphones
    it cannot be, and the person's word counts (`LoopSettings.headphones`)."""


class StopWatcher:
    """Listens for the stop words while a prompt plays (see the module docstring)."""

    def __init__(
        self,
        recognizer: Recognizer,
        vocabulary: CommandVocabulary,
        classifier: FrameClassifier | None = None,
        clock: Callable[[], float] = time.monotonic,
        settings: WatchSettings | None = None,
    ) -> None:
        self.recognizer = recognizer
        self.vocabulary = vocabulary
        self.settings = settings or WatchSettings()
        s = self.settings
        endpoint = EndpointSettings(
            start_speech_s=s.start_speech_s,
            end_silence_s=s.end_silence_s,
            max_utterance_s=s.max_speech_s + 0.5,
            no_speech_timeout_s=None,
            pre_roll_s=0.2,
        )
        self.endpointer = Endpointer(endpoint, classifier, clock=clock)
        self.clock = clock

    def phrases(self) -> tuple[str, ...]:
        return self.vocabulary.phrases_for(STOP_ONLY, numbers=False)

    def watch(self, playback: PlaybackLike, source: AudioSource, prompt: str) -> Heard | None:
        """Listen until `playback` is done; the stop word heard meanwhile, or None."""
        self.endpointer.reset(self.clock())
        said_by_us = set(normalize_words(prompt)) if self.settings.prompt_words_are_ours else set()
        while not playback.wait(0):
            chunk = source.read(timeout=self.settings.poll_s)
            if chunk is None:
                if source.exhausted:
                    return None
                continue
            for event in self.endpointer.process(chunk):
                if isinstance(event, UtteranceEnded):
                    heard = self._judge(event, said_by_us)
                    if heard is not None:
                        return heard
        return None

    def _judge(self, event: UtteranceEnded, said_by_us: set[str]) -> Heard | None:
        speech = event.t - event.speech_start
        if event.reason != "silence" or speech > self.settings.max_speech_s:
            return None  # long sound: our own voice, not a word said over it
        transcript = self.recognizer.transcribe(event.audio, self.phrases())
        command = match_command(transcript.text, self.vocabulary, allowed=STOP_ONLY)
        if command.intent is not Intent.STOP:
            return None
        if set(normalize_words(command.matched or transcript.text)) & said_by_us:
            return None  # the prompt says this word itself: maybe we heard ourselves
        return Heard(
            "speech", transcript.text, command, transcript, event.speech_start, event.t, event.audio
        )
