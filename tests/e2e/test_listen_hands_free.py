"""`audio-companion listen` through real audio devices, driven as a person would.

The companion runs as its own process on the PulseAudio rig; the test talks
into the virtual microphone in Piper's joe voice and listens to the virtual speaker.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from child import Child
from rig import PulseRig

pytest.importorskip("faster_whisper")
pytest.importorskip("sounddevice")

pytestmark = pytest.mark.timeout(180)


class Companion(Child):
    """`audio-companion listen` in a subprocess, its output read with deadlines."""

    def __init__(self, rig: PulseRig, *args: str) -> None:
        exe = Path(sys.executable).with_name("audio-companion")
        env = {**rig.env, "XDG_CACHE_HOME": str(rig.dir / "cache"), "PYTHONUNBUFFERED": "1"}
        super().__init__([exe, "listen", "--engine", "whisper", *args], env=env)


def test_prompt_answer_and_stop(pulse: PulseRig) -> None:
    with pulse.record_speaker() as room, Companion(pulse) as c:
        c.expect("Listening", timeout=60)  # after the spoken greeting
        time.sleep(0.6)  # a person lets the prompt finish before answering
        pulse.say_into_mic("I feel calm tonight")
        heard = c.expect("heard:").lower()
        assert sum(w in heard for w in ("feel", "calm", "tonight")) >= 2, heard
        # It says back what it heard; a person waits for that to end before
        # speaking (a "stop" said over the read-back loses its start to the
        # half-duplex gate: a soak run heard it as "Duh.").
        room.wait_until_quiet(since=time.monotonic(), quiet_s=0.6, timeout=30)
        time.sleep(0.4)
        pulse.say_into_mic("stop")
        assert "stop" in c.expect("heard:").lower()
        assert c.expect("command:") == "command: stop"
        assert c.wait(20) == 0
    # The greeting, the read-back and the goodbye were played on the speaker.
    assert room.loud_seconds() > 3.0


def test_never_answers_its_own_voice(pulse: PulseRig) -> None:
    with pulse.loopback(), Companion(pulse) as c:
        c.expect("Listening", timeout=60)
        time.sleep(0.6)
        pulse.say_into_mic("the garden looks lovely")
        first = c.expect("heard:").lower()
        # The person's words, by most of them: one may slip ("garden" was once
        # "pardon" in a primed decoder's bench), which is not what this tests.
        assert sum(w in first for w in ("garden", "looks", "lovely")) >= 2, first
        # The read-back "I heard: the garden looks lovely" leaks into the
        # microphone; if the companion heard itself, it would print it here.
        later = c.drain(8.0)
        assert not [ln for ln in later if ln.startswith("heard:")], later
        pulse.say_into_mic("stop")
        assert c.expect("command:") == "command: stop"
        assert c.wait(20) == 0
