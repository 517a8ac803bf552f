"""Installing a speech model: download, check its SHA-256, unpack it safely.

Installing downloads a known model's zip (or takes a local one with
``from_zip``), checks its SHA-256, and unpacks it so that a failure at any
step leaves nothing behind: the zip streams into a temporary file inside the
models folder, members are checked before anything is written (no absolute
paths, no ``..``, no symlink pointing outside), the unpacking happens in a
temporary folder next to the final one, and only a complete model is moved
into place with one ``rename``.

A download that fails is a missing model (exit code 3), with the offline
route in the message; a zip that is corrupt, unsafe or not a model is
unusable input (exit code 2).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from audio_companion.asr.models import KNOWN_MODELS, is_model_dir, models_folder
from audio_companion.errors import InputError, MissingModelError

_CHUNK = 1 << 20


def _urlopen(url: str) -> IO[bytes]:
    response: IO[bytes] = urllib.request.urlopen(url, timeout=60)
    return response


Opener = Callable[[str], IO[bytes]]
Progress = Callable[[int, int | None], None]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def _download(url: str, dest: Path, opener: Opener, progress: Progress | None) -> str:
    """Stream ``url`` into ``dest``; returns the SHA-256 of what was written."""
    h = hashlib.sha256()
    done = 0
    try:
        with opener(url) as response, dest.open("wb") as out:
            length = getattr(response, "headers", {}).get("Content-Length")
            total = int(length) if length and str(length).isdigit() else None
            while block := response.read(_CHUNK):
                out.write(block)
                h.update(block)
                done += len(block)
                if progress:
                    progress(done, total)
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        raise MissingModelError(
            f"could not download {url}: {reason}; without internet, fetch the zip on another "
            "machine and run `audio-companion models install NAME --from FILE.zip`"
        ) from e
    if total is not None and done != total:
        raise MissingModelError(
            f"download of {url} stopped after {done} of {total} bytes; try again, or fetch the "
            "zip another way and run `audio-companion models install NAME --from FILE.zip`"
        )
    return h.hexdigest()


def _member_parts(name: str) -> tuple[str, ...]:
    """The member's path components, or InputError if it could land outside the target."""
    unixy = name.replace("\\", "/")
    if unixy.startswith("/") or (len(unixy) > 1 and unixy[1] == ":"):
        raise InputError(f"unsafe zip: member {name!r} has an absolute path")
    parts = tuple(p for p in PurePosixPath(unixy).parts if p not in ("", "."))
    if ".." in parts:
        raise InputError(f"unsafe zip: member {name!r} points outside the model folder")
    return parts


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_zip(zf: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    """Validate every member before anything is written."""
    members = []
    for info in zf.infolist():
        parts = _member_parts(info.filename)
        if not parts:
            continue
        if _is_symlink(info):
            target = zf.read(info).decode("utf-8", "replace").replace("\\", "/")
            if target.startswith("/") or (len(target) > 1 and target[1] == ":"):
                raise InputError(f"unsafe zip: symlink {info.filename!r} points to {target!r}")
            depth = len(parts) - 1  # folders above the link, inside the archive
            for p in PurePosixPath(target).parts:
                depth += -1 if p == ".." else (0 if p in ("", ".") else 1)
                if depth < 0:
                    raise InputError(
                        f"unsafe zip: symlink {info.filename!r} points outside ({target!r})"
                    )
        members.append((info, parts))
    if not members:
        raise InputError("the zip is empty")
    return members


def _extract(zf: zipfile.ZipFile, dest: Path) -> None:
    members = _check_zip(zf)
    root = dest.resolve()
    links = []
    for info, parts in members:
        target = root.joinpath(*parts)
        if not target.resolve().is_relative_to(root):  # a parent is a symlink out
            raise InputError(f"unsafe zip: member {info.filename!r} escapes the model folder")
        if _is_symlink(info):
            links.append((info, target))
        elif info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, target.open("wb") as out:
                shutil.copyfileobj(src, out, _CHUNK)
    for info, target in links:  # last, so no file is written through one
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(zf.read(info).decode("utf-8"))


def _check_links(model: Path) -> None:
    """Every symlink must stay inside the model folder itself (not just the archive)."""
    root = model.resolve()
    for link in model.rglob("*"):
        if link.is_symlink() and not (link.parent / os.readlink(link)).resolve().is_relative_to(
            root
        ):
            raise InputError(f"unsafe zip: symlink {link.relative_to(model)} points outside")


def _model_root(unpacked: Path) -> Path:
    """The model folder inside an unpacked zip: its single top folder, or the zip's root."""
    entries = [p for p in unpacked.iterdir() if p.name != "__MACOSX"]
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink():
        return entries[0]
    return unpacked


@contextlib.contextmanager
def _cleanup(root: Path, created: bool) -> Iterator[list[Path]]:
    """Remove every path registered in the yielded list, and ``root`` if new and now empty."""
    temps: list[Path] = []
    try:
        yield temps
    finally:
        for p in temps:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
        if created:
            with contextlib.suppress(OSError):
                root.rmdir()  # only succeeds when nothing was installed


def install(
    name: str,
    models_dir: str | Path | None = None,
    *,
    url: str | None = None,
    from_zip: str | Path | None = None,
    sha256: str | None = None,
    verify: bool = True,
    force: bool = False,
    opener: Opener = _urlopen,
    progress: Progress | None = None,
) -> Path:
    """Install model ``name`` into the models folder and return its path.

    A known model downloads from its URL (``url`` overrides it, e.g. a mirror)
    or is taken from ``from_zip``; either way its SHA-256 must match (a
    ``sha256`` argument overrides the expected value).  A name that is not
    known needs ``from_zip`` or ``url`` and either ``sha256`` or
    ``verify=False``.  The unpacked folder must be a Vosk model (or a
    CTranslate2 Whisper one).  An existing install is an error unless
    ``force``.
    """
    if not name or name.startswith(".") or "/" in name or "\\" in name:
        raise InputError(f"bad model name {name!r}: use a plain folder name")
    root = models_folder(models_dir)
    known = KNOWN_MODELS.get(name)
    expected = (sha256 or (known.sha256 if known else None)) if verify else None
    if verify and expected is None:
        raise InputError(
            f"{name!r} is not a known model ({', '.join(KNOWN_MODELS)}), so its checksum is "
            "unknown; pass its SHA-256, or skip the check for a zip you trust"
        )
    if from_zip is None and url is None and known is None:
        raise InputError(f"{name!r} is not a known model; give a URL or a zip file to install")
    if from_zip is not None and not Path(from_zip).is_file():
        raise InputError(f"no such zip file: {from_zip}")
    final = root / (known.folder if known else name)
    if (final.exists() or final.is_symlink()) and not force:
        raise InputError(f"{name} is already installed in {final}")

    created = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    with _cleanup(root, created) as temps:
        if from_zip is not None:
            archive = Path(from_zip)
            digest = sha256_file(archive) if expected else ""
            source = str(archive)
        else:
            source = url or (known.url if known else "")
            fd, part = tempfile.mkstemp(prefix=f".download-{name}-", suffix=".zip", dir=root)
            os.close(fd)
            archive = Path(part)
            temps.append(archive)
            digest = _download(source, archive, opener, progress)
        if expected and digest.lower() != expected.lower():
            raise InputError(
                f"checksum mismatch for {source}: expected SHA-256 {expected}, got {digest}; "
                "the file is corrupt or not the model it claims to be, so nothing was installed"
            )
        unpacked = Path(tempfile.mkdtemp(prefix=f".install-{name}-", dir=root))
        temps.append(unpacked)
        try:
            with zipfile.ZipFile(archive) as zf:
                _extract(zf, unpacked)
        except zipfile.BadZipFile as e:
            raise InputError(f"{source} is not a valid zip file: {e}") from e
        model = _model_root(unpacked)
        _check_links(model)
        if not is_model_dir(model):
            raise InputError(
                f"{source} does not contain a speech model "
                "(no am/final.mdl + conf/ for Vosk, no model.bin + config.json for Whisper)"
            )
        if final.exists() or final.is_symlink():  # force: move the old one aside first
            old = Path(tempfile.mkdtemp(prefix=f".old-{name}-", dir=root))
            temps.append(old)
            final.rename(old / "model")
        model.rename(final)
    return final
