"""The SPI bus alone (avmsim.peripherals.spi): chip select, full-duplex exchange, idle MISO,
timing (8 SCLK clocks per byte) and the trace event of each transfer."""
from __future__ import annotations

import pytest
from avmsim.peripherals.device_model import SpiDevice
from avmsim.peripherals.spi import SpiBus
from avmsim.trace import TraceBus, TraceEvent


class Echo(SpiDevice):
    """Answers each byte with the previous one (a shift register), logging the bus calls."""

    MODEL = "echo"

    def reset(self) -> None:
        self.log: list[tuple] = []
        self.last = 0x00

    def spi_select(self) -> None:
        self.log.append(("select",))

    def spi_exchange(self, mosi: int) -> int:
        self.log.append(("byte", mosi, self.pin_level(self.pins.get("dc", "GPIO16"))))
        out, self.last = self.last, mosi
        return out

    def spi_deselect(self) -> None:
        self.log.append(("deselect",))


@pytest.fixture
def trace() -> TraceBus:
    return TraceBus(lambda: 7_000)


@pytest.fixture
def levels() -> dict[str, int]:
    return {"GPIO16": 1}


@pytest.fixture
def bus(trace: TraceBus, levels: dict[str, int]) -> SpiBus:
    return SpiBus("spi:GPIO18/GPIO23/GPIO19", trace, lambda: 7_000, lambda pin: levels[pin])


def test_with_no_device_miso_idles_high(bus: SpiBus) -> None:
    result = bus.transfer("GPIO5", b"\x01\x02\x03", freq_hz=1_000_000)
    assert result.miso == b"\xff\xff\xff"
    assert result.duration_ns == 3 * 8 * 1_000     # 8 clocks a byte at 1 MHz


def test_the_selected_device_exchanges_every_byte(bus: SpiBus) -> None:
    a, b = Echo("a"), Echo("b")
    bus.attach(a, "GPIO5")
    bus.attach(b, "GPIO4")
    result = bus.transfer("GPIO5", b"\x11\x22\x33", freq_hz=8_000_000)
    assert result.miso == b"\x00\x11\x22"
    assert result.duration_ns == 3_000               # 24 clocks at 8 MHz
    assert a.log == [("select",), ("byte", 0x11, 1), ("byte", 0x22, 1), ("byte", 0x33, 1),
                     ("deselect",)]
    assert b.log == []


def test_no_chip_select_selects_nobody(bus: SpiBus) -> None:
    dev = Echo("a")
    bus.attach(dev, "GPIO5")
    assert bus.transfer(None, b"\x10", freq_hz=1_000_000).miso == b"\xff"
    assert dev.log == []


def test_a_device_reads_its_other_pins_through_the_bus(bus: SpiBus,
                                                       levels: dict[str, int]) -> None:
    dev = Echo("oled")
    dev.pins = {"dc": "GPIO16"}
    bus.attach(dev, "GPIO5")
    levels["GPIO16"] = 0
    bus.transfer("GPIO5", b"\xaf", freq_hz=1_000_000)
    assert dev.log[1] == ("byte", 0xAF, 0)


def test_one_chip_select_per_device(bus: SpiBus) -> None:
    bus.attach(Echo("a"), "GPIO5")
    with pytest.raises(ValueError, match="GPIO5"):
        bus.attach(Echo("b"), "GPIO5")


def test_each_transfer_is_one_trace_event(bus: SpiBus, trace: TraceBus) -> None:
    events: list[TraceEvent] = []
    trace.subscribe(events.append, ("spi",))
    bus.attach(Echo("a"), "GPIO5")
    bus.transfer("GPIO5", b"\x01\x02", freq_hz=2_000_000, mode=3)
    bus.transfer("GPIO4", b"\x09", freq_hz=2_000_000)
    assert [(e.t_ns, e.kind, e.source) for e in events] == [
        (7_000, "spi", "spi:GPIO18/GPIO23/GPIO19")] * 2
    assert [e.value for e in events] == [
        {"cs": "GPIO5", "device": "a", "mosi": b"\x01\x02", "miso": b"\x00\x01", "mode": 3,
         "freq_hz": 2_000_000, "duration_ns": 8_000},
        {"cs": "GPIO4", "device": None, "mosi": b"\x09", "miso": b"\xff", "mode": 0,
         "freq_hz": 2_000_000, "duration_ns": 4_000}]


def test_a_cs_gpio_held_low_selects_across_transfers(bus: SpiBus) -> None:
    """Software chip select (AtomVM's RP2 and STM32 apps drive CS as a GPIO): one select
    for the whole time CS is low, whatever the number of transfers in between."""
    a, b = Echo("a"), Echo("b")
    bus.attach(a, "GPIO5")
    bus.attach(b, "GPIO4")
    assert bus.transfer(None, b"\x01", freq_hz=1_000_000).miso == b"\xff"   # nobody selected
    bus.chip_select("GPIO5", 0)
    first = bus.transfer(None, b"\x0f", freq_hz=1_000_000)
    second = bus.transfer(None, b"\x00\x00", freq_hz=1_000_000)
    bus.chip_select("GPIO5", 1)
    assert (first.miso, second.miso) == (b"\x00", b"\x0f\x00")
    assert a.log == [("select",), ("byte", 0x0F, 1), ("byte", 0x00, 1), ("byte", 0x00, 1),
                     ("deselect",)]
    assert b.log == []
    assert bus.transfer(None, b"\x01", freq_hz=1_000_000).miso == b"\xff"   # released
