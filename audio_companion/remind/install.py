"""Installing, listing and removing reminders: systemd user timers, else crontab lines.

A thin adapter around the pure texts of `units` and `cron`. Every program it
runs (``systemctl --user``, ``crontab``) goes through a `Runner`, the only
door to the person's session, so tests hand in a fake one and never touch the
real user manager or crontab; unit files go under ``$XDG_CONFIG_HOME``, which
tests point at a temporary folder.

systemd is used where its user instance answers (``systemctl --user
show-environment``): it logs each run in the journal and knows nothing of a
missed night. Where it does not (no systemctl, or no user bus: a container, an
ssh session without lingering) a crontab line does the same job, and the
person is told which was used.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from audio_companion.errors import CompanionError, InputError, MissingDependencyError
from audio_companion.fsutil import atomic_path
from audio_companion.remind import cron, units
from audio_companion.remind.schedule import ID_RE, ClockTime, Days, Reminder

RUN_LIMIT_S = 60.0  # systemctl and crontab answer at once; a hung one must not hang us


@dataclass(frozen=True)
class Ran:
    """What a program did: its exit status and output, as bytes (a crontab is
    given back byte for byte)."""

    returncode: int
    stdout: bytes = b""
    stderr: bytes = b""

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def why(self) -> str:
        """Its last line of complaint, for a one-line error."""
        lines = [ln.strip() for ln in self.stderr.decode("utf-8", "replace").splitlines()]
        lines = [ln for ln in lines if ln]
        return lines[-1] if lines else f"exit status {self.returncode}"


class Runner:
    """Finds and runs programs: the real session's ``systemctl`` and ``crontab``."""

    def which(self, program: str) -> str | None:
        return shutil.which(program)

    def run(self, argv: Sequence[str], stdin: bytes | None = None) -> Ran:
        try:
            done = subprocess.run(
                list(argv), input=stdin, capture_output=True, timeout=RUN_LIMIT_S, check=False
            )
        except subprocess.TimeoutExpired:
            return Ran(124, b"", f"{argv[0]} did not answer in {RUN_LIMIT_S:.0f} s".encode())
        except OSError as exc:
            return Ran(127, b"", f"{argv[0]}: {exc}".encode())
        return Ran(done.returncode, done.stdout, done.stderr)


def unit_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where systemd looks for a person's own units: ``$XDG_CONFIG_HOME/systemd/user``."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME", "")
    config = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return config / "systemd" / "user"


@dataclass(frozen=True)
class Installed:
    """A reminder found installed; `reminder` is None when its settings cannot be read
    (an edited file), so it is still listed, and can still be removed."""

    id: str
    backend: str  # "systemd" or "cron"
    reminder: Reminder | None
    problem: str = ""


class SystemdTimers:
    """Reminders as user timers: unit files in `folder`, the manager told through `runner`."""

    name = "systemd"

    def __init__(self, runner: Runner, folder: Path) -> None:
        self.runner = runner
        self.folder = folder

    def problem(self) -> str | None:
        """None when the user manager answers, else why it cannot be used."""
        if self.runner.which("systemctl") is None:
            return "systemctl is not installed"
        ran = self.runner.run(["systemctl", "--user", "show-environment"])
        return None if ran.ok else f"systemctl --user failed: {ran.why()}"

    def _systemctl(self, *args: str) -> Ran:
        return self.runner.run(["systemctl", "--user", *args])

    def installed(self) -> list[Installed]:
        found = []
        for path in sorted(self.folder.glob(f"{units.UNIT_PREFIX}*.timer")):
            reminder_id = path.name[len(units.UNIT_PREFIX) : -len(".timer")]
            if not ID_RE.fullmatch(reminder_id):
                continue  # not one of ours: our ids are numbers
            try:
                reminder = units.read_timer(path.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, ValueError, InputError) as exc:
                found.append(Installed(reminder_id, self.name, None, f"unreadable ({exc})"))
                continue
            found.append(Installed(reminder_id, self.name, reminder))
        return found

    def install(
        self, reminder: Reminder, command: Sequence[str], environment: Mapping[str, str]
    ) -> str:
        """Write both units, reload, enable and start the timer; undo it all if that fails."""
        timer, service = units.unit_names(reminder.id)
        texts = {
            service: units.service_text(reminder, command, environment),
            timer: units.timer_text(reminder),
        }
        for name, text in texts.items():
            with atomic_path(self.folder / name) as tmp:
                tmp.write_text(text, "utf-8")
        for args in (("daemon-reload",), ("enable", "--now", timer)):
            ran = self._systemctl(*args)
            if not ran.ok:
                self._delete(reminder.id)
                self._systemctl("daemon-reload")
                raise CompanionError(
                    f"systemctl --user {' '.join(args)} failed: {ran.why()}; "
                    "the reminder was not installed"
                )
        return f"systemd user timer {self.folder / timer}"

    def remove(self, reminder_ids: Sequence[str], *, manager: bool) -> None:
        """Stop and disable the timers (when the manager answers), delete their units, reload."""
        for reminder_id in reminder_ids:
            timer, _ = units.unit_names(reminder_id)
            if manager:
                # A timer the manager no longer knows fails to disable: nothing to stop then.
                self._systemctl("disable", "--now", timer)
            self._delete(reminder_id)
        if manager and reminder_ids:
            ran = self._systemctl("daemon-reload")
            if not ran.ok:
                raise CompanionError(f"systemctl --user daemon-reload failed: {ran.why()}")

    def _delete(self, reminder_id: str) -> None:
        timer, service = units.unit_names(reminder_id)
        # `enable` links the timer into timers.target.wants; without the manager the
        # link is removed here, or the manager would find it dangling.
        for path in (self.folder / "timers.target.wants" / timer, self.folder / timer):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        with contextlib.suppress(FileNotFoundError):
            (self.folder / service).unlink()


class CronTable:
    """Reminders as lines of the person's crontab, read and written with ``crontab``."""

    name = "cron"

    def __init__(self, runner: Runner) -> None:
        self.runner = runner

    def available(self) -> bool:
        return self.runner.which("crontab") is not None

    def read(self) -> str:
        """The crontab as text (``surrogateescape``: any byte comes back unchanged)."""
        ran = self.runner.run(["crontab", "-l"])
        if ran.ok:
            return ran.stdout.decode("utf-8", "surrogateescape")
        if b"no crontab" in ran.stderr.lower():
            return ""
        raise CompanionError(f"crontab -l failed: {ran.why()}")

    def write(self, text: str) -> None:
        ran = self.runner.run(["crontab", "-"], text.encode("utf-8", "surrogateescape"))
        if not ran.ok:
            raise CompanionError(f"crontab - failed: {ran.why()}; your crontab is unchanged")

    def installed(self) -> list[Installed]:
        if not self.available():
            return []
        return [
            Installed(e.id, self.name, e.reminder, e.problem) for e in cron.entries(self.read())
        ]

    def install(
        self, reminder: Reminder, command: Sequence[str], environment: Mapping[str, str]
    ) -> str:
        self.write(cron.added(self.read(), cron.block(reminder, command, environment)))
        return f"a line in your crontab, marked {cron.MARKER.strip()} {reminder.id}"

    def remove(self, reminder_ids: Sequence[str]) -> None:
        """Take the reminders' lines out, in one read and one write."""
        before = text = self.read()
        for reminder_id in reminder_ids:
            text = cron.removed(text, reminder_id) or text
        if text != before:
            self.write(text)


@dataclass(frozen=True)
class Added:
    """A reminder just installed: where, and why cron stood in for systemd (if it did)."""

    reminder: Reminder
    backend: str
    where: str
    note: str = ""


class Reminders:
    """Every reminder, whichever scheduler holds it: the one thing the CLI talks to."""

    def __init__(self, runner: Runner, environ: Mapping[str, str] | None = None) -> None:
        self.environ = dict(os.environ if environ is None else environ)
        self.systemd = SystemdTimers(runner, unit_dir(self.environ))
        self.cron = CronTable(runner)

    def installed(self) -> list[Installed]:
        """Both schedulers' reminders, by id."""
        found = self.systemd.installed() + self.cron.installed()
        return sorted(found, key=lambda i: (int(i.id), i.backend))

    def add(
        self,
        time: ClockTime,
        days: Days,
        deck: str,
        partners: tuple[str, ...],
        command: Sequence[str],
        backend: str = "auto",
        stop_word: str = "",
        headphones: bool = False,
    ) -> Added:
        """Install a reminder under the next free id (the smallest number not in use).

        `backend` "auto" uses systemd where its user instance answers, else cron;
        "systemd" or "cron" insist. `command` runs the companion, absolute.
        """
        existing = self.installed()
        taken = {i.id for i in existing}
        free = next(str(n) for n in range(1, len(taken) + 2) if str(n) not in taken)
        reminder = Reminder(free, time, days, deck, partners, stop_word, headphones)
        for other in existing:
            if other.reminder is not None and other.reminder.same_as(reminder):
                raise InputError(
                    f"reminder {other.id} already rings at {other.reminder.describe()} "
                    f"({other.backend}); see `audio-companion remind list`"
                )
        chosen, note = self._choose(backend)
        if isinstance(chosen, SystemdTimers):
            environment = units.carried_environment(self.environ)
            where = chosen.install(reminder, command, environment)
        else:
            where = chosen.install(reminder, command, cron.environment(self.environ))
        return Added(reminder, chosen.name, where, note)

    def _choose(self, backend: str) -> tuple[SystemdTimers | CronTable, str]:
        if backend not in ("auto", "systemd", "cron"):
            raise InputError(f"--backend {backend!r}: use auto, systemd or cron")
        problem = self.systemd.problem() if backend != "cron" else "not asked for"
        if problem is None:
            return self.systemd, ""
        if backend == "systemd":
            raise CompanionError(
                f"systemd's user instance cannot be used here ({problem}); "
                "run this in a login session with systemd, or use --backend cron"
            )
        if not self.cron.available():
            extra = "" if backend == "cron" else f" (and systemd cannot be used: {problem})"
            raise MissingDependencyError("cron", "cron", extra)
        note = "" if backend == "cron" else f"systemd's user instance cannot be used ({problem})"
        return self.cron, note

    def remove(self, reminder_id: str) -> list[Installed]:
        """Remove reminder `reminder_id` from whichever scheduler holds it."""
        found = [i for i in self.installed() if i.id == reminder_id.strip()]
        if not found:
            raise InputError(
                f"there is no reminder {reminder_id!r}; `audio-companion remind list` shows "
                "their ids"
            )
        self._remove(found)
        return found

    def remove_all(self) -> list[Installed]:
        found = self.installed()
        self._remove(found)
        return found

    def _remove(self, found: list[Installed]) -> None:
        timers = [i.id for i in found if i.backend == self.systemd.name]
        if timers:
            self.systemd.remove(timers, manager=self.systemd.problem() is None)
        lines = [i.id for i in found if i.backend == self.cron.name]
        if lines:
            self.cron.remove(lines)
