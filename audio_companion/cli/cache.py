"""`cache`: see and clear the synthesised speech kept between builds and sessions."""

from __future__ import annotations

import click

from audio_companion.cli import main


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    size = n / 1024
    for unit in ("KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            break
        size /= 1024
    return f"{size:.1f} {unit}"


@main.group()
def cache() -> None:
    """See and clear cached speech (sentences of episodes, check-in prompts)."""


@cache.command("info")
def cache_info() -> None:
    """Show where the cache is, and how much each kind of speech takes."""
    from audio_companion.paths import cache_dir
    from audio_companion.tts.cache import usage

    folder = cache_dir()
    click.echo(f"Cache folder: {folder}")
    for u in usage(folder):
        age = "" if u.oldest_days is None else f", oldest unused for {u.oldest_days:.0f} days"
        click.echo(f"  {u.kind:8} {u.files:6d} files  {_size(u.bytes):>9}{age}")


@cache.command("clear")
@click.option(
    "--older-than",
    "days",
    type=click.FloatRange(min=0),
    help="Only what no build or session used for this many days.",
)
@click.option(
    "--only",
    type=click.Choice(["speech", "prompts"]),
    help="Only episode sentences (speech) or check-in prompts.",
)
def cache_clear(days: float | None, only: str | None) -> None:
    """Delete cached speech; it is synthesised again when next needed."""
    from audio_companion.paths import cache_dir
    from audio_companion.tts.cache import KINDS, clear

    files, removed = clear(cache_dir(), (only,) if only else KINDS, days)
    click.echo(f"Removed {files} files ({_size(removed)}).")


@cache.command("prepare")
@click.option(
    "--deck",
    "decks",
    multiple=True,
    metavar="NAME",
    help="Only this check-in deck (repeatable). Default: every deck.",
)
def cache_prepare(decks: tuple[str, ...]) -> None:
    """Render every prompt of the check-ins and the breathing cues now, with the
    default voice, so the first session starts speaking at once.

    `scripts/setup.sh` runs it. Without it, the first session after installing (or
    after a new voice) renders its first prompt while you wait (about 0.5 s with
    hibari) and the rest in the background.
    """
    from datetime import date

    from audio_companion.breathing.cues import CueStyle, render_cues
    from audio_companion.breathing.patterns import BUILTINS
    from audio_companion.checkin.deck import list_decks, load_deck
    from audio_companion.checkin.rehearsal import deck_prompts
    from audio_companion.cli.stack import prompt_cache

    prompts = prompt_cache()
    before = prompts.misses
    names = decks or tuple(name for name, _title, _where in list_decks())
    for name in names:
        # Every night's wordings are in the list, so any night will do.
        prompts.prepare(deck_prompts(load_deck(name), date.today()), background=False)
    for pattern in BUILTINS.values():
        for count in (False, True):
            render_cues(pattern, prompts, CueStyle(count=count))
    rendered = prompts.misses - before
    click.echo(
        f"Prompts ready: {rendered} rendered now, {prompts.hits} found ready "
        f"({', '.join(names)}; breathing cues)."
    )
