"""`audio-companion remind …` through click's CliRunner, in a pretend session.

The fake session (remind_fakes.py) is handed to the command as click's ``obj``;
the conftest shuts the real systemctl and crontab, so a test that forgot it
fails rather than installing a reminder on this machine.
"""

from __future__ import annotations

import json
import shutil
import sys
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
from click.testing import CliRunner, Result
from helpers import FakeSynth  # type: ignore[import-not-found, unused-ignore]  # tests/ on sys.path
from remind_fakes import FakeClock, FakeSession

from audio_companion.cli import main
from audio_companion.cli.remind import Surroundings, companion_command
from audio_companion.journal.store import Journal
from audio_companion.remind import cron, flow
from audio_companion.tts.prompts import PromptCache

THEIRS = b"MAILTO=sam@example.org\n0 3 * * 0 /usr/bin/backup\n"
TIMER = "audio-companion-reminder-1.timer"


def remind(fake: FakeSession, *args: str, clock: FakeClock | None = None, **kw: Any) -> Result:
    clock = clock or FakeClock()
    obj = Surroundings(runner=fake, clock=clock, sleep=clock.sleep)
    return CliRunner().invoke(main, ["remind", *args], obj=obj, **kw)


def error_line(result: Result) -> str:
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def fake(pretend_session: Path) -> FakeSession:
    return FakeSession(pretend_session / "systemd" / "user", crontab_bytes=THEIRS)


def test_set_list_remove_with_systemd(fake: FakeSession) -> None:
    result = remind(fake, "set", "21:30", "--days", "mon-fri", "--partners", "Sam, Alex")
    assert result.exit_code == 0, result.output
    timer = fake.unit_dir / TIMER
    assert result.output.splitlines() == [
        "Reminder 1: 21:30 mon-fri, deck nightly, for Sam and Alex.",
        f"Installed as systemd user timer {timer}.",
    ]
    assert fake.enabled == {TIMER}
    service = (fake.unit_dir / "audio-companion-reminder-1.service").read_text()
    exec_start = next(ln for ln in service.splitlines() if ln.startswith("ExecStart="))
    assert exec_start == (
        f"ExecStart={companion_command()[0]} remind fire --id 1 --deck nightly --partners Sam,Alex"
    )
    assert Path(companion_command()[0]).is_absolute()

    listed = remind(fake, "list")
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == [
        "ID  TIME   DAYS     DECK     PARTNERS  BACKEND",
        "1   21:30  mon-fri  nightly  Sam,Alex  systemd",
    ]
    rows = json.loads(remind(fake, "list", "--format", "json").output)
    assert rows == [
        {"id": "1", "time": "21:30", "days": "mon-fri", "deck": "nightly", "partners": "Sam,Alex",
         "stop_word": "", "headphones": False, "backend": "systemd", "problem": ""}
    ]  # fmt: skip

    removed = remind(fake, "remove", "1")
    assert removed.exit_code == 0, removed.output
    assert removed.output == (
        "Removed reminder 1 (21:30 mon-fri, deck nightly, for Sam and Alex; systemd).\n"
    )
    assert not timer.exists() and fake.enabled == set()
    assert remind(fake, "list").output == (
        "No reminders. Set one with: audio-companion remind set 21:30\n"
    )
    assert fake.crontab_bytes == THEIRS  # cron was read, never written


@pytest.mark.parametrize("backend", ["systemd", "cron"])
def test_a_reminder_for_headphones_rings_a_check_in_in_headphones(
    fake: FakeSession, backend: str
) -> None:
    result = remind(fake, "set", "22:00", "--headphones", "--backend", backend)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Reminder 1: 22:00 daily, deck nightly, in headphones."
    if backend == "systemd":
        service = (fake.unit_dir / "audio-companion-reminder-1.service").read_text()
        started = next(ln for ln in service.splitlines() if ln.startswith("ExecStart="))
    else:
        started = next(ln for ln in fake.crontab_bytes.decode().splitlines() if "fire" in ln)
    assert "remind fire --id 1 --deck nightly --headphones" in started
    # Read back from what was installed, not from memory.
    [row] = json.loads(remind(fake, "list", "--format", "json").output)
    assert row["headphones"] is True and row["backend"] == backend
    listed = remind(fake, "list").output.splitlines()
    assert listed[0].split() == ["ID", "TIME", "DAYS", "DECK", "PARTNERS", "HEADPHONES", "BACKEND"]
    assert listed[1].split() == ["1", "22:00", "daily", "nightly", "yes", backend]
    # The same time and deck for the speaker is another reminder, not a duplicate.
    assert remind(fake, "set", "22:00", "--backend", backend).exit_code == 0


def test_without_a_user_bus_it_falls_back_to_cron_and_says_so(fake: FakeSession) -> None:
    fake.user_bus = False
    result = remind(fake, "set", "07:05", "--days", "sat,sun")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "systemd's user instance cannot be used (systemctl --user failed: Failed to connect "
        "to bus: No medium found); using cron instead.",
        "Reminder 1: 07:05 sat,sun, deck nightly.",
        "Installed as a line in your crontab, marked # audio-companion-reminder 1.",
    ]
    assert fake.crontab_bytes is not None
    text = fake.crontab_bytes.decode()
    assert text.startswith(THEIRS.decode()) and "\n5 7 * * 0,6 " in text
    assert remind(fake, "list").output.splitlines()[1].split() == [
        "1", "07:05", "sat,sun", "nightly", "cron"
    ]  # fmt: skip
    assert remind(fake, "remove", "--all").exit_code == 0
    assert fake.crontab_bytes == THEIRS


def test_with_neither_scheduler_one_line_says_what_to_install(fake: FakeSession) -> None:
    fake.programs = {"systemctl": False, "crontab": False}
    result = remind(fake, "set", "21:30")
    assert result.exit_code == 3
    assert error_line(result) == (
        "Error: cron is not installed; install it with: sudo apt-get install cron "
        "(and systemd cannot be used: systemctl is not installed)"
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["9pm"], "'9pm' is not a time; write it as HH:MM on the 24-hour clock"),
        (["24:00"], "'24:00' is not a time"),
        (["21:30", "--days", "mon-fir"], "--days: 'fir' is not a day (in 'mon-fir')"),
        (["21:30", "--days", "mon,,fri"], "empty item between commas"),
        (["21:30", "--deck", "nope"], 'unknown deck "nope"'),
        (["21:30", "--stop-word", "Sam=pineapple"], "--stop-word:"),
        (["21:30", "--partners", "Sam\nAlex"], "control character"),
    ],
)
def test_bad_input_is_one_clear_line_and_installs_nothing(
    fake: FakeSession, args: list[str], words: str
) -> None:
    result = remind(fake, "set", *args)
    assert result.exit_code == 2
    line = error_line(result)
    assert line.startswith("Error: ") and words in line, line
    assert fake.calls == [] and fake.crontab_bytes == THEIRS


def test_a_deck_file_is_kept_by_its_absolute_path(
    fake: FakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = resources.files("audio_companion").joinpath("data", "decks", "nightly.toml")
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "calm evening.toml").write_bytes(bundled.read_bytes())
    monkeypatch.chdir(tmp_path)
    result = remind(fake, "set", "22:00", "--deck", "decks/calm evening.toml")
    assert result.exit_code == 0, result.output
    service = (fake.unit_dir / "audio-companion-reminder-1.service").read_text()
    assert f'--deck "{tmp_path}/decks/calm evening.toml"' in service


def test_the_same_reminder_twice_is_refused(fake: FakeSession) -> None:
    assert remind(fake, "set", "21:30").exit_code == 0
    again = remind(fake, "set", "21:30", "--days", "daily")
    assert again.exit_code == 2 and "reminder 1 already rings at 21:30 daily" in again.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([], "give one reminder's ID or --all"),
        (["1", "--all"], "give one reminder's ID or --all"),
        (["7"], "there is no reminder '7'"),
    ],
)
def test_remove_needs_one_id_or_all(fake: FakeSession, args: list[str], words: str) -> None:
    result = remind(fake, "remove", *args)
    assert result.exit_code == 2 and words in error_line(result)


def test_remove_all_with_none_says_so(fake: FakeSession) -> None:
    result = remind(fake, "remove", "--all")
    assert result.exit_code == 0 and result.output == "No reminders to remove.\n"


# --- fire ---------------------------------------------------------------------


def fire_typed(fake: FakeSession, journal: Path, answers: list[str], clock: FakeClock) -> Result:
    args = ["fire", "--id", "1", "--partners", "Sam,Alex", "--text", "--mute"]
    env = {"AUDIO_COMPANION_JOURNAL": str(journal)}
    return remind(fake, *args, clock=clock, input="\n".join(answers) + "\n", env=env)


def test_yes_starts_the_checkin_with_the_reminders_deck_and_partners(
    fake: FakeSession, tmp_path: Path
) -> None:
    journal = tmp_path / "journal.sqlite3"
    clock = FakeClock()
    result = fire_typed(fake, journal, ["yes", "I feel fine", "stop"], clock)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [
        "Reminder 1: asking about tonight's check-in.",
        f"companion: {flow.QUESTION}",
        "Starting the check-in.",
    ]
    with Journal.open(journal) as j:
        [summary] = j.sessions()
    assert summary.deck == "nightly" and summary.partners == ("Sam", "Alex")
    assert summary.end_reason == "stop_word" and summary.answer_count == 1
    assert clock.slept == [] and fake.calls == []


def test_not_now_waits_fifteen_minutes_then_asks_again(fake: FakeSession, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    clock = FakeClock()
    result = fire_typed(fake, journal, ["not now", "yes", "stop"], clock)
    assert result.exit_code == 0, result.output
    assert clock.slept == [900.0]
    said = [ln for ln in result.output.splitlines() if ln.startswith("companion: ")][:3]
    assert said == [
        f"companion: {flow.QUESTION}",
        "companion: All right. I'll ask again in 15 minutes.",
        f"companion: {flow.QUESTION}",
    ]
    assert journal.exists()


@pytest.mark.parametrize(
    ("answers", "ending"),
    [
        ([""], "No answer; the reminder ends quietly."),
        (["later", "later"], "Not tonight, then; the reminder ends."),
        (["stop"], "Stopped; the reminder ends."),
    ],
)
def test_no_checkin_unless_yes(
    fake: FakeSession, tmp_path: Path, answers: list[str], ending: str
) -> None:
    journal = tmp_path / "journal.sqlite3"
    result = fire_typed(fake, journal, answers, FakeClock())
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == ending
    assert not journal.exists()


def test_fire_checks_the_deck_before_it_rings(fake: FakeSession) -> None:
    result = remind(fake, "fire", "--id", "1", "--deck", "gone", "--text", "--mute", input="yes\n")
    assert result.exit_code == 2 and 'unknown deck "gone"' in error_line(result)


class _Device:
    log: list[str]

    def __init__(self, device: str | None = None, rate: int = 22050) -> None:
        self.rate = rate
        self.exhausted = True  # as a microphone: nothing more will come

    def __enter__(self) -> _Device:
        self.log.append(f"open {type(self).__name__}")
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.log.append(f"close {type(self).__name__}")


class _Played:
    start = end = None

    def wait(self, timeout: float | None = None) -> bool:
        return True


def test_fire_speaks_through_the_shared_voice_stack(
    fake: FakeSession, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from audio_companion.asr import registry
    from audio_companion.audio import microphone, speaker
    from audio_companion.audio.chunk import AudioChunk
    from audio_companion.cli import remind as remind_cli

    log: list[str] = []

    class Mic(_Device):
        def read(self, timeout: float = 1.0) -> None:
            return None

    class Speaker(_Device):
        def play(self, chunk: AudioChunk, at: float | None = None) -> _Played:
            log.append(f"play {chunk.duration:.2f} s")
            return _Played()

    class Recognizer:
        name, streaming = "fake", False

    Mic.log = Speaker.log = log
    monkeypatch.setattr(microphone, "MicrophoneSource", Mic)
    monkeypatch.setattr(speaker, "SpeakerSink", Speaker)
    monkeypatch.setattr(registry, "make_recognizer", lambda engine, model: Recognizer())
    synth = FakeSynth()
    monkeypatch.setattr(remind_cli, "prompt_cache", lambda announce: PromptCache(synth, tmp_path))
    result = remind(fake, "fire", "--id", "4")
    assert result.exit_code == 0, result.output
    question = synth.synthesize(flow.QUESTION).duration
    assert log == [
        "open Mic",
        "open Speaker",
        "play 1.12 s",  # the chime: two notes, 220 ms apart, 900 ms each
        f"play {question:.2f} s",
        "close Speaker",
        "close Mic",
    ]
    assert result.output.splitlines() == [
        "Reminder 4: asking about tonight's check-in.",
        f"companion: {flow.QUESTION}",
        "Nothing more can be heard; the reminder ends.",
    ]


def test_the_command_is_this_companion_by_its_absolute_path() -> None:
    [command] = companion_command()
    assert Path(command).is_absolute() and Path(command).name == "audio-companion"
    assert Path(command).parent == Path(sys.executable).parent or shutil.which(command)


def test_cron_lines_from_the_cli_carry_the_sound_session(fake: FakeSession) -> None:
    fake.user_bus = False
    env = {"XDG_RUNTIME_DIR": "/run/user/1000"}
    result = CliRunner().invoke(
        main, ["remind", "set", "21:30"], obj=Surroundings(runner=fake), env=env
    )
    assert result.exit_code == 0, result.output
    assert fake.crontab_bytes is not None
    [entry] = cron.entries(fake.crontab_bytes.decode())
    job = fake.crontab_bytes.decode().splitlines()[-1]
    assert entry.id == "1" and " XDG_RUNTIME_DIR=/run/user/1000 " in job
