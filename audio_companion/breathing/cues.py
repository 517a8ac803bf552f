"""The sounds of a session, rendered once and reused for every cycle.

Spoken words come from a Synthesizer through a PromptCache (in memory, and
on disk when the cache has a folder), so "in" is synthesised once per voice,
not once per breath. Tones are generated with numpy. Every sound is 22050 Hz
mono int16, and its leading silence is cut off: espeak-ng starts some words
with up to ~50 ms of silence, and a person following with eyes closed hears
the cue when the sound starts, so the first audible sample must BE the cue's
start sample. `CueBank.lead_trimmed` keeps how much was cut from each sound.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from audio_companion.audio import dsp
from audio_companion.audio.chunk import AudioChunk
from audio_companion.breathing import sounds as generated
from audio_companion.breathing.errors import BreathingError
from audio_companion.breathing.patterns import DEFAULT_WORDS, Pattern
from audio_companion.breathing.schedule import (
    CLOSE_SOUND,
    INTRO_SOUND,
    MAX_TEMPO_STEPS,
    TEMPO_STEP,
    count_marks,
    sound_key,
)
from audio_companion.numbers import number_to_words
from audio_companion.tts.base import Synthesizer
from audio_companion.tts.prompts import PromptCache

RATE = 22050
INTRO_GAP = 1.5  # quiet between the end of the intro and the first "in"
CLOSE_TAIL = 2.0  # quiet after the close, so the file does not end on a word
TRIM_FRACTION = 0.01  # a sample at 1 % of the sound's peak (-40 dB) is where it starts
TRIM_FLOOR = 48  # …but never below this (int16), so dither is not mistaken for speech
TAIL_KEEP = 0.02  # seconds kept after the last audible sample
FADE_OUT = 0.005  # after the trailing cut, so it cannot click
SPEECH_PEAK = 0.6  # words are normalised to this peak (fraction of full scale)
COUNT_GAIN = 0.45  # the count is quieter than the cues
COUNTDOWN = ("3", "2", "1")  # before the first breath, one second apart
COUNTDOWN_STEP = 1.0
COUNTDOWN_GAIN = 0.8  # spoken countdown: a little softer than the cue words
GONG_GAP = 1.0  # quiet between the close's last word and the gong
GONG_TAIL = 1.0  # after the gong's own decay
TONE_GAIN = generated.TONE_GAIN


def intro_text(pattern: Pattern) -> str:
    return (
        f"Let's breathe together. {pattern.spoken_summary()} Close your eyes, and follow my voice."
    )


CLOSE_TEXT = (
    "That was the last breath. Let your breathing find its own pace, "
    "and open your eyes when you are ready."
)


@dataclass(frozen=True)
class CueStyle:
    """What the cues sound like. Words, tones or both; counting is optional."""

    voice: bool = True
    tones: bool = False
    count: bool = False  # quiet "two, three, …" each second of phases ≥ 6 s
    intro: bool = True  # spoken intro and close
    countdown: bool = False  # "three, two, one" (or three pips) before the first breath
    gong: bool = False  # a gong after the close (or at the end, without one)
    double_out: bool = False  # the out-tone as two short falling glides

    def __post_init__(self) -> None:
        if not (self.voice or self.tones):
            raise BreathingError("cues need a voice, tones, or both")


@dataclass
class CueBank(Mapping[str, AudioChunk]):
    """Rendered cue sounds by key (see schedule.sound_key), all at one rate."""

    rate: int = RATE
    sounds: dict[str, AudioChunk] = field(default_factory=dict)
    lead_trimmed: dict[str, float] = field(default_factory=dict)  # seconds cut at the start
    intro_seconds: float = 0.0  # span the plan gives the intro: its audio + INTRO_GAP
    close_seconds: float = 0.0  # span of the close: its audio + CLOSE_TAIL
    # Seconds into a sound where a further onset lies: the countdown inside the
    # intro, the gong inside the close (each after a quiet gap of its own).
    marks: dict[str, list[float]] = field(default_factory=dict)

    def __getitem__(self, key: str) -> AudioChunk:
        try:
            return self.sounds[key]
        except KeyError:
            raise KeyError(f"no rendered cue sound '{key}'") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.sounds)

    def __len__(self) -> int:
        return len(self.sounds)


# ------------------------------------------------------------------ samples


def to_rate(chunk: AudioChunk, rate: int = RATE) -> np.ndarray:
    """Mono int16 samples at `rate` as float64 in int16 units."""
    from audio_companion.audio.speaker import as_mono

    return as_mono(chunk, rate).astype(np.float64)


def trim(samples: np.ndarray, rate: int = RATE) -> tuple[np.ndarray, int]:
    """Cut leading and trailing silence; returns the samples and how many led.

    The threshold is relative to the sound's own peak, so soft and loud
    voices are cut at the same place in their envelope.
    """
    if len(samples) == 0:
        return samples, 0
    level = np.abs(samples)
    span = dsp.loud_span(
        level >= max(TRIM_FLOOR, TRIM_FRACTION * float(level.max())),
        after=round(TAIL_KEEP * rate),
    )
    if span is None:
        return samples[:0], len(samples)
    first, end = span
    return dsp.fade_out(samples[first:end].copy(), round(FADE_OUT * rate)), first


def tone(
    f0: float, f1: float, seconds: float, gain: float = TONE_GAIN, rate: int = RATE
) -> np.ndarray:
    """A sine gliding exponentially from f0 to f1, with raised-cosine fades (no clicks)."""
    return generated.tone(f0, f1, seconds, gain, rate)


def _tone_for(kind: str, word: str, phase_seconds: float, double_out: bool = False) -> np.ndarray:
    """Rising for in, falling for out, a short level note for holds (see breathing.sounds)."""
    top_up = kind == "in" and word != DEFAULT_WORDS["in"]
    return generated.phase_tone(kind, top_up, phase_seconds, RATE, double_out=double_out)


ACK_GAIN = 0.15
ACK_SECONDS = 0.18


def ack_sounds(rate: int = RATE) -> dict[str, AudioChunk]:
    """Soft tones that answer a spoken command at once, between the cues.

    "slower" glides down, "faster" glides up, "pause" is one low level note:
    the person hears within a moment that they were understood, without a
    word that could be taken for a cue.
    """
    glide = {"slower": (523.0, 392.0), "faster": (392.0, 523.0), "pause": (330.0, 330.0)}
    return {
        name: _chunk(tone(f0, f1, ACK_SECONDS, gain=ACK_GAIN, rate=rate), rate)
        for name, (f0, f1) in glide.items()
    }


def _chunk(samples: np.ndarray, rate: int = RATE) -> AudioChunk:
    return AudioChunk.from_int16(np.clip(np.rint(samples), -32768, 32767).astype("<i2"), rate)


# ------------------------------------------------------------------ the bank


number_words = number_to_words  # 2 -> 'two': espeak reads words more reliably


def needed_keys(pattern: Pattern, style: CueStyle) -> dict[str, tuple[str, str, float]]:
    """Every sound a session of `pattern` can ask for, at any tempo: key -> (kind, word, secs)."""
    keys: dict[str, tuple[str, str, float]] = {}
    for p in pattern.phases:
        keys.setdefault(sound_key(p.kind, p.cue_word), (p.kind, p.cue_word, p.seconds))
    if style.count:
        longest = max(p.seconds for p in pattern.phases) * TEMPO_STEP**MAX_TEMPO_STEPS
        for mark in count_marks(longest):
            word = str(int(mark) + 1)
            keys.setdefault(sound_key("count", word), ("count", word, 1.0))
    return keys


def _speech(cache: PromptCache, text: str, gain: float) -> tuple[np.ndarray, int]:
    raw = to_rate(cache.get(text, own=True))  # cue words and lines: kept for next time
    trimmed, lead = trim(raw)
    peak = float(np.abs(trimmed).max()) if len(trimmed) else 0.0
    if peak > 0:
        trimmed = trimmed * (gain * 32767.0 / peak)
    return trimmed, lead


def render_cues(
    pattern: Pattern, speech: Synthesizer | PromptCache, style: CueStyle | None = None
) -> CueBank:
    """Render every cue sound a session of `pattern` needs, once."""
    style = style or CueStyle()
    cache = speech if isinstance(speech, PromptCache) else PromptCache(speech)
    bank = CueBank()
    for key, (kind, word, secs) in needed_keys(pattern, style).items():
        parts: list[np.ndarray] = []
        lead = 0
        if style.voice:
            text = number_words(int(word)) if kind == "count" else word
            gain = SPEECH_PEAK * (COUNT_GAIN if kind == "count" else 1.0)
            words, lead = _speech(cache, text, gain)
            parts.append(words)
        if style.tones:
            parts.append(_tone_for(kind, word, secs, style.double_out))
        bank.sounds[key] = _chunk(dsp.mix(*parts))
        bank.lead_trimmed[key] = lead / RATE
    _frame(bank, pattern, cache, style)
    return bank


def _at(parts: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """Sounds placed at their sample offsets (later ones cut what is left of earlier ones)."""
    n = max((at + len(x) for at, x in parts), default=0)
    out = np.zeros(n)
    for at, x in parts:
        out[at : at + len(x)] = x
    return out


def _frame(bank: CueBank, pattern: Pattern, cache: PromptCache, style: CueStyle) -> None:
    """The intro (with its countdown) and the close (with its gong), each one sound.

    The countdown and the gong are parts of those sounds at exact sample
    offsets, recorded in `bank.marks`, so they start on their planned sample
    live and rendered alike, and the schedule needs no new kind of cue.
    """
    intro: list[tuple[int, np.ndarray]] = []
    close: list[tuple[int, np.ndarray]] = []
    lead = {INTRO_SOUND: 0, CLOSE_SOUND: 0}
    if style.intro:
        words, lead[INTRO_SOUND] = _speech(cache, intro_text(pattern), SPEECH_PEAK)
        intro.append((0, words))
        words, lead[CLOSE_SOUND] = _speech(cache, CLOSE_TEXT, SPEECH_PEAK)
        close.append((0, words))
    intro_span = len(intro[0][1]) / RATE + INTRO_GAP if intro else 0.0
    close_span = len(close[0][1]) / RATE + CLOSE_TAIL if close else 0.0
    if style.countdown:
        start = round(intro_span * RATE)
        marks = []
        for i, word in enumerate(COUNTDOWN):
            at = start + round(i * COUNTDOWN_STEP * RATE)
            marks.append(at / RATE)
            beep = [generated.pip(RATE)] if style.tones else []
            if style.voice:
                beep.append(
                    _speech(cache, number_words(int(word)), SPEECH_PEAK * COUNTDOWN_GAIN)[0]
                )
            intro.append((at, dsp.mix(*beep)))
        bank.marks[INTRO_SOUND] = marks
        intro_span = marks[-1] + COUNTDOWN_STEP
    if style.gong:
        at = round((len(close[0][1]) / RATE + GONG_GAP) * RATE) if close else 0
        ring = generated.gong(RATE)
        close.append((at, ring))
        bank.marks[CLOSE_SOUND] = [at / RATE]
        close_span = (at + len(ring)) / RATE + GONG_TAIL
    for key, parts in ((INTRO_SOUND, intro), (CLOSE_SOUND, close)):
        if parts:
            bank.sounds[key] = _chunk(_at(parts))
            bank.lead_trimmed[key] = lead[key] / RATE
    bank.intro_seconds = intro_span
    bank.close_seconds = close_span
