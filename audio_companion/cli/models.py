"""`models`: list, install and locate speech models."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import click

from audio_companion.cli import main

_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


class SizeParam(click.ParamType):  # type: ignore[type-arg]  # generic only since click 8.2
    """A size in bytes, written 500M, 4G, 2.5GiB or a plain number; units are binary
    (G = GiB), as the defaults and the messages print them."""

    name = "SIZE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", str(value), re.I)
        if not found or float(found.group(1)) <= 0:
            self.fail(f"{value!r} is not a size; write it like 500M, 4G or 6GiB", param, ctx)
        return int(float(found.group(1)) * _UNITS[found.group(2).upper()])


SIZE = SizeParam()

dir_option = click.option(
    "--dir",
    "models_dir",
    type=click.Path(path_type=Path),
    help="Models folder (default: models/ in the user data folder, or $AUDIO_COMPANION_MODELS).",
)


@main.group()
def models() -> None:
    """List, install and locate speech-recognition models (kept in the user data folder)."""


@models.command("list")
@dir_option
def models_list(models_dir: Path | None) -> None:
    """Show installed and installable models and where they are."""
    from audio_companion.asr.models import list_models, models_folder

    click.echo(f"Models folder: {models_folder(models_dir)}")
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
@click.option(
    "--max-download",
    type=SIZE,
    default="4G",
    show_default=True,
    help="Refuse a download bigger than this (raise it for a bigger model).",
)
@click.option(
    "--max-unpacked",
    type=SIZE,
    default="8G",
    show_default=True,
    help="Refuse a zip that unpacks to more than this.",
)
@click.option(
    "--max-ratio",
    type=click.FloatRange(min=1.0),
    default=100.0,
    show_default=True,
    help="Refuse a zip (or a member over 1 MiB) that unpacks to more than N times its size.",
)
@dir_option
def models_install(
    name: str,
    from_zip: Path | None,
    url: str | None,
    sha256: str | None,
    no_verify: bool,
    force: bool,
    max_download: int,
    max_unpacked: int,
    max_ratio: float,
    models_dir: Path | None,
) -> None:
    """Download (or unpack) model NAME, check its SHA-256 and install it.

    Known: vosk-small-en-us (the official small US English vosk model).
    The size caps stop a runaway download or a zip bomb before the disk fills;
    free space is checked before downloading and before unpacking.
    """
    from audio_companion.asr.install import DEFAULT_LIMITS, install

    limits = dataclasses.replace(
        DEFAULT_LIMITS,
        max_download=max_download,
        max_unpacked=max_unpacked,
        max_ratio=max_ratio,
    )
    path = install(
        name,
        models_dir,
        url=url,
        from_zip=from_zip,
        sha256=sha256,
        verify=not no_verify,
        force=force,
        limits=limits,
    )
    click.echo(f"Installed {name} in {path}")


@models.command("path")
@click.argument("name")
@dir_option
def models_path(name: str, models_dir: Path | None) -> None:
    """Print the folder of installed model NAME."""
    from audio_companion.asr.models import model_path

    click.echo(str(model_path(name, models_dir)))
