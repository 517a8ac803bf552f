#!/usr/bin/env python3
"""How intelligible is the narration? Round-trip word error rate on the built episodes.

For each voice (default: the default voice, as `audio-companion build` picks it)
the article is built as `build` would (mastered MP3s), every episode is
decoded and transcribed with faster-whisper tiny.en (the `whisper` extra's
offline model), greedy (beam 1), and the transcript is compared with two
references:

- the speech text: what the voice was asked to say (the script's speech form,
  after normalising and the engine's lexicon);
- the written text: what the page says, sentence by sentence (the transcript's
  shown form; the narrator's own framing words, such as the episode intro,
  have no written form and count as spoken).

Both are normalised the same way (asr.wer: case, punctuation, numbers as
words; acronyms spelled letter by letter are joined up again). A lower WER
means a listener (and a machine) hears the words more reliably.

    .venv/bin/python scripts/bench_quality.py [ARTICLE] [--voice hibari --voice espeak]
        [--rate WPM] [--episodes N] [--beam N] [--show-worst K]
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from audio_companion.article import load_article
from audio_companion.asr.wer import join_spelled_letters, normalise_for_wer, word_errors
from audio_companion.media.ffmpeg import decode
from audio_companion.narration.layout import line_sentences
from audio_companion.podcast.build import build
from audio_companion.podcast.plan import PlannedEpisode, plan_episodes
from audio_companion.podcast.settings import BuildSettings
from audio_companion.tts.base import VoiceSettings
from audio_companion.tts.registry import default_voice, make_synthesizer

DEFAULT_ARTICLE = (
    Path(__file__).resolve().parents[1].parent / "shared/seeds/000_0f6c8d9654fe7ab1.txt"
)


# Written abbreviations the narrator reads out in full (narration.normalise), and
# times a recogniser writes as one token ("4pm"): the same words either way.
READ_OUT = {r"\bvs\b\.?": "versus", r"\bet al\b\.?": "and colleagues", r"(\d)([ap]m)\b": r"\1 \2"}


def fair(text: str) -> str:
    """Normalised for WER, with acronyms the narrator spelled out joined up again."""
    for pattern, said in READ_OUT.items():
        text = re.sub(pattern, said, text, flags=re.I)
    return join_spelled_letters(normalise_for_wer(text))


def references(ep: PlannedEpisode) -> tuple[str, str]:
    """(speech text, written text) of an episode."""
    pairs = [pair for line in ep.lines for pair in line_sentences(line)]
    return " ".join(s for s, _ in pairs), " ".join(w for _, w in pairs)


def worst_words(ref: str, hyp: str, k: int) -> list[str]:
    """Reference words the recogniser missed most often (a rough bag-of-words view)."""
    from collections import Counter

    missing = Counter(fair(ref).split()) - Counter(fair(hyp).split())
    return [f"{w}×{n}" for w, n in missing.most_common(k)]


def bench(
    article_path: Path,
    spec: str,
    rate: int | None,
    episodes: int | None,
    beam: int,
    worst: int,
    work: Path,
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
    recognizer = WhisperRecognizer(language="en", beam_size=beam)
    totals = {"speech": [0, 0], "written": [0, 0]}
    refs, hyps = [], []
    seconds = 0.0
    t0 = time.perf_counter()
    print(f"== voice {spec} ({voice.engine}) at {voice.rate_wpm} wpm; whisper tiny.en, beam {beam}")
    print(f"  {'':2} {'episode':44s} {'speech':>7s} {'written':>8s}")
    for ep in plan_episodes([article], settings)[:episodes]:
        speech, written = references(ep)
        audio = decode(settings.out_dir / ep.file_name, rate=16000)  # as a player hears it
        seconds += audio.duration
        hyp = recognizer.transcribe(audio).text
        row = []
        for name, ref in (("speech", speech), ("written", written)):
            errors, words = word_errors(fair(ref), fair(hyp), normalise=False)
            totals[name][0] += errors
            totals[name][1] += words
            row.append(errors / max(1, words))
        refs.append(speech)
        hyps.append(hyp)
        print(f"  {ep.number:2d} {ep.title[:44]:44s} {row[0]:7.1%} {row[1]:8.1%}")
    took = time.perf_counter() - t0
    wer = {k: e / max(1, n) for k, (e, n) in totals.items()}
    print(
        f"voice {spec} at {voice.rate_wpm} wpm: WER {wer['written']:.2%} against the written "
        f"text ({totals['written'][1]} words), {wer['speech']:.2%} against the speech text "
        f"({totals['speech'][1]} words); {seconds:.0f} s of audio, transcribed in {took:.0f} s"
    )
    if worst:
        print("  most often missed:", ", ".join(worst_words(" ".join(refs), " ".join(hyps), worst)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("article", nargs="?", type=Path, default=DEFAULT_ARTICLE)
    ap.add_argument(
        "--voice", action="append", help="hibari, piper, espeak … (default: the default)"
    )
    ap.add_argument("--rate", type=int, default=None, help="words per minute")
    ap.add_argument("--episodes", type=int, default=None, help="only the first N episodes")
    ap.add_argument("--beam", type=int, default=1, help="whisper beam size (default 1: greedy)")
    ap.add_argument("--show-worst", type=int, default=12, help="list the K most-missed words")
    args = ap.parse_args()
    voices = args.voice or [default_voice().engine]
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in voices:
            bench(
                args.article, spec, args.rate, args.episodes, args.beam, args.show_worst, Path(tmp)
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
