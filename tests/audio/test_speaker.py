"""The speaker's mixer, driven by hand: no device, exact sample positions."""

import numpy as np
import pytest

from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.speaker import Mixer, Playback, as_mono

RATE = 1000  # one sample per millisecond keeps the arithmetic readable


def sound(n: int, value: int = 7) -> np.ndarray:
    return np.full(n, value, dtype="<i2")


def test_sound_without_deadline_starts_at_once_and_reports_times() -> None:
    mixer = Mixer(RATE)
    pb = mixer.add(Playback(sound(150)))
    first = mixer.fill(100, host_time=10.0)
    assert (first == 7).all() and pb.start == 10.0 and pb.end is None
    second = mixer.fill(100, host_time=10.1)
    assert (second[:50] == 7).all() and (second[50:] == 0).all()
    assert pb.end == 10.15 and pb.done.is_set()


def test_deadline_starts_on_its_exact_sample() -> None:
    mixer = Mixer(RATE)
    pb = mixer.add(Playback(sound(10), at=10.237))
    assert (mixer.fill(100, 10.0) == 0).all()  # not yet
    assert (mixer.fill(100, 10.1) == 0).all()
    block = mixer.fill(100, 10.2)
    assert np.flatnonzero(block).tolist() == list(range(37, 47))
    assert abs(pb.start - 10.237) < 1e-9 and abs(pb.lateness or 0) < 1e-9


def test_missed_deadline_plays_at_once_and_reports_lateness() -> None:
    mixer = Mixer(RATE)
    pb = mixer.add(Playback(sound(5), at=9.5))
    block = mixer.fill(100, 10.0)
    assert np.flatnonzero(block).tolist() == [0, 1, 2, 3, 4]
    assert pb.lateness == 0.5


def test_queued_sounds_play_back_to_back() -> None:
    mixer = Mixer(RATE)
    a = mixer.add(Playback(sound(30, 1)))
    b = mixer.add(Playback(sound(30, 2)))
    block = mixer.fill(100, 0.0)
    assert block[:30].tolist() == [1] * 30 and block[30:60].tolist() == [2] * 30
    assert a.end == b.start == 0.03


def test_cancel_all_silences_and_releases_waiters() -> None:
    mixer = Mixer(RATE)
    pb = mixer.add(Playback(sound(500)))
    mixer.fill(100, 0.0)
    mixer.cancel_all()
    assert pb.cancelled and pb.wait(0)
    assert (mixer.fill(100, 0.1) == 0).all() and not mixer.busy


def test_steadiness_restarts_after_a_stall() -> None:
    mixer = Mixer(RATE)
    for k in range(5):
        mixer.fill(100, k * 0.1)
    assert mixer.steady_for(0.3)
    mixer.fill(100, 2.0)  # the host stalled for 1.5 s
    assert not mixer.steady_for(0.3)


def test_as_mono_converts_rate_and_channels() -> None:
    stereo = AudioChunk.from_int16(np.full((800, 2), 1000, dtype="<i2"), 8000)
    mono = as_mono(stereo, 16000)
    assert abs(len(mono) - 1600) <= 2
    assert abs(int(np.median(mono)) - 1000) <= 2


def test_deadlines_follow_the_stream_not_host_jitter() -> None:
    # Host times jitter by up to 6 ms per block around the stream's clock; the
    # cue still lands on the sample that clock gives its deadline.
    mixer = Mixer(RATE)
    pb = mixer.add(Playback(sound(5), at=10.25))
    blocks = [mixer.fill(100, t) for t in (10.0, 10.106, 10.195, 10.304)]
    placed = np.flatnonzero(np.concatenate(blocks)).tolist()
    assert placed == [250, 251, 252, 253, 254]
    assert pb.start == 10.25


def test_cue_spacing_is_exact_in_samples_when_clocks_drift() -> None:
    # The device plays 100 ppm faster than the host clock: host times of the
    # blocks fall behind the sample count, but within the tolerance nothing
    # re-anchors and two cues 2 s apart stay exactly 2000 samples apart.
    mixer = Mixer(RATE)
    mixer.add(Playback(sound(3, 1), at=10.5))
    mixer.add(Playback(sound(3, 2), at=12.5))
    out = np.concatenate([mixer.fill(100, 10.0 + k * 0.1 * (1 - 1e-4)) for k in range(40)])
    ones, twos = np.flatnonzero(out == 1), np.flatnonzero(out == 2)
    assert twos[0] - ones[0] == 2000


class _PortAudioError(Exception):
    pass


class _FakeStream:
    latency = 0.05

    def __init__(self, samplerate: int, **_: object) -> None:
        if samplerate != 22050:
            raise _PortAudioError(f"Invalid sample rate {samplerate}")
        self.samplerate = samplerate

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


class _FakeSoundDevice:
    PortAudioError = _PortAudioError
    RawOutputStream = _FakeStream


def test_a_device_that_refuses_the_voices_rate_is_opened_at_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from audio_companion.audio import speaker

    monkeypatch.setattr(speaker, "sounddevice", lambda: _FakeSoundDevice)
    monkeypatch.setattr(speaker, "list_devices", lambda: [])
    monkeypatch.setattr(speaker, "resolve_device", lambda *_: None)
    monkeypatch.setattr(speaker.SpeakerSink, "_warm_up", lambda self: None)
    with speaker.SpeakerSink(None, rate=24000) as sink:
        assert sink.rate == speaker.DEFAULT_RATE == sink.mixer.rate
        playback = sink.play(AudioChunk.silence(0.1, 24000))
        assert len(playback.samples) == round(0.1 * speaker.DEFAULT_RATE)  # converted on play
