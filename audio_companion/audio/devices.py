"""Microphone and speakers through sounddevice (PortAudio), imported lazily.

`import sounddevice` raises when libportaudio2 is missing, so nothing outside
this module imports it, and `--help` or a feed build work without PortAudio.
Chunks carry timestamps on the monotonic clock, counted in frames from the
stream's start, so the half-duplex gate and the endpointer see exact times.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Literal

from audio_companion.errors import DeviceError, MissingDependencyError

Kind = Literal["input", "output"]
RECOGNIZER_RATE = 16000


def sounddevice() -> ModuleType:
    try:
        import sounddevice as sd  # type: ignore[import-untyped,unused-ignore]
    except OSError as exc:  # "PortAudio library not found"
        raise MissingDependencyError("the PortAudio library", "libportaudio2") from exc
    module: ModuleType = sd
    return module


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    inputs: int
    outputs: int
    default_rate: float
    default_input: bool
    default_output: bool


def list_devices() -> list[DeviceInfo]:
    sd = sounddevice()
    try:
        devices = sd.query_devices()
        default_in, default_out = sd.default.device
    except Exception as exc:  # PortAudioError when the host has no audio system at all
        raise DeviceError(f"cannot list audio devices: {exc}") from exc
    return [
        DeviceInfo(
            index=i,
            name=str(d["name"]),
            inputs=int(d["max_input_channels"]),
            outputs=int(d["max_output_channels"]),
            default_rate=float(d["default_samplerate"]),
            default_input=i == default_in,
            default_output=i == default_out,
        )
        for i, d in enumerate(devices)
    ]


def describe_devices(devices: list[DeviceInfo]) -> str:
    if not devices:
        return "no audio devices found"
    rows = []
    for d in devices:
        marks = ("<" if d.default_input else " ") + (">" if d.default_output else " ")
        rows.append(
            f"{marks} {d.index:3d} {d.name}  ({d.inputs} in, {d.outputs} out, "
            f"{d.default_rate:.0f} Hz)"
        )
    return "\n".join(rows)


def resolve_device(spec: str | int | None, kind: Kind, devices: list[DeviceInfo]) -> int | None:
    """A device index from an index or a case-insensitive name substring.

    None keeps PortAudio's default, but only when such a device exists at all.
    """
    usable = [d for d in devices if (d.inputs if kind == "input" else d.outputs) > 0]
    if not usable:
        hint = " Use --text to type instead of speaking." if kind == "input" else ""
        raise DeviceError(
            f"no audio {kind} device found.{hint}\nDevices:\n{describe_devices(devices)}"
        )
    if spec is None or spec == "":
        return None
    if isinstance(spec, int) or str(spec).isdigit():
        index = int(spec)
        if any(d.index == index for d in usable):
            return index
        raise DeviceError(f"no {kind} device with index {index}; see: audio-companion devices")
    matches = [d for d in usable if str(spec).lower() in d.name.lower()]
    if not matches:
        raise DeviceError(f"no {kind} device matches '{spec}'; see: audio-companion devices")
    return matches[0].index
