"""Who a step asks, and the read-back of a couple's appreciations."""

from __future__ import annotations

from audio_companion.checkin.couple import (
    BOTH,
    close_appreciations,
    join,
    people_for,
    read_back,
    spoken_name,
)
from audio_companion.checkin.steps import Step, StepKind
from audio_companion.journal.store import Answer

ASK_EACH = Step("mood", StepKind.MOOD, ("How was it?",))
TOGETHER = Step("plans", StepKind.FREE, ("Plans?",), per_partner=False)
SAY = Step("hello", StepKind.SAY, ("Hello.",))
THANKS = Step("thanks", StepKind.GRATITUDE, ("What do you appreciate?",), count=2)


def _said(partner: str | None, text: str, step: str = "thanks") -> Answer:
    return Answer(partner, step, "gratitude", "p", text, None, None, 0.0, 1.0)


def test_people_for() -> None:
    couple = ("Sam", "Alex")
    assert people_for(ASK_EACH, couple) == ["Sam", "Alex"]
    assert people_for(TOGETHER, couple) == [BOTH]
    assert people_for(TOGETHER, ("Sam",)) == ["Sam"]  # one person is asked by name
    assert people_for(SAY, couple) == [None]
    assert people_for(ASK_EACH, ()) == [None]
    assert spoken_name(BOTH, couple) == "Sam and Alex" and spoken_name("Sam", couple) == "Sam"


def test_join() -> None:
    assert [join([]), join(["a"]), join(["a", "b"]), join(["a", "b", "c"])] == [
        "", "a", "a and b", "a, b and c"
    ]  # fmt: skip


def test_each_partner_hears_what_the_other_noticed() -> None:
    answers = [_said("Sam", "The soup."), _said("Sam", "the rain"), _said("Alex", "Your laugh!")]
    assert read_back(answers, ("Sam", "Alex"), THANKS) == (
        "Sam, Alex noticed Your laugh. Alex, Sam noticed The soup and the rain."
    )


def test_no_read_back_with_one_list_one_partner_or_when_turned_off() -> None:
    sam_only = [_said("Sam", "the soup")]
    assert read_back(sam_only, ("Sam", "Alex"), THANKS) == ""
    assert read_back([_said("Sam", "a"), _said("Alex", "b")], ("Sam",), THANKS) == ""
    off = Step("thanks", StepKind.GRATITUDE, ("?",), read_back=False)
    assert read_back([_said("Sam", "a"), _said("Alex", "b")], ("Sam", "Alex"), off) == ""
    other_step = [_said("Sam", "a", step="earlier"), _said("Alex", "b", step="earlier")]
    assert read_back(other_step, ("Sam", "Alex"), THANKS) == ""


def test_close_appreciations() -> None:
    answers = [_said("Sam", "the soup"), _said(BOTH, "the walk"), _said("Alex", "the tea")]
    assert close_appreciations(answers, ("Sam", "Alex")) == (
        "Sam, you appreciated the soup; Alex, you appreciated the tea; "
        "together you appreciated the walk"
    )
    assert close_appreciations([_said(None, "the soup")], ()) == "the soup"
    assert close_appreciations([], ()) == "the small things of today"
