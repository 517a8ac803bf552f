"""Loaded by a subprocess under test (PYTHONPATH=tests/netguard): records and
refuses every internet socket, so a test can prove a command stays offline.
Unix sockets (PulseAudio) are allowed."""

import os
import socket

_LOG = os.environ.get("NETGUARD_LOG", "")
_Real = socket.socket


class _Guarded(_Real):  # type: ignore[misc]
    def __init__(self, family=-1, *args, **kwargs):  # type: ignore[no-untyped-def]
        if family in (socket.AF_INET, socket.AF_INET6):
            if _LOG:
                with open(_LOG, "a") as fh:
                    fh.write(f"socket family {family}\n")
            raise OSError("network access is not allowed in this test")
        super().__init__(family, *args, **kwargs)


socket.socket = _Guarded  # type: ignore[misc]
