"""Everyday number shapes that are not amounts: how people say them, not what they count.

Rules of `narration.normalise` (its `RULES` table lists them, in order, and says why each
sits where it does). Each shape looks like a plain number, a range or a fraction to the
generic rules, which would read it wrongly:

- an emergency number is dialled, not counted: "call 911" -> "call nine one one", "a 999
  operator", and a toll-free prefix "1-800-FLOWERS" is dictated digit by digit, like the
  rest of a phone number ("911 people" stays a count);
- a letter code and its number is a name: "B-52s" -> "B fifty twos", "AK-47" -> "AK forty
  seven", "F-117" -> "F one seventeen";
- an aircraft-style model and its variant, "Boeing 737-800" -> "Boeing seven thirty seven
  eight hundred", "A320-200" -> "A three twenty two hundred", is not a range;
- a multiplier "2x", "10x", "1.5×" -> "two times" ("4x4" stays "four by four", "3x + 2" is
  algebra and stays);
- a video resolution "1080p" -> "ten eighty p".

Numbers are left as digits where a later rule of the table reads them.
"""

from __future__ import annotations

import re

from audio_companion.narration.amounts import FUNCTION_WORDS
from audio_companion.narration.technical import id_words
from audio_companion.numbers import number_to_words


def digit_words(digits: str) -> str:
    """ "911" -> "nine one one": each digit on its own, as a number that is dialled."""
    return " ".join(number_to_words(int(d)) for d in digits)


def plural_words(words: str) -> str:
    """ "fifty two" -> "fifty twos", "twenty" -> "twenties", "six" -> "sixes"."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    return words + ("es" if words.endswith("x") else "s")


# --- numbers that are dialled --------------------------------------------------------------

_CODES = r"911|999|112"
EMERGENCY = re.compile(
    r"\b(?P<verb>(?:[Cc]all(?:s|ed|ing)?|[Dd]ial(?:s|l?ed|l?ing)?|[Tt]ext(?:s|ed|ing)?"
    rf"|[Pp]hon(?:e[sd]?|ing)|[Rr]ing(?:s|ing)?)\s+)(?P<code>{_CODES})\b(?![.,]\d|\s+times\b)"
    rf"|(?<![\w.,-])(?<!Porsche )(?P<before>{_CODES})"
    r"(?=\s+(?:calls?|callers?|operators?|dispatch\w*|emergenc\w*|services?|centers?|centres?|lines?|system)\b)"
)


def emergency(match: re.Match[str]) -> str:
    """ "call 911" -> "call nine one one"; "the 911 call" likewise. Only after a verb of
    calling or before a word about the call: "911 people" is a count."""
    if match["before"]:
        return digit_words(match["before"])
    return match["verb"] + digit_words(match["code"])


# "1-800-FLOWERS", "a 1-800 number": a US toll-free prefix (an all-digit "1-800-555-1234"
# is a number chain, read digit by digit too).
TOLL_FREE = re.compile(
    r"(?<![\w.,-])1-(?P<prefix>8(?:00|88|77|66|55|44|33))(?:-(?=[A-Za-z])|\b(?!-))"
)


def toll_free(match: re.Match[str]) -> str:
    return "one " + digit_words(match["prefix"]) + (" " if match[0].endswith("-") else "")


# --- numbers that name things --------------------------------------------------------------

# One to three capitals (or "MiG", "Su") joined to a number by a dash: "B-52", "F-16s",
# "AK-47", "I-95", "K-12". "COVID-19" (five letters) is left to the lexicon and the dash.
LETTER_NUMBER = re.compile(
    r"(?<![\w-])(?P<name>[A-Z]{1,3}|[A-Z][a-z][A-Z]?)-(?P<n>\d{1,4})(?P<s>'?s)?(?![\w-]|[.,]\d)"
)


def letter_number(match: re.Match[str]) -> str:
    """ "B-52s" -> "B fifty twos": the dash joins a name, it is no range or pause."""
    words = id_words(match["n"])
    return f"{match['name']} {plural_words(words) if match['s'] else words}"


# A model and its variant: "737-800", "A320-200", "777-300ER", "747-400s": three digits, a
# dash and a round hundred, after a capitalised name or with letters of its own. A range
# "300-400" after a word that opens sentences ("Between", "From") or a plural ("Pages") is
# still a range.
MODEL = re.compile(
    r"(?:\b(?P<name>[A-Z][A-Za-z]+) (?P<model>\d{3})"
    r"|(?<![\w-])(?P<code>[A-Z]{1,2})(?P<cmodel>\d{3}))"
    r"-(?P<variant>[1-9]00)(?P<suffix>[A-Z]{1,3})?(?P<s>s)?(?![\w-]|[.,]\d)"
)
_NOT_A_MAKER = FUNCTION_WORDS | {"between", "around", "approximately", "nearly", "roughly"}
_NOT_A_MAKER |= {"some", "only", "just", "almost", "ad", "bc", "bce", "ce", "chapter", "page"}
_NOT_A_MAKER |= {"section", "verse", "line", "step", "item", "room", "grade", "level", "route"}


def model(match: re.Match[str]) -> str:
    """ "Boeing 737-800" -> "Boeing seven thirty seven eight hundred"."""
    name = match["name"]
    if name and (
        name.lower() in _NOT_A_MAKER or name.endswith(("s", "ly", "ed")) or name.isupper()
    ):
        return match[0]
    variant = id_words(match["variant"])
    if match["suffix"]:
        variant += " " + " ".join(match["suffix"])
    if match["s"]:
        variant = plural_words(variant)
    head = f"{name} " if name else f"{match['code']} "
    return f"{head}{id_words(match['model'] or match['cmodel'])} {variant}"


# --- amounts that are not quantities -------------------------------------------------------

# "2x", "10x", "1.5×": a multiplier. "4x4" is a matchup ("four by four"), "3 x 4" a size
# or a product, and "3x + 2" or "2x(y)" is algebra, where x is a variable.
MULTIPLIER = re.compile(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s?[x×](?![\w×])(?!\s*[-+=*/^<>(\d])")


def multiplier(match: re.Match[str]) -> str:
    return f"{match['n']} times"


RESOLUTION = re.compile(r"\b(?P<lines>480|720|1080|1440|2160)(?P<p>[pi])\b")


def resolution(match: re.Match[str]) -> str:
    """ "1080p" -> "ten eighty p", as the format is said, not "one thousand eighty"."""
    return f"{id_words(match['lines'])} {match['p']}"
