"""paths.py: the one place that resolves the companion's folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_companion import paths


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", "/home/someone")
    return Path("/home/someone")


def test_xdg_defaults_and_variables(home: Path) -> None:
    assert paths.cache_dir({}) == home / ".cache" / "audio-companion"
    assert paths.data_dir({}) == home / ".local" / "share" / "audio-companion"
    assert paths.config_dir({}) == home / ".config" / "audio-companion"
    env = {"XDG_CACHE_HOME": "/c", "XDG_DATA_HOME": "/d", "XDG_CONFIG_HOME": "/f"}
    assert paths.cache_dir(env) == Path("/c/audio-companion")
    assert paths.data_dir(env) == Path("/d/audio-companion")
    assert paths.config_dir(env) == Path("/f/audio-companion")


def test_relative_xdg_values_are_ignored(home: Path) -> None:
    env = {"XDG_CACHE_HOME": "rel", "XDG_DATA_HOME": "rel", "XDG_CONFIG_HOME": "rel"}
    assert paths.cache_dir(env) == paths.cache_dir({})
    assert paths.data_dir(env) == paths.data_dir({})
    assert paths.config_dir(env) == paths.config_dir({})


def test_files_and_overrides(home: Path) -> None:
    env = {"XDG_DATA_HOME": "/d", "XDG_CONFIG_HOME": "/f"}
    assert paths.journal_path(env) == Path("/d/audio-companion/journal.sqlite3")
    assert paths.models_dir(env) == Path("/d/audio-companion/models")
    assert paths.decks_dir(env) == Path("/f/audio-companion/decks")
    assert paths.lexicon_path(env) == Path("/f/audio-companion/lexicon.toml")
    moved = {
        **env,
        "AUDIO_COMPANION_JOURNAL": "~/j.db",
        "AUDIO_COMPANION_MODELS": "/m",
        "AUDIO_COMPANION_DECKS": "/k",
    }
    assert paths.journal_path(moved) == home / "j.db"
    assert paths.models_dir(moved) == Path("/m")
    assert paths.decks_dir(moved) == Path("/k")


def test_models_are_not_looked_for_in_the_current_directory(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert not paths.models_dir({}).is_relative_to(tmp_path)


def test_the_process_environment_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere")
    assert paths.cache_dir() == Path("/somewhere/audio-companion")
