"""The deck keys of recall: a deck's `recall` switch and a step's `private` flag, read
like every other key (true/false only, mistakes as `file:line: problem`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_companion.checkin.deck import Deck, DeckError, StepKind, load_deck

HEAD = """\
title = "Mine"
time_box_minutes = 10

[[step]]
id = "hello"
kind = "say"
prompts = ["Hello{names}."]
"""  # seven lines; a case's own text starts on line 8


def load(tmp_path: Path, text: str) -> Deck:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return load_deck(path, user_dir=tmp_path / "no-decks")


def error(tmp_path: Path, text: str) -> str:
    with pytest.raises(DeckError) as caught:
        load(tmp_path, text)
    return str(caught.value).removeprefix(f"{tmp_path / 'mine.toml'}:")


def test_recall_is_on_in_the_bundled_nightly_only(tmp_path: Path) -> None:
    # breathe-first includes nightly's steps, not its top-level keys: its own switch is off.
    decks = {name: load_deck(name, user_dir=tmp_path) for name in ("nightly", "weekly")}
    decks["breathe-first"] = load_deck("breathe-first", user_dir=tmp_path)
    assert {name: deck.recall for name, deck in decks.items()} == {
        "nightly": True,
        "weekly": False,
        "breathe-first": False,
    }
    assert not any(step.private for deck in decks.values() for step in deck.steps)


def test_recall_and_private_default_to_off_and_read_true(tmp_path: Path) -> None:
    plain = load(tmp_path, HEAD + '\n[[step]]\nid = "how"\nkind = "free"\nprompts = ["How?"]\n')
    assert plain.recall is False
    assert [s.private for s in plain.steps] == [False, False]
    text = HEAD.replace("time_box_minutes = 10\n", "time_box_minutes = 10\nrecall = true\n")
    for kind in ("free", "mood", "gratitude", "feeling"):
        deck = load(
            tmp_path,
            text + f'\n[[step]]\nid = "s"\nkind = "{kind}"\nprompts = ["?"]\nprivate = true\n',
        )
        assert deck.recall is True
        step = deck.steps[-1]
        assert step.kind is StepKind(kind) and step.private is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            HEAD.replace("time_box_minutes = 10\n", 'time_box_minutes = 10\nrecall = "yes"\n'),
            "3: recall must be true or false, got text",
            id="recall-not-a-flag",
        ),
        pytest.param(
            HEAD + "\nrecall = 1\n",  # after [[step]]: a key of the step, not the deck
            '9: step "hello": unknown key "recall" (use one of: id, kind, prompts)',
            id="recall-inside-a-step",
        ),
        pytest.param(
            HEAD + '\n[[step]]\nid = "how"\nkind = "free"\nprompts = ["How?"]\nprivate = "yes"\n',
            '13: step "how": private must be true or false, got text',
            id="private-not-a-flag",
        ),
        pytest.param(
            HEAD.replace('prompts = ["Hello{names}."]\n', 'prompts = ["Hi."]\nprivate = true\n'),
            '8: step "hello": "private" does not apply to a say step (it takes: id, kind, prompts)',
            id="private-on-a-say-step",
        ),
        pytest.param(
            HEAD + '\n[[step]]\nid = "b"\nkind = "breathing"\nminutes = 1\nprompts = ["In."]\n'
            "private = false\n",
            '14: step "b": "private" does not apply to a breathing step',
            id="private-on-breathing",
        ),
    ],
)
def test_a_wrong_recall_or_private_names_its_line(tmp_path: Path, text: str, expected: str) -> None:
    assert error(tmp_path, text).startswith(expected)
