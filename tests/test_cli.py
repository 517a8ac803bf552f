"""Every command through click's CliRunner: help, errors as one line, a real build."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers import needs_media

from audio_companion import __version__
from audio_companion.cli import main


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out.extend(all_commands(cmd, (*prefix, name)))
    return out


def test_every_command_has_help() -> None:
    runner = CliRunner()
    commands = all_commands(main)
    assert ("build",) in commands
    for path in commands:
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        cmd = main
        for part in path:
            cmd = cmd.commands[part]  # type: ignore[attr-defined]
        assert cmd.help and len(cmd.help.strip()) > 20, f"{path} needs help text"


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_exit_codes_are_the_readme_table() -> None:
    from audio_companion import errors

    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    table = {
        errors.InputError: "2 for unusable input",
        errors.MissingDependencyError: "3 for a missing system dependency or\nspeech model",
        errors.MissingModelError: "3 for a missing system dependency or\nspeech model",
        errors.BuildError: "4 for a failed\nbuild",
        errors.DeviceError: "5 when no usable audio device",
    }
    for cls, words in table.items():
        assert words.split()[0] == str(cls.exit_code), cls
        assert " ".join(words.split()) in " ".join(readme.split()), words


def _error(args: list[str], **kw: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, **kw)  # type: ignore[arg-type]
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    return result.exit_code, lines[-1] if lines else ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "the file is empty"),
        (b"\x00\x01\x02binary", "binary"),
        ("Ünïcode in latin-1\n".encode("latin-1"), "no section found"),
        (b"Just one line without sections\n", "no section found"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, content: bytes | None, message: str) -> None:
    article = tmp_path / "article.txt"
    if content is not None:
        article.write_bytes(content)
    code, line = _error(["build", str(article), "--out", str(tmp_path / "out")])
    assert code == 2
    assert line.startswith("Error: ") and message in line
    assert not (tmp_path / "out" / "feed.xml").exists()


def test_missing_ffmpeg_names_the_package(tmp_path: Path) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    code, line = _error(["build", "--out", str(tmp_path / "out")], env={"PATH": str(empty_bin)})
    assert code == 3
    assert "ffmpeg" in line and "apt-get install ffmpeg" in line


@needs_media
def test_missing_espeak_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import audio_companion.tts.espeak as espeak

    monkeypatch.setattr(espeak, "espeak_library_present", lambda: False)
    # One job: the synthesizer runs in this process, where the library is "missing".
    code, line = _error(["build", "--voice", "system", "--jobs", "1", "--no-cache",
                         "--out", str(tmp_path / "out")])  # fmt: skip
    assert code == 3
    assert "espeak-ng" in line and "apt-get install espeak-ng libespeak-ng1" in line


@needs_media
def test_unknown_voice_is_unusable_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, line = _error(["build", "--voice", "espeak:no-such-voice", "--jobs", "1", "--no-cache",
                         "--out", str(out)])  # fmt: skip
    assert code == 2
    assert "espeak-ng has no voice 'no-such-voice'" in line and "espeak-ng --voices=en" in line
    assert not (out / "feed.xml").exists()


@needs_media
def test_build_sample_by_default_logs_plain_lines(tmp_path: Path) -> None:
    out = tmp_path / "feed"
    env = {"SOURCE_DATE_EPOCH": "1790000000", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = CliRunner().invoke(main, ["build", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("[1/5] ") and lines[0].endswith("s of audio")
    assert lines[-1].startswith("Wrote 5 episodes")
    assert (out / "feed.xml").exists() and len(list(out.glob("*.mp3"))) == 5
    assert len(list(out.glob("*.vtt"))) == 5 and len(list(out.glob("*.srt"))) == 5
    assert "<lastBuildDate>Mon, 21 Sep 2026 14:13:20 +0000" in (out / "feed.xml").read_text()
    first = [ln for ln in lines if ln.startswith("Episodes:")]
    assert first and "Episodes: 5 made" in first[0] and " 0 from the cache" in first[0]
    # The same build again: every sentence comes from the cache.
    again = CliRunner().invoke(main, ["build", "--out", str(out)], env=env)
    assert "Episodes: 0 made, 5 unchanged. Sentences: 0 synthesised" in again.output


@needs_media
def test_build_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import os
    import pty
    import select
    import signal
    import subprocess
    import sys
    import time

    exe = Path(sys.executable).with_name("audio-companion")
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [str(exe), "build", "--out", str(tmp_path / "feed")],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        close_fds=True,
        start_new_session=True,
    )
    os.close(follower)
    out = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1.0)
            if not ready:
                continue
            try:
                data = os.read(leader, 4096)
            except OSError:  # the terminal closed: the build is over
                break
            if not data:
                break
            out += data
        assert proc.wait(60) == 0, out[-2000:]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        os.close(leader)
    text = out.decode("utf-8", "replace")
    assert "[1/5] The Evening Check-In" in text and "[5/5] Starting Tonight" in text
    assert "#" in text and "\r" in text  # a bar redrawn in place, not log lines
    assert "s of audio in" not in text
