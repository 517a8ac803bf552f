"""Mastering: loudness and true peak checked independently with ffmpeg's ebur128.

Tolerances: integrated loudness -19 +/- 1 LUFS, true peak <= -1 dBTP plus 0.3 dB of
measurement slack (ffmpeg's true-peak interpolator differs slightly from ours, and
ebur128's "Peak:" is printed to 0.1 dB).
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from audio_companion.audio.chunk import AudioChunk
from audio_companion.media.loudness import (
    MasterReport,
    MasterSettings,
    master,
    settings_for,
    target_for,
    true_peak,
)

RATE = 22050
PEAK_SLACK_DB = 0.3

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


def speechlike(seconds: float, rate: int = RATE, seed: int = 0) -> np.ndarray:
    """Syllable-rate AM harmonic tones with a wandering pitch, pauses and breath noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * rate)) / rate
    f0 = 140.0 + 25.0 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voiced = sum(np.sin(k * phase + k) / k**1.2 for k in range(1, 15))
    syllables = np.clip(np.sin(2 * np.pi * 4.0 * t + 3 * np.sin(2 * np.pi * 0.3 * t)), 0, None)
    phrases = (np.sin(2 * np.pi * 0.25 * t) > -0.4).astype(float)  # ~1 s pause every 4 s
    sig = voiced * syllables**1.5 * phrases + 0.02 * rng.standard_normal(t.size) * phrases
    return np.asarray(sig / np.abs(sig).max(), dtype=np.float64)


def espeak_speech(text: str) -> np.ndarray | None:
    exe = shutil.which("espeak-ng")
    if exe is None:
        return None
    wav = subprocess.run([exe, "--stdout", text], capture_output=True, check=True).stdout
    # espeak-ng writes a streaming WAV (bogus sizes): data follows the 44-byte header.
    pcm = np.frombuffer(wav[44 : 44 + (len(wav) - 44) // 2 * 2], dtype="<i2")
    rate = int.from_bytes(wav[24:28], "little")
    x = pcm.astype(np.float64) / 32768.0
    if rate != RATE:  # resample linearly; fine for a level test
        n = round(x.size * RATE / rate)
        x = np.interp(np.arange(n) * rate / RATE, np.arange(x.size), x)
    return np.asarray(x / np.abs(x).max(), dtype=np.float64)


def to_chunk(
    x: np.ndarray, peak_dbfs: float, pad_s: tuple[float, float] = (0.0, 0.0)
) -> AudioChunk:
    scaled = x * 10 ** (peak_dbfs / 20) * 32767
    lead, tail = (np.zeros(round(s * RATE)) for s in pad_s)
    full = np.concatenate([lead, scaled, tail])
    return AudioChunk.from_int16(np.round(full).astype(np.int16), RATE)


def write_wav(path: Path, chunk: AudioChunk) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(chunk.channels)
        w.setsampwidth(2)
        w.setframerate(chunk.rate)
        w.writeframes(chunk.audio)


def ffmpeg_ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) from ffmpeg's ebur128 summary."""
    proc = subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-nostats", "-i", str(path),
            "-filter_complex", "ebur128=peak=true", "-f", "null", "-",
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    summary = proc.stderr[proc.stderr.rindex("Summary:") :]
    lufs = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    assert lufs and peak, summary
    return float(lufs.group(1)), float(peak.group(1))


def ffmpeg_check(tmp_path: Path, out: AudioChunk, name: str) -> tuple[float, float]:
    wav = tmp_path / f"{name}.wav"
    write_wav(wav, out)
    lufs, peak = ffmpeg_ebur128(wav)
    print(f"{name}: ffmpeg I={lufs:.2f} LUFS, true peak={peak:.2f} dBTP")
    return lufs, peak


# Peak levels in dBFS. "very_quiet" still has 10 ms frames above the -50 dBFS trim
# threshold; input wholly below it counts as silence and is returned unchanged.
LEVELS = {"very_quiet": -30.0, "normal": -6.0, "hot": -0.1}


@needs_ffmpeg
@pytest.mark.parametrize("level", list(LEVELS))
def test_speechlike_levels_hit_target(tmp_path: Path, level: str) -> None:
    x = speechlike(20.0)
    if level == "hot":  # plosive-like spikes right up to full scale
        idx = np.arange(RATE, x.size, 3 * RATE)
        x[idx] = np.sign(x[idx] + 1e-9) * 1.0
    out, report = master(to_chunk(x, LEVELS[level]))
    print(level, report)
    lufs, peak = ffmpeg_check(tmp_path, out, level)
    assert abs(lufs - (-19.0)) <= 1.0
    assert peak <= -1.0 + PEAK_SLACK_DB
    assert report.true_peak_dbtp <= -1.0 + 1e-6
    assert abs(report.output_lufs - lufs) <= 0.5  # our meter agrees with ffmpeg's


@needs_ffmpeg
@pytest.mark.parametrize("level", list(LEVELS))
def test_espeak_speech_levels_hit_target(tmp_path: Path, level: str) -> None:
    speech = espeak_speech(
        "Good evening. This is the nightly check in. Take a slow breath in, and let it go. "
        "Tonight we will talk about sleep, about light, and about the quiet hour before bed."
    )
    if speech is None:
        pytest.skip("needs espeak-ng")
    out, report = master(to_chunk(speech, LEVELS[level], pad_s=(0.6, 0.6)))
    print(level, report)
    lufs, peak = ffmpeg_check(tmp_path, out, f"espeak_{level}")
    assert abs(lufs - (-19.0)) <= 1.0
    assert peak <= -1.0 + PEAK_SLACK_DB


@needs_ffmpeg
def test_limiter_works_smoothly_on_high_crest_signal(tmp_path: Path) -> None:
    """Sparse loud clicks on quiet tone: normalising gain pushes peaks far over the ceiling."""
    t = np.arange(10 * RATE) / RATE
    x = 0.05 * np.sin(2 * np.pi * 220 * t)
    x[:: RATE // 2] = 1.0
    out, report = master(to_chunk(x, -1.0))
    print(report)
    y = out.to_int16().astype(np.float64) / 32768
    assert report.true_peak_dbtp <= -1.0 + 1e-6
    _, peak = ffmpeg_check(tmp_path, out, "crest")
    assert peak <= -1.0 + PEAK_SLACK_DB
    # No hard clipping: never more than two consecutive samples at the same peak value.
    top = np.abs(y) >= np.abs(y).max() - 1 / 32768
    assert not np.any(top[:-2] & top[1:-1] & top[2:])
    # The tone between clicks (well after the 50 ms release) keeps the normalising gain.
    gain = 10 ** (report.gain_db / 20)
    seg = slice(RATE // 4, RATE // 2 - 10)
    expected = 0.05 * 10 ** (-1.0 / 20) * gain
    assert np.abs(y[seg]).max() == pytest.approx(expected, rel=0.05)


def test_trimming_keeps_keep_s_each_end() -> None:
    body = speechlike(4.0)
    body[:100] = body[-100:] = 0  # no partial syllable clipped to the pads
    chunk = to_chunk(body, -6.0, pad_s=(1.3, 2.0))
    settings = MasterSettings(keep_s=0.25)
    out, report = master(chunk, settings)
    frame = 0.01
    y = np.abs(out.to_int16().astype(np.float64))
    loud = np.flatnonzero(y > 32768 * 10 ** (-50 / 20))
    lead = loud[0] / RATE
    tail = (y.size - 1 - loud[-1]) / RATE
    assert lead == pytest.approx(0.25, abs=2 * frame)
    assert tail == pytest.approx(0.25, abs=2 * frame)
    assert report.trimmed_start_s == pytest.approx(1.3 - 0.25, abs=2 * frame)
    assert report.trimmed_end_s == pytest.approx(2.0 - 0.25, abs=2 * frame)
    assert out.duration == pytest.approx(chunk.duration - 1.3 - 2.0 + 0.5, abs=3 * frame)


def test_nothing_to_trim_keeps_everything() -> None:
    tone = np.sin(2 * np.pi * 200 * np.arange(3 * RATE) / RATE)
    out, report = master(to_chunk(tone, -6.0))
    assert report.trimmed_start_s == report.trimmed_end_s == 0.0
    assert out.frames == 3 * RATE


@pytest.mark.parametrize(
    "chunk",
    [
        AudioChunk.silence(3.0, RATE),
        AudioChunk(RATE, 2, 1, b""),
        AudioChunk.silence(2.0, RATE, channels=2),
        to_chunk(speechlike(0.2), -6.0),  # too short for a loudness measurement
    ],
    ids=["silence", "empty", "stereo-silence", "too-short"],
)
def test_silent_or_empty_input_is_returned_unchanged(chunk: AudioChunk) -> None:
    out, report = master(chunk)
    assert out == chunk
    assert report.input_lufs == -math.inf
    assert report.output_lufs == -math.inf
    assert report.gain_db == 0.0
    assert isinstance(report, MasterReport)


def test_stereo_target_and_helpers() -> None:
    assert target_for(1) == -19.0
    assert target_for(2) == -16.0
    assert settings_for(2).target_lufs == -16.0
    assert settings_for(1, keep_s=0.5).keep_s == 0.5
    mono = speechlike(6.0) * 0.3
    stereo = np.stack([mono, 0.8 * mono], axis=1)
    chunk = AudioChunk.from_int16(np.round(stereo * 32767).astype(np.int16), RATE)
    out, report = master(chunk)
    assert out.channels == 2
    assert report.output_lufs == pytest.approx(-16.0, abs=0.5)
    assert report.true_peak_dbtp <= -1.0 + 1e-6


def test_true_peak_sees_intersample_peaks() -> None:
    # A quarter-rate sine sampled at +-45 degrees: samples at 0.707, true peak 1.0 (0 dBTP).
    n = np.arange(4096)
    x = (np.sin(2 * np.pi * n / 4 + np.pi / 4) * 0.5).astype(np.float32)[:, None]
    assert float(np.abs(x).max()) == pytest.approx(0.5 * math.sqrt(0.5), rel=1e-5)
    # Sample peak is 3 dB lower; the 0.15 dB allows for the abrupt start/end's ringing.
    assert true_peak(x) == pytest.approx(20 * math.log10(0.5), abs=0.15)


def test_ten_minutes_speed_report() -> None:
    """Reports the time (not asserted: shared CI machines make timing flaky)."""
    x = np.tile(speechlike(60.0), 10)
    chunk = to_chunk(x, -3.0)
    start = time.perf_counter()
    _, report = master(chunk)
    elapsed = time.perf_counter() - start
    print(f"mastered {chunk.duration / 60:.0f} min at {RATE} Hz in {elapsed:.2f} s: {report}")
    assert math.isfinite(report.output_lufs)
