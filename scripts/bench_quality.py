#!/usr/bin/env python3
"""How intelligible is the narration? Word error rate of a recogniser on the built episodes.

For each voice the article is built as `audio-companion build` would (mastered
MP3s), every episode is decoded and transcribed with faster-whisper tiny.en
(the `whisper` extra's offline model), and the transcript is compared with
the narration script's speech text — what the voice was asked to say. A
lower WER means a listener (and a machine) hears the words more reliably.

    .venv/bin/python scripts/bench_quality.py [ARTICLE] [--voice espeak --voice piper]
        [--episodes N] [--show-worst K]
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import time
from pathlib import Path

from audio_companion.article import load_article
from audio_companion.asr.wer import join_spelled_letters, normalise_for_wer, word_errors
from audio_companion.media.ffmpeg import decode
from audio_companion.narration.layout import script_sentences
from audio_companion.podcast.build import build
from audio_companion.podcast.plan import plan_episodes
from audio_companion.podcast.settings import BuildSettings
from audio_companion.tts.base import VoiceSettings
from audio_companion.tts.registry import make_synthesizer

DEFAULT_ARTICLE = (
    Path(__file__).resolve().parents[1].parent / "shared/seeds/000_0f6c8d9654fe7ab1.txt"
)


def fair(text: str) -> str:
    """Normalised for WER, with acronyms the narrator spelled out joined up again."""
    return join_spelled_letters(normalise_for_wer(text))


def worst_words(ref: str, hyp: str, k: int) -> list[str]:
    """Reference words the recogniser missed most often (a rough bag-of-words view)."""
    from collections import Counter

    missing = Counter(fair(ref).split()) - Counter(fair(hyp).split())
    return [f"{w}×{n}" for w, n in missing.most_common(k)]


def bench(
    article_path: Path, spec: str, rate: int | None, episodes: int | None, worst: int, work: Path
) -> None:
    from audio_companion.asr.whisper_engine import WhisperRecognizer

    article = load_article(article_path)
    voice = VoiceSettings.parse(spec, rate)
    settings = BuildSettings(
        out_dir=work / voice.engine,
        published=0.0,
        voice=voice,
        speech_cache=work / "cache",
        workers=os.cpu_count() or 1,
    )
    factory = functools.partial(make_synthesizer, voice, threads=1)
    build([article], settings, make_synthesizer(voice), factory=factory)
    recognizer = WhisperRecognizer(language="en")
    total_err = total_words = 0
    refs, hyps = [], []
    seconds = 0.0
    t0 = time.perf_counter()
    print(f"== voice {spec} at {voice.rate_wpm} wpm")
    for ep in plan_episodes([article], settings)[:episodes]:
        ref = " ".join(script_sentences(ep.lines))
        audio = decode(settings.out_dir / ep.file_name, rate=16000)  # as a player hears it
        seconds += audio.duration
        hyp = recognizer.transcribe(audio).text
        errors, words = word_errors(fair(ref), fair(hyp), normalise=False)
        total_err += errors
        total_words += words
        refs.append(ref)
        hyps.append(hyp)
        ep_wer = errors / max(1, words)
        print(f"  {ep.number:2d} {ep.title[:44]:44s} WER {ep_wer:6.1%} ({words} words)")
    took = time.perf_counter() - t0
    wer = total_err / max(1, total_words)
    print(
        f"voice {spec} at {voice.rate_wpm} wpm: WER {wer:.1%} over {total_words} words "
        f"({seconds:.0f} s of audio, transcribed in {took:.0f} s)"
    )
    if worst:
        print("  most often missed:", ", ".join(worst_words(" ".join(refs), " ".join(hyps), worst)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("article", nargs="?", type=Path, default=DEFAULT_ARTICLE)
    ap.add_argument("--voice", action="append", help="espeak, piper, … (default: both)")
    ap.add_argument("--rate", type=int, default=None, help="words per minute")
    ap.add_argument("--episodes", type=int, default=None, help="only the first N episodes")
    ap.add_argument("--show-worst", type=int, default=12, help="list the K most-missed words")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for spec in args.voice or ["espeak", "piper"]:
            bench(args.article, spec, args.rate, args.episodes, args.show_worst, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
