#!/usr/bin/env python3
"""Benchmark the narrated-feed build, per voice, against the raw engine alone.

For each voice: a full build of the article into an empty folder with an
empty sentence cache (synthesis on every core, mastering, MP3 encoding,
chapters, transcripts, feed), reported as seconds of audio per second of wall
time; the raw engine speaking the same narration text in the same run
(`espeak-ng -w` for espeak, one piper voice with onnxruntime's default
threads for piper, the hibari package itself with its default one thread,
paragraph by paragraph, for hibari); their ratio; a rebuild with nothing changed; and a
rebuild after one sentence of one section was edited.

    .venv/bin/python scripts/bench_build.py [ARTICLE] [--voice hibari --voice espeak] [--runs N]

Without --voice it measures the default voice (hibari when installed).
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from audio_companion.article import load_article
from audio_companion.narration.layout import script_sentences
from audio_companion.podcast.build import build
from audio_companion.podcast.plan import plan_episodes
from audio_companion.podcast.settings import BuildSettings
from audio_companion.tts.base import VoiceSettings
from audio_companion.tts.registry import default_voice, make_synthesizer

DEFAULT_ARTICLE = (
    Path(__file__).resolve().parents[1].parent / "shared/seeds/000_0f6c8d9654fe7ab1.txt"
)


def raw_espeak(text: str, voice: VoiceSettings, work: Path) -> float:
    txt, wav = work / "all.txt", work / "all.wav"
    txt.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    subprocess.run(
        ["espeak-ng", "-s", str(voice.rate_wpm), "-f", str(txt), "-w", str(wav)], check=True
    )
    return time.perf_counter() - t0


def raw_piper(text: str, voice: VoiceSettings, work: Path) -> float:
    from audio_companion.tts.piper import PiperSynthesizer

    synth = PiperSynthesizer(voice)  # onnxruntime's own default: every core
    synth.synthesize("Warm up.")  # loading the model is not per-text work
    t0 = time.perf_counter()
    for paragraph in text.split("\n"):
        synth.synthesize(paragraph)
    return time.perf_counter() - t0


def raw_hibari(text: str, voice: VoiceSettings, work: Path) -> float:
    from hibari import Hibari

    from audio_companion.tts.hibari import SEED, speed_for

    tts = Hibari(threads=1)  # its default: the model is built for one core
    tts("Warm up.", seed=SEED)  # loading the model is not per-text work
    t0 = time.perf_counter()
    for paragraph in text.split("\n"):
        tts(paragraph, speed=speed_for(voice.rate_wpm), seed=SEED)
    return time.perf_counter() - t0


RAW = {"espeak": raw_espeak, "piper": raw_piper, "hibari": raw_hibari}


def edited_copy(article_path: Path, work: Path) -> Path:
    """The article with one sentence of one section changed, as an author would."""
    text = article_path.read_text(encoding="utf-8")
    lines = text.splitlines()
    # The longest line sits inside a section's body: change its first word.
    i = max(range(len(lines)), key=lambda k: len(lines[k]))
    lines[i] = "Indeed, " + lines[i][:1].lower() + lines[i][1:]
    dest = work / ("edited-" + article_path.name)
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest


def bench(article_path: Path, spec: str, runs: int, work: Path) -> None:
    article = load_article(article_path)
    edited = load_article(edited_copy(article_path, work))
    voice = VoiceSettings.parse(spec)
    workers = os.cpu_count() or 1
    factory = functools.partial(make_synthesizer, voice, threads=1)
    builds, raws, noops, edits, audio = [], [], [], [], 0.0
    remade: tuple[str, ...] = ()
    for run in range(runs):
        settings = BuildSettings(
            out_dir=work / f"{voice.engine}-feed{run}",
            published=0.0,
            voice=voice,
            speech_cache=work / f"{voice.engine}-cache{run}",
            workers=workers,
        )
        text = "\n".join(
            " ".join(script_sentences(ep.lines)) for ep in plan_episodes([article], settings)
        )
        t0 = time.perf_counter()
        result = build([article], settings, make_synthesizer(voice), factory=factory)
        builds.append(time.perf_counter() - t0)
        audio = result.audio_seconds
        t0 = time.perf_counter()
        again = build([article], settings, make_synthesizer(voice), factory=factory)
        noops.append(time.perf_counter() - t0)
        assert again.sentences_synthesized == 0 and not again.rendered
        t0 = time.perf_counter()
        changed = build([edited], settings, make_synthesizer(voice), factory=factory)
        edits.append(time.perf_counter() - t0)
        remade = changed.rendered
        raws.append(RAW[voice.engine](text, voice, work))
    b, raw = statistics.median(builds), statistics.median(raws)
    print(f"== voice {spec}: {article.title} ({len(result.episodes)} episodes, {workers} workers)")
    print(f"audio produced: {audio:.1f} s")
    print(f"build, empty cache (median of {runs}): {b:.2f} s = {audio / b:.1f}x real time")
    print(f"raw engine alone on the same text: {raw:.2f} s = {audio / raw:.1f}x real time")
    print(f"build / raw engine wall-time ratio: {b / raw:.2f}")
    print(f"rebuild, nothing changed: {statistics.median(noops):.3f} s")
    print(
        f"rebuild after editing one sentence: {statistics.median(edits):.2f} s "
        f"(made again: {', '.join(remade) or 'nothing'})"
    )
    print(
        f"loudness: {min(r.output_lufs for r in result.loudness):.1f} to "
        f"{max(r.output_lufs for r in result.loudness):.1f} LUFS"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("article", nargs="?", type=Path, default=DEFAULT_ARTICLE)
    ap.add_argument(
        "--voice", action="append", help="hibari, piper, espeak … (default: the default)"
    )
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    voices = args.voice or [default_voice().engine]
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in voices:
            bench(args.article, spec, args.runs, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
