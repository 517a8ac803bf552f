"""A plain, legible cover when the user gives none (Apple asks 1400–3000 px)."""

from __future__ import annotations

import hashlib
import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

COVER_SIZE = 3000


def _palette(title: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """A calm background colour picked from the title, so shows look distinct."""
    h = hashlib.sha256(title.encode("utf-8")).digest()
    base = (40 + h[0] % 50, 60 + h[1] % 60, 90 + h[2] % 70)
    return base, (245, 240, 230)


def make_cover(title: str, author: str, size: int = COVER_SIZE) -> bytes:
    """PNG bytes; deterministic for the same title, author and size."""
    bg, fg = _palette(title)
    img = Image.new("RGB", (size, size), bg)
    draw = ImageDraw.Draw(img)
    margin = size // 10
    font = ImageFont.load_default(size=size // 13)
    small = ImageFont.load_default(size=size // 28)
    wrapped = textwrap.wrap(title, width=16)[:6]
    line_h = int(size / 13 * 1.25)
    y = (size - line_h * len(wrapped)) // 2 - size // 20
    for line in wrapped:
        draw.text((margin, y), line, font=font, fill=fg)
        y += line_h
    draw.rectangle(
        (margin, y + size // 40, margin + size // 5, y + size // 40 + size // 120), fill=fg
    )
    draw.text((margin, size - margin - size // 28), author, font=small, fill=fg)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
