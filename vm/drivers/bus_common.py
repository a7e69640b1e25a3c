"""What the I2C and SPI drivers share: NIF resources, pin terms, pin muxing, the wait.

- NIF *resources* (AtomVM's ``enif_alloc_resource``): an opaque reference that the NIFs map
  back to the driver's state. avmsim has no resource term, so a resource is a plain
  reference (``is_reference/1`` holds, as on the device) and :class:`BusState` keeps the
  table from reference to state, one table per VM (a reboot starts with none).
- Pin terms: an integer on ESP32 and the Pico, ``{Bank, N}`` on STM32, turned into the
  board's pin names by ``vm.devices`` (:func:`pin_name`).
- The RP2040's pin muxing: AtomVM's RP2 libraries pick the I2C/SPI pins with
  ``gpio:set_function(Pin, i2c | spi)`` before ``i2c:init/2`` / ``spi:init/2``, which take no
  pins; the NIF below records each pin's function, and :func:`rp2_pins` finds the pins a
  peripheral was given, by the RP2040 datasheet's function table (section 2.19.2).
- :func:`wait_on_bus`: a transfer keeps the calling process's core busy for its duration,
  as AtomVM's drivers block their scheduler thread in the vendor SDK's blocking call.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import ErlangError, badarg
from ..natives import native
from ..ports import proplist
from ..terms import ERROR, OK, Atom, Map, Ref, atom

A_UNDEFINED = atom("undefined")
_STATES: "weakref.WeakKeyDictionary[Any, BusState]" = weakref.WeakKeyDictionary()

RP2_FUNCTIONS = ("spi", "uart", "i2c", "pwm", "sio", "pio0", "pio1")
"""``gpio:set_function/2``'s atoms (AtomVM rp2 gpiodriver.c ``gpio_function_table``)."""
RP2_GPIO_COUNT = 30   # NUM_BANK0_GPIOS

RP2_ROLES = {
    # function -> (pins per peripheral block, peripheral count, roles by pin number mod len)
    # RP2040 datasheet 2.19.2: I2C0 SDA/SCL on GPIO 0/1, I2C1 on 2/3, repeating every 4;
    # SPI0 RX/CSn/SCK/TX on GPIO 0-3 and 4-7, SPI1 on 8-11 and 12-15, repeating every 16.
    "i2c": (2, 2, ("sda", "scl")),
    "spi": (8, 2, ("miso", "cs", "sclk", "mosi")),
}


@dataclass
class BusState:
    """A VM's bus drivers' shared state: open resources, controllers in use, RP2 muxing."""
    resources: dict[int, Any] = field(default_factory=dict)
    in_use: set[tuple[str, Any]] = field(default_factory=set)
    functions: dict[int, str] = field(default_factory=dict)


def state_of(vm: Any) -> BusState:
    state = _STATES.get(vm)
    if state is None:
        state = _STATES[vm] = BusState()
    return state


def new_resource(vm: Any, obj: Any) -> Ref:
    """A fresh resource reference standing for ``obj``."""
    ref = vm.new_ref()
    state_of(vm).resources[ref.id] = obj
    return ref


def resource(vm: Any, term: Any, kind: type) -> Any:
    """The ``kind`` object behind a resource reference; ``badarg`` for anything else."""
    obj = state_of(vm).resources.get(term.id) if term.__class__ is Ref else None
    if not isinstance(obj, kind):
        raise badarg()
    return obj


def options(term: Any) -> dict[Any, Any]:
    """A proplist or a map of options as a dict (AtomVM's ``interop_kv_get_value`` reads
    both); ``badarg`` for anything else."""
    if term.__class__ is Map:
        return dict(term.items())
    return proplist(term)


def devices_of(vm: Any) -> Any:
    devices = vm.devices
    if devices is None:
        raise badarg()
    return devices


def pin_name(vm: Any, term: Any) -> str:
    """The board's name for a pin term (integer, or ``{Bank, N}``); ``badarg`` if none."""
    devices = devices_of(vm)
    try:
        if term.__class__ is int:
            return devices.pin_for_number(term)
        if (term.__class__ is tuple and len(term) == 2 and term[0].__class__ is Atom
                and term[1].__class__ is int):
            return devices.pin_for_port(term[0].name, term[1])
    except KeyError:
        pass
    raise badarg()


def wait_on_bus(vm: Any, duration_ns: int) -> None:
    """The caller's core is busy for the transfer (a blocking NIF or port handler)."""
    vm.scheduler.stall_ns(duration_ns)


def rp2_pins(vm: Any, function: str, peripheral: int) -> dict[str, str]:
    """Role (``sda``, ``sclk``…) -> pin name, for the pins muxed to ``function`` of
    ``peripheral``; the lowest-numbered pin wins when several have the same role."""
    block, count, roles = RP2_ROLES[function]
    pins: dict[str, str] = {}
    for n in sorted(state_of(vm).functions):
        if state_of(vm).functions[n] == function and (n // block) % count == peripheral:
            pins.setdefault(roles[n % len(roles)], devices_of(vm).pin_for_number(n))
    return pins


def platform_native(module: str, name: str, arity: int,
                    platforms: tuple[str, ...]) -> Callable[[Callable[..., Any]], Any]:
    """Register a NIF that AtomVM builds into ``platforms`` only: elsewhere the call reaches
    the library's stub, ``erlang:nif_error(undefined)``."""
    def register(f: Callable[..., Any]) -> Callable[..., Any]:
        def nif(ctx: Any, *args: Any) -> Any:
            if ctx.vm.platform.name not in platforms:
                raise ErlangError(ERROR, A_UNDEFINED)
            return f(ctx, *args)
        native(module, name, arity)(nif)
        return f
    return register


@platform_native("gpio", "set_function", 2, ("pico",))
def _gpio_set_function(ctx: Any, pin: Any, function: Any) -> Any:
    """RP2 ``gpio:set_function/2``: the peripheral that drives a pin (``sio`` is GPIO)."""
    if (pin.__class__ is not int or not 0 <= pin < RP2_GPIO_COUNT
            or function.__class__ is not Atom or function.name not in RP2_FUNCTIONS):
        raise badarg()
    state_of(ctx.vm).functions[pin] = function.name
    return OK
