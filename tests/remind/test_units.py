"""The systemd units as text, and as systemd itself reads them (systemd-analyze)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from audio_companion.remind import units
from audio_companion.remind.schedule import ClockTime, Days, Reminder

COMMAND = ("/home/sam/.venv/bin/audio-companion",)
EXAMPLE = Reminder("1", ClockTime(21, 30), Days.parse("mon-fri"), "nightly", ("Sam", "Alex"))

TIMER = """\
# Written by `audio-companion remind set`; remove it with `audio-companion remind remove 1`.
[Unit]
Description=audio-companion reminder 1: check-in at 21:30 (mon-fri)

[Timer]
OnCalendar=Mon..Fri *-*-* 21:30:00
Persistent=false
AccuracySec=1min
Unit=audio-companion-reminder-1.service

[Install]
WantedBy=timers.target

[X-AudioCompanion]
Id=1
Time=21:30
Days=mon-fri
Deck=nightly
Partners=Sam,Alex
StopWord=
"""

SERVICE = """\
# Written by `audio-companion remind set`; remove it with `audio-companion remind remove 1`.
[Unit]
Description=audio-companion reminder 1: ask about tonight's check-in

[Service]
Type=exec
Environment="AUDIO_COMPANION_JOURNAL=/home/sam/Private/journal.sqlite3"
ExecStart=/home/sam/.venv/bin/audio-companion remind fire --id 1 --deck nightly --partners Sam,Alex
RuntimeMaxSec=3h
"""

DAY_SPECS = ["daily", "mon-fri", "sat,sun", "mon-wed,fri", "fri-mon", "sun", "thu-tue", "tue,thu"]
TIMES = ["00:00", "07:05", "21:30", "23:59"]


@pytest.fixture(scope="module")
def systemd_analyze() -> str:
    """The tool, or a failure that says how to get it: CI installs it, so a missing one
    is a broken set-up, not a reason to skip the only check of what systemd reads."""
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.fail(
            "systemd-analyze is not installed: scripts/setup.sh --test installs it "
            "(Debian package systemd)"
        )
    return found


def analyze(tool: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C", "SYSTEMD_LOG_COLOR": "0", "SYSTEMD_PAGER": ""}
    return subprocess.run(
        [tool, *args], capture_output=True, text=True, timeout=60, env=env, cwd=cwd, check=False
    )


def write_units(folder: Path, reminder: Reminder, command: tuple[str, ...]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    timer, service = units.unit_names(reminder.id)
    (folder / timer).write_text(units.timer_text(reminder))
    env = {"AUDIO_COMPANION_JOURNAL": "/home/sam/100% private/journal.sqlite3"}
    (folder / service).write_text(units.service_text(reminder, command, env))
    return [folder / timer, folder / service]


def complaints(result: subprocess.CompletedProcess[str]) -> list[str]:
    """What systemd-analyze said about our units (it may mention other units it loads)."""
    lines = (result.stdout + result.stderr).splitlines()
    return [ln for ln in lines if units.UNIT_PREFIX in ln]


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_units_for_one_example_exactly() -> None:
    env = {"AUDIO_COMPANION_JOURNAL": "/home/sam/Private/journal.sqlite3"}
    assert units.timer_text(EXAMPLE) == TIMER
    assert units.service_text(EXAMPLE, COMMAND, env) == SERVICE


@pytest.mark.parametrize(
    ("word", "written"),
    [
        ("nightly", "nightly"),
        ("Sam,Alex", "Sam,Alex"),
        ("/home/sam/my decks/calm.toml", '"/home/sam/my decks/calm.toml"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("100%", '"100%%"'),
        ("$HOME", '"$$HOME"'),
        ("back\\slash", '"back\\\\slash"'),
        ("O'Brien", '"O\'Brien"'),
        ("Zoë", '"Zoë"'),
    ],
)
def test_exec_words_are_quoted_for_systemd(word: str, written: str) -> None:
    assert units.exec_word(word) == written


def test_the_program_keeps_its_dollar_and_goes_through_env_with_a_quote() -> None:
    # systemd expands no variable in the program's name, and refuses quotes there.
    assert units.exec_line(["/opt/100% $x/ac", "$x"]) == '"/opt/100%% $x/ac" "$$x"'
    assert units.exec_line(["/opt/it's/ac", "fire"]) == '/usr/bin/env "/opt/it\'s/ac" fire'
    assert units.exec_line(["/opt/ac", "fire"]) == "/opt/ac fire"


def test_the_timer_reads_back_as_the_reminder() -> None:
    for spec in DAY_SPECS:
        for headphones in (False, True):
            reminder = Reminder(
                "12",
                ClockTime(6, 0),
                Days.parse(spec),
                "/x/my deck.toml",
                ("Zoë", "O'Brien"),
                "Zoë=a",
                headphones,
            )
            assert units.read_timer(units.timer_text(reminder)) == reminder
    with pytest.raises(ValueError, match="Id, Time, Days, Deck"):
        units.read_timer("[Timer]\nOnCalendar=daily\n")


def test_only_companion_variables_are_carried() -> None:
    environ = {
        "HOME": "/home/sam",
        "PATH": "/usr/bin",
        "AUDIO_COMPANION_JOURNAL": "/j.sqlite3",
        "XDG_DATA_HOME": "/data",
        "AUDIO_COMPANION_MODELS": "  ",
    }
    assert units.carried_environment(environ) == {
        "AUDIO_COMPANION_JOURNAL": "/j.sqlite3",
        "XDG_DATA_HOME": "/data",
    }


@pytest.mark.parametrize("folder", ["bin", "my bin 100% $HOME zoë", "it's"])
def test_systemd_accepts_the_units(systemd_analyze: str, tmp_path: Path, folder: str) -> None:
    # The ExecStart program must exist for verify: a real file, at an awkward path
    # (space, percent, dollar, non-ASCII), so that it is found only if systemd
    # unquotes the program's name exactly as it was meant; a quote goes through env.
    program = executable(tmp_path / folder / "audio-companion")
    partners = ("Zoë", "O'Brien")
    reminder = Reminder(
        "3",
        ClockTime(21, 30),
        Days.parse("mon-wed,fri"),
        "nightly",
        partners,
        "Zoë=pineapple",
        headphones=True,
    )
    paths = write_units(tmp_path / "units", reminder, (str(program),))
    result = analyze(systemd_analyze, "verify", *map(str, paths), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert complaints(result) == []


def test_systemd_analyze_verify_would_catch_a_bad_unit(
    systemd_analyze: str, tmp_path: Path
) -> None:
    # The check above can fail: a program that is not there, and a mangled timer.
    paths = write_units(tmp_path / "units", EXAMPLE, (str(tmp_path / "missing"),))
    result = analyze(systemd_analyze, "verify", *map(str, paths), cwd=tmp_path)
    assert result.returncode != 0 and any("is not executable" in ln for ln in complaints(result))
    timer = paths[0]
    timer.write_text(timer.read_text().replace("AccuracySec=1min", "AccuracySec=1 furlong"))
    program = executable(tmp_path / "bin" / "audio-companion")
    paths[1].write_text(units.service_text(EXAMPLE, (str(program),), {}))
    result = analyze(systemd_analyze, "verify", *map(str, paths), cwd=tmp_path)
    assert any("furlong" in ln for ln in complaints(result)), result.stderr


def test_systemd_reads_every_calendar_as_written(systemd_analyze: str) -> None:
    written = [
        units.on_calendar(ClockTime.parse(t), Days.parse(d)) for d in DAY_SPECS for t in TIMES
    ]
    result = analyze(systemd_analyze, "calendar", *written)
    assert result.returncode == 0, result.stderr
    normalized = [
        ln.split(":", 1)[1].strip()
        for ln in result.stdout.splitlines()
        if ln.strip().startswith("Normalized form:")
    ]
    # Already in normal form: systemd prints no "Original form" line for any of them.
    assert normalized == written
    assert "Original form" not in result.stdout
    assert "Mon..Fri *-*-* 21:30:00" in written and "*-*-* 00:00:00" in written


def test_systemd_analyze_calendar_refuses_what_it_cannot_read(systemd_analyze: str) -> None:
    assert analyze(systemd_analyze, "calendar", "Mon..Fir *-*-* 21:30:00").returncode != 0
