"""The UART model (avmsim.peripherals.uart): both directions, trace events, wire time."""
from __future__ import annotations

import pytest
from avmsim.peripherals.uart import Uart
from avmsim.trace import TraceBus, TraceEvent
from conftest import Clock


def recorded(bus: TraceBus, *kinds: str) -> list[TraceEvent]:
    events: list[TraceEvent] = []
    bus.subscribe(events.append, kinds)
    return events


def test_write_reaches_every_sink_and_the_trace(bus: TraceBus, clock: Clock) -> None:
    uart = Uart("UART0", bus)
    first: list[bytes] = []
    second: list[bytes] = []
    uart.add_sink(first.append)
    uart.add_sink(second.append)
    events = recorded(bus, "uart_tx")
    clock.t = 1234
    uart.write(bytearray(b"hi\n"))
    assert first == second == [b"hi\n"]
    assert type(first[0]) is bytes        # a sink may keep it: not the caller's bytearray
    assert events == [TraceEvent(1234, "uart_tx", "UART0", b"hi\n")]


def test_removed_sink_hears_nothing_more(bus: TraceBus) -> None:
    uart = Uart("UART0", bus)
    got: list[bytes] = []
    uart.add_sink(got.append)
    uart.write(b"a")
    uart.remove_sink(got.append)
    uart.write(b"b")
    assert got == [b"a"]


def test_empty_write_is_not_traffic(bus: TraceBus) -> None:
    uart = Uart("UART0", bus)
    got: list[bytes] = []
    uart.add_sink(got.append)
    events = recorded(bus, "uart_tx")
    uart.write(b"")
    assert got == [] and events == []


def test_write_returns_when_the_last_byte_leaves_the_wire(bus: TraceBus, clock: Clock) -> None:
    uart = Uart("UART0", bus, baud=115200)
    byte_ns = 86_806                      # 10 bits at 115200 baud, rounded up
    assert uart.write(b"x") == byte_ns
    clock.t = 1000                        # still sending: the next write queues behind
    assert uart.write(b"yz") == byte_ns + 173_612
    clock.t = 10_000_000                  # idle: starts now
    assert uart.write(b"\x00" * 96) == 10_000_000 + 8_333_334
    assert Uart("U", bus, baud=9600).write(b"") == 10_000_000


def test_feed_buffers_traces_and_notifies(bus: TraceBus, clock: Clock) -> None:
    uart = Uart("UART1", bus, baud=9600)
    events = recorded(bus, "uart_rx")
    pending_at_notice: list[int] = []
    uart.on_receive = lambda: pending_at_notice.append(uart.pending())
    clock.t = 77
    uart.feed(b"abc")
    uart.feed(b"de")
    uart.feed(b"")
    assert pending_at_notice == [3, 5]
    assert events == [TraceEvent(77, "uart_rx", "UART1", b"abc"),
                      TraceEvent(77, "uart_rx", "UART1", b"de")]
    assert uart.read(2) == b"ab"
    assert uart.pending() == 3
    assert uart.read(100) == b"cde"
    assert uart.read() == b"" and uart.pending() == 0


def test_read_without_limit_takes_everything(bus: TraceBus) -> None:
    uart = Uart("UART0", bus)
    uart.feed(b"hello ")
    uart.feed(b"world")
    assert uart.read() == b"hello world"


def test_baud_must_be_positive(bus: TraceBus) -> None:
    with pytest.raises(ValueError, match="UART2: baud"):
        Uart("UART2", bus, baud=0)
