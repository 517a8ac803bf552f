"""Breathing patterns: what to do for how long, as plain frozen values.

A pattern is a cycle of phases (in, hold, out, hold after the out-breath).
The built-ins live in one table below; custom ones come from a short
"4-2-6-0" string or a TOML file. Every Pattern validates itself, so anything
that holds one can rely on it: at least one in and one out, every phase more
than 0 and at most 60 seconds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from audio_companion.breathing.errors import BreathingError
from audio_companion.tomlfile import syntax_error_message, tomllib

PhaseKind = Literal["in", "hold", "out", "hold_out"]
PHASE_KINDS: tuple[str, ...] = get_args(PhaseKind)
MAX_PHASE_SECONDS = 60.0  # longer is not a breathing phase but a typo
DEFAULT_WORDS: dict[str, str] = {"in": "in", "hold": "hold", "out": "out", "hold_out": "hold"}
TOP_UP_WORD = "and again"  # the sigh's second, short inhale


@dataclass(frozen=True)
class Phase:
    """One phase of a cycle; `word` overrides the spoken cue (e.g. the sigh's top-up)."""

    kind: PhaseKind
    seconds: float
    word: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in PHASE_KINDS:
            raise BreathingError(
                f"unknown breathing phase '{self.kind}'; use one of: {', '.join(PHASE_KINDS)}"
            )
        s = self.seconds
        if isinstance(s, bool) or not isinstance(s, int | float) or not math.isfinite(s):
            raise BreathingError(f"the '{self.kind}' phase needs a number of seconds, not {s!r}")
        if s <= 0:
            raise BreathingError(
                f"the '{self.kind}' phase lasts {s:g} s; every phase must be longer than 0 s"
            )
        if s > MAX_PHASE_SECONDS:
            raise BreathingError(
                f"the '{self.kind}' phase lasts {s:g} s; "
                f"a phase can last at most {MAX_PHASE_SECONDS:g} s"
            )
        if self.word is not None and not self.word.strip():
            raise BreathingError(f"the '{self.kind}' phase has an empty cue word")

    @property
    def cue_word(self) -> str:
        """What is said when the phase starts."""
        return self.word or DEFAULT_WORDS[self.kind]


@dataclass(frozen=True)
class Pattern:
    name: str
    phases: tuple[Phase, ...]
    description: str = ""

    def __post_init__(self) -> None:
        kinds = {p.kind for p in self.phases}
        if "in" not in kinds or "out" not in kinds:
            raise BreathingError(
                f"breathing pattern '{self.name}' needs at least one 'in' and one 'out' phase"
            )

    @property
    def cycle_seconds(self) -> float:
        return math.fsum(p.seconds for p in self.phases)

    @property
    def breaths_per_minute(self) -> float:
        return 60.0 / self.cycle_seconds

    def spoken_summary(self) -> str:
        """'In for 4, hold for 4, out for 4, hold for 4.' — read out in the intro."""
        parts = []
        for i, p in enumerate(self.phases):
            verb = DEFAULT_WORDS[p.kind]
            if p.kind == "in" and i > 0 and self.phases[i - 1].kind == "in":
                verb = "in again"
            parts.append(f"{verb} for {_spoken_seconds(p.seconds)}")
        text = ", ".join(parts)
        return text[0].upper() + text[1:] + "."


def _spoken_seconds(seconds: float) -> str:
    whole = math.floor(seconds)
    if seconds == whole:
        return str(whole)
    if seconds - whole == 0.5:
        return f"{whole} and a half" if whole else "half a second"
    return f"{seconds:g}"


def _pattern(name: str, description: str, *phases: tuple[PhaseKind, float, str | None]) -> Pattern:
    return Pattern(name, tuple(Phase(k, s, w) for k, s, w in phases), description)


# The built-ins. Box and 4-7-8 are the well-known counts; resonance (coherent)
# breathing at 5.5 s each way is about 5.45 breaths a minute; cyclic sighing is
# a double inhale (a full breath, then a short top-up) and a long exhale.
BUILTINS: dict[str, Pattern] = {
    p.name: p
    for p in (
        _pattern(
            "box",
            "Box breathing: in 4, hold 4, out 4, hold 4.",
            ("in", 4, None),
            ("hold", 4, None),
            ("out", 4, None),
            ("hold_out", 4, None),
        ),
        _pattern(
            "4-7-8",
            "4-7-8 breathing: in 4, hold 7, out 8; a long exhale for winding down.",
            ("in", 4, None),
            ("hold", 7, None),
            ("out", 8, None),
        ),
        _pattern(
            "resonance",
            "Resonance (coherent) breathing: in 5.5, out 5.5, about 5.5 breaths a minute.",
            ("in", 5.5, None),
            ("out", 5.5, None),
        ),
        _pattern(
            "sigh",
            "Cyclic (physiological) sighing: in 2, a short top-up in 1, a long out 6.",
            ("in", 2, None),
            ("in", 1, TOP_UP_WORD),
            ("out", 6, None),
        ),
    )
}
ALIASES: dict[str, str] = {
    "coherent": "resonance",
    "physiological": "sigh",
    "physiological-sigh": "sigh",
    "cyclic-sighing": "sigh",
    "478": "4-7-8",
}

RESONANCE = "resonance"


def resonance_pattern(breaths_per_minute: float) -> Pattern:
    """`resonance` at a person's own pace (found by `breathe --find-resonance`).

    The same shape as the built-in, in and out equally long, so only the pace
    changes; each phase is rounded to a tenth of a second, so it can be said
    ("in for 4.6") and 6.5 a minute is breathed as 6.52. That is well within
    what a person can follow, and far finer than the protocol's 0.5 steps.
    """
    if not math.isfinite(breaths_per_minute) or breaths_per_minute <= 0:
        raise BreathingError(f"a resonance pace must be above 0 a minute, not {breaths_per_minute}")
    half = round(30.0 / breaths_per_minute, 1)
    return _pattern(
        RESONANCE,
        f"Resonance breathing at your own pace: in {half:g}, out {half:g}, "
        f"about {breaths_per_minute:g} breaths a minute.",
        ("in", half, None),
        ("out", half, None),
    )


def is_resonance(spec: str) -> bool:
    """Whether --pattern asks for resonance breathing (by name or alias)."""
    key = spec.strip().lower()
    return ALIASES.get(key, key) == RESONANCE


# Positions of the numbers in "4-2-6-0" by how many there are.
_SHORT_FORMS: dict[int, tuple[PhaseKind, ...]] = {
    2: ("in", "out"),
    3: ("in", "hold", "out"),
    4: ("in", "hold", "out", "hold_out"),
}
_NUMBER = r"\d+(?:\.\d+)?"
_SHORT_RE = re.compile(rf"^{_NUMBER}(?:-{_NUMBER}){{1,3}}$")


def known_names() -> str:
    """'4-7-8, box, resonance (coherent), sigh (…)' for error messages and --help."""
    parts = []
    for name in sorted(BUILTINS):
        aliases = sorted(a for a, target in ALIASES.items() if target == name and a[0].isalpha())
        parts.append(f"{name} ({', '.join(aliases)})" if aliases else name)
    return ", ".join(parts)


def parse_pattern(text: str) -> Pattern:
    """Seconds joined by dashes: in-out, in-hold-out, or in-hold-out-hold; zeros are dropped."""
    spec = text.strip()
    if not _SHORT_RE.match(spec):
        raise BreathingError(
            f"cannot read breathing pattern '{text}'; give 2 to 4 numbers of seconds "
            f"such as 4-6 (in-out), 4-7-8 (in-hold-out) or 4-2-6-0 (in-hold-out-hold)"
        )
    numbers = [float(n) for n in spec.split("-")]
    kinds = _SHORT_FORMS[len(numbers)]
    phases = tuple(
        Phase(kind, int(s) if s.is_integer() else s)
        for kind, s in zip(kinds, numbers, strict=True)
        if s != 0
    )
    return Pattern(spec, phases, f"Custom pattern {spec}.")


def load_pattern_file(path: Path) -> Pattern:
    """A TOML pattern: name = "...", description = "...", phases = [["in", 4], ["out", 6]].

    A phase may carry its own cue word as a third item: ["in", 1, "and again"].
    """
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise BreathingError(f"no pattern file {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BreathingError(f"cannot read pattern file {path}: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BreathingError(syntax_error_message(str(path), text, exc)) from None
    name = data.get("name", path.stem)
    description = data.get("description", "")
    raw = data.get("phases")
    if not isinstance(name, str) or not isinstance(description, str):
        raise BreathingError(f"pattern file {path}: 'name' and 'description' must be text")
    if not isinstance(raw, list) or not raw:
        raise BreathingError(
            f'pattern file {path} needs a list of phases, e.g. phases = [["in", 4], ["out", 6]]'
        )
    phases = tuple(_phase_from_toml(path, i, item) for i, item in enumerate(raw, start=1))
    return Pattern(name, tuple(p for p in phases if p is not None), description)


def _phase_from_toml(path: Path, number: int, item: Any) -> Phase | None:
    ok = (
        isinstance(item, list)
        and len(item) in (2, 3)
        and isinstance(item[0], str)
        and isinstance(item[1], int | float)
        and not isinstance(item[1], bool)
        and (len(item) == 2 or isinstance(item[2], str))
    )
    if not ok:
        raise BreathingError(
            f'pattern file {path}: phase {number} must look like ["in", 4] or ["in", 1, "word"]'
        )
    if item[1] == 0:
        return None  # like "4-0-6": a zero-length phase is simply not there
    try:
        return Phase(item[0], item[1], item[2] if len(item) == 3 else None)
    except BreathingError as exc:
        raise BreathingError(f"pattern file {path}, phase {number}: {exc}") from None


def resolve_pattern(spec: str, resonance_pace: float | None = None) -> Pattern:
    """What the CLI's --pattern takes: a built-in name or alias, '4-2-6-0', or a .toml file.

    `resonance_pace` is the person's own pace (breaths a minute) when one was
    found: `resonance` then breathes at it instead of the built-in 5.45.
    """
    key = spec.strip().lower()
    key = ALIASES.get(key, key)
    if key == RESONANCE and resonance_pace is not None:
        return resonance_pattern(resonance_pace)
    if key in BUILTINS:
        return BUILTINS[key]
    if _SHORT_RE.match(key):
        return parse_pattern(key)
    if key.endswith(".toml") or Path(spec).is_file():
        return load_pattern_file(Path(spec))
    raise BreathingError(
        f"unknown breathing pattern '{spec}'; known: {known_names()}; "
        f"or give seconds like 4-2-6-0, or a .toml file"
    )
