"""Ctrl+C and SIGTERM stop a build: queued work dropped, workers and encoders killed,
the published feed left as it was, one line and exit 130 / 143."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ffmpeg_writing_to, needs_media

from audio_companion.faults import FAULT_LOG

SECTIONS = 24
PARAGRAPH = (
    "Pick one small thing to notice about the evening, and say it out loud. "
    "It can be the light in the kitchen, a song on the radio, or the way the "
    "tea tasted. Saying it makes it something you both saw, and that is the "
    "point. Do it again tomorrow with something else. "
)


def article(path: Path, title: str) -> Path:
    body = "\n\n".join(f"## Evening {n}\n\n" + PARAGRAPH * 3 for n in range(1, SECTIONS + 1))
    path.write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
    return path


@needs_media
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_build_and_keeps_the_feed(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    cli = [sys.executable, "-m", "audio_companion", "build", "--voice", "system", "--no-cache"]
    out = tmp_path / "feed"
    small = tmp_path / "small.md"
    small.write_text("# Small\n\n## One\n\n" + PARAGRAPH * 3 + "\n", encoding="utf-8")
    first = subprocess.run([*cli, str(small), "--out", str(out)], capture_output=True, timeout=300)
    assert first.returncode == 0, first.stderr.decode()
    published = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    log = tmp_path / "steps.txt"
    env = {**os.environ, FAULT_LOG: str(log)}
    big = article(tmp_path / "big.md", "Many Evenings")
    child = subprocess.Popen(
        [*cli, str(big), "--out", str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 300
        while "episode:" not in (log.read_text() if log.exists() else ""):
            assert child.poll() is None, child.communicate()[1].decode()
            assert time.monotonic() < deadline, "the build never finished an episode"
            time.sleep(0.05)
        child.send_signal(sig)
        sent = time.monotonic()
        _, err = child.communicate(timeout=60)
        stopped = time.monotonic() - sent
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
    print(f"{sig.name}: stopped {stopped:.2f} s after the signal")
    assert child.returncode == code
    lines = err.decode().strip().splitlines()
    assert lines == ["Interrupted; nothing half-written was left behind."]
    steps = log.read_text().split()
    # Queued episodes were dropped, not encoded first (the old build encoded all 24).
    assert 0 < sum(1 for s in steps if s.startswith("encode:")) < SECTIONS, steps
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == published
    assert not (out / ".staging").exists()  # no encoder wrote into it after it went
    assert ffmpeg_writing_to(out) == []  # no encoder outlived the build
