"""`audio-companion listen` through real audio devices, driven as a person would.

The companion runs as its own process on the PulseAudio rig; the test talks
into the virtual microphone with espeak-ng and listens to the virtual speaker.
"""

from __future__ import annotations

import contextlib
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rig import PulseRig

pytest.importorskip("faster_whisper")
pytest.importorskip("sounddevice")


class Companion:
    """`audio-companion listen` in a subprocess, its stdout read line by line."""

    def __init__(self, rig: PulseRig, *args: str) -> None:
        exe = Path(sys.executable).with_name("audio-companion")
        env = {**rig.env, "XDG_CACHE_HOME": str(rig.dir / "cache")}
        self.proc = subprocess.Popen(
            [str(exe), "listen", "--engine", "whisper", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, prefix: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if line.startswith(prefix):
                return line
        err = self.proc.stderr.read() if self.proc.poll() is not None and self.proc.stderr else ""
        raise AssertionError(f"no line starting {prefix!r}; saw {self.seen}; stderr: {err[-800:]}")

    def drain(self, seconds: float) -> list[str]:
        """Lines printed during the next *seconds*."""
        out = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                out.append(self.lines.get(timeout=0.1))
        self.seen.extend(out)
        return out

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=20)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.fixture
def companion(pulse: PulseRig) -> Iterator[Companion]:
    c = Companion(pulse)
    yield c
    if c.proc.poll() is None:
        c.proc.kill()


def test_prompt_answer_and_stop(pulse: PulseRig) -> None:
    with pulse.record_speaker() as room:
        c = Companion(pulse)
        c.expect("Listening", timeout=60)  # after the spoken greeting
        time.sleep(0.6)  # a person lets the prompt finish before answering
        pulse.say_into_mic("I feel calm tonight")
        heard = c.expect("heard:").lower()
        assert sum(w in heard for w in ("feel", "calm", "tonight")) >= 2, heard
        c.drain(3.0)  # it says back what it heard
        pulse.say_into_mic("stop")
        assert "stop" in c.expect("heard:").lower()
        assert c.expect("command:") == "command: stop"
        assert c.close() == 0
    # The greeting, the read-back and the goodbye were played on the speaker.
    assert room.loud_seconds() > 3.0


def test_never_answers_its_own_voice(pulse: PulseRig) -> None:
    with pulse.loopback():
        c = Companion(pulse)
        c.expect("Listening", timeout=60)
        time.sleep(0.6)
        pulse.say_into_mic("the garden looks lovely")
        first = c.expect("heard:")
        assert "garden" in first.lower()
        # The read-back "I heard: the garden looks lovely" leaks into the
        # microphone; if the companion heard itself, it would print it here.
        later = c.drain(8.0)
        assert not [ln for ln in later if ln.startswith("heard:")], later
        pulse.say_into_mic("stop")
        assert c.expect("command:") == "command: stop"
        assert c.close() == 0
