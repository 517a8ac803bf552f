"""Test helpers shared across modules (importable as `helpers`)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from audio_companion.audio.chunk import AudioChunk

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
SEED = REPO.parent / "shared" / "seeds" / "000_0f6c8d9654fe7ab1.txt"
# The seed's main sections, as the article-understanding issue lists them.
SEED_TITLES = [
    "The Fragile Power of Trust",
    "Why Betrayal Hurts: Trust and the Brain",
    "Can Trust Be Rebuilt?",
    "First Steps: Emotional Triage",
    "Full Disclosure and Accountability",
    "Neuro-Healing: Tools to Rebuild Connection",
    "Conversation Safety: How You Talk Matters",
    "Examine the Patterns Beneath the Pain",
    "Balancing Autonomy and Attachment",
    "When Therapy Helps Rebuild Trust",
    "When It's Time to Let Go",
    "Healing is a Shared Path",
]


class FakeSynth:
    """A synthesizer that 'speaks' a tone whose length follows the text: fast,
    deterministic, and enough to test everything downstream of speech."""

    identity = "fake:tone"

    def __init__(self, rate: int = 22050, seconds_per_char: float = 0.01) -> None:
        self.rate = rate
        self.seconds_per_char = seconds_per_char
        self.calls: list[str] = []

    def synthesize(self, text: str) -> AudioChunk:
        self.calls.append(text)
        n = max(1, round(len(text) * self.seconds_per_char * self.rate))
        t = np.arange(n) / self.rate
        tone = 0.3 * np.sin(2 * math.pi * 220 * t) * 32767
        return AudioChunk.from_int16(tone.astype("<i2"), self.rate)


needs_media = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("espeak-ng") is None,
    reason="needs ffmpeg and espeak-ng (scripts/setup.sh installs them)",
)
