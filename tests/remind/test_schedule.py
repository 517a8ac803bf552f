"""Times and days as people type them, and as each scheduler writes them."""

from __future__ import annotations

import pytest

from audio_companion.errors import InputError
from audio_companion.remind.schedule import ClockTime, Days, Reminder, parse_partners


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [("21:30", 21, 30), ("07:05", 7, 5), ("7:05", 7, 5), ("00:00", 0, 0), (" 23:59 ", 23, 59)],
)
def test_times_on_the_24_hour_clock(text: str, hour: int, minute: int) -> None:
    time = ClockTime.parse(text)
    assert (time.hour, time.minute) == (hour, minute)
    assert str(time) == f"{hour:02d}:{minute:02d}"


@pytest.mark.parametrize("text", ["24:00", "21:60", "9pm", "21.30", "2130", "21:3", "", "-1:30"])
def test_a_time_that_is_not_hh_mm_names_the_form(text: str) -> None:
    with pytest.raises(InputError, match="HH:MM on the 24-hour clock") as caught:
        ClockTime.parse(text)
    assert repr(text) in str(caught.value)


@pytest.mark.parametrize(
    ("spec", "weekdays", "label", "systemd", "cron"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}, "mon-fri", "Mon..Fri", "1-5"),
        ("weekdays", {0, 1, 2, 3, 4}, "mon-fri", "Mon..Fri", "1-5"),
        ("daily", set(range(7)), "daily", "", "*"),
        ("mon-sun", set(range(7)), "daily", "", "*"),
        ("sat,sun", {5, 6}, "sat,sun", "Sat,Sun", "0,6"),
        ("weekends", {5, 6}, "sat,sun", "Sat,Sun", "0,6"),
        ("Sunday", {6}, "sun", "Sun", "0"),
        ("MON, Wed ,fri", {0, 2, 4}, "mon,wed,fri", "Mon,Wed,Fri", "1,3,5"),
        ("mon-wed,fri", {0, 1, 2, 4}, "mon-wed,fri", "Mon..Wed,Fri", "1-3,5"),
        ("fri-mon", {4, 5, 6, 0}, "mon,fri-sun", "Mon,Fri..Sun", "0,1,5,6"),
        ("sat-mon", {5, 6, 0}, "mon,sat,sun", "Mon,Sat,Sun", "0,1,6"),
        ("thu-tue", {3, 4, 5, 6, 0, 1}, "mon,tue,thu-sun", "Mon,Tue,Thu..Sun", "0-2,4-6"),
        ("tue", {1}, "tue", "Tue", "2"),
        ("tue-tue", {1}, "tue", "Tue", "2"),
        ("weekdays,sat", {0, 1, 2, 3, 4, 5}, "mon-sat", "Mon..Sat", "1-6"),
    ],
)
def test_days_grammar_and_each_schedulers_spelling(
    spec: str, weekdays: set[int], label: str, systemd: str, cron: str
) -> None:
    days = Days.parse(spec)
    assert days.weekdays == frozenset(weekdays)
    assert days.label() == label
    assert days.systemd() == systemd
    assert days.cron() == cron
    assert Days.parse(label) == days  # the label reads back as the same days


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        ("mno", "'mno' is not a day"),
        ("mon-fir", "'fir' is not a day (in 'mon-fir')"),
        ("mon,,fri", "empty item"),
        ("", "--days is empty"),
        ("mon-", "'mon-' is not a range"),
        ("mon-wed-fri", "'mon-wed-fri' is not a range"),
        ("1-5", "'1' is not a day"),
    ],
)
def test_bad_days_name_what_was_wrong(spec: str, named: str) -> None:
    with pytest.raises(InputError) as caught:
        Days.parse(spec)
    message = str(caught.value)
    assert named in message
    assert "mon-fri" in message  # and show the form to use


def test_partners_are_read_as_the_checkin_reads_them() -> None:
    assert parse_partners("Sam, Alex") == ("Sam", "Alex")
    assert parse_partners(" Zoë ,, O'Brien ") == ("Zoë", "O'Brien")
    assert parse_partners(None) == ()
    with pytest.raises(InputError, match="control character"):
        parse_partners("Sam\nOnCalendar=*:*")


def test_a_reminder_refuses_what_would_break_a_unit_file_or_crontab() -> None:
    at, days = ClockTime(21, 30), Days.parse("daily")
    with pytest.raises(InputError, match="control character"):
        Reminder("1", at, days, "nightly\nExecStart=/bin/sh")
    with pytest.raises(InputError, match="not a reminder id"):
        Reminder("1 2", at, days)
    with pytest.raises(InputError, match="is empty"):
        Reminder("1", at, days, " ")
    with pytest.raises(InputError, match="not one name"):
        Reminder("1", at, days, partners=("Sam,Alex",))


def test_describe_and_sameness() -> None:
    one = Reminder("1", ClockTime(21, 30), Days.parse("mon-fri"), "nightly", ("Sam", "Alex", "Jo"))
    assert one.describe() == "21:30 mon-fri, deck nightly, for Sam, Alex and Jo"
    again = Reminder(
        "7", ClockTime(21, 30), Days.parse("weekdays"), "nightly", ("Sam", "Alex", "Jo")
    )
    assert one.same_as(again) and one != again
    other = Reminder(
        "7", ClockTime(21, 31), Days.parse("weekdays"), "nightly", ("Sam", "Alex", "Jo")
    )
    assert not one.same_as(other)
