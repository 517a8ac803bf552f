"""Run by tests/e2e/test_devices_hands_free.py in a fresh process on the rig.

`mic SECONDS`: prints "ready" once the microphone is open, then, after SECONDS,
the capture time of each sound it heard as a JSON list. `speaker N`: plays N
short tones 0.7 s apart and prints, as a JSON list, when the speaker says each
started. Times are on this machine's monotonic clock, shared with the test.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from audio_companion.audio.chunk import AudioChunk
from audio_companion.breathing.onsets import detect_onsets


def tone(seconds: float, rate: int) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (8000 * np.sin(2 * np.pi * 440 * t)).astype("<i2")


def mic(seconds: float) -> list[float]:
    from audio_companion.audio.microphone import MicrophoneSource

    onsets: list[float] = []
    with MicrophoneSource() as source:
        print("ready", flush=True)
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            chunk = source.read(timeout=0.5)
            if chunk is None or chunk.timestamp is None:
                continue
            at = detect_onsets(chunk.to_int16()[:, 0], chunk.rate, threshold=300, gap=0.0)
            if at and (not onsets or chunk.timestamp + at[0] - onsets[-1] > 0.4):
                onsets.append(chunk.timestamp + at[0])
    return onsets


def speaker(n: int) -> list[float | None]:
    from audio_companion.audio.speaker import SpeakerSink

    with SpeakerSink(rate=22050) as sink:
        first = time.monotonic() + 0.5
        sound = AudioChunk(22050, 2, 1, tone(0.1, 22050).tobytes(), None)
        plays = [sink.play(sound, at=first + 0.7 * k) for k in range(n)]
        for playback in plays:
            playback.wait(10)
        time.sleep(0.3)
    return [p.start for p in plays]


if __name__ == "__main__":
    what, arg = sys.argv[1], float(sys.argv[2])
    print(json.dumps(mic(arg) if what == "mic" else speaker(int(arg))), flush=True)
