"""Half-duplex gating boundaries and echo rejection by transcript content."""

from __future__ import annotations

import pytest

from audio_companion.audio.chunk import AudioChunk
from audio_companion.voice.duplex import EchoFilter, HalfDuplexGate, is_echo, normalize_words

RATE = 16000


def chunk(t: float, seconds: float = 0.125) -> AudioChunk:
    """A chunk captured from ``t`` (binary-exact durations keep boundaries exact)."""
    return AudioChunk(RATE, 2, 1, bytes(2 * round(seconds * RATE)), t)


# --- half-duplex gate ---------------------------------------------------------------------


def test_gate_defaults_to_a_0_3_s_tail() -> None:
    gate = HalfDuplexGate()
    gate.speaking_started(10.0)
    gate.speaking_ended(12.0)
    assert not gate.muted_at(12.0 + gate.tail_s)
    assert gate.muted_at(12.29)
    assert gate.tail_s == pytest.approx(0.3)


def test_gate_admits_everything_when_we_never_spoke() -> None:
    gate = HalfDuplexGate(tail_s=0.25)
    assert gate.admit(chunk(0.0))
    assert gate.admit(chunk(100.0))
    assert not gate.speaking


def test_gate_blocks_audio_while_speaking() -> None:
    gate = HalfDuplexGate(tail_s=0.25)
    gate.speaking_started(10.0)
    assert gate.speaking
    assert gate.admit(chunk(9.875))  # ends exactly when the prompt starts
    assert not gate.admit(chunk(9.9375))  # overlaps the prompt's first 62.5 ms
    assert not gate.admit(chunk(10.0))
    assert not gate.admit(chunk(60.0))  # still speaking, however long


def test_gate_blocks_the_tail_and_reopens_exactly_after_it() -> None:
    gate = HalfDuplexGate(tail_s=0.25)
    gate.speaking_started(10.0)
    gate.speaking_ended(15.0)
    assert not gate.speaking
    assert not gate.admit(chunk(14.875))  # during the prompt
    assert not gate.admit(chunk(15.0))  # in the tail
    assert not gate.admit(chunk(15.125))  # starts in the tail, ends outside it
    assert gate.admit(chunk(15.25))  # starts exactly when the tail ends
    assert gate.admit(chunk(20.0))
    assert gate.muted_at(15.0) and gate.muted_at(15.2499)
    assert not gate.muted_at(15.25)
    assert not gate.muted_at(9.9999) and gate.muted_at(10.0)


def test_gate_judges_late_chunks_by_capture_time() -> None:
    gate = HalfDuplexGate(tail_s=0.25)
    gate.speaking_started(10.0)
    gate.speaking_ended(12.0)
    gate.speaking_started(20.0)
    # Captured between the two prompts but delivered during the second one.
    assert gate.admit(chunk(16.0))
    # Captured during the first prompt but delivered now.
    assert not gate.admit(chunk(11.0))


def test_gate_with_zero_tail_and_bogus_calls() -> None:
    gate = HalfDuplexGate(tail_s=0.0)
    gate.speaking_ended(5.0)  # not speaking: ignored
    assert gate.admit(chunk(5.0))
    gate.speaking_started(10.0)
    gate.speaking_started(11.0)  # already speaking: the first start stands
    gate.speaking_ended(12.0)
    assert not gate.admit(chunk(10.0))
    assert gate.admit(chunk(12.0))
    with pytest.raises(ValueError):
        HalfDuplexGate(tail_s=-1.0)


def test_gate_uses_the_clock_for_chunks_without_timestamps() -> None:
    now = [0.0]
    gate = HalfDuplexGate(tail_s=0.25, clock=lambda: now[0])
    gate.speaking_started(10.0)
    gate.speaking_ended(12.0)
    untimed = AudioChunk.silence(0.125, RATE)
    now[0] = 12.25  # arrived now, so captured from 12.125
    assert not gate.admit(untimed)
    now[0] = 12.375
    assert gate.admit(untimed)
    with pytest.raises(ValueError):
        HalfDuplexGate().admit(untimed)


# --- echo rejection -------------------------------------------------------------------------

PROMPT = "How are you feeling today?"
BREATH = "Take a slow breath in through your nose, and hold it for four."


def test_normalize_words() -> None:
    assert normalize_words("  How ARE you -- feeling, today?! ") == [
        "how",
        "are",
        "you",
        "feeling",
        "today",
    ]
    assert normalize_words("I’m fine; it's OK_ok") == ["im", "fine", "its", "ok", "ok"]
    assert normalize_words("") == []


@pytest.mark.parametrize(
    ("transcript", "prompts"),
    [
        ("how are you feeling today", [PROMPT]),
        ("How are you feeling today?", [PROMPT]),
        ("are you feeling", [PROMPT]),  # a fragment of the prompt
        ("breath in through your nose", [BREATH]),
        ("take a slow breath in through your knows", [BREATH]),  # one word misheard
        ("um how are you feeling today", [PROMPT]),  # plus a stray word
        ("hold it for four", ["Good evening.", BREATH]),  # any recent prompt
    ],
)
def test_echo_detected(transcript: str, prompts: list[str]) -> None:
    assert is_echo(transcript, prompts)


@pytest.mark.parametrize(
    ("transcript", "prompts"),
    [
        ("yes", [PROMPT]),
        ("I feel fine", [PROMPT]),
        ("I'm feeling fine today", [PROMPT]),
        ("good night", ["Good night."]),  # a genuine short reply that repeats the prompt
        ("feeling today", [PROMPT]),  # too short to call
        ("how are you feeling today i feel really tired and a bit sad", [PROMPT]),
        ("today you are feeling how", [PROMPT]),  # same words, wrong order
        ("how are you feeling today", [BREATH]),  # not what we said
        ("how are you feeling today", []),
        ("", [PROMPT]),
        ("...", [PROMPT]),
    ],
)
def test_not_echo(transcript: str, prompts: list[str]) -> None:
    assert not is_echo(transcript, prompts)


def test_echo_thresholds_are_configurable() -> None:
    assert is_echo("feeling today", [PROMPT], min_words=2)
    assert not is_echo("how are you feeling today", [PROMPT], min_words=6)
    # 4 of 6 words from the prompt: below the default 0.7, above 0.6.
    assert not is_echo("how are you feeling to day", [PROMPT])
    assert is_echo("how are you feeling to day", [PROMPT], containment=0.6)


def test_echo_filter_remembers_recent_prompts_only() -> None:
    echo = EchoFilter(max_prompts=2, window_s=30.0)
    echo.remember(PROMPT, t=100.0)
    assert echo.is_echo("how are you feeling today", now=101.0)
    assert echo.is_echo("how are you feeling today", now=130.0)
    assert not echo.is_echo("how are you feeling today", now=130.5)  # too long ago
    assert not echo.is_echo("I feel fine", now=101.0)

    echo.remember("Good evening, nice to hear you.", t=102.0)
    echo.remember(BREATH, t=103.0)  # pushes PROMPT out (max 2)
    assert not echo.is_echo("how are you feeling today", now=104.0)
    assert echo.is_echo("nice to hear you", now=104.0)
    assert echo.recent(104.0) == ["Good evening, nice to hear you.", BREATH]

    echo.clear()
    assert not echo.is_echo("nice to hear you", now=104.0)
