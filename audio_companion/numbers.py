"""Numbers as English words: what the count says aloud, and how WER compares numbers."""

from __future__ import annotations

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def number_to_words(n: int) -> str:
    """Cardinal English words for a non-negative integer: 42 -> 'forty two'."""
    if n < 0:
        return "minus " + number_to_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (" " + _ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return _ONES[hundreds] + " hundred" + (" " + number_to_words(rest) if rest else "")
    for value, word in _SCALES:
        if n >= value:
            high, rest = divmod(n, value)
            return (
                number_to_words(high) + " " + word + (" " + number_to_words(rest) if rest else "")
            )
    raise AssertionError("unreachable")


def digit_words(digits: str) -> str:
    """ "911" -> "nine one one": each digit on its own, as a number that is dialled, a
    decimal's fraction ("point two five") or a label with a leading zero ("oh" aside)."""
    return " ".join(number_to_words(int(d)) for d in digits)


def plural_words(words: str) -> str:
    """A number in words made plural: "fifty two" -> "fifty twos", "twenty" ->
    "twenties", "six" -> "sixes", "nineteen eighty" -> "nineteen eighties"."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    return words + ("es" if words.endswith("x") else "s")


_ORDINAL_ENDINGS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def ordinal(words: str) -> str:
    """A cardinal in words as its ordinal: 'twenty one' -> 'twenty first'."""
    head, _, last = words.rpartition(" ")
    if last in _ORDINAL_ENDINGS:
        last = _ORDINAL_ENDINGS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head} {last}".strip()


def ordinal_words(n: int) -> str:
    """'first', 'twenty first', 'one hundredth'."""
    return ordinal(number_to_words(n))
