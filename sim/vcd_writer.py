"""VCD (IEEE 1364 value change dump) of a board's pins, for GTKWave, PulseView and friends.

The writer subscribes to ``pin`` events on the trace bus and streams each change to the file
as it happens: nothing is kept in memory but the last value of each pin, so an hour of
blinking costs disk, not RAM.

Every pin named up front gets a one-bit wire in scope ``board``; its initial value goes in
``$dumpvars`` at time 0 (``x`` when unknown). Changes follow, grouped under ``#<time>`` lines
written only when time advances. The file depends on the simulation alone: ``$date`` holds a
fixed text rather than the host's date, so the same run gives the same bytes.

Time stamps must not go back in a VCD; an event stamped earlier than the last one written (two
cores whose clocks have drifted apart) is written at the last time instead. With a timescale
coarser than 1 ns, changes closer than one unit share a time stamp and the later one wins.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TextIO

from avmsim.trace import TraceBus, TraceEvent

FS_PER_UNIT = {"s": 10**15, "ms": 10**12, "us": 10**9, "ns": 10**6, "ps": 10**3, "fs": 1}
FS_PER_NS = 10**6
VALUE_CHARS = {0: "0", 1: "1", None: "x"}
FIRST_ID_CHAR, ID_CHARS = 33, 94   # identifiers use the printable characters '!'..'~'


def vcd_id(index: int) -> str:
    """The short identifier of variable ``index``: ``!``…``~``, then ``!!``, ``"!``…"""
    chars = []
    while True:
        index, digit = divmod(index, ID_CHARS)
        chars.append(chr(FIRST_ID_CHAR + digit))
        if index == 0:
            return "".join(chars)
        index -= 1   # bijective numbering: every string of id characters is used once


def parse_timescale(text: str) -> int:
    """Femtoseconds per unit of a VCD timescale (``"1 ns"``, ``"10us"``, ``"100 ps"``)."""
    compact = text.replace(" ", "")
    number = compact.rstrip("munpfs")
    unit = compact[len(number):]
    if number not in ("1", "10", "100") or unit not in FS_PER_UNIT:
        raise ValueError(f"bad VCD timescale {text!r} (1, 10 or 100 then s, ms, us, ns, ps, fs)")
    return int(number) * FS_PER_UNIT[unit]


class VcdWriter:
    """Writes the level changes of ``pins`` to ``path_or_file`` as they are published."""

    def __init__(self, path_or_file: str | os.PathLike[str] | TextIO, pins: Iterable[str],
                 initial: dict[str, int] | None = None, timescale: str = "1 ns") -> None:
        self._unit_fs = parse_timescale(timescale)
        self._owns_file = isinstance(path_or_file, (str, os.PathLike))
        self._out: TextIO = (open(path_or_file, "w", encoding="ascii", newline="\n")
                             if self._owns_file else path_or_file)
        self._ids: dict[str, str] = {}
        self._values: dict[str, str] = {}
        self._last_t = 0
        self._bus: TraceBus | None = None
        initial = initial or {}
        lines = ["$date", "\tavmsim run (virtual time)", "$end", "$version", "\tavmsim", "$end",
                 f"$timescale {timescale} $end", "$scope module board $end"]
        for index, pin in enumerate(dict.fromkeys(pins)):
            self._ids[pin] = vcd_id(index)
            self._values[pin] = VALUE_CHARS.get(initial.get(pin), "x")
            lines.append(f"$var wire 1 {self._ids[pin]} {_reference(pin)} $end")
        lines += ["$upscope $end", "$enddefinitions $end", "#0", "$dumpvars"]
        lines += [value + self._ids[pin] for pin, value in self._values.items()]
        lines.append("$end")
        self._out.write("\n".join(lines) + "\n")

    def attach(self, bus: TraceBus) -> None:
        """Record the ``pin`` events of ``bus`` from now on."""
        self._bus = bus
        bus.subscribe(self.on_event, ("pin",))

    def on_event(self, event: TraceEvent) -> None:
        """Write one ``pin`` event (pins not declared, and repeated levels, are skipped)."""
        pin_id = self._ids.get(event.source)
        value = VALUE_CHARS.get(event.value, "x")
        if pin_id is None or self._values[event.source] == value:
            return
        self._values[event.source] = value
        self._stamp(event.t_ns)
        self._out.write(value + pin_id + "\n")

    def close(self, end_ns: int | None = None) -> None:
        """Write a last time stamp — ``end_ns``, else the attached bus's current time — so
        viewers show the final levels lasting until then; stop listening; close the file if
        this writer opened it. A second call does nothing."""
        if self._out.closed:
            return
        if self._bus is not None:
            self._bus.unsubscribe(self.on_event)
            if end_ns is None:
                end_ns = self._bus.now_ns()
        if end_ns is not None:
            self._stamp(end_ns)
        if self._owns_file:
            self._out.close()
        else:
            self._out.flush()

    def _stamp(self, t_ns: int) -> None:
        t = t_ns * FS_PER_NS // self._unit_fs
        if t > self._last_t:
            self._last_t = t
            self._out.write(f"#{t}\n")


def _reference(pin: str) -> str:
    """A pin name as a VCD reference: one token without white space."""
    return "".join(c if c.isprintable() and not c.isspace() else "_" for c in pin) or "_"
