"""A pretend login session for reminders: systemctl --user and crontab, never the real ones.

`FakeSession` is a `Runner` that answers as the programs would (including how
they fail) and records every call, so tests see exactly what the installer
asked for. `FakeClock` is a clock whose sleeping only moves its hands.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from audio_companion.remind.install import Ran, Runner

NO_BUS = b"Failed to connect to bus: No medium found\n"


class FakeSession(Runner):
    """systemctl --user and crontab as a person's session would run them.

    `systemctl`: the program exists; `user_bus`: its user instance answers;
    `crontab`: the program exists, with `crontab_bytes` installed (None: no
    crontab yet). `fail` maps an argv (as a tuple) to the stderr of its failure.
    """

    def __init__(
        self,
        unit_dir: Path,
        *,
        systemctl: bool = True,
        user_bus: bool = True,
        crontab: bool = True,
        crontab_bytes: bytes | None = None,
    ) -> None:
        self.unit_dir = unit_dir
        self.programs = {"systemctl": systemctl, "crontab": crontab}
        self.user_bus = user_bus
        self.crontab_bytes = crontab_bytes
        self.calls: list[tuple[str, ...]] = []
        self.loaded: set[str] = set()  # unit files the manager read at its last reload
        self.enabled: set[str] = set()  # timers enabled and started
        self.fail: dict[tuple[str, ...], bytes] = {}

    def which(self, program: str) -> str | None:
        return f"/usr/bin/{program}" if self.programs.get(program) else None

    def run(self, argv: Sequence[str], stdin: bytes | None = None) -> Ran:
        call = tuple(argv)
        self.calls.append(call)
        if not self.programs.get(call[0]):
            return Ran(127, b"", f"{call[0]}: not found".encode())
        if call in self.fail:
            return Ran(1, b"", self.fail[call])
        if call[0] == "crontab":
            return self._crontab(call[1:], stdin)
        if call[:2] == ("systemctl", "--user"):
            return self._systemctl(call[2:])
        raise AssertionError(f"the installer ran something unexpected: {call}")

    def _crontab(self, args: tuple[str, ...], stdin: bytes | None) -> Ran:
        if args == ("-l",):
            if self.crontab_bytes is None:
                return Ran(1, b"", b"no crontab for sam\n")
            return Ran(0, self.crontab_bytes)
        if args == ("-",):
            assert stdin is not None
            if stdin and not stdin.endswith(b"\n"):
                return Ran(
                    1, b"", b"new crontab file is missing newline before EOF, can't install.\n"
                )
            self.crontab_bytes = stdin
            return Ran(0)
        raise AssertionError(f"crontab {args}")

    def _systemctl(self, args: tuple[str, ...]) -> Ran:
        if not self.user_bus:
            return Ran(1, b"", NO_BUS)
        if args == ("show-environment",):
            return Ran(0, b"HOME=/home/sam\nLANG=C.UTF-8\n")
        if args == ("daemon-reload",):
            self.loaded = {p.name for p in self.unit_dir.glob("*") if p.is_file()}
            return Ran(0)
        if args[:2] == ("enable", "--now"):
            unit = args[2]
            if unit not in self.loaded:
                return Ran(
                    1, b"", f"Failed to enable unit: Unit file {unit} does not exist.\n".encode()
                )
            wants = self.unit_dir / "timers.target.wants"
            wants.mkdir(exist_ok=True)
            (wants / unit).symlink_to(self.unit_dir / unit)
            self.enabled.add(unit)
            return Ran(0, b"", f"Created symlink {wants / unit}.\n".encode())
        if args[:2] == ("disable", "--now"):
            unit = args[2]
            if unit not in self.loaded:
                return Ran(
                    1, b"", f"Failed to disable unit: Unit file {unit} does not exist.\n".encode()
                )
            link = self.unit_dir / "timers.target.wants" / unit
            if link.is_symlink():
                os.unlink(link)
            self.enabled.discard(unit)
            return Ran(0)
        raise AssertionError(f"systemctl --user {args}")

    def systemctl_calls(self) -> list[tuple[str, ...]]:
        return [c[2:] for c in self.calls if c[:2] == ("systemctl", "--user")]


class FakeClock:
    """Monotonic seconds that pass only when someone sleeps (or `advance` says so)."""

    def __init__(self, start: float = 1000.0, woken: Sequence[float] = ()) -> None:
        self.now = start
        self.slept: list[float] = []
        self.woken = list(woken)  # the first sleeps end this much too soon (a signal, say)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.slept.append(seconds)
        early = self.woken.pop(0) if self.woken else 0.0
        self.now += max(0.0, seconds - early)

    def advance(self, seconds: float) -> None:
        self.now += seconds
