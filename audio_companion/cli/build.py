"""`build`: articles to narrated episodes and a feed."""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import click

from audio_companion import DEFAULT_AUTHOR
from audio_companion.cli import format_option, main
from audio_companion.errors import InputError
from audio_companion.media.encode import EncodeSettings
from audio_companion.paths import cache_dir
from audio_companion.podcast.settings import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_EPISODES,
    BuildSettings,
    ShowSettings,
    normalise_base_url,
)
from audio_companion.tts.base import VoiceSettings

SAMPLE_ARTICLE = "sample_article.txt"
PREVIEW_FILE = "preview.mp3"
VOICE_HELP = (
    "hibari (the neural default), piper[:MODEL.onnx], or system / espeak[:NAME] "
    "(espeak-ng, the fallback when no neural voice is installed). "
    "`audio-companion voices` lists what is installed."
)
rate_option = click.option(
    "--rate",
    "rate_wpm",
    type=click.IntRange(80, 450),
    default=None,
    help="Speaking rate in words per minute. Default: the voice's natural pace (175) for "
    "hibari and piper, 160 for espeak.",
)

_F = TypeVar("_F", bound=Callable[..., Any])


def chosen_voice(spec: str | None, rate_wpm: int | None) -> VoiceSettings:
    """The voice named on the command line, or the default one (its note shown once)."""
    from audio_companion.tts.registry import default_voice

    if spec is None:
        default = default_voice()
        if default.note:
            click.echo(default.note, err=True)
        spec = default.engine
    return VoiceSettings.parse(spec, rate_wpm)


class _TtyReporter:
    """One progress bar over the episodes while a person watches a terminal."""

    def __init__(self) -> None:
        self._bar: Any = None

    def episode_done(self, ep: Any, index: int, total: int, audio_seconds: float) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=total, label="Narrating", width=24)
            self._bar.__enter__()
        self._bar.label = f"[{index + 1}/{total}] {ep.title[:40]}"
        self._bar.update(1)
        if index + 1 == total:
            self._bar.__exit__(None, None, None)
            self._bar = None


class _LogReporter:
    """Plain lines for logs and pipes, one per episode."""

    def episode_done(self, ep: Any, index: int, total: int, audio_seconds: float) -> None:
        click.echo(f"[{index + 1}/{total}] {ep.file_name}: {audio_seconds:.1f} s of audio")


# The show's options, in --help order. Each is named after the ShowSettings
# field it sets, so `with_show_options` gathers them by name.
_SHOW_OPTIONS = (
    click.option("--title", help="Show title. Default: the article's title."),
    click.option("--description", help="Show description. Default: the article's teaser."),
    click.option(
        "--author", default=DEFAULT_AUTHOR, show_default=True, help="Show author and owner."
    ),
    click.option(
        "--email",
        "owner_email",
        default="podcast@example.invalid",
        show_default=True,
        help="Owner e-mail address in the feed.",
    ),
    click.option("--language", default="en", show_default=True, help="Feed language (RFC 5646)."),
    click.option(
        "--cover",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        help="Cover image (.jpg or .png, square, 1400–3000 px, RGB), copied into the feed. "
        "Default: one drawn from the show title.",
    ),
    click.option("--image-url", help="Use a cover hosted at this URL instead."),
    click.option(
        "--locked/--unlocked",
        default=True,
        show_default=True,
        help="podcast:locked: ask other podcast platforms not to import the feed.",
    ),
    click.option(
        "--explicit/--clean",
        default=False,
        show_default=True,
        help="Mark the show explicit or clean.",
    ),
)
_SHOW_FIELDS = (
    "title",
    "description",
    "author",
    "owner_email",
    "language",
    "cover",
    "image_url",
    "locked",
    "explicit",
)


def with_show_options(command: Callable[..., None]) -> Callable[..., None]:
    """--title … --explicit, given to `command` as one `show: ShowSettings`."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        show = ShowSettings(**{name: kwargs.pop(name) for name in _SHOW_FIELDS})
        command(*args, show=show, **kwargs)

    for option in reversed(_SHOW_OPTIONS):
        run = option(run)
    return run


def limit_options(command: _F) -> _F:
    """--max-input-size and --max-episodes: `build` and `script` read articles alike."""
    command = click.option(
        "--max-episodes",
        type=click.IntRange(1, None),
        default=DEFAULT_MAX_EPISODES,
        show_default=True,
        help="Most episodes one article may become; more is refused (usually mis-read headings).",
    )(command)
    return click.option(
        "--max-input-size",
        default="2MB",
        show_default=True,
        help="Largest article accepted, e.g. 5MB or 800KB (HTML may be 10x this: markup is "
        "most of a page). Larger ones are refused before they are read.",
    )(command)


@main.command()
@click.argument("articles", nargs=-1)
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
@with_show_options
@click.option("--voice", "voice_spec", default=None, help=VOICE_HELP)
@rate_option
@click.option("--bitrate", default="64k", show_default=True, help="MP3 bitrate (CBR).")
@click.option(
    "--chime/--no-chime",
    default=False,
    show_default=True,
    help="A soft generated chime before the intro and after the outro.",
)
@click.option(
    "--audiobook",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write everything as one chaptered audiobook, e.g. book.m4b.",
)
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Reuse sentences synthesised by earlier builds (kept in the user cache folder).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Synthesis processes. Default: one per core.",
)
@click.option(
    "--breathing",
    default="",
    help="Also publish guided breathing episodes, e.g. box:4,resonance:5 (pattern:minutes).",
)
@click.option(
    "--lexicon",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Pronunciation lexicon (TOML) for this feed, over the bundled one.",
)
@click.option(
    "--preview",
    type=click.Path(path_type=Path, dir_okay=False),
    is_flag=False,
    flag_value=Path(PREVIEW_FILE),
    default=None,
    help=f"Only narrate the first ~30 s of the first episode into one MP3 ({PREVIEW_FILE}, "
    "or --preview=FILE) to hear the voice; the feed folder is not touched.",
)
@limit_options
def build(
    articles: tuple[str, ...],
    out: Path,
    base_url: str,
    show: ShowSettings,
    voice_spec: str,
    rate_wpm: int | None,
    bitrate: str,
    chime: bool,
    audiobook: Path | None,
    cache: bool,
    jobs: int | None,
    lexicon: Path | None,
    breathing: str,
    preview: Path | None,
    max_input_size: str,
    max_episodes: int,
) -> None:
    """Narrate ARTICLES (.txt, .md, .html files or http(s) URLs) into MP3 episodes and a feed.

    Each main section of an article becomes one episode, with chapters, a
    WebVTT and an SRT transcript. With no ARTICLES the bundled sample article
    is built.
    """
    from audio_companion.podcast.build import build as run_build
    from audio_companion.tts.registry import make_synthesizer

    settings = BuildSettings(
        out_dir=out,
        base_url=normalise_base_url(base_url),
        show=show,
        voice=chosen_voice(voice_spec, rate_wpm),
        encode=EncodeSettings(bitrate=bitrate),
        breathing=parse_breathing(breathing),
        lexicon=lexicon,
        published=build_time_from_env(),
        speech_cache=cache_dir() / "speech" if cache else None,
        workers=jobs or os.cpu_count() or 1,
        chime=chime,
        audiobook=audiobook,
        max_input_bytes=parse_size(max_input_size),
        max_episodes=max_episodes,
    )
    parsed = load_articles(articles, settings.max_input_bytes)
    if preview is not None:
        from audio_companion.podcast.preview import write_preview

        sample = write_preview(parsed, settings, make_synthesizer(settings.voice), preview)
        click.echo(
            f"Preview of {sample.title!r}: {sample.seconds:.1f} s ({sample.sentences} "
            f"sentences) with {settings.voice.engine}, in {sample.path}"
        )
        return
    reporter = _TtyReporter() if sys.stdout.isatty() else _LogReporter()
    # Worker processes each run a single-threaded engine: one per core.
    factory = functools.partial(make_synthesizer, settings.voice, threads=1)
    result = run_build(parsed, settings, make_synthesizer(settings.voice), reporter, factory)
    if result.loudness:
        lufs = [r.output_lufs for r in result.loudness]
        peak = max(r.true_peak_dbtp for r in result.loudness)
        click.echo(
            f"Loudness {min(lufs):.1f} to {max(lufs):.1f} LUFS, true peak at most {peak:.1f} dBTP."
        )
    click.echo(
        f"Episodes: {len(result.rendered)} made, {len(result.reused)} unchanged. "
        f"Sentences: {result.sentences_synthesized} synthesised, "
        f"{result.sentences_cached} from the cache."
    )
    if result.audiobook is not None:
        click.echo(f"Audiobook: {result.audiobook}")
    minutes = result.audio_seconds / 60
    click.echo(
        f"Wrote {len(result.episodes)} episodes ({minutes:.1f} min of audio) and "
        f"{result.feed_path} in {result.wall_seconds:.1f} s."
    )


def load_articles(articles: tuple[str, ...], max_bytes: int | None = None) -> list[Any]:
    """The given articles (files or http(s) URLs), or the bundled sample when none are given.

    What had to be assumed to read one (a legacy encoding) is said on stderr;
    one over `max_bytes` (default: the README's 2 MB) is refused unread.
    """
    from audio_companion.article import parse_text
    from audio_companion.article.loader import load_article_with_notes

    if articles:
        loaded = []
        for source in articles:
            result = load_article_with_notes(source, max_bytes or BuildSettings().max_input_bytes)
            for note in result.notes:
                click.echo(f"note: {note}", err=True)
            loaded.append(result.article)
        return loaded
    text = resources.files("audio_companion").joinpath("data", SAMPLE_ARTICLE).read_text("utf-8")
    return [parse_text(text, "text", SAMPLE_ARTICLE)]


@main.command()
@click.argument("articles", nargs=-1)
@format_option("json", "fmt", "Readable text, or JSON for tools.")
@click.option("--title", help="Show title, as `build` would use it.")
@click.option(
    "--lexicon",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Pronunciation lexicon (TOML) for this feed, over the bundled one.",
)
@click.option(
    "--voice", "voice_spec", default=None, help="The voice `build` would use. " + VOICE_HELP
)
@limit_options
def script(
    articles: tuple[str, ...],
    fmt: str,
    title: str | None,
    lexicon: Path | None,
    voice_spec: str | None,
    max_input_size: str,
    max_episodes: int,
) -> None:
    """Print exactly what `build` would read, episode by episode, before any audio is made.

    Each line shows its written form and, where they differ, what the voice says.
    """
    import json

    from audio_companion.narration.script import estimated_seconds
    from audio_companion.podcast.plan import plan_episodes

    settings = BuildSettings(
        show=ShowSettings(title=title),
        lexicon=lexicon,
        voice=chosen_voice(voice_spec, None),
        max_input_bytes=parse_size(max_input_size),
        max_episodes=max_episodes,
    )
    episodes = plan_episodes(load_articles(articles, settings.max_input_bytes), settings)
    if fmt == "json":
        data = [
            {
                "season": ep.season,
                "episode": ep.number,
                "title": ep.title,
                "guid": ep.guid,
                "estimated_seconds": round(estimated_seconds(list(ep.lines)), 1),
                "chapters": [ln.chapter for ln in ep.lines if ln.chapter],
                "lines": [
                    {
                        "kind": ln.kind,
                        "display": ln.shown,
                        "speech": ln.text,
                        "pause": ln.pause_after,
                        "chapter": ln.chapter,
                    }
                    for ln in ep.lines
                ],
                "show_notes": ep.notes,
                "citations": list(ep.citations),
                "author": ep.author,
                "written": ep.written.isoformat() if ep.written else None,
            }
            for ep in episodes
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for ep in episodes:
        minutes = estimated_seconds(list(ep.lines)) / 60
        click.echo(f"=== Episode {ep.number}: {ep.title}  (about {minutes:.1f} min)")
        for ln in ep.lines:
            if ln.chapter:
                click.echo(f"  --- chapter: {ln.chapter}")
                continue
            click.echo(f"  [{ln.kind}] {ln.shown}")
            if ln.display and ln.display != ln.text:
                click.echo(f"      says: {ln.text}")
        click.echo("")


_SIZE_UNITS = {"": 1, "B": 1, "KB": 10**3, "K": 10**3, "MB": 10**6, "M": 10**6, "GB": 10**9}


def parse_size(spec: str) -> int:
    """'2MB' → 2000000, '800 KB' → 800000, '1.5M' → 1500000; plain numbers are bytes."""
    text = spec.strip().upper().replace(" ", "")
    number = text.rstrip("KMGB")
    unit = text[len(number) :]
    try:
        size = round(float(number) * _SIZE_UNITS[unit])
    except (ValueError, KeyError):
        raise InputError(
            f"--max-input-size {spec!r}: give a size such as 5MB, 800KB or 2000000 (bytes)"
        ) from None
    if size < 1:
        raise InputError(f"--max-input-size {spec!r}: give a size over 0, e.g. 5MB")
    return size


def parse_breathing(spec: str) -> tuple[tuple[str, float], ...]:
    """`box:4,resonance:5` → (("box", 4.0), ("resonance", 5.0)); minutes default to 4."""
    out = []
    for item in filter(None, (p.strip() for p in spec.split(","))):
        name, _, minutes = item.partition(":")
        try:
            value = float(minutes) if minutes else 4.0
        except ValueError:
            raise InputError(
                f"--breathing {item!r}: minutes must be a number, e.g. box:4"
            ) from None
        out.append((name.strip(), value))
    return tuple(out)


def build_time_from_env(environ: dict[str, str] | None = None) -> float:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) if set, else now."""
    env = os.environ if environ is None else environ
    value = env.get("SOURCE_DATE_EPOCH")
    if value:
        try:
            return float(int(value))
        except ValueError:
            pass
    return time.time()
