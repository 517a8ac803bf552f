"""Word error rate, after a normalisation that does not punish harmless differences.

Recognisers differ from reference transcripts in case, punctuation, hyphens
("cold-hearted"), abbreviations ("Mr." for "mister") and above all numbers
("10 of clubs" for "ten of clubs").  ``normalise_for_wer`` maps all of these
to one form: lower case, no punctuation, and every number spelled out in
words, digit by group (``10`` -> ``ten``, ``1995`` -> ``one thousand nine
hundred ninety five``, ``3rd`` -> ``third``, ``2.5`` -> ``two point five``),
so a digit and its word form always compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from audio_companion.asr.base import UNKNOWN_WORD
from audio_companion.numbers import number_to_words, ordinal

_ABBREVIATIONS = {"mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint", "&": "and"}

_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(st|nd|rd|th)?(?!\w)")
_PERCENT = re.compile(r"(\d)\s*%")


def _spell(match: re.Match[str]) -> str:
    number, suffix = match.group(1), match.group(2)
    whole, _, frac = number.replace(",", "").partition(".")
    words = number_to_words(int(whole)) if whole else "zero"
    if suffix and not frac:
        words = ordinal(words)
    if frac:
        words += " point " + " ".join(number_to_words(int(d)) for d in frac)
    return f" {words} "


def normalise_for_wer(text: str) -> str:
    """Lower-case words without punctuation, numbers spelled out; single spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"<[^>]*>", " ", text)  # <s>, </s>, <unk> markers in reference files
    text = text.replace(UNKNOWN_WORD, " ")
    text = _PERCENT.sub(r"\1 percent", text)
    text = _NUMBER.sub(_spell, text)
    text = text.replace("'", "").replace("\u2019", "")  # don't -> dont, on both sides
    text = re.sub(r"[^\w\s]|_", " ", text)  # hyphens and the rest of punctuation split words
    return " ".join(_ABBREVIATIONS.get(w, w) for w in text.split())


def join_spelled_letters(text: str) -> str:
    """Runs of one-letter words in normalised text become one word, so "p t s d"
    and "ptsd" compare equal: a narrator spells acronyms out letter by letter and
    a recogniser writes them as one word. (Not part of `normalise_for_wer`, where
    single letters can be words of their own.)"""
    return re.sub(r"\b[a-z](?: [a-z]\b)+", lambda m: m.group(0).replace(" ", ""), text)


def _edits(ref: list[str], hyp: list[str]) -> int:
    """Levenshtein distance over words (substitutions, deletions, insertions)."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i]
        for j, h in enumerate(hyp, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h)))
        prev = cur
    return prev[-1]


def word_errors(ref: str, hyp: str, normalise: bool = True) -> tuple[int, int]:
    """(word edits, reference words) between two texts."""
    if normalise:
        ref, hyp = normalise_for_wer(ref), normalise_for_wer(hyp)
    r, h = ref.split(), hyp.split()
    return _edits(r, h), len(r)


def word_error_rate(ref: str, hyp: str, normalise: bool = True) -> float:
    """Edits / reference words.  An empty reference scores 0.0 if the hypothesis is
    empty too and 1.0 otherwise."""
    edits, n = word_errors(ref, hyp, normalise)
    if n == 0:
        return 0.0 if edits == 0 else 1.0
    return edits / n


def corpus_word_error_rate(pairs: Iterable[tuple[str, str]], normalise: bool = True) -> float:
    """WER over many (reference, hypothesis) pairs: total edits / total reference words."""
    edits = words = 0
    for ref, hyp in pairs:
        e, n = word_errors(ref, hyp, normalise)
        edits += e
        words += n
    return edits / words if words else 0.0
