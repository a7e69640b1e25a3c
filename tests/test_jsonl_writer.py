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


def test_bus_events_keep_their_bytes_as_hex_in_sorted_keys() -> None:
    out = io.StringIO()
    writer = JsonlWriter(out)
    # the contract's fields (docs/contracts.md), in an order no reader should depend on
    i2c = {"write": b"\x24\x00", "read": b"", "addr": 0x44, "ack": True,
           "freq_hz": 100_000, "duration_ns": 290_000}
    spi = {"mosi": b"\x9f", "miso": b"\xef", "cs": None, "device": None, "mode": 3,
           "freq_hz": 1_000_000, "duration_ns": 8_000}
    writer.on_event(TraceEvent(2_000_000, "i2c", "i2c:GPIO21/GPIO22", i2c))
    writer.on_event(TraceEvent(3_000_000, "spi", "spi:GPIO18/GPIO23/GPIO19", spi))
    writer.on_event(TraceEvent(4_000_000, "pwm", "GPIO2", {"duty": 0.25, "freq_hz": 5000,
                                                          "channel": 0}))
    writer.on_event(TraceEvent(5_000_000, "device", "oled", {"on": True, 0x81: 0x7F}))
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        '{"t_ns":2000000,"kind":"i2c","source":"i2c:GPIO21/GPIO22","value":{"ack":true,'
        '"addr":68,"duration_ns":290000,"freq_hz":100000,"read":"","write":"2400"},'
        '"encoding":{"read":"hex","write":"hex"}}')
    records = [json.loads(line) for line in lines]
    assert decode_value(records[0]) == i2c
    assert decode_value(records[1]) == spi
    assert lines[2].endswith('"value":{"channel":0,"duty":0.25,"freq_hz":5000}}')
    assert records[3]["value"] == {"129": 127, "on": True} and "encoding" not in records[3]


def test_bytes_nested_deeper_are_hex() -> None:
    out = io.StringIO()
    JsonlWriter(out).on_event(TraceEvent(1, "device", "eeprom", {"pages": [b"\x01\xff"],
                                                                 "regs": {"b": b"\x02"}}))
    assert json.loads(out.getvalue())["value"] == {"pages": ["01ff"], "regs": {"b": "02"}}
