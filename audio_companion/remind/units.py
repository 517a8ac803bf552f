"""A reminder as systemd user units: settings in, file texts out, nothing touched.

Two units per reminder, ``audio-companion-reminder-<id>.timer`` and
``.service``. The timer rings on ``OnCalendar=``, with ``Persistent=false``
(a reminder for last night, caught up at this morning's login, is no use) and
``AccuracySec=1min`` (systemd would otherwise let it drift by up to a minute
to batch wake-ups, and it may still). The service runs ``remind fire`` by the
companion's absolute path, so it works without the shell's PATH.

The timer carries the reminder's own settings in an ``[X-AudioCompanion]``
section, which systemd ignores by design: `remind list` reads them back from
the file that makes the reminder ring, so what is listed cannot disagree with
what is installed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from audio_companion.remind.schedule import ClockTime, Days, Reminder

UNIT_PREFIX = "audio-companion-reminder-"
SECTION = "X-AudioCompanion"
RUNTIME_LIMIT = "3h"  # a check-in's longest time box (2 h) and a snooze, with room to spare

CARRIED = (
    "AUDIO_COMPANION_JOURNAL",
    "AUDIO_COMPANION_PASSPHRASE_FILE",
    "AUDIO_COMPANION_DECKS",
    "AUDIO_COMPANION_MODELS",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "PULSE_SERVER",
)
"""Variables that decide where the companion keeps things (or which sound server it
uses): the scheduler starts it with its own environment, not the login shell's, so
those set when the reminder was made go with it, and its check-in lands in the
same journal as one typed at the terminal. An encrypted journal's passphrase file is
named (it is the one way to open the journal with nobody at a terminal); the passphrase
itself, AUDIO_COMPANION_PASSPHRASE, is never written into a unit file or crontab."""

ENV_PROGRAM = "/usr/bin/env"
_PLAIN = re.compile(r"[A-Za-z0-9_./:,=+@-]+")


def unit_names(reminder_id: str) -> tuple[str, str]:
    """(timer, service) file names of reminder `reminder_id`."""
    return f"{UNIT_PREFIX}{reminder_id}.timer", f"{UNIT_PREFIX}{reminder_id}.service"


def fire_arguments(reminder: Reminder) -> tuple[str, ...]:
    """What the scheduler passes to the companion: ``remind fire`` with the reminder's options."""
    partners = ("--partners", ",".join(reminder.partners)) if reminder.partners else ()
    stop = ("--stop-word", reminder.stop_word) if reminder.stop_word else ()
    heard = ("--headphones",) if reminder.headphones else ()
    fire = ("remind", "fire", "--id", reminder.id, "--deck", reminder.deck)
    return (*fire, *partners, *stop, *heard)


def carried_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The `CARRIED` variables that are set (non-empty), in a fixed order."""
    return {name: environ[name] for name in CARRIED if environ.get(name, "").strip()}


def on_calendar(time: ClockTime, days: Days) -> str:
    """``Mon..Fri *-*-* 21:30:00``, or ``*-*-* 21:30:00`` for every day: the normalized
    form, so `systemd-analyze calendar` prints back exactly this."""
    weekdays = days.systemd()
    stamp = f"*-*-* {time}:00"
    return f"{weekdays} {stamp}" if weekdays else stamp


def _escape(text: str) -> str:
    """Inside systemd's double quotes: backslash escapes, ``%`` specifiers doubled."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")


def exec_word(word: str, *, program: bool = False) -> str:
    """One word of ``ExecStart=``: plain if it can be, else double-quoted.

    In arguments ``$`` is doubled, or systemd would read ``$NAME`` as a variable;
    in the program's name it is taken as written, so it stays single.
    """
    if _PLAIN.fullmatch(word):
        return word
    escaped = _escape(word) if program else _escape(word).replace("$", "$$")
    return '"' + escaped + '"'


def exec_line(words: Sequence[str]) -> str:
    """The value of ``ExecStart=``. systemd refuses a program whose path holds a quote
    or a backslash ("special characters"); such a path is handed to ``env`` instead."""
    program, *args = words
    if any(c in program for c in "'\"\\"):
        program, args = ENV_PROGRAM, [program, *args]
    return " ".join([exec_word(program, program=True), *(exec_word(a) for a in args)])


def environment_line(name: str, value: str) -> str:
    """``Environment="NAME=value"`` (no ``$`` expansion there, specifiers still)."""
    return f'Environment="{_escape(f"{name}={value}")}"'


def _header(reminder: Reminder) -> str:
    return (
        "# Written by `audio-companion remind set`; remove it with "
        f"`audio-companion remind remove {reminder.id}`.\n"
    )


def timer_text(reminder: Reminder) -> str:
    """The timer unit: when the reminder rings, and the reminder's own settings."""
    _, service = unit_names(reminder.id)
    return (
        _header(reminder)
        + "[Unit]\n"
        + f"Description=audio-companion reminder {reminder.id}: "
        + f"check-in at {reminder.time} ({reminder.days.label()})\n"
        + "\n[Timer]\n"
        + f"OnCalendar={on_calendar(reminder.time, reminder.days)}\n"
        + "Persistent=false\n"
        + "AccuracySec=1min\n"
        + f"Unit={service}\n"
        + "\n[Install]\n"
        + "WantedBy=timers.target\n"
        + f"\n[{SECTION}]\n"
        + f"Id={reminder.id}\n"
        + f"Time={reminder.time}\n"
        + f"Days={reminder.days.label()}\n"
        + f"Deck={reminder.deck}\n"
        + f"Partners={','.join(reminder.partners)}\n"
        + f"StopWord={reminder.stop_word}\n"
        # Only when set: the units of earlier reminders stay byte for byte the same.
        + ("Headphones=yes\n" if reminder.headphones else "")
    )


def service_text(reminder: Reminder, command: Sequence[str], environment: Mapping[str, str]) -> str:
    """The service the timer starts: `command` (the companion, absolute) ``remind fire …``."""
    words = (*command, *fire_arguments(reminder))
    env = "".join(environment_line(k, v) + "\n" for k, v in environment.items())
    return (
        _header(reminder)
        + "[Unit]\n"
        + f"Description=audio-companion reminder {reminder.id}: ask about tonight's check-in\n"
        + "\n[Service]\n"
        + "Type=exec\n"
        + env
        + f"ExecStart={exec_line(words)}\n"
        + f"RuntimeMaxSec={RUNTIME_LIMIT}\n"
    )


def read_timer(text: str) -> Reminder:
    """The reminder a timer unit written by `timer_text` describes.

    Raises ValueError when the file was not written by us, InputError when one of
    its values was edited past reading.
    """
    values: dict[str, str] = {}
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section == SECTION and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    missing = [k for k in ("Id", "Time", "Days", "Deck") if k not in values]
    if missing:
        raise ValueError(f"no {', '.join(missing)} in its [{SECTION}] section")
    partners = tuple(n for n in values.get("Partners", "").split(",") if n)
    return Reminder(
        values["Id"],
        ClockTime.parse(values["Time"]),
        Days.parse(values["Days"]),
        values["Deck"],
        partners,
        values.get("StopWord", ""),
        values.get("Headphones", "no") == "yes",
    )
