"""Ports for test servers that are stopped and started again on the same address.

A port the kernel picked (``bind(0)``) comes from its ephemeral range, and once the
server stops, any other socket on the machine may be given it: the second test run that
``.ci/test`` runs beside this one makes that likely. A port below that range is never
handed out on its own, so the server can come back on it.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

LOWEST = 10_000


def _ephemeral_start() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768


def quiet_port() -> int:
    """A free TCP port on 127.0.0.1 below the kernel's ephemeral range."""
    top = max(LOWEST + 1_000, _ephemeral_start())
    for _ in range(500):
        port = random.randrange(LOWEST, top)
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")
