"""GPIO as AtomVM exposes it: the NIFs of the ``gpio`` module and the ``gpio`` port.

The contract, per platform, is docs/platform-apis.md (section 3). NIFs:
``set_pin_mode/2``, ``set_pin_pull/2``, ``digital_write/2``, ``digital_read/1``,
``hold_en/1``, ``hold_dis/1``, ``deep_sleep_hold_en/0``, ``deep_sleep_hold_dis/0``,
``init/1``, ``deinit/1`` (NIFs on the Pico, harmless elsewhere). The port
(``open_port({spawn, "gpio"}, [])``, ESP32 and STM32) registers itself as ``gpio`` and takes
``{set_direction, Pin, Mode}``, ``{set_level, Pin, Level}``, ``{read, Pin}``,
``{set_int, Pin, Trigger[, Listener]}``, ``{remove_int, Pin}`` and ``{close}``; interrupts
arrive as ``{gpio_interrupt, Pin}``, Pin as the app spelled it when it armed the interrupt.
How a bad argument is reported differs by platform (:data:`NIF_FAILURES`,
:data:`PORT_FAILURES`).
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import ErlangError
from ..natives import native
from ..nifs._util import badarg
from ..ports import NO_REPLY, PortInstance
from ..terms import ERROR, OK, Atom, Pid, atom
from .gpio_terms import (PULLS, TRIGGERS, BadValue, level_of, level_term, mode_of,
                         pin_names, table_value)

A_GPIO = atom("gpio")
A_GPIO_INTERRUPT = atom("gpio_interrupt")
A_UNDEF = atom("undef")
A_CLOSE = atom("close")


def _raise(what: str) -> Any:
    raise ErlangError(ERROR, atom(what))


def _raise_badarg(_what: str) -> Any:
    raise badarg()


NIF_FAILURES: dict[str, Callable[[str], Any]] = {
    "esp32": lambda what: ERROR,     # the NIF returns the atom error
    "stm32": _raise,                 # raises error:invalid_pin, invalid_mode…
    "pico": _raise_badarg,
}
PORT_FAILURES: dict[str, Callable[[str], Any]] = {
    "esp32": lambda what: ERROR,
    "stm32": lambda what: (ERROR, atom(what)),
}


def gpio_of(vm: Any) -> Any:
    """The board's GPIO controller; ``undef`` on a board without GPIO (generic_unix)."""
    devices = vm.devices
    if devices is None or devices.gpio is None:
        raise ErlangError(ERROR, A_UNDEF)
    return devices.gpio


def _pins(vm: Any, pin: Any) -> tuple[Any, list[str]]:
    return gpio_of(vm), pin_names(vm.devices, pin)


def set_mode(vm: Any, pin: Any, mode: Any) -> Any:
    gpio, names = _pins(vm, pin)
    model_mode, pull = mode_of(mode)
    for name in names:
        gpio.set_mode(name, model_mode)
        if pull is not None:
            gpio.set_pull(name, pull)
    return OK


def set_pull(vm: Any, pin: Any, pull: Any) -> Any:
    gpio, names = _pins(vm, pin)
    value = PULLS.get(pull, "floating")   # AtomVM's table: an unknown pull means floating
    for name in names:
        gpio.set_pull(name, value)
    return OK


def set_level(vm: Any, pin: Any, level: Any) -> Any:
    gpio, names = _pins(vm, pin)
    value = level_of(level)
    for name in names:
        gpio.write(name, value)
    return OK


def read_level(vm: Any, pin: Any) -> Any:
    gpio, names = _pins(vm, pin)
    if len(names) != 1:
        raise BadValue("invalid_pin")
    return level_term(gpio.read(names[0]))


def check_pin(vm: Any, pin: Any) -> Any:
    """Calls that configure silicon avmsim does not model (init, hold): check the pin."""
    _pins(vm, pin)
    return OK


def _nif(action: Callable[..., Any]) -> Callable[..., Any]:
    """A NIF over ``action(vm, *args)``, failing as the board's platform does."""
    def call(ctx: Any, *args: Any) -> Any:
        try:
            return action(ctx.vm, *args)
        except BadValue as bad:
            return NIF_FAILURES.get(ctx.vm.platform.name, _raise_badarg)(bad.what)
    return call


native("gpio", "set_pin_mode", 2)(_nif(set_mode))
native("gpio", "set_pin_pull", 2)(_nif(set_pull))
native("gpio", "digital_write", 2)(_nif(set_level))
native("gpio", "digital_read", 1)(_nif(read_level))
for _name in ("init", "deinit", "hold_en", "hold_dis"):
    native("gpio", _name, 1)(_nif(check_pin))
for _name in ("deep_sleep_hold_en", "deep_sleep_hold_dis"):
    native("gpio", _name, 0)(_nif(lambda vm: (gpio_of(vm), OK)[1]))


# ---------------------------------------------------------------------------- the port

class GpioPort:
    """The ``gpio`` port driver: one per board, registered as ``gpio``."""

    def __init__(self, port: PortInstance, options: Any) -> None:
        vm = self.vm = port.vm
        gpio_of(vm)
        if A_GPIO in vm.registered:
            raise badarg()
        vm.registered[A_GPIO] = port.port.id
        port.registered_name = A_GPIO
        self.failure = PORT_FAILURES.get(vm.platform.name, PORT_FAILURES["esp32"])
        self.armed: dict[str, Any] = {}     # pin name -> the term the app armed it with
        self.requests: dict[tuple[str, int], Callable[..., Any]] = {
            ("set_direction", 3): lambda caller, pin, mode: set_mode(vm, pin, mode),
            ("set_level", 3): lambda caller, pin, level: set_level(vm, pin, level),
            ("read", 2): lambda caller, pin: read_level(vm, pin),
            ("set_int", 3): lambda caller, pin, trigger: self.set_int(vm, pin, trigger, caller),
            ("set_int", 4): self._set_int_for,
            ("remove_int", 2): lambda caller, pin: self.remove_int(vm, pin),
        }

    def call(self, port: PortInstance, caller: Any, ref: Any, request: Any) -> Any:
        if request is A_CLOSE or request == (A_CLOSE,):
            port.reply(caller, ref, OK)
            port.close()
            return NO_REPLY
        handler = None
        if request.__class__ is tuple and request and request[0].__class__ is Atom:
            handler = self.requests.get((request[0].name, len(request)))
        if handler is None:
            return self.failure("undefined")
        try:
            return handler(caller, *request[1:])
        except BadValue as bad:
            return self.failure(bad.what)
        except ErlangError as exc:
            return self.failure(exc.reason.name if exc.reason.__class__ is Atom else "badarg")

    def _set_int_for(self, caller: Any, pin: Any, trigger: Any, listener: Any) -> Any:
        if listener.__class__ is Atom:
            if listener not in self.vm.registered:
                return self.failure("noproc")
        elif listener.__class__ is not Pid:
            return self.failure("invalid_listener")
        return self.set_int(self.vm, pin, trigger, listener)

    def set_int(self, vm: Any, pin: Any, trigger: Any, target: Any) -> Any:
        """Send ``{gpio_interrupt, Pin}`` to ``target`` on each edge ``trigger`` names."""
        gpio, names = _pins(vm, pin)
        kind = table_value(TRIGGERS, trigger, "invalid_trigger")
        if any(name in self.armed for name in names):
            return self.failure("already_set")
        message = (A_GPIO_INTERRUPT, pin)

        def notify(_pin_name: str) -> None:
            proc = vm.process(target)
            if proc is not None:
                vm.deliver(proc, message)

        for name in names:
            gpio.set_mode(name, "input")
            self.armed[name] = pin
            if kind != "none":
                gpio.set_interrupt(name, kind, notify)
        return OK

    def remove_int(self, vm: Any, pin: Any) -> Any:
        gpio, names = _pins(vm, pin)
        if not all(name in self.armed for name in names):
            return self.failure("not_set")
        for name in names:
            del self.armed[name]
            gpio.remove_interrupt(name)
        return OK

    def closed(self, port: PortInstance) -> None:
        """Closing the port removes its interrupts."""
        gpio = gpio_of(port.vm)
        for name in self.armed:
            gpio.remove_interrupt(name)
        self.armed.clear()


PORT_DRIVERS = {"gpio": (GpioPort, ("esp32", "stm32"))}
