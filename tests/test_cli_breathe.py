"""`audio-companion breathe`: rendering to a file, and bad input as one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from audio_companion.cli import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pattern", "nope"], "unknown breathing pattern 'nope'"),
        (["--pattern", "4-70-4"], "at most 60 s"),
        (["--pattern", "4--2-4"], "pattern"),
        (["--minutes", "0"], "minutes must be more than 0"),
        (["--minutes", "-3"], "minutes"),
        (["--breaths", "0"], "breaths"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["breathe", *args, "--render", str(tmp_path / "x.mp3")])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert not (tmp_path / "x.mp3").exists()


@pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("espeak-ng") is None,
    reason="needs ffmpeg and espeak-ng",
)
def test_render_writes_a_chaptered_mp3(tmp_path: Path) -> None:
    from mutagen.id3 import ID3

    out = tmp_path / "box.mp3"
    result = CliRunner().invoke(
        main,
        ["breathe", "--pattern", "box", "--minutes", "2", "--render", str(out)],
        env={"XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out}")
    tags = ID3(str(out))
    assert str(tags["TIT2"]) == "Box breathing, 2 minutes"
    chapters = tags.getall("CHAP")
    assert len(chapters) >= 2 and chapters[0].start_time == 0


# --- --find-resonance, and --pattern resonance at the pace it keeps ------------------------

media = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("espeak-ng") is None,
    reason="needs ffmpeg and espeak-ng",
)


@pytest.mark.parametrize(
    "args",
    [
        ["--minutes", "3", "--render", "x.mp3"],
        ["--breaths", "5", "--render", "x.mp3"],
        ["--pattern", "box", "--render", "x.mp3"],
        ["--no-listen"],
    ],
)
def test_find_resonance_refuses_what_it_would_ignore_in_one_line(
    tmp_path: Path, args: list[str]
) -> None:
    journal = tmp_path / "journal.sqlite3"
    args = [str(tmp_path / a) if a.endswith(".mp3") else a for a in args]
    result = CliRunner().invoke(
        main, ["breathe", "--find-resonance", "--journal", str(journal), *args]
    )
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: --find-resonance"), lines
    assert not journal.exists() and not (tmp_path / "x.mp3").exists()


def _keep_pace(path: Path, bpm: float) -> None:
    from audio_companion.journal import Journal
    from audio_companion.journal.paces import Pace, PaceStep

    with Journal.open(path) as j:
        j.add_pace(Pace(1_750_000_000.0, bpm, "comfort", "test", (PaceStep(bpm, 120.0, 5),)))


def _render(
    tmp_path: Path, name: str, *args: str, env: dict[str, str | None] | None = None
) -> tuple[int, str, Path]:
    """`breathe ARGS --render tmp_path/name`: exit code, output (with stderr), the file."""
    out = tmp_path / name
    result = CliRunner().invoke(
        main,
        ["breathe", *args, "--render", str(out)],
        env={"XDG_CACHE_HOME": str(tmp_path / "cache"), **(env or {})},
    )
    return result.exit_code, result.output, out


@media
def test_pattern_resonance_breathes_at_the_kept_pace(tmp_path: Path) -> None:
    from mutagen.mp3 import MP3

    journal = tmp_path / "journal.sqlite3"
    args = ("--pattern", "resonance", "--breaths", "10", "--no-voice-cues", "--journal")
    code, output, plain = _render(tmp_path, "plain.mp3", *args, str(journal))
    assert code == 0, output
    assert "Your resonance pace" not in output and not journal.exists()
    _keep_pace(journal, 4.5)
    code, output, mine = _render(tmp_path, "mine.mp3", *args, str(journal))
    assert code == 0, output
    assert "Your resonance pace: 4.5 breaths a minute (found by comfort)." in output
    # 10 breaths of 6.7 s each way instead of the built-in 5.5: 24 s longer, the rest alike.
    longer = MP3(str(mine)).info.length - MP3(str(plain)).info.length
    assert longer == pytest.approx(10 * 2 * (6.7 - 5.5), abs=0.1)


@media
def test_an_encrypted_journal_without_its_passphrase_falls_back_with_a_note(
    tmp_path: Path,
) -> None:
    pytest.importorskip("sqlcipher3")
    from audio_companion.journal import rekey
    from audio_companion.journal.passphrase import Passphrase

    journal = tmp_path / "journal.sqlite3"
    _keep_pace(journal, 4.5)
    rekey.encrypt(journal, Passphrase("correct horse battery staple", "typed"))
    unset: dict[str, str | None] = {
        "AUDIO_COMPANION_PASSPHRASE": None,
        "AUDIO_COMPANION_PASSPHRASE_FILE": None,
    }
    args = ("--pattern", "coherent", "--breaths", "2", "--no-voice-cues", "--journal")
    code, output, out = _render(tmp_path, "x.mp3", *args, str(journal), env=unset)
    assert code == 0, output
    assert "breathing at the built-in resonance pace" in output
    assert out.exists()
    secret: dict[str, str | None] = {"AUDIO_COMPANION_PASSPHRASE": "correct horse battery staple"}
    code, output, _ = _render(tmp_path, "y.mp3", *args, str(journal), env=secret)
    assert code == 0 and "Your resonance pace: 4.5 breaths a minute" in output


@media
def test_find_resonance_renders_the_whole_protocol_as_one_episode(tmp_path: Path) -> None:
    from mutagen.id3 import ID3
    from mutagen.mp3 import MP3

    journal = tmp_path / "journal.sqlite3"
    code, output, out = _render(
        tmp_path, "resonance.mp3", "--find-resonance", "--journal", str(journal)
    )
    assert code == 0, output
    assert f"Wrote {out}" in output and "5 paces" in output
    assert str(ID3(str(out))["TIT2"]) == "Finding your resonance pace"
    assert 10 * 60 < MP3(str(out)).info.length < 12 * 60
    assert not journal.exists()  # rendering asks nothing, and keeps nothing
