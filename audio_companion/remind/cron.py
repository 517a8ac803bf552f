"""A reminder as two crontab lines, where no systemd user instance runs.

The first line is a comment that marks the reminder and carries its settings
(JSON, one line), the second the job::

    # audio-companion-reminder 1 {"time": "21:30", "days": "mon-fri", ...}
    30 21 * * 1-5 XDG_RUNTIME_DIR=/run/user/1000 /home/sam/.venv/bin/audio-companion remind …

Everything else in the person's crontab is theirs: adding appends our two
lines, removing takes out exactly those two, and every other byte (comments,
blank lines, ``MAILTO=``, other jobs, their order and line endings) stays as
it was. The text is handled as ``str`` decoded with ``surrogateescape``, so
even bytes that are not UTF-8 come back unchanged.

The job's output goes to /dev/null: cron mails what a job prints, and the
reminder's captions every night would be noise; errors (stderr) still reach
cron's mail or log.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from audio_companion.errors import InputError
from audio_companion.remind.schedule import ID_RE, ClockTime, Days, Reminder
from audio_companion.remind.units import carried_environment, fire_arguments

MARKER = "# audio-companion-reminder "
AUDIO_SESSION = ("XDG_RUNTIME_DIR",)
"""Also carried to cron (systemd's user manager sets it itself): without it the
sound server's socket is not found and the reminder could not be heard."""


def cron_word(word: str) -> str:
    """A shell word for cron: quoted for sh, and ``%`` escaped, which cron would
    otherwise turn into a newline (and feed the rest to the job's stdin)."""
    return shlex.quote(word).replace("%", "\\%")


def marker_line(reminder: Reminder) -> str:
    settings: dict[str, object] = {
        "time": str(reminder.time),
        "days": reminder.days.label(),
        "deck": reminder.deck,
        "partners": list(reminder.partners),
        "stop_word": reminder.stop_word,
    }
    if reminder.headphones:  # only when set: earlier markers stay the same
        settings["headphones"] = True
    return MARKER + reminder.id + " " + json.dumps(settings, ensure_ascii=False)


def job_line(reminder: Reminder, command: Sequence[str], environment: Mapping[str, str]) -> str:
    """``M H * * DOW [NAME=value …] command remind fire … >/dev/null``."""
    assignments = [f"{name}={cron_word(value)}" for name, value in environment.items()]
    words = [cron_word(w) for w in (*command, *fire_arguments(reminder))]
    fields = f"{reminder.time.minute} {reminder.time.hour} * * {reminder.days.cron()}"
    return " ".join([fields, *assignments, *words, ">/dev/null"])


def block(reminder: Reminder, command: Sequence[str], environment: Mapping[str, str]) -> str:
    """The reminder's two lines, each ending in a newline (crontab requires the last one)."""
    return f"{marker_line(reminder)}\n{job_line(reminder, command, environment)}\n"


@dataclass(frozen=True)
class CronEntry:
    """A reminder found in a crontab: its id, and its settings if they could be read."""

    id: str
    reminder: Reminder | None
    problem: str = ""


def _is_job_of(line: str, reminder_id: str) -> bool:
    return f" remind fire --id {reminder_id} " in f"{line} "


def _marked_id(line: str) -> str | None:
    if not line.startswith(MARKER):
        return None
    marked = line[len(MARKER) :].split(" ", 1)[0]
    return marked if ID_RE.fullmatch(marked) else None


def entries(crontab: str) -> list[CronEntry]:
    """Every reminder in `crontab`: a marker line followed by its job."""
    lines = crontab.split("\n")
    found: list[CronEntry] = []
    for i, line in enumerate(lines[:-1]):
        reminder_id = _marked_id(line)
        if reminder_id is None or not _is_job_of(lines[i + 1], reminder_id):
            continue
        try:
            found.append(CronEntry(reminder_id, _read_marker(line, reminder_id)))
        except (ValueError, TypeError, KeyError, InputError) as exc:
            found.append(CronEntry(reminder_id, None, f"unreadable settings ({exc})"))
    return found


def _read_marker(line: str, reminder_id: str) -> Reminder:
    settings = json.loads(line[len(MARKER) + len(reminder_id) :])
    partners = settings.get("partners", [])
    if not isinstance(partners, list):
        raise TypeError("partners is not a list")
    return Reminder(
        reminder_id,
        ClockTime.parse(str(settings["time"])),
        Days.parse(str(settings["days"])),
        str(settings["deck"]),
        tuple(str(p) for p in partners),
        str(settings.get("stop_word", "")),
        settings.get("headphones", False) is True,
    )


def added(crontab: str, lines: str) -> str:
    """`crontab` with `lines` appended (after a newline, if its last line lacked one)."""
    if crontab and not crontab.endswith("\n"):
        crontab += "\n"
    return crontab + lines


def removed(crontab: str, reminder_id: str) -> str | None:
    """`crontab` without reminder `reminder_id`'s two lines; None if it has none."""
    lines = crontab.split("\n")
    for i, line in enumerate(lines[:-1]):
        if _marked_id(line) == reminder_id and _is_job_of(lines[i + 1], reminder_id):
            return "\n".join(lines[:i] + lines[i + 2 :])
    return None


def environment(environ: Mapping[str, str]) -> dict[str, str]:
    """What the job sets before it runs: the carried variables and the sound session's."""
    session = {name: environ[name] for name in AUDIO_SESSION if environ.get(name, "").strip()}
    return {**carried_environment(environ), **session}
