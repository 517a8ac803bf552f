"""Audio data and the adapters that move it (files, devices, encoders)."""

from audio_companion.audio.chunk import AudioChunk, concatenate

__all__ = ["AudioChunk", "concatenate"]
