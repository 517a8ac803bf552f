"""Amounts as a person reads them: money, measures, simple fractions and version numbers.

Rules of `narration.normalise` (its table names when each applies); kept here
so that table stays one screen of patterns.
"""

from __future__ import annotations

import re

from audio_companion.numbers import digit_words, number_to_words

MEASURES = {
    "Hz": "hertz",
    "kHz": "kilohertz",
    "MHz": "megahertz",
    "GHz": "gigahertz",
    "ms": "millisecond",
    "µs": "microsecond",
    "KB": "kilobyte",
    "kB": "kilobyte",
    "MB": "megabyte",
    "GB": "gigabyte",
    "TB": "terabyte",
    "km": "kilometer",
    "kg": "kilogram",
    "cm": "centimeter",
    "mm": "millimeter",
    "ml": "milliliter",
    "mg": "milligram",
    "mph": "mile per hour",
    "km/h": "kilometer per hour",
    "kph": "kilometer per hour",
}


def measure(match: re.Match[str]) -> str:
    """ "5 ms" -> "5 milliseconds", "23 mph" -> "23 miles per hour" (the plural is on the
    unit before "per"), "16 kHz" -> "16 kilohertz" (hertz has none)."""
    unit, _, per = MEASURES[match["unit"]].partition(" per ")
    if match["n"] != "1" and not unit.endswith("hertz"):
        unit += "s"
    return f"{match['n']} {unit}" + (f" per {per}" if per else "")


DENOMINATORS = {2: "half", 3: "third", 4: "quarter", 5: "fifth", 6: "sixth", 7: "seventh"}
DENOMINATORS |= {8: "eighth", 9: "ninth", 10: "tenth"}


def fraction(match: re.Match[str]) -> str:
    top, bottom = int(match["top"]), int(match["bottom"])
    if top >= bottom:
        return match[0]  # "3/2", "10/10": not a simple fraction; left to the slash rules
    name = DENOMINATORS[bottom]
    plural = "halves" if name == "half" else name + "s"
    return f"{number_to_words(top)} {name if top == 1 else plural}"


def version_words(dotted: str) -> str:
    """ "3.11.2" -> "three point eleven point two": a version's parts are whole numbers,
    but a part with a leading zero is read digit by digit ("22.04": "twenty two point
    zero four"), as it is a label, not an amount."""
    parts = dotted.split(".")
    return " point ".join(
        digit_words(p) if p.startswith("0") and len(p) > 1 else number_to_words(int(p))
        for p in parts
    )


def version(match: re.Match[str]) -> str:
    """ "3.11.2" as "three point eleven point two".

    A version is "v" and a dotted number, a dotted number after "version", or
    one with two dots or more; "3.11 kg" stays a decimal.
    """
    parts = version_words(match["ver"] or match["ver2"] or match["ver3"])
    return f"version {parts}" if match["v"] else parts


_CURRENCIES = {"$": ("dollar", "dollars"), "£": ("pound", "pounds"), "€": ("euro", "euros")}
_SCALES = {
    "k": "thousand",
    "thousand": "thousand",
    "m": "million",
    "million": "million",
    "bn": "billion",
    "billion": "billion",
    "trillion": "trillion",
}
# Words that can follow "a $5" without the amount describing them ("the $5 he paid",
# "a $5 or $10 fee"): after these the amount is a noun and keeps its plural.
_FUNCTION_WORDS = """
    a an the and or but nor of in on at to for from by with about over under into onto
    than then as is was are were be been has have had do does did will would can could
    should may might must shall that which who whom whose this these those it its he she
    they we you i me him her them us our their his my your per each apiece more less
    worth plus minus so if when while because though although after before since until
    up down out off too also only just not no yet still even ever where why how what
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
_DETERMINER = re.compile(
    r"(?:^|\W)(?:a|an|the|this|that|each|every|its|his|her|their|our|your|my)\s$", re.I
)
_NEXT_WORD = re.compile(r" ([a-z]+)\b")


def _describes(match: re.Match[str]) -> bool:
    """Whether the amount stands before a noun as an adjective, "a $5 fee", "the $70 million
    yacht": after a determiner and before a word that is not a function word. Then English
    says "dollar", not "dollars"; "costs $5." and "the $5 he paid" keep the plural."""
    before = match.string[max(0, match.start() - 8) : match.start()]
    after = _NEXT_WORD.match(match.string, match.end())
    return bool(_DETERMINER.search(before)) and after is not None and after[1] not in FUNCTION_WORDS


def money(match: re.Match[str]) -> str:
    """ "$5" -> "five dollars", "£10.50" -> "ten pounds fifty", "$1.5m" -> "one point five million
    dollars", and "a $70 million yacht" -> "a seventy million dollar yacht"."""
    one, many = _CURRENCIES[match["sign"]]
    amount = int(match["amount"].replace(",", ""))
    words = number_to_words(amount)
    describes = _describes(match)
    scale, cents = match["scale"], match["cents"]
    if cents and (scale or len(cents) > 2):  # "$1.5 million", "$2.125": a decimal amount
        words += " point " + digit_words(cents)
    if scale:
        return f"{words} {_SCALES[scale.lower()]} {one if describes else many}"
    unit = one if (amount == 1 and len(cents or "") <= 2) or describes else many
    if cents and len(cents) <= 2 and int(cents):
        return f"{words} {unit} {number_to_words(int(cents.ljust(2, '0')))}"
    return f"{words} {unit}"
