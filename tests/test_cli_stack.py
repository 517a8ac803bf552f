"""The voice stack's composition root, with fake devices and a fake recogniser."""

from __future__ import annotations

import dataclasses
from types import TracebackType
from typing import Any, cast

import click
import pytest
from click.testing import CliRunner

from audio_companion.asr import registry
from audio_companion.audio import microphone, speaker
from audio_companion.breathing.voice import COMMAND_ENDPOINT, COMMAND_GATE_TAIL_S
from audio_companion.cli import CompanionCommandError, main
from audio_companion.cli.stack import (
    VoiceOptions,
    VoiceStack,
    open_speaker_if_any,
    open_voice,
    vocabulary_for,
)
from audio_companion.cli.voice import with_voice_options
from audio_companion.errors import CompanionError
from audio_companion.tts.prompts import PromptCache
from audio_companion.voice.duplex import OpenGate
from audio_companion.voice.endpoint import EndpointSettings


class Events:
    def __init__(self) -> None:
        self.log: list[str] = []
        self.rates: dict[str, int | None] = {}


class FakeDevice:
    events: Events
    kind = "device"

    def __init__(self, device: str | None = None, rate: int | None = None) -> None:
        self.device = device
        self.rate = rate

    def __enter__(self) -> FakeDevice:
        self.events.log.append(f"open {self.kind} {self.device}")
        self.events.rates[self.kind] = self.rate
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.events.log.append(f"close {self.kind}")


class FakeRecognizer:
    name = "fake"
    streaming = False


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> Events:
    log = Events()

    class Mic(FakeDevice):
        events = log
        kind = "mic"
        exhausted = False

    class Speaker(FakeDevice):
        events = log
        kind = "speaker"

    def make_recognizer(engine: str, model: str | None) -> Any:
        log.log.append(f"recogniser {engine} {model}")
        return FakeRecognizer()

    monkeypatch.setattr(microphone, "MicrophoneSource", Mic)
    monkeypatch.setattr(speaker, "SpeakerSink", Speaker)
    monkeypatch.setattr(registry, "make_recognizer", make_recognizer)
    return log


PROMPTS = PromptCache(None)  # type: ignore[arg-type]  # nothing is said in these tests
OPTIONS = VoiceOptions("vosk", "small", input_device="usb", output_device="hdmi")


def test_the_recogniser_loads_before_any_device_opens_and_all_close(events: Events) -> None:
    with open_voice(OPTIONS, PROMPTS, vocabulary_for(None)) as voice:
        assert isinstance(voice, VoiceStack)
        assert voice.loop.sink is voice.speaker
        assert voice.loop.settings.endpoint == EndpointSettings()
    assert events.log == [
        "recogniser vosk small",
        "open mic usb",
        "open speaker hdmi",
        "close speaker",
        "close mic",
    ]


def test_command_mode_listens_for_short_words_with_the_personal_stop_word(events: Events) -> None:
    with open_voice(OPTIONS, PROMPTS, vocabulary_for("pineapple"), commands=True) as v:
        assert v.loop.settings.endpoint == COMMAND_ENDPOINT
        assert v.loop.settings.gate_tail_s == COMMAND_GATE_TAIL_S
        assert v.loop.vocabulary.personal_stop_word == "pineapple"
    assert events.log[0] == "recogniser vosk small"


@pytest.mark.parametrize("commands", [False, True], ids=["conversation", "commands"])
def test_with_headphones_nothing_is_gated_in_either_mode(events: Events, commands: bool) -> None:
    options = dataclasses.replace(OPTIONS, headphones=True)
    with open_voice(options, PROMPTS, vocabulary_for(None), commands=commands) as v:
        assert v.loop.settings.headphones and isinstance(v.loop.gate, OpenGate)
    with open_voice(OPTIONS, PROMPTS, vocabulary_for(None), commands=commands) as v:
        assert not v.loop.settings.headphones and not isinstance(v.loop.gate, OpenGate)


@pytest.mark.parametrize(
    ("command", "path"),
    [("listen", []), ("checkin", []), ("breathe", []), ("fire", ["remind"])],
)
def test_every_spoken_command_takes_headphones(command: str, path: list[str]) -> None:
    group: click.Group = main
    for name in path:
        group = cast(click.Group, group.commands[name])
    names = {p.name for p in group.commands[command].params}
    assert "headphones" in names


def test_the_voice_options_carry_headphones_to_the_command() -> None:
    got: list[VoiceOptions] = []

    @click.command()
    @with_voice_options
    def spoken(voice_options: VoiceOptions) -> None:
        got.append(voice_options)

    assert CliRunner().invoke(spoken, ["--headphones", "--input", "usb"]).exit_code == 0
    assert CliRunner().invoke(spoken, []).exit_code == 0
    assert got == [
        VoiceOptions(input_device="usb", headphones=True),
        VoiceOptions(),
    ]


def test_typed_mode_goes_on_without_a_speaker(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def __init__(self, device: str | None = None, rate: int | None = None) -> None:
            pass

        def __enter__(self) -> Broken:
            raise CompanionError("no output device")

    monkeypatch.setattr(speaker, "SpeakerSink", Broken)
    warned: list[str] = []
    with open_speaker_if_any(None, PROMPTS, warned.append) as voice:
        assert voice is None
    assert warned == ["(prompts are shown, not spoken: no output device)"]


def test_errors_inside_the_block_are_not_taken_for_a_missing_speaker(events: Events) -> None:
    warned: list[str] = []
    with (
        pytest.raises(CompanionError, match="journal"),
        open_speaker_if_any("hdmi", PROMPTS, warned.append) as voice,
    ):
        assert voice is not None
        raise CompanionError("journal is locked")
    assert warned == []
    assert events.log == ["open speaker hdmi", "close speaker"]


def test_a_bad_stop_word_is_a_usage_error() -> None:
    with pytest.raises(CompanionCommandError, match="--stop-word"):
        vocabulary_for("repeat")


def test_prompt_cache_says_once_when_the_system_voice_stands_in(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from audio_companion.cli.stack import prompt_cache
    from audio_companion.tts import hibari
    from audio_companion.tts.registry import FALLBACK_NOTE

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(hibari, "is_installed", lambda: False)
    prompts = prompt_cache()
    assert prompts.synth.identity.startswith("pyttsx3-espeak")
    assert capsys.readouterr().err.strip() == FALLBACK_NOTE
    prompt_cache(announce=False)
    assert capsys.readouterr().err == ""


class RatedSynth:
    identity = "rated"
    sample_rate = 24000


def test_the_speaker_opens_at_the_voices_rate_unless_told_otherwise(events: Events) -> None:
    # A prompt played at another rate than it was made is resampled on every play.
    prompts = PromptCache(RatedSynth())  # type: ignore[arg-type]
    with open_voice(OPTIONS, prompts, vocabulary_for(None)):
        assert events.rates["speaker"] == 24000
    with open_voice(OPTIONS, prompts, vocabulary_for(None), commands=True, rate=22050):
        assert events.rates["speaker"] == 22050
    with open_voice(OPTIONS, PROMPTS, vocabulary_for(None)):  # a voice that does not say
        assert events.rates["speaker"] == 22050
