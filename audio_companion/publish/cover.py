"""The show's cover: the user's image, checked, or a plain, legible one drawn from the title
(Apple asks 1400–3000 px)."""

from __future__ import annotations

import hashlib
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from audio_companion.errors import InputError
from audio_companion.fsutil import write_if_changed
from audio_companion.publish.manifest import Manifest

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


COVER_FILE = "cover.png"
COVER_VERSION = 1  # bump when make_cover draws differently: the cover is redrawn
EMBEDDED_SIZE = 600  # the copy inside every episode file stays small


@dataclass(frozen=True)
class CoverChoice:
    """Where the show's cover comes from; exactly one of these is used, in this order."""

    image_url: str | None = None  # hosted elsewhere
    local: Path | None = None  # the user's .jpg/.png, checked and copied into the folder


COVER_DIGEST = "cover_sha256"  # manifest.extra: sha256 of the cover file the build published
COVER_NAME = "cover_file"  # manifest.extra: its file name


def cover_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _live_digest(path: Path) -> str | None:
    try:
        return cover_digest(path.read_bytes())
    except OSError:
        return None


def published_cover(manifest: Manifest) -> str:
    """The file name of the cover the manifest says was published."""
    return manifest.extra.get(COVER_NAME, COVER_FILE)


def publish_cover(
    out: Path,
    staging: Path,
    base_url: str,
    choice: CoverChoice,
    title: str,
    author: str,
    manifest: Manifest,
) -> str:
    """The cover's URL: the user's image (checked) or one drawn from the show title.

    A new or changed cover is written into `staging`, so it reaches `out` with
    the rest of the build or not at all (a build of another article stopped
    halfway never leaves its title on this show's cover), and under a name no
    published feed uses, so the feed and its cover switch together. A published
    cover that no longer matches what the manifest recorded (a hand edit) is
    made again. `manifest` records the cover's name and digest; `validate`
    checks them.
    """
    if choice.image_url is not None:
        manifest.extra.pop(COVER_DIGEST, None)
        manifest.extra.pop(COVER_NAME, None)
        return choice.image_url
    if choice.local is not None:
        src = choice.local
        try:
            data = src.read_bytes()
        except OSError as exc:
            raise InputError(f"--cover {src}: {exc.strerror}") from exc
        problems = cover_problems(data, src.name)
        if problems:
            raise InputError(f"--cover {src}: " + "; ".join(problems))
        suffix = src.suffix.lower().replace(".jpeg", ".jpg")
        return base_url + _stage(out, staging, "cover" + suffix, data, manifest)
    inputs = hashlib.sha256(f"{COVER_VERSION}\n{title}\n{author}".encode()).hexdigest()
    name = published_cover(manifest)
    live = _live_digest(out / name)
    if manifest.extra.get("cover") != inputs or live != manifest.extra.get(COVER_DIGEST):
        name = _stage(out, staging, COVER_FILE, make_cover(title, author), manifest)
        manifest.extra["cover"] = inputs
    return base_url + name


def _stage(out: Path, staging: Path, planned: str, data: bytes, manifest: Manifest) -> str:
    """Stage `data` as the cover unless it is already published; its file name."""
    digest = cover_digest(data)
    current = published_cover(manifest)
    if manifest.extra.get(COVER_DIGEST) == digest and _live_digest(out / current) == digest:
        return current
    name = planned
    if (out / planned).exists():  # never overwrite a cover a published feed may name
        stem, suffix = planned.rsplit(".", 1)
        name = f"{stem}-{digest[:8]}.{suffix}"
    if _live_digest(out / name) != digest:
        write_if_changed(staging / name, data)
    manifest.extra[COVER_DIGEST] = digest
    manifest.extra[COVER_NAME] = name
    return name
