"""Each engine's pauses: how long the narration stays silent between its sentences and lines.

Every sentence is cut to its voice before it is laid out (narration.layout),
so all silence in an episode is chosen here, per engine, rather than left to
whatever an engine happens to produce. The line pauses (after a paragraph, a
heading, a list item …) mark the article's structure and are the same for
every voice; the pause between the sentences of one paragraph is the voice's
own. espeak-ng's 0.35 s is what its episodes always had. hibari joins the
sentences of one text with 0.4 s (tts.hibari.SENTENCE_GAP, the rhythm of its
prompts), and its narration keeps that rhythm; piper keeps espeak's value,
which its episodes always had too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# Pauses in seconds after each kind of line: structure a listener can hear.
LINE_PAUSES: Mapping[str, float] = MappingProxyType(
    {
        "intro": 1.0,
        "paragraph": 0.6,
        "list_intro": 0.3,
        "list_item": 0.35,
        "list_end": 0.6,
        "callout": 0.8,
        "heading": 0.7,
        "before_heading": 0.6,
        "outro": 0.5,
    }
)


@dataclass(frozen=True)
class Pacing:
    """The silences of one engine's narration."""

    sentence_pause: float = 0.35  # between the sentences of one line
    line_pauses: Mapping[str, float] = field(default_factory=lambda: LINE_PAUSES)


PACING: Mapping[str, Pacing] = MappingProxyType(
    {
        "espeak": Pacing(0.35),
        "piper": Pacing(0.35),
        "hibari": Pacing(0.4),
    }
)


def pacing_for(engine: str) -> Pacing:
    """The pacing of `engine` (espeak's for an engine without its own)."""
    return PACING.get(engine, PACING["espeak"])
