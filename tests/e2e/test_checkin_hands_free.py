"""A whole nightly check-in through real audio devices, answered as a person would.

The companion runs as its own process on the PulseAudio rig with the English
whisper engine. The test answers each question with espeak-ng into the
virtual microphone, only after the companion has stopped speaking, then reads
the journal the companion wrote.
"""

from __future__ import annotations

import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rig import PulseRig, Recording

from audio_companion.journal.store import Journal
from audio_companion.speech.wer import word_error_rate

pytest.importorskip("faster_whisper")
pytest.importorskip("sounddevice")

NETGUARD = Path(__file__).resolve().parents[1] / "netguard"
ANSWERS = [
    "I feel calm tonight",
    "four",
    "the garden looks lovely",
    "my sister called me",
    "the music we played",
    "I feel happy when we cook together",
]


class CheckinProcess:
    def __init__(self, rig: PulseRig, journal: Path, netlog: Path) -> None:
        exe = Path(sys.executable).with_name("audio-companion")
        env = {
            **rig.env,
            "XDG_CACHE_HOME": str(rig.dir / "cache"),
            "PYTHONPATH": str(NETGUARD),
            "NETGUARD_LOG": str(netlog),
            "PYTHONUNBUFFERED": "1",
        }
        self.proc = subprocess.Popen(
            [str(exe), "checkin", "--engine", "whisper", "--journal", str(journal)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.captions: queue.Queue[tuple[float, str]] = queue.Queue()
        self.lines: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())
            if line.startswith("companion: "):
                self.captions.put((time.monotonic(), line[len("companion: ") :].strip()))

    def finish(self, timeout: float) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(f"the check-in did not end; output: {self.lines}") from None

    def next_caption(self, timeout: float = 60.0) -> tuple[float, str]:
        try:
            return self.captions.get(timeout=timeout)
        except queue.Empty:
            err = (
                self.proc.stderr.read() if self.proc.poll() is not None and self.proc.stderr else ""
            )
            raise AssertionError(
                f"no prompt; output {self.lines[-8:]}; stderr {err[-600:]}"
            ) from None

    def wait_for_turn(self, room: Recording) -> str:
        """The last prompt, once the companion has finished speaking and listens."""
        at, caption = self.next_caption()
        while True:
            room.wait_until_quiet(since=at, quiet_s=1.0)
            try:
                at, caption = self.captions.get_nowait()  # it went on talking
            except queue.Empty:
                return caption


def converse(
    rig: PulseRig, room: Recording, proc: CheckinProcess, answers: list[str]
) -> list[float]:
    """Answer each question in turn; the time from each answer's end to the next prompt."""
    gaps = []
    for answer in answers:
        proc.wait_for_turn(room)
        rig.say_into_mic(answer)
        ended = time.monotonic()
        gaps.append(room.onset_after(ended) - ended)
    return gaps


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    return tmp_path / "journal" / "journal.sqlite3"


def test_nightly_checkin_hands_free(pulse: PulseRig, journal: Path, tmp_path: Path) -> None:
    netlog = tmp_path / "net.log"
    started = time.monotonic()
    with pulse.record_speaker() as room:
        proc = CheckinProcess(pulse, journal, netlog)
        gaps = converse(pulse, room, proc, ANSWERS)
        assert proc.finish(90) == 0, proc.lines
    wall = time.monotonic() - started
    print(
        f"\nhands-free nightly check-in: {wall:.1f} s wall; answer end -> next prompt: "
        f"median {statistics.median(gaps):.2f} s, max {max(gaps):.2f} s"
    )
    assert not netlog.exists(), netlog.read_text()
    assert oct(os.stat(journal).st_mode & 0o777) == "0o600"
    with Journal.open(journal) as j:
        [summary] = j.sessions()
        record = j.session(summary.id)
    assert summary.end_reason == "completed", proc.lines
    by_step: dict[str, list[str]] = {}
    for a in record.answers:
        by_step.setdefault(a.step, []).append(a.transcript)
    moods = [a.mood for a in record.answers if a.mood is not None]
    assert moods == [4] and isinstance(moods[0], int)
    assert len(by_step["appreciations"]) == 3
    heard = [a.transcript for a in record.answers]
    assert len(heard) == len(ANSWERS)
    for said, got in zip(ANSWERS, heard, strict=True):
        assert word_error_rate(said, got) <= 0.5, (said, got)
    assert all(a.confidence is not None and a.confidence > 0 for a in record.answers)


def test_stop_word_in_the_middle_of_an_answer(
    pulse: PulseRig, journal: Path, tmp_path: Path
) -> None:
    netlog = tmp_path / "net.log"
    with pulse.record_speaker() as room:
        proc = CheckinProcess(pulse, journal, netlog)
        converse(pulse, room, proc, ANSWERS[:3])
        proc.wait_for_turn(room)
        pulse.say_into_mic("I liked the garden. Stop.")
        assert proc.finish(60) == 0, proc.lines
    assert any("Everything you said is saved" in ln for ln in proc.lines), proc.lines
    with Journal.open(journal) as j:
        [summary] = j.sessions()
        record = j.session(summary.id)
    assert summary.end_reason == "stop_word"
    assert len(record.answers) == 3
    assert record.answers[1].mood == 4
    assert "garden" in record.answers[2].transcript.lower()
