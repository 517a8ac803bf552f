"""The schedule: exact offsets, lengths, and live steering (tempo, pause, stop) on a fake clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from audio_companion.breathing import BUILTINS, Cue, LiveSchedule, parse_pattern, plan
from audio_companion.breathing.schedule import cycle_count, plan_duration

if TYPE_CHECKING:  # the fakes live in this folder's conftest (fixtures)
    from conftest import FakeClock

INTRO = 6.25  # exactly representable, so exact comparisons are fair
CLOSE = 7.5


def phase_cues(cues: list[Cue]) -> list[Cue]:
    return [c for c in cues if c.phase_kind not in ("intro", "close", "count")]


@pytest.mark.parametrize(
    ("name", "cycles"), [("box", 15), ("4-7-8", 13), ("resonance", 22), ("sigh", 27)]
)
def test_four_minutes_of_each_pattern(name: str, cycles: int) -> None:
    pattern = BUILTINS[name]
    cues = plan(
        LiveSchedule(pattern, intro_seconds=INTRO, close_seconds=CLOSE)
    )  # default: 4 minutes
    assert cycle_count(cues) == cycles
    # The nearest whole number of cycles to 4 minutes.
    assert abs(cycles * pattern.cycle_seconds - 240) <= pattern.cycle_seconds / 2
    # Offsets are intro + k × cycle + phase start, exactly: no drift.
    starts = [0.0]
    for p in pattern.phases[:-1]:
        starts.append(starts[-1] + p.seconds)
    expected = [INTRO + k * pattern.cycle_seconds + s for k in range(cycles) for s in starts]
    body = phase_cues(cues)
    assert [c.offset for c in body] == expected
    assert [c.phase_kind for c in body] == [p.kind for p in pattern.phases] * cycles
    assert [c.seconds for c in body] == [p.seconds for p in pattern.phases] * cycles
    assert [c.cycle for c in body] == [k for k in range(cycles) for _ in pattern.phases]
    assert [c.index for c in cues] == list(range(len(cues)))


def test_intro_and_close_are_part_of_the_plan() -> None:
    cues = plan(LiveSchedule(BUILTINS["box"], cycles=3, intro_seconds=INTRO, close_seconds=CLOSE))
    intro, first, close = cues[0], cues[1], cues[-1]
    assert (intro.phase_kind, intro.offset, intro.seconds, intro.cycle) == ("intro", 0, INTRO, -1)
    assert (first.phase_kind, first.offset) == ("in", INTRO)
    assert (close.phase_kind, close.offset, close.cycle) == ("close", INTRO + 3 * 16, 3)
    assert plan_duration(cues) == INTRO + 48 + CLOSE
    assert len(cues) == 1 + 12 + 1


def test_no_intro_or_close_when_not_wanted() -> None:
    cues = plan(LiveSchedule(BUILTINS["resonance"], cycles=2))
    assert [c.phase_kind for c in cues] == ["in", "out", "in", "out"]
    assert cues[0].offset == 0 and plan_duration(cues) == 22


def test_long_sessions_do_not_drift() -> None:
    pattern = BUILTINS["resonance"]
    cues = plan(LiveSchedule(pattern, minutes=120, intro_seconds=INTRO))
    last = phase_cues(cues)[-1]
    assert last.offset == INTRO + last.cycle * 11 + 5.5
    assert last.cycle + 1 == round(120 * 60 / 11)


def test_sounds_name_the_cue_words() -> None:
    cues = plan(LiveSchedule(BUILTINS["sigh"], cycles=1, intro_seconds=1, close_seconds=1))
    assert [c.sound for c in cues] == ["intro", "in/in", "in/and again", "out/out", "close"]
    box = plan(LiveSchedule(BUILTINS["box"], cycles=1))
    assert [c.sound for c in box] == ["in/in", "hold/hold", "out/out", "hold_out/hold"]


def test_quiet_count_in_long_phases() -> None:
    cues = plan(LiveSchedule(BUILTINS["4-7-8"], cycles=2, count=True))
    first = [c for c in cues if c.cycle == 0]
    counts = [(c.offset, c.sound) for c in first if c.phase_kind == "count"]
    # hold 7 from 4 s: two..seven at 1-s marks; out 8 from 11 s: two..eight. "in" (4 s) none.
    assert counts == [(4.0 + k, f"count/{k + 1}") for k in range(1, 7)] + [
        (11.0 + k, f"count/{k + 1}") for k in range(1, 8)
    ]
    second = [c.offset for c in cues if c.cycle == 1 and c.phase_kind == "count"]
    assert second == [19.0 + o for o, _ in counts]
    assert plan_duration(cues) == 38
    assert not [
        c
        for c in plan(LiveSchedule(BUILTINS["box"], cycles=2, count=True))
        if c.phase_kind == "count"
    ]


def test_plan_length_in_breaths() -> None:
    cues = plan(LiveSchedule(parse_pattern("4-6"), cycles=30))
    assert cycle_count(cues) == 30 and plan_duration(cues) == 300


def drain(s: LiveSchedule) -> list[Cue]:
    out = []
    while (c := s.next_cue()) is not None:
        out.append(c)
    return out


def take_until(s: LiveSchedule, cycle: int, kind: str) -> Cue:
    while True:
        c = s.next_cue()
        assert c is not None
        if c.cycle == cycle and c.phase_kind == kind:
            return c


def test_live_deadlines_are_t0_plus_plan(clock: FakeClock) -> None:
    s = LiveSchedule(BUILTINS["4-7-8"], cycles=5, intro_seconds=INTRO, clock=clock)
    s.start()
    clock.t += 123.0  # time passing does not move deadlines: they are absolute
    cues = drain(s)
    planned = plan(LiveSchedule(BUILTINS["4-7-8"], cycles=5, intro_seconds=INTRO))
    assert [c.at for c in cues] == [1000.0 + p.offset for p in planned]
    assert s.peek() is None


def test_slower_applies_from_the_next_cycle(clock: FakeClock) -> None:
    s = LiveSchedule(BUILTINS["box"], cycles=6, clock=clock)
    s.start(0.0)
    hold = take_until(s, 2, "hold")  # in the middle of cycle 2
    assert hold.at == 2 * 16 + 4
    assert s.slower()
    rest = drain(s)
    cycle2 = [c for c in rest if c.cycle == 2]
    assert [c.at for c in cycle2] == [40.0, 44.0]  # the current cycle keeps its timing
    cycle3 = [c for c in rest if c.cycle == 3]
    assert cycle3[0].at == 48.0  # starts when cycle 2 ends
    assert [c.seconds for c in cycle3] == pytest.approx([4.4] * 4)
    assert [c.at for c in cycle3] == pytest.approx([48.0, 52.4, 56.8, 61.2])
    cycle5 = [c for c in rest if c.cycle == 5]
    assert cycle5[0].at == pytest.approx(48 + 2 * 17.6)
    assert [c.seconds for c in cycle5] == pytest.approx([4.4] * 4)  # one step slower, kept


def test_faster_applies_from_the_next_cycle(clock: FakeClock) -> None:
    s = LiveSchedule(BUILTINS["resonance"], cycles=4, clock=clock)
    s.start(10.0)
    take_until(s, 0, "in")
    assert s.faster() and s.faster()
    rest = drain(s)
    assert rest[0].at == 15.5  # cycle 0's "out", unchanged
    c1 = [c for c in rest if c.cycle == 1]
    assert c1[0].at == 21.0
    assert c1[0].seconds == pytest.approx(5.5 / 1.21)


def test_tempo_before_taking_the_next_cycles_first_cue(clock: FakeClock) -> None:
    """A peeked cue is not issued: the command still reaches the cycle it starts."""
    s = LiveSchedule(BUILTINS["box"], cycles=3, clock=clock)
    s.start(0.0)
    take_until(s, 0, "hold_out")
    assert s.peek() is not None and s.peek().seconds == 4  # type: ignore[union-attr]
    s.slower()
    nxt = s.next_cue()
    assert nxt is not None and (nxt.cycle, nxt.at) == (1, 16.0)
    assert nxt.seconds == pytest.approx(4.4)


def test_tempo_limits(clock: FakeClock) -> None:
    s = LiveSchedule(BUILTINS["box"], cycles=3, clock=clock)
    assert all(s.slower() for _ in range(5))
    assert not s.slower()
    s.start(0.0)
    assert take_until(s, 0, "in").seconds == pytest.approx(4 * 1.1**5)


def test_minutes_session_ends_near_its_time_after_slowing(clock: FakeClock) -> None:
    s = LiveSchedule(BUILTINS["box"], minutes=4, clock=clock)
    s.start(0.0)
    take_until(s, 0, "in")
    s.slower()
    cues = drain(s)
    last = cues[-1]
    assert last.cycle == 13  # 1 × 16 s + 13 × 17.6 s ≈ 4 minutes, not 15 longer cycles
    assert abs(last.end - 240) <= 17.6 / 2


def test_pause_and_resume_shift_later_deadlines(clock: FakeClock) -> None:
    s = LiveSchedule(BUILTINS["box"], cycles=4, intro_seconds=INTRO, clock=clock)
    s.start(0.0)
    played = take_until(s, 1, "out")  # due at INTRO + 24
    queued = s.next_cue()  # the player queues one cue ahead
    assert queued is not None and queued.at == INTRO + 28
    assert s.pause(INTRO + 26.0)  # between the two
    assert s.paused and s.next_cue() is None and s.peek() is None
    assert s.resume(INTRO + 26.0 + 90.0)
    again = s.next_cue()
    assert again is not None
    assert (again.cycle, again.phase_kind, again.index) == (1, "hold_out", queued.index)
    assert again.at == INTRO + 28 + 90
    rest = drain(s)
    assert rest[0].at == INTRO + 32 + 90
    assert played.at == INTRO + 24
    assert s.paused_total == 90


def test_pause_twice_and_resume_without_pause_are_ignored(clock: FakeClock) -> None:
    s = LiveSchedule(BUILTINS["box"], cycles=1, clock=clock)
    assert not s.resume(5.0)
    assert s.pause(1.0) and not s.pause(2.0)


def test_stop(clock: FakeClock) -> None:
    s = LiveSchedule(BUILTINS["box"], cycles=10, clock=clock)
    s.start()
    take_until(s, 2, "in")
    s.stop()
    assert s.stopped and s.next_cue() is None and s.peek() is None
    assert not s.pause() and not s.resume()


def test_resume_can_take_the_interrupted_phase_again(clock: FakeClock) -> None:
    s = LiveSchedule(BUILTINS["box"], cycles=3, intro_seconds=INTRO, clock=clock)
    s.start(0.0)
    take_until(s, 1, "out")  # due at INTRO + 24, played
    s.next_cue()  # "hold_out" at INTRO + 28, queued
    assert s.pause(INTRO + 26.0)  # half-way through the out-breath
    assert s.resume(INTRO + 100.0, again_at=INTRO + 100.5)
    again = s.next_cue()
    assert again is not None and (again.cycle, again.phase_kind) == (1, "out")
    assert again.at == INTRO + 100.5  # the whole out-breath, from its start
    following = s.next_cue()
    assert following is not None and following.at == INTRO + 104.5
    assert s.paused_total == pytest.approx(100.5 - 24)


def test_resume_during_the_count_restarts_the_phase_not_the_count(clock: FakeClock) -> None:
    s = LiveSchedule(BUILTINS["4-7-8"], cycles=2, count=True, clock=clock)
    s.start(0.0)
    take_until(s, 0, "hold")  # 7 s hold at 4, counted at 5, 6, …
    assert [s.next_cue().phase_kind for _ in range(2)] == ["count", "count"]  # type: ignore[union-attr]
    assert s.pause(6.5) and s.resume(50.0, again_at=50.5)
    again = s.next_cue()
    assert again is not None and (again.phase_kind, again.at) == ("hold", 50.5)


def test_skip_brings_the_close_forward(clock: FakeClock) -> None:
    s = LiveSchedule(
        BUILTINS["box"], minutes=4, intro_seconds=INTRO, close_seconds=5.0, clock=clock
    )
    s.start(0.0)
    take_until(s, 2, "hold")
    s.next_cue()  # queued ahead, taken back by the skip
    close = s.skip(INTRO + 2 * 16 + 6.0)
    assert close is not None and close.phase_kind == "close"
    assert close.at == INTRO + 38.0
    assert drain(s) == [close]
    assert s.peek() is None and not s.stopped


def test_skip_without_a_close_ends_the_session(clock: FakeClock) -> None:
    s = LiveSchedule(BUILTINS["box"], cycles=4, clock=clock)
    s.start(0.0)
    take_until(s, 1, "in")
    assert s.skip(20.0) is None
    assert s.next_cue() is None and not s.stopped  # it ends as a finished session does
