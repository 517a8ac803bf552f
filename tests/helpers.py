"""Test helpers shared across modules (importable as `helpers`)."""

from __future__ import annotations

import math
import shutil
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from audio_companion.audio.chunk import AudioChunk
from audio_companion.journal import Journal, SessionRecord
from audio_companion.journal.importer import pace_key, session_key

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
SEED = REPO.parent / "shared" / "seeds" / "000_0f6c8d9654fe7ab1.txt"
# The seed's main sections, as the article-understanding issue lists them.
SEED_TITLES = [
    "The Fragile Power of Trust",
    "Why Betrayal Hurts: Trust and the Brain",
    "Can Trust Be Rebuilt?",
    "First Steps: Emotional Triage",
    "Full Disclosure and Accountability",
    "Neuro-Healing: Tools to Rebuild Connection",
    "Conversation Safety: How You Talk Matters",
    "Examine the Patterns Beneath the Pain",
    "Balancing Autonomy and Attachment",
    "When Therapy Helps Rebuild Trust",
    "When It's Time to Let Go",
    "Healing is a Shared Path",
]


class FakeSynth:
    """A synthesizer that 'speaks' a tone whose length follows the text: fast,
    deterministic, and enough to test everything downstream of speech."""

    identity = "fake:tone"

    def __init__(self, rate: int = 22050, seconds_per_char: float = 0.01) -> None:
        self.rate = rate
        self.seconds_per_char = seconds_per_char
        self.calls: list[str] = []

    def synthesize(self, text: str) -> AudioChunk:
        self.calls.append(text)
        n = max(1, round(len(text) * self.seconds_per_char * self.rate))
        t = np.arange(n) / self.rate
        tone = 0.3 * np.sin(2 * math.pi * 220 * t) * 32767
        return AudioChunk.from_int16(tone.astype("<i2"), self.rate)


needs_media = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("espeak-ng") is None,
    reason="needs ffmpeg and espeak-ng (scripts/setup.sh installs them)",
)


def broken_synth_factory() -> FakeSynth:
    """A synthesizer factory whose engine is missing, for worker-start errors.

    Defined here, not in a test module: spawned workers import it by name, and
    `helpers` is on their path (pytest's pythonpath) while `tests.*` is not.
    """
    from audio_companion.errors import MissingDependencyError

    raise MissingDependencyError("espeak-ng (libespeak-ng)", "espeak-ng libespeak-ng1")


def example_channel(base: str, **changes: object) -> Any:
    """A feed Channel for tests that need one, served from `base`."""
    from audio_companion.publish.feed import Channel

    values: dict[str, object] = {
        "title": "Evening Notes",
        "description": "A show about evenings.",
        "link": base,
        "feed_url": base + "feed.xml",
        "language": "en",
        "author": "Jo Example",
        "owner_email": "jo@example.org",
        "image_url": base + "cover.png",
        "category": "Health & Fitness",
        "subcategory": "Mental Health",
        "explicit": False,
        "generator": "audio-companion test",
    }
    values.update(changes)
    return Channel(**values)  # type: ignore[arg-type]


def ffmpeg_writing_to(folder: Path) -> list[int]:
    """Pids of ffmpeg processes (anyone's children) still writing under `folder`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmd and cmd[0].endswith(b"ffmpeg") and any(str(folder).encode() in a for a in cmd):
            found.append(int(proc.name))
    return found


JOURNAL_TODAY = date(2026, 11, 29)  # the day journal charts end in tests; never the clock's


def evening(days_ago: int, today: date = JOURNAL_TODAY) -> float:
    """Half past nine, local time, `days_ago` days before `today`."""
    d = today - timedelta(days=days_ago)
    return datetime(d.year, d.month, d.day, 21, 30).timestamp()


def three_nights(path: Path, transcript: str = "night {n}", stopped_first: bool = False) -> Path:
    """A couple's journal of three nights (3, 1 and 0 days ago), as check-ins leave it:
    Alex's feeling (`transcript`, with the night's number) and Sam's mood (2, then 4)."""
    from audio_companion.journal import Answer

    with Journal.open(path) as j:
        for n, days_ago in enumerate([3, 1, 0]):
            t = evening(days_ago)
            sid = j.start_session("nightly", ["Alex", "Sam"], "vosk", t)
            j.add_answer(sid, Answer(
                partner="Alex", step="feeling", kind="open",
                prompt="How are you feeling today?", transcript=transcript.format(n=n),
                mood=None, confidence=None, started_at=t + 5, ended_at=t + 9,
            ))  # fmt: skip
            j.add_answer(sid, Answer(
                partner="Sam", step="mood", kind="mood", prompt="Mood, one to five?",
                transcript="four", mood=4 if n else 2, confidence=None,
                started_at=t + 10, ended_at=t + 11,
            ))  # fmt: skip
            j.end_session(sid, t + 600, "stop_word" if stopped_first and not n else "completed")
    return path


def kill_after_two_answers(path: Path, secret: str | None = None) -> None:
    """A check-in in a child process writes two answers to the journal at `path` (with
    passphrase `secret` if encrypted) and is SIGKILLed before it ends the session."""
    import os
    import signal
    import sys
    import textwrap

    from child import Child

    key = "None" if secret is None else f'Passphrase({secret!r}, "typed")'
    code = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from audio_companion.journal import Answer, Journal
        from audio_companion.journal.passphrase import Passphrase
        j = Journal.open(Path({str(path)!r}), {key})
        sid = j.start_session("nightly", ["Alex"], "vosk", 1.0)
        for i in range(2):
            j.add_answer(sid, Answer(partner="Alex", step=f"s{{i}}", kind="open", prompt="p",
                         transcript=f"answer {{i}}", mood=None, confidence=None,
                         started_at=2.0 + i, ended_at=3.0 + i))
        print("ok", flush=True)
        time.sleep(60)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with Child([sys.executable, "-c", code], env=env) as child:
        assert child.expect("ok", timeout=30) == "ok"
        child.signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL


def added(journal: Journal, sessions: Sequence[SessionRecord]) -> int:
    """An import of sessions alone, as `journal import` does it: how many were new."""
    return journal.add_import(sessions, session_key, (), pace_key)[0]
