"""Patterns: the built-in table, '4-2-6-0', TOML files, and one-line errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_companion.breathing import (
    BUILTINS,
    BreathingError,
    Pattern,
    Phase,
    load_pattern_file,
    parse_pattern,
    resolve_pattern,
)
from audio_companion.breathing.schedule import Length
from audio_companion.errors import InputError


def kinds_and_seconds(p: Pattern) -> list[tuple[str, float]]:
    return [(ph.kind, ph.seconds) for ph in p.phases]


def one_line_error(exc: pytest.ExceptionInfo[BreathingError]) -> str:
    text = str(exc.value)
    assert text and "\n" not in text
    assert isinstance(exc.value, InputError) and exc.value.exit_code == 2
    return text


def test_builtins() -> None:
    assert kinds_and_seconds(BUILTINS["box"]) == [
        ("in", 4),
        ("hold", 4),
        ("out", 4),
        ("hold_out", 4),
    ]
    assert kinds_and_seconds(BUILTINS["4-7-8"]) == [("in", 4), ("hold", 7), ("out", 8)]
    resonance = BUILTINS["resonance"]
    assert kinds_and_seconds(resonance) == [("in", 5.5), ("out", 5.5)]
    assert resonance.breaths_per_minute == pytest.approx(5.45, abs=0.01)
    sigh = BUILTINS["sigh"]
    assert kinds_and_seconds(sigh) == [("in", 2), ("in", 1), ("out", 6)]
    assert [p.cue_word for p in sigh.phases] == ["in", "and again", "out"]
    assert all(p.description for p in BUILTINS.values())


@pytest.mark.parametrize(
    ("spec", "name"),
    [
        ("box", "box"),
        ("BOX", "box"),
        ("coherent", "resonance"),
        ("physiological", "sigh"),
        ("cyclic-sighing", "sigh"),
        ("4-7-8", "4-7-8"),
    ],
)
def test_resolve_names_and_aliases(spec: str, name: str) -> None:
    assert resolve_pattern(spec) is BUILTINS[name]


def test_parse_short_forms() -> None:
    assert kinds_and_seconds(parse_pattern("4-2-6-0")) == [("in", 4), ("hold", 2), ("out", 6)]
    assert kinds_and_seconds(parse_pattern("4-6")) == [("in", 4), ("out", 6)]
    assert kinds_and_seconds(parse_pattern("3-0-5")) == [("in", 3), ("out", 5)]
    assert kinds_and_seconds(parse_pattern("4.5-1-6.5-2")) == [
        ("in", 4.5),
        ("hold", 1),
        ("out", 6.5),
        ("hold_out", 2),
    ]
    assert resolve_pattern("4-2-6-0").name == "4-2-6-0"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("4", "give 2 to 4 numbers"),
        ("4-2-6-0-1", "give 2 to 4 numbers"),
        ("4--6", "give 2 to 4 numbers"),
        ("0-4-0", "needs at least one 'in' and one 'out'"),
        ("4-0-0-4", "needs at least one 'in' and one 'out'"),
        ("4-61-6", "at most 60 s"),
    ],
)
def test_parse_errors(spec: str, expected: str) -> None:
    with pytest.raises(BreathingError) as exc:
        parse_pattern(spec)
    assert expected in one_line_error(exc)


def test_unknown_pattern_lists_known_ones() -> None:
    with pytest.raises(BreathingError) as exc:
        resolve_pattern("square")
    text = one_line_error(exc)
    for name in ("box", "4-7-8", "resonance", "coherent", "sigh", "4-2-6-0"):
        assert name in text


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "longer than 0"), (-2, "longer than 0"), (61, "at most 60"), (float("nan"), "number")],
)
def test_bad_phase(seconds: float, expected: str) -> None:
    with pytest.raises(BreathingError) as exc:
        Phase("in", seconds)
    assert expected in one_line_error(exc)


def test_pattern_needs_in_and_out() -> None:
    with pytest.raises(BreathingError) as exc:
        Pattern("held", (Phase("in", 4), Phase("hold", 4)))
    assert "'in' and one 'out'" in one_line_error(exc)


@pytest.mark.parametrize(
    ("minutes", "cycles", "expected"),
    [
        (0, None, "more than 0"),
        (-3, None, "more than 0"),
        (1000, None, "at most 120"),
        (None, 0, "at least 1"),
        (4, 10, "not both"),
    ],
)
def test_bad_length(minutes: float | None, cycles: int | None, expected: str) -> None:
    with pytest.raises(BreathingError) as exc:
        Length.of(minutes, cycles)
    assert expected in one_line_error(exc)


def test_default_length_is_four_minutes() -> None:
    assert Length.of() == Length(minutes=4.0)


def test_toml_file(tmp_path: Path) -> None:
    f = tmp_path / "evening.toml"
    f.write_text(
        'name = "evening"\ndescription = "Slow out."\n'
        'phases = [["in", 4], ["hold", 0], ["out", 6.5], ["in", 1, "top up"]]\n'
    )
    p = load_pattern_file(f)
    assert p.name == "evening" and p.description == "Slow out."
    assert kinds_and_seconds(p) == [("in", 4), ("out", 6.5), ("in", 1)]
    assert p.phases[2].cue_word == "top up"
    assert resolve_pattern(str(f)) == p


def test_toml_name_defaults_to_file_name(tmp_path: Path) -> None:
    f = tmp_path / "mine.toml"
    f.write_text('phases = [["in", 4], ["out", 6]]\n')
    assert load_pattern_file(f).name == "mine"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("phases = [", "invalid TOML"),
        ('name = "x"\n', "needs a list of phases"),
        ('phases = [["in", "4"], ["out", 6]]', 'phase 1 must look like ["in", 4]'),
        ('phases = [["in", 4], ["breathe", 6]]', "unknown breathing phase 'breathe'"),
        ('phases = [["in", 4], ["out", -6]]', "phase 2: the 'out' phase lasts -6 s"),
        ('phases = [["in", 4], ["hold", 90]]', "phase 2: the 'hold' phase lasts 90 s"),
        ('phases = [["in", 4], ["hold", 4]]', "needs at least one 'in' and one 'out'"),
    ],
)
def test_toml_errors(tmp_path: Path, text: str, expected: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(BreathingError) as exc:
        load_pattern_file(f)
    assert expected in one_line_error(exc)


def test_missing_toml_file(tmp_path: Path) -> None:
    with pytest.raises(BreathingError) as exc:
        resolve_pattern(str(tmp_path / "nope.toml"))
    assert "no pattern file" in one_line_error(exc)


def test_spoken_summary() -> None:
    assert BUILTINS["box"].spoken_summary() == "In for 4, hold for 4, out for 4, hold for 4."
    assert BUILTINS["resonance"].spoken_summary() == "In for 5 and a half, out for 5 and a half."
    assert BUILTINS["sigh"].spoken_summary() == "In for 2, in again for 1, out for 6."
