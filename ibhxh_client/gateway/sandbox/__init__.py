"""A sandbox gateway that implements the gateway protocol for real: HTTPS with its own CA,
certificate and password logins, signed receipts, later acceptance or rejection with
reasons, state in SQLite, and fault switches for tests. For training at employer sites,
the demo, and every test; never a stand-in for the real gateway's rules beyond the two
it implements for contributions (see ``processing``) and the benefit rules it computes
claim lists with (``claims``, the program's own; broken on purpose in training mode).
"""

from .faults import Fault, Faults
from .server import Sandbox

__all__ = ["Fault", "Faults", "Sandbox"]
