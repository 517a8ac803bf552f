import pytest

from audio_companion.audio.clock import SampleClock


def test_sample_clock_ignores_host_jitter() -> None:
    clock = SampleClock(16000)
    host = [10.0, 10.09, 10.07, 10.21, 10.14]  # bursty, late host times for 30 ms blocks
    stamps = [clock.stamp(t, 480) for t in host]
    assert stamps == pytest.approx([10.0 + 0.03 * k for k in range(5)])


def test_sample_clock_reanchors_after_lost_audio_or_drift() -> None:
    clock = SampleClock(16000, tolerance=0.5)
    clock.stamp(10.0, 480)
    assert clock.stamp(10.5, 480, lost=True) == 10.5  # an overflow: audio is missing
    assert clock.stamp(12.0, 480) == 12.0  # parted by more than the tolerance
    assert clock.stamp(12.1, 480) == pytest.approx(12.03)
