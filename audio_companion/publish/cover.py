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


COVER_MIN_PX, COVER_MAX_PX = 1400, 3000  # Apple Podcasts' limits for show artwork
IMAGE_EXTENSIONS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}


def cover_problems(data: bytes, name: str) -> list[str]:
    """What keeps an image from being accepted as show artwork; [] when it is fine.

    One rule set for `build --cover` (refused before anything is made) and
    `validate` (a published feed's image)."""
    from PIL import UnidentifiedImageError

    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt, (width, height), mode = img.format, img.size, img.mode
    except (OSError, UnidentifiedImageError, ValueError):
        return ["the cover is not a readable image; expected a JPEG or PNG"]
    problems = []
    if fmt not in ("JPEG", "PNG"):
        problems.append(f"the cover is {fmt}; Apple accepts only JPEG or PNG")
    elif IMAGE_EXTENSIONS.get(suffix) != fmt:
        problems.append(
            f"the cover is a {fmt} but named {suffix or '(no extension)'}; "
            f"expected {'.png' if fmt == 'PNG' else '.jpg'}"
        )
    if width != height:
        problems.append(f"the cover is {width}x{height} px; it must be square")
    if not all(COVER_MIN_PX <= side <= COVER_MAX_PX for side in (width, height)):
        problems.append(
            f"the cover is {width}x{height} px; Apple asks {COVER_MIN_PX}-{COVER_MAX_PX} px a side"
        )
    if mode != "RGB":
        problems.append(f"the cover's colour mode is {mode}; Apple expects RGB")
    return problems
