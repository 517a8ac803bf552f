"""`audio-companion checkin`: typed runs, the journal it writes, crashes, no network."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from child import Child
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


NIGHT = "2026-11-27"  # the wording of one fixed night; the clock never chooses it


def typed_checkin(journal: Path, answers: list[str], *extra: str) -> Any:
    return CliRunner().invoke(
        main,
        ["checkin", "--text", "--mute", "--journal", str(journal), "--night", NIGHT, *extra],
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


@pytest.mark.parametrize("word", ["pineapple", "lighthouse"])
def test_each_partners_own_stop_word_stops_from_either_turn(tmp_path: Path, word: str) -> None:
    journal = tmp_path / "j.sqlite3"
    # Sam answers; on Alex's turn, Alex (or Sam) says one of the two stop words.
    result = typed_checkin(
        journal, ["a long day", word], "--partners", "Sam, Alex",
        "--stop-word", "Sam=pineapple,alex=lighthouse",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with Journal.open(journal) as j:
        [summary] = j.sessions()
        record = j.session(summary.id)
    assert summary.end_reason == "stop_word"
    assert [(a.partner, a.transcript) for a in record.answers] == [("Sam", "a long day")]


@pytest.mark.parametrize(
    ("spec", "partners", "message"),
    [
        ("Sam=pineapple,Robin=lighthouse", ("--partners", "Sam, Alex"), "'Robin' is not one of"),
        ("Sam=,Alex=lighthouse", ("--partners", "Sam, Alex"), "is not NAME=WORD"),
        ("Sam=pineapple", (), "--partners"),
        ("Sam=skip,Alex=lighthouse", ("--partners", "Sam, Alex"), "means both"),
    ],
)
def test_a_bad_partner_stop_word_is_one_line(
    tmp_path: Path, spec: str, partners: tuple[str, ...], message: str
) -> None:
    result = typed_checkin(tmp_path / "j.sqlite3", [], *partners, "--stop-word", spec)
    assert result.exit_code == 2, result.output
    last = result.output.strip().splitlines()[-1]
    assert "--stop-word" in last and message in last
    assert not (tmp_path / "j.sqlite3").exists()


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


# Three nights in a row: every rotation of the deck's wordings.
NIGHTS = ["2026-11-29", "2026-11-30", "2026-12-01"]


@pytest.mark.parametrize("night", NIGHTS)
def test_sigkill_mid_session_loses_no_given_answer(tmp_path: Path, night: str) -> None:
    """Killed with no chance to clean up, after two answers: both are in the journal.

    The test follows the check-in's event protocol (`--format jsonl`): it answers
    when the companion listens, whatever the night's wording is.
    """
    journal = tmp_path / "j.sqlite3"
    exe = Path(sys.executable).with_name("audio-companion")
    argv = [exe, "checkin", "--text", "--mute", "--format", "jsonl", "--night", night]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with Child([*argv, "--journal", journal], env=env, stdin=True) as child:
        said: list[str] = []
        listens = 0
        while listens < 3:  # answer two questions, then wait for the third to be asked
            event = child.next_event(timeout=30)
            assert event is not None, child.describe()
            if event["event"] == "say":
                said.append(event["text"])
            elif event["event"] == "listen":
                listens += 1
                if listens <= 2:
                    child.send(ANSWERS[listens - 1])
        assert len(said) >= 3  # a greeting and two questions came before the third turn
        child.signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    with Journal.open(journal) as j:
        [summary] = j.sessions()
        record = j.session(summary.id)
    assert summary.end_reason is None  # the session never finished
    assert [a.transcript for a in record.answers] == ANSWERS[:2]
    assert record.answers[1].mood == 4


def test_jsonl_events_describe_each_turn(tmp_path: Path) -> None:
    result = typed_checkin(tmp_path / "j.sqlite3", ANSWERS, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.output.splitlines()]
    listens = [e for e in events if e["event"] == "listen"]
    assert [e["expect"] for e in listens][:2] == ["answer", "number"]
    assert [e["step"] for e in listens] == [
        "checkin", "mood", "appreciations", "appreciations", "appreciations", "feeling"
    ]  # fmt: skip
    heard = [e for e in events if e["event"] == "heard"]
    assert heard[1] == {"event": "heard", "text": "four", "intent": "number", "value": 4}
    assert events[-1]["event"] == "end" and events[-1]["reason"] == "completed"
    assert events[-1]["answers"] == 6


def test_the_night_chooses_the_wording_not_the_clock(tmp_path: Path) -> None:
    def first_question(night: str) -> str:
        result = typed_checkin(tmp_path / f"{night}.sqlite3", [], "--night", night)
        return [ln for ln in result.output.splitlines() if ln.startswith("companion: ")][1]

    firsts = [first_question(n) for n in NIGHTS]
    assert firsts == [first_question(n) for n in NIGHTS]  # the same night, the same words
    assert firsts[0] != firsts[1] and firsts[1] != firsts[2]  # never two nights running


def test_a_bad_night_is_one_line(tmp_path: Path) -> None:
    result = typed_checkin(tmp_path / "j.sqlite3", [], "--night", "yesterday")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_breathe_first_deck_runs_typed_and_muted(tmp_path: Path) -> None:
    result = typed_checkin(tmp_path / "j.sqlite3", ANSWERS, "--deck", "breathe-first")
    assert result.exit_code == 0, result.output
    assert "completed: 6 answers" in result.output
