"""JSON Lines log of every trace event, streamed to disk as the events are published.

One object per line, keys in this order::

    {"t_ns":1200,"kind":"pin","source":"GPIO2","value":1}
    {"t_ns":5000,"kind":"uart_tx","source":"UART0","value":"hello\\n","encoding":"utf-8"}
    {"t_ns":7000,"kind":"uart_rx","source":"UART0","value":"ff00","encoding":"hex"}

Values JSON can hold are written as they are (tuples become lists). Byte strings — UART
traffic — get an ``encoding`` key so a script recovers the exact bytes and a person can still
read the text: ``"utf-8"`` when the bytes are valid UTF-8 (``value`` is the text), else
``"hex"`` (``value`` is the bytes in hex). ``decode_value(record)`` undoes it. Any other value
is written as its ``str()``. The file is UTF-8; nothing in it depends on the host.

In a world of boards (sim/world.py) every board's writer shares one file, and each line
names its board after the time: ``{"t_ns":1200,"board":"sensor","kind":"pin",…}``.

Dict values — the ``i2c``, ``spi``, ``pwm`` and ``device`` events (docs/contracts.md) — are
written with their keys as text in sorted order, whatever order the publisher built them in,
so the same run gives the same bytes. Bus data is binary, so byte strings inside a dict are
always hex, and ``encoding`` maps each such field to ``"hex"``::

    {"t_ns":2000000,"kind":"i2c","source":"i2c:GPIO21/GPIO22","value":{"ack":true,"addr":68,
     "duration_ns":290000,"freq_hz":100000,"read":"","write":"2400"},
     "encoding":{"read":"hex","write":"hex"}}

(one line in the file). Byte strings deeper down (in a list, a nested dict) are hex as well,
without an ``encoding`` entry.
"""
from __future__ import annotations

import json
import os
from typing import Any, TextIO

from avmsim.trace import TraceBus, TraceEvent

# how byte values were written -> how to get the bytes back
BYTES_DECODERS = {"utf-8": lambda text: text.encode("utf-8"), "hex": bytes.fromhex}


def encode_bytes(data: bytes) -> tuple[str, str]:
    """``(value, encoding)`` for a byte string, lossless and readable where possible."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.hex(), "hex"


def plain(value: Any) -> Any:
    """``value`` with what JSON cannot hold made plain: dict keys as sorted text, byte
    strings as hex, tuples as lists."""
    if isinstance(value, dict):
        return {str(key): plain(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def decode_value(record: dict[str, Any]) -> Any:
    """The event value of a parsed line, as bytes (or a dict with its byte fields as bytes)
    where it was."""
    encoding = record.get("encoding")
    if encoding is None:
        return record["value"]
    if isinstance(encoding, dict):
        return {key: BYTES_DECODERS[encoding[key]](field) if key in encoding else field
                for key, field in record["value"].items()}
    return BYTES_DECODERS[encoding](record["value"])


class JsonlWriter:
    """Writes every event of a bus to ``path_or_file``, one JSON object per line (with a
    ``board`` field when ``board`` is given)."""

    def __init__(self, path_or_file: str | os.PathLike[str] | TextIO,
                 board: str | None = None) -> None:
        self._owns_file = isinstance(path_or_file, (str, os.PathLike))
        self._board = {"board": board} if board is not None else {}
        self._out: TextIO = (open(path_or_file, "w", encoding="utf-8", newline="\n")
                             if self._owns_file else path_or_file)
        self._bus: TraceBus | None = None

    def attach(self, bus: TraceBus) -> None:
        """Record every event of ``bus`` from now on."""
        self._bus = bus
        bus.subscribe(self.on_event)

    def on_event(self, event: TraceEvent) -> None:
        """Write one event as one line."""
        record: dict[str, Any] = {"t_ns": event.t_ns, **self._board, "kind": event.kind,
                                  "source": event.source, "value": event.value}
        value = event.value
        if isinstance(value, (bytes, bytearray)):
            record["value"], record["encoding"] = encode_bytes(bytes(value))
        elif isinstance(value, dict):
            record["value"] = plain(value)
            encodings = {str(key): "hex" for key, field in value.items()
                         if isinstance(field, (bytes, bytearray))}
            if encodings:
                record["encoding"] = dict(sorted(encodings.items()))
        self._out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":"),
                                   default=str) + "\n")

    def close(self) -> None:
        """Stop listening; close the file if this writer opened it, else flush it."""
        if self._bus is not None:
            self._bus.unsubscribe(self.on_event)
            self._bus = None
        if self._owns_file:
            self._out.close()
        else:
            self._out.flush()
