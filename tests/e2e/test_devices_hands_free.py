"""The microphone's and the speaker's times against what the room heard.

The half-duplex gate compares the microphone's capture times with the
speaker's play times, and the breathing player places cues by the speaker's
clock; both must agree with what really happened. Each test starts its own
PulseAudio server, because the first streams a server opens are where hosts
report stale times: on this rig, PortAudio's capture time read 0.66 s old for
the first second and shrank by a block per block, and a clock anchored on it
stamped a person's voice up to half a second early, inside the gate's mute.
The devices are opened by tests/e2e/device_probe.py in its own process, as
the companion opens them; the room's recordings (parec) are the oracle, their
own time base known to about 20 ms, hence the 50 ms bound.
"""

from __future__ import annotations

import json
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest
from child import Child
from rig import RATE, PulseRig

from audio_companion.breathing.onsets import detect_onsets

pytest.importorskip("sounddevice")

pytestmark = pytest.mark.timeout(120)

BOUND_S = 0.05
PROBE = Path(__file__).with_name("device_probe.py")


def probe(rig: PulseRig, *args: str) -> Child:
    return Child([sys.executable, PROBE, *args], env={**rig.env, "PYTHONUNBUFFERED": "1"})


def test_microphone_times_agree_with_the_room(fresh_pulse: PulseRig, tmp_path: Path) -> None:
    beep = tmp_path / "beep.wav"
    with wave.open(str(beep), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        t = np.arange(RATE // 5) / RATE
        w.writeframes((8000 * np.sin(2 * np.pi * 440 * t)).astype("<i2").tobytes())
    with fresh_pulse.record_mic() as heard, probe(fresh_pulse, "mic", "5") as child:
        child.expect(lambda line: line == "ready", timeout=30)
        for _ in range(5):
            time.sleep(0.3)
            fresh_pulse.play_into_mic(beep)
        assert child.wait(30) == 0, child.describe()
        time.sleep(0.3)
    stamped = json.loads(child.lines[-1])
    room = [heard.started + t for t in detect_onsets(heard.samples, RATE, threshold=300)]
    assert len(stamped) == len(room) == 5, (stamped, room)
    errors = [m - r for m, r in zip(stamped, room, strict=True)]
    print("\nmicrophone time - room time (ms):", [round(e * 1000, 1) for e in errors])
    assert max(abs(e) for e in errors) <= BOUND_S


def test_speaker_times_agree_with_the_room(fresh_pulse: PulseRig) -> None:
    with fresh_pulse.record_speaker() as room, probe(fresh_pulse, "speaker", "6") as child:
        assert child.wait(60) == 0, child.describe()
        time.sleep(0.3)
    starts = json.loads(child.lines[-1])
    onsets = [room.started + t for t in detect_onsets(room.samples, RATE, threshold=300)]
    assert None not in starts and len(onsets) == len(starts), (starts, onsets)
    errors = [o - s for o, s in zip(onsets, starts, strict=True)]
    print("\nroom time - speaker time (ms):", [round(e * 1000, 1) for e in errors])
    assert max(abs(e) for e in errors) <= BOUND_S
    assert max(errors) - min(errors) <= 0.005  # sounds keep their exact distances
