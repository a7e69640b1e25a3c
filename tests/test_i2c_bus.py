"""The I2C bus alone (avmsim.peripherals.i2c): who acknowledges what, in which order, how
long it takes on the wire, and the trace event of each transfer.

Timing per the bus contract (docs/contracts.md): 9 SCL clocks per byte (8 bits and the ACK
bit, address bytes included) and one clock per START, repeated START and STOP; at 100 kHz a
clock is 10 us, at 400 kHz 2.5 us.
"""
from __future__ import annotations

import pytest
from avmsim.peripherals.device_model import I2cDevice, Prop
from avmsim.peripherals.i2c import I2cBus
from avmsim.trace import TraceBus, TraceEvent


class Recorder(I2cDevice):
    """A target that logs every bus call; NACKs data bytes listed in ``nack``."""

    MODEL = "recorder"
    PROPERTIES = {"address": Prop(0x20, 0x08, 0x77, kind=int)}

    def reset(self) -> None:
        self.log: list[tuple] = []
        self.nack: set[int] = set()
        self.busy = False
        self.stretch = 0
        self.to_send = iter(range(0xA0, 0x100))

    def i2c_start(self, read: bool) -> bool:
        self.log.append(("start", read, self.now_ns()))
        return not self.busy

    def i2c_stretch_ns(self) -> int:
        return self.stretch

    def i2c_write(self, byte: int) -> bool:
        self.log.append(("write", byte, self.now_ns()))
        return byte not in self.nack

    def i2c_read(self) -> int:
        self.log.append(("read", self.now_ns()))
        return next(self.to_send)

    def i2c_stop(self) -> None:
        self.log.append(("stop", self.now_ns()))


@pytest.fixture
def clock() -> list[int]:
    return [1_000_000]


@pytest.fixture
def trace(clock: list[int]) -> TraceBus:
    return TraceBus(lambda: clock[0])


@pytest.fixture
def bus(trace: TraceBus, clock: list[int]) -> I2cBus:
    return I2cBus("i2c:GPIO21/GPIO22", trace, lambda: clock[0])


@pytest.fixture
def dev(bus: I2cBus) -> Recorder:
    device = Recorder("rec")
    bus.attach(device)
    return device


def calls(dev: Recorder) -> list[tuple]:
    return [entry[:-1] for entry in dev.log]


def test_an_empty_bus_nacks_the_address_and_costs_start_address_stop(bus: I2cBus) -> None:
    result = bus.transfer(0x44, write=b"\x24\x00")
    assert (result.ack, result.written, result.data) == (False, 0, b"")
    assert result.duration_ns == (1 + 9 + 1) * 10_000


def test_write_then_read_uses_a_repeated_start(bus: I2cBus, dev: Recorder) -> None:
    result = bus.transfer(0x20, write=b"\x01\x02", read=2)
    assert calls(dev) == [("start", False), ("write", 1), ("write", 2), ("start", True),
                          ("read",), ("read",), ("stop",)]
    assert (result.ack, result.written, result.data) == (True, 2, b"\xa0\xa1")
    # START, addr+W, 2 bytes, Sr, addr+R, 2 bytes, STOP
    assert result.duration_ns == (1 + 9 + 2 * 9 + 1 + 9 + 2 * 9 + 1) * 10_000


def test_a_read_alone_starts_with_the_read_address(bus: I2cBus, dev: Recorder) -> None:
    result = bus.transfer(0x20, read=3, freq_hz=400_000)
    assert calls(dev) == [("start", True), ("read",), ("read",), ("read",), ("stop",)]
    assert result.duration_ns == (1 + 9 + 3 * 9 + 1) * 2_500


def test_an_address_only_write_probes_the_device(bus: I2cBus, dev: Recorder) -> None:
    assert bus.transfer(0x20).ack
    assert not bus.transfer(0x21).ack
    assert calls(dev) == [("start", False), ("stop",)]


def test_a_nacked_byte_ends_the_write_and_skips_the_read(bus: I2cBus, dev: Recorder) -> None:
    dev.nack = {0x02}
    result = bus.transfer(0x20, write=b"\x01\x02\x03", read=4)
    assert calls(dev) == [("start", False), ("write", 1), ("write", 2), ("stop",)]
    assert (result.ack, result.written, result.data) == (True, 1, b"")
    assert result.duration_ns == (1 + 9 + 2 * 9 + 1) * 10_000


def test_a_busy_device_nacks_its_address_and_sees_no_stop(bus: I2cBus, dev: Recorder) -> None:
    dev.busy = True
    result = bus.transfer(0x20, read=2)
    assert (result.ack, result.data) == (False, b"")
    assert calls(dev) == [("start", True)]


def test_devices_see_the_time_of_the_bit_on_the_wire(bus: I2cBus, dev: Recorder,
                                                     clock: list[int]) -> None:
    bus.transfer(0x20, write=b"\x05", read=1)
    t0 = clock[0]
    assert [entry[-1] - t0 for entry in dev.log] == [
        (1 + 9) * 10_000,                  # address byte acknowledged
        (1 + 9 + 9) * 10_000,              # the data byte
        (1 + 9 + 9 + 1 + 9) * 10_000,      # the read address
        (1 + 9 + 9 + 1 + 9 + 9) * 10_000,  # the byte read
        (1 + 9 + 9 + 1 + 9 + 9 + 1) * 10_000]
    clock[0] += 5_000_000
    assert dev.now_ns() == clock[0]        # between transfers: the board's time


def test_clock_stretching_lengthens_the_transfer(bus: I2cBus, dev: Recorder) -> None:
    dev.stretch = 3_000_000
    result = bus.transfer(0x20, read=1)
    assert result.duration_ns == 3_000_000 + (1 + 9 + 9 + 1) * 10_000


def test_two_devices_at_one_address_are_refused(bus: I2cBus, dev: Recorder) -> None:
    with pytest.raises(ValueError, match="0x20"):
        bus.attach(Recorder("other"))
    bus.attach(Recorder("moved", {"address": 0x21}))
    assert bus.device_at(0x21).name == "moved"


def test_each_transfer_is_one_trace_event(bus: I2cBus, dev: Recorder, trace: TraceBus,
                                          clock: list[int]) -> None:
    events: list[TraceEvent] = []
    trace.subscribe(events.append, ("i2c",))
    dev.nack = {0x02}
    bus.transfer(0x20, write=b"\x01\x02", freq_hz=400_000)
    bus.transfer(0x20, read=1)
    bus.transfer(0x50, read=1)
    assert [(e.t_ns, e.kind, e.source) for e in events] == [
        (clock[0], "i2c", "i2c:GPIO21/GPIO22")] * 3
    assert [e.value for e in events] == [
        {"addr": 0x20, "write": b"\x01", "read": b"", "ack": True, "freq_hz": 400_000,
         "duration_ns": (1 + 9 + 9 + 9 + 1) * 2_500},
        {"addr": 0x20, "write": b"", "read": b"\xa0", "ack": True, "freq_hz": 100_000,
         "duration_ns": (1 + 9 + 9 + 1) * 10_000},
        {"addr": 0x50, "write": b"", "read": b"", "ack": False, "freq_hz": 100_000,
         "duration_ns": (1 + 9 + 1) * 10_000}]
