"""Voice-core commands: devices, transcribe, listen."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from audio_companion.cli import CompanionCommandError, main
from audio_companion.cli.stack import VoiceOptions, open_voice, prompt_cache, vocabulary_for

if TYPE_CHECKING:
    from audio_companion.voice.intents import Command

engine_option = click.option(
    "--engine",
    type=click.Choice(["auto", "vosk", "whisper"]),
    default="auto",
    show_default=True,
    help="Recogniser: vosk when a vosk model is installed, else whisper (tiny.en).",
)
model_option = click.option(
    "--model", help="Model folder or name (see `audio-companion models list`)."
)
input_option = click.option(
    "--input", "--device", "input_device", help="Microphone: device index or part of its name."
)
output_option = click.option(
    "--output", "output_device", help="Speakers: device index or part of its name."
)
headphones_option = click.option(
    "--headphones",
    is_flag=True,
    help="You hear the companion in headphones, so the microphone never hears it: nothing "
    "is gated, and a command over a breathing cue or the countdown is heard. With a speaker "
    "in the room, leave it off.",
)
stop_word_option = click.option(
    "--stop-word",
    help="Your own stop word, honoured besides 'stop'. A couple's check-in takes one each, "
    "NAME=WORD,NAME=WORD (e.g. Sam=pineapple,Alex=lighthouse): any of them, said by anyone, stops.",
)

LISTENING = "I'm listening. Say stop when you are done."
STOPPING = "Stopping. Good night."


def with_voice_options(command: Callable[..., None]) -> Callable[..., None]:
    """--engine, --model, --input, --output and --headphones, given to `command` as one
    `voice_options`.

    Every spoken command takes the same five; here they are declared once, in
    one order for --help, and turned into a VoiceOptions in one place.
    """

    @functools.wraps(command)
    def run(
        *args: Any,
        engine: str,
        model: str | None,
        input_device: str | None,
        output_device: str | None,
        headphones: bool,
        **kwargs: Any,
    ) -> None:
        options = VoiceOptions(engine, model, input_device, output_device, headphones)
        command(*args, voice_options=options, **kwargs)

    # Click lists options in the reverse of the order they are applied.
    for option in (headphones_option, output_option, input_option, model_option, engine_option):
        run = option(run)
    return run


@main.command()
def devices() -> None:
    """List audio input and output devices; < marks the default input, > the default output."""
    from audio_companion.audio.devices import describe_devices, list_devices

    click.echo(describe_devices(list_devices()))


@main.command()
@click.argument("wav", type=click.Path(path_type=Path))
@engine_option
@model_option
@click.option("--words", is_flag=True, help="Also print each word with its start and end time.")
def transcribe(wav: Path, engine: str, model: str | None, words: bool) -> None:
    """Print what is said in a WAV file (any sample rate, mono or stereo)."""
    import wave

    from audio_companion.asr.registry import make_recognizer
    from audio_companion.audio.resample import to_mono16k
    from audio_companion.audio.wav import read_wav
    from audio_companion.errors import InputError

    if not wav.is_file():
        raise CompanionCommandError(InputError(f"{wav}: no such file"))
    try:
        audio = to_mono16k(read_wav(wav))
    except (wave.Error, EOFError) as exc:
        raise CompanionCommandError(InputError(f"{wav}: not a WAV file ({exc})")) from exc
    transcript = make_recognizer(engine, model).transcribe(audio)
    click.echo(transcript.text)
    if words:
        for w in transcript.words:
            click.echo(f"{w.start:7.2f} {w.end:7.2f}  {w.confidence:4.2f}  {w.text}")


def _describe(command: Command) -> str:
    value = f" {command.value}" if command.value is not None else ""
    return f"{command.intent.name.lower()}{value}"


@main.command()
@with_voice_options
@stop_word_option
@click.option("--quiet", is_flag=True, help="Do not speak; only print what is heard.")
@click.option(
    "--text",
    "text_mode",
    is_flag=True,
    help="Type instead of speaking: read lines from standard input.",
)
def listen(
    voice_options: VoiceOptions,
    stop_word: str | None,
    quiet: bool,
    text_mode: bool,
) -> None:
    """Print live utterances and spoken commands until you say the stop word.

    The first thing to run with a new microphone: it says what it heard back
    to you (unless --quiet), and never answers its own voice.
    """
    from audio_companion.voice.intents import Intent, match_command

    vocabulary = vocabulary_for(stop_word)
    if text_mode:
        click.echo("Type what you would say; the stop word ends.")
        for line in sys.stdin:
            command = match_command(line, vocabulary)
            click.echo(f"heard: {line.strip()}")
            if command.intent is not Intent.NONE:
                click.echo(f"command: {_describe(command)}")
            if command.intent is Intent.STOP:
                break
        return

    with open_voice(voice_options, prompt_cache(), vocabulary) as voice:
        loop = voice.loop
        if not quiet:
            # Its own lines are kept for next time; a read-back of what was heard never is.
            loop.prompts.prepare([LISTENING, STOPPING])
            loop.say(LISTENING)
        click.echo(f"Listening with {loop.recognizer.name}; say 'stop' to finish.")
        while True:
            heard = loop.listen()
            if heard.kind == "end":
                break
            if heard.kind != "speech":
                continue
            click.echo(f"heard: {heard.text}")
            if heard.command.intent is not Intent.NONE:
                click.echo(f"command: {_describe(heard.command)}")
            if heard.is_stop:
                if not quiet:
                    loop.say(STOPPING)
                break
            if not quiet:
                loop.say(f"I heard: {heard.text}")
