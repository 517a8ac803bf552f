"""A run without sentence punctuation is cut into pieces a voice can read, at clause
marks or spaces, never losing or reordering a word."""

from __future__ import annotations

from audio_companion.narration.sentences import MAX_SENTENCE_CHARS, split_sentences


def test_a_long_run_is_cut_after_commas() -> None:
    clause = "and then the light came over the hills, "
    text = "We walked " + clause * 60 + "home"
    pieces = split_sentences(text)
    assert len(pieces) > 1
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)
    assert all(p.endswith(",") for p in pieces[:-1])
    assert " ".join(pieces).split() == text.split()


def test_semicolons_and_colons_are_clause_marks_too() -> None:
    text = "; ".join(["one item of a long list of things to bring along"] * 40)
    pieces = split_sentences(text)
    assert all(len(p) <= MAX_SENTENCE_CHARS and p.endswith(";") for p in pieces[:-1])
    assert " ".join(pieces).split() == text.split()


def test_without_clause_marks_it_is_cut_at_spaces() -> None:
    text = " ".join(f"word{i}" for i in range(1000))
    pieces = split_sentences(text)
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_one_unbroken_word_is_cut_at_the_limit() -> None:
    text = "x" * (MAX_SENTENCE_CHARS * 2 + 5)
    assert [len(p) for p in split_sentences(text)] == [MAX_SENTENCE_CHARS] * 2 + [5]


def test_ordinary_sentences_are_untouched() -> None:
    long_but_fine = "This sentence, with a clause, " + "is long " * 60 + "but ends."
    assert len(long_but_fine) < MAX_SENTENCE_CHARS
    assert split_sentences(long_but_fine + " Next one.") == [long_but_fine, "Next one."]


def test_a_run_of_abbreviations_is_still_one_sentence_each() -> None:
    text = "See Dr. Ng and Dr. Ali. " * 3
    assert split_sentences(text) == ["See Dr. Ng and Dr. Ali."] * 3
