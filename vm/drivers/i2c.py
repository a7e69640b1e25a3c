"""I2C as AtomVM exposes it, per platform, over the board's I2C buses.

The contract (terms, replies, error reasons, sources) is docs/platform-apis.md, "I2C".

- ESP32: the ``i2c`` port (``open_port({spawn, "i2c"}, Opts)``; requests
  ``{begin_transmission, A}``, ``{write_byte, B}``, ``{write_bytes, Bs}``,
  ``{end_transmission}``, ``{read_bytes, A, N[, Reg]}``, ``{write_bytes, A, Data[, Reg]}``,
  ``{close}``) and the resource NIFs (``i2c:open_nif/1`` … ``end_transmission_nif/1``, the
  handle ``{'$i2c', Resource, Ref}``). Both queue ``begin…end`` for one process at a time
  and fail as ESP-IDF's ``i2c_master_cmd_begin`` does: ``{error, esp_fail}`` when a byte is
  not acknowledged.
- STM32: the HAL NIFs ``i2c:init/1`` (pins in the options), ``deinit/1``,
  ``master_transmit/4``, ``master_receive/4``, ``mem_read/6``, ``mem_write/6``,
  ``is_device_ready/4``; a NACK is ``{error, eio}``.
- Pico: the SDK NIFs ``i2c:init/2`` (pins muxed before with ``gpio:set_function/2``),
  ``deinit/1``, ``set_baudrate/2``, ``write_blocking/4``, ``read_blocking/4``,
  ``write_timeout_us/5``, ``read_timeout_us/5``, ``write_blocking_until/5``,
  ``read_blocking_until/5``; a NACK is ``{error, eio}``, a transfer longer than its timeout
  ``{error, timeout}``.

Every transfer is one ``I2cBus.transfer`` on the bus of the controller's SDA/SCL pins, and the
calling process waits its duration on its core (:func:`bus_common.wait_on_bus`).
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import ErlangError, badarg
from ..ports import NO_REPLY, PortInstance, proplist
from ..terms import ERROR, FALSE, OK, TRUE, Atom, Ref, atom
from .bus_common import (devices_of, new_resource, pin_name, platform_native, resource,
                         rp2_pins, state_of, wait_on_bus)

A_I2C = atom("$i2c")
A_CLOSE = atom("close")
A_EINPROGRESS = atom("einprogress")
A_ESP_FAIL = atom("esp_fail")
A_INVALID_STATE = atom("esp_err_invalid_state")
A_EIO = atom("eio")
A_BUSY = atom("busy")
A_TIMEOUT = atom("timeout")
A_UNDEFINED = atom("undefined")
A_BADARG = atom("badarg")
INFINITY = atom("infinity")
K_SCL, K_SDA, K_CLOCK, K_PERIPHERAL = (atom(k) for k in
                                       ("scl", "sda", "clock_speed_hz", "peripheral"))
K_AF, K_OWN_ADDRESS, K_SEND_TIMEOUT = atom("af"), atom("own_address"), atom("send_timeout_ms")

ESP_FAIL, ESP_ERR_INVALID_ARG = -1, 0x102
ESP32, STM32, PICO = ("esp32",), ("stm32",), ("pico",)   # where AtomVM builds each NIF
ESP32_CONTROLLERS = {"esp32": 2, "esp32_s2": 2, "esp32_s3": 2, "esp32_c2": 1, "esp32_c3": 1,
                     "esp32_c6": 1, "esp32_h2": 2}
"""``I2C_NUM_MAX`` per chip (ESP-IDF ``soc_caps.h`` ``SOC_I2C_NUM``)."""
STM32_CONTROLLERS = range(1, 4)     # STM32F42x: I2C1..I2C3 (no I2C4)
RP2_CONTROLLERS = range(2)          # i2c0, i2c1
RP2_CLK_SYS_HZ = 125_000_000        # pico-sdk's default clk_sys, the I2C block's clock


def _err(reason: Any) -> tuple:
    return (ERROR, reason)


class Controller:
    """One configured I2C controller: its pins, its clock, and whether it still runs."""

    def __init__(self, vm: Any, sda: str | None, scl: str | None, freq_hz: int) -> None:
        self.vm = vm
        self.sda = sda
        self.scl = scl
        self.freq_hz = freq_hz
        self.active = True
        # the bus on these pins, found once (None when the controller has no pins)
        self.bus = (devices_of(vm).i2c_bus(sda, scl)
                    if sda is not None and scl is not None else None)

    def transfer(self, address: int, write: bytes = b"", read: int = 0) -> Any:
        """One transfer on the bus (START … STOP); the caller waits its duration.
        ``None`` when the controller has no pins to drive."""
        if self.bus is None:
            return None
        result = self.bus.transfer(address & 0x7F, bytes(write), read, self.freq_hz)
        wait_on_bus(self.vm, result.duration_ns)
        return result


def acknowledged(result: Any, write: bytes) -> bool:
    """The address and every written byte were acknowledged."""
    return result is not None and result.ack and result.written == len(write)


# ============================================================================ ESP32

class Esp32I2c:
    """An installed ESP32 controller, as the port driver and the resource NIFs use it.

    ``begin_transmission`` makes the caller the *transmitting* process: until its
    ``end_transmission`` the other requests answer ``{error, {einprogress, Owner}}``."""

    def __init__(self, vm: Any, options: Any) -> None:
        opts = proplist(options)
        values = [opts.get(k) for k in (K_SCL, K_SDA, K_CLOCK)]
        peripheral = opts.get(K_PERIPHERAL, 0)
        controllers = ESP32_CONTROLLERS.get(devices_of(vm).board.chip.get("model"), 2)
        if (any(v.__class__ is not int for v in values) or peripheral.__class__ is not int
                or not 0 <= peripheral < controllers):
            raise badarg()
        scl, sda, freq = values
        self.key = ("i2c", peripheral)
        self.controller = Controller(vm, _esp32_pin(vm, sda), _esp32_pin(vm, scl), freq)
        self.pins_valid = None not in (self.controller.sda, self.controller.scl)
        self.owner: Any = None
        self.queued: tuple[int, bytearray] | None = None
        self.installed = False

    def install(self) -> bool:
        """``i2c_driver_install``: fails for pins the chip lacks or a controller in use."""
        in_use = state_of(self.controller.vm).in_use
        if not self.pins_valid or self.key in in_use:
            return False
        in_use.add(self.key)
        self.installed = True
        return True

    def delete(self) -> bool:
        """``i2c_driver_delete``: False when the driver was not installed."""
        if not self.installed:
            return False
        state_of(self.controller.vm).in_use.discard(self.key)
        self.installed = False
        return True

    def busy(self, caller: Any = None) -> Any:
        """The einprogress error when another process (or any, for None) transmits."""
        if self.owner is not None and self.owner != caller:
            return _err((A_EINPROGRESS, self.owner))
        return None

    def run(self, address: int, write: bytes, read: int = 0) -> Any:
        """``i2c_master_cmd_begin``: ``ok`` / ``{ok, Data}`` or the ESP-IDF error."""
        if not self.installed:
            return _err(A_INVALID_STATE)
        result = self.controller.transfer(address, write, read)
        if not acknowledged(result, write):
            return _err(A_ESP_FAIL)
        return (OK, result.data) if read else OK

    def begin(self, caller: Any, address: Any) -> Any:
        refused = self.busy()
        if refused is not None:
            return refused
        self.owner = caller
        self.queued = (_int(address), bytearray())
        return OK

    def enqueue(self, caller: Any, data: bytes) -> Any:
        refused = self.owner_only(caller)
        if refused is not None:
            return refused
        self.queued[1].extend(data)
        return OK

    def owner_only(self, caller: Any) -> Any:
        if self.owner != caller or self.owner is None:
            return _err((A_EINPROGRESS, self.owner if self.owner is not None else A_UNDEFINED))
        return None

    def end(self, caller: Any, keep_owner_on_error: bool) -> Any:
        refused = self.owner_only(caller)
        if refused is not None:
            return refused
        address, data = self.queued
        reply = self.run(address, bytes(data))
        if reply is OK or not keep_owner_on_error:
            self.owner, self.queued = None, None
        return reply

    def read_bytes(self, address: Any, count: Any, register: Any = None) -> Any:
        refused = self.busy()
        if refused is not None:
            return refused
        write = b"" if register is None else bytes([_int(register) & 0xFF])
        count = _int(count)
        if count < 0:
            raise badarg()
        return self.run(_int(address), write, count)

    def write_bytes(self, address: Any, data: Any, register: Any = None) -> Any:
        refused = self.busy()
        if refused is not None:
            return refused
        payload = data if data.__class__ is bytes else bytes([_int(data) & 0xFF])
        prefix = b"" if register is None else bytes([_int(register) & 0xFF])
        return self.run(_int(address), prefix + payload)


def _int(term: Any) -> int:
    if term.__class__ is not int:
        raise badarg()
    return term


def _esp32_pin(vm: Any, n: int) -> str | None:
    """A GPIO number as the board names it; None for a pin the board lacks (no bus)."""
    try:
        return pin_name(vm, n)
    except ErlangError:   # not a pin of this board
        return None


class I2cPort:
    """The ESP32 ``i2c`` port driver (AtomVM ``i2c_driver.c``)."""

    def __init__(self, port: PortInstance, options: Any) -> None:
        self.i2c = Esp32I2c(port.vm, options)
        if not self.i2c.install():
            raise badarg()
        i2c = self.i2c
        self.requests: dict[tuple[str, int], Callable[..., Any]] = {
            ("begin_transmission", 2): i2c.begin,
            ("write_byte", 2): lambda caller, byte: i2c.enqueue(
                caller, bytes([_int(byte) & 0xFF])),
            ("write_bytes", 2): self._queue_bytes,
            ("end_transmission", 1): lambda caller: i2c.end(caller, keep_owner_on_error=False),
            ("read_bytes", 3): lambda caller, a, n: i2c.read_bytes(a, n),
            ("read_bytes", 4): lambda caller, a, n, reg: i2c.read_bytes(a, n, reg),
            ("write_bytes", 3): lambda caller, a, data: i2c.write_bytes(a, data),
            ("write_bytes", 4): lambda caller, a, data, reg: i2c.write_bytes(a, data, reg),
        }

    def _queue_bytes(self, caller: Any, data: Any) -> Any:
        refused = self.i2c.owner_only(caller)
        if refused is not None:
            return refused
        if data.__class__ is not bytes:
            return _err(A_BADARG)
        return self.i2c.enqueue(caller, data)

    def call(self, port: PortInstance, caller: Any, ref: Any, request: Any) -> Any:
        if request.__class__ is not tuple or not request or request[0].__class__ is not Atom:
            return ERROR
        if request[0] is A_CLOSE:
            port.reply(caller, ref, OK)
            port.close()
            return NO_REPLY
        handler = self.requests.get((request[0].name, len(request)))
        if handler is None:
            return ERROR
        try:
            return handler(caller, *request[1:])
        except ErlangError:   # a malformed argument, which AtomVM would misread: badarg
            return _err(A_BADARG)

    def closed(self, port: PortInstance) -> None:
        self.i2c.delete()


PORT_DRIVERS = {"i2c": (I2cPort, ("esp32",))}


# ---------------------------------------------------------------------------- ESP32 NIFs

def _esp32_handle(ctx: Any, term: Any) -> Esp32I2c:
    """The state behind ``{'$i2c', Resource, Ref}``; ``badarg`` for anything else."""
    if not (term.__class__ is tuple and len(term) == 3 and term[0] is A_I2C
            and term[2].__class__ is Ref):
        raise badarg()
    return resource(ctx.vm, term[1], Esp32I2c)


@platform_native("i2c", "open_nif", 1, ESP32)
def _open_nif(ctx: Any, options: Any) -> Any:
    i2c = Esp32I2c(ctx.vm, options)
    if not i2c.pins_valid:
        return _err(ESP_ERR_INVALID_ARG)   # i2c_param_config, as an integer (AtomVM's TODO)
    if not i2c.install():
        return _err(ESP_FAIL)              # i2c_driver_install, likewise
    return (A_I2C, new_resource(ctx.vm, i2c), ctx.vm.new_ref())


@platform_native("i2c", "close_nif", 1, ESP32)
def _close_nif(ctx: Any, handle: Any) -> Any:
    return OK if _esp32_handle(ctx, handle).delete() else _err(A_ESP_FAIL)


@platform_native("i2c", "begin_transmission_nif", 2, ESP32)
def _begin_nif(ctx: Any, handle: Any, address: Any) -> Any:
    return _esp32_handle(ctx, handle).begin(ctx.pid, address)


@platform_native("i2c", "enqueue_write_bytes_nif", 2, ESP32)
def _enqueue_nif(ctx: Any, handle: Any, data: Any) -> Any:
    i2c = _esp32_handle(ctx, handle)
    refused = i2c.owner_only(ctx.pid)
    if refused is not None:
        return refused
    if data.__class__ is not bytes:
        raise badarg()
    return i2c.enqueue(ctx.pid, data)


@platform_native("i2c", "end_transmission_nif", 1, ESP32)
def _end_nif(ctx: Any, handle: Any) -> Any:
    # AtomVM returns the error before clearing the transmitting process (i2c_resource.c)
    return _esp32_handle(ctx, handle).end(ctx.pid, keep_owner_on_error=True)


@platform_native("i2c", "read_bytes_nif", 2, ESP32)
def _read_bytes_nif(ctx: Any, handle: Any, request: Any) -> Any:
    i2c = _esp32_handle(ctx, handle)
    if request.__class__ is not tuple or len(request) not in (2, 3):
        raise badarg()
    return i2c.read_bytes(*request)


@platform_native("i2c", "write_bytes_nif", 2, ESP32)
def _write_bytes_nif(ctx: Any, handle: Any, request: Any) -> Any:
    i2c = _esp32_handle(ctx, handle)
    if request.__class__ is not tuple or len(request) not in (2, 3):
        raise badarg()
    if request[1].__class__ not in (bytes, int):
        raise badarg()
    return i2c.write_bytes(*request)


# ============================================================================ STM32 (HAL)

class HalI2c:
    """An STM32 ``I2C_HandleTypeDef``: after ``deinit`` the HAL answers ``HAL_BUSY``."""

    def __init__(self, controller: Controller) -> None:
        self.controller = controller

    def run(self, address: int, write: bytes, read: int = 0) -> Any:
        """The HAL call's outcome: the result, or the error reply."""
        if not self.controller.active:
            return _err(A_BUSY)
        result = self.controller.transfer(address, write, read)
        return result if acknowledged(result, write) else _err(A_EIO)


def _hal(ctx: Any, term: Any) -> HalI2c:
    return resource(ctx.vm, term, HalI2c)


def _timeout(term: Any) -> None:
    """A HAL timeout argument: milliseconds or ``infinity`` (transfers never time out)."""
    if term is not INFINITY and (term.__class__ is not int or term < 0):
        raise badarg()


def _address(term: Any) -> int:
    if term.__class__ is not int:
        raise badarg()
    return term


@platform_native("i2c", "init", 1, STM32)
def _stm32_init(ctx: Any, options: Any) -> Any:
    opts = proplist(options)
    peripheral = opts.get(K_PERIPHERAL, 1)
    freq = opts.get(K_CLOCK, 100_000)
    numbers = (peripheral, freq, opts.get(K_AF, 4), opts.get(K_OWN_ADDRESS, 0))
    if (K_SCL not in opts or K_SDA not in opts or any(v.__class__ is not int for v in numbers)
            or freq <= 0 or peripheral not in STM32_CONTROLLERS):
        raise badarg()
    scl, sda = pin_name(ctx.vm, opts[K_SCL]), pin_name(ctx.vm, opts[K_SDA])
    return (OK, new_resource(ctx.vm, HalI2c(Controller(ctx.vm, sda, scl, freq))))


def _stm32_deinit(ctx: Any, res: Any) -> Any:
    _hal(ctx, res).controller.active = False
    return OK


@platform_native("i2c", "master_transmit", 4, STM32)
def _master_transmit(ctx: Any, res: Any, address: Any, data: Any, timeout: Any) -> Any:
    hal = _hal(ctx, res)
    if data.__class__ is not bytes:
        raise badarg()
    _timeout(timeout)
    outcome = hal.run(_address(address), data)
    return outcome if outcome.__class__ is tuple else len(data)


@platform_native("i2c", "master_receive", 4, STM32)
def _master_receive(ctx: Any, res: Any, address: Any, count: Any, timeout: Any) -> Any:
    hal = _hal(ctx, res)
    _timeout(timeout)
    count = _count(count)
    outcome = hal.run(_address(address), b"", count)
    return outcome if outcome.__class__ is tuple else (OK, outcome.data)


def _count(term: Any) -> int:
    if term.__class__ is not int or not 0 <= term <= 0xFFFF:
        raise badarg()
    return term


def _mem_address(mem_addr: Any, size: Any) -> bytes:
    """HAL_I2C_Mem_*'s register address, 8 or 16 bits, most significant byte first."""
    if mem_addr.__class__ is not int or size not in (8, 16):
        raise badarg()
    return (mem_addr & 0xFFFF).to_bytes(2, "big")[2 - size // 8:]


@platform_native("i2c", "mem_read", 6, STM32)
def _mem_read(ctx: Any, res: Any, address: Any, mem_addr: Any, size: Any, count: Any,
              timeout: Any) -> Any:
    hal = _hal(ctx, res)
    prefix = _mem_address(mem_addr, size)
    count = _count(count)
    _timeout(timeout)
    outcome = hal.run(_address(address), prefix, count)
    return outcome if outcome.__class__ is tuple else (OK, outcome.data)


@platform_native("i2c", "mem_write", 6, STM32)
def _mem_write(ctx: Any, res: Any, address: Any, mem_addr: Any, size: Any, data: Any,
               timeout: Any) -> Any:
    hal = _hal(ctx, res)
    prefix = _mem_address(mem_addr, size)
    if data.__class__ is not bytes:
        raise badarg()
    _timeout(timeout)
    outcome = hal.run(_address(address), prefix + data)
    return outcome if outcome.__class__ is tuple else len(data)


@platform_native("i2c", "is_device_ready", 4, STM32)
def _is_device_ready(ctx: Any, res: Any, address: Any, trials: Any, timeout: Any) -> Any:
    hal = _hal(ctx, res)
    if trials.__class__ is not int:
        raise badarg()
    _timeout(timeout)
    outcome: Any = _err(A_EIO)
    for _ in range(max(trials, 1)):    # HAL_I2C_IsDeviceReady: an address probe per trial
        outcome = hal.run(_address(address), b"")
        if outcome.__class__ is not tuple:
            return OK
        if outcome[1] is A_BUSY:
            break
    return outcome


# ============================================================================ Pico (SDK)

class PicoI2c:
    """An initialised ``i2c_inst_t``: its number; the pins are found when it transfers."""

    def __init__(self, vm: Any, peripheral: int, baud: int) -> None:
        self.vm = vm
        self.peripheral = peripheral
        self.baud = baud
        self.active = True

    def run(self, address: Any, write: bytes, read: int, timeout_ns: int | None) -> Any:
        """The SDK call's outcome: the result, or the error reply."""
        if address.__class__ is not int or not 0 <= address <= 127:
            raise badarg()
        pins = rp2_pins(self.vm, "i2c", self.peripheral)
        controller = Controller(self.vm, pins.get("sda"), pins.get("scl"), self.baud)
        result = controller.transfer(address, write, read)
        if timeout_ns is not None and result is not None and result.duration_ns > timeout_ns:
            return _err(A_TIMEOUT)
        return result if acknowledged(result, write) else _err(A_EIO)


def rp2_baudrate(baud: int) -> int:
    """The SCL rate the SDK sets for ``baud`` (pico-sdk ``i2c_set_baudrate``:
    period = round(clk_sys / baud), actual = clk_sys / period)."""
    period = (RP2_CLK_SYS_HZ + baud // 2) // baud
    return RP2_CLK_SYS_HZ // period


def _pico(ctx: Any, term: Any) -> PicoI2c:
    pico = resource(ctx.vm, term, PicoI2c)
    if not pico.active:
        raise badarg()
    return pico


def _nostop(term: Any) -> None:
    """Nostop (a repeated START next) is accepted; the next transfer starts afresh."""
    if term is not TRUE and term is not FALSE:
        raise badarg()


@platform_native("i2c", "init", 2, PICO)
def _pico_init(ctx: Any, peripheral: Any, baud: Any) -> Any:
    if peripheral.__class__ is not int or baud.__class__ is not int:
        raise badarg()
    if peripheral not in RP2_CONTROLLERS or baud <= 0:
        raise badarg()
    in_use = state_of(ctx.vm).in_use
    if ("i2c", peripheral) in in_use:
        return _err(A_BUSY)
    in_use.add(("i2c", peripheral))
    actual = rp2_baudrate(baud)
    return (OK, (actual, new_resource(ctx.vm, PicoI2c(ctx.vm, peripheral, actual))))


@platform_native("i2c", "deinit", 1, STM32 + PICO)
def _deinit(ctx: Any, res: Any) -> Any:
    """``i2c:deinit/1`` on STM32 (HAL) or the Pico (SDK)."""
    target = state_of(ctx.vm).resources.get(res.id) if res.__class__ is Ref else None
    if isinstance(target, HalI2c):
        return _stm32_deinit(ctx, res)
    pico = resource(ctx.vm, res, PicoI2c)
    if pico.active:
        pico.active = False
        state_of(ctx.vm).in_use.discard(("i2c", pico.peripheral))
    return OK


@platform_native("i2c", "set_baudrate", 2, PICO)
def _set_baudrate(ctx: Any, res: Any, baud: Any) -> Any:
    pico = _pico(ctx, res)
    if baud.__class__ is not int or baud <= 0:
        raise badarg()
    pico.baud = rp2_baudrate(baud)
    return (OK, pico.baud)


def _pico_write(ctx: Any, res: Any, address: Any, data: Any, nostop: Any,
                timeout_ns: int | None) -> Any:
    pico = _pico(ctx, res)
    if data.__class__ is not bytes:
        raise badarg()
    _nostop(nostop)
    outcome = pico.run(address, data, 0, timeout_ns)
    return outcome if outcome.__class__ is tuple else len(data)


def _pico_read(ctx: Any, res: Any, address: Any, count: Any, nostop: Any,
               timeout_ns: int | None) -> Any:
    pico = _pico(ctx, res)
    if count.__class__ is not int or count < 0:
        raise badarg()
    _nostop(nostop)
    outcome = pico.run(address, b"", count, timeout_ns)
    return outcome if outcome.__class__ is tuple else (OK, outcome.data)


def _us(term: Any) -> int:
    if term.__class__ is not int or term < 0:
        raise badarg()
    return term * 1000


def _until(ctx: Any, deadline_us: Any) -> int:
    """An absolute deadline (µs since boot) as the time left."""
    return max(0, _us(deadline_us) - ctx.vm.scheduler.now_ns())


platform_native("i2c", "write_blocking", 4, PICO)(
    lambda ctx, res, a, data, nostop: _pico_write(ctx, res, a, data, nostop, None))
platform_native("i2c", "read_blocking", 4, PICO)(
    lambda ctx, res, a, n, nostop: _pico_read(ctx, res, a, n, nostop, None))
platform_native("i2c", "write_timeout_us", 5, PICO)(
    lambda ctx, res, a, data, nostop, t: _pico_write(ctx, res, a, data, nostop, _us(t)))
platform_native("i2c", "read_timeout_us", 5, PICO)(
    lambda ctx, res, a, n, nostop, t: _pico_read(ctx, res, a, n, nostop, _us(t)))
platform_native("i2c", "write_blocking_until", 5, PICO)(
    lambda ctx, res, a, data, nostop, t: _pico_write(ctx, res, a, data, nostop, _until(ctx, t)))
platform_native("i2c", "read_blocking_until", 5, PICO)(
    lambda ctx, res, a, n, nostop, t: _pico_read(ctx, res, a, n, nostop, _until(ctx, t)))
