"""`--pattern resonance` at a person's own pace, and the built-in when none was found."""

from __future__ import annotations

import pytest

from audio_companion.breathing import BUILTINS, BreathingError, resolve_pattern
from audio_companion.breathing.patterns import is_resonance, resonance_pattern


@pytest.mark.parametrize(("bpm", "half"), [(6.5, 4.6), (6.0, 5.0), (5.5, 5.5), (4.5, 6.7)])
def test_a_pace_becomes_equal_in_and_out_in_tenths(bpm: float, half: float) -> None:
    p = resonance_pattern(bpm)
    assert p.name == "resonance"
    assert [(ph.kind, ph.seconds) for ph in p.phases] == [("in", half), ("out", half)]
    assert abs(p.breaths_per_minute - bpm) < 0.05
    assert f"about {bpm:g} breaths a minute" in p.description


def test_resonance_and_its_alias_use_the_pace_given_and_nothing_else_does() -> None:
    assert resolve_pattern("resonance", 5.0) == resonance_pattern(5.0)
    assert resolve_pattern(" Coherent ", 5.0) == resonance_pattern(5.0)
    assert resolve_pattern("resonance") == BUILTINS["resonance"]
    assert resolve_pattern("box", 5.0) == BUILTINS["box"]
    assert is_resonance("coherent") and is_resonance("RESONANCE") and not is_resonance("box")


@pytest.mark.parametrize("bpm", [0.0, -2.0, float("nan"), float("inf")])
def test_an_impossible_pace_is_one_clear_error(bpm: float) -> None:
    with pytest.raises(BreathingError, match="pace"):
        resonance_pattern(bpm)
