"""Written English turned into its spoken form, before any TTS engine sees it.

`speakable` first applies the pronunciation lexicon (so a lexicon entry sees the text as the
author wrote it, and its spoken form is then normalised like everything else), then runs
`RULES` top to bottom. Each rule is a name, a compiled pattern and a function from the match
to its replacement. The order is part of the design:

1. Things never read are removed first (pictographs, links, e-mail addresses, footnote
   markers, but not an index "argv[0]"), and typographic quotes become plain ones so later
   patterns see one apostrophe.
2. Citations before abbreviations (they contain "et al." and "&"): a parenthetical citation
   "(Coan et al., 2006)" is read ", as Coan and colleagues found in 2006"; a narrative one
   "Glass (2007) found" is read "Glass, in 2007, found".
3. Abbreviations (e.g., i.e., et al., etc., vs, approx., titles before a name), then arrows
   (before "=" and dashes, which they contain) and "&"; then technical text (`technical`),
   before any number or slash rule would read its parts: hex numbers and hashes spelled,
   "1e-5" and "2**15" as powers, issue numbers ("bpo-3439", "PEP 372") in pairs of
   digits, "B-52s" (a letter code, before ranges), "5v5", options ("--sort-keys", before
   dash pauses), comparison operators (before "="), paths, dunders, acronyms around a
   slash ("TCP/IP") and dotted names ("os.path.join", after paths and abbreviations).
4. Number shapes before plain numbers, most specific first (`everyday` holds the everyday
   shapes): dates ("2024-03-01", "22-Nov-2019"), dialled numbers ("call 911"), chains
   "3-2-1", phone numbers, models ("Boeing 737-800", "A380", before ranges and glued
   digits), ranges of times ("9am-5pm") and numbers ("3-5" -> "3 to 5", so a range of times
   or money is still read by the rules below), minus signs, times with seconds, times of day
   ("9:30 pm", "9.30 pm"), ratios ("3:1", after times), money ("a $5 fee" says "dollar"),
   multipliers ("2x", after "4x4"), percentages, degrees, units, measures after a number
   ("16 kHz", "2 GB"), mixed numbers, ratings ("4.5/5") and simple fractions ("1/3" -> "one
   third"), then other numbers around a slash ("50/50") and versions ("v2.0", "version
   3.11", "3.11.2", "Python 3.11": parts read as whole numbers); then the symbols "+", "=",
   "/", dash pauses and ellipses (after ranges, so "3 - 5" is a range, not a pause); then
   decades, ordinals, decimals, codes with a leading zero ("02139"), thousands, years,
   digits glued to letters ("MP3" -> "MP 3") and only then the remaining integers.
5. Punctuation left stranded by removals is tidied, and whitespace collapsed last.

Choices: numbers are always written as words (any voice then reads them right), with the
spacing of `audio_companion.numbers.number_to_words` ("twenty one", ordinals "twenty first").
A standalone four-digit number from 1100 to 2099 is read as a year ("nineteen eighty eight",
"two thousand seven", "twenty fourteen"); write counts with a separator ("1,500"). "a.m." and
"p.m." are read "A M" / "P M". "word/word" is read "word or word" ("and/or" -> "and or"),
and a longer run "write/compile/test" as a list, "write, compile, test"; but a path is read
with "slash" and "TCP/IP" as "TCP IP". Arrows read "leads to". Superscript digits are
footnote markers and are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from audio_companion.narration import everyday as ev
from audio_companion.narration import technical as tech
from audio_companion.narration.amounts import MEASURES, fraction, measure, money, version
from audio_companion.narration.lexicon import Lexicon
from audio_companion.numbers import digit_words, number_to_words, ordinal_words, plural_words

Replace = Callable[[re.Match[str]], str]


class Rule(NamedTuple):
    """One rewriting step: every match of `pattern` is replaced by `replace(match)`."""

    name: str
    pattern: re.Pattern[str]
    replace: Replace

    def apply(self, text: str) -> str:
        return self.pattern.sub(self.replace, text)


def _const(value: str) -> Replace:
    return lambda _match: value


def _template(template: str) -> Replace:
    return lambda match: match.expand(template)


# --- helpers -------------------------------------------------------------------------------


def year_words(n: int) -> str:
    """1988 -> 'nineteen eighty eight', 1905 -> 'nineteen oh five', 2007 -> 'two thousand
    seven', 2014 -> 'twenty fourteen'; outside 1100-2099 a plain cardinal."""
    if not 1100 <= n <= 2099 or 2000 <= n <= 2009:
        return number_to_words(n)
    high, low = divmod(n, 100)
    if low == 0:
        return f"{number_to_words(high)} hundred"
    if low < 10:
        return f"{number_to_words(high)} oh {number_to_words(low)}"
    return f"{number_to_words(high)} {number_to_words(low)}"


def _int(digits: str) -> int:
    return int(digits.replace(",", ""))


def _sentence_stop(match: re.Match[str]) -> str:
    """'.' when a consumed abbreviation dot also ended the sentence, else ''."""
    if not match.group(0).endswith("."):
        return ""
    rest = match.string[match.end() :]
    stripped = rest.lstrip(" \t")
    if not stripped or stripped[0] == "\n" or (rest != stripped and stripped[0].isupper()):
        return "."
    return ""


def _then_comma(match: re.Match[str]) -> str:
    """',' when an inserted clause is followed straight away by more words."""
    rest = match.string[match.end() :].lstrip(" \t")
    return "," if rest[:1].isalnum() else ""


# --- citations -----------------------------------------------------------------------------

_AUTHOR = r"[A-Z][^()\d;,]*?"
_CITE_ITEM = rf"{_AUTHOR},\s*\d{{4}}[a-z]?"
_CITE_PART = re.compile(r"^(?:see\s+)?(?P<who>.+?),\s*(?P<year>\d{4})[a-z]?$")


def _who(authors: str) -> str:
    authors = re.sub(r"\s+et al\.?$", " and colleagues", authors.strip())
    return re.sub(r"\s*&\s*", " and ", authors)


def _parenthetical_citation(match: re.Match[str]) -> str:
    found = []
    for part in match.group(1).split(";"):
        cited = _CITE_PART.match(part.strip())
        assert cited is not None  # the rule's pattern only matches well-formed citations
        found.append(f"{_who(cited['who'])} found in {cited['year']}")
    return ", as " + " and ".join(found) + _then_comma(match)


# --- numbers -------------------------------------------------------------------------------


def _clock(hour: int, minutes: str | None) -> str:
    if not minutes or minutes == "00":
        return number_to_words(hour)
    if minutes.startswith("0"):
        return f"{number_to_words(hour)} oh {number_to_words(int(minutes))}"
    return f"{number_to_words(hour)} {number_to_words(int(minutes))}"


def _time_12h(match: re.Match[str]) -> str:
    half = "A M" if match["half"].lower() == "a" else "P M"
    return f"{_clock(int(match['hour']), match['min'])} {half}{_sentence_stop(match)}"


def _time_24h(match: re.Match[str]) -> str:
    hour, minutes = match["hour"], match["min"]
    if minutes != "00":
        return _clock(int(hour), minutes)
    if int(hour) >= 13 or hour.startswith("0"):
        return f"{number_to_words(int(hour))} hundred"
    return f"{number_to_words(int(hour))} o'clock"


_UNITS = {"min": "minute", "hr": "hour", "sec": "second"}


def _unit(match: re.Match[str]) -> str:
    unit = _UNITS[match["unit"].lower().rstrip("s")]
    return f"{match['n']} {unit}" if match["n"] == "1" else f"{match['n']} {unit}s"


def _degrees(match: re.Match[str]) -> str:
    scale = {"C": " Celsius", "F": " Fahrenheit"}.get(match["scale"] or "", "")
    return f" degrees{scale}"


def _decimal(match: re.Match[str]) -> str:
    fractions = match["frac"].split(".")[1:]
    spoken = [digit_words(part) for part in fractions]
    return " point ".join([number_to_words(_int(match["int"])), *spoken])


def _slash(match: re.Match[str]) -> str:
    left, right = match["left"], match["right"]
    if left is None:  # 24/7
        return "24 7"
    if (left.lower(), right.lower()) == ("and", "or"):
        return f"{left} {right}"
    return f"{left} or {right}"


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _iso_date(match: re.Match[str]) -> str:
    """2024-03-01 -> 'March 1st, 2024' (the ordinal and year rules then read it)."""
    year, month, day = match.groups()
    return f"{_MONTHS[int(month) - 1]} {int(day)}th, {year}"


def _decade(match: re.Match[str]) -> str:
    if match["short"]:  # '80s
        return plural_words(number_to_words(int(match["short"]) * 10))
    return plural_words(year_words(int(match["century"] + match["decade"] + "0")))


_PICTOGRAPHS = (
    "\U0001f000-\U0001faff"  # emoji, symbols and pictographs, flags
    "\u2300-\u23ff"  # miscellaneous technical (watch, hourglass, ...)
    "\u2600-\u27bf"  # miscellaneous symbols and dingbats (sparkles, hearts, check marks)
    "\u2b00-\u2bff"  # stars, squares, heavy arrows
    "\ufe0f\u200d\u20e3"  # variation selector, zero-width joiner, keycap
)
_NUMBER_START = r"(?<![\d.,])"  # not in the middle of a number
_NUMBER_END = r"(?![\d]|[.,]\d)"  # nor continuing into one

RULES: tuple[Rule, ...] = (
    # 1. never read
    Rule("pictographs", re.compile(f"[{_PICTOGRAPHS}]+"), _const("")),
    Rule(
        "links",
        re.compile(r"\b(?:https?://|www\.)\S+?(?=[.,;:!?)\]]*(?:\s|$))", re.I),
        _const(""),
    ),
    # Matched from an address's first character only: tried at every character of a long
    # token, "[\w.+-]+" would rescan it to its end each time (quadratic).
    Rule("emails", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), _const("")),
    Rule("indexes", tech.INDEX, tech.index),  # "argv[0]": not a footnote
    Rule("footnote_brackets", re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]"), _const("")),
    Rule("footnote_superscripts", re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+"), _const("")),
    Rule("double_quotes", re.compile(r"[“”„«»″]"), _const('"')),
    Rule("single_quotes", re.compile(r"[‘’‚′`]"), _const("'")),
    # 2. citations
    Rule(
        "parenthetical_citation",
        re.compile(rf"\s*\(\s*(?:see\s+)?({_CITE_ITEM}(?:\s*;\s*{_CITE_ITEM})*)\s*\)"),
        _parenthetical_citation,
    ),
    Rule(
        "narrative_citation",
        re.compile(r"(?<=[A-Za-z.])\s*\((\d{4})[a-z]?\)"),
        lambda m: f", in {m[1]}{_then_comma(m)}",
    ),
    # 3. abbreviations and symbols
    Rule("for_example", re.compile(r"\be\.\s?g\.", re.I), _const("for example")),
    Rule("that_is", re.compile(r"\bi\.\s?e\.", re.I), _const("that is")),
    Rule("et_al", re.compile(r"\bet al\.?"), lambda m: "and colleagues" + _sentence_stop(m)),
    # Not "/etc/" in a path (`technical.path` spells it): that is no "et cetera".
    Rule(
        "et_cetera",
        re.compile(r"(?<!/)\betc\b(?!/)\.?"),
        lambda m: "et cetera" + _sentence_stop(m),
    ),
    Rule("versus", re.compile(r"\b[Vv]s\b\.?"), _const("versus")),
    Rule("approximately", re.compile(r"\bapprox\b\.?"), _const("approximately")),
    Rule(
        "titles",
        re.compile(r"\b(Dr|Mr|Mrs|Ms|Prof)\b\.?(?=\s+(?:[A-Z]|and\s))"),
        lambda m: {
            "Dr": "Doctor",
            "Mr": "Mister",
            "Mrs": "Missus",
            "Ms": "Miz",
            "Prof": "Professor",
        }[m[1]],
    ),
    Rule("arrows", re.compile(r"\s*(?:→|⟶|⇒|->|=>)\s*"), _const(" leads to ")),
    Rule("ampersand", re.compile(r"\s*&\s*"), _const(" and ")),
    # 3b. technical text (see `technical`): codes, notation, code in prose
    Rule("hex_numbers", tech.HEX, tech.hex_number),
    Rule("hashes", tech.HASH, tech.hash_code),
    Rule("scientific", tech.SCIENTIFIC, tech.scientific),
    Rule("powers", tech.POWER, tech.power),
    Rule("issues", tech.ISSUE, tech.issue),
    Rule("letter_numbers", ev.LETTER_NUMBER, ev.letter_number),
    Rule("matchups", tech.MATCHUP, tech.matchup),
    Rule("options", tech.OPTION, tech.option),
    Rule("comparisons", tech.COMPARISON, tech.comparison),
    Rule("paths", tech.PATH, tech.path),
    Rule("dunders", tech.DUNDER, tech.dunder),
    Rule("acronym_slashes", tech.ACRONYM_SLASH, tech.acronym_slash),
    Rule("dotted_names", tech.DOTTED, tech.dotted),
    # 4. numbers, most specific shape first
    Rule("iso_dates", re.compile(r"\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b"), _iso_date),
    Rule("day_month_years", ev.DAY_MONTH_YEAR, ev.day_month_year),
    Rule("emergency_numbers", ev.EMERGENCY, ev.emergency),
    Rule("toll_free", ev.TOLL_FREE, ev.toll_free),
    Rule("number_chains", tech.NUMBER_CHAIN, tech.number_chain),
    Rule("phones", ev.PHONE, ev.phone),
    Rule("models", ev.MODEL, ev.model),
    Rule("letter_models", ev.LETTER_MODEL, ev.letter_model),
    Rule("time_ranges", ev.TIME_RANGE, ev.time_range),
    Rule("time_seconds", ev.TIME_SECONDS, ev.time_seconds),
    Rule(
        "ranges",
        re.compile(
            _NUMBER_START + r"(\d[\d,]*(?:\.\d+)?)\s*[–-]\s*(\d[\d,]*(?:\.\d+)?)"
            r"(?![\d]|[.,]\d|\s*[–-]\s*\d)"
        ),
        _template(r"\1 to \2"),
    ),
    Rule("negatives", ev.NEGATIVE, _const("minus ")),
    Rule("approximately_signs", ev.APPROXIMATE, ev.approximately),
    Rule("number_signs", ev.NUMBER_SIGN, _const("number ")),
    Rule(
        "time_12h",
        re.compile(
            r"(?<![$£€])\b(?P<hour>1[0-2]|0?[1-9])(?:[:.](?P<min>[0-5]\d))?\s*(?P<half>[ap])\.?\s?m\b\.?",
            re.I,
        ),
        _time_12h,
    ),
    Rule(
        "time_24h",
        re.compile(_NUMBER_START + r"\b(?P<hour>[01]?\d|2[0-3]):(?P<min>[0-5]\d)\b(?!:)"),
        _time_24h,
    ),
    Rule("ratios", ev.RATIO, ev.ratio),
    Rule(
        "money",
        re.compile(
            r"(?P<sign>[$£€])\s?(?P<amount>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<cents>\d+))?"
            r"(?:\s?(?P<scale>k|m|bn|thousand|million|billion|trillion)\b)?",
            re.I,
        ),
        money,
    ),
    Rule("multipliers", ev.MULTIPLIER, ev.multiplier),
    Rule("resolutions", ev.RESOLUTION, ev.resolution),
    Rule("percent", re.compile(r"(\d)\s?%"), _template(r"\1 percent")),
    # "the #1 framework", "#3 on the list": a rank; "#ATL24" (a hashtag) is left alone.
    Rule("rank", re.compile(r"(?<![\w&])#(\d+)\b"), _template(r"number \1")),
    Rule("degrees", re.compile(r"\s*°\s*(?P<scale>[CF](?![A-Za-z]))?"), _degrees),
    Rule(
        "units",
        re.compile(r"\b(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>mins?|hrs?|secs?)\b", re.I),
        _unit,
    ),
    Rule(
        "measures",
        re.compile(
            r"\b(?P<n>\d+(?:\.\d+)?)\s?(?P<unit>"
            + "|".join(sorted(MEASURES, key=len, reverse=True))
            + r")\b"
        ),
        measure,
    ),
    Rule("mixed_numbers", ev.MIXED, ev.mixed_number),
    Rule("ratings", ev.RATING, ev.rating),
    Rule(
        "fractions",
        re.compile(r"(?<![\d/.,])(?P<top>[1-9])/(?P<bottom>[2-9]|10)(?![\d/]|[.,]\d)"),
        fraction,
    ),
    Rule("number_slashes", ev.NUMBER_SLASH, ev.number_slash),
    Rule(
        "versions",
        re.compile(
            r"\b(?P<v>v)(?P<ver>\d+(?:\.\d+)+)\b"
            r"|(?<=\b[Vv]ersion )(?P<ver2>\d+(?:\.\d+)+)(?!\d)"
            + "|"
            + _NUMBER_START
            + r"(?P<ver3>\d+\.\d+(?:\.\d+)+)"
            + _NUMBER_END
        ),
        version,
    ),
    Rule("product_versions", tech.PRODUCT_VERSION, tech.product_version),
    Rule("plus", re.compile(r"(?<=\w)\s*\+(?!\+)\s*"), _const(" plus ")),
    Rule("equals", re.compile(r"(?<=\w)\s*=\s*(?=\w)"), _const(" equals ")),
    Rule(
        "slash_lists",
        re.compile(r"\b[A-Za-z]{2,}(?:/[A-Za-z]{2,}){2,}\b"),
        lambda m: ", ".join(m[0].split("/")),
    ),
    Rule(
        "slash",
        re.compile(r"\b(?:(?P<left>[A-Za-z]{2,})/(?P<right>[A-Za-z]{2,})|24/7)\b"),
        _slash,
    ),
    Rule("dash_pauses", re.compile(r"\s*(?:—|--)\s*|\s+[–-]\s+"), _const(", ")),
    Rule("ellipsis", re.compile(r"…|\.\s\.\s\."), _const("...")),
    Rule(
        "decades",
        re.compile(r"\b(?P<century>1[1-9]|20)(?P<decade>\d)0s\b|(?:'|\b)(?P<short>[1-9])0s\b"),
        _decade,
    ),
    Rule(
        "ordinals",
        re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.I),
        lambda m: ordinal_words(int(m[1])),
    ),
    Rule(
        "decimals",
        re.compile(_NUMBER_START + r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>(?:\.\d+)+)"),
        _decimal,
    ),
    Rule(
        "thousands",
        re.compile(_NUMBER_START + r"\d{1,3}(?:,\d{3})+" + _NUMBER_END),
        lambda m: number_to_words(_int(m[0])),
    ),
    Rule("leading_zeros", ev.LEADING_ZERO, ev.leading_zero),
    Rule(
        "years",
        re.compile(_NUMBER_START + r"(?:1[1-9]\d\d|20\d\d)" + _NUMBER_END),
        lambda m: year_words(int(m[0])),
    ),
    Rule("glued_digits", re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])"), _const(" ")),
    Rule("integers", re.compile(r"\d+"), lambda m: number_to_words(int(m[0]))),
    # 5. tidy up
    Rule("empty_brackets", re.compile(r"\s*\(\s*\)|\s*\[\s*\]"), _const("")),
    Rule("paragraph_breaks", re.compile(r"\s*\n\s*\n\s*"), _const("\n\n")),
    Rule("line_breaks", re.compile(r"[^\S\n]*(?<!\n)\n(?!\n)[^\S\n]*"), _const(" ")),
    Rule("whitespace", re.compile(r"[^\S\n]+"), _const(" ")),
    Rule("space_before_punctuation", re.compile(r" +(?=[,.;:!?)\]])|(?<=[(\[]) +"), _const("")),
    Rule("doubled_commas", re.compile(r",(?: ?,)+"), _const(",")),
    Rule("comma_before_stop", re.compile(r", ?(?=[.;:!?])"), _const("")),
    Rule("dangling_commas", re.compile(r"^[\s,]+|[\s,]+$"), _const("")),
)


def speakable(text: str, lexicon: Lexicon | None = None) -> str:
    """What a voice should say for `text`: the lexicon first, then every rule of `RULES`.

    With no lexicon, none is applied (pass `lexicon.default_lexicon()` for the usual one).
    """
    if lexicon is not None:
        text = lexicon.apply(text)
    for rule in RULES:
        text = rule.apply(text)
    return text.strip()
