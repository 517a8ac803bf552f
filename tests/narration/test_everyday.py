"""Everyday number shapes read as people say them, and the prose next to them unchanged.

The whole table of `normalise.RULES` with the bundled lexicon: what a listener hears.
"""

from __future__ import annotations

import pytest

from audio_companion.narration.lexicon import bundled_lexicon
from audio_companion.narration.normalise import speakable
from audio_companion.numbers import digit_words, plural_words


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # dialled, not counted
        ("Call 911 now.", "Call nine one one now."),
        ("Dial 999 for help.", "Dial nine nine nine for help."),
        ("In Europe, dial 112.", "In Europe, dial one one two."),
        ("She called 911 twice.", "She called nine one one twice."),
        ("The 911 call came at noon.", "The nine one one call came at noon."),
        ("a 911 operator", "a nine one one operator"),
        (
            "Call (555) 123-4567 or 911 in an emergency.",
            "Call five five five, one two three, four five six seven or nine one one in an"
            " emergency.",
        ),
        ("Boston, MA 02139", "Boston, MA zero two one three nine"),
        ("agent 007", "agent zero zero seven"),
        ("Call 1-800-FLOWERS.", "Call one eight zero zero FLOWERS."),
        ("a 1-800 number", "a one eight zero zero number"),
        # British time with a dot, as "9:30 pm" is read
        ("We met at 9.30 pm.", "We met at nine thirty P M."),
        ("We met at 9.30pm.", "We met at nine thirty P M."),
        ("at 9.30 p.m. today", "at nine thirty P M today"),
        ("at 11.45 am", "at eleven forty five A M"),
        # splits and ratings
        ("It was a 50/50 chance.", "It was a fifty fifty chance."),
        ("a 60/40 split", "a sixty forty split"),
        ("Rated 4.5/5.", "Rated four point five out of five."),
        ("5.0/5 stars", "five point zero out of five stars"),
        ("5/5 stars", "five out of five stars"),
        ("He scored 8/10.", "He scored eight out of ten."),
        ("He scored 10/10.", "He scored ten out of ten."),
        ("rated 92/100", "rated ninety two out of one hundred"),
        ("rated 4/5 by critics", "rated four out of five by critics"),
        ("the 9/11 attacks", "the nine eleven attacks"),
        ("the 2019/20 season", "the twenty nineteen twenty season"),
        # models and coded names
        ("Boeing 737-800", "Boeing seven thirty seven eight hundred"),
        ("an Airbus A320-200", "an Airbus A three twenty two hundred"),
        ("Boeing 777-300ER", "Boeing seven seventy seven three hundred E R"),
        (
            "Airbus A380 and Boeing 787-9",
            "Airbus A three eighty and Boeing seven eighty seven nine",
        ),
        ("Nikon D750", "Nikon D seven fifty"),
        ("The ratio was 3:1.", "The ratio was three to one."),
        ("a 1:1 meeting", "a one to one meeting"),
        ("The B-52s played.", "The B fifty twos played."),
        ("a B-52 bomber", "a B fifty two bomber"),
        ("an F-16 jet", "an F sixteen jet"),
        ("an AK-47 rifle", "an AK forty seven rifle"),
        ("I-95 was closed.", "I ninety five was closed."),
        # multipliers
        ("a 2x speedup", "a two times speedup"),
        ("10x faster", "ten times faster"),
        ("1.5x faster", "one point five times faster"),
        ("2× faster", "two times faster"),
        ("a 2×2 grid", "a two by two grid"),
        # times
        ("at 16:37:54 UTC", "at sixteen thirty seven and fifty four seconds UTC"),
        ("at 07:00:47 UTC", "at seven o'clock and forty seven seconds UTC"),
        ("It ended at 11:59:59 p.m.", "It ended at eleven fifty nine P M and fifty nine seconds."),
        (
            "At 11:59:59 pm on Dec. 31",
            "At eleven fifty nine P M and fifty nine seconds on Dec. thirty one",
        ),
        ("finished in 2:03:45", "finished in two hours three minutes and forty five seconds"),
        ("ran for 45:12:33", "ran for forty five hours twelve minutes and thirty three seconds"),
        ("Friday, 22-Nov-2019", "Friday, November twenty second, twenty nineteen"),
        ("open 9am-5pm", "open nine A M to five P M"),
        ("open 9am–5pm daily", "open nine A M to five P M daily"),
        # amounts and signs
        ("$1.5 million", "one point five million dollars"),
        ("a $1.5 million yacht", "a one point five million dollar yacht"),
        ("a £2.25bn deal", "a two point two five billion pound deal"),
        ("winds of 23 mph", "winds of twenty three miles per hour"),
        ("at 100 km/h", "at one hundred kilometers per hour"),
        ("3 1/2 cups", "three and a half cups"),
        ("a 3/16 inch drill", "a three sixteenths inch drill"),
        ("2 3/4 miles", "two and three quarters miles"),
        ("about ~5 people", "about five people"),
        ("~5 people", "about five people"),
        ("it was -5°C", "it was minus five degrees Celsius"),
        ("down −3% today", "down minus three percent today"),
        ("a No. 1 hit", "a number one hit"),
        ("a 1080p screen", "a ten eighty p screen"),
    ],
)
def test_everyday_reading(written: str, spoken: str) -> None:
    assert speakable(written, bundled_lexicon()) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # counts stay counts
        ("911 people came.", "nine hundred eleven people came."),
        ("In 911 AD.", "In nine hundred eleven AD."),
        ("The function was called 112 times.", "The function was called one hundred twelve times."),
        ("Call 1-800-555-1234.", "Call one eight zero zero five five five one two three four."),
        # ranges stay ranges
        ("10-15 minutes", "ten to fifteen minutes"),
        ("pages 30-45", "pages thirty to forty five"),
        ("1990-1995", "nineteen ninety to nineteen ninety five"),
        ("3-5", "three to five"),
        ("Between 300-400 people came.", "Between three hundred to four hundred people came."),
        ("From 100-200 meters", "From one hundred to two hundred meters"),
        (
            "the 737-800 and 747-400",
            "the seven hundred thirty seven to eight hundred and seven"
            " hundred forty seven to four hundred",
        ),
        ("The score was 3-2.", "The score was three to two."),
        ("3-5°C", "three to five degrees Celsius"),
        ("a 10–20% drop", "a ten to twenty percent drop"),
        # fractions, dates, times
        ("open 24/7", "open twenty four seven"),
        ("1/3 of it", "one third of it"),
        ("3/4 of a cup", "three quarters of a cup"),
        ("4/5 of people", "four fifths of people"),
        ("on 3/4/2021", "on three four twenty twenty one"),
        ("on 12-25-2024", "on twelve twenty five twenty twenty four"),
        ("on 2024-03-01", "on March first, twenty twenty four"),
        ("We met at 9:30 pm.", "We met at nine thirty P M."),
        ("at 21:15", "at twenty one fifteen"),
        ("It cost 9.30 today.", "It cost nine point three zero today."),
        ("2.5 m away", "two point five m away"),
        # money, versions, codes
        ("only $5.50 for it", "only five dollars fifty for it"),
        ("$1.50 each", "one dollar fifty each"),
        ("$2m", "two million dollars"),
        ("a $70 million yacht", "a seventy million dollar yacht"),
        ("Python 3.11 and version 2.7", "Python three point eleven and version two point seven"),
        ("as of v3.11.2", "as of version three point eleven point two"),
        ("after COVID-19", "after covid-nineteen"),
        ("See bpo-3439.", "See B P O thirty four thirty nine."),
        ("4x4 truck", "four by four truck"),
        ("a 2x2 matrix", "a two by two matrix"),
        ("3x + 2 = 11", "three x plus two equals eleven"),
        ("0x1F4A", "hex one F four A"),
        ("well-being", "well-being"),
        ("a K-pop star", "a K-pop star"),
        ("see ~/.bashrc", "see tilde slash dot bashrc"),
        ("No one came.", "No one came."),
        ("I said no. 2 days later", "I said no. two days later"),
        ("Porsche 911 service", "Porsche nine hundred eleven service"),
        ("Chapter 100-200", "Chapter one hundred to two hundred"),
        ("The Heat won 110-99.", "The Heat won one hundred ten to ninety nine."),
        ("Sigma 150-600 mm", "Sigma one hundred fifty to six hundred millimeters"),
        ("the A320neo", "the A three hundred twenty neo"),
        ("John 3:16 and John 3:1", "John three sixteen and John three:one"),
        ("0.05 and 2.05", "zero point zero five and two point zero five"),
        ("folders are created 0700", "folders are created seven hundred"),
        ("at 10:05", "at ten oh five"),
        ("a 3 x 4 grid", "a three x four grid"),
        ("got 1/10 of votes", "got one tenth of votes"),
        ("£9.50 pm", "nine pounds fifty pm"),
    ],
)
def test_nearby_prose_reads_as_before(written: str, spoken: str) -> None:
    assert speakable(written, bundled_lexicon()) == spoken


def test_digit_and_plural_words() -> None:
    assert digit_words("911") == "nine one one"
    assert [plural_words(w) for w in ("fifty two", "twenty", "six")] == [
        "fifty twos",
        "twenties",
        "sixes",
    ]
