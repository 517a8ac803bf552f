"""LivePlayer on a fake clock and a fake sink: punctual queuing, commands, safe windows."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from helpers import FakeSynth

from audio_companion.breathing import (
    BUILTINS,
    BreathingSession,
    LivePlayer,
    LiveSchedule,
    live_player,
    render_cues,
)
from audio_companion.breathing.cues import CueBank
from audio_companion.breathing.live import LEAD

if TYPE_CHECKING:  # the fakes live in this folder's conftest (fixtures)
    from conftest import FakeClock, FakeSink, ScriptedPoll


@pytest.fixture
def bank() -> CueBank:
    return render_cues(BUILTINS["box"], FakeSynth())


def player(
    bank: CueBank, sink: FakeSink, clock: FakeClock, cycles: int = 4, **kw: object
) -> LivePlayer:
    schedule = LiveSchedule(
        BUILTINS["box"],
        cycles=cycles,
        intro_seconds=bank.intro_seconds,
        close_seconds=bank.close_seconds,
        clock=clock,
    )
    return LivePlayer(schedule, bank, sink, clock=clock, sleep=clock.sleep, **kw)  # type: ignore[arg-type]


def test_every_cue_is_queued_ahead_with_its_deadline(
    bank: CueBank, sink: FakeSink, clock: FakeClock
) -> None:
    start = clock()
    p = player(bank, sink, clock)
    report = p.run()
    assert not report.stopped
    assert len(sink.played) == 1 + 16 + 1
    t0 = start + LEAD
    for rec, pb in zip(p.records, sink.played, strict=True):
        assert pb.at == rec.deadline == t0 + rec.cue.offset  # absolute, from the plan
        assert rec.deadline - LEAD <= pb.queued <= rec.deadline  # queued half a second ahead
    assert report.latenesses == (0.0,) * 18 and report.max == 0.0
    assert clock() >= p.records[-1].deadline + bank["close"].duration  # the close played out


def test_lateness_is_reported(bank: CueBank, sink: FakeSink, clock: FakeClock) -> None:
    sink.lateness = lambda i: 0.001 * i  # cue i starts i ms late: a drifting device
    report = player(bank, sink, clock, cycles=8).run()
    assert report.latenesses == pytest.approx([0.001 * i for i in range(len(sink.played))])
    assert report.max == pytest.approx(0.001 * (len(sink.played) - 1))
    assert report.mean == pytest.approx(sum(report.latenesses) / len(report.latenesses))
    assert report.drift_first_vs_last_minute > 0.01


def test_stop_cancels_queued_sounds_and_returns(
    bank: CueBank,
    sink: FakeSink,
    clock: FakeClock,
    scripted: Callable[[list[tuple[float, str]]], ScriptedPoll],
) -> None:
    t0 = clock() + LEAD
    stop_at = t0 + bank.intro_seconds + 16 + 3.8  # cycle 1's "hold" is queued, not yet due
    p = player(bank, sink, clock, cycles=10, poll=scripted([(stop_at, "stop")]))
    report = p.run()
    assert report.stopped and report.commands == ("stop",)
    assert clock() == stop_at  # returned at once
    assert sink.stops == 1
    assert sink.played[-1].cancelled  # the queued "hold" never sounds
    assert len(report.latenesses) == len(sink.played) - 1
    assert p.schedule.stopped


def test_pause_and_resume(
    bank: CueBank,
    sink: FakeSink,
    clock: FakeClock,
    scripted: Callable[[list[tuple[float, str]]], ScriptedPoll],
) -> None:
    t0 = clock() + LEAD
    first_in = t0 + bank.intro_seconds
    pause_at = first_in + 7.8  # "hold" at +4 has played; "out" at +8 is queued
    resume_at = pause_at + 30.0
    poll = scripted([(pause_at, "pause"), (resume_at, "resume")])
    p = player(bank, sink, clock, cycles=2, poll=poll)
    report = p.run()
    assert not report.stopped
    out_cues = [r for r in p.records if r.cue.phase_kind == "out" and r.cue.cycle == 0]
    assert len(out_cues) == 2  # queued, cancelled by the pause, re-issued after it
    assert out_cues[0].playback.start is None
    assert out_cues[1].deadline == pytest.approx(first_in + 8 + 30, abs=1e-9)
    last = p.records[-1]
    assert last.cue.phase_kind == "close"
    assert last.deadline == pytest.approx(first_in + 32 + 30, abs=1e-9)
    # while paused, the player keeps listening and nothing plays
    assert (pause_at, resume_at) in p.safe_windows
    assert report.latenesses == (0.0,) * len(report.latenesses)


def test_slower_and_faster(
    bank: CueBank,
    sink: FakeSink,
    clock: FakeClock,
    scripted: Callable[[list[tuple[float, str]]], ScriptedPoll],
) -> None:
    t0 = clock() + LEAD
    first_in = t0 + bank.intro_seconds
    poll = scripted([(first_in + 5, "slower"), (first_in + 16 + 5, "faster"), (0, "mumble")])
    p = player(bank, sink, clock, cycles=3, poll=poll)
    p.run()
    ins = [r.deadline for r in p.records if r.cue.phase_kind == "in"]
    assert ins[1] - ins[0] == pytest.approx(16)  # cycle 0 kept its timing
    assert ins[2] - ins[1] == pytest.approx(17.6)  # cycle 1 ran ×1.1
    close = p.records[-1]
    assert close.deadline - ins[2] == pytest.approx(16)  # cycle 2 back to normal
    assert p.commands == ["slower", "faster"]  # an unknown word is not a command


def test_safe_windows_never_overlap_a_sound(
    bank: CueBank, sink: FakeSink, clock: FakeClock
) -> None:
    p = player(bank, sink, clock)
    p.run()
    sounds = [(pb.start, pb.end) for pb in sink.played if pb.start is not None]
    assert len(p.safe_windows) >= 16
    for a, b in p.safe_windows:
        assert a < b
        for s, e in sounds:
            assert e is not None and s is not None
            assert b <= s or a >= e + 0.29
    # between the first "in" and "hold" there is room to say a command
    assert any(b - a > 3 for a, b in p.safe_windows)
    mid = p.safe_windows[3]
    assert p.is_safe((mid[0] + mid[1]) / 2) and not p.is_safe(sink.played[1].start or 0)


def test_default_poll_sleeps_on_the_injected_clock(sink: FakeSink, clock: FakeClock) -> None:
    p = live_player(BreathingSession(BUILTINS["sigh"], cycles=2), sink, FakeSynth(), clock=clock)
    p.sleep = clock.sleep
    report = p.run()
    assert not report.stopped and len(sink.played) == 1 + 6 + 1
    assert [pb.queued <= (pb.at or 0) for pb in sink.played] == [True] * 8
