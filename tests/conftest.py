import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


class Clock:
    """A virtual clock a test sets by hand (``clock.t`` in nanoseconds)."""

    def __init__(self) -> None:
        self.t = 0


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bus(clock: Clock):
    """A trace bus stamped by the ``clock`` fixture."""
    from avmsim.trace import TraceBus
    return TraceBus(lambda: clock.t)
