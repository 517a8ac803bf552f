"""`models`: list, install and locate speech models."""

from __future__ import annotations

from pathlib import Path

import click

from audio_companion.cli import main

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
@dir_option
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
    from audio_companion.asr.install import install

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
@dir_option
def models_path(name: str, models_dir: Path | None) -> None:
    """Print the folder of installed model NAME."""
    from audio_companion.asr.models import model_path

    click.echo(str(model_path(name, models_dir)))
