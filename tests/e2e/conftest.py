import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rig import PulseRig

# hands_free.py (the person and the stopwatch) is shared with scripts/bench_reply.py.
sys.path.insert(0, str(Path(__file__).parent))


def running_rig() -> Iterator[PulseRig]:
    """A started rig for as long as the fixture that yields from it; skips where it cannot run."""
    why = PulseRig.available()
    if why:
        pytest.skip(why)
    rig = PulseRig()
    rig.start()
    try:
        yield rig
    finally:
        rig.stop()


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseRig]:
    yield from running_rig()


@pytest.fixture
def fresh_pulse() -> Iterator[PulseRig]:
    """A rig of its own, started for one test: the first streams a server opens are
    where hosts report stale times."""
    yield from running_rig()
