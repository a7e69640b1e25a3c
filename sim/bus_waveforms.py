"""Bus transfers as the wire changes a logic analyser would capture, for the VCD writer.

The bus models publish one ``i2c`` or ``spi`` trace event per transfer (docs/contracts.md,
"Buses and device models"), not its bits: the bits cost nothing unless someone wants a
waveform. This module expands such an event into the level changes of each bus line, in
time order, so PulseView or ``sigrok-cli -P i2c`` / ``-P spi`` decode the same transfer the
simulated chip saw.

A transfer is drawn at its bus clock from the event's ``t_ns``, in bit *cells* of quarter
clock steps (I2C) or eighth steps (SPI), and ends at ``t_ns + duration_ns``. Where the bus
model charged more time than the bits drawn (an I2C target stretching the clock after its
read address, or the clocks of a data byte it NACKed, which the event does not hold) SCL is
held low for the difference; where it charged less, the cells are squeezed into the duration.

I2C (NXP UM10204): SDA changes only while SCL is low, except for START (SDA falls while SCL is
high) and STOP (SDA rises while SCL is high). One clock each for START, repeated START and
STOP, nine for each byte with its ACK bit, as ``peripherals/i2c.py`` counts them. A transfer
is START, the 7-bit address and R/W bit, the target's ACK (SDA low) or NACK; the bytes
written, each ACKed by the target; when bytes were read, a repeated START (a START when
nothing was written), the address with R, the bytes read, each ACKed by the controller except
the last (NACK); then STOP. The event holds the bytes that were ACKed, so a data byte the
target refused is not drawn (its clocks are the held SCL), and an address nobody ACKed is
drawn as a write unless bytes were written before it (then it was the read address).

SPI (Motorola mode numbers): CPOL is the clock's idle level, CPHA whether data is sampled on
the leading (0) or the trailing (1) edge of each clock pulse; bytes go MSB first, eight
clocks each. In each bit's clock period the leading edge comes at 1/4, the trailing at 3/4,
data changes at 1/8 (CPHA 0) or 1/2 (CPHA 1). The clock takes its idle level and CS its
inactive one at ``t_ns``, CS falls at 1/8 of the first bit (before any edge: a decoder must
not take the clock's first level for an edge) and rises at 7/8 of the last; with no CS pin
the transfer is clocked all the same.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

Edge = tuple[int, str, int]          # (t_ns, pin, level)
Cell = Sequence[Sequence[tuple[str, int]]]   # steps, each the (line, level) pairs it sets

NS_PER_S = 1_000_000_000

# the lines of a bus, in the order its name lists their pins ("i2c:SDA/SCL"), and how many
# of them every bus has (an SPI bus may have no MISO: "spi:GPIO18/GPIO23")
BUS_LINES: dict[str, tuple[str, ...]] = {"i2c": ("SDA", "SCL"),
                                         "spi": ("SCLK", "MOSI", "MISO")}
REQUIRED_LINES = {"i2c": 2, "spi": 2}

I2C_START: Cell = ((("SDA", 1),), (("SCL", 1),), (("SDA", 0),), (("SCL", 0),))
I2C_STOP: Cell = ((("SDA", 0),), (("SCL", 1),), (("SDA", 1),), ())
I2C_ACK, I2C_NACK = 0, 1             # the SDA level of the ninth clock
I2C_READ, I2C_WRITE = 1, 0           # the R/W bit after the 7-bit address


def bus_pins(kind: str, source: str) -> dict[str, str]:
    """The pin of each line of bus ``source``: ``i2c:GPIO21/GPIO22`` → SDA GPIO21, SCL GPIO22."""
    pins = source.partition(":")[2].split("/")
    lines = BUS_LINES[kind]
    if not REQUIRED_LINES[kind] <= len(pins) <= len(lines):
        raise ValueError(f"{kind} bus name {source!r} does not name its "
                         f"{'/'.join(lines)} pins")
    return dict(zip(lines, pins))


def _draw(t_ns: int, duration_ns: int, cells: list[Cell], pins: dict[str, str],
          clock_ns: int, hold_at: int | None = None) -> list[Edge]:
    """The edges of ``cells`` (one clock each, ``clock_ns`` in all) on ``pins`` from ``t_ns``;
    the time ``duration_ns`` has beyond the clocks goes before cell ``hold_at`` (else after
    the last). A line with no pin (an SPI bus's absent MISO or CS) is left out."""
    steps = sum(len(cell) for cell in cells) or 1
    drawn_ns = min(clock_ns, duration_ns)
    edges, k = [], 0
    for index, cell in enumerate(cells):
        hold = duration_ns - drawn_ns if hold_at is not None and index >= hold_at else 0
        for step in cell:
            t = t_ns + k * drawn_ns // steps + hold
            edges += [(t, pins[line], level) for line, level in step if line in pins]
            k += 1
    return edges


# ---------------------------------------------------------------------------- I2C

def _i2c_bit(level: int) -> Cell:
    return ((("SDA", level),), (("SCL", 1),), (), (("SCL", 0),))


def _i2c_byte(byte: int, ack: int) -> list[Cell]:
    """Eight data bits, MSB first, then the ninth clock with the receiver's ACK or NACK."""
    return [_i2c_bit((byte >> bit) & 1) for bit in range(7, -1, -1)] + [_i2c_bit(ack)]


def _i2c_cells(value: dict[str, Any]) -> tuple[list[Cell], int]:
    """The cells of a transfer, and where SCL is held (after the read address, else before
    the STOP)."""
    addr, written, read, acked = value["addr"], value["write"], value["read"], value["ack"]
    read_phase = bool(read) or (not acked and bool(written))   # the R address was NACKed
    cells: list[Cell] = [I2C_START]
    if written or not read_phase:        # probes and unanswered addresses show as writes
        cells += _i2c_byte(addr << 1 | I2C_WRITE, I2C_ACK if acked or read_phase else I2C_NACK)
        for byte in written:
            cells += _i2c_byte(byte, I2C_ACK)
        if read_phase:
            cells.append(I2C_START)          # repeated START
    if read_phase:
        cells += _i2c_byte(addr << 1 | I2C_READ, I2C_ACK if acked else I2C_NACK)
    hold_at = len(cells)
    for i, byte in enumerate(read):
        cells += _i2c_byte(byte, I2C_NACK if i == len(read) - 1 else I2C_ACK)
    cells.append(I2C_STOP)
    return cells, (hold_at if read else len(cells) - 1)


def i2c_edges(t_ns: int, source: str, value: dict[str, Any]) -> list[Edge]:
    """The SDA/SCL changes of one ``i2c`` event, in time order."""
    cells, hold_at = _i2c_cells(value)
    clock_ns = len(cells) * NS_PER_S // value["freq_hz"]
    return _draw(t_ns, value["duration_ns"], cells, bus_pins("i2c", source), clock_ns, hold_at)


# ---------------------------------------------------------------------------- SPI

def _spi_cell(mosi: int, miso: int, cpol: int, cpha: int, first: bool, last: bool) -> Cell:
    """One bit in eighths of its clock period (see the module doc)."""
    data = (("MOSI", mosi), ("MISO", miso))
    steps: list[tuple[tuple[str, int], ...]] = [()] * 8
    steps[0] = (("SCLK", cpol), ("CS", 1)) if first else ()
    steps[1] = ((("CS", 0),) if first else ()) + (data if cpha == 0 else ())
    steps[2] = (("SCLK", 1 - cpol),)
    steps[4] = data if cpha == 1 else ()
    steps[6] = (("SCLK", cpol),)
    steps[7] = (("CS", 1),) if last else ()
    return steps


def _bits(data: Iterable[int]) -> list[int]:
    return [(byte >> bit) & 1 for byte in data for bit in range(7, -1, -1)]


def spi_edges(t_ns: int, source: str, value: dict[str, Any]) -> list[Edge]:
    """The SCLK/MOSI/MISO (and CS) changes of one ``spi`` event, in time order."""
    pins = bus_pins("spi", source)
    if value["cs"] is not None:
        pins["CS"] = value["cs"]
    cpol, cpha = value["mode"] >> 1 & 1, value["mode"] & 1
    mosi, miso = value["mosi"], value["miso"].ljust(len(value["mosi"]), b"\xff")
    bits = list(zip(_bits(mosi), _bits(miso)))
    cells = [_spi_cell(o, i, cpol, cpha, n == 0, n == len(bits) - 1)
             for n, (o, i) in enumerate(bits)]
    clock_ns = len(bits) * NS_PER_S // value["freq_hz"]
    return _draw(t_ns, value["duration_ns"], cells, pins, clock_ns)


def bus_roles(kind: str, source: str, value: dict[str, Any]) -> dict[str, str]:
    """Pin → line name for every pin a transfer drives (CS included)."""
    roles = {pin: line for line, pin in bus_pins(kind, source).items()}
    if kind == "spi" and value.get("cs") is not None:
        roles[value["cs"]] = "CS"
    return roles


EXPANSIONS = {"i2c": i2c_edges, "spi": spi_edges}
"""Trace kind → the function turning one of its events into edges."""
