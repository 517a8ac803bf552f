"""`serve`: the feed folder over HTTP, with the Range requests podcast apps seek with."""

from __future__ import annotations

from pathlib import Path

import click

from audio_companion.cli import feed_argument, main, show
from audio_companion.errors import InputError


@main.command("serve")
@feed_argument("directory", "[DIR]")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The default keeps the feed private to this machine; "
    "--host 0.0.0.0 opts in to serving every device on the LAN.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="TCP port; 0 picks any free one.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0, min_open=True),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="Close a connection that stays idle, or takes longer to send a request header, "
    "or to read each 64 KiB of a reply (nginx waits 60 s too).",
)
@click.option("-q", "--quiet", is_flag=True, help="Do not log one line per request.")
def serve_command(directory: Path, host: str, port: int, timeout: float, quiet: bool) -> None:
    """Serve the feed folder DIR (default: feed) so a podcast app can subscribe and seek.

    Unlike `python3 -m http.server`, byte ranges are honoured, so skipping
    around an episode works. Ctrl+C stops the server.
    """
    from audio_companion.publish.serve import serve

    if not directory.is_dir():
        what = "is not a folder" if directory.exists() else "does not exist"
        raise InputError(
            f"{directory} {what}; make the feed first with: audio-companion build --out {directory}"
        )

    def announce(url: str) -> None:
        show(f"Serving {directory} at {url} — subscribe to {url}feed.xml; Ctrl+C stops.")
        if host in ("0.0.0.0", "::"):
            show("Other devices use this machine's LAN address in place of the one above.")

    try:
        serve(directory, host, port, quiet, on_ready=announce, client_timeout=timeout)
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
