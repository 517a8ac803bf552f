"""`models install` through CliRunner: the size-cap options, and every refusal as one line."""

from __future__ import annotations

import hashlib
import warnings
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from audio_companion.asr import install as install_mod
from audio_companion.asr.install import DEFAULT_LIMITS
from audio_companion.cli import main
from audio_companion.cli.models import SIZE

TOP = "vosk-model-tiny"


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def tiny_zip(path: Path, extra: dict[str, bytes] | None = None) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"{TOP}/am/final.mdl", b"am")
            zf.writestr(f"{TOP}/conf/model.conf", b"conf")
            for name, data in (extra or {}).items():
                zf.writestr(name, data)
    return path


def incompressible(n: int) -> bytes:
    out, seed = bytearray(), b"seed"
    while len(out) < n:
        seed = hashlib.sha256(seed).digest()
        out += seed
    return bytes(out[:n])


def install_args(archive: Path, models: Path, *more: str) -> list[str]:
    start = ["models", "install", "tiny", "--from", str(archive), "--no-verify"]
    return [*start, "--dir", str(models), *more]


def test_the_cli_defaults_are_the_library_defaults() -> None:
    assert SIZE.convert("4G", None, None) == DEFAULT_LIMITS.max_download
    assert SIZE.convert("8G", None, None) == DEFAULT_LIMITS.max_unpacked
    code, out = run(["models", "install", "--help"])
    assert code == 0
    assert "--max-download" in out and "--max-unpacked" in out and "--max-ratio" in out
    assert f"{DEFAULT_LIMITS.max_ratio:g}" in out


@pytest.mark.parametrize(
    ("text", "size"),
    [("123", 123), ("500M", 500 << 20), ("4g", 4 << 30), ("2.5GiB", 5 << 29), ("64 KB", 65536)],
)
def test_sizes(text: str, size: int) -> None:
    assert SIZE.convert(text, None, None) == size


def test_a_bad_size_is_a_usage_error(tmp_path: Path) -> None:
    archive = tiny_zip(tmp_path / "t.zip")
    code, out = run(install_args(archive, tmp_path / "models", "--max-unpacked", "lots"))
    assert code == 2 and "not a size" in out


def test_max_unpacked_refuses_and_raising_it_installs(tmp_path: Path) -> None:
    archive = tiny_zip(tmp_path / "t.zip", {f"{TOP}/data": incompressible(300 * 1024)})
    models = tmp_path / "models"
    code, out = run(install_args(archive, models, "--max-unpacked", "256K"))
    assert code == 2, out
    assert len(out.strip().splitlines()) == 1 and "--max-unpacked" in out
    assert not models.exists()
    code, out = run(install_args(archive, models, "--max-unpacked", "1M"))
    assert code == 0, out
    assert (models / "tiny" / "data").stat().st_size == 300 * 1024


def test_max_ratio_refuses_a_bomb_and_raising_it_installs(tmp_path: Path) -> None:
    archive = tiny_zip(tmp_path / "t.zip", {f"{TOP}/zeros": bytes(2 << 20)})
    models = tmp_path / "models"
    code, out = run(install_args(archive, models))
    assert code == 2 and "zip bomb" in out and len(out.strip().splitlines()) == 1
    code, out = run(install_args(archive, models, "--max-ratio", "5000"))
    assert code == 0, out


def test_duplicate_names_are_one_line(tmp_path: Path) -> None:
    archive = tiny_zip(tmp_path / "t.zip", {f"{TOP}/am/final.mdl": b"again"})
    code, out = run(install_args(archive, tmp_path / "models"))
    assert code == 2 and "appears twice" in out and len(out.strip().splitlines()) == 1


def test_no_room_is_one_line_with_exit_code_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(install_mod, "_free_bytes", lambda path: 1024)  # a nearly full disk
    archive = tiny_zip(tmp_path / "t.zip")
    models = tmp_path / "models"
    code, out = run(install_args(archive, models))
    assert code == 1 and "not enough free space" in out and "--dir" in out
    assert len(out.strip().splitlines()) == 1
    assert not models.exists()
