"""The suite's own guarantees: a test that hangs fails on its limit, and its child dies.

Runs pytest on a deliberately hanging test in a subprocess (bounded itself), so
the time limit configured for this suite is proven to fire, to name the test,
and to take the hung child process's whole group with it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it no longer runs.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ", 1)[-1][:1] != "Z"


def test_a_hanging_test_fails_on_its_limit_and_its_child_is_killed(tmp_path: Path) -> None:
    pytest.importorskip("pytest_timeout")
    pids = tmp_path / "pids"
    (tmp_path / "pytest.ini").write_text(
        f"[pytest]\npythonpath = {TESTS}\ntimeout = 3\ntimeout_method = signal\n"
    )
    # A child that starts a grandchild; both note their pid, then sleep "forever".
    sleeper = tmp_path / "sleeper.py"
    sleeper.write_text(
        textwrap.dedent(
            f"""
            import os, subprocess, sys, time
            with open({str(pids)!r}, "a") as fh:
                fh.write(f"{{os.getpid()}}\\n")
            if sys.argv[1:] == ["parent"]:
                subprocess.Popen([sys.executable, __file__])
            time.sleep(600)
            """
        )
    )
    (tmp_path / "test_hang.py").write_text(
        textwrap.dedent(
            f"""
            import sys
            from child import Child

            def test_waits_for_a_line_that_never_comes():
                with Child([sys.executable, {str(sleeper)!r}, "parent"]) as child:
                    child.expect("never printed", timeout=600)
            """
        )
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", str(tmp_path / "test_hang.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=90,
    )
    took = time.monotonic() - started
    assert result.returncode == 1, result.stdout[-2000:]
    assert "Timeout" in result.stdout and "test_waits_for_a_line_that_never_comes" in result.stdout
    assert took < 60
    started_pids = [int(p) for p in pids.read_text().split()]
    assert len(started_pids) == 2  # the child and its grandchild
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in started_pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in started_pids if _alive(pid)], "the hung child outlived its test"
