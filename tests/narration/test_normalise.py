"""The spoken form of written article prose: each rule alone, then the whole table."""

from __future__ import annotations

import pytest

from audio_companion.narration.lexicon import Lexicon
from audio_companion.narration.normalise import RULES, ordinal_words, speakable, year_words

BY_NAME = {rule.name: rule for rule in RULES}


@pytest.mark.parametrize(
    ("name", "written", "spoken"),
    [
        ("pictographs", "✨ zero spam ✨ 👍🏽", " zero spam  "),
        ("links", "see https://example.com/x, or www.example.org.", "see , or ."),
        ("emails", "write to me@example.org today", "write to  today"),
        (
            "indexes",
            "sys.argv[0], args[-1], my_list[2] and shown[3]",
            "sys.argv index 0, args index minus 1, my_list index 2 and shown[3]",
        ),
        ("rank", "the #1 framework, #ATL24 and &#39;", "the number 1 framework, #ATL24 and &#39;"),
        ("footnote_brackets", "as shown[3] and [1-2] and [4, 5]", "as shown and  and "),
        ("footnote_superscripts", "a claim¹² here", "a claim here"),
        ("double_quotes", "“Hi” «there»", '"Hi" "there"'),
        ("single_quotes", "it’s ‘fine’", "it's 'fine'"),
        (
            "parenthetical_citation",
            "calmer (Coan et al., 2006).",
            "calmer, as Coan and colleagues found in 2006.",
        ),
        (
            "parenthetical_citation",
            "it helps (Lehrer & Gevirtz, 2014; Glass, 2007a) at night",
            "it helps, as Lehrer and Gevirtz found in 2014 and Glass found in 2007, at night",
        ),
        ("narrative_citation", "Glass (2007) found", "Glass, in 2007, found"),
        ("narrative_citation", "as Glass (2007b) said.", "as Glass, in 2007, said."),
        ("measures", "16 kHz, 5 ms and 1 GB", "16 kilohertz, 5 milliseconds and 1 gigabyte"),
        (
            "measures",
            "23 mph, 1 mph, 100 km/h",
            "23 miles per hour, 1 mile per hour, 100 kilometers per hour",
        ),
        (
            "measures",
            "a 5 km walk, not 5 kmh or 16kHz",
            "a 5 kilometers walk, not 5 kmh or 16 kilohertz",
        ),
        (
            "fractions",
            "1/3 of it, 2/3 of that, 1/2 cup",
            "one third of it, two thirds of that, one half cup",
        ),
        ("fractions", "on 12/25, 3/2 and 1/2/2026", "on 12/25, 3/2 and 1/2/2026"),
        ("mixed_numbers", "3 1/2 cups, 2 3/4 miles", "3 and a half cups, 2 and 3/4 miles"),
        ("mixed_numbers", "1/2 and 3 5/4", "1/2 and 3 5/4"),
        (
            "ratings",
            "4.5/5, 5/5, 10/10, 92/100",
            "4.5 out of 5, 5 out of 5, 10 out of 10, 92 out of 100",
        ),
        ("ratings", "rated 4/5, 3/5 stars", "rated 4 out of 5, 3 out of 5 stars"),
        ("ratings", "4/5 of people, 1/10, 3/4/2021", "4/5 of people, 1/10, 3/4/2021"),
        (
            "number_slashes",
            "a 50/50 chance, 9/11, on 3/4/2021",
            "a 50 50 chance, 9 11, on 3 4 2021",
        ),
        ("number_slashes", "km/h, v1/2", "km/h, v1/2"),
        (
            "number_slashes",
            "a 1/16 inch, 3/32, 5/64 but 2/16, 17/16",
            "a one sixteenth inch, three thirty seconds, five sixty fourths but 2 16, 17 16",
        ),
        (
            "multipliers",
            "a 2x speedup, 10x faster, 1.5× more",
            "a 2 times speedup, 10 times faster, 1.5 times more",
        ),
        (
            "multipliers",
            "3x + 2, 2x(y), 4x4, 3 x 4, 0x1F, 2xl, 10X",
            "3x + 2, 2x(y), 4x4, 3 x 4, 0x1F, 2xl, 10X",
        ),
        (
            "resolutions",
            "a 1080p screen, 720p or 4K",
            "a ten eighty p screen, seven twenty p or 4K",
        ),
        ("negatives", "-5°C, −3 and -2%", "minus 5°C, minus 3 and minus 2%"),
        ("negatives", "3-5°C, -v, well-being -5 items", "3-5°C, -v, well-being -5 items"),
        (
            "approximately_signs",
            "~5 people, around ~10, ~/.bashrc",
            "about 5 people, around 10, ~/.bashrc",
        ),
        (
            "number_signs",
            "No. 1 hit, the no.5 bus, No. Never",
            "number 1 hit, the number 5 bus, No. Never",
        ),
        (
            "versions",
            "v2.0 and version 3.11 (3.11.2)",
            "version two point zero and version three point eleven (three point eleven point two)",
        ),
        ("versions", "3.5 kg", "3.5 kg"),
        ("slash_lists", "the write/compile/test loop", "the write, compile, test loop"),
        ("for_example", "e.g., a late text", "for example, a late text"),
        ("that_is", "i.e. the night", "that is the night"),
        ("et_al", "Smith et al. found", "Smith and colleagues found"),
        ("et_al", "said Smith et al. Then", "said Smith and colleagues. Then"),
        ("et_cetera", "tea, etc. and more", "tea, et cetera and more"),
        ("et_cetera", "tea, etc.", "tea, et cetera."),
        ("versus", "tea vs. coffee vs milk", "tea versus coffee versus milk"),
        ("approximately", "approx. 5", "approximately 5"),
        ("titles", "Dr. Smith and Dr Jones", "Doctor Smith and Doctor Jones"),
        ("titles", "Mr. and Mrs. Lee, Ms. Ray", "Mister and Missus Lee, Miz Ray"),
        ("titles", "MS is not Ms", "MS is not Ms"),
        ("arrows", "stress → cortisol -> sleep", "stress leads to cortisol leads to sleep"),
        ("ampersand", "Tea & biscuits", "Tea and biscuits"),
        ("iso_dates", "on 2024-03-01", "on March 1th, 2024"),
        (
            "day_month_years",
            "on 22-Nov-2019, 5/Sep/2021",
            "on November 22th, 2019, September 5th, 2021",
        ),
        ("day_month_years", "3-Mar-21, May-2020, 22-Foo-2019", "3-Mar-21, May-2020, 22-Foo-2019"),
        (
            "emergency_numbers",
            "Call 911, dial 999, dialled 112; the 911 call, a 999 operator",
            "Call nine one one, dial nine nine nine, dialled one one two; the nine one one call,"
            " a nine nine nine operator",
        ),
        (
            "emergency_numbers",
            "911 people, in 911 AD, called 112 times",
            "911 people, in 911 AD, called 112 times",
        ),
        (
            "toll_free",
            "1-800-FLOWERS, a 1-800 number",
            "one eight zero zero FLOWERS, a one eight zero zero number",
        ),
        ("toll_free", "1-800-555-1234, 1-80", "1-800-555-1234, 1-80"),
        (
            "letter_numbers",
            "The B-52s, an AK-47, F-117, I-95",
            "The B fifty twos, an AK forty seven, F one seventeen, I ninety five",
        ),
        ("letter_numbers", "COVID-19, bpo-3439, 3-5, K-pop", "COVID-19, bpo-3439, 3-5, K-pop"),
        (
            "models",
            "Boeing 737-800, an A320-200, Boeing 747-400s, 777-300ER",
            "Boeing seven thirty seven eight hundred, an A three twenty two hundred,"
            " Boeing seven forty seven four hundreds, 777-300ER",
        ),
        (
            "models",
            "Between 300-400, Pages 100-200, AD 800-900, pages 30-45, Boeing 1990-2000",
            "Between 300-400, Pages 100-200, AD 800-900, pages 30-45, Boeing 1990-2000",
        ),
        (
            "models",
            "Boeing 787-9, Sigma 150-600 mm, Heat 110-99",
            "Boeing seven eighty seven nine, Sigma 150-600 mm, Heat 110-99",
        ),
        ("time_ranges", "9am-5pm, 9:30 a.m. – 5 p.m.", "9am to 5pm, 9:30 a.m. to 5 p.m."),
        (
            "time_seconds",
            "16:37:54, 07:00:47 and 2:03:45, 1:01:01",
            "16:37 and 54 seconds, 7 o'clock and 47 seconds and 2 hours 3 minutes and 45 seconds,"
            " 1 hour 1 minute and 1 second",
        ),
        ("time_seconds", "7:19:21 UTC, 12:30", "7:19 and 21 seconds UTC, 12:30"),
        (
            "time_seconds",
            "at 11:59:59 p.m. on it, 1:02:03 pm. Then",
            "at 11:59 p.m and 59 seconds on it, 1:02 pm and 3 seconds. Then",
        ),
        ("phones", "(555) 123-4567", "five five five, one two three, four five six seven"),
        ("phones", "(2019) 123-45, 555-1234", "(2019) 123-45, 555-1234"),
        (
            "letter_models",
            "the A380, Nikon D750, the A303, F150s",
            "the A three eighty, Nikon D seven fifty, the A three oh three, F one fifties",
        ),
        ("letter_models", "A320neo, X100V, MP3, G20, ABC123", "A320neo, X100V, MP3, G20, ABC123"),
        ("ratios", "a 3:1 ratio, 1:1, 16:9", "a 3 to 1 ratio, 1 to 1, 16 to 9"),
        ("ratios", "John 3:1, 10:30, 1:2:3", "John 3:1, 10:30, 1:2:3"),
        (
            "leading_zeros",
            "02139, 01632 and 007",
            "zero two one three nine, zero one six three two and zero zero seven",
        ),
        ("leading_zeros", "01, 0, 0755, 2.05, 10:05, 1/05", "01, 0, 0755, 2.05, 10:05, 1/05"),
        ("ranges", "3–5 minutes, 3-5, 10 - 20", "3 to 5 minutes, 3 to 5, 10 to 20"),
        ("ranges", "COVID-19", "COVID-19"),
        ("time_12h", "at 4 PM on a Tuesday", "at four P M on a Tuesday"),
        (
            "time_12h",
            "at 4pm, 9:30 p.m. Then 7:05am",
            "at four P M, nine thirty P M. Then seven oh five A M",
        ),
        (
            "time_12h",
            "at 9.30 pm, 11.45am, 2.5 m",
            "at nine thirty P M, eleven forty five A M, 2.5 m",
        ),
        (
            "time_24h",
            "21:15 or 09:00 or 7:00",
            "twenty one fifteen or nine hundred or seven o'clock",
        ),
        ("money", "$5, $1, £10.50, €3", "five dollars, one dollar, ten pounds fifty, three euros"),
        ("money", "$2m and $1,500", "two million dollars and one thousand five hundred dollars"),
        (
            "money",
            "$1.5 million, £2.25bn, $1.125, $1.50",
            "one point five million dollars, two point two five billion pounds,"
            " one point one two five dollars, one dollar fifty",
        ),
        (
            "money",
            "a $5 fee, the $70 million yacht; it costs $5, the $5 he paid",
            "a five dollar fee, the seventy million dollar yacht; it costs five dollars,"
            " the five dollars he paid",
        ),
        ("hex_numbers", "code 0x1F4A, 0xff", "code hex one F four A, hex F F"),
        ("hex_numbers", "0x1.8p+3", "hex one point eight times two to the power of 3"),
        (
            "hashes",
            "commit a7f3c9e2, not 2024, deadbeef or MP3",
            "commit A seven F three C nine E two, not 2024, deadbeef or MP3",
        ),
        (
            "scientific",
            "1e-5 and 2.5E10",
            "1 times ten to the power of minus 5 and 2.5 times ten to the power of 10",
        ),
        (
            "powers",
            "2**15, 10^6, x^2 and 2 ** -3",
            "2 to the power of 15, 10 to the power of 6, x to the power of 2 and"
            " 2 to the power of minus 3",
        ),
        ("powers", "a **bold** word, f(**kw)", "a **bold** word, f(**kw)"),
        (
            "issues",
            "bpo-3439, PEP 372, RFC 7159, issue 53094, gh-1580",
            "B P O thirty four thirty nine, PEP three seventy two, RFC seventy one fifty nine,"
            " issue five three zero nine four, G H fifteen eighty",
        ),
        (
            "issues",
            "CVE-2021-44228, PEP 8, to issue 250 shares",
            "CVE twenty twenty one four four two two eight, PEP eight, to issue 250 shares",
        ),
        ("matchups", "5v5s and a 3x3 grid", "five versus fives and a three by three grid"),
        ("matchups", "a 2×2 grid", "a two by two grid"),
        ("options", "Use --sort-keys or -v.", "Use dash dash sort keys or dash v."),
        ("options", "well-being, -inf, ready -- go", "well-being, -inf, ready -- go"),
        (
            "comparisons",
            "x >= 3 and y != 2, a == b, 1 < 2",
            "x greater than or equal to 3 and y not equal to 2, a equals b, 1 less than 2",
        ),
        ("comparisons", "Settings > Privacy, <div>", "Settings > Privacy, <div>"),
        (
            "paths",
            "Lib/json/__init__.py, /usr/bin, ~/.bashrc and Lib/json/",
            "Lib slash json slash __init__ dot py, slash usr slash bin, tilde slash dot bashrc"
            " and Lib slash json slash",
        ),
        ("paths", "and/or km/h 1/2/2026 TCP/IP", "and/or km/h 1/2/2026 TCP/IP"),
        ("dunders", "the __init__ method", "the dunder init method"),
        (
            "acronym_slashes",
            "TCP/IP, HTTP/2, I/O, N/A, A/3",
            "TCP IP, HTTP 2, I O, not applicable, A/3",
        ),
        ("acronym_slashes", "Apache/2.4.7 and nginx/1.18.0", "Apache 2.4.7 and nginx 1.18.0"),
        (
            "dotted_names",
            "os.path.join, setup.py, but U.S. and 2.5",
            "os dot path dot join, setup dot py, but U.S. and 2.5",
        ),
        (
            "dotted_names",
            "a visit.The end; decimal.Decimal, with .env",
            "a visit. The end; decimal dot Decimal, with dot env",
        ),
        (
            "number_chains",
            "a 3-2-1 countdown, 555-123-1234, 25-12-2024",
            "a 3 2 1 countdown, five five five one two three one two three four, 25 12 2024",
        ),
        (
            "product_versions",
            "Python 3.11, Py3.1, Ubuntu 22.04",
            "Python three point eleven, Py three point one, Ubuntu twenty two point zero four",
        ),
        ("product_versions", "About 2.25 kg", "About 2.25 kg"),
        ("product_versions", "CPU u13.47 s1.11", "CPU u 13.47 s 1.11"),
        ("percent", "70% of couples, 15 %", "70 percent of couples, 15 percent"),
        (
            "degrees",
            "20°C and 5 °F and 90°",
            "20 degrees Celsius and 5 degrees Fahrenheit and 90 degrees",
        ),
        ("units", "1 min, 10 mins, 2hrs, 30 sec", "1 minute, 10 minutes, 2 hours, 30 seconds"),
        ("units", "the min value", "the min value"),
        ("plus", "50+ studies, A + B, C++", "50 plus studies, A plus B, C++"),
        ("equals", "a = b", "a equals b"),
        ("slash", "and/or his/her 24/7 km/h", "and or his or her 24 7 km/h"),
        ("dash_pauses", "warm — calm – ready -- go", "warm, calm, ready, go"),
        ("dash_pauses", "well-being", "well-being"),
        ("ellipsis", "wait… what . . . now", "wait... what ... now"),
        ("decades", "the 1980s, 90s and '60s", "the nineteen eighties, nineties and sixties"),
        (
            "ordinals",
            "1st 2nd 3rd 21st 12th 100th",
            "first second third twenty first twelfth one hundredth",
        ),
        (
            "decimals",
            "2.5 and 0.05 and 1,200.5",
            "two point five and zero point zero five and one thousand two hundred point five",
        ),
        ("thousands", "1,200 and 1,000,000", "one thousand two hundred and one million"),
        (
            "years",
            "1988, 1905, 1900, 2007, 2014",
            "nineteen eighty eight, nineteen oh five, nineteen hundred, "
            "two thousand seven, twenty fourteen",
        ),
        ("years", "3000 and 999", "3000 and 999"),
        ("glued_digits", "MP3 3D", "MP 3 3 D"),
        ("integers", "70 and COVID-19", "seventy and COVID-nineteen"),
        ("empty_brackets", "see ( ) now", "see now"),
        ("paragraph_breaks", "one \n \n\n two", "one\n\ntwo"),
        ("line_breaks", "one \n two", "one two"),
        ("whitespace", "a  \t b", "a b"),
        ("space_before_punctuation", "see . ( a )", "see. (a)"),
        ("doubled_commas", "a, , b", "a, b"),
        ("comma_before_stop", "a, .", "a."),
        ("dangling_commas", ", a, ", "a"),
    ],
)
def test_each_rule(name: str, written: str, spoken: str) -> None:
    assert BY_NAME[name].apply(written) == spoken


def test_every_rule_is_tested_and_named_once() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    tested = {case[0] for case in test_each_rule.pytestmark[0].args[1]}  # type: ignore[attr-defined]
    assert tested == set(names)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("links", "integers"),
        ("parenthetical_citation", "et_al"),
        ("parenthetical_citation", "ampersand"),
        ("arrows", "equals"),
        ("arrows", "dash_pauses"),
        ("ranges", "time_12h"),
        ("ranges", "dash_pauses"),
        ("time_12h", "integers"),
        ("time_24h", "integers"),
        ("money", "decimals"),
        ("measures", "decimals"),
        ("fractions", "slash"),
        ("versions", "decimals"),
        ("slash_lists", "slash"),
        ("percent", "integers"),
        ("ordinals", "glued_digits"),
        ("decimals", "thousands"),
        ("thousands", "years"),
        ("years", "integers"),
        ("glued_digits", "integers"),
        ("indexes", "footnote_brackets"),
        ("for_example", "dotted_names"),
        ("hex_numbers", "matchups"),
        ("hashes", "glued_digits"),
        ("scientific", "ranges"),
        ("powers", "integers"),
        ("issues", "ranges"),
        ("options", "dash_pauses"),
        ("comparisons", "equals"),
        ("paths", "dunders"),
        ("paths", "slash_lists"),
        ("paths", "dotted_names"),
        ("acronym_slashes", "slash"),
        ("iso_dates", "number_chains"),
        ("number_chains", "ranges"),
        ("versions", "product_versions"),
        ("product_versions", "decimals"),
        ("issues", "letter_numbers"),
        ("day_month_years", "ordinals"),
        ("day_month_years", "number_chains"),
        ("letter_numbers", "ranges"),
        ("emergency_numbers", "integers"),
        ("toll_free", "ranges"),
        ("number_chains", "models"),
        ("phones", "ranges"),
        ("models", "letter_models"),
        ("letter_models", "glued_digits"),
        ("time_24h", "ratios"),
        ("decimals", "leading_zeros"),
        ("leading_zeros", "years"),
        ("models", "ranges"),
        ("time_ranges", "time_12h"),
        ("time_seconds", "time_24h"),
        ("ranges", "negatives"),
        ("matchups", "multipliers"),
        ("multipliers", "decimals"),
        ("mixed_numbers", "fractions"),
        ("ratings", "fractions"),
        ("fractions", "number_slashes"),
        ("paths", "number_slashes"),
        ("paths", "approximately_signs"),
    ],
)
def test_order(before: str, after: str) -> None:
    names = [rule.name for rule in RULES]
    assert names.index(before) < names.index(after)


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("try it for 3–5 minutes", "try it for three to five minutes"),
        ("70% of couples", "seventy percent of couples"),
        ("from 6 months to 2 years", "from six months to two years"),
        ("Glass (2007) found", "Glass, in two thousand seven, found"),
        (
            "They were calmer (Coan et al., 2006).",
            "They were calmer, as Coan and colleagues found in two thousand six.",
        ),
        (
            "Breathing slowly helps (Lehrer & Gevirtz, 2014).",
            "Breathing slowly helps, as Lehrer and Gevirtz found in twenty fourteen.",
        ),
        ("at 4 PM on a Tuesday", "at four P M on a Tuesday"),
        ("small things, e.g., a late text", "small things, for example, a late text"),
        ("tea vs. coffee", "tea versus coffee"),
        ("Dr. Smith said", "Doctor Smith said"),
        ("after COVID-19", "after COVID-nineteen"),
        ("1,200 people", "one thousand two hundred people"),
        ("2.5 times", "two point five times"),
        ("the 21st night", "the twenty first night"),
        ("only $5", "only five dollars"),
        ("stress → cortisol", "stress leads to cortisol"),
        ("✨ zero spam ✨", "zero spam"),
        ("as shown[3] before", "as shown before"),
        ("read https://example.com/x now", "read now"),
        ("see https://example.com/x.", "see."),
        ("it’s 20°C — warm… “nice”", 'it\'s twenty degrees Celsius, warm... "nice"'),
        ("a 10–20% drop at 9:30 PM.", "a ten to twenty percent drop at nine thirty P M."),
        ("3-5 min, 2 hrs", "three to five minutes, two hours"),
        ("play the MP3", "play the MP three"),
        ("an idea (see www.example.org) here", "an idea (see) here"),
        ("one\n\n\ntwo\nthree", "one\n\ntwo three"),
        (
            "About 1/3 of it goes to write/compile/test at 16 kHz on 2 GB, as of v3.11.2.",
            "About one third of it goes to write, compile, test at sixteen kilohertz on two"
            " gigabytes, as of version three point eleven point two.",
        ),
    ],
)
def test_speakable(written: str, spoken: str) -> None:
    assert speakable(written) == spoken


def test_lexicon_is_applied_before_the_rules() -> None:
    lexicon = Lexicon({"HPA": "H P A", "dB": "decibels 2"})
    assert speakable("the HPA axis at 60 dB", lexicon) == "the H P A axis at sixty decibels two"
    assert speakable("the HPA axis") == "the HPA axis"


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "first"),
        (2, "second"),
        (3, "third"),
        (5, "fifth"),
        (9, "ninth"),
        (12, "twelfth"),
        (20, "twentieth"),
        (21, "twenty first"),
        (100, "one hundredth"),
        (1000, "one thousandth"),
    ],
)
def test_ordinal_words(n: int, words: str) -> None:
    assert ordinal_words(n) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1988, "nineteen eighty eight"),
        (1100, "eleven hundred"),
        (1905, "nineteen oh five"),
        (2000, "two thousand"),
        (2009, "two thousand nine"),
        (2010, "twenty ten"),
        (2099, "twenty ninety nine"),
        (1099, "one thousand ninety nine"),
    ],
)
def test_year_words(n: int, words: str) -> None:
    assert year_words(n) == words
