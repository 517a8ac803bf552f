"""Technical and documentation text read as a narrator would, and prose that must not be.

The whole table of `normalise.RULES` with the bundled lexicon: what a listener hears.
"""

from __future__ import annotations

import pytest

from audio_companion.narration.lexicon import bundled_lexicon
from audio_companion.narration.normalise import speakable
from audio_companion.narration.technical import id_words


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("He bought a $70 million yacht.", "He bought a seventy million dollar yacht."),
        ("a $5 fee", "a five dollar fee"),
        ("It costs $5.", "It costs five dollars."),
        ("Python 3.11 and version 2.7", "Python three point eleven and version two point seven"),
        ("Py3.1", "Py three point one"),
        ("iOS 17.2", "iOS seventeen point two"),
        ("Python 3", "Python three"),
        ("Ubuntu 22.04", "Ubuntu twenty two point zero four"),
        ("The value 2**15 is large.", "The value two to the power of fifteen is large."),
        ("10^6", "ten to the power of six"),
        ("Use --sort-keys to sort.", "Use dash dash sort keys to sort."),
        ("the -v flag", "the dash v flag"),
        ("the '-v' flag", "the 'dash v' flag"),
        ("python -m pip install --upgrade", "python dash m pip install dash dash upgrade"),
        ("Call 1-800-555-1234.", "Call one eight zero zero five five five one two three four."),
        ("GET /secret/ HTTP/1.1", "GET slash secret slash HTTP one point one"),
        ("Apache/2.4.7", "Apache two point four point seven"),
        (
            "See Lib/json/__init__.py for the source.",
            "See Lib slash json slash dunder init dot py for the source.",
        ),
        ("See bpo-3439.", "See B P O thirty four thirty nine."),
        ("PEP 372 and RFC 7159", "PEP three seventy two and RFC seventy one fifty nine"),
        ("Three 5v5s were played.", "Three five versus fives were played."),
        (
            "Product code 0x1F4A and a7f3c9e2.",
            "Product code hex one F four A and A seven F three C nine E two.",
        ),
        ("TCP/IP", "TCP IP"),
        ("in /etc/fonts/conf.d", "in slash E T C slash fonts slash conf dot d"),
        ("pens, paper, etc. and ink", "pens, paper, et cetera and ink"),
        ("Read README.Debian first.", "Read README dot Debian first."),
        ("He left.Then NASA.The end.", "He left. Then NASA. The end."),
        ("HTTP/2", "HTTP two"),
        ("I/O", "I O"),
        ("sys.argv[0]", "sys dot argv index zero"),
        ("json.dumps(obj, indent=4)", "json dot dumps(obj, indent equals four)"),
        ("the __init__ method", "the dunder init method"),
        (
            "x >= 3 and y != 2",
            "x greater than or equal to three and y not equal to two",
        ),
        ("1e-5", "one times ten to the power of minus five"),
        ("a 3-2-1 countdown", "a three two one countdown"),
        ("os.path.join", "os dot path dot join"),
    ],
)
def test_technical_reading(written: str, spoken: str) -> None:
    assert speakable(written, bundled_lexicon()) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("and/or", "and or"),
        ("he/she", "he or she"),
        ("open 24/7", "open twenty four seven"),
        ("1/3 of it", "one third of it"),
        ("on 2024-03-01", "on March first, twenty twenty four"),
        ("at 9:30 p.m. today", "at nine thirty P M today"),
        ("e.g. tea", "for example tea"),
        ("only $5.50 for it", "only five dollars fifty for it"),
        ("He paid $5 for it.", "He paid five dollars for it."),
        ("the $5 he paid", "the five dollars he paid"),
        ("2.5 kg", "two point five kilograms"),
        ("About 2.25 kg", "About two point two five kilograms"),
        ("3-5 minutes", "three to five minutes"),
        ("ready -- go", "ready, go"),
        ("well-being", "well-being"),
        ("the U.S. and a Ph.D.", "the U.S. and a Ph.D."),
        ("In 2019 he left.", "In twenty nineteen he left."),
        ("after COVID-19", "after covid-nineteen"),
        ("to issue 250 shares", "to issue two hundred fifty shares"),
        ("as shown[3] before", "as shown before"),
        ("the write/compile/test loop", "the write, compile, test loop"),
        ("a 10–20% drop", "a ten to twenty percent drop"),
        ("Settings > Privacy", "Settings > Privacy"),
        ("Mr. Smith met Dr Jones", "Mister Smith met Doctor Jones"),
        ("That is a $5 bill.", "That is a five dollar bill."),
        ("on 12-25-2024", "on twelve twenty five twenty twenty four"),
        ("In 2.25 seconds", "In two point two five seconds"),
    ],
)
def test_prose_reads_as_before(written: str, spoken: str) -> None:
    assert speakable(written, bundled_lexicon()) == spoken


@pytest.mark.parametrize(
    ("digits", "words"),
    [
        ("8", "eight"),
        ("372", "three seventy two"),
        ("707", "seven oh seven"),
        ("400", "four hundred"),
        ("3439", "thirty four thirty nine"),
        ("1580", "fifteen eighty"),
        ("3000", "three thousand"),
        ("1900", "nineteen hundred"),
        ("53094", "five three zero nine four"),
        ("0123", "zero one two three"),
    ],
)
def test_id_words(digits: str, words: str) -> None:
    assert id_words(digits) == words
