"""One I2C bus: the devices on an SDA/SCL pair and the one transaction primitive drivers use.

Every platform's I2C API (AtomVM's ``i2c`` module on ESP32, STM32, RP2) comes down to the
same bus transaction, as MicroPython writes its ``machine.I2C`` once over one transfer
function: START, the address byte with W, the bytes to write, then — when something is to
be read — a repeated START (or a plain START when nothing was written), the address byte with
R, the bytes read, and a STOP. :meth:`I2cBus.transfer` does exactly that against the
:class:`~avmsim.peripherals.device_model.I2cDevice` models fitted on the bus, bit-exact in
who acknowledges what:

* no device at the address (or a busy one): the address byte is NACKed, the controller sends
  STOP, nothing more is on the wire;
* a data byte NACKed by the device ends the write there (the controller sends STOP);
* when reading, the controller ACKs every byte but the last, which it NACKs before the STOP.

Timing is the bits on the wire at the controller's SCL frequency: 9 clocks per byte (8 data
bits and the ACK bit, address bytes included), one clock for each START, repeated START and
STOP, plus any time a device stretches the clock. The bus does not wait: it returns the
duration and the driver stalls the calling process by it (``vm.scheduler.stall_ns``). While a
transfer runs, the devices' ``now_ns`` is the time of the bit on the wire.

Each transfer is published as one ``i2c`` trace event (see ``sim/trace.py`` and
``docs/contracts.md``), stamped with its start time.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from avmsim.peripherals.device_model import I2cDevice

if TYPE_CHECKING:
    from avmsim.trace import TraceBus

NS_PER_S = 1_000_000_000
CLOCKS_PER_BYTE = 9        # 8 data bits and the ACK/NACK bit
CLOCKS_PER_CONDITION = 1   # a START, repeated START or STOP


@dataclass(frozen=True)
class I2cResult:
    """What a transfer did: ``ack`` (every address byte acknowledged), ``written`` (data
    bytes acknowledged), ``data`` (bytes read) and ``duration_ns`` (time on the wire)."""
    ack: bool
    written: int
    data: bytes
    duration_ns: int


class I2cBus:
    """The devices sharing one SDA/SCL pair, each answering its own 7-bit address."""

    def __init__(self, name: str, bus: TraceBus, now_ns: Callable[[], int]) -> None:
        self.name = name
        self.bus = bus
        self.now_ns = now_ns
        self.devices: list[I2cDevice] = []
        self._start_ns = 0
        self._clocks = 0          # clocks since the transfer's START
        self._stretched_ns = 0    # time devices held SCL low in this transfer
        self._freq_hz = 100_000
        self._active = False      # inside a transfer: devices see the wire's time

    def attach(self, device: I2cDevice) -> None:
        """Fit ``device`` on the bus; ``ValueError`` if another one answers its address."""
        clash = self.device_at(device.address())
        if clash is not None:
            raise ValueError(f"{device.name} and {clash.name} both answer address "
                             f"0x{device.address():02X} on {self.name}")
        device.now_ns = self._device_ns
        self.devices.append(device)

    def device_at(self, address: int) -> I2cDevice | None:
        """The device answering ``address`` now (addresses are properties and may change)."""
        return next((d for d in self.devices if d.address() == address), None)

    # ------------------------------------------------------------------ the transaction
    def transfer(self, address: int, write: bytes = b"", read: int = 0,
                 freq_hz: int = 100_000) -> I2cResult:
        """One transaction: write ``write``, then read ``read`` bytes (see the module doc)."""
        self._start_ns, self._clocks, self._stretched_ns = self.now_ns(), 0, 0
        self._freq_hz = freq_hz
        self._active = True
        device = self.device_at(address)
        written, data = 0, b""
        ack, engaged = True, False   # engaged: the device acknowledged an address byte
        if write or not read:
            ack = engaged = self._address(device, read=False)
            written = self._write(device, write) if ack else 0
        if ack and read and written == len(write):
            ack = self._address(device, read=True)
            engaged = engaged or ack
            data = self._read(device, read) if ack else b""
        self._clocks += CLOCKS_PER_CONDITION          # STOP
        if engaged and device is not None:
            device.i2c_stop()
        self._active = False
        duration = self._wire_ns() - self._start_ns
        if self.bus.wants("i2c"):
            self.bus.publish("i2c", self.name, {
                "addr": address, "write": bytes(write[:written]), "read": data, "ack": ack,
                "freq_hz": freq_hz, "duration_ns": duration}, t_ns=self._start_ns)
        return I2cResult(ack, written, data, duration)

    def _device_ns(self) -> int:
        """The devices' clock: the wire's time during a transfer, else the board's."""
        return self._wire_ns() if self._active else self.now_ns()

    def _wire_ns(self) -> int:
        """The time of the bit on the wire in the transfer under way."""
        return (self._start_ns + self._stretched_ns
                + self._clocks * NS_PER_S // self._freq_hz)

    def _address(self, device: I2cDevice | None, read: bool) -> bool:
        """A (repeated) START and the address byte; whether a device acknowledged it."""
        self._clocks += CLOCKS_PER_CONDITION + CLOCKS_PER_BYTE
        if device is None or device.i2c_start(read) is False:
            return False
        if read:
            self._stretched_ns += max(0, device.i2c_stretch_ns())
        return True

    def _write(self, device: I2cDevice, data: bytes) -> int:
        """Send ``data`` until the device NACKs a byte; the number of bytes acknowledged."""
        for count, byte in enumerate(data):
            self._clocks += CLOCKS_PER_BYTE
            if device.i2c_write(byte) is False:
                return count
        return len(data)

    def _read(self, device: I2cDevice, count: int) -> bytes:
        out = bytearray()
        for _ in range(count):
            self._clocks += CLOCKS_PER_BYTE
            out.append(device.i2c_read() & 0xFF)
        return bytes(out)
