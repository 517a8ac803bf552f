"""Shared fixtures: the bundled sample and fakes for the speech engine."""

from __future__ import annotations

from importlib import resources

import pytest
from helpers import FakeSynth


@pytest.fixture(scope="session")
def sample_text() -> str:
    return (
        resources.files("audio_companion").joinpath("data", "sample_article.txt").read_text("utf-8")
    )


@pytest.fixture
def fake_synth() -> FakeSynth:
    return FakeSynth()
