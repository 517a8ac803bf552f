#!/usr/bin/env python3
"""Benchmark paced-breathing sessions: onset accuracy of the rendered file and of live play.

Rendered: a session (default: box, 5 minutes) with real espeak-ng cues is
rendered, encoded to MP3, decoded again with ffmpeg, and every cue onset is
found by energy onset detection (1 ms hop); printed are the onset errors
against the plan (max, mean), the length error and the render speed (seconds
of audio per second of wall time, split into cues, placement and encoding).

Live (`--live`): the same session plays through SpeakerSink on a private
PulseAudio daemon with a virtual speaker (tests/rig.py) while the speaker's
monitor is recorded. Printed are the latenesses the mixer reports (audio
clock) and those measured in the recording: each cue's recorded onset minus
its deadline. The recording's start is only known to within parec's latency,
so that constant is reported on its own (median) and the spread and the drift
between the first and the last minute are measured around it.

`--sounds` renders every new sound (tones with the words, the doubled out-cue,
the countdown, the gong); `--ambient KIND` adds a bed: cues are then found by
matching their own samples in the decoded file (onsets.locate_onsets), and
the bed's loudest 3 s and 0.4 s RMS is printed against the quietest cue's.

    .venv/bin/python scripts/bench_breathe.py [--pattern box] [--minutes 5] [--live]
        [--sounds] [--ambient brown|pink|rain-like]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def bench_render(
    pattern_spec: str,
    minutes: float,
    workdir: Path,
    sounds: bool = False,
    ambient: str | None = None,
) -> dict[str, float]:
    import numpy as np

    from audio_companion.audio.wav import read_wav
    from audio_companion.breathing import (
        BreathingSession,
        CueStyle,
        prepare,
        render_session,
        resolve_pattern,
        write_session,
    )
    from audio_companion.breathing.onsets import detect_onsets, locate_onsets, match_onsets
    from audio_companion.tts.base import VoiceSettings
    from audio_companion.tts.registry import make_synthesizer

    pattern = resolve_pattern(pattern_spec)
    synth = make_synthesizer(VoiceSettings())
    style = (
        CueStyle(tones=True, countdown=True, gong=True, double_out=True) if sounds else CueStyle()
    )
    t0 = time.perf_counter()
    bank, cues = prepare(BreathingSession(pattern, minutes, style=style), synth)
    t1 = time.perf_counter()
    rendered = render_session(cues, bank, ambient=ambient)
    t2 = time.perf_counter()
    mp3 = workdir / "session.mp3"
    write_session(rendered, mp3, f"{pattern.name} benchmark")
    t3 = time.perf_counter()

    wav = workdir / "decoded.wav"
    rate = ["-ar", str(rendered.audio.rate)] if ambient else []
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(mp3), "-ac", "1", *rate, "-f", "wav", str(wav)],
        check=True,
    )
    decoded = read_wav(wav)
    samples = decoded.to_int16()[:, 0]
    extra_stats: dict[str, float] = {}
    if ambient:
        at, templates = [], []
        for cue in rendered.cues:
            x = bank[cue.sound].to_int16()[:, 0]
            for mark in [0.0, *bank.marks.get(cue.sound, [])]:
                at.append(cue.offset + mark)
                templates.append(x[round(mark * decoded.rate) :])
        found = locate_onsets(samples, decoded.rate, at, templates)
        errors = np.abs(np.array(found) - np.array(at))
        max_ms, mean_ms, missing, extra = errors.max() * 1000, errors.mean() * 1000, 0, 0
        dry = render_session(cues, bank).audio.to_int16()[:, 0].astype(np.float64)
        bed = rendered.audio.to_int16()[:, 0].astype(np.float64) - dry
        quietest = min(float(np.sqrt(np.mean(dry[a:b] ** 2))) for a, b in rendered.spans)
        for name, secs in (("bed_short_term_db", 3.0), ("bed_momentary_db", 0.4)):
            n = round(secs * decoded.rate)
            windows = bed[: len(bed) // n * n].reshape(-1, n)
            loudest = float(np.sqrt((windows**2).mean(axis=1)).max())
            extra_stats[name] = 20 * np.log10(loudest / quietest)
    else:
        onsets = detect_onsets(samples, decoded.rate)
        spans = []
        for cue in rendered.cues:  # the intro and close sentences, up to their countdown or gong
            if cue.phase_kind in ("intro", "close"):
                end = bank.marks.get(cue.sound, [bank[cue.sound].duration])[0]
                spans.append((cue.offset + 0.001, cue.offset + end - 0.3))
        planned = sorted([*rendered.onsets, *rendered.marks])
        match = match_onsets(planned, onsets, window=0.1, ignore=spans)
        max_ms, mean_ms = match.max_abs * 1000, match.mean_abs * 1000
        missing, extra = len(match.missing), len(match.extra)
    wall = t3 - t0
    return {
        "cues": len(rendered.cues),
        "onsets": len(rendered.onsets) + len(rendered.marks),
        "audio_s": rendered.duration,
        "onset_max_ms": max_ms,
        "onset_mean_ms": mean_ms,
        "missing": missing,
        "extra": extra,
        "length_error_ms": (decoded.duration - rendered.duration) * 1000,
        "cue_render_s": t1 - t0,
        "place_s": t2 - t1,
        "encode_s": t3 - t2,
        "realtime_x": rendered.duration / wall,
        **extra_stats,
    }


def bench_live(pattern_spec: str, minutes: float) -> dict[str, object] | str:
    """Play a live session on the PulseAudio rig and measure it; a string says why not."""
    sys.path.insert(0, str(REPO / "tests"))
    from rig import RATE, PulseRig

    why = PulseRig.available()
    if why:
        return why
    rig = PulseRig()
    try:
        rig.start()
    except Exception as exc:
        return f"cannot start the PulseAudio rig: {exc}"
    try:
        # PortAudio reads the server address when it initialises: set it first.
        os.environ.update(rig.env)
        from audio_companion.audio.speaker import SpeakerSink
        from audio_companion.breathing import BreathingSession, live_player, resolve_pattern
        from audio_companion.breathing.onsets import detect_onsets
        from audio_companion.errors import CompanionError
        from audio_companion.tts.base import VoiceSettings
        from audio_companion.tts.registry import make_synthesizer

        pattern = resolve_pattern(pattern_spec)
        synth = make_synthesizer(VoiceSettings())
        try:
            sink = SpeakerSink()
            sink.__enter__()
        except CompanionError as exc:
            return f"no sound device: {exc}"
        try:
            with rig.record_speaker() as rec:
                time.sleep(0.5)
                player = live_player(BreathingSession(pattern, minutes), sink, synth)
                report = player.run()
                time.sleep(0.5)
        finally:
            sink.__exit__(None, None, None)
    finally:
        rig.stop()

    onsets = [rec.started + t for t in detect_onsets(rec.samples, RATE, threshold=100)]
    played = [r for r in player.records if r.start is not None]
    measured: list[tuple[float, float]] = []  # (deadline, recorded onset - deadline)
    for r in played:
        near = min(onsets, key=lambda t: abs(t - r.deadline), default=None)
        if near is not None and abs(near - r.deadline) < 0.5:
            measured.append((r.deadline, near - r.deadline))
    if not measured:
        return "no cue onsets found in the recording"
    offset = statistics.median(lat for _, lat in measured)
    spread = [lat - offset for _, lat in measured]
    first_t, last_t = measured[0][0], measured[-1][0]
    first = [lat for t, lat in measured if t < first_t + 60]
    last = [lat for t, lat in measured if t > last_t - 60]
    # A constant rate mismatch between the output path and the monotonic clock
    # shows as lateness growing linearly: fit it, in parts per million.
    ts = [t - first_t for t, _ in measured]
    lats = [lat for _, lat in measured]
    slope = statistics.linear_regression(ts, lats).slope if len(set(ts)) > 1 else 0.0
    per_minute = [
        statistics.fmean(lat for t, lat in measured if m * 60 <= t - first_t < (m + 1) * 60)
        for m in range(int((last_t - first_t) // 60) + 1)
        if any(m * 60 <= t - first_t < (m + 1) * 60 for t, _ in measured)
    ]
    return {
        "drift_ppm": slope * 1e6,
        "per_minute_mean_ms": [round(v * 1000, 2) for v in per_minute],
        "cues_played": len(played),
        "cues_found_in_recording": len(measured),
        "reported_mean_ms": report.mean * 1000,
        "reported_max_ms": report.max * 1000,
        "reported_drift_ms": report.drift_first_vs_last_minute * 1000,
        "recorded_offset_median_ms": offset * 1000,
        "recorded_mean_ms": statistics.fmean(lat for _, lat in measured) * 1000,
        "recorded_max_ms": max(lat for _, lat in measured) * 1000,
        "recorded_spread_max_ms": max(abs(s) for s in spread) * 1000,
        "recorded_spread_mean_ms": statistics.fmean(abs(s) for s in spread) * 1000,
        "recorded_drift_ms": (statistics.fmean(last) - statistics.fmean(first)) * 1000,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pattern", default="box")
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--live", action="store_true", help="also play live on the PulseAudio rig")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    ap.add_argument("--sounds", action="store_true", help="tones, double out, countdown, gong")
    ap.add_argument("--ambient", choices=["brown", "pink", "rain-like"], help="a bed under it")
    args = ap.parse_args()

    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="ac-bench-breathe-") as tmp:
        r = bench_render(args.pattern, args.minutes, Path(tmp), args.sounds, args.ambient)
    results["render"] = r
    if not args.json:
        print(
            f"rendered {args.pattern}, {args.minutes:g} min: {r['cues']:.0f} cues, "
            f"{r['audio_s']:.1f} s of audio at {r['realtime_x']:.0f}x real time"
        )
        print(
            f"  (cues {r['cue_render_s']:.2f} s, placing {r['place_s']:.2f} s, "
            f"MP3 {r['encode_s']:.2f} s)"
        )
        print(
            f"  onset error in the decoded MP3: max {r['onset_max_ms']:.2f} ms, "
            f"mean {r['onset_mean_ms']:.2f} ms; missing {r['missing']:.0f}, "
            f"extra {r['extra']:.0f}; length error {r['length_error_ms']:.1f} ms"
            f" ({r['onsets']:.0f} onsets)"
        )
        if "bed_short_term_db" in r:
            print(
                f"  bed against the quietest cue: short-term (3 s) {r['bed_short_term_db']:.1f} dB,"
                f" momentary (0.4 s) {r['bed_momentary_db']:.1f} dB"
            )
    if args.live:
        live = bench_live(args.pattern, args.minutes)
        results["live"] = live
        if args.json:
            pass  # printed below with the rest
        elif isinstance(live, str):
            print(f"live: skipped ({live})")
        else:
            print(f"live on the PulseAudio rig: {live['cues_played']:.0f} cues played")
            print(
                f"  mixer-reported lateness: mean {live['reported_mean_ms']:.2f} ms, "
                f"max {live['reported_max_ms']:.2f} ms, "
                f"drift first→last minute {live['reported_drift_ms']:.2f} ms"
            )
            print(
                f"  recorded lateness: mean {live['recorded_mean_ms']:.1f} ms, "
                f"max {live['recorded_max_ms']:.1f} ms "
                f"(constant recording offset ~{live['recorded_offset_median_ms']:.1f} ms); "
                f"around it max {live['recorded_spread_max_ms']:.1f} ms, "
                f"mean {live['recorded_spread_mean_ms']:.1f} ms; "
                f"drift first→last minute {live['recorded_drift_ms']:.2f} ms"
            )
            print(
                f"  recorded mean lateness per minute (ms): {live['per_minute_mean_ms']}; "
                f"linear drift {live['drift_ppm']:.1f} ppm"
            )
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
