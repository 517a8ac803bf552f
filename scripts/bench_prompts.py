#!/usr/bin/env python3
"""Time to the first prompt: how soon after `audio-companion checkin` starts its
first words are ready to play, with an empty and with a warm prompt cache.

Each measurement runs in a fresh process, as a command would, and does what
the check-in does before its first prompt: choose the default voice, open the
prompt cache, load the deck, list tonight's prompts and `prepare` them (the
first is rendered before `prepare` returns; the rest on a background thread).
Reported per run:

- command: from launching the process to the first prompt's audio being
  ready (Python start-up and imports included), on the shared monotonic clock;
- session: from the session's start (after imports) to the same moment;
- all prompts: from the session's start until every prepared prompt is ready.

A real check-in also opens the journal and the audio devices; those are not
speech and are not counted. Cold means the prompt cache is empty (the first
check-in ever, or a new voice); warm, every prompt was rendered before.

    .venv/bin/python scripts/bench_prompts.py [--voice hibari|espeak] [--runs N] [--deck NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(folder: Path, voice_spec: str | None, deck_name: str) -> None:
    """One session's start-up, in this fresh process; prints its timings as JSON."""
    imported = time.monotonic()
    from datetime import date

    from audio_companion.checkin.deck import load_deck
    from audio_companion.checkin.rehearsal import deck_prompts
    from audio_companion.tts.base import VoiceSettings
    from audio_companion.tts.prompts import PromptCache
    from audio_companion.tts.registry import make_synthesizer

    start = time.monotonic()
    voice = VoiceSettings() if voice_spec is None else VoiceSettings(voice_spec)
    prompts = PromptCache(make_synthesizer(voice), folder)
    deck = load_deck(deck_name)
    texts = deck_prompts(deck, date(2026, 11, 30))
    prompts.prepare(texts)
    first = time.monotonic()
    finished = prompts.ready(timeout=300)
    done = time.monotonic()
    print(
        json.dumps(
            {
                "first_at": first,
                "imports_s": start - imported,
                "session_s": first - start,
                "all_s": done - start,
                "finished": finished,
                "prompts": len(texts),
                "identity": prompts.synth.identity,
                "first_seconds": prompts.get(texts[0]).duration,
            }
        )
    )


def run_once(folder: Path, voice: str | None, deck: str) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", str(folder), "--deck", deck]
    if voice:
        args += ["--voice", voice]
    launched = time.monotonic()
    out = subprocess.run(args, check=True, capture_output=True, text=True, timeout=600).stdout
    result: dict[str, float] = json.loads(out.splitlines()[-1])
    result["command_s"] = result["first_at"] - launched
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--voice", help="engine (default: the default voice)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--deck", default="nightly")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        child(args.child, args.voice, args.deck)
        return 0
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    rows: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            rows["cold"].append(run_once(Path(tmp), args.voice, args.deck))
            rows["warm"].append(run_once(Path(tmp), args.voice, args.deck))
    first = rows["cold"][0]
    print(f"voice {first['identity']}; deck {args.deck}: {first['prompts']:.0f} prompts prepared")
    for kind, runs in rows.items():

        def med(key: str, runs: list[dict[str, float]] = runs) -> float:
            return statistics.median(r[key] for r in runs)

        print(
            f"{kind}: first prompt ready {med('command_s') * 1000:.0f} ms after the command "
            f"({med('session_s') * 1000:.0f} ms after the session started); every prompt "
            f"ready after {med('all_s'):.2f} s (median of {len(runs)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
