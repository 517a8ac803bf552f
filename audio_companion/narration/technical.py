"""Technical and documentation text as a person reads it aloud.

Patterns and readings for the rules of `narration.normalise` (its `RULES` table lists them,
in order, beside the prose rules; see its docstring for why each sits where it does). They
are here so that table stays readable. Each reading is what someone reading documentation
to a listener says, not what the characters are called one by one:

- codes that are characters, not amounts, are spelled: "0x1F4A" -> "hex one F four A",
  a hash "a7f3c9e2" -> "A seven F three C nine E two";
- "1e-5" -> "one times ten to the power of minus five", "2**15" and "2^15" -> "two to the
  power of fifteen";
- an issue or standard number is said in pairs of digits as people say it: "bpo-3439" ->
  "B P O thirty four thirty nine", "PEP 372" -> "PEP three seventy two", "RFC 7159" ->
  "RFC seventy one fifty nine"; five digits or more one digit at a time;
- "3-2-1" -> "three two one" (not a range), "5v5s" -> "five versus fives", "3x3" ->
  "three by three";
- an option "--sort-keys" -> "dash dash sort keys", "-v" -> "dash v" (not a dash pause);
- operators "x >= 3", "y != 2" -> "greater than or equal to", "not equal to";
- "__init__" -> "dunder init"; "sys.argv[0]" -> "sys.argv index 0" (a footnote "[3]" after a
  plain word is still dropped);
- a path "Lib/json/__init__.py" -> "Lib slash json slash __init__ dot py" (never "or");
- acronyms either side of a slash are both said: "TCP/IP" -> "TCP IP", "HTTP/2" ->
  "HTTP 2", "I/O" -> "I O" (a slash between acronyms is not "or"), and so is a product
  and its version, "Apache/2.4.7" -> "Apache 2.4.7";
- a dotted number after a product name is a version: "Python 3.11" -> "Python three point
  eleven", "Py3.1" -> "Py three point one";
- a dotted name "os.path.join" -> "os dot path dot join".

Numbers are left as digits where a later rule of the table reads them (years, integers).
"""

from __future__ import annotations

import itertools
import re

from audio_companion.narration.amounts import FUNCTION_WORDS, version_words
from audio_companion.numbers import number_to_words, plural_words


def _spelled(chars: str) -> str:
    """Each character on its own: digits as words, letters as capitals ("a7" -> "A seven")."""
    return " ".join(number_to_words(int(c)) if c.isdigit() else c.upper() for c in chars)


def _pair(digits: str) -> str:
    """Two digits of an id: "39" -> "thirty nine", "07" -> "oh seven", "00" -> "hundred"."""
    if digits == "00":
        return "hundred"
    if digits.startswith("0"):
        return f"oh {number_to_words(int(digits[1]))}"
    return number_to_words(int(digits))


def id_words(digits: str) -> str:
    """An identifier's number as people say it: "3439" -> "thirty four thirty nine",
    "372" -> "three seventy two", "3000" -> "three thousand", "1739468" -> digit by digit."""
    if digits.startswith("0") or len(digits) > 4:
        return _spelled(digits)
    if len(digits) <= 2 or digits.endswith("000"):
        return number_to_words(int(digits))
    return f"{number_to_words(int(digits[:-2]))} {_pair(digits[-2:])}"


# --- codes and notation --------------------------------------------------------------------

HEX = re.compile(
    r"\b0[xX](?P<hex>[0-9A-Fa-f]+)(?:\.(?P<frac>[0-9A-Fa-f]+))?(?:[pP](?P<exp>[+-]?\d+))?\b"
)


def hex_number(match: re.Match[str]) -> str:
    """ "0x1F4A" -> "hex one F four A": hex digits are characters, never an amount; a hex
    float's "p" exponent is a power of two."""
    spoken = "hex " + _spelled(match["hex"])
    if match["frac"]:
        spoken += " point " + _spelled(match["frac"])
    if match["exp"]:
        exp = match["exp"]
        sign = "minus " if exp.startswith("-") else ""
        spoken += f" times two to the power of {sign}{exp.lstrip('+-')}"
    return spoken


# A run of hex characters with letters and digits both (two or more of each), in one case,
# six long or more: a hash or a code; "1e10", "MP3", "deadbeef" and "2024" are not.
HASH = re.compile(
    r"\b(?=(?:[a-f]*\d){2})(?=(?:\d*[a-f]){2})[0-9a-f]{6,}\b|"
    r"\b(?=(?:[A-F]*\d){2})(?=(?:\d*[A-F]){2})[0-9A-F]{6,}\b"
)


def hash_code(match: re.Match[str]) -> str:
    """A hash is read character by character, as someone checking it would."""
    return _spelled(match[0])


SCIENTIFIC = re.compile(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)[eE](?P<sign>[-+−]?)(?P<exp>\d+)\b")


def scientific(match: re.Match[str]) -> str:
    minus = "minus " if match["sign"] in ("-", "−") else ""
    return f"{match['n']} times ten to the power of {minus}{match['exp']}"


POWER = re.compile(
    r"(?<![\w.])(?P<base>[A-Za-z]|\d+(?:\.\d+)?)(?:\*\*|\^)(?P<sign>[-−]?)(?P<exp>\d+|[A-Za-z])\b"
    r"|(?<![\w.])(?P<nbase>\d+(?:\.\d+)?) (?:\*\*|\^) (?P<nsign>[-−]?)(?P<nexp>\d+)\b"
)


def power(match: re.Match[str]) -> str:
    """ "2**15", "10^6", "x^2": a single letter or a number each side, so Markdown's
    "**bold**" and Python's "**kwargs" are not powers."""
    base = match["base"] or match["nbase"]
    minus = "minus " if (match["sign"] or match["nsign"]) else ""
    return f"{base} to the power of {minus}{match['exp'] or match['nexp']}"


# --- numbers that name things --------------------------------------------------------------

ISSUE = re.compile(
    r"\b(?P<tag>bpo|gh|GH|CVE)-(?:(?P<year>\d{4})-)?(?P<id>\d+)\b"
    r"|\b(?P<word>PEP|RFC)\s+(?P<num>\d+)\b"
    r"|\b(?P<item>[Ii]ssue|[Bb]ug)\s+(?:#(?P<ref>\d+)|(?P<long>\d{4,}))\b"
)


def issue(match: re.Match[str]) -> str:
    """ "bpo-3439" -> "B P O 34 39" in words; "PEP 372", "issue 53094", "CVE-2021-44228".

    "issue" and "bug" take a number of four digits or more, or one after "#": "to issue
    250 shares" is a count."""
    if match["word"]:
        return f"{match['word']} {id_words(match['num'])}"
    if match["item"]:
        return f"{match['item']} {id_words(match['ref'] or match['long'])}"
    tag = match["tag"] if match["tag"] == "CVE" else " ".join(match["tag"].upper())
    year = f" {id_words(match['year'])}" if match["year"] else ""
    return f"{tag}{year} {id_words(match['id'])}"


# Three numbers or more joined by hyphens: a countdown "3-2-1", a phone number; not a range.
NUMBER_CHAIN = re.compile(r"(?<![\w.,-])\d+(?:-\d+){2,}(?![\w-]|[.,]\d)")


_YEAR = r"1[1-9]\d\d|20\d\d"


def number_chain(match: re.Match[str]) -> str:
    """Small numbers as numbers, "3-2-1" -> "3 2 1"; longer ones digit by digit, as a phone
    number is read; a date's year ("25-12-2024") is left for the years rule."""
    groups = match[0].split("-")
    date = len(groups) == 3 and max(map(len, groups[:2])) <= 2 and re.fullmatch(_YEAR, groups[2])
    return " ".join(g if len(g) <= 2 or date else _spelled(g) for g in groups)


MATCHUP = re.compile(r"\b(?P<a>\d+)(?P<op>[vx×])(?P<b>\d+)(?P<s>s?)\b")


def matchup(match: re.Match[str]) -> str:
    """ "5v5s" -> "five versus fives" (plural of the game, not of the letter), "3x3" ->
    "three by three", as is "2×2"."""
    b = number_to_words(int(match["b"]))
    if match["s"]:
        b = plural_words(b)
    word = "versus" if match["op"] == "v" else "by"
    return f"{number_to_words(int(match['a']))} {word} {b}"


# --- code in prose -------------------------------------------------------------------------

OPTION = re.compile(r"(?<![\w-])(?:--(?P<long>[A-Za-z]\w*(?:-\w+)*)|-(?P<short>[A-Za-z]))(?![\w-])")


def option(match: re.Match[str]) -> str:
    """ "--sort-keys" -> "dash dash sort keys", "-v" -> "dash v"."""
    if match["short"]:
        return f"dash {match['short']}"
    return "dash dash " + match["long"].replace("-", " ").replace("_", " ")


# A lone "<" or ">" is an operator only between numbers, single letters or a call ("x > 3",
# "len(s) < n"): "Settings > Privacy" is a menu path, not "greater than".
COMPARISON = re.compile(
    r"(?<=[\w)\]'\"])\s*(?P<op>>=|<=|!=|==|≥|≤|≠)\s*(?=[\w(\['\"-])"
    r"|(?<=(?<![\w.])[A-Za-z]|\d|\))\s+(?P<lone>[<>])\s+(?=-?\d|[A-Za-z](?!\w)|\()"
)
_COMPARISONS = {
    ">=": "greater than or equal to",
    "≥": "greater than or equal to",
    "<=": "less than or equal to",
    "≤": "less than or equal to",
    "!=": "not equal to",
    "≠": "not equal to",
    "==": "equals",
    ">": "greater than",
    "<": "less than",
}


def comparison(match: re.Match[str]) -> str:
    return f" {_COMPARISONS[match['op'] or match['lone']]} "


DUNDER = re.compile(r"(?<!\w)__(?P<name>[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)__(?!\w)")


def dunder(match: re.Match[str]) -> str:
    return f"dunder {match['name']}"


# An identifier indexed by a number. A plain word and a number ("shown[3]") is a footnote
# marker and left for that rule, unless the number is 0 or negative, which no footnote is.
INDEX = re.compile(r"(?<![\w.])(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\[(?P<i>-?\d+)\]")


def index(match: re.Match[str]) -> str:
    """ "sys.argv[0]" -> "sys.argv index 0", kept from the footnote rule that would drop it."""
    name, i = match["name"], match["i"]
    if not ("." in name or "_" in name or i == "0" or i.startswith("-")):
        return match[0]
    return f"{name} index {'minus ' + i[1:] if i.startswith('-') else i}"


# Words joined by slashes, read as a path when it looks like one: a leading "/", "~/" or
# "./", a trailing "/", a file name with an extension last or a domain first. Anything
# else ("and/or", "km/h", "TCP/IP") is left to the slash rules.
_SEGMENT = r"\.?[\w-]+(?:\.[\w-]+)*"
PATH = re.compile(
    rf"(?<![\w/.~:-])(?P<lead>~/|\.\.?/|/)?(?P<body>{_SEGMENT}(?:/{_SEGMENT})*)(?P<end>/)?(?![\w/])"
)
_EXTENSION = re.compile(r"\.[A-Za-z]\w{0,4}$")
_DOMAIN = re.compile(r"^[\w-]+\.[A-Za-z]{2,}$")
_LEADS = {"~/": "tilde slash ", "./": "dot slash ", "../": "dot dot slash ", "/": "slash "}
# Path parts a voice would otherwise expand ("etc" is "et cetera" to a speech engine).
_SPELLED_PARTS = {"etc": "E T C"}


def path(match: re.Match[str]) -> str:
    """ "Lib/json/__init__.py" -> "Lib slash json slash __init__ dot py": a path is spelled
    out with "slash" and "dot" as people dictate one; "or" would change its meaning."""
    lead, body, end = match["lead"] or "", match["body"], match["end"] or ""
    parts = body.split("/")
    looks = lead or end or _EXTENSION.search(parts[-1]) or _DOMAIN.match(parts[0])
    if not (looks and (lead or end or len(parts) > 1)) or not re.search("[A-Za-z]", body):
        return match[0]
    spoken = " slash ".join(
        " dot ".join(_SPELLED_PARTS.get(part, part).split(".")).strip() for part in parts
    )
    return _LEADS.get(lead, "") + spoken + (" slash" if end else "")


ACRONYM_SLASH = re.compile(
    r"\b(?P<left>[A-Z][A-Z0-9]*)/(?:(?P<right>[A-Z][A-Z0-9]*)|(?P<n>\d+(?:\.\d+)*))(?![\w/])"
    r"|(?<![\w-])(?P<product>[A-Za-z][\w-]*)/(?P<ver>\d+(?:\.\d+)+)(?![\w/])"
)


def acronym_slash(match: re.Match[str]) -> str:
    """ "TCP/IP" -> "TCP IP", "I/O" -> "I O", "HTTP/2" -> "HTTP 2", "N/A" -> "not
    applicable", a product and its version "Apache/2.4.7" -> "Apache 2.4.7"; a single
    letter and a number ("A/3") is left alone."""
    if match["product"]:
        return f"{match['product']} {match['ver']}"
    left, right = match["left"], match["right"] or match["n"]
    if match[0] == "N/A":
        return "not applicable"
    if match["n"] and len(left) < 2:
        return match[0]
    return f"{left} {right}"


# A dotted number straight after a name: "Py3.1", or after a product's name "Python 3.11",
# "iOS 17.2", "Ubuntu 22.04", "Section 3.12" (a capital in the name). A word that opens a
# sentence before an amount ("About", "In") or a currency code is not a name, and the number
# is an amount, not a version, when a quantity follows ("Paris 2.25 million").
PRODUCT_VERSION = re.compile(
    r"(?<=[A-Za-z])(?P<glued>\d+(?:\.\d+)+)(?!\d|[.,]\d)"
    r"|\b(?P<name>[A-Za-z][A-Za-z+#]*) (?P<ver>\d+(?:\.\d+)+)(?!\d|[.,]\d)"
)
_QUANTITY = re.compile(
    r" (?:million|billion|trillion|thousand|percent|per|times|degrees?|points?"
    r"|\w*(?:hertz|bytes?|meters?|grams?|liters?|seconds?|minutes?|hours?))\b"
)

_NOT_A_NAME = FUNCTION_WORDS | {"around", "almost", "approximately", "nearly", "roughly"}
_NOT_A_NAME |= {"some", "total", "usd", "eur", "gbp", "jpy", "cad", "aud", "inr", "rs"}


def product_version(match: re.Match[str]) -> str:
    if match["glued"]:
        # after one letter it is an amount, "u13.47 s1.11" (CPU seconds): a later rule reads it
        one_letter = not match.string[max(0, match.start() - 2) : match.start() - 1].isalpha()
        return " " + (match["glued"] if one_letter else version_words(match["glued"]))
    name = match["name"]
    if (
        name.islower()
        or name.lower() in _NOT_A_NAME
        or name.endswith(("ly", "ed"))
        or _QUANTITY.match(match.string, match.end())
    ):
        return match[0]
    return f"{name} {version_words(match['ver'])}"


# "os.path.join", "json.dumps", "setup.py", "example.com", ".env": dotted names, each part
# two characters or more (so "U.S.", "Ph.D." and "a.m." are not).
DOTTED = re.compile(r"(?<![\w.@/-])(?:[A-Za-z_]\w+|(?<=\s))(?:\.[A-Za-z_]\w+)+(?!\w|\.\w)")


def dotted(match: re.Match[str]) -> str:
    """Each dot said, except where a sentence lost its space after the full stop: a
    capitalised word after a name or after a word that opens sentences ("Trump.Even",
    "visit.The") starts a new sentence; "decimal.Decimal" and "NER.extract" are code, and
    so is a capitalised word after one in capitals: "README.Debian" is a file's name."""
    parts = match[0].split(".")
    spoken = parts[0]
    for before, part in itertools.pairwise(parts):
        titled = part[:1].isupper() and part[1:].islower()
        name = before[:1].isupper() and not (len(before) > 1 and before.isupper())
        if titled and (name or part.lower() in FUNCTION_WORDS):
            spoken += ". " + part
        else:
            spoken += " dot " + part
    return spoken.strip()
