"""Turn a speech-recognition transcript into a spoken command.

Pure text in, `Command` out: no audio, no I/O, so every rule here is unit-tested.

In a check-in the user mostly *talks*, and only sometimes *commands*. A false
command (cutting someone off mid-answer because they said "we should stop
fighting") hurts more than a missed one, which the user can simply repeat. So a
command counts only when it is the whole utterance or its clear ending:

1. Whole utterance. After dropping fillers ("um", "uh", "please" anywhere; a
   leading "okay"/"hey companion"; a trailing "thanks") the utterance is a
   command phrase, optionally wrapped in lead-ins ("can you", "let's",
   "I want to", "that's all", ...) and trailing softeners ("now", "again",
   "for a moment", ...), and is at most `MAX_COMMAND_WORDS` words long.
2. Clear ending. The last segment is such a command, where segments are split
   at punctuation (",", ".", "?", "—" ...) and after closing phrases
   ("that's all", "that's it", "that's enough", "enough", "I'm done").
   So "... I felt tired today, that's all, stop" is STOP, while "we should stop
   fighting so much" and "next week we should talk" are not commands. A last
   segment made only of softeners ("..., stop, that's all") is skipped.
   Recognizers that emit no punctuation (vosk) only get rule 1 and closing
   phrases; callers with word timings can insert ", " at long pauses.

Small recognition errors are tolerated word by word: a heard word of 4+ letters
may stand for a phrase word of 4+ letters when both start with the same letter
and their difflib ratio is >= `FUZZY_MIN_RATIO` ("repeet", "skipp"); shorter
words must match exactly ("top" is not "stop"). Confidence is the worst word's
similarity. A few known sound-alikes are mapped explicitly ("paws" -> pause).

The stop words (default "stop" plus an optional personal one a couple agreed
on) are honoured in every state: a STOP candidate beats every other intent and
passes any `allowed` filter, because the stop word is a safety promise.

Numbers (1..10) are recognised as a whole utterance ("4", "four", "number 4").
With ``expect_number=True`` answers may be wrapped ("it's a four", "I'd say
three", "maybe 3", "three out of five", "I'd give it a 7"), may be the last
segment, and recognizer homophones count: won=1, to/too=2, tree/free=3,
for/fore=4, ate=8. Ranges and hedges ("three or four", "3 to 4", "three and a
half", "3.5") give the first number with confidence 0.5 so the caller can
confirm. Out-of-range numbers (0, 11+) give NONE.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from types import MappingProxyType

from audio_companion.voice.ratings import match_number, number_value
from audio_companion.voice.words import (
    BREAKS,
    CLOSERS,
    COURTESY,
    DEFAULT_PHRASES,
    FILLERS,
    FUZZY_MIN_RATIO,
    LEAD_INS,
    MAX_COMMAND_WORDS,
    MAX_NUMBER,
    MAX_NUMBER_WORDS,
    MIN_NUMBER,
    NO_COMMAND,
    NUMBER_HOMOPHONES,
    NUMBER_WORDS,
    PAIR_FIXES,
    SLASH_RE,
    SOUNDALIKE_CONFIDENCE,
    SOUNDALIKES,
    TOKEN_RE,
    TRAILERS,
    WAKE,
    WORD_FIXES,
    Command,
    Intent,
    Words,
)

# The vocabulary's types live in `words`; callers import them from here, with the matcher.
__all__ = [
    "DEFAULT_PHRASES",
    "NO_COMMAND",
    "NUMBER_HOMOPHONES",
    "NUMBER_WORDS",
    "Command",
    "CommandVocabulary",
    "Intent",
    "contains_stop_ending",
    "match_command",
]


@dataclass(frozen=True)
class CommandVocabulary:
    """Which phrases mean which intent, and which words stop everything.

    `phrases` maps each intent to its phrases; `stop_words` plus the optional
    `personal_stop_word` (one a couple agreed on, e.g. "pineapple") mean STOP.
    Everything is stored normalised; clashes are rejected at construction,
    because a stop word that also means "next" would be a broken promise.
    """

    phrases: Mapping[Intent, tuple[str, ...]] = field(
        default_factory=lambda: DEFAULT_PHRASES, hash=False
    )
    stop_words: tuple[str, ...] = ("stop",)
    personal_stop_word: str | None = None
    _table: tuple[tuple[Intent, Words], ...] = field(
        init=False, repr=False, compare=False, hash=False, default=()
    )

    def __post_init__(self) -> None:
        owner: dict[Words, Intent] = {}
        table: list[tuple[Intent, Words]] = []
        phrases: dict[Intent, tuple[str, ...]] = {}

        def add(intent: Intent, text: str) -> str:
            words = _normalise_phrase(text)
            previous = owner.setdefault(words, intent)
            if previous is not intent:
                raise ValueError(f"phrase {text!r} means both {previous.name} and {intent.name}")
            if intent is Intent.STOP and len(words) == 1 and number_value(words[0], True):
                raise ValueError(f"stop word {text!r} would be heard as a number")
            if (intent, words) not in table:
                table.append((intent, words))
            return " ".join(words)

        stops = tuple(dict.fromkeys(add(Intent.STOP, w) for w in self.stop_words))
        personal = None
        if self.personal_stop_word is not None:
            personal = add(Intent.STOP, self.personal_stop_word)
        if not stops and personal is None:
            raise ValueError("at least one stop word is required")
        for intent, texts in self.phrases.items():
            if intent in (Intent.NONE, Intent.NUMBER):
                raise ValueError(f"{intent.name} cannot have phrases")
            if isinstance(texts, str):
                raise TypeError(f"phrases for {intent.name} must be a sequence of strings")
            phrases[intent] = tuple(dict.fromkeys(add(intent, t) for t in texts))

        object.__setattr__(self, "phrases", MappingProxyType(phrases))
        object.__setattr__(self, "stop_words", stops)
        object.__setattr__(self, "personal_stop_word", personal)
        object.__setattr__(self, "_table", tuple(table))

    def phrases_for(
        self, allowed: frozenset[Intent] | None, *, numbers: bool, up_to: int = MAX_NUMBER
    ) -> tuple[str, ...]:
        """What a command-mode recogniser is primed with (or restricted to) right now.

        The stop words always (a safety promise), then the first, shortest-to-say
        phrase of each allowed intent ("pause", "yes"; `allowed` None: every
        intent), then "one" .. `up_to` only when `numbers`. Only short words: a
        long prompt makes whisper hear commands in everything, and the matcher
        still understands wrapped forms ("can you pause") when they are heard.
        A question on a scale of five primes only one to five: primed with "ten"
        too, whisper heard a clipped "two" as "ten" three times in five on the rig.
        """
        out: list[str] = [*self.stop_words]
        if self.personal_stop_word:
            out.append(self.personal_stop_word)
        for intent, texts in self.phrases.items():
            if texts and (allowed is None or intent in allowed):
                out.append(texts[0])
        if numbers:
            top = min(up_to, MAX_NUMBER)
            out.extend(w for w, v in NUMBER_WORDS.items() if MIN_NUMBER <= v <= top)
        return tuple(dict.fromkeys(out))


def match_command(
    transcript: str,
    vocab: CommandVocabulary,
    *,
    expect_number: bool = False,
    allowed: frozenset[Intent] | None = None,
) -> Command:
    """Return the command `transcript` expresses, or a NONE command.

    `expect_number` is set while waiting for a 1..10 rating; it unlocks wrapped
    answers and homophones. `allowed` limits the result (e.g. YES/NO for a
    yes/no question); STOP is always allowed. See the module docstring for
    the whole-utterance / clear-ending rule.
    """
    candidates = _candidates(transcript, vocab, expect_number=expect_number)
    if allowed is not None:
        candidates = [c for c in candidates if c.intent in allowed or c.intent is Intent.STOP]
    if not candidates:
        return NO_COMMAND
    stops = [c for c in candidates if c.intent is Intent.STOP]
    return max(stops or candidates, key=lambda c: c.confidence)


def contains_stop_ending(transcript: str, vocab: CommandVocabulary) -> bool:
    """True when a (possibly partial, streaming) transcript ends in a stop command.

    Lets the caller cut speech output the moment the stop word is heard instead
    of waiting for the recognizer's endpoint.
    """
    return any(c.intent is Intent.STOP for c in _candidates(transcript, vocab, numbers=False))


# --- normalisation -------------------------------------------------------


def _segments(text: str) -> list[Words]:
    """Lowercased words, split at punctuation and after closing phrases."""
    text = SLASH_RE.sub(r"\1 out of \2", text.lower().replace("’", "'").replace("‘", "'"))
    raw: list[list[str]] = [[]]
    for match in TOKEN_RE.finditer(text):
        token = match.group()
        if token in BREAKS:
            raw.append([])
        else:
            raw[-1].append(token)
    out: list[Words] = []
    for segment in raw:
        out.extend(_split_after_closers(_clean(segment)))
    return [s for s in out if s]


def _clean(tokens: Sequence[str]) -> Words:
    """Fix spellings, contract common pairs, drop fillers and stutters."""
    words = [WORD_FIXES.get(t, t) for t in tokens]
    merged: list[str] = []
    for word in words:
        fixed = PAIR_FIXES.get((merged[-1], word)) if merged else None
        if fixed is not None:
            merged[-1] = fixed
        else:
            merged.append(word)
    kept = [w for w in merged if w not in FILLERS]
    return tuple(w for i, w in enumerate(kept) if i == 0 or kept[i - 1] != w)


def _normalise_phrase(text: str) -> Words:
    words = _clean(TOKEN_RE.findall(text.lower().replace("’", "'")))
    words = tuple(w for w in words if w not in BREAKS)
    if not words:
        raise ValueError(f"phrase {text!r} is empty after normalisation")
    return words


def _starts_with(words: Words, start: int, phrase: Words) -> bool:
    return words[start : start + len(phrase)] == phrase


def _split_after_closers(words: Words) -> list[Words]:
    out: list[Words] = []
    begin = i = 0
    while i < len(words):
        closer = next((c for c in CLOSERS if _starts_with(words, i, c)), None)
        if closer is None:
            i += 1
            continue
        i += len(closer)
        out.append(words[begin:i])
        begin = i
    out.append(words[begin:])
    return out


def _trim(words: Words) -> Words:
    """Drop a leading wake word/"okay" and trailing thanks, keeping at least one word."""
    changed = True
    while changed:
        changed = False
        for wake in WAKE:
            if len(words) > len(wake) and words[: len(wake)] == wake:
                words, changed = words[len(wake) :], True
        for courtesy in COURTESY:
            if len(words) > len(courtesy) and words[-len(courtesy) :] == courtesy:
                words, changed = words[: -len(courtesy)], True
    return words


def _is_only_trailers(words: Words) -> bool:
    return _chain_ends(words)[-1] == 0


# --- candidates ----------------------------------------------------------


def _candidates(
    transcript: str, vocab: CommandVocabulary, *, expect_number: bool = False, numbers: bool = True
) -> list[Command]:
    segments = _segments(transcript)
    if not segments:
        return []
    whole = _clean(tuple(w for s in segments for w in s))
    found = _match_span(whole, vocab, numbers=numbers, number_context=expect_number)
    while len(segments) > 1 and _is_only_trailers(segments[-1]):
        segments.pop()
    if len(segments) > 1:
        last = segments[-1]
        found += _match_span(
            last, vocab, numbers=numbers and expect_number, number_context=expect_number
        )
    return found


def _match_span(
    words: Words, vocab: CommandVocabulary, *, numbers: bool, number_context: bool
) -> list[Command]:
    words = _trim(words)
    found: list[Command] = []
    if numbers and len(words) <= (MAX_NUMBER_WORDS if number_context else 2):
        number = match_number(words, homophones=number_context)
        if number is not None:
            found.append(number)
    if len(words) > MAX_COMMAND_WORDS:
        return found
    for start in _chain_starts(words):
        for end in _chain_ends(words):
            if start < end:
                phrase = _match_phrase(words[start:end], vocab)
                if phrase is not None:
                    found.append(phrase)
    return found


def _chain(words: Words, options: Iterable[Words], *, from_end: bool) -> list[int]:
    """Cut points after greedily peeling lead-ins (or trailers, from the end)."""
    options = tuple(options)
    cuts = [len(words) if from_end else 0]
    while True:
        pos = cuts[-1]
        step = next(
            (
                len(o)
                for o in options
                if (
                    (pos >= len(o) and words[pos - len(o) : pos] == o)
                    if from_end
                    else _starts_with(words, pos, o)
                )
            ),
            0,
        )
        if step == 0:
            return cuts
        cuts.append(pos - step if from_end else pos + step)


def _chain_starts(words: Words) -> list[int]:
    return _chain(words, LEAD_INS, from_end=False)


def _chain_ends(words: Words) -> list[int]:
    return _chain(words, TRAILERS, from_end=True)


def _match_phrase(heard: Words, vocab: CommandVocabulary) -> Command | None:
    best: Command | None = None
    for intent, phrase in vocab._table:
        score = _similarity(heard, phrase)
        if score > 0 and (best is None or score > best.confidence):
            best = Command(intent, confidence=round(score, 3), matched=" ".join(heard))
    return best


def _similarity(heard: Words, phrase: Words) -> float:
    """0 for no match, else the weakest word's similarity (1.0 for exact)."""
    if heard == phrase:
        return 1.0
    if len(heard) != len(phrase):
        return 0.95 if "".join(heard) == "".join(phrase) else 0.0
    return min(_word_similarity(h, p) for h, p in zip(heard, phrase, strict=True))


def _word_similarity(heard: str, word: str) -> float:
    if heard == word:
        return 1.0
    if SOUNDALIKES.get(heard) == word:
        return SOUNDALIKE_CONFIDENCE
    if min(len(heard), len(word)) < 4 or heard[0] != word[0]:
        return 0.0
    ratio = SequenceMatcher(None, heard, word).ratio()
    return ratio if ratio >= FUZZY_MIN_RATIO else 0.0
