"""Fetching an article over HTTP(S), and turning bytes into text honestly.

Every failure becomes one InputError line that names the address and the
problem. Decoding follows what the page declares (HTTP header, then
``<meta charset>``); only when nothing is declared and the bytes are not UTF-8
is the encoding guessed, and the caller is told which one was assumed.
"""

from __future__ import annotations

import codecs
import http.client
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from charset_normalizer import from_bytes

from audio_companion import __version__
from audio_companion.errors import InputError

USER_AGENT = f"audio-companion/{__version__} (+article reader; offline podcast builder)"
_ACCEPT = "text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.9,*/*;q=0.5"
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


def is_url(text: str) -> bool:
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text) is not None


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


def _problem(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"the server answered {exc.code} {exc.reason}".rstrip()
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s (timed out)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return "cannot find that host (check the address and your connection)"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason) or type(reason).__name__


@dataclass(frozen=True)
class Page:
    url: str
    text: str
    content_type: str  # "text/html", "text/plain", … (no parameters)
    encoding: str
    encoding_how: str  # as Decoded.how: "detected" means it was a guess


def fetch_url(url: str, timeout: float = 20, max_bytes: int = 20_000_000) -> tuple[str, str]:
    """(text, content type) of a web page; InputError naming the URL on any failure."""
    page = fetch_page(url, timeout, max_bytes)
    return page.text, page.content_type


def fetch_page(url: str, timeout: float = 20, max_bytes: int = 20_000_000) -> Page:
    """The page at url, decoded; InputError naming the URL on any failure."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url}: not a web address; give an http:// or https:// URL")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # follows redirects
            length = resp.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise InputError(
                    f"{url}: the page is {int(length):,} bytes, over the {max_bytes:,} byte limit"
                )
            data = resp.read(max_bytes + 1)
            content_type = resp.headers.get_content_type()
            charset = resp.headers.get_content_charset()
    except InputError:
        raise
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        raise InputError(f"{url}: cannot fetch: {_problem(exc, timeout)}") from exc
    if len(data) > max_bytes:
        raise InputError(f"{url}: the page is over the {max_bytes:,} byte limit")
    if not data.strip():
        raise InputError(f"{url}: the page is empty")
    decoded = decode_bytes(data, charset, html="html" in content_type)
    if decoded is None:
        raise InputError(f"{url}: cannot tell the page's character set; it declares none")
    return Page(url, decoded.text, content_type, decoded.encoding, decoded.how)
