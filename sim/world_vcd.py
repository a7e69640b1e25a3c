"""One VCD for a world of boards: a scope per board (``sensor.GPIO2``, ``hub.GPIO2``).

Each board's trace bus feeds a :class:`~avmsim.vcd_writer.VcdWriter` of its own, which
writes a complete single-board VCD to a temporary file (the boards run in turns, so their
events do not reach one file in time order, and a VCD's time stamps must never go back).
When the run ends the files are merged: one header with a ``$scope module NAME`` per board,
its variables given fresh identifiers, then the changes of every board in time order (a
board listed first goes first at equal times). The merge streams the files line by line;
same world, same bytes.
"""
from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterator
from typing import TextIO

from .trace import TraceBus
from .vcd_writer import VcdWriter, vcd_id


class WorldVcd:
    """Records the boards' buses and writes the merged VCD to ``path`` on :meth:`close`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.parts: list[tuple[str, TextIO, VcdWriter]] = []

    def add_board(self, name: str, bus: TraceBus, pins: list[str],
                  initial: dict[str, int]) -> None:
        """Record board ``name`` (scope ``name``) from now on."""
        body = tempfile.TemporaryFile("w+", encoding="ascii", newline="\n")
        writer = VcdWriter(body, pins, initial)
        writer.attach(bus)
        self.parts.append((name, body, writer))

    def close(self, end_ns: dict[str, int]) -> None:
        """Finish each board's file at its end time (``end_ns`` by name), merge them into
        ``path``. A second call does nothing."""
        if not self.parts:
            return
        boards = []
        for name, body, writer in self.parts:
            writer.close(end_ns[name])
            body.seek(0)
            boards.append((name, body, _read_header(body)))
        with open(self.path, "w", encoding="ascii", newline="\n") as out:
            ids = _write_header(out, boards)
            streams = [_changes(body, index, ids[index])
                       for index, (_, body, _) in enumerate(boards)]
            last = None
            for t, _, line in heapq.merge(*streams):
                if t != last:
                    out.write(f"#{t}\n")
                    last = t
                out.write(line)
        for _, body, _ in self.parts:
            body.close()
        self.parts = []


class _Header:
    """What a single-board VCD declares: its timescale, variables and initial values."""

    def __init__(self) -> None:
        self.timescale = ""
        self.vars: list[tuple[str, str, str, str]] = []    # (type, size, id, reference)
        self.initial: list[str] = []                      # "0!", "r0.5 #"


def _read_header(body: TextIO) -> _Header:
    """Read up to the end of ``$dumpvars`` (the file is left at the first change)."""
    header = _Header()
    dumping = False
    for line in iter(body.readline, ""):
        words = line.split()
        if words[:1] == ["$timescale"]:
            header.timescale = " ".join(words[1:-1])
        elif words[:1] == ["$var"]:
            header.vars.append((words[1], words[2], words[3], words[4]))
        elif words == ["$dumpvars"]:
            dumping = True
        elif dumping and words == ["$end"]:
            return header
        elif dumping:
            header.initial.append(line.rstrip("\n"))
    return header


def _split(change: str) -> tuple[str, str]:
    """``"1!"`` → ``("1", "!")``; ``"r0.5 #"`` → ``("r0.5 ", "#")``."""
    if change.startswith("r"):
        value, var_id = change.split()
        return value + " ", var_id
    return change[0], change[1:]


def _write_header(out: TextIO, boards: list[tuple[str, TextIO, _Header]]) -> list[dict[str, str]]:
    """Write the merged header; each board's old identifier → its new one."""
    ids: list[dict[str, str]] = []
    timescale = boards[0][2].timescale
    lines = ["$date", "\tavmsim run (virtual time)", "$end", "$version", "\tavmsim", "$end",
             f"$timescale {timescale} $end"]
    for name, _, header in boards:
        renamed = {}
        lines.append(f"$scope module {name} $end")
        for kind, size, old, reference in header.vars:
            renamed[old] = vcd_id(sum(len(m) for m in ids) + len(renamed))
            lines.append(f"$var {kind} {size} {renamed[old]} {reference} $end")
        lines.append("$upscope $end")
        ids.append(renamed)
    lines += ["$enddefinitions $end", "#0", "$dumpvars"]
    for (_, _, header), renamed in zip(boards, ids):
        for change in header.initial:
            value, old = _split(change)
            lines.append(value + renamed[old])
    lines.append("$end")
    out.write("\n".join(lines) + "\n")
    return ids


def _changes(body: TextIO, index: int, renamed: dict[str, str]) -> Iterator[tuple[int, int, str]]:
    """The changes after the header of one board's file: (time, board index, line); a time
    stamp alone gives an empty line (the last one marks the board's end time)."""
    t = 0
    for line in body:
        if line.startswith("#"):
            t = int(line[1:])
            yield t, index, ""
        else:
            value, old = _split(line.rstrip("\n"))
            yield t, index, value + renamed[old] + "\n"
