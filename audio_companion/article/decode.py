"""Bytes into text honestly: BOM, declared charset, UTF-8, <meta charset>, a guess.

Split from fetch.py because decoding is not about the network: a saved file
(article.loader) goes through the same steps as a fetched page. Decoding
follows what the text declares (the HTTP header, then ``<meta charset>``);
only when nothing is declared and the bytes are not UTF-8 is the encoding
guessed, and Decoded.how tells the caller which one was assumed.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Single-byte Western encodings win ties: they are by far the most common legacy files.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a readable name: "utf-8", "windows-1252", …
    how: str  # "utf-8" | "bom" | "declared" | "detected"


def encoding_label(name: str) -> str:
    """'cp1252' → 'windows-1252'; other names as Python spells them, with dashes."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return name
    if canonical.startswith("cp125"):
        return "windows-" + canonical[2:]
    return canonical.replace("_", "-")


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first few kilobytes, if any."""
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii", "ignore") if m else None


def _try(data: bytes, name: str) -> str | None:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    # Browsers read "latin-1"/"ascii" declarations as windows-1252 (WHATWG Encoding).
    candidates = ["cp1252", name] if canonical in ("latin-1", "iso8859-1", "ascii") else [name]
    for cand in candidates:
        try:
            return data.decode(cand)
        except UnicodeDecodeError:
            continue
    return None


def guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess, preferring Western encodings on ties."""
    matches = list(from_bytes(data[:2_000_000]))
    if matches:
        best_chaos = min(m.chaos for m in matches)
        good = [m for m in matches if m.chaos <= best_chaos + 0.01]
        top = max(m.coherence for m in good)
        if top > 0:
            names = [m.encoding for m in good if m.coherence >= top - 0.01]
            return next((p for p in _PREFERRED if p in names), names[0])
    # No coherent guess (short files): Western text is the common case, if it fits.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if any("\x80" <= ch <= "\x9f" for ch in text):
        return None
    return "cp1252"


def decode_bytes(data: bytes, declared: str | None = None, html: bool = False) -> Decoded | None:
    """Text from bytes: BOM, declared charset, UTF-8, <meta charset>, then a guess.

    None when nothing fits with any confidence.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(name), encoding_label(name.split("-sig")[0]), "bom")
            except UnicodeDecodeError:
                break
    if declared and (text := _try(data, declared)) is not None:
        return Decoded(text, encoding_label(declared), "declared")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    if html and (meta := meta_charset(data)) and (text := _try(data, meta)) is not None:
        label = encoding_label(meta)
        if label in ("iso8859-1", "ascii"):
            label = "windows-1252"
        return Decoded(text, label, "declared")
    guess = guess_encoding(data)
    if guess is None:
        return None
    try:
        return Decoded(data.decode(guess), encoding_label(guess), "detected")
    except UnicodeDecodeError:
        return None
