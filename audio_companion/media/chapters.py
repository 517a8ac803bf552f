"""Chapter lists as podcast apps read them besides ID3: shifting, and Podcasting 2.0 JSON.

The `Chapter` type and the ID3 CHAP/CTOC writer live in media.tags.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from audio_companion.media.tags import Chapter, clamp

JSON_CHAPTERS_VERSION = "1.2.0"


def shift(
    chapters: Sequence[Chapter], seconds: float, duration: float | None = None
) -> list[Chapter]:
    """Move every chapter by `seconds` (negative when the start of the audio was trimmed).

    Times are clamped to [0, `duration`] (no upper bound when it is None): pass
    the mastered audio's length, since mastering trims the end silence too and
    chapters computed before it otherwise end ~0.2 s after the audio. A chapter
    that ends up empty (wholly trimmed away) is dropped.
    """
    moved = [Chapter(c.title, c.start + seconds, c.end + seconds) for c in chapters]
    return clamp(moved, math.inf if duration is None else duration)


def _seconds(t: float) -> float:
    return round(t, 3) + 0.0  # + 0.0 turns -0.0 into 0.0


def json_chapters(chapters: Sequence[Chapter], title: str | None = None) -> str:
    """Podcasting 2.0 JSON chapters (version 1.2.0), times in seconds to the millisecond."""
    doc: dict[str, Any] = {"version": JSON_CHAPTERS_VERSION}
    if title is not None:
        doc["title"] = title
    doc["chapters"] = [
        {"startTime": _seconds(c.start), "endTime": _seconds(c.end), "title": c.title}
        for c in chapters
    ]
    return json.dumps(doc, ensure_ascii=False, indent=2)
