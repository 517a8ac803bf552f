"""Reminder tests run in a pretend session: nothing reaches the real user manager or crontab.

Every test here gets its own ``$XDG_CONFIG_HOME`` (so unit files land in a
temporary folder, never ``~/.config/systemd/user``), and the real `Runner` is
shut for ``systemctl`` and ``crontab``: a test that forgot its fake fails
instead of installing a reminder on the machine running the tests.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

# remind_fakes.py sits beside this file (tests/ alone is on sys.path).
sys.path.insert(0, str(Path(__file__).parent))

from audio_companion.remind.install import Ran, Runner

_REAL_RUN = Runner.run


@pytest.fixture(autouse=True)
def pretend_session(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A temporary config folder, and the real runner shut for the session's schedulers."""
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))

    def guarded(self: Runner, argv: Sequence[str], stdin: bytes | None = None) -> Ran:
        if Path(argv[0]).name in {"systemctl", "crontab"}:
            pytest.fail(f"a test ran the real {argv[0]}: {list(argv)}")
        return _REAL_RUN(self, argv, stdin)

    monkeypatch.setattr(Runner, "run", guarded)
    return config
