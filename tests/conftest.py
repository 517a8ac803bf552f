"""Shared fixtures: the bundled sample and fakes for the speech engine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from helpers import FakeSynth


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Commands under test cache speech here, never in the user's cache folder."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def sample_text() -> str:
    return (
        resources.files("audio_companion").joinpath("data", "sample_article.txt").read_text("utf-8")
    )


@pytest.fixture
def fake_synth() -> FakeSynth:
    return FakeSynth()


@pytest.fixture(scope="session")
def sample_feed(tmp_path_factory: pytest.TempPathFactory, sample_text: str) -> Path:
    """The bundled sample built once with the fake voice (needs ffmpeg); shared by
    every test that reads a real feed folder, so copy it before changing it."""
    from audio_companion.article import parse_text
    from audio_companion.podcast.build import build
    from audio_companion.podcast.settings import BuildSettings

    out = tmp_path_factory.mktemp("sample-feed") / "feed"
    build(
        [parse_text(sample_text, "text")],
        BuildSettings(out_dir=out, published=1_790_000_000.0),
        FakeSynth(),
    )
    return out
