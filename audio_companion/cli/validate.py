"""`validate`: check a built feed the way podcast apps will, before publishing it."""

from __future__ import annotations

from pathlib import Path

import click

from audio_companion.cli import feed_argument, main


@main.command("validate")
@feed_argument("feed", "[FEED]")
def validate_command(feed: Path) -> None:
    """Check FEED (a feed folder or feed file; default: feed) against podcast apps' rules.

    Checks the channel and every episode, and the files behind URLs served from
    the feed's own folder: audio sizes and durations, the cover, transcripts and
    chapters. Prints one line per problem and exits with code 1 if there is any.
    """
    from audio_companion.publish.validate import (
        count_episodes,
        feed_file,
        format_problems,
        validate_folder,
    )

    problems = validate_folder(feed)
    if not problems:
        n = count_episodes(feed_file(feed).read_bytes())
        click.echo(f"OK: {feed} — {n} episode{'' if n == 1 else 's'}, no problems.")
        return
    click.echo(format_problems(problems))
    n = len(problems)
    click.echo(f"{n} problem{'' if n == 1 else 's'} in {feed}.")
    raise click.exceptions.Exit(1)
