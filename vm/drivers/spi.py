"""SPI as AtomVM exposes it, per platform, over the board's SPI buses.

The contract (terms, replies, error reasons, sources) is docs/platform-apis.md, "SPI".

- ESP32: the ``spi`` port (``open_port({spawn, "spi"}, #{bus_config => …, device_config =>
  …})``; requests ``{read_at, Dev, Addr, LenBits}``, ``{write_at, Dev, Addr, LenBits, Data}``,
  ``{write, Dev, Transaction}``, ``{write_read, Dev, Transaction}``, ``{close}``). Each
  request is one ESP-IDF transaction on the device: its command bits, its address bits, then
  the data phase; the device's chip select is held for the whole of it.
- Pico: the SDK NIFs ``spi:init/2``, ``deinit/1``, ``set_baudrate/2``, ``get_baudrate/1``,
  ``set_format/4``, ``write_blocking/2``, ``read_blocking/3``, ``write_read_blocking/2``;
  pins muxed with ``gpio:set_function/2``.
- STM32: the HAL NIFs ``spi:init/2``, ``deinit/1``, ``transmit/3``, ``receive_/3``,
  ``transmit_receive/3``; the peripheral's pins are its first pins in the STM32F429
  alternate-function table (:data:`STM32_PINS`).

On the Pico and STM32 the chip select is a GPIO the application drives; a NIF transfer
selects the device whose chip-select pin is low at that moment (one transfer per NIF call).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..errors import ErlangError, badarg
from ..ports import NO_REPLY, PortInstance
from ..terms import ERROR, FALSE, OK, TRUE, Atom, Map, atom
from .bus_common import (devices_of, new_resource, options, pin_name, platform_native,
                         resource, rp2_pins, state_of, wait_on_bus)

A_CLOSE = atom("close")
A_BADARG = atom("badarg")
A_BUSY = atom("busy")
A_DEVICE_NOT_FOUND = atom("device_not_found")
A_UNKNOWN_COMMAND = atom("unknown_command")
A_INVALID_ARG = atom("esp_err_invalid_arg")
INFINITY = atom("infinity")
ESP_ERR_INVALID_ARG = 0x102
K = {name: atom(name) for name in (
    "bus_config", "device_config", "sclk", "mosi", "miso", "peripheral", "clock_speed_hz",
    "mode", "cs", "address_len_bits", "command_len_bits", "command", "address", "write_data",
    "write_bits", "read_bits", "baudrate", "cpol", "cpha")}

ESP32_HOSTS = {
    # chip model -> peripheral atom -> host (ESP-IDF spi_host_device_t), AtomVM spi_driver.c
    "esp32": {"spi1": 1, "spi2": 2, "spi3": 3, "hspi": 2, "vspi": 3},
    "esp32_c3": {"spi1": 1, "spi2": 2, "hspi": 2},
}
ESP32_DEFAULT_HOST = 2                # "Unrecognized SPI peripheral.  Defaulting to spi2."
ESP32_CS_PER_HOST = 3                 # SOC_SPI_PERIPH_CS_NUM
ESP32_TXDATA_BITS = 32                # SPI_TRANS_USE_TXDATA / USE_RXDATA limit

RP2_CONTROLLERS = range(2)
STM32, PICO = ("stm32",), ("pico",)   # where AtomVM builds each NIF
RP2_CLK_PERI_HZ = 125_000_000         # pico-sdk default clk_peri (= clk_sys)

STM32_PINS = {
    # SPIn -> (SCK, MOSI, MISO, bus clock Hz): STM32F427/429 datasheet table 12 (AF5/AF6);
    # SPI2/3 on APB1 (45 MHz), the others on APB2 (90 MHz): AtomVM clock_config_f4.c runs
    # an F4x9 at 180 MHz with APB1 = HCLK/4, APB2 = HCLK/2
    1: (("a", 5), ("a", 7), ("a", 6), 90_000_000),
    2: (("b", 13), ("b", 15), ("b", 14), 45_000_000),
    3: (("c", 10), ("c", 12), ("c", 11), 45_000_000),
    4: (("e", 2), ("e", 6), ("e", 5), 90_000_000),
    5: (("f", 7), ("f", 9), ("f", 8), 90_000_000),
    6: (("g", 13), ("g", 14), ("g", 12), 90_000_000),
}


# ---------------------------------------------------------------------------- bit framing

def frame(fields: list[tuple[int, int]], data: bytes, data_bits: int) -> bytes:
    """MOSI bytes: each (value, bits) field most significant bit first, then the first
    ``data_bits`` bits of ``data``; padded with zero bits to a whole byte (the bus clocks
    bytes)."""
    acc, n = 0, 0
    for value, bits in fields + [(int.from_bytes(data, "big") >> (len(data) * 8 - data_bits),
                                  data_bits)]:
        acc = (acc << bits) | (value & ((1 << bits) - 1))
        n += bits
    pad = -n % 8
    return (acc << pad).to_bytes((n + pad) // 8, "big")


def bits_at(miso: bytes, offset: int, count: int) -> int:
    """``count`` bits of ``miso`` from bit ``offset``, as an unsigned integer."""
    total = len(miso) * 8
    return (int.from_bytes(miso, "big") >> (total - offset - count)) & ((1 << count) - 1)


def spi_transfer(vm: Any, bus: Any, cs: str | None, mosi: bytes, freq_hz: int,
                 mode: int) -> bytes:
    """One transfer on ``bus``; the caller waits its duration; the MISO bytes."""
    result = bus.transfer(cs, mosi, freq_hz, mode)
    wait_on_bus(vm, result.duration_ns)
    return result.miso


# ============================================================================ ESP32 port

@dataclass(frozen=True)
class Esp32Device:
    """One ``spi_bus_add_device``: its chip select and the shape of its transactions."""
    cs: str | None
    freq_hz: int
    mode: int
    address_bits: int
    command_bits: int


def _int_opt(opts: dict, key: str, default: Any = None) -> int:
    value = opts.get(K[key], default)
    if value.__class__ is not int:
        raise badarg()
    return value


def _esp32_pin(vm: Any, n: int) -> str | None:
    """A GPIO number as the board's pin name; -1 means no pin."""
    return None if n < 0 else pin_name(vm, n)


class SpiPort:
    """The ESP32 ``spi`` port driver (AtomVM ``spi_driver.c``): one host, its devices."""

    def __init__(self, port: PortInstance, opts: Any) -> None:
        vm = self.vm = port.vm
        bus_config = options(options(opts).get(K["bus_config"], Map()))
        sclk = _esp32_pin(vm, _int_opt(bus_config, "sclk"))
        mosi = _esp32_pin(vm, _int_opt(bus_config, "mosi", -1))
        miso = _esp32_pin(vm, _int_opt(bus_config, "miso", -1))
        if sclk is None:
            raise badarg()
        hosts = ESP32_HOSTS.get(devices_of(vm).board.chip.get("model"), ESP32_HOSTS["esp32"])
        peripheral = bus_config.get(K["peripheral"], atom("hspi"))
        host = hosts.get(peripheral.name, ESP32_DEFAULT_HOST) \
            if peripheral.__class__ is Atom else ESP32_DEFAULT_HOST
        self.devices = self._devices(options(opts).get(K["device_config"], Map()))
        in_use = state_of(vm).in_use
        if ("spi", host) in in_use:          # spi_bus_initialize: ESP_ERR_INVALID_STATE
            raise badarg()
        in_use.add(("spi", host))
        self.host = host
        self.bus = devices_of(vm).spi_bus(sclk, mosi, miso)
        self.requests: dict[tuple[str, int], Callable[..., Any]] = {
            ("read_at", 4): lambda dev, addr, bits: self.transfer_at(dev, addr, bits, 0),
            ("write_at", 5): self.transfer_at,
            ("write", 3): lambda dev, t: self.transaction(dev, t, write_only=True),
            ("write_read", 3): lambda dev, t: self.transaction(dev, t, write_only=False),
        }

    def _devices(self, config: Any) -> dict[Atom, Esp32Device]:
        if config.__class__ is not Map:
            config = Map.from_pairs(options(config).items())
        out = {}
        for name, entries in config.items():
            opts = options(entries)
            device = Esp32Device(
                _esp32_pin(self.vm, _int_opt(opts, "cs", -1)), _int_opt(opts, "clock_speed_hz"),
                _int_opt(opts, "mode"), _int_opt(opts, "address_len_bits"),
                _int_opt(opts, "command_len_bits", 0))
            if (device.freq_hz <= 0 or not 0 <= device.mode <= 3
                    or not 0 <= device.address_bits <= 64
                    or not 0 <= device.command_bits <= 16 or len(out) >= ESP32_CS_PER_HOST):
                raise badarg()                # spi_bus_add_device refuses it
            out[name] = device
        return out

    def call(self, port: PortInstance, caller: Any, ref: Any, request: Any) -> Any:
        if request.__class__ is not tuple or not request or request[0].__class__ is not Atom:
            return (ERROR, A_UNKNOWN_COMMAND)
        if request[0] is A_CLOSE:
            port.reply(caller, ref, OK)
            port.close()
            return NO_REPLY
        handler = self.requests.get((request[0].name, len(request)))
        if handler is None:
            return (ERROR, A_UNKNOWN_COMMAND)
        if request[1] not in self.devices:
            return (ERROR, A_DEVICE_NOT_FOUND)
        try:
            return handler(*request[1:])
        except ErlangError:        # an argument of the wrong type
            return (ERROR, A_BADARG)

    def run(self, device: Esp32Device, command: int, address: int, data: bytes,
            data_bits: int) -> tuple[bytes, int]:
        """One transaction: command, address, data phase; MISO and the data phase's offset."""
        fields = [(command, device.command_bits), (address, device.address_bits)]
        mosi = frame(fields, data, data_bits)
        miso = spi_transfer(self.vm, self.bus, device.cs, mosi, device.freq_hz, device.mode)
        return miso, device.command_bits + device.address_bits

    def transfer_at(self, name: Atom, address: Any, bits: Any, value: Any) -> Any:
        """``read_at`` / ``write_at``: ``bits`` of ``value`` out, as many in, as an integer."""
        device = self.devices[name]
        if address.__class__ is not int or bits.__class__ is not int or value.__class__ is not int:
            raise badarg()
        if not 0 <= bits <= ESP32_TXDATA_BITS:
            return (ERROR, A_INVALID_ARG)
        data = (value & ((1 << bits) - 1)).to_bytes(4, "big")   # SPI_SWAP_DATA_TX
        miso, offset = self.run(device, 0, address, data, bits)
        return (OK, bits_at(miso, offset, bits))

    def transaction(self, name: Atom, t: Any, write_only: bool) -> Any:
        """``write`` / ``write_read`` with a transaction map (AtomVM ``populate_transaction``)."""
        device = self.devices[name]
        if t.__class__ is not Map:
            return (ERROR, A_BADARG)
        command, address = t.get(K["command"], 0), t.get(K["address"], 0)
        data = t.get(K["write_data"], b"")
        if (command.__class__ is not int or not 0 <= command <= 0xFFFF
                or address.__class__ is not int or data.__class__ is not bytes):
            return (ERROR, A_BADARG)
        write_bits = t.get(K["write_bits"], len(data) * 8)
        read_bits = t.get(K["read_bits"], len(data) * 8)
        if (write_bits.__class__ is not int or not 0 <= write_bits <= len(data) * 8
                or (not write_only and (read_bits.__class__ is not int or read_bits < 0))):
            return (ERROR, A_BADARG)
        if not write_only and read_bits > write_bits:
            return (ERROR, ESP_ERR_INVALID_ARG)   # "rx length > tx length in full duplex"
        miso, offset = self.run(device, command, address, data, write_bits)
        if write_only:
            return OK
        size = (read_bits + 7) // 8
        value = bits_at(miso, offset, read_bits) << (size * 8 - read_bits)
        return (OK, value.to_bytes(size, "big"))

    def closed(self, port: PortInstance) -> None:
        state_of(self.vm).in_use.discard(("spi", self.host))


PORT_DRIVERS = {"spi": (SpiPort, ("esp32",))}


# ============================================================================ Pico and STM32 NIFs

class SpiController:
    """An initialised SPI block: its pins, its clock and format; it exchanges bytes with the
    device whose chip select the app holds low as a GPIO (the bus tracks that pin)."""

    def __init__(self, vm: Any, key: tuple[str, int], baud: int,
                 pins: Callable[[], tuple[str | None, str | None, str | None]]) -> None:
        self.vm = vm
        self.key = key
        self.baud = baud
        self.mode = 0
        self.pins = pins
        self.active = True

    def exchange(self, mosi: bytes) -> bytes:
        sclk, tx, rx = self.pins()
        if sclk is None:
            return b"\xff" * len(mosi)
        bus = devices_of(self.vm).spi_bus(sclk, tx, rx)
        return spi_transfer(self.vm, bus, None, mosi, self.baud, self.mode)


def _controller(ctx: Any, res: Any) -> SpiController:
    controller = resource(ctx.vm, res, SpiController)
    if not controller.active:
        raise badarg()
    return controller


def _binary(term: Any) -> bytes:
    if term.__class__ is not bytes:
        raise badarg()
    return term


def _count(term: Any) -> int:
    if term.__class__ is not int or term < 0:
        raise badarg()
    return term


def rp2_baudrate(baud: int) -> int:
    """The SCLK rate pico-sdk's ``spi_set_baudrate`` reaches: the smallest even prescale
    (2..254) that fits, then the largest post-divider (1..256) not below the target."""
    prescale = next((p for p in range(2, 255, 2)
                     if RP2_CLK_PERI_HZ < (p + 2) * 256 * baud), 254)
    postdiv = next((d for d in range(256, 1, -1)
                    if RP2_CLK_PERI_HZ // (prescale * (d - 1)) > baud), 1)
    return RP2_CLK_PERI_HZ // (prescale * postdiv)


def _rp2_pins(vm: Any, peripheral: int) -> Callable[[], tuple]:
    def pins() -> tuple[str | None, str | None, str | None]:
        found = rp2_pins(vm, "spi", peripheral)
        return found.get("sclk"), found.get("mosi"), found.get("miso")
    return pins


def _init(ctx: Any, peripheral: Any, config: Any) -> Any:
    """``spi:init/2``: (peripheral, baudrate) on the Pico, (peripheral, config map) on STM32."""
    if ctx.vm.platform.name == "stm32":
        return _stm32_init(ctx, peripheral, config)
    if peripheral.__class__ is not int or config.__class__ is not int:
        raise badarg()
    if peripheral not in RP2_CONTROLLERS or config <= 0:
        raise badarg()
    key = ("spi", peripheral)
    in_use = state_of(ctx.vm).in_use
    if key in in_use:
        return (ERROR, A_BUSY)
    in_use.add(key)
    controller = SpiController(ctx.vm, key, rp2_baudrate(config), _rp2_pins(ctx.vm, peripheral))
    return (OK, (controller.baud, new_resource(ctx.vm, controller)))


def _stm32_init(ctx: Any, peripheral: Any, config: Any) -> Any:
    if peripheral.__class__ is not int or config.__class__ is not Map:
        raise badarg()
    table = STM32_PINS.get(peripheral)
    if table is None:
        raise badarg()
    *pins, bus_hz = table
    target = config.get(K["baudrate"], 0)
    if target.__class__ is not int:
        raise badarg()
    # HAL prescaler 2, 4 … 256: the first that brings the bus clock to the target or below
    index = next((i for i in range(8) if bus_hz // (2 << i) <= target), 7) if target else 0
    names = tuple(pin_name(ctx.vm, (atom(bank), n)) for bank, n in pins)
    controller = SpiController(ctx.vm, ("spi", peripheral), bus_hz // (2 << index),
                               lambda: names)
    controller.mode = (2 if config.get(K["cpol"], 0) else 0) + (1 if config.get(K["cpha"], 0)
                                                                 else 0)
    return (OK, (controller.baud, new_resource(ctx.vm, controller)))


@platform_native("spi", "deinit", 1, STM32 + PICO)
def _deinit(ctx: Any, res: Any) -> Any:
    controller = resource(ctx.vm, res, SpiController)
    if controller.active:
        controller.active = False
        state_of(ctx.vm).in_use.discard(controller.key)
    return OK


@platform_native("spi", "set_baudrate", 2, PICO)
def _set_baudrate(ctx: Any, res: Any, baud: Any) -> Any:
    controller = _controller(ctx, res)
    if baud.__class__ is not int or baud <= 0:
        raise badarg()
    controller.baud = rp2_baudrate(baud)
    return (OK, controller.baud)


@platform_native("spi", "get_baudrate", 1, PICO)
def _get_baudrate(ctx: Any, res: Any) -> Any:
    return _controller(ctx, res).baud


@platform_native("spi", "set_format", 4, PICO)
def _set_format(ctx: Any, res: Any, data_bits: Any, cpol: Any, cpha: Any) -> Any:
    controller = _controller(ctx, res)
    if data_bits != 8 or cpol not in (0, 1) or cpha not in (0, 1):
        raise badarg()     # 4..16-bit frames are not modelled: the bus moves bytes
    controller.mode = cpol * 2 + cpha
    return OK


@platform_native("spi", "write_blocking", 2, PICO)
def _write_blocking(ctx: Any, res: Any, data: Any) -> Any:
    _controller(ctx, res).exchange(_binary(data))
    return len(data)


@platform_native("spi", "read_blocking", 3, PICO)
def _read_blocking(ctx: Any, res: Any, tx_byte: Any, count: Any) -> Any:
    controller = _controller(ctx, res)
    if tx_byte.__class__ is not int:
        raise badarg()
    return (OK, controller.exchange(bytes([tx_byte & 0xFF]) * _count(count)))


@platform_native("spi", "write_read_blocking", 2, PICO)
def _write_read_blocking(ctx: Any, res: Any, data: Any) -> Any:
    return (OK, _controller(ctx, res).exchange(_binary(data)))


def _fifo_state(value: Atom) -> Callable[..., Any]:
    """Blocking transfers leave the FIFOs drained: writable, nothing to read, not busy."""
    def nif(ctx: Any, res: Any) -> Any:
        _controller(ctx, res)
        return value
    return nif


for _name, _value in (("is_writable", TRUE), ("is_readable", FALSE), ("is_busy", FALSE)):
    platform_native("spi", _name, 1, PICO)(_fifo_state(_value))


def _hal_call(ctx: Any, res: Any, timeout: Any, action: Callable[[SpiController], Any]) -> Any:
    """An STM32 HAL transfer: ``{error, busy}`` once the block is de-initialised."""
    controller = resource(ctx.vm, res, SpiController)
    if timeout is not INFINITY and (timeout.__class__ is not int or timeout < 0):
        raise badarg()
    return action(controller) if controller.active else (ERROR, A_BUSY)


platform_native("spi", "transmit", 3, STM32)(lambda ctx, res, data, timeout: _hal_call(
    ctx, res, timeout, lambda c: (c.exchange(_binary(data)), len(data))[1]))
platform_native("spi", "receive_", 3, STM32)(lambda ctx, res, count, timeout: _hal_call(
    ctx, res, timeout, lambda c: (OK, c.exchange(b"\x00" * _count(count)))))
platform_native("spi", "transmit_receive", 3, STM32)(lambda ctx, res, data, timeout: _hal_call(
    ctx, res, timeout, lambda c: (OK, c.exchange(_binary(data)))))
platform_native("spi", "init", 2, STM32 + PICO)(_init)
