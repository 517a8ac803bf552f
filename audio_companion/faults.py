"""Named fault points: where a test may kill the process, to prove a crash leaves whole files.

Publishing a feed and re-keying the journal both replace files that people depend on, and
both promise that an interruption at any moment leaves the old or the new, never half. The
promise is tested by killing the process at every step it names: ``AUDIO_COMPANION_FAULT_LOG``
lists the steps a run passes, and ``AUDIO_COMPANION_KILL_AT`` kills it (SIGKILL: no clean-up at
all, as a power cut) at the one asked for. Unset, a fault point does nothing.
"""

from __future__ import annotations

import os
import signal

KILL_AT = "AUDIO_COMPANION_KILL_AT"
FAULT_LOG = "AUDIO_COMPANION_FAULT_LOG"


def fault_point(step: str) -> None:
    """A named step: logged when asked, and the process killed here when it is the one asked."""
    log = os.environ.get(FAULT_LOG)
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(step + "\n")
    if os.environ.get(KILL_AT) == step:
        os.kill(os.getpid(), signal.SIGKILL)
