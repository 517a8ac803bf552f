"""The crontab lines, parsed as cron and sh would, and edited without touching anything else."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from audio_companion.remind import cron
from audio_companion.remind.schedule import ClockTime, Days, Reminder
from audio_companion.remind.units import fire_arguments

COMMAND = ("/home/sam/.venv/bin/audio-companion",)
EXAMPLE = Reminder("1", ClockTime(21, 30), Days.parse("mon-fri"), "nightly", ("Sam", "Alex"))
ENV = {
    "AUDIO_COMPANION_JOURNAL": "/home/sam/Private/journal.sqlite3",
    "XDG_RUNTIME_DIR": "/run/user/1000",
}

BLOCK = (
    '# audio-companion-reminder 1 {"time": "21:30", "days": "mon-fri", "deck": "nightly", '
    '"partners": ["Sam", "Alex"], "stop_word": ""}\n'
    "30 21 * * 1-5 AUDIO_COMPANION_JOURNAL=/home/sam/Private/journal.sqlite3 "
    "XDG_RUNTIME_DIR=/run/user/1000 /home/sam/.venv/bin/audio-companion remind fire --id 1 "
    "--deck nightly --partners Sam,Alex >/dev/null\n"
)

# Someone's crontab, with everything cron allows around our lines.
THEIRS = (
    b"# m h  dom mon dow   command\n"
    b"MAILTO=sam@example.org\n"
    b"\n"
    b"*/5 * * * * /usr/bin/backup --stamp '+\\%Y-\\%m-\\%d'\n"
    b"@reboot /home/sam/bin/start-things\r\n"
    b"   # an indented comment, then a latin-1 byte: \xe9\n"
    b"0 3 * * 0 echo weekly # audio-companion-reminder 1 is not at the start\n"
)


def fields_and_command(line: str) -> tuple[list[str], str]:
    """cron's reading of a job line: five time fields, then the command."""
    parts = line.split(None, 5)
    assert len(parts) == 6, line
    return parts[:5], parts[5]


def as_sh_reads_it(command: str) -> str:
    """crontab(5): ``\\%`` is a percent sign; a bare ``%`` would end the command."""
    out, i = [], 0
    while i < len(command):
        if command.startswith("\\%", i):
            out.append("%")
            i += 2
            continue
        assert command[i] != "%", f"an unescaped % would cut the command: {command}"
        out.append(command[i])
        i += 1
    return "".join(out)


def weekday_numbers(field: str) -> set[int]:
    """cron's day-of-week field as numbers, Sunday 0 (7 also means Sunday)."""
    if field == "*":
        return set(range(7))
    found: set[int] = set()
    for item in field.split(","):
        first, _, last = item.partition("-")
        found |= set(range(int(first), int(last or first) + 1))
    return {n % 7 for n in found}


def test_the_lines_for_one_example_exactly() -> None:
    assert cron.block(EXAMPLE, COMMAND, ENV) == BLOCK


@pytest.mark.parametrize("spec", ["daily", "mon-fri", "sat,sun", "mon-wed,fri", "fri-mon", "sun"])
@pytest.mark.parametrize("at", ["00:00", "07:05", "21:30", "23:59"])
def test_cron_fields_match_the_settings(spec: str, at: str) -> None:
    time, days = ClockTime.parse(at), Days.parse(spec)
    reminder = Reminder("4", time, days, "nightly")
    fields, command = fields_and_command(cron.job_line(reminder, COMMAND, {}))
    minute, hour, day_of_month, month, day_of_week = fields
    assert (int(minute), int(hour)) == (time.minute, time.hour)
    assert (day_of_month, month) == ("*", "*")
    assert weekday_numbers(day_of_week) == {(d + 1) % 7 for d in days.weekdays}
    assert command.startswith(COMMAND[0] + " remind fire --id 4 ")


def test_sh_runs_exactly_the_arguments_meant(tmp_path: Path) -> None:
    # A stand-in companion that writes down its arguments and environment; the
    # options hold everything sh and cron treat specially (quotes, %, $, spaces).
    out = tmp_path / "argv.json"
    script = (
        "import json, os, sys; "
        "open(os.environ['OUT'], 'w').write(json.dumps([sys.argv[1:], os.environ['J']]))"
    )
    reminder = Reminder(
        "2",
        ClockTime(7, 5),
        Days.parse("sat,sun"),
        '/home/sam/my decks/100% "calm" $HOME.toml',
        ("Zoë", "O'Brien"),
        "Zoë=pine apple",
        headphones=True,
    )
    env = {"OUT": str(out), "J": "/home/sam/it's 50% mine/journal.sqlite3"}
    line = cron.job_line(reminder, (sys.executable, "-c", script), env)
    _, command = fields_and_command(line)
    done = subprocess.run(
        ["/bin/sh", "-c", as_sh_reads_it(command)], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    argv, journal = json.loads(out.read_text())
    assert argv == list(fire_arguments(reminder)) and argv[-1] == "--headphones"
    assert journal == env["J"]


def test_round_trip_keeps_every_other_byte() -> None:
    theirs = THEIRS.decode("utf-8", "surrogateescape")
    one = cron.added(theirs, cron.block(EXAMPLE, COMMAND, ENV))
    two = cron.added(
        one, cron.block(Reminder("2", ClockTime(6, 0), Days.parse("sun")), COMMAND, {})
    )
    assert two.startswith(theirs)
    listed = cron.entries(two)
    assert [(e.id, e.reminder) for e in listed] == [
        ("1", EXAMPLE),
        ("2", Reminder("2", ClockTime(6, 0), Days.parse("sun"))),
    ]
    without_one = cron.removed(two, "1")
    assert without_one is not None and [e.id for e in cron.entries(without_one)] == ["2"]
    back = cron.removed(without_one, "2")
    assert back is not None
    assert back.encode("utf-8", "surrogateescape") == THEIRS
    assert cron.removed(back, "1") is None  # nothing of ours left to take out


def test_a_crontab_without_a_last_newline_gets_one_before_our_lines() -> None:
    assert cron.added("0 1 * * * a", "B\n") == "0 1 * * * a\nB\n"
    assert cron.added("", "B\n") == "B\n"


def test_a_marker_alone_or_a_foreign_job_is_not_a_reminder() -> None:
    assert (
        cron.entries("# audio-companion-reminder x1 {}\n0 1 * * * a remind fire --id x1 \n") == []
    )
    orphan = '# audio-companion-reminder 3 {"time": "21:30"}\n0 1 * * * something else\n'
    assert cron.entries(orphan) == []
    assert cron.removed(orphan, "3") is None
    edited = (
        '# audio-companion-reminder 5 {"time": "25:00", "days": "daily", "deck": "x"}\n'
        "0 1 * * * /x/audio-companion remind fire --id 5 --deck x >/dev/null\n"
    )
    [entry] = cron.entries(edited)
    assert entry.id == "5" and entry.reminder is None and "25:00" in entry.problem
    assert cron.removed(edited, "5") == ""


def test_the_sound_session_goes_with_a_cron_job_only() -> None:
    environ = {"XDG_RUNTIME_DIR": "/run/user/1000", "AUDIO_COMPANION_DECKS": "/d", "HOME": "/h"}
    assert cron.environment(environ) == {
        "AUDIO_COMPANION_DECKS": "/d",
        "XDG_RUNTIME_DIR": "/run/user/1000",
    }
