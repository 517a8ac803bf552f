"""Word error rate and the normalisation in front of it."""

from __future__ import annotations

import pytest

from audio_companion.asr.wer import (
    corpus_word_error_rate,
    normalise_for_wer,
    number_to_words,
    word_error_rate,
    word_errors,
)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (10, "ten"),
        (15, "fifteen"),
        (42, "forty two"),
        (100, "one hundred"),
        (305, "three hundred five"),
        (1995, "one thousand nine hundred ninety five"),
        (2_000_001, "two million one"),
    ],
)
def test_number_to_words(n: int, words: str) -> None:
    assert number_to_words(n) == words


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Please repeat the question.", "please repeat the question"),
        ("And Mr. John Dashwood", "and mister john dashwood"),
        ("rather cold-hearted and ill-disposed", "rather cold hearted and ill disposed"),
        ("10 of clubs.", "ten of clubs"),
        ("8 of spades, 4 of hearts", "eight of spades four of hearts"),
        ("5 5", "five five"),
        ("the 3rd and 21st time", "the third and twenty first time"),
        ("1,000 people", "one thousand people"),
        ("2.5 litres", "two point five litres"),
        ("50%", "fifty percent"),
        ("I don't know", "i dont know"),
        ("<s> ten of clubs </s>", "ten of clubs"),
        ("  Stop!  ", "stop"),
        ("", ""),
    ],
)
def test_normalise(text: str, normal: str) -> None:
    assert normalise_for_wer(text) == normal


def test_digits_and_words_compare_equal() -> None:
    assert word_error_rate("ten of clubs", "10 of Clubs.") == 0.0
    assert word_error_rate("eight of spades four of clubs", "Eight of spades, 4 of clubs") == 0.0


def test_edit_counts() -> None:
    assert word_errors("a b c d", "a x c d") == (1, 4)  # substitution
    assert word_errors("a b c d", "a c d") == (1, 4)  # deletion
    assert word_errors("a b c d", "a b b c d") == (1, 4)  # insertion
    assert word_errors("a b c d", "") == (4, 4)
    assert word_error_rate("a b c d", "x y") == pytest.approx(1.0)
    assert word_error_rate("a b", "a b c d e f") == pytest.approx(2.0)  # can exceed 1


def test_empty_reference() -> None:
    assert word_error_rate("", "") == 0.0
    assert word_error_rate("", "something") == 1.0


def test_without_normalisation_case_counts() -> None:
    assert word_error_rate("Stop", "stop", normalise=False) == 1.0
    assert word_error_rate("Stop", "stop") == 0.0


def test_corpus_rate_weights_by_reference_length() -> None:
    pairs = [("a b c d", "a b c d"), ("e f", "e x")]
    assert corpus_word_error_rate(pairs) == pytest.approx(1 / 6)
    assert corpus_word_error_rate([]) == 0.0


def test_spelled_out_letters_equal_the_acronym() -> None:
    from audio_companion.asr.wer import join_spelled_letters

    spelled = join_spelled_letters(normalise_for_wer("Living with P T S D is hard."))
    assert spelled == join_spelled_letters(normalise_for_wer("Living with PTSD is hard"))
    assert spelled == "living with ptsd is hard"
    # Ordinary one-letter words stay words.
    assert join_spelled_letters("i want a cup") == "i want a cup"
