"""Amounts as a person reads them: measures, simple fractions and version numbers.

Rules of `narration.normalise` (its table names when each applies); kept here
so that table stays one screen of patterns.
"""

from __future__ import annotations

import re

from audio_companion.numbers import number_to_words

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
}


def measure(match: re.Match[str]) -> str:
    unit = MEASURES[match["unit"]]
    many = match["n"] != "1" and not unit.endswith("hertz")
    return f"{match['n']} {unit}s" if many else f"{match['n']} {unit}"


DENOMINATORS = {2: "half", 3: "third", 4: "quarter", 5: "fifth", 6: "sixth", 7: "seventh"}
DENOMINATORS |= {8: "eighth", 9: "ninth", 10: "tenth"}


def fraction(match: re.Match[str]) -> str:
    top, bottom = int(match["top"]), int(match["bottom"])
    if top >= bottom:
        return match[0]  # "3/2", "10/10": not a simple fraction; left to the slash rules
    name = DENOMINATORS[bottom]
    plural = "halves" if name == "half" else name + "s"
    return f"{number_to_words(top)} {name if top == 1 else plural}"


def version(match: re.Match[str]) -> str:
    """ "3.11.2" as "three point eleven point two": a version's parts are whole numbers.

    A version is "v" and a dotted number, a dotted number after "version", or
    one with two dots or more; "3.11 kg" stays a decimal.
    """
    version = match["ver"] or match["ver2"] or match["ver3"]
    parts = " point ".join(number_to_words(int(p)) for p in version.split("."))
    return f"version {parts}" if match["v"] else parts
