"""`audio-companion checkin`: typed runs, the journal it writes, crashes, no network."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from audio_companion.cli import main
from audio_companion.journal.store import Journal

ANSWERS = [
    "I feel fine, a bit tired",
    "four",
    "the tea",
    "the walk by the river",
    "my friend's message",
    "I feel calm when it rains",
]


def typed_checkin(journal: Path, answers: list[str], *extra: str) -> Any:
    return CliRunner().invoke(
        main,
        ["checkin", "--text", "--mute", "--journal", str(journal), *extra],
        input="\n".join(answers) + "\n",
    )


def test_typed_nightly_checkin_goes_to_a_private_journal(tmp_path: Path) -> None:
    journal = tmp_path / "private" / "journal.sqlite3"
    result = typed_checkin(journal, ANSWERS)
    assert result.exit_code == 0, result.output
    assert "companion: " in result.output
    assert result.output.strip().splitlines()[-1].startswith("Check-in completed: 6 answers")
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.parent.stat().st_mode) == 0o700
    with Journal.open(journal) as j:
        [summary] = j.sessions()
        assert summary.end_reason == "completed" and summary.deck == "nightly"
        record = j.session(summary.id)
    assert [a.transcript for a in record.answers] == ANSWERS
    moods = [a.mood for a in record.answers if a.mood is not None]
    assert moods == [4] and isinstance(moods[0], int)
    assert sum(a.step == "appreciations" for a in record.answers) == 3


def test_couple_checkin_stores_answers_per_partner(tmp_path: Path) -> None:
    journal = tmp_path / "j.sqlite3"
    answers = [
        "good",
        "busy",
        "5",
        "3",
        "a",
        "b",
        "c",
        "d",
        "e",
        "f",
        "I feel x when y",
        "I feel z when w",
    ]
    result = typed_checkin(journal, answers, "--partners", "Sam, Alex")
    assert result.exit_code == 0, result.output
    with Journal.open(journal) as j:
        record = j.session(j.sessions()[0].id)
    assert record.partners == ("Sam", "Alex")
    assert {a.partner for a in record.answers} == {"Sam", "Alex"}
    assert [a.mood for a in record.answers if a.step == "mood"] == [5, 3]


def test_stop_word_ends_kindly_and_keeps_answers(tmp_path: Path) -> None:
    journal = tmp_path / "j.sqlite3"
    result = typed_checkin(
        journal, [ANSWERS[0], ANSWERS[1], "pineapple"], "--stop-word", "pineapple"
    )
    assert result.exit_code == 0
    assert "Everything you said is saved" in result.output
    with Journal.open(journal) as j:
        [summary] = j.sessions()
        assert summary.end_reason == "stop_word" and summary.answer_count == 2


def test_unknown_deck_and_malformed_deck_are_one_line(tmp_path: Path) -> None:
    result = typed_checkin(tmp_path / "j.sqlite3", [], "--deck", "nope")
    assert result.exit_code == 2 and "unknown deck" in result.output and "nightly" in result.output
    bad = tmp_path / "mine.toml"
    bad.write_text('title = "Mine"\n\n[[step]]\nid = "a"\nkind = "moood"\nprompts = ["Hi"]\n')
    result = typed_checkin(tmp_path / "j.sqlite3", [], "--deck", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:5:" in result.output and "moood" in result.output
    assert "Traceback" not in result.output


def test_a_checkin_opens_no_network_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Any] = []
    real_socket = socket.socket

    class Guarded(real_socket):  # type: ignore[misc, valid-type]
        def __init__(self, family: int = -1, *args: Any, **kwargs: Any) -> None:
            if family in (socket.AF_INET, socket.AF_INET6):
                opened.append(family)
            super().__init__(family, *args, **kwargs)

    monkeypatch.setattr(socket, "socket", Guarded)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: opened.append(a))
    result = typed_checkin(tmp_path / "j.sqlite3", ANSWERS)
    assert result.exit_code == 0, result.output
    assert opened == []


def test_sigkill_mid_session_loses_no_given_answer(tmp_path: Path) -> None:
    journal = tmp_path / "j.sqlite3"
    exe = Path(sys.executable).with_name("audio-companion")
    proc = subprocess.Popen(
        [str(exe), "checkin", "--text", "--mute", "--journal", str(journal)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdin is not None and proc.stdout is not None
    given = 0
    try:
        for line in proc.stdout:
            if not line.startswith("companion: "):
                continue
            if given == 2:  # two answers given and the next prompt spoken
                break
            if line.rstrip().endswith("?"):
                proc.stdin.write(ANSWERS[given] + "\n")
                proc.stdin.flush()
                given += 1
        # Kill mid-session, with no chance to clean up.
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    with Journal.open(journal) as j:
        [summary] = j.sessions()
        record = j.session(summary.id)
    assert summary.end_reason is None  # the session never finished
    assert [a.transcript for a in record.answers] == ANSWERS[:2]
    assert record.answers[1].mood == 4


def test_breathe_first_deck_runs_typed_and_muted(tmp_path: Path) -> None:
    result = typed_checkin(tmp_path / "j.sqlite3", ANSWERS, "--deck", "breathe-first")
    assert result.exit_code == 0, result.output
    assert "completed: 6 answers" in result.output
