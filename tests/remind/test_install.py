"""Installing, listing and removing reminders in a pretend session (remind_fakes.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from remind_fakes import FakeSession

from audio_companion.errors import CompanionError, InputError, MissingDependencyError
from audio_companion.remind import cron, units
from audio_companion.remind.install import Ran, Reminders, Runner, unit_dir
from audio_companion.remind.schedule import ClockTime, Days, Reminder

COMMAND = ("/home/sam/.venv/bin/audio-companion",)
AT, WEEKDAYS = ClockTime(21, 30), Days.parse("mon-fri")
THEIRS = b"MAILTO=sam@example.org\n# keep me\n*/5 * * * * /usr/bin/backup '\\%d'\n"


def session(config: Path, **kw: object) -> tuple[FakeSession, Reminders]:
    fake = FakeSession(config / "systemd" / "user", **kw)  # type: ignore[arg-type]
    environ = {"XDG_CONFIG_HOME": str(config), "AUDIO_COMPANION_JOURNAL": "/j.sqlite3"}
    return fake, Reminders(fake, environ)


def test_units_go_to_the_xdg_config_folder(pretend_session: Path) -> None:
    assert unit_dir({"XDG_CONFIG_HOME": "/c"}) == Path("/c/systemd/user")
    assert unit_dir({"XDG_CONFIG_HOME": "relative"}) == Path.home() / ".config/systemd/user"
    assert unit_dir() == pretend_session / "systemd" / "user"


def test_set_writes_both_units_reloads_and_enables_the_timer(pretend_session: Path) -> None:
    fake, reminders = session(pretend_session)
    added = reminders.add(AT, WEEKDAYS, "nightly", ("Sam", "Alex"), COMMAND)
    assert (added.backend, added.note, added.reminder.id) == ("systemd", "", "1")
    folder = fake.unit_dir
    timer = folder / "audio-companion-reminder-1.timer"
    assert timer.read_text() == units.timer_text(added.reminder)
    service = (folder / "audio-companion-reminder-1.service").read_text()
    carried = {"AUDIO_COMPANION_JOURNAL": "/j.sqlite3", "XDG_CONFIG_HOME": str(pretend_session)}
    assert service == units.service_text(added.reminder, COMMAND, carried)
    assert fake.systemctl_calls() == [
        ("show-environment",),
        ("daemon-reload",),
        ("enable", "--now", "audio-companion-reminder-1.timer"),
    ]
    assert fake.enabled == {"audio-companion-reminder-1.timer"}
    assert str(timer) in added.where
    [listed] = reminders.installed()
    assert (listed.id, listed.backend, listed.reminder) == ("1", "systemd", added.reminder)


def test_ids_are_the_smallest_free_numbers_across_both_schedulers(pretend_session: Path) -> None:
    fake, reminders = session(pretend_session)
    for spec in ("mon", "tue", "wed"):
        reminders.add(AT, Days.parse(spec), "nightly", (), COMMAND)
    reminders.remove("2")
    fake.user_bus = False  # the next one goes to cron, and takes the free 2
    added = reminders.add(AT, Days.parse("thu"), "nightly", (), COMMAND)
    assert (added.reminder.id, added.backend) == ("2", "cron")
    assert [(i.id, i.backend) for i in reminders.installed()] == [
        ("1", "systemd"),
        ("2", "cron"),
        ("3", "systemd"),
    ]


def test_the_same_reminder_twice_is_refused(pretend_session: Path) -> None:
    _, reminders = session(pretend_session)
    reminders.add(AT, WEEKDAYS, "nightly", ("Sam",), COMMAND)
    with pytest.raises(InputError, match="reminder 1 already rings at 21:30 mon-fri"):
        reminders.add(AT, Days.parse("weekdays"), "nightly", ("Sam",), COMMAND)
    reminders.add(AT, WEEKDAYS, "nightly", ("Alex",), COMMAND)  # another couple's is fine


def test_remove_disables_deletes_and_reloads(pretend_session: Path) -> None:
    fake, reminders = session(pretend_session)
    reminders.add(AT, WEEKDAYS, "nightly", (), COMMAND)
    fake.calls.clear()
    [gone] = reminders.remove("1")
    assert gone.id == "1" and gone.backend == "systemd"
    assert fake.systemctl_calls() == [
        ("show-environment",),
        ("disable", "--now", "audio-companion-reminder-1.timer"),
        ("daemon-reload",),
    ]
    assert fake.enabled == set() and reminders.installed() == []
    assert sorted(p.name for p in fake.unit_dir.rglob("*")) == ["timers.target.wants"]
    with pytest.raises(InputError, match="there is no reminder '1'"):
        reminders.remove("1")


def test_without_a_user_bus_cron_is_used_and_said_why(pretend_session: Path) -> None:
    fake, reminders = session(pretend_session, user_bus=False, crontab_bytes=THEIRS)
    added = reminders.add(AT, WEEKDAYS, "nightly", ("Sam", "Alex"), COMMAND)
    assert added.backend == "cron"
    assert "systemctl --user failed: Failed to connect to bus: No medium found" in added.note
    assert not fake.unit_dir.exists()
    assert fake.crontab_bytes is not None and fake.crontab_bytes.startswith(THEIRS)
    [entry] = cron.entries(fake.crontab_bytes.decode())
    assert entry.reminder == added.reminder
    job = fake.crontab_bytes.decode().splitlines()[-1]
    assert job.startswith(
        f"30 21 * * 1-5 AUDIO_COMPANION_JOURNAL=/j.sqlite3 XDG_CONFIG_HOME={pretend_session} "
        "/home/sam/.venv/bin/audio-companion remind fire --id 1 "
    )
    reminders.remove("1")
    assert fake.crontab_bytes == THEIRS  # byte for byte


def test_without_systemctl_cron_is_used(pretend_session: Path) -> None:
    fake, reminders = session(pretend_session, systemctl=False)
    added = reminders.add(AT, WEEKDAYS, "nightly", (), COMMAND)
    assert added.backend == "cron" and "systemctl is not installed" in added.note
    assert not any(c[0] == "systemctl" for c in fake.calls)
    assert fake.crontab_bytes is not None and b"remind fire --id 1 " in fake.crontab_bytes


def test_with_neither_the_error_says_what_to_install(pretend_session: Path) -> None:
    _, reminders = session(pretend_session, systemctl=False, crontab=False)
    with pytest.raises(MissingDependencyError) as caught:
        reminders.add(AT, WEEKDAYS, "nightly", (), COMMAND)
    message = str(caught.value)
    assert message.startswith("cron is not installed; install it with: sudo apt-get install cron")
    assert "systemctl is not installed" in message and caught.value.exit_code == 3
    assert reminders.installed() == []


def test_a_backend_asked_for_is_used_or_refused(pretend_session: Path) -> None:
    fake, reminders = session(pretend_session)
    added = reminders.add(AT, WEEKDAYS, "nightly", (), COMMAND, backend="cron")
    assert (added.backend, added.note) == ("cron", "")
    assert not any(c[0] == "systemctl" for c in fake.calls)
    fake.user_bus = False
    with pytest.raises(CompanionError, match="use --backend cron"):
        reminders.add(AT, Days.parse("sun"), "nightly", (), COMMAND, backend="systemd")


def test_a_failed_enable_leaves_nothing_behind(pretend_session: Path) -> None:
    fake, reminders = session(pretend_session)
    timer = "audio-companion-reminder-1.timer"
    fake.fail[("systemctl", "--user", "enable", "--now", timer)] = b"Access denied\n"
    with pytest.raises(
        CompanionError, match=r"enable --now \S+ failed: Access denied; the reminder"
    ):
        reminders.add(AT, WEEKDAYS, "nightly", (), COMMAND)
    assert list(fake.unit_dir.glob("*")) == [] and reminders.installed() == []
    assert fake.systemctl_calls()[-1] == ("daemon-reload",)  # the manager forgets it too


def test_a_failed_crontab_write_is_one_line_and_changes_nothing(pretend_session: Path) -> None:
    fake, reminders = session(pretend_session, user_bus=False, crontab_bytes=THEIRS)
    fake.fail[("crontab", "-")] = b"crontab: cannot open temporary file\n"
    with pytest.raises(CompanionError, match=r"crontab - failed: .*; your crontab is unchanged"):
        reminders.add(AT, WEEKDAYS, "nightly", (), COMMAND)
    assert fake.crontab_bytes == THEIRS
    fake.fail[("crontab", "-l")] = b"crontab: your crontab is unreadable\n"
    with pytest.raises(CompanionError, match="crontab -l failed: crontab: your crontab is unread"):
        reminders.installed()


def test_an_edited_timer_is_listed_and_can_still_be_removed(pretend_session: Path) -> None:
    fake, reminders = session(pretend_session)
    reminders.add(AT, WEEKDAYS, "nightly", (), COMMAND)
    timer = fake.unit_dir / "audio-companion-reminder-1.timer"
    timer.write_text(timer.read_text().replace("Time=21:30", "Time=half past nine"))
    [entry] = reminders.installed()
    assert entry.reminder is None and "half past nine" in entry.problem
    reminders.remove("1")
    assert not timer.exists() and fake.enabled == set()


def test_unit_files_that_are_not_ours_are_left_alone(pretend_session: Path) -> None:
    fake, reminders = session(pretend_session)
    fake.unit_dir.mkdir(parents=True)
    theirs = fake.unit_dir / "audio-companion-reminder-backup.timer"
    theirs.write_text("[Timer]\nOnCalendar=daily\n")
    assert reminders.installed() == [] and reminders.remove_all() == []
    assert theirs.exists()


def test_remove_all_takes_both_schedulers_and_reloads_once(pretend_session: Path) -> None:
    fake, reminders = session(pretend_session, crontab_bytes=THEIRS)
    reminders.add(AT, Days.parse("mon"), "nightly", (), COMMAND)
    reminders.add(AT, Days.parse("tue"), "nightly", (), COMMAND)
    reminders.add(AT, Days.parse("wed"), "nightly", (), COMMAND, backend="cron")
    fake.calls.clear()
    gone = reminders.remove_all()
    assert [(g.id, g.backend) for g in gone] == [("1", "systemd"), ("2", "systemd"), ("3", "cron")]
    assert fake.systemctl_calls().count(("daemon-reload",)) == 1
    assert fake.crontab_bytes == THEIRS and reminders.installed() == []
    assert reminders.remove_all() == []


def test_without_the_manager_remove_still_deletes_the_files_and_link(pretend_session: Path) -> None:
    fake, reminders = session(pretend_session)
    reminders.add(AT, WEEKDAYS, "nightly", (), COMMAND)
    fake.user_bus = False  # logged in over ssh, say: the manager cannot be asked
    fake.calls.clear()
    reminders.remove("1")
    assert fake.systemctl_calls() == [("show-environment",)]
    assert list(fake.unit_dir.rglob("*.timer")) == []


def test_the_real_runner_runs_programs_and_reports_failures() -> None:
    runner = Runner()
    echoed = runner.run(
        [sys.executable, "-c", "import sys; sys.stdout.write(sys.stdin.read())"], b"a\r\nb"
    )
    assert echoed == Ran(0, b"a\r\nb", b"")
    failed = runner.run([sys.executable, "-c", "import sys; sys.exit('first\\n\\nlast words')"])
    assert failed.returncode == 1 and failed.why() == "last words"
    missing = runner.run(["/nonexistent/program"])
    assert missing.returncode == 127 and "/nonexistent/program" in missing.why()
    assert runner.which("sh") is not None and runner.which("no-such-program-here") is None


def test_the_real_runner_is_shut_for_the_session_in_tests() -> None:
    with pytest.raises(pytest.fail.Exception, match="a test ran the real systemctl"):
        Runner().run(["systemctl", "--user", "show-environment"])


def test_a_reminder_stands_for_its_settings_whatever_id_it_was_given() -> None:
    one = Reminder("1", AT, WEEKDAYS)
    assert units.read_timer(units.timer_text(one)) == one
