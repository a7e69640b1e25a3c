"""The board's peripherals, wired for the VM: what ``vm.devices`` is.

Built from the board definition (and ``--parts``): one GPIO controller over the board's
pins with the parts fitted on them, one UART model per UART (the console among them), the
chip facts the platform modules report, and the port drivers the platform offers. The VM
reaches the peripherals only through this object and its models; the models publish what
happens on the trace bus.
"""
from __future__ import annotations

from typing import Any

from avmsim.boards import Board
from avmsim.peripherals.gpio import GpioController
from avmsim.peripherals.parts import Part, attach_parts
from avmsim.peripherals.uart import Uart
from avmsim.vm.drivers import port_drivers

from .trace import TraceBus

APB_HZ = 80_000_000   # ESP32 family APB clock, what esp:freq_hz/0 reports
POWER_ON = "esp_rst_poweron"
SOFTWARE_RESET = "esp_rst_sw"


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

    def __init__(self, board: Board, bus: TraceBus) -> None:
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

    def reset(self, reason: str) -> None:
        """The chip resets: pins go back to unconfigured inputs, interrupts are gone."""
        self.reset_reason = reason
        if self.gpio is not None:
            for pin in self.gpio.pins:
                self.gpio.remove_interrupt(pin)
                self.gpio.write(pin, 0)
                self.gpio.set_pull(pin, "floating")
                self.gpio.set_mode(pin, "input")
        for uart in self.uarts.values():
            uart.on_receive = None

    # ------------------------------------------------------------------ pins, as the VM names them
    def pin_for_number(self, n: int) -> str:
        """``2`` → ``"GPIO2"`` (KeyError where the board names pins otherwise)."""
        return self.board.pin_for_number(n)

    def pin_for_port(self, bank: str, n: int) -> str:
        """``("b", 7)`` → ``"PB7"`` (KeyError where the board names pins otherwise)."""
        return self.board.pin_for_port(bank, n)

    def uart(self, name: str) -> Uart | None:
        return self.uarts.get(name)

    def part(self, name: str) -> Part:
        """A fitted part by name; KeyError naming the parts that exist."""
        try:
            return self.parts[name]
        except KeyError:
            raise KeyError(f"no part {name!r} on {self.board.name} "
                           f"(parts: {', '.join(self.parts) or 'none'})") from None
