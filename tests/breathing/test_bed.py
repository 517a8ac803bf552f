"""The live ambient bed on a fake clock and sink: seamless blocks, ducking, fades, the thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest
from helpers import FakeSynth

from audio_companion.breathing import BUILTINS, BreathingSession, CueStyle, live_player
from audio_companion.breathing import ambient as amb
from audio_companion.breathing.bed import AHEAD, BLOCK_SECONDS, FADE_OUT, START, LiveBed
from audio_companion.breathing.session import live_bed

if TYPE_CHECKING:  # the fakes live in this folder's conftest (fixtures)
    from conftest import FakeClock, FakeSink

RATE = 22050


def run_bed(bed: LiveBed, clock: FakeClock, until: float, step: float = 0.05) -> None:
    while clock() < until:
        bed.pump()
        clock.sleep(step)


def test_blocks_are_seamless_and_ahead_of_the_clock(clock: FakeClock, sink: FakeSink) -> None:
    start = clock()
    bed = LiveBed(sink, "pink", RATE, list, clock=clock)
    run_bed(bed, clock, start + 10.0)
    starts = [pb.start for pb in sink.played]
    assert starts[0] == pytest.approx(start + START)
    assert np.allclose(np.diff(starts), BLOCK_SECONDS)  # one block right after the other
    assert all(pb.queued <= pb.at - 0.1 for pb in sink.played)  # never queued late
    assert bed.next_t <= clock() + AHEAD + BLOCK_SECONDS


def test_ducks_under_cues_fades_in_and_out(clock: FakeClock, sink: FakeSink) -> None:
    start = clock()
    cue = (start + 20.0, start + 21.0)
    bed = LiveBed(sink, "brown", RATE, lambda: [cue], clock=clock, seed=4)
    run_bed(bed, clock, start + 30.0)
    bed.finish()
    run_bed(bed, clock, start + 40.0)
    assert bed.done
    t = np.concatenate(
        [pb.at + np.arange(round(BLOCK_SECONDS * RATE)) / RATE for pb in sink.played]
    )
    gain = bed.gain(t)
    assert gain[0] == pytest.approx(0.0) and gain[-1] < 0.01  # from silence to silence
    duck = 10 ** (-amb.DUCK_DB / 20)
    under = (t >= cue[0]) & (t < cue[1])
    assert np.allclose(gain[under], duck)
    assert gain[(t > cue[0] - 1.0) & (t < cue[0] - amb.DUCK_RAMP)].min() == pytest.approx(1.0)
    assert sink.played[-1].at < bed.fade_end  # nothing after the fade
    assert bed.fade_end == pytest.approx(start + 30.0 + AHEAD + FADE_OUT, abs=0.25)


def test_a_live_session_with_a_bed(clock: FakeClock, sink: FakeSink, fresh) -> None:  # type: ignore[no-untyped-def]
    """The player's sounds go to the cue sink at their deadlines, the bed to its own sink."""
    style = CueStyle(tones=True, countdown=True, gong=True)
    session = BreathingSession(BUILTINS["box"], cycles=2, style=style, ambient="rain-like")
    player = live_player(session, sink, FakeSynth(), clock=clock)
    player.sleep = clock.sleep
    _, bed_sink = fresh()
    bed_sink.clock = clock
    bed = live_bed(session, bed_sink, player)
    assert bed is not None
    bed.pump()
    report = player.run()  # the fake clock leaps; the bed ducks under what was queued
    assert report.max == 0.0 and not report.stopped
    assert all(rec.playback.start == rec.deadline for rec in player.records)
    run_bed(bed, clock, clock() + 1.0)
    assert bed.gain(np.array([player.records[3].deadline]))[0] == pytest.approx(
        10 ** (-amb.DUCK_DB / 20), rel=1e-6
    )
    assert live_bed(BreathingSession(BUILTINS["box"], cycles=1), bed_sink, player) is None


def test_the_thread_pumps_and_stops(clock: FakeClock, sink: FakeSink) -> None:
    bed = LiveBed(sink, "pink", RATE, list, seed=2, clock=clock)
    bed.start()
    assert bed._thread is not None
    bed._thread.join(0.2)  # the clock stands still: it queues AHEAD and waits
    assert len(sink.played) == 2 and bed.next_t >= clock() + AHEAD
    bed.stop(fade=False)
    assert not bed._thread.is_alive() and sink.stops == 1
