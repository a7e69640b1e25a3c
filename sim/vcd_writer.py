"""VCD (IEEE 1364 value change dump) of a board's pins, buses and PWM duties, for GTKWave,
PulseView, sigrok and friends.

Wires (``$var wire 1``, scope ``board``): one per pin named up front, its initial value in
``$dumpvars`` at time 0 (``x`` when unknown), changed by ``pin`` events. Bus transfers
(``i2c``, ``spi`` events) are expanded into their bit-level line changes
(:mod:`avmsim.bus_waveforms`) on the wires of the pins they use: a pin is one wire whatever
drives it. Once a transfer has used a pin, the pin belongs to its bus (the chip's pin matrix
routes the peripheral, not the GPIO latch, to it), so later ``pin`` events of that pin are not
drawn (the JSONL trace keeps them); its wire is named by the pin and its line, ``GPIO21_SDA``.
PWM (``pwm`` events): one real variable per pin, ``GPIO2_duty`` (``$var real 64``), holding
the duty from 0 to 1.

Which pins become bus lines or PWM outputs is known only as the run goes, and a VCD declares
every variable before its first change, so the changes are streamed to a temporary file and
the header is written in front of them by :meth:`VcdWriter.close`: memory holds only the last
value of each variable and the edges of the transfers in progress, whatever the length of the
run. The file depends on the simulation alone: ``$date`` holds a fixed text rather than the
host's date, so the same run gives the same bytes.

Time stamps must not go back in a VCD. A transfer's edges lie in the future of its event (it
is published when it starts); they are kept in a queue and written as the events of other
sources pass their time, so the pins of another core toggling during a transfer interleave
with its bits. An event stamped earlier than the last time written (two cores whose clocks
have drifted apart) is written at the last time instead; a transfer is then drawn from that
time, whole. With a timescale coarser than 1 ns, changes closer than one unit share a time
stamp and the later one wins.
"""
from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Iterable
from typing import TextIO

from avmsim.bus_waveforms import EXPANSIONS, bus_roles
from avmsim.trace import TraceBus, TraceEvent

FS_PER_UNIT = {"s": 10**15, "ms": 10**12, "us": 10**9, "ns": 10**6, "ps": 10**3, "fs": 1}
FS_PER_NS = 10**6
VALUE_CHARS = {0: "0", 1: "1", None: "x"}
FIRST_ID_CHAR, ID_CHARS = 33, 94   # identifiers use the printable characters '!'..'~'
CHUNK_LINES = 4096                 # changes kept in memory before they go to the temporary file
COPY_BYTES = 1 << 20


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
    """Writes what ``pin``, ``i2c``, ``spi`` and ``pwm`` events show on the wires of ``pins``
    (and of the bus and PWM pins met on the way) to ``path_or_file``."""

    KINDS = ("pin", "i2c", "spi", "pwm")

    def __init__(self, path_or_file: str | os.PathLike[str] | TextIO, pins: Iterable[str],
                 initial: dict[str, int] | None = None, timescale: str = "1 ns") -> None:
        self._unit_fs = parse_timescale(timescale)
        self._timescale = timescale
        self._owns_file = isinstance(path_or_file, (str, os.PathLike))
        self._out: TextIO = (open(path_or_file, "w", encoding="ascii", newline="\n")
                             if self._owns_file else path_or_file)
        self._body = tempfile.TemporaryFile("w+b")   # the changes, spilled in chunks
        self._chunk: list[str] = []               # lines not yet spilled
        self._wires: dict[str, str] = {}          # pin -> id of its wire
        self._reals: dict[str, str] = {}          # pin -> id of its PWM duty
        self._lines: dict[str, list[str]] = {}    # bus pin -> the lines it served as (SDA…)
        self._initial: dict[str, str] = {}        # id -> value text at time 0
        self._values: dict[str, str] = {}         # id -> value text last written
        self._pending: list[tuple[int, int, str, str]] = []   # heap of (t_ns, seq, id, text)
        self._seq = 0
        self._busy_until: dict[str, int] = {}     # bus pin -> end of its last transfer (ns)
        self._last_t = 0                          # last time stamp written, in units
        self._last_ns = 0                         # the latest event time written, in ns
        self._bus: TraceBus | None = None
        initial = initial or {}
        for pin in dict.fromkeys(pins):
            self._declare(self._wires, pin, VALUE_CHARS.get(initial.get(pin), "x"))

    def attach(self, bus: TraceBus) -> None:
        """Record the ``pin``, ``i2c``, ``spi`` and ``pwm`` events of ``bus`` from now on."""
        self._bus = bus
        bus.subscribe(self._on_pin, ("pin",))
        bus.subscribe(self.on_event, tuple(k for k in self.KINDS if k != "pin"))

    def on_event(self, event: TraceEvent) -> None:
        """Write one event (after the transfer edges due before it); other kinds, pins not
        declared and repeated values are skipped."""
        handler = self._HANDLERS.get(event.kind)
        if handler is not None:
            handler(self, event)

    def _on_pin(self, event: TraceEvent) -> None:
        """A pin's level (the hot path: a blinking loop sends millions)."""
        if self._pending and self._pending[0][0] <= event.t_ns:
            self._flush(event.t_ns)
        pin_id = self._wires.get(event.source)
        if pin_id is not None and event.source not in self._lines:
            self._change(event.t_ns, pin_id, VALUE_CHARS.get(event.value, "x"))

    def _on_transfer(self, event: TraceEvent) -> None:
        """Queue the edges of one bus transfer, drawn from its start (or, when that is in
        the past of the file or of the previous transfer on the same pins, from then)."""
        self._flush(event.t_ns)
        roles = bus_roles(event.kind, event.source, event.value)
        for pin, line in roles.items():
            if pin not in self._wires:
                self._declare(self._wires, pin, "x")
            served = self._lines.setdefault(pin, [])
            if line not in served:
                served.append(line)
        start = max([event.t_ns, self._last_ns] + [self._busy_until.get(p, 0) for p in roles])
        for t_ns, pin, level in EXPANSIONS[event.kind](start, event.source, event.value):
            heapq.heappush(self._pending, (t_ns, self._seq, self._wires[pin], VALUE_CHARS[level]))
            self._seq += 1
        end = start + event.value["duration_ns"]
        self._busy_until.update(dict.fromkeys(roles, end))

    def _on_pwm(self, event: TraceEvent) -> None:
        self._flush(event.t_ns)
        duty_id = (self._reals.get(event.source)
                   or self._declare(self._reals, event.source, "r0.0 "))
        self._change(event.t_ns, duty_id, f"r{float(event.value['duty'])!r} ")

    _HANDLERS = {"pin": _on_pin, "i2c": _on_transfer, "spi": _on_transfer, "pwm": _on_pwm}

    def close(self, end_ns: int | None = None) -> None:
        """Write the edges still queued and a last time stamp — ``end_ns``, else the attached
        bus's current time — so viewers show the final levels lasting until then; stop
        listening; write the header and the changes to the file, and close it if this writer
        opened it. A second call does nothing."""
        if self._body.closed:
            return
        if self._bus is not None:
            self._bus.unsubscribe(self._on_pin)
            self._bus.unsubscribe(self.on_event)
            if end_ns is None:
                end_ns = self._bus.now_ns()
        self._flush(None)
        if end_ns is not None:
            self._stamp(end_ns)
        self._spill()
        self._out.write(self._header())
        self._body.seek(0)
        for block in iter(lambda: self._body.read(COPY_BYTES), b""):
            self._out.write(block.decode("ascii"))
        self._body.close()
        if self._owns_file:
            self._out.close()
        else:
            self._out.flush()

    def _declare(self, table: dict[str, str], pin: str, initial: str) -> str:
        var_id = table[pin] = vcd_id(len(self._initial))
        self._initial[var_id] = self._values[var_id] = initial
        return var_id

    def _header(self) -> str:
        lines = ["$date", "\tavmsim run (virtual time)", "$end", "$version", "\tavmsim", "$end",
                 f"$timescale {self._timescale} $end", "$scope module board $end"]
        lines += [f"$var wire 1 {var_id} {_reference('_'.join([pin, *self._lines.get(pin, [])]))}"
                  " $end" for pin, var_id in self._wires.items()]
        lines += [f"$var real 64 {var_id} {_reference(pin + '_duty')} $end"
                  for pin, var_id in self._reals.items()]
        lines += ["$upscope $end", "$enddefinitions $end", "#0", "$dumpvars"]
        lines += [text + var_id for var_id, text in self._initial.items()]
        lines.append("$end")
        return "\n".join(lines) + "\n"

    def _flush(self, until_ns: int | None) -> None:
        """Write the queued edges due at or before ``until_ns`` (all of them for None)."""
        pending = self._pending
        while pending and (until_ns is None or pending[0][0] <= until_ns):
            t_ns, _, var_id, text = heapq.heappop(pending)
            self._change(t_ns, var_id, text)

    def _change(self, t_ns: int, var_id: str, text: str) -> None:
        if self._values[var_id] != text:
            self._values[var_id] = text
            self._stamp(t_ns)
            self._chunk.append(text + var_id + "\n")
            if len(self._chunk) >= CHUNK_LINES:
                self._spill()

    def _stamp(self, t_ns: int) -> None:
        if t_ns > self._last_ns:       # else written at the last time (or in the same unit)
            self._last_ns = t_ns
            t = t_ns * FS_PER_NS // self._unit_fs
            if t > self._last_t:
                self._last_t = t
                self._chunk.append(f"#{t}\n")

    def _spill(self) -> None:
        self._body.write("".join(self._chunk).encode("ascii"))
        self._chunk.clear()


def _reference(pin: str) -> str:
    """A pin name as a VCD reference: one token without white space."""
    return "".join(c if c.isprintable() and not c.isspace() else "_" for c in pin) or "_"
