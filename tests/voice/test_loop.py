"""The voice loop in a simulated room: exact times, no devices, no real speech.

Every phrase is a pure tone of its own frequency; the fake recogniser hears
the loudest tone and returns the phrase registered for it. The room can leak
the speaker into the microphone, on time or late, to test the half-duplex
gate and echo rejection apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from voice_fakes import (
    Done,
    Phrasebook,
    Room,
    ToneRecognizer,
    ToneSynth,
    make_loop,
)

from audio_companion.asr.base import Transcript
from audio_companion.audio.chunk import AudioChunk
from audio_companion.tts.prompts import PromptCache
from audio_companion.voice.intents import Intent
from audio_companion.voice.loop import Ask, LoopSettings, TurnSettings, VoiceLoop

PROMPT = "How are you feeling today?"


def test_prompt_is_played_and_answer_recognised() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room)
    loop.say(PROMPT)
    room.user_says("I feel calm tonight")
    heard = loop.listen(Ask(8))
    assert room.played == [PROMPT]
    assert heard.kind == "speech" and heard.text == "I feel calm tonight"
    assert heard.command.intent is Intent.NONE
    assert heard.started is not None and heard.started <= room.t


def test_stop_word_is_a_command() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room)
    loop.say(PROMPT)
    room.user_says("stop", seconds=0.6)
    assert loop.listen(Ask(8)).is_stop


def test_number_answer() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room)
    room.user_says("for", seconds=0.6)
    heard = loop.listen(Ask(8, expect_number=True))
    assert heard.command.intent is Intent.NUMBER and heard.command.value == 4


def test_silence_times_out_in_simulated_time() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room)
    start = room.t
    heard = loop.listen(Ask(5))
    assert heard.kind == "timeout"
    assert 5.0 <= room.t - start < 5.1


@pytest.mark.parametrize("leak", [0.5, 1.0])
def test_gate_keeps_the_companions_own_voice_out(leak: float) -> None:
    room = Room(Phrasebook(), leak=leak)
    loop = make_loop(room)
    loop.say(PROMPT)
    room.user_says("yes", seconds=0.6, after=1.0)
    heard = loop.listen(Ask(8))
    assert heard.text == "yes" and heard.command.intent is Intent.YES
    # every chunk recorded while the 1.5 s prompt played, and in the tail, was held back
    assert loop.stats.gated_chunks >= (1.5 + 0.3) / 0.03 - 1
    assert loop.stats.echoes_dropped == 0


@pytest.mark.parametrize("after", [0.0, 0.1, 0.2])
def test_a_quick_reply_keeps_its_first_sound(after: float) -> None:
    # The person answers right as the prompt ends, inside the gate's 0.3 s tail:
    # the tail's audio is kept as look-back, so the utterance keeps the reply's
    # first sound (a lost "f" turns "four" into "or").
    room = Room(Phrasebook())
    loop = make_loop(room)
    loop.say(PROMPT)
    spoke_at = room.t + after
    room.user_says("four", after=after, seconds=0.8)
    heard = loop.listen(Ask(8, expect_number=True))
    assert heard.text == "four" and heard.command.value == 4
    assert heard.audio is not None and heard.audio.timestamp is not None
    assert heard.audio.timestamp <= spoke_at + 1e-6


def test_an_echo_outlasting_the_tail_by_a_moment_starts_nothing() -> None:
    # The prompt leaks in 0.35 s late: its last 0.3 s fill the tail and 0.05 s
    # more reach the recogniser's side of the gate. That moment alone is far
    # shorter than a start run, so no utterance begins (seen on the rig as a
    # stray "I do." when tail audio counted toward the run).
    room = Room(Phrasebook(), leak=1.0, leak_delay=0.35)
    loop = make_loop(room)
    loop.say(PROMPT)
    heard = loop.listen(Ask(3))
    assert heard.kind == "timeout"
    assert loop.stats.utterances == 0 and loop.stats.echoes_dropped == 0


def test_the_tail_alone_never_starts_an_utterance() -> None:
    # The prompt leaks in 0.2 s late, so its last 0.2 s land in the tail.
    room = Room(Phrasebook(), leak=1.0, leak_delay=0.2)
    loop = make_loop(room)
    loop.say(PROMPT)
    heard = loop.listen(Ask(3))
    assert heard.kind == "timeout"
    assert loop.stats.utterances == 0 and loop.stats.echoes_dropped == 0


def test_late_echo_is_rejected_by_content() -> None:
    # The leaked prompt arrives 0.6 s late: past the gate's tail, so only the
    # content check can tell it is the companion's own voice.
    room = Room(Phrasebook(), leak=0.8, leak_delay=0.6)
    loop = make_loop(room)
    loop.say(PROMPT)
    room.user_says("I slept badly", after=3.5)
    heard = loop.listen(Ask(10))
    assert heard.text == "I slept badly"
    assert loop.stats.echoes_dropped == 1


def test_without_echo_rejection_the_late_echo_would_answer() -> None:
    room = Room(Phrasebook(), leak=0.8, leak_delay=0.6)
    loop = make_loop(room)
    loop.say(PROMPT)
    loop.echo.clear()  # what the loop would do without content rejection
    loop.echo.remember = lambda prompt, t: None  # type: ignore[method-assign]
    assert loop.listen(Ask(10)).text == PROMPT


def test_stop_in_a_partial_result_ends_the_turn_mid_answer() -> None:
    book = Phrasebook()
    room = Room(book)
    long_answer = "today was long"
    rec = ToneRecognizer(book, partials={long_answer: "today was long and that's all stop"})
    loop = make_loop(room, recognizer=rec)
    room.user_says(long_answer, seconds=10.0)
    start = room.t
    heard = loop.listen(Ask(8))
    assert heard.is_stop
    assert room.t - start < 2.0  # long before the 10 s answer ends


def test_prompts_are_rendered_once() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room)
    loop.say(PROMPT)
    loop.say(PROMPT)
    assert loop.prompts.misses == 1 and loop.prompts.hits == 1


def test_poll_returns_at_its_deadline_when_nothing_is_said() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room)
    start = room.t
    assert loop.poll(start + 2.0) is None
    assert 2.0 <= room.t - start < 2.1


def test_poll_carries_an_utterance_across_calls() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room)
    room.user_says("slower", after=0.2, seconds=1.0)
    start = room.t
    # The utterance is still going on at the first deadline.
    assert loop.poll(start + 0.8) is None
    heard = loop.poll(start + 5.0)
    assert heard is not None and heard.command.intent is Intent.SLOWER


def test_poll_ignores_sounds_announced_as_our_own() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room)
    start = room.t
    # A cue the player has queued, leaking into the microphone on time.
    room.sounds.append((start + 0.5, room.book.tone("out", 1.0) * 0.8))
    loop.own_sound(start + 0.5, start + 1.5)
    assert loop.poll(start + 3.0) is None
    assert loop.stats.gated_chunks > 0


def test_with_headphones_a_command_over_our_own_sound_is_heard() -> None:
    # In headphones the microphone never hears the cue: what it hears meanwhile is
    # the person, and "stop" over the breathing countdown must count.
    room = Room(Phrasebook())
    loop = make_loop(room, settings=LoopSettings(headphones=True))
    start = room.t
    loop.own_sound(start + 0.2, start + 4.7)  # a countdown, announced as our own
    room.user_says("stop", after=0.5, seconds=0.5)
    heard = loop.poll(start + 4.0)
    assert heard is not None and heard.is_stop
    assert heard.ended is not None and heard.ended < start + 4.7  # during the countdown
    assert loop.stats.gated_chunks == 0


def test_without_headphones_the_same_command_is_gated_away() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room)
    start = room.t
    loop.own_sound(start + 0.2, start + 4.7)
    room.user_says("stop", after=0.5, seconds=0.5)
    assert loop.poll(start + 4.0) is None
    assert loop.stats.gated_chunks > 0


def test_with_headphones_a_prompt_that_repeats_ours_is_no_echo() -> None:
    # Someone reading our question back ("how are you feeling today") is speaking:
    # with headphones nothing can be our echo.
    room = Room(Phrasebook())
    loop = make_loop(room, settings=LoopSettings(headphones=True))
    loop.say(PROMPT)
    room.user_says(PROMPT, after=0.5)
    heard = loop.listen(Ask(10))
    assert heard.kind == "speech" and heard.text == PROMPT
    assert loop.stats.echoes_dropped == 0


def test_say_returns_only_once_the_buffered_sound_has_played() -> None:
    """A real sink hands the last sample to the device before it is heard."""

    class BufferedSink:
        def __init__(self) -> None:
            self.now = 50.0

        def play(self, chunk: AudioChunk, at: float | None = None) -> Done:
            start = self.now + 0.1  # the device buffer plays it 0.1 s later
            self.now += chunk.duration  # queued in real time
            return Done(start, start + chunk.duration)

    sink = BufferedSink()
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        sink.now += seconds

    book = Phrasebook()
    loop = VoiceLoop(
        None,  # type: ignore[arg-type]  # nothing is heard in this test
        sink,  # type: ignore[arg-type]
        PromptCache(ToneSynth(book)),
        ToneRecognizer(book),
        clock=lambda: sink.now,
        sleep=sleep,
    )
    loop.say("hello")
    assert slept == [pytest.approx(0.1)]
    assert loop.gate.muted_at(sink.now - 0.01) and loop.clock() == pytest.approx(51.6, abs=0.01)


def test_answer_mode_primes_nothing() -> None:
    room = Room(Phrasebook())
    rec = ToneRecognizer(room.book)
    loop = make_loop(room, recognizer=rec)
    room.user_says("I feel calm tonight")
    assert loop.listen(Ask(8)).text == "I feel calm tonight"
    assert rec.asked == [None]


def test_command_mode_asks_for_exactly_the_allowed_words() -> None:
    room = Room(Phrasebook())
    rec = ToneRecognizer(room.book)
    loop = make_loop(room, recognizer=rec)
    room.user_says("yes", seconds=0.6)
    heard = loop.listen(Ask(8, allowed=frozenset({Intent.YES, Intent.NO}), mode="command"))
    assert heard.command.intent is Intent.YES
    assert rec.asked == [("stop", "yes", "no")]


def test_command_mode_for_a_rating_primes_the_numbers() -> None:
    room = Room(Phrasebook())
    rec = ToneRecognizer(room.book)
    loop = make_loop(room, recognizer=rec)
    room.user_says("four", seconds=0.6)
    ask = Ask(8, expect_number=True, allowed=frozenset({Intent.NUMBER}), mode="command")
    assert loop.listen(ask).command.value == 4
    (phrases,) = rec.asked
    assert phrases is not None and phrases[0] == "stop" and "four" in phrases


def test_a_rating_on_a_scale_of_five_primes_one_to_five_and_still_understands_more() -> None:
    room = Room(Phrasebook())
    rec = ToneRecognizer(room.book)
    loop = make_loop(room, recognizer=rec)
    room.user_says("seven", seconds=0.6)
    allowed = frozenset({Intent.NUMBER})
    ask = Ask(8, expect_number=True, allowed=allowed, mode="command", numbers_up_to=5)
    assert loop.listen(ask).command.value == 7  # understood: the dialog says the scale
    (phrases,) = rec.asked
    assert phrases == ("stop", "one", "two", "three", "four", "five")


@pytest.mark.parametrize("streaming", [False, True])
def test_poll_is_command_mode_with_its_allowed_set(streaming: bool) -> None:
    room = Room(Phrasebook())
    rec = ToneRecognizer(room.book, partials={} if streaming else None)
    loop = make_loop(room, recognizer=rec)
    room.user_says("pause", after=0.2, seconds=0.6)
    breathing = frozenset({Intent.STOP, Intent.PAUSE, Intent.RESUME})
    heard = loop.poll(room.t + 5.0, allowed=breathing)
    assert heard is not None and heard.command.intent is Intent.PAUSE
    assert rec.asked == [("stop", "pause", "resume")]


# --- end of turn ------------------------------------------------------------

YES_NO = frozenset({Intent.YES, Intent.NO})


def test_a_complete_command_ends_the_turn_at_a_short_pause() -> None:
    room = Room(Phrasebook())
    rec = ToneRecognizer(room.book)
    loop = make_loop(room, recognizer=rec)
    spoken_end = room.t + 0.5 + 0.6
    room.user_says("yes", seconds=0.6)
    heard = loop.listen(Ask(8, allowed=YES_NO, mode="command"))
    assert heard.command.intent is Intent.YES
    assert heard.ended is not None and heard.ended - spoken_end < 0.45  # not the 0.7 s silence
    assert loop.stats.early_ends == 1 and len(loop.stats.speculative_seconds) == 1
    assert loop.stats.recognition_seconds == []  # the early decode was the only one


def test_words_that_are_no_command_wait_for_the_whole_end_silence() -> None:
    room = Room(Phrasebook())
    rec = ToneRecognizer(room.book)
    loop = make_loop(room, recognizer=rec)
    spoken_end = room.t + 0.5 + 0.6
    room.user_says("hello there", seconds=0.6)
    heard = loop.listen(Ask(8, allowed=YES_NO, mode="command"))
    assert heard.text == "hello there" and heard.command.intent is Intent.NONE
    assert heard.ended is not None and heard.ended - spoken_end >= 0.7
    assert loop.stats.early_ends == 0 and len(loop.stats.speculative_seconds) == 1


def test_an_unsure_recognition_does_not_end_the_turn_early() -> None:
    room = Room(Phrasebook())
    unsure = TurnSettings().complete_min_heard - 0.05
    rec = ToneRecognizer(room.book, confidence=unsure)
    loop = make_loop(room, recognizer=rec)
    room.user_says("three", seconds=0.6)
    ask = Ask(8, expect_number=True, allowed=frozenset({Intent.NUMBER}), mode="command")
    heard = loop.listen(ask)
    assert heard.command.value == 3 and heard.transcript is not None
    assert heard.transcript.confidence == unsure  # the dialog decides whether to confirm
    assert loop.stats.early_ends == 0 and len(loop.stats.speculative_seconds) == 1
    assert loop.stats.recognition_seconds == []  # nothing more was said: the draft stands


def test_a_finished_sentence_ends_an_answer_at_a_short_pause() -> None:
    room = Room(Phrasebook())
    rec = ToneRecognizer(room.book)
    loop = make_loop(room, recognizer=rec)
    spoken_end = room.t + 0.5 + 1.0
    room.user_says("We went for a walk.", seconds=1.0)
    heard = loop.listen(Ask(8))
    assert heard.text == "We went for a walk."
    finished = TurnSettings().answer_finished_silence_s
    assert heard.ended is not None and heard.ended - spoken_end < finished + 0.1  # not 1.5 s
    assert rec.asked == [None]  # answer mode: the draft is the only decode
    assert loop.stats.early_ends == 1 and loop.stats.recognition_seconds == []


def test_an_answer_that_trails_off_gets_the_reflective_patience_and_keeps_its_draft() -> None:
    room = Room(Phrasebook())
    rec = ToneRecognizer(room.book)
    loop = make_loop(room, recognizer=rec)
    spoken_end = room.t + 0.5 + 1.0
    room.user_says("Today I felt, um...", seconds=1.0)
    heard = loop.listen(Ask(8))
    assert heard.text == "Today I felt, um..."
    patience = TurnSettings().answer_end_silence_s
    assert heard.ended is not None and heard.ended - spoken_end >= patience - 0.05
    assert loop.stats.early_ends == 0 and len(loop.stats.speculative_seconds) == 1
    assert rec.asked == [None] and loop.stats.recognition_seconds == []  # the draft was used


def test_speech_after_a_short_pause_drops_the_draft() -> None:
    room = Room(Phrasebook())
    rec = ToneRecognizer(room.book)
    loop = make_loop(room, recognizer=rec)
    room.user_says("My sister called.", seconds=1.0)
    # A pause long enough for a draft (0.1 s) but not to end the turn (0.3 s).
    room.user_says("And my brother.", after=0.5 + 1.0 + 0.21, seconds=1.2)
    second_end = room.t + 0.5 + 1.0 + 0.21 + 1.2
    heard = loop.listen(Ask(8))
    assert heard.ended is not None and heard.ended >= second_end  # one turn, both parts
    assert len(loop.stats.speculative_seconds) == 2 and loop.stats.utterances == 1


def test_a_streaming_engine_answers_on_silence_alone() -> None:
    room = Room(Phrasebook())
    rec = ToneRecognizer(room.book, partials={})
    loop = make_loop(room, recognizer=rec)
    room.user_says("We went for a walk.", seconds=1.0)
    heard = loop.listen(Ask(8))
    assert heard.text == "We went for a walk."
    assert loop.stats.early_ends == 0 and loop.stats.speculative_seconds == []


def test_a_streaming_engine_ends_the_turn_on_its_partial_result() -> None:
    room = Room(Phrasebook())
    rec = ToneRecognizer(room.book, partials={})
    loop = make_loop(room, recognizer=rec)
    spoken_end = room.t + 0.5 + 0.6
    room.user_says("pause", seconds=0.6)
    heard = loop.listen(Ask(8, allowed=frozenset({Intent.PAUSE}), mode="command"))
    assert heard.command.intent is Intent.PAUSE
    assert heard.ended is not None and heard.ended - spoken_end < 0.45
    assert loop.stats.early_ends == 1 and loop.stats.speculative_seconds == []


def test_a_reflective_answer_may_pause_for_a_second_without_losing_its_end() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room)
    start = room.t
    room.user_says("I feel calm, and", seconds=1.0)
    room.user_says("tonight.", after=0.5 + 1.0 + 1.0, seconds=0.4)  # after a 1 s pause
    heard = loop.listen(Ask(8))
    assert heard.ended is not None and heard.ended > start + 2.9  # both parts, one turn
    assert loop.stats.utterances == 1


def test_command_mode_keeps_the_endpoints_end_silence() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room)
    assert loop.end_silence_s(Ask(mode="command")) == 0.7
    assert loop.end_silence_s(Ask()) == TurnSettings().answer_end_silence_s == 1.5
    with pytest.raises(ValueError):
        TurnSettings(complete_silence_s=0)
    with pytest.raises(ValueError):
        TurnSettings(draft_after_s=0.4, answer_finished_silence_s=0.3)


class DeafAtFirst(ToneRecognizer):
    """Hears nothing in its first decode (a draft whisper rejected), then as usual."""

    def transcribe(self, chunk: AudioChunk, phrases: Sequence[str] | None = None) -> Transcript:
        if not self.asked:
            self.asked.append(None if phrases is None else tuple(phrases))
            return Transcript("", (), 0.0, self.name)
        return super().transcribe(chunk, phrases)


def test_a_draft_that_heard_nothing_gets_a_second_decode_at_the_end() -> None:
    room = Room(Phrasebook())
    rec = DeafAtFirst(room.book)
    loop = make_loop(room, recognizer=rec)
    room.user_says("four", seconds=0.5)
    ask = Ask(8, expect_number=True, allowed=frozenset({Intent.NUMBER}), mode="command")
    heard = loop.listen(ask)
    assert heard.kind == "speech" and heard.command.value == 4
    assert len(rec.asked) == 2 and len(loop.stats.recognition_seconds) == 1


def test_a_one_word_reply_is_heard_in_command_mode_though_short() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room)
    room.user_says("yes", seconds=0.25)  # too short to open an answer (0.3 s)
    heard = loop.listen(Ask(4, allowed=YES_NO, mode="command"))
    assert heard.command.intent is Intent.YES
    room.user_says("no", seconds=0.25)
    assert loop.listen(Ask(4)).kind == "timeout"  # answer mode keeps the longer start
