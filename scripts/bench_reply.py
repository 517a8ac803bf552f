#!/usr/bin/env python3
"""Benchmark how soon the companion replies in a hands-free check-in.

A private PulseAudio daemon with a virtual speaker and microphone
(tests/rig.py) runs `audio-companion checkin` with the whisper engine; a
simulated person (Piper's joe voice) answers every question and, with
--steer, says "repeat", "pause", "resume" and "skip" once each and gives a
hedged mood the companion checks back (tests/e2e/hands_free.py). Both the
microphone and the speaker are recorded; for each turn the time from the end
of the person's voice to the companion's next sound is measured, and split
into "understood" (until the companion printed what it heard) and "spoken"
(from then until its next sound started). Printed: median and max over all
turns and per kind of turn (answer, number, yes_no, command); --out FILE
writes every turn, and each run's events, as JSON.

    .venv/bin/python scripts/bench_reply.py [--runs 1] [--steer] [--out FILE.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "e2e")]

from hands_free import Checkin, Person, describe, reply_latencies, summary  # noqa: E402
from rig import PulseRig  # noqa: E402


def one_run(
    rig: PulseRig, steer: bool, workdir: Path
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The turns of one whole check-in, and the companion's events (`--format jsonl`)."""
    journal = workdir / f"journal-{time.monotonic_ns()}.sqlite3"
    with (
        rig.record_speaker() as room,
        rig.record_mic() as mic,
        Checkin(rig, journal, workdir / "net.log") as checkin,
    ):
        end = checkin.converse(rig, Person(steer=steer))
        if end is None or end["reason"] != "completed":
            raise SystemExit(f"the check-in did not complete: {checkin.log()[-2000:]}")
        checkin.child.wait(60)
        time.sleep(0.3)
    return reply_latencies(checkin.replies, mic, room, checkin.child.stamped), checkin.events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="whole check-ins to time")
    parser.add_argument("--steer", action="store_true", help="also say the spoken commands")
    parser.add_argument("--out", type=Path, help="write every turn as JSON here")
    args = parser.parse_args()
    why = PulseRig.available()
    if why:
        print(f"cannot run the rig: {why}", file=sys.stderr)
        return 3
    rig = PulseRig()
    rig.start()
    turns: list[dict[str, Any]] = []
    events: list[list[dict[str, Any]]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-reply-") as tmp:
            for run in range(args.runs):
                got, said = one_run(rig, args.steer, Path(tmp))
                events.append(said)
                print(f"run {run + 1}: {len(got)} replies", flush=True)
                turns.extend(got)
    finally:
        rig.stop()
    figures = summary(turns)
    print("person stops -> next prompt (seconds, from the recorded microphone and speaker):")
    print(describe(figures, turns))
    if args.out is not None:
        args.out.write_text(
            json.dumps({"summary": figures, "turns": turns, "events": events}, indent=1)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
