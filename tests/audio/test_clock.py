import pytest

from audio_companion.audio.clock import ArrivalClock, SampleClock


def test_sample_clock_counts_samples_through_host_jitter() -> None:
    clock = SampleClock(22050)
    jitter = [0.0, 0.004, -0.003, 0.006, -0.005, 0.002]  # within the tolerance
    stamps = [clock.stamp(10.0 + 0.01 * k + j, 220.5) for k, j in enumerate(jitter)]
    assert stamps == pytest.approx([10.0 + 0.01 * k for k in range(6)])


def test_sample_clock_does_not_keep_a_wrong_first_report() -> None:
    # The first callback's play time is 0.09 s off (the host did not know its
    # buffer yet); every later one is right. The wrong one must not stay the anchor.
    clock = SampleClock(16000)
    hosts = [10.09] + [10.0 + 0.01 * k for k in range(1, 20)]
    stamps = [clock.stamp(t, 160) for t in hosts]
    assert stamps[-1] == pytest.approx(10.19)
    assert stamps[5:] == pytest.approx([10.0 + 0.01 * k for k in range(5, 20)])


def test_sample_clock_prefers_reported_times_and_restarts_after_loss() -> None:
    clock = SampleClock(16000)
    assert clock.stamp(5.0, 160, reported=False) == 5.0  # a guess: the best there is
    assert clock.stamp(5.01, 160, reported=False) == pytest.approx(5.01)
    # The first reported time replaces the guess at once.
    assert clock.stamp(5.12, 160) == pytest.approx(5.12)
    assert clock.stamp(5.13, 160) == pytest.approx(5.13)
    # Lost audio: the device's position jumped, the count starts again.
    assert clock.stamp(7.0, 160, lost=True) == 7.0


def test_arrival_clock_stamps_from_the_tightest_arrival() -> None:
    # 30 ms blocks captured from t=10.0, delivered 5-60 ms after their last
    # sample, two of them in a burst: the promptest arrival fixes the start.
    clock = ArrivalClock(16000)
    delays = [0.06, 0.04, 0.05, 0.005, 0.03, 0.03]
    stamps = [clock.stamp(10.0 + 0.03 * (k + 1) + d, 480) for k, d in enumerate(delays)]
    assert stamps[3:] == pytest.approx([10.005 + 0.03 * k for k in range(3, 6)])
    # Before the prompt block, each stamp was the best bound known then: never early.
    assert all(s >= 10.0 + 0.03 * k for k, s in enumerate(stamps))


def test_arrival_clock_ignores_a_late_start_of_deliveries() -> None:
    # A server that holds the first second back, then delivers in real time: the
    # held-back blocks arrive together and the steady ones fix the time base.
    clock = ArrivalClock(16000)
    arrivals = [11.0] * 33 + [11.0 + 0.03 * k for k in range(1, 40)]
    stamps = [clock.stamp(t, 480) for t in arrivals]
    assert stamps[-1] == pytest.approx(10.01 + 0.03 * 71, abs=1e-6)


def test_arrival_clock_follows_a_slow_device_and_restarts_after_loss() -> None:
    clock = ArrivalClock(16000, window_s=2.0, slack_s=0.02)
    # The device delivers 1 % slower than its nominal rate: 30 ms of samples per 30.3 ms.
    stamps = [clock.stamp(10.0 + 0.0303 * (k + 1), 480) for k in range(400)]
    last_captured = 10.0 + 0.0303 * 399
    assert abs(stamps[-1] - last_captured) <= 0.02 + 0.0303
    assert clock.stamp(50.0, 480, lost=True) == pytest.approx(50.0 - 0.03)
