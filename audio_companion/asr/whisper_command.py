"""Whisper's command mode: a short window, a primed greedy pass, checks, and the list.

Whisper cannot be restricted to a grammar, so command mode works in three steps:

1. **A short window.** Silero VAD (inside faster-whisper) keeps only the speech;
   a command is a second or two of it, so the encoder sees a 15 s window instead
   of whisper's usual 30 s.  Encoding is most of the cost (tiny.en int8 on this
   machine: 0.19 s for 30 s, 0.056 s for 15 s).  On the command bench the 15 s
   window understood 96/100 (the 30 s one 95/100) and decoded at p95 0.15 s
   (0.33 s); whisper is less sure of its words on it, about 0.12 lower, and the
   dialog's confidence lines moved with that.  Longer speech gets the full window.
2. **A primed greedy pass.** The allowed phrases become the decoder's prompt
   ("Stop, pause, resume."), which pulls a short, flat or clipped word towards
   them; greedy, capped at a few tokens.
3. **Checks.** Probably not speech, repetitive or running to the cap, or too
   unsure: the transcript comes back empty with what was heard in ``rejected``.
   One word listed again and again ("Four, four, four, ...") is that word: on
   a short window tiny.en sometimes carries on the prompt's list with it.

Scoring the listed phrases against the audio when greedy read something else
("Pies." for "pause") was tried and left out: on the bench it recovered no
command that the confidence floor then let through (``bench_listen``).

`judge` is the pure part (what to trust), `CommandListener` the model calls.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from audio_companion.asr.base import UNKNOWN_WORD, Transcript, Word

RATE = 16000
HOP = 160  # samples per log-mel frame
FULL_WINDOW_FRAMES = 3000  # whisper's 30 s at 100 frames a second

MIN_SPEECH = 0.1  # seconds of voiced audio below which nothing is decoded

Padding = Literal["audio", "frames"]


@dataclass(frozen=True)
class CommandDecoding:
    """How command mode decodes, and which results it rejects.

    Confidence is the probability whisper gave its own tokens, ``exp(avg_logprob)``.
    On the bench (``scripts/bench_listen.py``: 100 command clips in five voices,
    50 other clips in three scenarios) understood commands scored 0.33-0.93,
    median 0.70, and words taken for commands ("breathe" as "Three", "garden" as
    "Pardon") 0.51-0.73: no confidence threshold separates the two, so confidence
    alone rejects only garbage, and a doubtful number is confirmed by the dialog
    instead (``checkin.session.HEARD_SURE``).  What does separate is whisper's
    no-speech probability and the shape of the output: noise and silence come
    back as long counts ("Three, two, three, two...").
    """

    beam_size: int = 1
    """Greedy: a command is one or two tokens; beam 5 understood the same 94/100 on
    the bench, at a third more decode time."""
    max_new_tokens: int = 16
    """Commands are a few tokens ("Stop, please." is 4); the cap bounds the cost of
    whisper repeating the prompt over noise, and a decode that reaches it is rejected."""
    min_confidence: float = 0.3
    """Below this ``exp(avg_logprob)`` the words are a guess, not a command (the least
    sure understood command on the bench scored 0.33)."""
    max_no_speech_prob: float = 0.6
    """Whisper's own probability that there was no speech; above it, nothing was said."""
    max_compression_ratio: float = 2.4
    """zlib ratio of the text; above it the decoder is looping (whisper's own limit)."""
    window_s: float = 15.0
    """Encoder window for speech this short or shorter; longer speech gets the full 30 s."""


@dataclass(frozen=True)
class Reading:
    """One reading of the audio: its text and the log-probability of its tokens."""

    text: str
    tokens: int
    logprob: float
    """Summed natural-log probability of the text tokens."""

    @property
    def avg_logprob(self) -> float:
        """As faster-whisper reports it: the sum over tokens plus the end token."""
        return self.logprob / (self.tokens + 1)


@dataclass(frozen=True)
class Decoded:
    """What the model made of one utterance in command mode."""

    greedy: Reading
    no_speech_prob: float
    hit_cap: bool
    duration: float = 0.0


def prompt_text(phrases: Sequence[str]) -> str | None:
    """Phrases as a spoken list, "Stop, pause, resume.": how whisper writes such words."""
    wanted = listed_phrases(phrases)
    if not wanted:
        return None
    text = ", ".join(wanted)
    return text[:1].upper() + text[1:] + "."


def listed_phrases(phrases: Sequence[str]) -> list[str]:
    return [" ".join(p.split()) for p in phrases if p.strip() and p.strip() != UNKNOWN_WORD]


def as_written(phrase: str) -> str:
    """A listed phrase the way whisper writes a lone command: "Pause."."""
    return phrase[:1].upper() + phrase[1:] + "."


def plain(text: str) -> str:
    """Lower case, letters, digits, apostrophes and single spaces only."""
    kept = "".join(c if c.isalnum() or c == "'" else " " for c in text.lower())
    return " ".join(kept.split())


def is_listed(text: str, phrases: Sequence[str]) -> bool:
    """Whether `text` is exactly one of `phrases` (or a number, when numbers are listed)."""
    said = plain(text)
    listed = {plain(p) for p in listed_phrases(phrases)}
    return bool(said) and (said in listed or (said.isdigit() and "one" in listed))


def compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def repeated_once(text: str) -> str | None:
    """ "Four, four, four, four" as "Four.": one word said once, that whisper kept listing.

    Primed with a list, tiny.en sometimes carries on the list with the word it heard
    until the token cap; every part the same word means that word.  None otherwise.
    """
    parts = [plain(p) for p in text.split(",")]
    parts = [p for p in parts if p] if parts and not parts[-1] else parts
    if len(parts) < 2 or len(set(parts)) != 1 or " " in parts[0]:
        return None
    return as_written(text.split(",")[0].strip())


def judge(d: Decoded, settings: CommandDecoding, engine: str) -> Transcript:
    """The transcript command mode trusts, or an empty one with what was heard."""
    c = settings
    heard = d.greedy
    if not heard.text:
        return Transcript("", (), 0.0, engine)
    once = repeated_once(heard.text)
    if once is not None:
        heard = Reading(once, heard.tokens, heard.logprob)
    looping = once is None and (
        d.hit_cap or compression_ratio(heard.text) > c.max_compression_ratio
    )
    if d.no_speech_prob > c.max_no_speech_prob or looping:
        return Transcript("", (), math.exp(heard.avg_logprob), engine, rejected=heard.text)
    confidence = math.exp(heard.avg_logprob)
    if confidence < c.min_confidence:
        return Transcript("", (), confidence, engine, rejected=heard.text)
    words = tuple(Word(w, 0.0, d.duration, confidence) for w in heard.text.split())
    return Transcript(heard.text, words, confidence, engine)


class CommandListener:
    """Runs command mode on a loaded ``faster_whisper.WhisperModel``."""

    def __init__(self, model: Any, settings: CommandDecoding, language: str | None) -> None:
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        self.model = model
        self.settings = settings
        self.tokenizer = Tokenizer(
            model.hf_tokenizer,
            model.model.is_multilingual,
            task="transcribe",
            language=language or "en",
        )
        self.suppress = list(get_suppressed_tokens(self.tokenizer, (-1,)) or ())

    def speech(self, samples: np.ndarray) -> np.ndarray:
        """Only the voiced parts (Silero VAD as faster-whisper's ``vad_filter`` runs it)."""
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        spans = get_speech_timestamps(samples, VadOptions(min_silence_duration_ms=160))
        if not spans:
            return samples[:0]
        return np.concatenate([samples[s["start"] : s["end"]] for s in spans])

    def decode(self, samples: np.ndarray, phrases: Sequence[str], engine: str) -> Transcript:
        """The first reading that is one of `phrases`; else the first reading.

        A second reading, with the window padded in whisper's feature space
        instead of with silent audio, is made only when the first is not a
        listed phrase: see `features`.
        """
        speech = self.speech(samples)
        first = judge(self.read(speech, phrases), self.settings, engine)
        if is_listed(first.text, phrases) or len(speech) < MIN_SPEECH * RATE:
            return first
        second = judge(self.read(speech, phrases, padding="frames"), self.settings, engine)
        return second if is_listed(second.text, phrases) else first

    def read(
        self, speech: np.ndarray, phrases: Sequence[str], padding: Padding = "audio"
    ) -> Decoded:
        """One primed greedy reading of `speech` (already cut to its voiced parts)."""
        duration = len(speech) / RATE
        if duration < MIN_SPEECH:
            return Decoded(Reading("", 0, 0.0), 1.0, False, duration=duration)
        short = round(self.settings.window_s * 100)
        frames = min(len(speech) // HOP + 1, FULL_WINDOW_FRAMES)
        window = short if frames <= short else FULL_WINDOW_FRAMES
        encoded = self.model.encode(self.features(speech, window, padding))
        prompt = self.prompt_tokens(phrases)
        cap = self.settings.max_new_tokens
        result = self.model.model.generate(
            encoded,
            [prompt],
            beam_size=self.settings.beam_size,
            max_length=len(prompt) + cap,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=self.suppress,
        )[0]
        tokens = list(result.sequences_ids[0])
        text = self.tokenizer.decode(tokens).strip()
        # ctranslate2 reports the length-normalised score; undo it for a sum.
        greedy = Reading(text, len(tokens), float(result.scores[0]) * len(tokens))
        return Decoded(greedy, float(result.no_speech_prob), len(tokens) >= cap, duration)

    def features(self, speech: np.ndarray, window: int, padding: Padding = "audio") -> np.ndarray:
        """Log-mel frames of `speech` then padding, exactly `window` frames.

        ``"audio"``: the speech followed by silent audio, as whisper was trained.
        faster-whisper pads the frames with zeros instead (``"frames"``); on the
        bench's files the 15 s window understood 75 of 100 commands that way,
        84 with silent audio, 96 with `repeated_once`. But on the hands-free rig
        (joe's voice through PulseAudio, ``joe-rig`` in bench_listen) silent
        audio heard "slower" as "Flower" or "floor" in 4 of 6 clips and zero
        frames in none, while zero frames set tiny.en counting ("two, two,
        three, two, ...") on a lone "two". Each reads what the other misses,
        hence the second reading in `decode`.
        """
        if padding == "frames":
            frames: np.ndarray = self.model.feature_extractor(speech)
            out = np.zeros((frames.shape[0], window), np.float32)
            n = min(frames.shape[1], window)
            out[:, :n] = frames[:, :n]
            return out
        padded = np.zeros(window * HOP, np.float32)
        n = min(len(speech), len(padded))
        padded[:n] = speech[:n]
        features: np.ndarray = self.model.feature_extractor(padded, padding=0)
        return features[:, :window]

    def prompt_tokens(self, phrases: Sequence[str]) -> list[int]:
        tok = self.tokenizer
        text = prompt_text(phrases)
        before = [tok.sot_prev, *tok.encode(" " + text)] if text else []
        return [*before, *tok.sot_sequence, tok.no_timestamps]
