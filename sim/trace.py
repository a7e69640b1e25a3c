"""The trace bus: every observable event of a board, published once with its virtual time.

Peripherals, the console and the VM publish; the live view, the VCD and JSONL writers, the
CI assertions (``--expect-text``) and the tests subscribe. Publishing costs one call per
subscriber of that kind and nothing when nobody listens, so a pin toggled millions of times
stays cheap. Events are plain tuples-with-names so subscribers can keep them as they are.

Kinds in use (``source`` / ``value``):

- ``pin``: pin name (``"GPIO2"``, ``"PB7"``) / level 0 or 1, on every level change.
- ``pin_mode``: pin name / mode string (``"output"``, ``"input"``…).
- ``part``: part name (``"LED2"``, ``"BOOT"``) / its new state (``"on"``, ``"pressed"``…).
- ``uart_tx``: UART name / bytes the firmware wrote; ``uart_rx``: bytes fed to the firmware.
- ``process``: pid text / ``"spawn"``, ``"exit <reason>"``.
- ``board``: board name / ``"boot"``, ``"reset"``, ``"halt"``, ``"sleep"``, ``"wake"``.
- ``i2c``, ``spi``: bus name / one transfer (a dict: address or chip select, the bytes each
  way, ACK, clock, duration), stamped with its start; ``pwm``: pin / duty, frequency,
  channel; ``device``: a fitted chip's name / the properties or outputs that changed. Their
  fields are listed in docs/contracts.md ("Buses and device models").
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple


class TraceEvent(NamedTuple):
    t_ns: int     # virtual nanoseconds since boot
    kind: str
    source: str
    value: Any


Subscriber = Callable[[TraceEvent], None]


class TraceBus:
    """Fan-out of trace events to subscribers, by kind (or to every kind)."""

    def __init__(self, now_ns: Callable[[], int]) -> None:
        self.now_ns = now_ns
        self._by_kind: dict[str, list[Subscriber]] = {}
        self._all: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber, kinds: tuple[str, ...] | None = None) -> None:
        """Receive every event of ``kinds`` (every event when ``kinds`` is None)."""
        if kinds is None:
            self._all.append(subscriber)
            for subs in self._by_kind.values():
                subs.append(subscriber)
            return
        for kind in kinds:
            self._by_kind.setdefault(kind, list(self._all)).append(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Stop sending anything to ``subscriber``; safe from inside a delivery (lists are
        replaced, not edited, so a publish in progress finishes with the old list)."""
        self._all = [s for s in self._all if s != subscriber]
        self._by_kind = {kind: [s for s in subs if s != subscriber]
                         for kind, subs in self._by_kind.items()}

    def wants(self, kind: str) -> bool:
        """Whether anyone listens to ``kind`` (publishers may skip building the value)."""
        return bool(self._by_kind.get(kind, self._all))

    def publish(self, kind: str, source: str, value: Any, t_ns: int | None = None) -> None:
        """Send one event, stamped with ``t_ns`` or the current virtual time."""
        subs = self._by_kind.get(kind, self._all)
        if not subs:
            return
        event = TraceEvent(self.now_ns() if t_ns is None else t_ns, kind, source, value)
        for sub in subs:
            sub(event)
