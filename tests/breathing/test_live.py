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
from audio_companion.breathing.live import ANSWER_LEAD, LEAD
from audio_companion.breathing.session import report_data

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
    assert report.stopped and p.commands == ["stop"]
    [record] = report.commands
    assert (record.command, record.done, record.text) == ("stop", "stopped", "Stop.")
    assert record.heard_at == record.effect_at == stop_at and record.delay == 0.0
    assert clock() == stop_at  # returned at once
    assert sink.stops == 1
    assert sink.played[-1].cancelled  # the queued "hold" never sounds
    assert len(report.latenesses) == len(sink.played) - 1
    assert p.schedule.stopped


def test_pause_cuts_the_sound_and_resume_takes_the_interrupted_breath_again(
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
    holds = [r for r in p.records if r.cue.phase_kind == "hold" and r.cue.cycle == 0]
    outs = [r for r in p.records if r.cue.phase_kind == "out" and r.cue.cycle == 0]
    assert len(outs) == 2 and outs[0].playback.start is None  # queued, taken back by the pause
    # The hold the pause cut in half is taken whole, a quarter of a second after "resume".
    assert [h.deadline for h in holds] == pytest.approx([first_in + 4, resume_at + ANSWER_LEAD])
    assert outs[1].deadline == pytest.approx(resume_at + ANSWER_LEAD + 4)
    assert p.records[-1].cue.phase_kind == "close"
    # while paused, the player keeps listening and only the answering tone plays
    assert (pause_at, resume_at) in p.safe_windows
    during = [pb for pb in sink.played if pb.start is not None and pause_at <= pb.start < resume_at]
    assert [pb.at for pb in during] == [None] and during[0].end - during[0].start < 0.3
    assert report.latenesses == (0.0,) * len(report.latenesses)
    paused, resumed = report.commands
    assert (paused.done, paused.effect_at) == ("paused", pause_at)
    assert resumed.done == "resumed: hold again"
    assert resumed.effect_at == pytest.approx(resume_at + ANSWER_LEAD)  # it really started then
    assert resumed.delay == pytest.approx(ANSWER_LEAD)


def test_pausing_twice_or_resuming_unpaused_is_ignored_and_said_so(
    bank: CueBank,
    sink: FakeSink,
    clock: FakeClock,
    scripted: Callable[[list[tuple[float, str]]], ScriptedPoll],
) -> None:
    first_in = clock() + LEAD + bank.intro_seconds
    script = [(first_in + 1, "resume"), (first_in + 2, "pause"), (first_in + 3, "pause")]
    script.append((first_in + 5, "resume"))
    report = player(bank, sink, clock, cycles=1, poll=scripted(script)).run()
    done = [c.done for c in report.commands]
    assert done == ["ignored: not paused", "paused", "ignored: already paused", "resumed: in again"]
    assert [c.effect_at is None for c in report.commands] == [True, False, True, False]


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
    mumble, slower, faster = p._report(stopped=False).commands
    assert (mumble.command, mumble.done, mumble.effect_at) == (None, "not a command", None)
    assert slower.done == "slowed to 4.4-4.4-4.4-4.4 s from the next breath"
    assert faster.done == "sped up to 4-4-4-4 s from the next breath"
    # each is answered at once by a soft tone, in the quiet before the next cue
    assert slower.effect_at == first_in + 5 and faster.effect_at == first_in + 21
    tones = [pb for pb in sink.played if pb.at is None]
    assert [pb.start for pb in tones] == [first_in + 5, first_in + 21]


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


def test_an_answering_tone_never_delays_a_cue(
    bank: CueBank,
    sink: FakeSink,
    clock: FakeClock,
    scripted: Callable[..., ScriptedPoll],
) -> None:
    """Heard just before a cue (recognition took 0.4 s), the tone follows the cue instead."""
    first_in = clock() + LEAD + bank.intro_seconds
    poll = scripted([(first_in + 3.3, "faster")], think=0.4)
    p = player(bank, sink, clock, cycles=2, poll=poll)
    report = p.run()
    assert report.latenesses == (0.0,) * len(report.latenesses)
    [faster] = report.commands
    hold = next(r for r in p.records if r.cue.phase_kind == "hold")
    assert hold.deadline == first_in + 4
    assert faster.effect_at == pytest.approx(first_in + 4 + hold.duration)  # right after it
    assert faster.delay is not None and faster.delay < 1.0


def test_skip_goes_straight_to_the_close(
    bank: CueBank,
    sink: FakeSink,
    clock: FakeClock,
    scripted: Callable[[list[tuple[float, str]]], ScriptedPoll],
) -> None:
    first_in = clock() + LEAD + bank.intro_seconds
    skip_at = first_in + 16 + 6  # in cycle 1 of 6
    p = player(bank, sink, clock, cycles=6, poll=scripted([(skip_at, "skip")]))
    report = p.run()
    assert not report.stopped  # a skipped session ends as a finished one does
    assert max(r.cue.cycle for r in p.records if r.cue.phase_kind != "close") == 1
    close = p.records[-1]
    assert close.cue.phase_kind == "close"
    assert close.deadline == pytest.approx(skip_at + ANSWER_LEAD)
    played = [r for r in p.records if r.start is not None]
    assert all(r.deadline < skip_at for r in played[:-1])  # nothing else after the skip
    [skip] = report.commands
    assert skip.done == "skipped to the close" and skip.effect_at == close.deadline


def test_repeat_and_numbers_change_nothing(
    bank: CueBank,
    sink: FakeSink,
    clock: FakeClock,
    scripted: Callable[[list[tuple[float, str]]], ScriptedPoll],
    fresh: Callable[[], tuple[FakeClock, FakeSink]],
) -> None:
    first_in = clock() + LEAD + bank.intro_seconds
    script = [(first_in + 2, "repeat"), (first_in + 6, "three"), (first_in + 10, "four")]
    p = player(bank, sink, clock, cycles=2, poll=scripted(script))
    report = p.run()
    planned = [r.deadline for r in p.records]
    quiet_clock, quiet_sink = fresh()
    quiet = player(bank, quiet_sink, quiet_clock, cycles=2)
    quiet.run()
    assert planned == [r.deadline for r in quiet.records]
    assert [(c.command, c.done) for c in report.commands] == [
        ("repeat", "ignored: nothing to repeat while breathing"),
        (None, "not a command"),
        (None, "not a command"),
    ]
    assert len(sink.played) == len(quiet.records)  # no tone, no extra cue


def test_only_stop_counts_while_the_close_plays(
    bank: CueBank,
    sink: FakeSink,
    clock: FakeClock,
    scripted: Callable[[list[tuple[float, str]]], ScriptedPoll],
) -> None:
    close_at = clock() + LEAD + bank.intro_seconds + 16
    script = [(close_at + 0.01, "slower"), (close_at + 0.02, "stop")]
    report = player(bank, sink, clock, cycles=1, poll=scripted(script)).run()
    assert report.stopped
    assert [c.done for c in report.commands] == ["ignored: the session is ending", "stopped"]


@pytest.mark.parametrize("command", ["stop", "pause", "slower", "faster", "skip"])
def test_every_command_has_its_effect_within_a_second(
    bank: CueBank, fresh: Callable[[], tuple[FakeClock, FakeSink]], command: str
) -> None:
    """Said at any moment of a breath (recognising it takes 0.3 s), the effect is heard
    within a second of the end of the utterance."""
    from audio_companion.breathing.live import Spoken

    for tenth in range(0, 160, 7):
        c, sink = fresh()
        first_in = c() + LEAD + bank.intro_seconds
        said = first_in + 16 + tenth / 10
        script = [(said, command)]
        if command == "pause":
            script.append((said + 5, "resume"))
        script.sort(reverse=True)

        def poll(
            until: float, c: FakeClock = c, script: list[tuple[float, str]] = script
        ) -> Spoken | None:
            if script and script[-1][0] <= until:
                t, said = script.pop()
                c.t = max(c.t, t) + 0.3  # recognising it takes this long
                return Spoken(said, said, t)
            c.t = max(c.t, until)
            return None

        p = player(bank, sink, c, cycles=3, poll=poll)
        report = p.run()
        for record in report.commands:
            assert record.delay is not None and 0 <= record.delay <= 1.0, (tenth, record)


def test_the_report_lists_every_command_with_its_times(
    sink: FakeSink,
    clock: FakeClock,
    scripted: Callable[[list[tuple[float, str]]], ScriptedPoll],
) -> None:
    import json

    session = BreathingSession(BUILTINS["box"], cycles=3)
    p = live_player(session, sink, FakeSynth(), clock=clock)
    p.sleep = clock.sleep
    t = clock()
    p.poll = scripted([(t + 8, "pause"), (t + 12, "three"), (t + 20, "resume"), (t + 30, "stop")])
    report = p.run()
    data = json.loads(json.dumps(report_data(session, p, report)))
    assert data["stopped"] and data["pattern"] == "box"
    assert [(c["text"], c["command"], c["done"]) for c in data["commands"]] == [
        ("Pause.", "pause", "paused"),
        ("Three.", None, "not a command"),
        ("Resume.", "resume", "resumed: hold again"),
        ("Stop.", "stop", "stopped"),
    ]
    for c in data["commands"]:
        assert c["heard_at"] <= c["handled_at"]
        assert c["delay_s"] is None or c["delay_s"] == pytest.approx(c["effect_at"] - c["heard_at"])
    starts = {c["deadline"] for c in data["cues"]}
    assert data["commands"][2]["effect_at"] in starts  # the cue it started again
