"""The board's peripherals, wired for the VM: what ``vm.devices`` is.

Built from the board definition (and ``--parts``): one GPIO controller over the board's
pins with the parts fitted on them, one UART model per UART (the console among them), the
chip facts the platform modules report, and the port drivers the platform offers. The chips
of the parts file sit on I2C and SPI buses found by their pins (the drivers ask for the bus
on the pins the app configures; pins with nothing fitted give an empty bus) and analog
sources on their pins. The VM reaches the peripherals only through this object and its
models; the models publish what happens on the trace bus.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from avmsim.boards import Board, DeviceSpec, expand_pins
from avmsim.peripherals.adc import Adc, AdcSpec
from avmsim.peripherals.analog import AnalogSource
from avmsim.peripherals.dac import Dac
from avmsim.peripherals.device_model import DeviceModel
from avmsim.peripherals.gpio import GpioController
from avmsim.peripherals.i2c import I2cBus
from avmsim.peripherals.ledc import Ledc, LedcSpec
from avmsim.peripherals.net import Interface, IpNetwork, NetStack
from avmsim.peripherals.parts import Part, attach_parts
from avmsim.peripherals.spi import SpiBus
from avmsim.peripherals.uart import Uart
from avmsim.peripherals.wifi import RadioWorld, WifiRadio
from avmsim.vm.drivers import port_drivers

from .trace import TraceBus

APB_HZ = 80_000_000   # ESP32 family APB clock, what esp:freq_hz/0 reports
POWER_ON = "esp_rst_poweron"
SOFTWARE_RESET = "esp_rst_sw"
DEEP_SLEEP_RESET = "esp_rst_deepsleep"
TASK_WDT_RESET = "esp_rst_task_wdt"

class NetPlatform(NamedTuple):
    """A platform's IP stack: interfaces up from boot ``(name, ip, netmask, gateway)``, and
    how many sockets the app may hold (None: no limit)."""
    interfaces: tuple[tuple[str, tuple, tuple, tuple], ...]
    max_sockets: int | None


NET_PLATFORMS = {
    # interfaces come from the WiFi (peripherals/wifi.py); CONFIG_LWIP_MAX_SOCKETS is 10 in
    # ESP-IDF, which AtomVM's sdkconfig.defaults leaves as it is
    "esp32": NetPlatform((), 10),
    # AtomVM's Unix build uses the host's network: a wired interface up from boot, on a
    # private segment of its own with the host at the gateway (QEMU user networking's plan)
    "generic_unix": NetPlatform((("eth", (10, 0, 2, 15), (255, 255, 255, 0), (10, 0, 2, 2)),),
                                None),
}
"""Platforms with an IP stack (``devices.net``)."""


def part_spec_dict(spec: Any) -> dict[str, Any]:
    """A board's ``PartSpec`` in the form the part models are built from."""
    out = {"kind": spec.kind, "name": spec.name, "pin": spec.pin,
           "active": "low" if spec.active_low else "high"}
    if spec.color and spec.kind == "led":
        out["color"] = spec.color
    if spec.pull and spec.kind != "led":
        out["pull"] = spec.pull
    return out


class Devices:
    """Peripheral models of one board, and the chip facts its platform modules give."""

    def __init__(self, board: Board, bus: TraceBus, network: IpNetwork | None = None,
                 radio: RadioWorld | None = None) -> None:
        self.board = board
        self.bus = bus
        self.gpio = GpioController(bus, board.pins) if board.pins else None
        self.parts: dict[str, Part] = (
            attach_parts(self.gpio, [part_spec_dict(p) for p in board.parts])
            if self.gpio is not None else {})
        self.uarts = {u.name: Uart(u.name, bus, u.baud) for u in board.uarts}
        self.console = self.uarts.get(board.console) or Uart(board.console or "console", bus)
        self.clock_hz = board.clock_hz
        self.apb_hz = board.chip.get("apb_hz", APB_HZ)
        self.mac = bytes.fromhex(board.chip.get("mac", "00:00:00:00:00:00").replace(":", ""))
        self.reset_reason = POWER_ON
        self.port_drivers = port_drivers(board.platform)
        self.esp: Any = None   # ESP32 boards: the EspChip (flash, NVS, sleep…), set by Simulation
        self.i2c_buses: dict[tuple[str, str], I2cBus] = {}
        self.spi_buses: dict[tuple[str, str], SpiBus] = {}
        self.analog: dict[str, AnalogSource] = {}
        self.fitted: dict[str, DeviceModel] = {spec.name: self._fit(spec)
                                               for spec in board.devices}
        # ESP32-family blocks, where the board's [chip] table describes them
        chip = board.chip
        self.ledc = (Ledc(LedcSpec.from_chip(chip["ledc"], board.pins, expand_pins), self.gpio,
                          bus) if "ledc" in chip and self.gpio is not None else None)
        self.adc = Adc(AdcSpec.from_chip(chip["adc"]), self.gpio) if "adc" in chip else None
        self.dac = Dac(chip["dac"], bus) if "dac" in chip else None
        self.net = self._net_stack(network)
        # ESP32 family: the WiFi radio, in the radio world (its own when None)
        self.wifi = (WifiRadio(radio if radio is not None else RadioWorld(), self.net, self.mac,
                               board.name, bus) if board.platform == "esp32" else None)

    def _net_stack(self, network: IpNetwork | None) -> NetStack | None:
        """The board's IP stack on ``network`` (its own when None); None without one."""
        platform = NET_PLATFORMS.get(self.board.platform)
        if platform is None:
            return None
        name = self.board.name
        stack = NetStack(network if network is not None else IpNetwork(), name, self.bus)
        stack.boot_interfaces = [Interface(*spec, segment=f"{name}:{spec[0]}")
                                 for spec in platform.interfaces]
        stack.max_sockets = platform.max_sockets
        return stack

    def _fit(self, spec: DeviceSpec) -> DeviceModel:
        """Build a parts-file chip or analog source and wire it on its pins."""
        device = spec.model_class(spec.name, spec.props, self.bus.now_ns)
        device.pins = dict(spec.pins)
        device.report = lambda changes: self.bus.publish("device", spec.name, changes)
        WIRING[spec.kind](self, device, spec.pins)
        return device

    def _on_i2c(self, device: Any, pins: dict[str, str]) -> None:
        self.i2c_bus(pins["sda"], pins["scl"]).attach(device)

    def _on_spi(self, device: Any, pins: dict[str, str]) -> None:
        bus = self.spi_bus(pins["sclk"], pins["mosi"], pins.get("miso"))
        bus.attach(device, pins["cs"])
        if self.gpio is not None:   # apps that drive CS as a GPIO select the chip with it
            self.gpio.add_listener(pins["cs"], bus.chip_select)

    def _on_pin(self, device: Any, pins: dict[str, str]) -> None:
        self.analog[pins["pin"]] = device

    def reset(self, reason: str) -> None:
        """The chip resets: pins go back to unconfigured inputs, interrupts are gone. The
        chips fitted on the buses stay as they are: the board's regulator keeps powering
        them through a reset or a deep sleep of the microcontroller, as on the device."""
        self.reset_reason = reason
        for model in (self.ledc, self.adc, self.dac):
            if model is not None:
                model.reset()
        if self.gpio is not None:
            for pin in self.gpio.pins:
                self.gpio.remove_interrupt(pin)
                self.gpio.write(pin, 0)
                self.gpio.set_pull(pin, "floating")
                self.gpio.set_mode(pin, "input")
        for uart in self.uarts.values():
            uart.on_receive = None
        if self.esp is not None:
            self.esp.reset()
        if self.wifi is not None:
            self.wifi.reset()

    # ------------------------------------------------------------------ pins, as the VM names them
    def pin_for_number(self, n: int) -> str:
        """``2`` → ``"GPIO2"`` (KeyError where the board names pins otherwise)."""
        return self.board.pin_for_number(n)

    def pin_for_port(self, bank: str, n: int) -> str:
        """``("b", 7)`` → ``"PB7"`` (KeyError where the board names pins otherwise)."""
        return self.board.pin_for_port(bank, n)

    def uart(self, name: str) -> Uart | None:
        return self.uarts.get(name)

    def part(self, name: str) -> Part | DeviceModel:
        """A fitted part, chip or analog source by name; KeyError naming those that exist."""
        found = self.parts.get(name) or self.fitted.get(name)
        if found is None:
            raise KeyError(f"no part {name!r} on {self.board.name} "
                           f"(parts: {', '.join([*self.parts, *self.fitted]) or 'none'})")
        return found

    # ------------------------------------------------------------------ buses and analog inputs
    def i2c_bus(self, sda: str, scl: str) -> I2cBus:
        """The I2C bus on these pins (the same object each time; empty when nothing is
        fitted there, so every address NACKs)."""
        key = (sda, scl)
        if key not in self.i2c_buses:
            self.i2c_buses[key] = I2cBus(f"i2c:{sda}/{scl}", self.bus, self.bus.now_ns)
        return self.i2c_buses[key]

    def spi_bus(self, sclk: str, mosi: str, miso: str | None) -> SpiBus:
        """The SPI bus on SCLK/MOSI (the same object each time; MISO names it when first
        given). With nothing fitted every transfer reads 0xFF."""
        key = (sclk, mosi)
        if key not in self.spi_buses:
            lines = "/".join(p for p in (sclk, mosi, miso) if p)
            self.spi_buses[key] = SpiBus(f"spi:{lines}", self.bus, self.bus.now_ns,
                                         self._pin_level)
        return self.spi_buses[key]

    def _pin_level(self, pin: str) -> int:
        return self.gpio.level(pin) if self.gpio is not None else 0

    def device(self, name: str) -> DeviceModel:
        """A fitted chip or analog source by name; KeyError naming those that exist."""
        try:
            return self.fitted[name]
        except KeyError:
            raise KeyError(f"no device {name!r} on {self.board.name} "
                           f"(devices: {', '.join(self.fitted) or 'none'})") from None

    def analog_volts(self, pin: str) -> float | None:
        """The voltage an analog source puts on ``pin`` now; None with nothing fitted."""
        source = self.analog.get(pin)
        return source.volts() if source is not None else None


# parts-file table -> how its device is wired (see avmsim.boards.parts_file.DEVICE_KINDS)
WIRING = {"i2c_device": Devices._on_i2c, "spi_device": Devices._on_spi,
          "analog": Devices._on_pin}
