"""One SPI bus: the devices sharing SCLK/MOSI/MISO, each selected by its own CS pin.

The one transaction primitive (:meth:`SpiBus.transfer`) is what every SPI driver comes down
to: CS falls, one full-duplex byte exchange per byte of MOSI (the selected device sees the
byte and answers on MISO), CS rises. A MISO line nobody drives reads 0xFF (the pull-up idle
level); so does a transfer with no device on ``cs``.

Chip select comes two ways, as on the chips. A controller that drives CS itself (the ESP32's
SPI master) names it in each transfer. Apps on the Pico and STM32 drive CS as a GPIO: the
board wiring calls :meth:`SpiBus.chip_select` on every level change of a device's CS pin,
the device stays selected while it is low — across several transfers, as AtomVM's RP2 driver
reads a register with one write and one read — and ``transfer(None, …)`` exchanges with it.

A device that needs other pins (an SSD1306's D/C) reads their levels through ``pin_level``,
which the bus hands each device it fits; the device's :attr:`pins` map its roles to pins.

Timing is 8 clocks per byte at the controller's SCLK frequency; the bus does not wait, the
driver stalls the calling process by the returned duration. Each transfer is one ``spi``
trace event stamped with its start time.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from avmsim.peripherals.device_model import SpiDevice

if TYPE_CHECKING:
    from avmsim.trace import TraceBus

NS_PER_S = 1_000_000_000
CLOCKS_PER_BYTE = 8
IDLE_MISO = 0xFF


@dataclass(frozen=True)
class SpiResult:
    """The bytes read on MISO (one per byte sent) and the time on the wire."""
    miso: bytes
    duration_ns: int


class SpiBus:
    """SCLK/MOSI/MISO with the devices on them, by chip-select pin."""

    def __init__(self, name: str, bus: TraceBus, now_ns: Callable[[], int],
                 pin_level: Callable[[str], int]) -> None:
        self.name = name
        self.bus = bus
        self.now_ns = now_ns
        self.pin_level = pin_level
        self.devices: dict[str, SpiDevice] = {}   # by CS pin
        self.held: dict[str, SpiDevice] = {}      # selected by a CS GPIO held low

    def attach(self, device: SpiDevice, cs: str) -> None:
        """Fit ``device`` with its chip select on pin ``cs`` (``ValueError`` if taken)."""
        other = self.devices.get(cs)
        if other is not None:
            raise ValueError(f"{device.name} and {other.name} both use {cs} as chip select "
                             f"on {self.name}")
        device.pin_level = self.pin_level
        device.now_ns = self.now_ns
        self.devices[cs] = device

    def chip_select(self, cs: str, level: int) -> None:
        """The CS pin ``cs`` driven as a GPIO: low selects its device, high releases it."""
        device = self.devices.get(cs)
        if device is None:
            return
        if level == 0 and cs not in self.held:
            self.held[cs] = device
            device.spi_select()
        elif level and cs in self.held:
            del self.held[cs]
            device.spi_deselect()

    def transfer(self, cs: str | None, mosi: bytes, freq_hz: int,
                 mode: int = 0) -> SpiResult:
        """Select ``cs``, exchange every byte of ``mosi``, deselect; MISO and duration.
        With ``cs=None`` the device whose CS GPIO is held low (if any) takes the bytes."""
        start = self.now_ns()
        if cs is None:
            device = next(iter(self.held.values()), None)
            cs = next(iter(self.held), None)
            miso = (bytes([IDLE_MISO]) * len(mosi) if device is None
                    else bytes(device.spi_exchange(b) & 0xFF for b in mosi))
        else:
            device = self.devices.get(cs)
            if device is None:
                miso = bytes([IDLE_MISO]) * len(mosi)
            else:
                device.spi_select()
                miso = bytes(device.spi_exchange(b) & 0xFF for b in mosi)
                device.spi_deselect()
        duration = len(mosi) * CLOCKS_PER_BYTE * NS_PER_S // freq_hz
        if self.bus.wants("spi"):
            self.bus.publish("spi", self.name, {
                "cs": cs, "device": device.name if device is not None else None,
                "mosi": bytes(mosi), "miso": miso, "mode": mode, "freq_hz": freq_hz,
                "duration_ns": duration}, t_ns=start)
        return SpiResult(miso, duration)
