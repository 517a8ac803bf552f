"""A soft two-note chime that opens and closes an episode, generated, never bundled.

pydub's tone generators give the notes; each is shaped with a quick attack
and a long fade so it rings like a small bell rather than beeps, and the
second note overlaps the first's tail. Kept well below the voice: the
mastering stage measures the whole episode, chime included.
"""

from __future__ import annotations

from audio_companion.audio.chunk import AudioChunk

NOTES_HZ = (659.25, 987.77)  # E5 then B5: a rising fifth
NOTE_MS = 900
STEP_MS = 220  # the second note starts this long after the first
LEVEL_DBFS = -26.0


def make_chime(rate: int = 22050, level_dbfs: float = LEVEL_DBFS) -> AudioChunk:
    """The chime as 16-bit mono at `rate`."""
    from pydub import AudioSegment
    from pydub.generators import Sine

    length = STEP_MS * (len(NOTES_HZ) - 1) + NOTE_MS
    out = AudioSegment.silent(duration=length, frame_rate=rate).set_sample_width(2)
    for i, hz in enumerate(NOTES_HZ):
        note = (
            Sine(hz, sample_rate=rate, bit_depth=16)
            .to_audio_segment(duration=NOTE_MS, volume=level_dbfs)
            .fade_in(8)
            .fade_out(NOTE_MS - 40)
        )
        out = out.overlay(note, position=i * STEP_MS)
    out = out.set_channels(1).set_frame_rate(rate)
    return AudioChunk(rate, 2, 1, out.raw_data)
