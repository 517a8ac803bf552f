"""Installing a model within limits: download and unpack caps, zip bombs, free space,
duplicate or unsafe member names, a full disk, and what a killed install left behind.

Nothing here writes more than a few MiB: the caps and the free-space check are
injected small, and a full disk is a fake writer that fails with ENOSPC.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import os
import stat
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from audio_companion.asr import install as install_mod
from audio_companion.asr.install import InstallLimits, install
from audio_companion.asr.models import KNOWN_MODELS, KnownModel, is_vosk_model_dir
from audio_companion.errors import CompanionError, InputError, MissingModelError

TOP = "vosk-model-fake-0.1"
VOSK_FILES = {
    "am/final.mdl": b"not really a model",
    "conf/model.conf": b"--beam=10.0\n",
    "README": b"fake model for tests\n",
}
MiB = 1 << 20
PLENTY = 1 << 50  # free bytes a fake disk reports


def plenty(path: Path) -> int:
    return PLENTY


def incompressible(n: int) -> bytes:
    """Deterministic bytes that deflate cannot shrink (no randomness, no clock)."""
    out = bytearray()
    seed = b"seed"
    while len(out) < n:
        seed = hashlib.sha256(seed).digest()
        out += seed
    return bytes(out[:n])


def make_zip(
    path: Path,
    extra: dict[str, bytes] | None = None,
    *,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A fake vosk model zip under TOP/, plus ``extra`` members (names taken as given)."""
    with zipfile.ZipFile(path, "w", compression) as zf:
        zf.writestr(f"{TOP}/", b"")
        for name, data in VOSK_FILES.items():
            zf.writestr(f"{TOP}/{name}", data)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def leftovers(models_dir: Path) -> list[str]:
    return sorted(p.name for p in models_dir.iterdir()) if models_dir.exists() else []


class FakeResponse(io.BytesIO):
    """What urlopen returns: a readable body, headers, and a count of bytes read."""

    def __init__(self, body: bytes, length: int | None = None) -> None:
        super().__init__(body)
        self.headers = {} if length is None else {"Content-Length": str(length)}
        self.served = 0

    def read(self, size: int | None = -1) -> bytes:
        block = super().read(size)
        self.served += len(block)
        return block


@pytest.fixture
def fake_known(monkeypatch: pytest.MonkeyPatch) -> KnownModel:
    known = KnownModel("vosk-fake", "vosk", "https://example.invalid/fake.zip", "", TOP, "")
    monkeypatch.setitem(KNOWN_MODELS, known.name, known)
    return known


def install_download(
    models_dir: Path, response: FakeResponse, **kw: object
) -> Path:  # verify=False: these bodies are not the known model
    def opener(url: str) -> IO[bytes]:
        return response

    return install(
        "vosk-fake",
        models_dir,
        url="https://example.invalid/fake.zip",
        verify=False,
        opener=opener,
        **kw,  # type: ignore[arg-type]
    )


# ------------------------------------------------------------------ download caps


def test_a_download_stops_at_the_cap_while_streaming(
    fake_known: KnownModel, tmp_path: Path
) -> None:
    response = FakeResponse(b"x" * (6 * MiB))  # no Content-Length: only streaming can stop it
    models_dir = tmp_path / "models"
    limits = InstallLimits(max_download=2 * MiB)
    with pytest.raises(InputError, match="--max-download") as err:
        install_download(models_dir, response, limits=limits, disk_free=plenty)
    assert "\n" not in str(err.value)
    assert response.served <= 3 * MiB  # the cap plus at most one block more was read
    assert leftovers(models_dir) == []


def test_a_download_announced_over_the_default_cap_reads_nothing(
    fake_known: KnownModel, tmp_path: Path
) -> None:
    response = FakeResponse(b"x" * 100, length=5 << 30)  # says 5 GiB; the default cap is 4
    models_dir = tmp_path / "models"
    with pytest.raises(InputError, match=r"4\.0 GiB") as err:
        install_download(models_dir, response, disk_free=plenty)
    assert err.value.exit_code == 2
    assert response.served == 0
    assert leftovers(models_dir) == []


def test_free_space_is_checked_before_downloading(fake_known: KnownModel, tmp_path: Path) -> None:
    response = FakeResponse(b"x" * 100, length=40 * MiB)
    models_dir = tmp_path / "models"
    seen: list[Path] = []

    def small_disk(path: Path) -> int:
        seen.append(path)
        return 30 * MiB

    with pytest.raises(CompanionError, match="not enough free space") as err:
        install_download(models_dir, response, disk_free=small_disk)
    message = str(err.value)
    assert "--dir" in message and "40.0 MiB" in message and "\n" not in message
    assert err.value.exit_code == 1
    assert response.served == 0
    assert seen and seen[0] == models_dir
    assert leftovers(models_dir) == []


def test_a_disk_that_fills_during_the_download_is_one_line(
    fake_known: KnownModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(install_mod, "_create", full_disk_after(1000))
    models_dir = tmp_path / "models"
    with pytest.raises(CompanionError) as err:
        install_download(models_dir, FakeResponse(b"x" * 5000), disk_free=plenty)
    assert not isinstance(err.value, MissingModelError)  # not "without internet, ..."
    assert "No space left" in str(err.value) and "--dir" in str(err.value)
    assert leftovers(models_dir) == []


# ------------------------------------------------------------------ unpack caps


def test_a_member_that_inflates_too_much_is_a_bomb(tmp_path: Path) -> None:
    zip_path = make_zip(tmp_path / "bomb.zip", {f"{TOP}/zeros": bytes(4 * MiB)})
    models_dir = tmp_path / "models"
    with pytest.raises(InputError, match=r"unsafe zip: .*zeros.*--max-ratio"):
        install("bomb", models_dir, from_zip=zip_path, verify=False, disk_free=plenty)
    assert leftovers(models_dir) == []


def test_many_small_members_that_inflate_too_much_together(tmp_path: Path) -> None:
    extra = {f"{TOP}/zeros{i}": bytes(60 * 1024) for i in range(8)}
    zip_path = make_zip(tmp_path / "bomb.zip", extra)
    limits = InstallLimits(ratio_floor=64 * 1024)  # each member is under it, the total is not
    models_dir = tmp_path / "models"
    with pytest.raises(InputError, match=r"unsafe zip: .*the whole zip.*--max-ratio"):
        install(
            "bomb", models_dir, from_zip=zip_path, verify=False, limits=limits, disk_free=plenty
        )
    assert leftovers(models_dir) == []


def test_the_total_unpacked_size_is_capped(tmp_path: Path) -> None:
    zip_path = make_zip(tmp_path / "big.zip", {f"{TOP}/data": incompressible(300 * 1024)})
    models_dir = tmp_path / "models"
    small = InstallLimits(max_unpacked=256 * 1024)
    with pytest.raises(InputError, match="--max-unpacked") as err:
        install("big", models_dir, from_zip=zip_path, verify=False, limits=small, disk_free=plenty)
    assert "256.0 KiB" in str(err.value)
    assert leftovers(models_dir) == []
    raised = InstallLimits(max_unpacked=1 * MiB)
    path = install(
        "big", models_dir, from_zip=zip_path, verify=False, limits=raised, disk_free=plenty
    )
    assert is_vosk_model_dir(path) and (path / "data").stat().st_size == 300 * 1024


def test_a_normal_model_passes_the_default_limits(tmp_path: Path) -> None:
    data = incompressible(2 * MiB)  # big enough for the ratio check to apply
    zip_path = make_zip(tmp_path / "m.zip", {f"{TOP}/graph/HCLG.fst": data})
    path = install("m", tmp_path / "models", from_zip=zip_path, verify=False, disk_free=plenty)
    assert (path / "graph" / "HCLG.fst").read_bytes() == data


def test_free_space_is_checked_before_unpacking(tmp_path: Path) -> None:
    zip_path = make_zip(tmp_path / "m.zip", {f"{TOP}/data": incompressible(200 * 1024)})
    models_dir = tmp_path / "models"
    (models_dir / "other").mkdir(parents=True)
    limits = InstallLimits(keep_free=100 * 1024)

    def disk(path: Path) -> int:
        return 250 * 1024  # room for the data, but not for the data and the margin

    with pytest.raises(CompanionError, match="not enough free space") as err:
        install("m", models_dir, from_zip=zip_path, verify=False, limits=limits, disk_free=disk)
    assert err.value.exit_code == 1 and "\n" not in str(err.value)
    assert leftovers(models_dir) == ["other"]


def full_disk_after(room: int) -> object:
    """A `_create` that writes real files but fails with ENOSPC once `room` bytes are in."""
    written = [0]

    class Full(io.FileIO):
        def write(self, data: bytes) -> int:  # type: ignore[override]
            if written[0] + len(data) > room:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written[0] += len(data)
            return super().write(data)

    def create(path: Path) -> IO[bytes]:
        return Full(path, "wb")

    return create


def test_a_disk_that_fills_while_unpacking_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zip_path = make_zip(tmp_path / "m.zip", {f"{TOP}/data": incompressible(64 * 1024)})
    models_dir = tmp_path / "models"
    (models_dir / "other").mkdir(parents=True)
    monkeypatch.setattr(install_mod, "_create", full_disk_after(10 * 1024))
    with pytest.raises(CompanionError, match="No space left") as err:
        install("m", models_dir, from_zip=zip_path, verify=False, disk_free=plenty)
    message = str(err.value)
    assert "\n" not in message and "nothing was installed" in message and "--dir" in message
    assert leftovers(models_dir) == ["other"]  # the half-unpacked folder is gone


# ------------------------------------------------------------------ member names


def zip_with(path: Path, names: list[str]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        make_zip(path, {name: b"data" for name in names})
    return path


@pytest.mark.parametrize(
    ("names", "problem"),
    [
        ([f"{TOP}/README"], "twice"),  # the same name again
        ([f"{TOP}//README"], "twice"),  # the same path, written differently
        ([f"{TOP}\\README"], "twice"),
        ([f"{TOP}/am/final.mdl/x"], "is a file"),  # a file used as a folder
        ([f"{TOP}/conf"], "is a file"),  # a file where a folder is
        ([f"{TOP}/notes/", f"{TOP}/notes"], "twice"),
    ],
)
def test_duplicate_or_clashing_names_are_refused(
    tmp_path: Path, names: list[str], problem: str
) -> None:
    zip_path = zip_with(tmp_path / "dup.zip", names)
    models_dir = tmp_path / "models"
    with pytest.raises(InputError, match=rf"unsafe zip: .*{problem}") as err:
        install("dup", models_dir, from_zip=zip_path, verify=False, disk_free=plenty)
    assert "\n" not in str(err.value)
    assert leftovers(models_dir) == []


def test_a_folder_listed_twice_is_fine(tmp_path: Path) -> None:
    zip_path = zip_with(tmp_path / "dirs.zip", [f"{TOP}/"])
    path = install("dirs", tmp_path / "models", from_zip=zip_path, verify=False, disk_free=plenty)
    assert is_vosk_model_dir(path)


@pytest.mark.parametrize(
    "name", [f"{TOP}/bad\x01name", f"{TOP}/" + "x" * 300, f"{TOP}/line\nbreak"]
)
def test_unsafe_member_names_are_refused(tmp_path: Path, name: str) -> None:
    zip_path = zip_with(tmp_path / "names.zip", [name])
    models_dir = tmp_path / "models"
    with pytest.raises(InputError, match="unsafe zip") as err:
        install("names", models_dir, from_zip=zip_path, verify=False, disk_free=plenty)
    assert "\n" not in str(err.value)
    assert leftovers(models_dir) == []


def test_a_huge_symlink_member_is_not_read(tmp_path: Path) -> None:
    zip_path = make_zip(tmp_path / "link.zip")
    with zipfile.ZipFile(zip_path, "a", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(f"{TOP}/conf/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, b"a" * (64 * 1024))
    models_dir = tmp_path / "models"
    with pytest.raises(InputError, match="unsafe zip: symlink"):
        install("link", models_dir, from_zip=zip_path, verify=False, disk_free=plenty)
    assert leftovers(models_dir) == []


# ------------------------------------------------------------------ what a killed run left


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Path]:
    """A partial download that a running install holds (its flock), in the models folder."""
    models_dir = tmp_path / "models"
    models_dir.mkdir()
    busy = models_dir / ".download-vosk-fake-busy.zip"
    busy.write_bytes(b"in progress")
    fd = os.open(busy, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield busy
    finally:
        os.close(fd)


def test_stale_partial_files_are_removed_and_busy_ones_kept(tmp_path: Path, held: Path) -> None:
    models_dir = held.parent
    (models_dir / ".download-vosk-fake-dead.zip").write_bytes(b"x" * 4096)
    (models_dir / ".install-vosk-fake-dead" / "am").mkdir(parents=True)
    (models_dir / ".install-vosk-fake-dead" / "am" / "final.mdl").write_bytes(b"half")
    (models_dir / ".old-vosk-fake-dead" / "model").mkdir(parents=True)
    (models_dir / ".hidden-notes").write_text("not ours")
    (models_dir / "other").mkdir()
    zip_path = make_zip(tmp_path / "m.zip")
    install("m", models_dir, from_zip=zip_path, verify=False, disk_free=plenty)
    assert leftovers(models_dir) == sorted([".hidden-notes", held.name, "m", "other"])
    assert held.read_bytes() == b"in progress"


def test_stale_files_go_even_when_the_install_then_fails(tmp_path: Path) -> None:
    models_dir = tmp_path / "models"
    models_dir.mkdir()
    (models_dir / ".download-x-dead.zip").write_bytes(b"x")
    not_zip = tmp_path / "text.zip"
    not_zip.write_text("plain text")
    with pytest.raises(InputError, match="not a valid zip"):
        install("x", models_dir, from_zip=not_zip, verify=False, disk_free=plenty)
    assert leftovers(models_dir) == []
