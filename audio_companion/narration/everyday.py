"""Everyday number shapes that are not amounts: how people say them, not what they count.

Rules of `narration.normalise` (its `RULES` table lists them, in order, and says why each
sits where it does). Each shape looks like a plain number, a range or a fraction to the
generic rules, which would read it wrongly:

- an emergency number is dialled, not counted: "call 911" -> "call nine one one", "a 999
  operator", and a toll-free prefix "1-800-FLOWERS" is dictated digit by digit, like the
  rest of a phone number ("911 people" stays a count), as is "(555) 123-4567", and a code
  with a leading zero, "02139", "007";
- a letter code and its number is a name: "B-52s" -> "B fifty twos", "AK-47" -> "AK forty
  seven", "F-117" -> "F one seventeen";
- an aircraft-style model and its variant, "Boeing 737-800" -> "Boeing seven thirty seven
  eight hundred", "A320-200" -> "A three twenty two hundred", is not a range, and a
  capital glued to three digits is a model or a road, "A380" -> "A three eighty";
- a multiplier "2x", "10x", "1.5×" -> "two times" ("4x4" stays "four by four", "3x + 2" is
  algebra and stays);
- a rating "4.5/5", "5/5", "92/100", "rated 4/5" -> "four point five out of five";
- the numbers either side of any other slash are said one after the other, as people say
  them: "50/50" -> "fifty fifty", "9/11", "60/40", "the 2019/20 season", "3/4/2021" (read
  like "3-4-2021" is);
- a ratio "3:1" -> "three to one" (not after a book's name, "John 3:1");
- a clock time with seconds "16:37:54" -> "sixteen thirty seven and fifty four seconds",
  a duration "2:03:45" -> "two hours three minutes and forty five seconds";
- a range of times "9am-5pm" -> "9am to 5pm", as a range of plain numbers already is;
- a video resolution "1080p" -> "ten eighty p";
- a log's date "22-Nov-2019" -> "November twenty second, twenty nineteen";
- signs: "3 1/2" -> "three and a half", "~5" -> "about five", "No. 1" -> "number one", a
  minus sign or a hyphen before a temperature or percentage "-5°C" -> "minus five".

Numbers are left as digits where a later rule of the table reads them.
"""

from __future__ import annotations

import re

from audio_companion.narration.amounts import FUNCTION_WORDS
from audio_companion.narration.technical import id_words
from audio_companion.numbers import digit_words, number_to_words, ordinal_words, plural_words

# --- numbers that are dialled --------------------------------------------------------------

_CODES = r"911|999|112"
EMERGENCY = re.compile(
    r"\b(?P<verb>(?:[Cc]all(?:s|ed|ing)?|[Dd]ial(?:s|l?ed|l?ing)?|[Tt]ext(?:s|ed|ing)?"
    rf"|[Pp]hon(?:e[sd]?|ing)|[Rr]ing(?:s|ing)?)\s+)(?P<code>{_CODES})\b(?![.,]\d|\s+times\b)"
    rf"|(?<![\w.,-])(?<!Porsche )(?P<before>{_CODES})"
    r"(?=\s+(?:in an emergency|in case of|calls?|callers?|operators?|dispatch\w*"
    r"|emergenc\w*|services?|centers?|centres?|lines?|system)\b)"
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


# A model and its variant: "737-800", "A320-200", "777-300ER", "747-400s", "787-9": three
# digits, a dash and a round hundred or one digit (less than the first, so no range; a
# score "Heat 110-99" keeps its "to"), after a capitalised name or with letters of its own. A range
# "300-400" after a word that opens sentences ("Between", "From") or a plural ("Pages") is
# still a range.
MODEL = re.compile(
    r"(?:\b(?P<name>[A-Z][A-Za-z]+) (?P<model>\d{3})"
    r"|(?<![\w-])(?P<code>[A-Z]{1,2})(?P<cmodel>\d{3}))"
    r"-(?P<variant>[1-9]00|[1-9])(?P<suffix>[A-Z]{1,3})?(?P<s>s)?(?![\w-]|[.,]\d)"
)
# "Sigma 150-600 mm" is a range of focal lengths, not a model.
_UNIT_AFTER = re.compile(r"\s?(?:mm|cm|m|km|kg|g|lbs?|ml|ft|in|hp|[kM]?W|V)\b")
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
    if _UNIT_AFTER.match(match.string, match.end()):
        return match[0]
    variant = id_words(match["variant"])
    if match["suffix"]:
        variant += " " + " ".join(match["suffix"])
    if match["s"]:
        variant = plural_words(variant)
    head = f"{name} " if name else f"{match['code']} "
    return f"{head}{id_words(match['model'] or match['cmodel'])} {variant}"


# One or two capitals glued to three digits: a model or a road, "A380" -> "A three eighty",
# "D750", "A303", "F150s"; not "A320neo" or "X100V".
LETTER_MODEL = re.compile(r"(?<![\w-])(?P<code>[A-Z]{1,2})(?P<n>\d{3})(?P<s>s)?(?![\w-]|[.,]\d)")


def letter_model(match: re.Match[str]) -> str:
    words = id_words(match["n"])
    return f"{match['code']} {plural_words(words) if match['s'] else words}"


# "(555) 123-4567": a phone number with its area code, said digit by digit like a chain.
PHONE = re.compile(r"\((?P<area>\d{3})\)\s?(?P<exchange>\d{3})-(?P<line>\d{4})\b")


def phone(match: re.Match[str]) -> str:
    return ", ".join(digit_words(match[g]) for g in ("area", "exchange", "line"))


# --- amounts that are not quantities -------------------------------------------------------

# "2x", "10x", "1.5×": a multiplier. "4x4" is a matchup ("four by four"), "3 x 4" a size
# or a product, and "3x + 2" or "2x(y)" is algebra, where x is a variable.
MULTIPLIER = re.compile(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s?[x×](?![\w×])(?!\s*[-+=*/^<>(\d])")


def multiplier(match: re.Match[str]) -> str:
    return f"{match['n']} times"


RATING = re.compile(
    r"(?<![\d/.,])(?P<top>\d+(?:\.\d+)?)\s?/\s?(?P<bottom>5|10|100)(?![\d/]|[.,]\d)"
)
_RATED = re.compile(r"\b(?:rat|scor|grade|review)\w*\W+(?:\w+\W+)?$", re.I)
_STARS = re.compile(r"\s*(?:stars?|points?)\b", re.I)


def rating(match: re.Match[str]) -> str:
    """ "4.5/5" -> "4.5 out of 5". A fraction has no decimal point and is no bigger than
    one, so a decimal, "5/5", "10/10" or anything over 100 is a score; a plain "4/5" is one
    when rated or scored, or counted in stars or points; else a fraction, "four fifths"."""
    top, bottom = match["top"], match["bottom"]
    score = "." in top or float(top) == int(bottom) or (bottom == "100" and float(top) <= 100)
    before = match.string[max(0, match.start() - 30) : match.start()]
    if score or _RATED.search(before) or _STARS.match(match.string, match.end()):
        return f"{top} out of {bottom}"
    return match[0]


NUMBER_SLASH = re.compile(r"(?<![\w./])\d+(?:/\d+)+(?![\w/]|[.,]\d)")


def number_slash(match: re.Match[str]) -> str:
    """ "50/50" -> "50 50", "3/4/2021" -> "3 4 2021": after the fraction and rating rules,
    the numbers of a split, a date or a name ("9/11") are said one after the other. An odd
    number of sixteenths, thirty-seconds or sixty-fourths is a measure, no date: "3/16" ->
    "three sixteenths"."""
    top, _, bottom = match[0].partition("/")
    if bottom in ("16", "32", "64") and int(top) % 2 and int(top) < int(bottom):
        name = ordinal_words(int(bottom))
        return f"{number_to_words(int(top))} {name if top == '1' else name + 's'}"
    return match[0].replace("/", " ")


# --- times ----------------------------------------------------------------------------------

TIME_SECONDS = re.compile(
    r"(?<![\d:.])(?P<hour>\d{1,2}):(?P<min>[0-5]\d):(?P<sec>[0-5]\d)(?![\d:]|[.,]\d)"
    r"(?P<half>\s?[AaPp]\.?\s?[Mm]\b\.?)?"
)
_CLOCK_AFTER = re.compile(r"\s*(?:[AaPp]\.?[Mm]\b|UTC|GMT|[A-Z][SD]?T\b)")


def time_seconds(match: re.Match[str]) -> str:
    """A clock time (two-digit hour, or a zone or am/pm after it): "16:37:54" -> "16:37 and
    54 seconds" (the time rules read the rest); otherwise a duration, "2:03:45" -> "2 hours
    3 minutes and 45 seconds"."""
    hour, minutes, sec = match["hour"], match["min"], match["sec"]
    seconds = "1 second" if sec == "01" else f"{int(sec)} seconds"
    half = match["half"]
    if half and 1 <= int(hour) <= 12:  # "11:59:59 pm" -> "11:59 pm and 59 seconds"
        rest = match.string[match.end() :].lstrip(" \t")
        stop = half.endswith(".") and (not rest or rest[0] == "\n" or rest[0].isupper())
        return f"{hour}:{minutes}{half.rstrip('.')} and {seconds}{'.' if stop else ''}"
    if half:
        return match[0]
    clock = len(hour) == 2 or _CLOCK_AFTER.match(match.string, match.end())
    if clock and int(hour) <= 23:
        if minutes != "00":
            return f"{hour}:{minutes} and {seconds}"
        # not "07:00" -> "seven hundred": "seven hundred and forty seven" is a number
        on_hour = "o'clock" if int(hour) <= 12 else "hundred hours"
        return f"{int(hour)} {on_hour} and {seconds}"
    hours = "1 hour" if hour == "1" else f"{hour} hours"
    mins = "1 minute" if minutes == "01" else f"{int(minutes)} minutes"
    return f"{hours} {mins} and {seconds}"


TIME_RANGE = re.compile(r"(?P<start>\d(?::\d\d)?\s?[ap]\.?m\b\.?)\s*[–-]\s*(?=\d)", re.I)


def time_range(match: re.Match[str]) -> str:
    """ "9am-5pm" -> "9am to 5pm"."""
    return f"{match['start']} to "


RESOLUTION = re.compile(r"\b(?P<lines>480|720|1080|1440|2160)(?P<p>[pi])\b")


def resolution(match: re.Match[str]) -> str:
    """ "1080p" -> "ten eighty p", as the format is said, not "one thousand eighty"."""
    return f"{id_words(match['lines'])} {match['p']}"


# --- small signs before a number -----------------------------------------------------------

# "3 1/2 cups": a whole number and a simple fraction.
MIXED = re.compile(
    r"(?<![\d.,/])(?P<whole>\d{1,3}) (?P<top>[1-9])/(?P<bottom>[2-9]|10)(?![\d/]|[.,]\d)"
)
_A_PART = {2: "a half", 3: "a third", 4: "a quarter"}


def mixed_number(match: re.Match[str]) -> str:
    """ "3 1/2" -> "3 and a half", "2 3/4" -> "2 and 3/4" (the fraction rule reads it), not
    "three one half"."""
    top, bottom = int(match["top"]), int(match["bottom"])
    if top >= bottom:
        return match[0]
    part = _A_PART.get(bottom) if top == 1 else None
    return f"{match['whole']} and {part or match['top'] + '/' + match['bottom']}"


APPROXIMATE = re.compile(r"(?<![\w~])[~≈]\s?(?=\d)")
_ALREADY_ROUGH = re.compile(r"\b(?:about|around|approximately|roughly|nearly|some) $", re.I)


def approximately(match: re.Match[str]) -> str:
    """ "~5" -> "about 5", but "around ~5" is not "around about 5"."""
    return "" if _ALREADY_ROUGH.search(match.string, 0, match.start()) else "about "


# "No. 1", "no.5"; not "he said no. 2 days later".
NUMBER_SIGN = re.compile(r"\bNo\.\s?(?=\d)|\bno\.(?=\d)")
# A minus sign, or a hyphen straight before a temperature or a percentage ("-5°C", "-3%"):
# a hyphen elsewhere is a range or a dash, read by those rules.
NEGATIVE = re.compile(r"(?<![\w.,)])(?:−|-(?=\d+(?:\.\d+)?\s?(?:°|%|degrees?\b|percent\b)))(?=\d)")


# --- dates with a month's short name -------------------------------------------------------

_SHORT_MONTHS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "sept": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}
# "22-Nov-2019", "5/Sep/2021" (server logs and status pages): day, short month, year.
DAY_MONTH_YEAR = re.compile(
    r"\b(?P<day>0?[1-9]|[12]\d|3[01])(?P<sep>[-/])(?P<month>"
    + "|".join(m.title() for m in _SHORT_MONTHS)
    + r")(?P=sep)(?P<year>\d{4})\b"
)


def day_month_year(match: re.Match[str]) -> str:
    """ "22-Nov-2019" -> "November 22th, 2019" (the ordinal and year rules then read it,
    as they read an ISO date), not "twenty two-Nov-twenty nineteen"."""
    month = _SHORT_MONTHS[match["month"].lower()]
    return f"{month} {int(match['day'])}th, {match['year']}"


# "3:1", "1:1", "16:9": a ratio (a time has two digits after the colon). After a
# capitalised word of three letters or more it is a verse, "John 3:1", left alone.
RATIO = re.compile(r"(?<![\d:.])(?P<a>\d{1,2}):(?P<b>\d)(?![\d:]|[.,]\d)")
_BOOK = re.compile(r"\b[A-Z][a-z]{2,} $")


def ratio(match: re.Match[str]) -> str:
    if _BOOK.search(match.string, 0, match.start()):
        return match[0]
    return f"{match['a']} to {match['b']}"


# "02139", "01632", "007": a number written with a leading zero is a code, said digit by
# digit. Four digits are left as they were read: a file mode "0755", "0700" or a time
# "0800" is as often meant as a phone prefix.
LEADING_ZERO = re.compile(r"(?<![\w.,:/])0(?:\d{2}|\d{4,})(?!\w|[.,]\d)")


def leading_zero(match: re.Match[str]) -> str:
    return digit_words(match[0])
