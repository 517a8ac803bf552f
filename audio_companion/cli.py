"""Command-line edge: parse options into frozen settings, report errors in one line.

Nothing below this module imports click; every CompanionError raised inside
becomes a single "Error: …" line and its exit code, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import click

from audio_companion import __version__
from audio_companion.errors import CompanionError
from audio_companion.settings import (
    DEFAULT_AUTHOR,
    DEFAULT_BASE_URL,
    BuildSettings,
    EncodeSettings,
    ShowSettings,
    VoiceSettings,
    build_time_from_env,
    normalise_base_url,
)

SAMPLE_ARTICLE = "sample_article.txt"


class CompanionCommandError(click.ClickException):
    def __init__(self, error: CompanionError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]


@contextmanager
def reported_errors() -> Iterator[None]:
    try:
        yield
    except CompanionError as exc:
        raise CompanionCommandError(exc) from exc
    except KeyboardInterrupt:
        click.echo("Interrupted; nothing half-written was left behind.", err=True)
        sys.exit(130)


class CompanionGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        with reported_errors():
            return super().invoke(ctx)


@click.group(cls=CompanionGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audio-companion")
def main() -> None:
    """Offline voice companion for nightly rituals, and a narrated-podcast builder."""


class _TtyReporter:
    """A progress bar per episode while a person watches a terminal."""

    def __init__(self) -> None:
        self._bar: Any = None

    def episode_started(self, ep: Any, index: int, total: int) -> None:
        label = f"[{index + 1}/{total}] {ep.title[:40]}"
        self._bar = click.progressbar(length=len(ep.lines), label=label, width=24)
        self._bar.__enter__()

    def line_done(self) -> None:
        self._bar.update(1)

    def episode_done(self, ep: Any, audio_seconds: float, wall_seconds: float) -> None:
        self._bar.__exit__(None, None, None)


class _LogReporter:
    """Plain lines for logs and pipes, one per episode."""

    def __init__(self) -> None:
        self._index = 0
        self._total = 0

    def episode_started(self, ep: Any, index: int, total: int) -> None:
        self._index, self._total = index + 1, total

    def line_done(self) -> None:
        pass

    def episode_done(self, ep: Any, audio_seconds: float, wall_seconds: float) -> None:
        click.echo(
            f"[{self._index}/{self._total}] {ep.file_name}: {audio_seconds:.1f} s of audio "
            f"in {wall_seconds:.2f} s"
        )


@main.command()
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("feed"),
    show_default=True,
    help="Folder for the MP3s, cover and feed.xml.",
)
@click.option(
    "--base-url",
    default=DEFAULT_BASE_URL,
    show_default=True,
    help="Public address of the output folder; enclosure URLs start with it.",
)
@click.option("--title", help="Show title. Default: the article's title.")
@click.option("--description", help="Show description. Default: the article's teaser.")
@click.option("--author", default=DEFAULT_AUTHOR, show_default=True, help="Show author and owner.")
@click.option(
    "--email",
    "owner_email",
    default="podcast@example.invalid",
    show_default=True,
    help="Owner e-mail address in the feed.",
)
@click.option("--language", default="en", show_default=True, help="Feed language (RFC 5646).")
@click.option("--image-url", help="Use this cover URL instead of generating cover.png.")
@click.option(
    "--explicit/--clean", default=False, show_default=True, help="Mark the show explicit or clean."
)
@click.option("--voice", default=None, help="espeak-ng voice, e.g. gmw/en-US. Default: English.")
@click.option(
    "--rate",
    "rate_wpm",
    type=click.IntRange(80, 450),
    default=175,
    show_default=True,
    help="Speaking rate in words per minute.",
)
@click.option("--bitrate", default="64k", show_default=True, help="MP3 bitrate (CBR).")
def build(
    articles: tuple[Path, ...],
    out: Path,
    base_url: str,
    title: str | None,
    description: str | None,
    author: str,
    owner_email: str,
    language: str,
    image_url: str | None,
    explicit: bool,
    voice: str | None,
    rate_wpm: int,
    bitrate: str,
) -> None:
    """Narrate ARTICLES (.txt or .md) into MP3 episodes and a podcast feed.

    Each main section of an article becomes one episode. With no ARTICLES the
    bundled sample article is built.
    """
    from audio_companion.article import load_article, parse_text
    from audio_companion.podcast.build import build as run_build
    from audio_companion.speech.tts import make_synthesizer

    if articles:
        parsed = [load_article(p) for p in articles]
    else:
        text = (
            resources.files("audio_companion").joinpath("data", SAMPLE_ARTICLE).read_text("utf-8")
        )
        parsed = [parse_text(text, "text", SAMPLE_ARTICLE)]
    settings = BuildSettings(
        out_dir=out,
        base_url=normalise_base_url(base_url),
        show=ShowSettings(
            title=title,
            description=description,
            author=author,
            owner_email=owner_email,
            language=language,
            explicit=explicit,
            image_url=image_url,
        ),
        voice=VoiceSettings(name=voice, rate_wpm=rate_wpm),
        encode=EncodeSettings(bitrate=bitrate),
        published=build_time_from_env(),
    )
    reporter = _TtyReporter() if sys.stdout.isatty() else _LogReporter()
    result = run_build(parsed, settings, make_synthesizer(settings.voice), reporter)
    minutes = result.audio_seconds / 60
    click.echo(
        f"Wrote {len(result.episodes)} episodes ({minutes:.1f} min of audio) and "
        f"{result.feed_path} in {result.wall_seconds:.1f} s."
    )


# --------------------------------------------------------------------- voice


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

    from audio_companion.audio.resample import to_mono16k
    from audio_companion.audio.wav import read_wav
    from audio_companion.errors import InputError
    from audio_companion.speech.models import make_recognizer

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


def _vocabulary(stop_word: str | None) -> Any:
    from audio_companion.dialog.intents import CommandVocabulary

    try:
        return CommandVocabulary(personal_stop_word=stop_word or None)
    except ValueError as exc:
        from audio_companion.errors import InputError

        raise CompanionCommandError(InputError(f"--stop-word: {exc}")) from exc


def _describe(command: Any) -> str:
    value = f" {command.value}" if command.value is not None else ""
    return f"{command.intent.name.lower()}{value}"


@main.command()
@engine_option
@model_option
@click.option("--input", "input_device", help="Microphone: device index or part of its name.")
@click.option("--output", "output_device", help="Speakers: device index or part of its name.")
@click.option("--stop-word", help="Your own stop word, honoured besides 'stop'.")
@click.option("--quiet", is_flag=True, help="Do not speak; only print what is heard.")
@click.option(
    "--text",
    "text_mode",
    is_flag=True,
    help="Type instead of speaking: read lines from standard input.",
)
def listen(
    engine: str,
    model: str | None,
    input_device: str | None,
    output_device: str | None,
    stop_word: str | None,
    quiet: bool,
    text_mode: bool,
) -> None:
    """Print live utterances and spoken commands until you say the stop word.

    The first thing to run with a new microphone: it says what it heard back
    to you (unless --quiet), and never answers its own voice.
    """
    from audio_companion.dialog.intents import Intent, match_command

    vocabulary = _vocabulary(stop_word)
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

    from audio_companion.audio.microphone import MicrophoneSource
    from audio_companion.audio.speaker import SpeakerSink
    from audio_companion.dialog.loop import LoopSettings, VoiceLoop
    from audio_companion.settings import cache_dir
    from audio_companion.speech.models import make_recognizer
    from audio_companion.speech.prompts import PromptCache
    from audio_companion.speech.tts import make_synthesizer

    recognizer = make_recognizer(engine, model)
    prompts = PromptCache(make_synthesizer(VoiceSettings()), cache_dir() / "prompts")
    with MicrophoneSource(input_device) as mic, SpeakerSink(output_device) as speaker:
        loop = VoiceLoop(
            mic,
            speaker,
            prompts,
            recognizer,
            LoopSettings(vocabulary=vocabulary),
        )
        if not quiet:
            loop.say("I'm listening. Say stop when you are done.")
        click.echo(f"Listening with {recognizer.name}; say 'stop' to finish.")
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
                    loop.say("Stopping. Good night.")
                break
            if not quiet:
                loop.say(f"I heard: {heard.text}")


@main.group()
def models() -> None:
    """List, install and locate speech-recognition models (kept in ./models)."""


@models.command("list")
@click.option("--dir", "models_dir", type=click.Path(path_type=Path), help="Models folder.")
def models_list(models_dir: Path | None) -> None:
    """Show installed and installable models and where they are."""
    from audio_companion.speech.models import list_models

    for m in list_models(models_dir):
        state = "installed" if m.installed else "not installed"
        click.echo(f"{m.name:28} {m.engine:8} {state:14} {m.path or m.source}")


@models.command("install")
@click.argument("name")
@click.option(
    "--from",
    "from_zip",
    type=click.Path(path_type=Path),
    help="Install from a zip you already have (offline).",
)
@click.option("--url", help="Download from this address instead (a mirror).")
@click.option("--sha256", help="Expected SHA-256 of the zip (needed for models not in the list).")
@click.option("--no-verify", is_flag=True, help="Install a custom zip without a checksum.")
@click.option("--force", is_flag=True, help="Replace an installed copy.")
@click.option("--dir", "models_dir", type=click.Path(path_type=Path), help="Models folder.")
def models_install(
    name: str,
    from_zip: Path | None,
    url: str | None,
    sha256: str | None,
    no_verify: bool,
    force: bool,
    models_dir: Path | None,
) -> None:
    """Download (or unpack) model NAME, check its SHA-256 and install it.

    Known: vosk-small-en-us (the official small US English vosk model).
    """
    from audio_companion.speech.models import install

    path = install(
        name,
        models_dir,
        url=url,
        from_zip=from_zip,
        sha256=sha256,
        verify=not no_verify,
        force=force,
    )
    click.echo(f"Installed {name} in {path}")


@models.command("path")
@click.argument("name")
@click.option("--dir", "models_dir", type=click.Path(path_type=Path), help="Models folder.")
def models_path(name: str, models_dir: Path | None) -> None:
    """Print the folder of installed model NAME."""
    from audio_companion.speech.models import model_path

    click.echo(str(model_path(name, models_dir)))
