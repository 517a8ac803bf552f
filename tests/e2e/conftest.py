from collections.abc import Iterator

import pytest
from rig import PulseRig


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
