"""The resonance protocol: its plan, answers as comfort, the chosen pace, the sensor hook."""

from __future__ import annotations

import pytest

from audio_companion.breathing.errors import BreathingError
from audio_companion.breathing.resonance import (
    PROTOCOL,
    HrvSource,
    PlanStep,
    Reply,
    ResonanceProtocol,
    StepResult,
    choose,
    comfort_from,
    stepped_plan,
)

WALL = 1_750_000_000.0


class Clock:
    """Monotonic seconds that move only when told."""

    def __init__(self, t: float = 500.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def protocol(clock: Clock | None = None, sensor: HrvSource | None = None) -> ResonanceProtocol:
    return ResonanceProtocol(stepped_plan(), clock or Clock(), lambda: WALL, sensor)


def breathe(p: ResonanceProtocol, clock: Clock) -> PlanStep:
    step = p.start_step()
    clock.t += step.breaths * step.pattern.cycle_seconds
    p.end_step()
    return step


# ------------------------------------------------------------------------- the plan


def test_the_default_plan_is_6_5_down_to_4_5_in_half_steps_of_two_minutes() -> None:
    plan = stepped_plan()
    assert [s.breaths_per_minute for s in plan.steps] == [6.5, 6.0, 5.5, 5.0, 4.5]
    assert [s.number for s in plan.steps] == [1, 2, 3, 4, 5]
    assert {s.seconds for s in plan.steps} == {120.0}
    assert plan.protocol == PROTOCOL


def test_each_step_is_whole_breaths_close_to_two_minutes_at_its_pace() -> None:
    for step in stepped_plan().steps:
        pattern = step.pattern
        assert [p.kind for p in pattern.phases] == ["in", "out"]
        assert pattern.phases[0].seconds == pattern.phases[1].seconds
        assert abs(pattern.breaths_per_minute - step.breaths_per_minute) < 0.05
        assert abs(step.breaths * pattern.cycle_seconds - 120.0) <= pattern.cycle_seconds / 2
    assert [s.breaths for s in stepped_plan().steps] == [13, 12, 11, 10, 9]
    assert 590 < stepped_plan().seconds < 610


def test_a_plan_can_climb_too_and_bad_plans_are_one_clear_error() -> None:
    assert [s.breaths_per_minute for s in stepped_plan(5.0, 6.0, 0.5, 60).steps] == [5, 5.5, 6]
    with pytest.raises(BreathingError, match="whole number"):
        stepped_plan(6.5, 4.5, 0.75)
    with pytest.raises(BreathingError, match="above 0"):
        stepped_plan(6.5, 0, 0.5)


# ------------------------------------------------------------------------ comfort


@pytest.mark.parametrize(
    ("text", "number", "previous", "comfort"),
    [
        ("four", 4, None, 4),
        ("I'd say a five", 5, 2, 5),
        ("seven", 7, None, None),  # off the 1..5 scale
        ("easier", None, 3, 4),
        ("that was easier", None, 5, 5),  # kept on the scale
        ("harder", None, 2, 1),
        ("a bit harder", None, 1, 1),
        ("easier", None, None, 4),  # before any rating: one better than neutral
        ("harder", None, None, 2),
        ("easier and harder", None, 3, None),
        ("the weather", None, 3, None),
        ("uneasy", None, 3, None),  # whole words only
    ],
)
def test_answers_become_comfort(
    text: str, number: int | None, previous: int | None, comfort: int | None
) -> None:
    assert comfort_from(text, number, previous) == comfort


# ---------------------------------------------------------------- the state machine


def test_a_whole_run_on_an_injected_clock_chooses_the_most_comfortable_pace() -> None:
    clock = Clock()
    p = protocol(clock)
    replies = [
        Reply("three", 3),
        Reply("easier"),
        Reply("four", 4),
        Reply("harder"),
        Reply("two", 2),
    ]
    for reply in replies:
        breathe(p, clock)
        assert p.asking
        p.answer(reply)
    assert p.state == "done"
    assert [r.comfort for r in p.results] == [3, 4, 4, 3, 2]
    windows = [(r.started, r.ended) for r in p.results]
    assert windows[0][0] == 500.0 and all(b > a for a, b in windows)
    pace = p.result()
    assert pace is not None
    # 6.0 and 5.5 both rated 4: the tie goes to the one nearest the typical 5.45.
    assert (pace.breaths_per_minute, pace.measure, pace.measured_at) == (5.5, "comfort", WALL)
    assert [s.comfort for s in pace.steps] == [3, 4, 4, 3, 2]
    assert [s.heard for s in pace.steps][:2] == ["three", "easier"]
    assert pace.steps[0].seconds == pytest.approx(13 * 2 * 4.6)


def test_an_unclear_answer_is_asked_once_more_then_the_step_stays_unrated() -> None:
    clock = Clock()
    p = protocol(clock)
    breathe(p, clock)
    assert p.answer(Reply("the weather")) is None and p.asking
    assert p.answer(Reply("hmm")) is None and not p.asking
    assert p.results[0].comfort is None and p.results[0].heard == "the weather / hmm"
    breathe(p, clock)
    p.no_answer()
    assert p.results[1].comfort is None and p.state == "ready"


def test_no_rating_at_all_keeps_no_pace() -> None:
    clock = Clock()
    p = protocol(clock)
    while p.state != "done":
        breathe(p, clock)
        p.no_answer()
    assert p.result() is None


def test_a_stop_word_ends_it_and_nothing_is_kept() -> None:
    clock = Clock()
    p = protocol(clock)
    breathe(p, clock)
    p.answer(Reply("five", 5))
    breathe(p, clock)
    p.answer(Reply("stop", stop=True))
    assert p.state == "stopped" and p.result() is None
    with pytest.raises(BreathingError, match="stopped"):
        p.start_step()


def test_events_out_of_order_are_refused() -> None:
    p = protocol()
    with pytest.raises(BreathingError):
        p.end_step()
    with pytest.raises(BreathingError):
        p.answer(Reply("four", 4))


# --------------------------------------------------------------- choosing, the sensor


def result(bpm: float, comfort: int | None, hrv: float | None = None) -> StepResult:
    return StepResult(PlanStep(1, bpm, 120.0), 0.0, 120.0, comfort, hrv, "")


def test_ties_lean_to_the_typical_pace_then_to_the_faster() -> None:
    assert choose((result(6.5, 5), result(4.5, 5))) == (6.5, "comfort")
    assert choose((result(6.0, 4), result(5.0, 4))) == (6.0, "comfort")
    assert choose((result(6.0, 4), result(5.5, 4), result(5.0, 4))) == (5.5, "comfort")
    assert choose((result(6.0, None),)) is None


class FakeSensor:
    """An HRV source: a score per pace, and the windows it was shown."""

    def __init__(self, scores: dict[float, float | None]) -> None:
        self.scores = scores
        self.started: list[tuple[float, float]] = []
        self.windows: list[tuple[float, float, float]] = []

    def step_started(self, step: PlanStep, at: float) -> None:
        self.started.append((step.breaths_per_minute, at))

    def score(self, step: PlanStep, started: float, ended: float) -> float | None:
        self.windows.append((step.breaths_per_minute, started, ended))
        return self.scores.get(step.breaths_per_minute)


def test_a_sensor_scoring_every_step_chooses_and_sees_each_window() -> None:
    clock = Clock()
    sensor = FakeSensor({6.5: 10.0, 6.0: 14.0, 5.5: 12.0, 5.0: 18.0, 4.5: 11.0})
    p = protocol(clock, sensor)
    for _ in range(5):
        breathe(p, clock)
        p.answer(Reply("five", 5) if p.step and p.step.breaths_per_minute == 6.5 else Reply("2", 2))
    pace = p.result()
    assert pace is not None and (pace.breaths_per_minute, pace.measure) == (5.0, "hrv")
    assert [s.hrv for s in pace.steps] == [10.0, 14.0, 12.0, 18.0, 11.0]
    assert [w[1:] for w in sensor.windows] == [(r.started, r.ended) for r in p.results]
    assert [a for _, a in sensor.started] == [r.started for r in p.results]


def test_a_sensor_missing_a_step_leaves_the_choice_to_comfort() -> None:
    clock = Clock()
    p = protocol(clock, FakeSensor({6.5: 10.0}))
    for reply in (Reply("2", 2), Reply("five", 5), Reply("3", 3), Reply("3", 3), Reply("1", 1)):
        breathe(p, clock)
        p.answer(reply)
    pace = p.result()
    assert pace is not None and (pace.breaths_per_minute, pace.measure) == (6.0, "comfort")
