"""Written forms a listener should never hear literally, turned into speech.

A table of (pattern, replacement) read top to bottom; espeak-ng already reads
plain numbers and years, so only what it gets wrong is here.
"""

from __future__ import annotations

import re

SPEECH_RULES: tuple[tuple[str, str], ...] = (
    (r"https?://\S+|www\.\S+", ""),  # bare links are never read
    (r"\[\d+(?:[,–-]\d+)*\]", ""),  # footnote markers [3], [1-2]
    (r"\be\.g\.,?", "for example"),
    (r"\bi\.e\.,?", "that is"),
    (r"\betc\.", "et cetera"),
    (r"\bet al\.", "and colleagues"),
    (r"\bvs\.", "versus"),
    (r"\bDr\.", "Doctor"),
    (r"(\d)\s*[–—-]\s*(\d)", r"\1 to \2"),  # ranges 3–5
    (r"(\d)\s*%", r"\1 percent"),
    (r"\s*→\s*", ", becomes, "),
    (r"\s&\s", " and "),
    (r"\s*[—–]\s*", ", "),  # dashes as pauses
    (r"[“”„\"]", ""),
    (r"\s{2,}", " "),
)
_RULES = [(re.compile(p), r) for p, r in SPEECH_RULES]


def speakable(text: str) -> str:
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return text.strip()
