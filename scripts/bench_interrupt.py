#!/usr/bin/env python3
"""Benchmark how soon Ctrl+C (SIGINT) and SIGTERM stop a large build.

Writes an article of N sections (default 200, each its own episode), starts
`audio-companion build` on it in a child process (espeak-ng, so synthesis is
quick and the encoders are the queue), waits until the first episode is
encoded, sends the signal, and prints how long the build took to exit, its
exit code, how many episodes were encoded in all, and whether any ffmpeg it
started outlived it. The issue's bound is 2 s; the build before this check
took 5.3 s at 24 episodes and kept encoding the whole queue.

    .venv/bin/python scripts/bench_interrupt.py [--sections 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from helpers import ffmpeg_writing_to

PARAGRAPH = (
    "Pick one small thing to notice about the evening, and say it out loud. "
    "It can be the light in the kitchen, a song on the radio, or the way the "
    "tea tasted. Saying it makes it something you both saw. "
)


def one(sig: signal.Signals, sections: int, work: Path) -> tuple[float, int, int, int]:
    article = work / "big.md"
    body = "\n\n".join(f"## Evening {n}\n\n" + PARAGRAPH * 3 for n in range(1, sections + 1))
    article.write_text(f"# Many Evenings\n\n{body}\n", encoding="utf-8")
    out, log = work / f"feed-{time.monotonic_ns()}", work / f"steps-{time.monotonic_ns()}.txt"
    env = {**os.environ, "AUDIO_COMPANION_FAULT_LOG": str(log)}
    cmd = [sys.executable, "-m", "audio_companion", "build", str(article), "--out", str(out)]
    child = subprocess.Popen(
        [*cmd, "--voice", "system", "--no-cache"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600
    while "encode:" not in (log.read_text() if log.exists() else ""):
        if child.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the build ended before an episode was encoded")
        time.sleep(0.02)
    time.sleep(1.0)  # well into the build: workers busy, encoders queued
    child.send_signal(sig)
    sent = time.monotonic()
    try:
        child.wait(120)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait(10)
    stopped = time.monotonic() - sent
    encoded = sum(1 for s in log.read_text().split() if s.startswith("encode:"))
    return stopped, child.returncode, encoded, len(ffmpeg_writing_to(out))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-interrupt-") as tmp:
        for sig in (signal.SIGINT, signal.SIGTERM):
            times = []
            for _ in range(args.runs):
                stopped, code, encoded, left = one(sig, args.sections, Path(tmp))
                times.append(stopped)
                print(
                    f"{sig.name}: exited {code} {stopped:.2f} s after the signal; "
                    f"{encoded}/{args.sections} episodes started encoding; "
                    f"{left} ffmpeg left running"
                )
            print(f"{sig.name}: median {statistics.median(times):.2f} s, max {max(times):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
