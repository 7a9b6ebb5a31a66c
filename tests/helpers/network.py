"""Asking whether a local server is there, and a port where none is."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


def listening(port: int) -> bool:
    """Whether something accepts connections on ``127.0.0.1:port``."""
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def refusing_port() -> Iterator[int]:
    """A loopback port held bound but not listening while the block runs: a connection to it is
    refused, and nothing else takes it meanwhile (a port bound and released at once could be
    taken, and then answer). A server started on it while it is held binds it too, with
    SO_REUSEPORT; no port is released and bound again."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        s.bind(("127.0.0.1", 0))
        yield int(s.getsockname()[1])
