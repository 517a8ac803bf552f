#!/usr/bin/env python3
"""Benchmark the narrated-feed build against a raw espeak-ng + ffmpeg baseline.

Prints seconds of audio produced per second of wall time for a full build, and
the ratio of the build's wall time to a baseline measured in the same run:
`espeak-ng -w` of the same narration text plus one ffmpeg MP3 encode of it.

    .venv/bin/python scripts/bench_build.py [ARTICLE] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from audio_companion.article import load_article
from audio_companion.podcast.build import build, plan
from audio_companion.settings import BuildSettings, VoiceSettings
from audio_companion.speech.tts import make_synthesizer

DEFAULT_ARTICLE = (
    Path(__file__).resolve().parents[1].parent / "shared/seeds/000_0f6c8d9654fe7ab1.txt"
)


def baseline(text: str, voice: VoiceSettings, work: Path) -> float:
    """espeak-ng straight to WAV, then one ffmpeg encode at the build's settings."""
    txt, wav, mp3 = work / "all.txt", work / "all.wav", work / "all.mp3"
    txt.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    subprocess.run(
        ["espeak-ng", "-s", str(voice.rate_wpm), "-f", str(txt), "-w", str(wav)], check=True
    )
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(wav),
            "-ar",
            "44100",
            "-ac",
            "1",
            "-b:a",
            "64k",
            str(mp3),
        ],
        check=True,
    )
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("article", nargs="?", type=Path, default=DEFAULT_ARTICLE)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    article = load_article(args.article)
    voice = VoiceSettings()
    synth = make_synthesizer(voice)
    synth.synthesize("warm up")  # engine start-up is not per-build work
    builds, bases, audio = [], [], 0.0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for run in range(args.runs):
            settings = BuildSettings(out_dir=work / f"feed{run}", published=0.0)
            text = "\n".join(ln.text for ep in plan([article], settings) for ln in ep.lines)
            t0 = time.perf_counter()
            result = build([article], settings, synth)
            builds.append(time.perf_counter() - t0)
            audio = result.audio_seconds
            bases.append(baseline(text, voice, work))
    b, base = statistics.median(builds), statistics.median(bases)
    print(f"article: {article.title} ({len(article.sections)} episodes)")
    print(f"audio produced: {audio:.1f} s")
    print(f"build wall time (median of {args.runs}): {b:.2f} s")
    print(f"speed: {audio / b:.1f}x real time")
    print(f"baseline espeak-ng -w + one ffmpeg encode: {base:.2f} s ({audio / base:.1f}x)")
    print(f"build / baseline wall-time ratio: {b / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
