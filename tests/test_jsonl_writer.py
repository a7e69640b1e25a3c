"""The JSON Lines trace (avmsim.jsonl_writer): one event per line, values read back exactly."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from avmsim.jsonl_writer import JsonlWriter, decode_value, encode_bytes
from avmsim.trace import TraceBus, TraceEvent


class Pid:
    def __str__(self) -> str:
        return "<0.42.0>"


class Clock:
    def __init__(self) -> None:
        self.t = 0


def test_every_kind_is_written_in_order_and_read_back(tmp_path: Path) -> None:
    clock = Clock()
    bus = TraceBus(lambda: clock.t)
    path = tmp_path / "trace.jsonl"
    writer = JsonlWriter(path)
    writer.attach(bus)
    published = [
        (10, "board", "esp32-devkit", "boot"),
        (20, "pin", "GPIO2", 1),
        (30, "uart_tx", "UART0", "héllo\n".encode()),
        (40, "uart_rx", "UART0", b"\xff\x00\x80"),
        (50, "part", "LED2", "on"),
    ]
    for t, kind, source, value in published:
        clock.t = t
        bus.publish(kind, source, value)
    writer.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["t_ns"], r["kind"], r["source"], decode_value(r)) for r in records] == published
    assert [list(r) for r in records][2] == ["t_ns", "kind", "source", "value", "encoding"]
    assert lines[1] == '{"t_ns":20,"kind":"pin","source":"GPIO2","value":1}'
    assert '"value":"héllo\\n","encoding":"utf-8"' in lines[2]    # readable as it is
    assert '"value":"ff0080","encoding":"hex"' in lines[3]


@pytest.mark.parametrize("data", [b"", b"plain", "日本\n".encode(), b"\xe6\x97",
                                  bytes(range(256))])
def test_bytes_round_trip(data: bytes) -> None:
    value, encoding = encode_bytes(data)
    assert decode_value({"value": value, "encoding": encoding}) == data


def test_other_values() -> None:
    out = io.StringIO()
    writer = JsonlWriter(out)
    writer.on_event(TraceEvent(1, "process", "<0.1.0>", ("spawn", 3)))
    writer.on_event(TraceEvent(2, "memory", "heap", {"free": 10}))
    writer.on_event(TraceEvent(3, "pid", "x", Pid()))
    writer.on_event(TraceEvent(4, "buf", "x", bytearray(b"ab")))
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert records[0]["value"] == ["spawn", 3]
    assert records[1]["value"] == {"free": 10}
    assert records[2]["value"] == "<0.42.0>"
    assert decode_value(records[3]) == b"ab"


def test_streams_and_stops_at_close() -> None:
    bus = TraceBus(lambda: 0)
    out = io.StringIO()
    writer = JsonlWriter(out)
    writer.attach(bus)
    bus.publish("pin", "GPIO2", 1)
    assert out.getvalue().count("\n") == 1                    # written at once
    writer.close()
    bus.publish("pin", "GPIO2", 0)
    assert out.getvalue().count("\n") == 1
    assert not out.closed
