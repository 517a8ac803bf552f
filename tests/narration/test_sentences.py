from __future__ import annotations

import pytest

from audio_companion.narration.sentences import paired_sentences, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three?", ["One.", "Two!", "Three?"]),
        ("Dr. Ng agreed. So did we.", ["Dr. Ng agreed.", "So did we."]),
        ("Ask, e.g. Sam. Then wait.", ["Ask, e.g. Sam.", "Then wait."]),
        ("See J. Smith and U.S. Law. Done.", ["See J. Smith and U.S. Law.", "Done."]),
        (
            'She asked "Why?" and left. "Now," he said.',
            ['She asked "Why?" and left.', '"Now," he said.'],
        ),
        ("It ended (quietly.) Next one.", ["It ended (quietly.)", "Next one."]),
        ("Wait… Then 3 more. 2 left.", ["Wait…", "Then 3 more.", "2 left."]),
        ("no capital after. this stays", ["no capital after. this stays"]),
        ("  spaced   out\ntext.  ", ["spaced out text."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_splitting_keeps_every_word_in_order() -> None:
    text = "First things first. Breathe in, slowly! Then out? Yes. Dr. Lee says so... Fine."
    assert " ".join(split_sentences(text)).split() == text.split()


def test_written_form_is_paired_only_when_the_sentences_line_up() -> None:
    assert paired_sentences(
        "Name three things. Say them aloud.", "Name 3 things. Say them aloud."
    ) == [
        ("Name three things.", "Name 3 things."),
        ("Say them aloud.", "Say them aloud."),
    ]
    # A lead-in the page does not have: the transcript shows what was said.
    assert paired_sentences("Here's a tip. Rest.", "Tip: Rest.") == [
        ("Here's a tip.", "Here's a tip."),
        ("Rest.", "Rest."),
    ]
