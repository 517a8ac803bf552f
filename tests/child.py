"""A child process a test can talk to without ever waiting forever.

Every test that drives a subprocess goes through `Child`: it runs in its own
process group (so killing it also kills whatever it started), its stdout and
stderr are read by threads into queues, and every wait has a deadline. When a
wait runs out, the assertion message shows what the child printed, so a hang
in CI reads as a clear failure instead of a silent 90 minutes.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

_EOF = object()


class Child:
    def __init__(
        self,
        argv: Sequence[str | Path],
        *,
        env: Mapping[str, str] | None = None,
        stdin: bool = False,
        cwd: Path | None = None,
    ) -> None:
        self.argv = [str(a) for a in argv]
        self.proc = subprocess.Popen(
            self.argv,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,  # its own process group: killed as a whole
        )
        self.lines: list[str] = []  # every stdout line so far
        self.stamped: list[tuple[float, str]] = []  # with the monotonic time it arrived
        self.errors: list[str] = []
        self._queue: queue.Queue[object] = queue.Queue()
        self._threads = [
            threading.Thread(target=self._pump_out, daemon=True),
            threading.Thread(target=self._pump_err, daemon=True),
        ]
        for t in self._threads:
            t.start()

    # ------------------------------------------------------------ reading

    def _pump_out(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.rstrip("\n")
            self.lines.append(line)
            self.stamped.append((time.monotonic(), line))
            self._queue.put(line)
        self._queue.put(_EOF)

    def _pump_err(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            self.errors.append(raw.rstrip("\n"))

    def next_line(self, timeout: float) -> str | None:
        """The next stdout line; None when the child closed stdout. Fails after `timeout`."""
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(
                f"no output from {self.argv[:3]} in {timeout:.0f} s; {self.describe()}"
            ) from None
        if item is _EOF:
            self._queue.put(_EOF)  # stays at the end for later readers
            return None
        assert isinstance(item, str)
        return item

    def expect(self, match: str | Callable[[str], bool], timeout: float = 30.0) -> str:
        """The next line that starts with `match` (or satisfies it), within `timeout` seconds."""
        test = match if callable(match) else (lambda line: line.startswith(match))
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no line matching {match!r} in time; {self.describe()}")
            line = self.next_line(left)
            if line is None:
                raise AssertionError(f"ended before a line matching {match!r}; {self.describe()}")
            if test(line):
                return line

    def next_event(self, timeout: float = 30.0) -> dict[str, Any] | None:
        """The next JSON event (`--format jsonl`); None at the end of output."""
        while True:
            line = self.next_line(timeout)
            if line is None:
                return None
            if line.startswith("{"):
                event: dict[str, Any] = json.loads(line)
                return event

    def drain(self, seconds: float) -> list[str]:
        """The lines printed during the next `seconds`."""
        out = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                item = self._queue.get(timeout=min(left, 0.1))
            except queue.Empty:
                continue
            if item is _EOF:
                self._queue.put(_EOF)
                time.sleep(min(left, 0.1))
                continue
            assert isinstance(item, str)
            out.append(item)
        return out

    # ------------------------------------------------------------ writing

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def close_stdin(self) -> None:
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()

    # ------------------------------------------------------------ ending

    def wait(self, timeout: float) -> int:
        """The exit code; a child still running after `timeout` is killed and fails the test."""
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                f"still running after {timeout:.0f} s; {self.describe()}"
            ) from None
        for t in self._threads:
            t.join(5)
        return code

    def signal(self, sig: int) -> None:
        """Send `sig` to the child alone (not its group)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, sig)

    def kill(self) -> None:
        """SIGKILL the child's whole process group and reap it."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(10)

    def describe(self) -> str:
        return f"stdout tail {self.lines[-12:]}; stderr tail {self.errors[-12:]}"

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        # Even a child that has ended may have left something running in its group.
        self.kill()
        self.close_stdin()
