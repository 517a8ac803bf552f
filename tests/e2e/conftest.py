import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rig import PulseRig

# hands_free.py (the person and the stopwatch) is shared with scripts/bench_reply.py.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseRig]:
    why = PulseRig.available()
    if why:
        pytest.skip(why)
    rig = PulseRig()
    rig.start()
    try:
        yield rig
    finally:
        rig.stop()
