"""Speak, listen, understand: the turn-taking every spoken session is made of.

`VoiceLoop` joins the parts: prompts are rendered (and cached) and played on
the sink; while they play and for a short tail after, microphone audio is
gated away from the recogniser (half-duplex); the endpointer cuts the rest
into utterances; a transcript that repeats a prompt just spoken is dropped
(echo by content); what is left becomes a `Heard` with its command, if any.
Devices, engines and the clock are injected, so tests run it in simulated time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from audio_companion.asr.base import UNKNOWN_WORD, Recognizer, RecognizerStream, Transcript
from audio_companion.audio.chunk import AudioChunk
from audio_companion.tts.prompts import PromptCache
from audio_companion.voice.backchannel import without_backchannels
from audio_companion.voice.barge import StopWatcher, WatchSettings
from audio_companion.voice.duplex import EchoFilter, HalfDuplexGate, OpenGate
from audio_companion.voice.endpoint import (
    Endpointer,
    EndpointSettings,
    FrameClassifier,
    UtteranceEnded,
)
from audio_companion.voice.heard import (
    ANY_ANSWER,
    Ask,
    AudioSink,
    AudioSource,
    Heard,
    LoopStats,
    StopHeard,
)
from audio_companion.voice.intents import (
    Command,
    CommandVocabulary,
    Intent,
    contains_stop_ending,
    match_command,
)
from audio_companion.voice.turn import TurnSettings, sounds_finished

__all__ = ["ANY_ANSWER", "Ask", "Heard", "LoopSettings", "StopHeard", "TurnSettings", "VoiceLoop"]


@dataclass(frozen=True)
class LoopSettings:
    endpoint: EndpointSettings = field(default_factory=EndpointSettings)
    gate_tail_s: float = 0.3
    echo_window_s: float = 30.0
    vocabulary: CommandVocabulary = field(default_factory=CommandVocabulary)
    turn: TurnSettings = field(default_factory=TurnSettings)
    barge_in: bool = False
    """Listen for the stop words while a prompt plays (`voice.barge.StopWatcher`)."""
    headphones: bool = False
    """The person hears us in headphones: the microphone never hears our voice, so
    nothing is gated (`duplex.OpenGate`) or taken for our echo, and a stop word
    the prompt itself says counts when the person says it over the prompt."""


class VoiceLoop:
    def __init__(
        self,
        source: AudioSource,
        sink: AudioSink,
        prompts: PromptCache,
        recognizer: Recognizer,
        settings: LoopSettings | None = None,
        classifier: FrameClassifier | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.source = source
        self.sink = sink
        self.prompts = prompts
        self.recognizer = recognizer
        self.settings = settings or LoopSettings()
        self.clock = clock
        self.sleep = sleep
        self.gate = (
            OpenGate()
            if self.settings.headphones
            else HalfDuplexGate(tail_s=self.settings.gate_tail_s, clock=clock)
        )
        self.echo = EchoFilter(window_s=self.settings.echo_window_s)
        # listen() owns the no-speech timeout: it differs from one question to the next.
        endpoint = replace(self.settings.endpoint, no_speech_timeout_s=None)
        self.endpointer = Endpointer(endpoint, classifier, clock=clock)
        self.stats = LoopStats()
        self._stream: RecognizerStream | None = None
        self._partial = ""  # the streaming engine's latest guess at this utterance
        self._speculated = False  # this pause was already judged for an early end
        self._draft: Transcript | None = None  # answer mode: the words before this pause
        self._watcher = (
            StopWatcher(
                recognizer,
                self.settings.vocabulary,
                classifier,
                clock,
                WatchSettings(prompt_words_are_ours=not self.settings.headphones),
            )
            if self.settings.barge_in
            else None
        )

    @property
    def vocabulary(self) -> CommandVocabulary:
        return self.settings.vocabulary

    def phrases(self, ask: Ask) -> tuple[str, ...] | None:
        """What the recogniser expects for `ask`: None in answer mode."""
        if ask.mode != "command":
            return None
        return self.vocabulary.phrases_for(
            ask.allowed, numbers=ask.expect_number, up_to=ask.numbers_up_to
        )

    def end_silence_s(self, ask: Ask) -> float:
        """The silence that ends a turn for `ask`: longer for a free answer."""
        own = self.settings.endpoint.end_silence_s
        if ask.mode == "command":
            return own
        return max(own, self.settings.turn.answer_end_silence_s)

    def say(self, text: str) -> None:
        """Speak and wait until the sound has played; the gate learns exactly when.

        With `LoopSettings.barge_in`, a stop word said over the prompt cuts it
        short and raises `StopHeard`: nothing more is said or asked.
        """
        audio = self.prompts.get(text)
        # Muted from before the first sample is queued until the sink says the
        # last one played (and never before now), plus the gate's tail.
        self.gate.speaking_started(self.clock())
        playback = self.sink.play(audio)
        if self._watcher is not None:
            barged = self._watcher.watch(playback, self.source, text)
            if barged is not None:
                self._barged_in(barged)
        playback.wait()
        end = playback.end if playback.end is not None else self.clock()
        # `wait` returns once the last sample is queued; the speaker's buffer
        # still holds up to its latency of sound. Return when it has been heard,
        # so whoever speaks next (a person prompted by the screen) comes after it.
        if end > self.clock():
            self.sleep(end - self.clock())
        self.gate.speaking_ended(max(end, self.clock()))
        self.echo.remember(text, end)
        self.stats.prompts += 1

    def own_sound(self, start: float, end: float) -> None:
        """Our sound plays from `start` to `end` (the source's clock): not the person's voice.

        `say` announces its own prompts; a caller that plays sound itself (the
        breathing player queues its cues ahead, to start on the exact sample)
        announces them here, so that they never reach the recogniser.
        """
        self.gate.speaking_started(start)
        self.gate.speaking_ended(end)

    def listen(self, ask: Ask = ANY_ANSWER) -> Heard:
        """Wait for one utterance (or the no-speech timeout) and understand it.

        Prompts rendered ahead wait meanwhile (`PromptCache.listening`): the
        microphone's callback must not compete with synthesis.
        """
        with self.prompts.listening():
            return self._listen(ask)

    def _barged_in(self, heard: Heard) -> None:
        """The stop word over our own voice: silence the speaker and end the conversation."""
        stop = getattr(self.sink, "stop", None)
        if callable(stop):
            stop()  # the rest of the sentence is not played
        self.gate.speaking_ended(self.clock())
        self.stats.utterances += 1
        raise StopHeard(heard)

    def _listen(self, ask: Ask) -> Heard:
        self.endpointer.reset(self.clock())
        self.endpointer.set_end_silence(self.end_silence_s(ask))
        if ask.mode == "command":
            self.endpointer.set_start_speech(self.settings.turn.command_start_speech_s)
        self._new_utterance()
        waited_from = self.clock()
        while True:
            chunk = self.source.read(timeout=0.5)
            if chunk is None:
                if self.source.exhausted:
                    return self._flush(ask) or Heard("end")
                if ask.timeout_s is not None and self.clock() - waited_from > ask.timeout_s + 2:
                    return Heard("timeout")  # the device went quiet
                continue
            heard = self._step(chunk, ask)
            if heard is not None:
                return heard
            if ask.timeout_s is not None and not self.endpointer.in_utterance:
                t = chunk.timestamp if chunk.timestamp is not None else self.clock()
                if t - waited_from >= ask.timeout_s:
                    return Heard("timeout")

    def poll(
        self,
        until: float,
        *,
        allowed: frozenset[Intent] | None = None,
    ) -> Heard | None:
        """Listen until `until` on the source's clock; None if nothing was said by then.

        Unlike `listen`, state carries over between calls: an utterance that is
        still going on at `until` is finished by the next call. This lets a
        caller with its own timetable (the breathing player) listen in slices.
        Always command mode: only the `allowed` commands (and the stop words)
        are expected.
        """
        ask = Ask(allowed=allowed, mode="command")
        self.endpointer.set_end_silence(self.end_silence_s(ask))
        self.endpointer.set_start_speech(self.settings.turn.command_start_speech_s)
        with self.prompts.listening():
            return self._poll(until, ask)

    def _poll(self, until: float, ask: Ask) -> Heard | None:
        while True:
            wait = max(0.01, min(0.5, until - self.clock()))
            chunk = self.source.read(timeout=wait)
            if chunk is None:
                if self.source.exhausted:
                    return self._flush(ask)
                if self.clock() >= until:
                    return None
                continue
            heard = self._step(chunk, ask)
            if heard is not None:
                return heard
            if self.clock() >= until and self.source_is_caught_up():
                return None

    def source_is_caught_up(self) -> bool:
        """True when no captured audio is waiting to be read (a live source)."""
        pending = getattr(self.source, "pending", None)
        return pending is None or pending() == 0

    def _step(self, chunk: AudioChunk, ask: Ask) -> Heard | None:
        """One chunk through gate, streaming engine, endpointer and recogniser."""
        if not self.gate.admit(chunk):
            self.stats.gated_chunks += 1
            if self.gate.in_tail(chunk):
                # Kept as look-back only: a reply that begins as the gate opens keeps
                # its first sound ("four", not "or"); the tail itself starts nothing.
                self.endpointer.process(chunk, look_back_only=True)
            return None
        # A streaming engine hears every admitted chunk as it comes, so its
        # result is ready the moment the utterance ends and its partial
        # results can catch the stop word mid-answer.
        if self._stream is None and self.recognizer.streaming:
            self._stream = self.recognizer.stream(self.phrases(ask))
        partial = self._stream.accept(chunk) if self._stream is not None else None
        if partial is not None:
            self._partial = partial.text
        for event in self.endpointer.process(chunk):
            if isinstance(event, UtteranceEnded):
                stream, draft = self._stream, self._draft
                self._new_utterance()
                # A draft is kept only while the pause lasts: it has every word. One
                # that heard nothing (or was rejected) gets a second chance on the
                # whole utterance, whose longer silence can change whisper's mind.
                heard = (
                    self._judge(draft, event, ask)
                    if draft is not None and not draft.is_empty and event.reason == "silence"
                    else self._understand(event, stream, ask)
                )
                if heard is not None:
                    return heard
                partial = None
        if (
            partial
            and self.endpointer.in_utterance
            and contains_stop_ending(partial.text, self.vocabulary)
        ):
            # The stop word ends a session even mid-answer.
            self.endpointer.reset(self.clock())
            self._new_utterance()
            return Heard("speech", partial.text, Command(Intent.STOP, matched=partial.text))
        return self._complete_early(ask)

    def _new_utterance(self) -> None:
        self._stream = None
        self._partial = ""
        self._speculated = False
        self._draft = None

    def _complete_early(self, ask: Ask) -> Heard | None:
        """End a turn at a short pause if its words already make a command or a sentence.

        At the first short pause (`draft_after_s`) the words so far are
        decoded, a draft, while the microphone keeps queueing; by the time the
        pause is long enough to end a turn (`complete_silence_s` for a command,
        `answer_finished_silence_s` for an answer) the words are known, and a
        complete allowed command or a sentence that sounds finished ends it.
        Speech that resumes drops the draft; a draft still standing at the end
        silence is the result (it has every word). A streaming engine's partial
        result stands in for the draft of a command; its answers end on silence
        (it does not punctuate, so a pause cannot be judged by its words).
        """
        turn = self.settings.turn
        silence = self.endpointer.trailing_pause_s
        if not self.endpointer.in_utterance:
            return None
        if silence < turn.draft_after_s - 1e-9:
            self._draft = None  # speech goes on: the next pause gets a new draft
            self._speculated = False
            return None
        command_mode = ask.mode == "command"
        if self._stream is not None or self.recognizer.streaming:
            if not command_mode or silence < turn.complete_silence_s - 1e-9:
                return None
            if self._speculated or not self._is_complete(self._partial, ask):
                self._speculated = True
                return None
            stream = self._stream
            event = self.endpointer.end_now()
            self._new_utterance()
            assert event is not None
            return self._counted(self._understand(event, stream, ask))
        if not self._speculated:
            self._speculated = True
            audio = self.endpointer.utterance_audio()
            assert audio is not None
            t0 = time.perf_counter()
            self._draft = self.recognizer.transcribe(audio, self.phrases(ask))
            self.stats.speculative_seconds.append(time.perf_counter() - t0)
        draft = self._draft
        finish = turn.complete_silence_s if command_mode else turn.answer_finished_silence_s
        if draft is None or silence < finish - 1e-9:
            return None
        if command_mode:
            command = self._command(draft, ask)
            sure = draft.confidence >= turn.complete_min_heard
            if not sure or command.confidence < turn.complete_min_confidence:
                return None
        elif not self._sounds_finished(draft.text, ask):
            return None
        event = self.endpointer.end_now()
        self._new_utterance()
        assert event is not None
        return self._counted(self._judge(draft, event, ask))

    def _counted(self, heard: Heard | None) -> Heard | None:
        if heard is not None:
            self.stats.early_ends += 1
        return heard

    def _is_complete(self, text: str, ask: Ask) -> bool:
        command = match_command(
            text, self.vocabulary, expect_number=ask.expect_number, allowed=ask.allowed
        )
        return command.confidence >= self.settings.turn.complete_min_confidence

    def _flush(self, ask: Ask) -> Heard | None:
        for event in self.endpointer.flush():
            if isinstance(event, UtteranceEnded):
                stream = self._stream
                self._new_utterance()
                heard = self._understand(event, stream, ask)
                if heard is not None:
                    return heard
        return None

    def _understand(
        self,
        event: UtteranceEnded,
        stream: RecognizerStream | None,
        ask: Ask,
    ) -> Heard | None:
        t0 = time.perf_counter()
        if stream is not None:
            transcript = stream.finish()
        else:
            transcript = self.recognizer.transcribe(event.audio, self.phrases(ask))
        self.stats.recognition_seconds.append(time.perf_counter() - t0)
        return self._judge(transcript, event, ask)

    def _command(self, transcript: Transcript, ask: Ask) -> Command:
        return match_command(
            transcript.text, self.vocabulary, expect_number=ask.expect_number, allowed=ask.allowed
        )

    def _judge(self, transcript: Transcript, event: UtteranceEnded, ask: Ask) -> Heard | None:
        """A `Heard` for a finished utterance, or None if it was nothing or our own echo."""
        text = transcript.text.strip()
        if not text or text == UNKNOWN_WORD:
            return None
        if not self.settings.headphones and self.echo.is_echo(text, event.t):
            self.stats.echoes_dropped += 1
            return None
        if ask.mode == "answer" and ask.backchannels:
            text = self._answer_text(text, ask)
            if not text:
                self.stats.backchannels += 1
                return None  # someone else's "mm-hm": the turn goes on
        self.stats.utterances += 1
        command = self._command(transcript, ask)
        return Heard("speech", text, command, transcript, event.speech_start, event.t, event.audio)

    @staticmethod
    def _sounds_finished(text: str, ask: Ask) -> bool:
        """Whether a draft answer reads as over; in a protected turn the words cannot tell.

        The partner's "mm-hm" at a sentence's end invites the speaker to go on,
        and whisper mostly leaves it out of the transcript ("Honestly, a bit
        tired, but the walk helped." for the speaker's two sentences with the
        partner's "Yeah" between them, on the rig's voices), so a finished
        sentence there is no sign of a finished turn: the reflective end silence
        decides it.
        """
        return not ask.backchannels and sounds_finished(text)

    @staticmethod
    def _answer_text(text: str, ask: Ask) -> str:
        """What counts of an answer: without a listener's backchannels in a protected turn."""
        if ask.mode == "answer" and ask.backchannels:
            return without_backchannels(text)
        return text
