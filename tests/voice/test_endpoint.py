"""Endpointer timing with a scripted classifier, plus the real classifiers on synthetic audio.

Every frame of the synthetic stream is filled with its own index, so the fake
classifier can look up its verdict by index (independent of how the stream is
chunked) and tests can read back exactly which frames an utterance contains.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pytest

from audio_companion.audio.chunk import AudioChunk
from audio_companion.voice.endpoint import (
    Endpointer,
    EndpointEvent,
    EndpointSettings,
    EnergyClassifier,
    NoSpeechTimeout,
    UtteranceEnded,
    UtteranceStarted,
    WebRtcVadClassifier,
    frame_dbfs,
)

RATE = 16000
FRAME = 320  # 20 ms at 16 kHz, the default frame
FRAME_S = 0.02


class IndexClassifier:
    """Speech verdicts scripted per frame index (the value every sample of the frame holds)."""

    def __init__(self, speech: Callable[[int], bool]) -> None:
        self.speech = speech
        self.seen: list[int] = []

    def is_speech(self, frame: bytes, rate: int) -> bool:
        assert rate == RATE and len(frame) == FRAME * 2
        samples = np.frombuffer(frame, dtype="<i2")
        assert (samples == samples[0]).all(), "frame boundaries drifted"
        index = int(samples[0])
        self.seen.append(index)
        return self.speech(index)


def speech_in(*ranges: tuple[int, int]) -> Callable[[int], bool]:
    """Speech for frame indices in any half-open range."""
    return lambda i: any(a <= i < b for a, b in ranges)


def stream(
    first: int, count: int, chunk_samples: int = FRAME, t0: float | None = 0.0
) -> Iterable[AudioChunk]:
    """Frames first..first+count-1 (each filled with its index), cut into chunks of any size."""
    samples = np.repeat(np.arange(first, first + count, dtype="<i2"), FRAME)
    for offset in range(0, len(samples), chunk_samples):
        ts = None if t0 is None else t0 + (first * FRAME + offset) / RATE
        yield AudioChunk.from_int16(samples[offset : offset + chunk_samples], RATE, ts)


def run(ep: Endpointer, chunks: Iterable[AudioChunk]) -> list[EndpointEvent]:
    events: list[EndpointEvent] = []
    for chunk in chunks:
        events.extend(ep.process(chunk))
    return events


def frame_indices(audio: AudioChunk) -> list[int]:
    return [int(v) for v in audio.to_int16()[:, 0].reshape(-1, FRAME)[:, 0]]


def endpointer(speech: Callable[[int], bool], **settings: Any) -> Endpointer:
    return Endpointer(EndpointSettings(**settings), IndexClassifier(speech))


def test_defaults_match_other_offline_assistants() -> None:
    s = EndpointSettings()
    assert (s.rate, s.frame_ms) == (16000, 20)
    assert (s.start_frames, s.end_frames, s.pre_roll_frames) == (15, 35, 20)
    assert s.max_frames == 1500
    assert s.no_speech_timeout_s == 8.0


def test_starts_after_exactly_0_3_s_of_speech_not_before() -> None:
    ep = endpointer(speech_in((50, 1000)), no_speech_timeout_s=None)
    assert run(ep, stream(0, 64)) == []  # frames 50..63: 14 speech frames = 0.28 s
    assert not ep.in_utterance
    events = run(ep, stream(64, 1))  # the 15th speech frame
    assert events == [UtteranceStarted(t=pytest.approx(1.3), speech_start=pytest.approx(1.0))]
    assert ep.in_utterance


def test_short_blips_are_ignored() -> None:
    # Runs of 14 speech frames (0.28 s) broken by single non-speech frames, then a click.
    blips = speech_in((10, 24), (25, 39), (40, 54), (80, 81))
    ep = endpointer(blips, no_speech_timeout_s=None)
    assert run(ep, stream(0, 200)) == []
    assert not ep.in_utterance


def test_ends_after_0_7_s_of_silence_and_pauses_shorter_than_that_do_not() -> None:
    # Speech 50..99, a 34-frame (0.68 s) pause, speech 134..199, then silence.
    ep = endpointer(speech_in((50, 100), (134, 200)), no_speech_timeout_s=None)
    events = run(ep, stream(0, 234))
    assert [type(e) for e in events] == [UtteranceStarted]
    events = run(ep, stream(234, 1))  # 35th silent frame after speech ended at frame 200
    assert len(events) == 1
    ended = events[0]
    assert isinstance(ended, UtteranceEnded)
    assert ended.reason == "silence"
    assert ended.t == pytest.approx(235 * FRAME_S)
    assert ended.speech_start == pytest.approx(1.0)
    assert not ep.in_utterance


def test_end_silence_can_be_set_per_turn_and_reset_restores_the_settings() -> None:
    ep = endpointer(speech_in((50, 100)), no_speech_timeout_s=None)
    ep.set_end_silence(1.2)
    events = run(ep, stream(0, 159))  # 59 silent frames after speech: not yet 1.2 s
    assert [type(e) for e in events] == [UtteranceStarted]
    assert ep.trailing_silence_s == pytest.approx(59 * FRAME_S)
    (ended,) = run(ep, stream(159, 1))
    assert isinstance(ended, UtteranceEnded) and ended.t == pytest.approx(160 * FRAME_S)
    ep.reset()
    assert ep.settings.end_frames == 35
    with pytest.raises(ValueError):
        ep.set_end_silence(0)


def test_end_now_closes_the_open_utterance_with_the_audio_so_far() -> None:
    ep = endpointer(speech_in((50, 100)), no_speech_timeout_s=None)
    assert ep.end_now() is None and ep.utterance_audio() is None
    assert ep.trailing_silence_s == 0.0
    run(ep, stream(0, 115))  # speech, then 15 silent frames (0.3 s)
    so_far = ep.utterance_audio()
    assert so_far is not None and frame_indices(so_far) == list(range(30, 115))
    ended = ep.end_now()
    assert ended is not None and ended.reason == "complete"
    assert ended.t == pytest.approx(115 * FRAME_S) and ended.speech_start == pytest.approx(1.0)
    assert frame_indices(ended.audio) == list(range(30, 115))
    assert not ep.in_utterance and run(ep, stream(115, 100)) == []


def test_pre_roll_is_frame_accurate() -> None:
    ep = endpointer(speech_in((50, 100)), no_speech_timeout_s=None)
    events = run(ep, stream(0, 300))
    ended = [e for e in events if isinstance(e, UtteranceEnded)]
    assert len(ended) == 1
    audio = ended[0].audio
    # 20 frames (0.4 s) before the onset at frame 50, through the 35th silent frame.
    assert frame_indices(audio) == list(range(30, 135))
    assert audio.timestamp == pytest.approx(30 * FRAME_S)
    assert audio.frames == 105 * FRAME
    assert (audio.rate, audio.width, audio.channels) == (RATE, 2, 1)


def test_pre_roll_is_clipped_at_stream_start_and_configurable() -> None:
    ep = endpointer(speech_in((5, 60)), no_speech_timeout_s=None)
    (ended,) = [e for e in run(ep, stream(0, 200)) if isinstance(e, UtteranceEnded)]
    assert frame_indices(ended.audio)[0] == 0

    ep = endpointer(speech_in((50, 100)), no_speech_timeout_s=None, pre_roll_s=0.1)
    (ended,) = [e for e in run(ep, stream(0, 200)) if isinstance(e, UtteranceEnded)]
    assert frame_indices(ended.audio)[:6] == [45, 46, 47, 48, 49, 50]

    ep = endpointer(speech_in((50, 100)), no_speech_timeout_s=None, pre_roll_s=0.0)
    (ended,) = [e for e in run(ep, stream(0, 200)) if isinstance(e, UtteranceEnded)]
    assert frame_indices(ended.audio)[0] == 50


@pytest.mark.parametrize("chunk_samples", [FRAME, 1, 100, 777, 4000, 16000])
def test_any_chunk_size_gives_the_same_events(chunk_samples: int) -> None:
    ep = endpointer(speech_in((50, 100)), no_speech_timeout_s=None)
    events = run(ep, stream(0, 200, chunk_samples))
    assert [type(e) for e in events] == [UtteranceStarted, UtteranceEnded]
    assert events[0].t == pytest.approx(65 * FRAME_S)
    ended = events[1]
    assert isinstance(ended, UtteranceEnded)
    assert ended.t == pytest.approx(135 * FRAME_S)
    assert frame_indices(ended.audio) == list(range(30, 135))


def test_max_length_cuts_the_utterance_and_listening_continues() -> None:
    ep = endpointer(speech_in((100, 5000)), no_speech_timeout_s=None)
    events = run(ep, stream(0, 1700, 16000))
    assert [type(e) for e in events] == [UtteranceStarted, UtteranceEnded, UtteranceStarted]
    cut = events[1]
    assert isinstance(cut, UtteranceEnded)
    assert cut.reason == "max_length"
    assert cut.t == pytest.approx((100 + 1500) * FRAME_S)  # 30 s of speech after onset
    assert frame_indices(cut.audio) == list(range(80, 1600))
    # The next utterance starts 0.3 s later and does not repeat audio already emitted.
    assert events[2].t == pytest.approx((1600 + 15) * FRAME_S)
    assert events[2].speech_start == pytest.approx(1600 * FRAME_S)


def test_no_speech_timeout_fires_once_at_the_configured_time() -> None:
    ep = endpointer(lambda i: False)
    events = run(ep, stream(0, 399))
    assert events == []
    events = run(ep, stream(399, 600))
    assert events == [NoSpeechTimeout(t=pytest.approx(8.0))]

    ep = endpointer(lambda i: False, no_speech_timeout_s=2.5)
    assert run(ep, stream(0, 1000)) == [NoSpeechTimeout(t=pytest.approx(2.5))]

    ep = endpointer(lambda i: False, no_speech_timeout_s=None)
    assert run(ep, stream(0, 1000)) == []


def test_timeout_counts_from_the_first_timestamp_not_zero() -> None:
    ep = endpointer(lambda i: False, no_speech_timeout_s=1.0)
    events = run(ep, stream(0, 200, t0=100.0))
    assert events == [NoSpeechTimeout(t=pytest.approx(101.0))]


def test_speech_before_the_timeout_cancels_it_and_a_run_in_progress_defers_it() -> None:
    ep = endpointer(speech_in((20, 60)), no_speech_timeout_s=1.0)
    events = run(ep, stream(0, 500))
    assert NoSpeechTimeout not in [type(e) for e in events]

    # Frames 45..54 are speech (too short to start) and straddle the 1.0 s mark.
    ep = endpointer(speech_in((45, 55)), no_speech_timeout_s=1.0)
    events = run(ep, stream(0, 200))
    assert events == [NoSpeechTimeout(t=pytest.approx(55 * FRAME_S + FRAME_S))]


def test_reset_forgets_partial_speech_and_rearms_the_timeout() -> None:
    ep = endpointer(speech_in((0, 10), (10, 20)), no_speech_timeout_s=2.0)
    assert run(ep, stream(0, 10)) == []
    ep.reset()
    assert run(ep, stream(10, 10)) == []  # 10 + 10 speech frames, but never 15 in one go
    assert not ep.in_utterance

    ep = endpointer(speech_in((0, 100)), no_speech_timeout_s=None)
    assert [type(e) for e in run(ep, stream(0, 30))] == [UtteranceStarted]
    ep.reset()
    assert not ep.in_utterance
    assert ep.flush() == []

    ep = endpointer(lambda i: False, no_speech_timeout_s=2.0)
    assert [type(e) for e in run(ep, stream(0, 150))] == [NoSpeechTimeout]
    assert run(ep, stream(150, 300)) == []  # once per listening session
    ep.reset(t=10.0)
    events = run(ep, stream(500, 200))  # frames start at 10.0 s
    assert events == [NoSpeechTimeout(t=pytest.approx(12.0))]


def test_flush_closes_an_open_utterance() -> None:
    ep = endpointer(speech_in((10, 1000)), no_speech_timeout_s=None)
    run(ep, stream(0, 60))
    (ended,) = ep.flush()
    assert isinstance(ended, UtteranceEnded)
    assert ended.reason == "end_of_stream"
    assert ended.t == pytest.approx(60 * FRAME_S)
    assert frame_indices(ended.audio) == list(range(60))
    assert not ep.in_utterance


def test_event_times_follow_chunk_timestamps_across_gaps() -> None:
    ep = endpointer(speech_in((0, 1000)), no_speech_timeout_s=None)
    # 5 frames at t=0, then (after audio was dropped) chunks from t=50 s.
    events = run(ep, stream(0, 5))
    events += run(ep, stream(5, 30, t0=50.0 - 5 * FRAME_S))
    (started,) = events
    assert isinstance(started, UtteranceStarted)
    assert started.speech_start == pytest.approx(0.0)  # the run was not broken by the gap
    assert started.t == pytest.approx(50.0 + 10 * FRAME_S)


def test_a_partial_frame_is_not_stitched_across_a_gap() -> None:
    clf = IndexClassifier(lambda i: False)
    ep = Endpointer(EndpointSettings(no_speech_timeout_s=None), clf)
    half = np.full(FRAME // 2, 7, dtype="<i2")
    ep.process(AudioChunk.from_int16(half, RATE, 0.0))
    ep.process(AudioChunk.from_int16(np.full(FRAME, 9, dtype="<i2"), RATE, 5.0))
    assert clf.seen == [9]  # the leftover half frame of 7s was dropped, not mixed in


def test_injected_clock_times_chunks_without_timestamps() -> None:
    now = [0.0]
    ep = Endpointer(
        EndpointSettings(no_speech_timeout_s=1.0), IndexClassifier(lambda i: False), lambda: now[0]
    )
    events: list[EndpointEvent] = []
    captured = 0.0
    for chunk in stream(0, 100, chunk_samples=1600, t0=None):
        captured += chunk.duration
        now[0] = captured + 0.01  # arrival lags capture by 10 ms
        events += ep.process(chunk)
    assert events == [NoSpeechTimeout(t=pytest.approx(1.0 + 0.01))]


def test_rejects_audio_it_cannot_frame() -> None:
    ep = endpointer(lambda i: False)
    with pytest.raises(ValueError, match="16000 Hz mono"):
        ep.process(AudioChunk.silence(0.1, 8000))
    with pytest.raises(ValueError):
        ep.process(AudioChunk(RATE, 2, 2, bytes(4 * FRAME), 0.0))


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError):
        EndpointSettings(frame_ms=25)
    with pytest.raises(ValueError):
        EndpointSettings(rate=22050)
    with pytest.raises(ValueError):
        EndpointSettings(no_speech_timeout_s=0)
    with pytest.raises(ValueError):
        EndpointSettings(max_utterance_s=0.2)
    assert EndpointSettings(frame_ms=30, rate=8000).frame_samples == 240


class _Always:
    def is_speech(self, frame: bytes, rate: int) -> bool:
        assert len(frame) == 2 * rate * 10 // 1000
        return True


def test_10_ms_frames() -> None:
    ep = Endpointer(EndpointSettings(frame_ms=10, no_speech_timeout_s=None), _Always())
    events = run(ep, [AudioChunk(RATE, 2, 1, bytes(2 * RATE), 0.0)])
    assert events == [UtteranceStarted(t=pytest.approx(0.3), speech_start=0.0)]


# --- real classifiers on synthetic audio -------------------------------------------------


def voiced(seconds: float, f0: float = 150.0, peak: int = 12000) -> np.ndarray:
    """A vowel-like signal: a harmonic-rich glottal tone with vibrato and syllable-rate AM."""
    t = np.arange(round(seconds * RATE)) / RATE
    phase = 2 * np.pi * np.cumsum(f0 * (1 + 0.05 * np.sin(2 * np.pi * 3 * t))) / RATE
    sig = sum(np.sin(k * phase) / k for k in range(1, 20))
    sig = sig * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t))
    return (sig / np.max(np.abs(sig)) * peak).astype("<i2")


def frames_of(samples: np.ndarray) -> list[bytes]:
    n = len(samples) // FRAME
    return [samples[i * FRAME : (i + 1) * FRAME].tobytes() for i in range(n)]


def test_webrtcvad_hears_no_speech_in_silence() -> None:
    clf = WebRtcVadClassifier(aggressiveness=2)
    assert not any(clf.is_speech(f, RATE) for f in frames_of(np.zeros(RATE, dtype="<i2")))
    quiet = np.random.default_rng(0).normal(0, 20, 3 * RATE).astype("<i2")
    verdicts = [clf.is_speech(f, RATE) for f in frames_of(quiet)]
    assert not any(verdicts[25:])  # after its noise model settles (~0.5 s)


def test_webrtcvad_hears_a_voiced_signal() -> None:
    clf = WebRtcVadClassifier(aggressiveness=2)
    verdicts = [clf.is_speech(f, RATE) for f in frames_of(voiced(1.0))]
    assert sum(verdicts) >= 0.9 * len(verdicts)


def test_webrtcvad_rejects_bad_frames() -> None:
    clf = WebRtcVadClassifier()
    with pytest.raises(ValueError):
        clf.is_speech(bytes(2 * 300), RATE)
    with pytest.raises(ValueError):
        clf.is_speech(bytes(2 * 441), 22050)
    with pytest.raises(ValueError):
        WebRtcVadClassifier(aggressiveness=4)


def test_endpointer_with_webrtcvad_finds_the_voiced_segment() -> None:
    audio = np.concatenate([np.zeros(RATE, "<i2"), voiced(1.5), np.zeros(2 * RATE, "<i2")])
    ep = Endpointer(EndpointSettings(), WebRtcVadClassifier(2))
    events = run(
        ep,
        [
            AudioChunk.from_int16(audio[i : i + 1024], RATE, i / RATE)
            for i in range(0, len(audio), 1024)
        ],
    )
    assert [type(e) for e in events] == [UtteranceStarted, UtteranceEnded]
    ended = events[1]
    assert isinstance(ended, UtteranceEnded)
    assert ended.reason == "silence"
    assert ended.speech_start == pytest.approx(1.0, abs=0.1)
    assert ended.t == pytest.approx(2.5 + 0.7, abs=0.2)
    assert ended.audio.timestamp == pytest.approx(ended.speech_start - 0.4)


def espeak_16k(text: str) -> np.ndarray:
    wav = subprocess.run(
        ["espeak-ng", "--stdout", text], capture_output=True, check=True, timeout=30
    ).stdout
    with wave.open(io.BytesIO(wav)) as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
    n = round(len(data) * RATE / rate)
    resampled = np.interp(np.arange(n) * rate / RATE, np.arange(len(data)), data)
    return resampled.astype("<i2")


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_webrtcvad_endpoints_real_synthetic_speech() -> None:
    speech = espeak_16k("hello there, how are you today")
    audio = np.concatenate([np.zeros(RATE, "<i2"), speech, np.zeros(2 * RATE, "<i2")])
    clf = WebRtcVadClassifier(2)
    verdicts = [clf.is_speech(f, RATE) for f in frames_of(speech)]
    assert sum(verdicts) >= 0.5 * len(verdicts)

    ep = Endpointer(EndpointSettings(), WebRtcVadClassifier(2))
    events = run(
        ep,
        [
            AudioChunk.from_int16(audio[i : i + 480], RATE, i / RATE)
            for i in range(0, len(audio), 480)
        ],
    )
    ended = [e for e in events if isinstance(e, UtteranceEnded)]
    assert len(ended) == 1
    assert ended[0].reason == "silence"
    assert 0.98 <= ended[0].speech_start <= 1.0 + len(speech) / RATE / 2
    assert ended[0].audio.duration >= len(speech) / RATE * 0.8


def test_energy_classifier_tracks_the_noise_floor() -> None:
    rng = np.random.default_rng(1)
    clf = EnergyClassifier()
    noise = rng.normal(0, 30, 2 * RATE).astype("<i2")  # about -61 dBFS
    assert not any(clf.is_speech(f, RATE) for f in frames_of(noise))
    assert clf.noise_floor_dbfs == pytest.approx(frame_dbfs(noise.tobytes()), abs=2.0)
    assert all(clf.is_speech(f, RATE) for f in frames_of(voiced(0.5, peak=8000)))

    # A fan switches on (-35 dBFS): at first it reads as speech, then the floor catches up.
    fan = rng.normal(0, 600, 5 * RATE).astype("<i2")
    verdicts = [clf.is_speech(f, RATE) for f in frames_of(fan)]
    assert verdicts[0]
    assert not any(verdicts[-50:])
    # A voice over the fan is still heard.
    talk = voiced(1.0, peak=20000) + rng.normal(0, 600, RATE).astype("<i2")
    verdicts = [clf.is_speech(f, RATE) for f in frames_of(talk)]
    assert sum(verdicts) >= 0.8 * len(verdicts)


def test_energy_classifier_never_calls_digital_silence_speech() -> None:
    clf = EnergyClassifier()
    assert not any(clf.is_speech(f, RATE) for f in frames_of(np.zeros(RATE, "<i2")))
    # Very quiet sound stays below the absolute minimum however low the floor is.
    faint = (np.sin(np.arange(RATE) / 5) * 50).astype("<i2")  # about -59 dBFS
    assert not any(clf.is_speech(f, RATE) for f in frames_of(faint))
    assert frame_dbfs(np.full(FRAME, 32767, "<i2").tobytes()) == pytest.approx(0.0, abs=0.01)
    assert frame_dbfs(b"") == -100.0


class AnySound:
    """A VAD that, like webrtcvad's hangover, still calls a fading voice speech."""

    def is_speech(self, frame: bytes, rate: int) -> bool:
        return bool(np.abs(np.frombuffer(frame, dtype="<i2")).max() > 0)


def level(value: int, frames: int, t0: float) -> AudioChunk:
    return AudioChunk.from_int16(np.full(frames * FRAME, value, dtype="<i2"), RATE, t0)


def test_a_fading_voice_is_a_pause_before_the_vad_lets_go() -> None:
    ep = Endpointer(EndpointSettings(no_speech_timeout_s=None), AnySound())
    run(ep, [level(8000, 25, 0.0)])  # 0.5 s of voice: an utterance is open
    assert ep.in_utterance and ep.trailing_pause_s == 0.0
    run(ep, [level(200, 10, 0.5)])  # 0.2 s at -32 dB: still "speech" to the VAD
    assert ep.trailing_silence_s == 0.0
    assert ep.trailing_pause_s == pytest.approx(0.2)
    run(ep, [level(6000, 1, 0.7)])  # the voice again: the pause is over
    assert ep.trailing_pause_s == 0.0
    run(ep, [level(0, 5, 0.72)])  # true silence counts either way
    assert ep.trailing_pause_s == pytest.approx(ep.trailing_silence_s) == pytest.approx(0.1)


def test_a_soft_consonant_is_no_pause() -> None:
    ep = Endpointer(EndpointSettings(no_speech_timeout_s=None), AnySound())
    run(ep, [level(8000, 25, 0.0), level(1200, 5, 0.5)])  # -16 dB: an "s", not a pause
    assert ep.trailing_pause_s == 0.0
    with pytest.raises(ValueError):
        EndpointSettings(quiet_ratio=1.0)


def test_a_shorter_start_run_opens_an_utterance_sooner_until_reset() -> None:
    ep = endpointer(speech_in((10, 1000)), no_speech_timeout_s=None)
    ep.set_start_speech(0.2)
    events = run(ep, stream(0, 20))  # frames 10..19: 0.2 s of speech
    assert [type(e) for e in events] == [UtteranceStarted]
    ep.reset()
    assert run(ep, stream(20, 14)) == []  # back to 0.3 s after a reset
    ep.set_start_speech(1.0)  # never longer than the settings' own
    assert [type(e) for e in run(ep, stream(34, 1))] == [UtteranceStarted]
    with pytest.raises(ValueError):
        ep.set_start_speech(0)
