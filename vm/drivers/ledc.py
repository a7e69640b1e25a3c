"""LEDC as AtomVM exposes it: the NIFs of the ``ledc`` module over the board's LEDC model.

AtomVM's ``ledc_nif.c`` passes each NIF's integers to the ESP-IDF function of the same name
and answers ``ok``, the duty or the frequency; a non-integer argument (or a missing key of a
config proplist) raises ``badarg``, and an ESP-IDF error raises ``error:Code`` with the
``esp_err_t`` integer (258 ``ESP_ERR_INVALID_ARG``, 259 ``ESP_ERR_INVALID_STATE``, -1
``ESP_FAIL``). ``get_duty/2`` raises ``error:-1`` (``LEDC_ERR_DUTY`` as a 32-bit
``avm_int_t``), ``get_freq/2`` ``error:0``. ``fade_stop/2`` exists only on chips with
``SOC_LEDC_SUPPORT_FADE_STOP`` (the C3, not the ESP32); elsewhere the stub raises
``error:undefined``. The model is :mod:`avmsim.peripherals.ledc`; docs/platform-apis.md
section 8 has the contract.
"""
from __future__ import annotations

from typing import Any, Callable

from avmsim.peripherals.ledc import LedcError

from ..errors import ErlangError, badarg
from ..natives import native
from ..nifs._util import is_list, proplist_value
from ..terms import ERROR, NIL, OK, atom
from .esp_nif_terms import A_UNDEFINED, block_of, u32

LEDC_ERR_DUTY = -1
TIMER_KEYS = ("speed_mode", "duty_resolution", "freq_hz", "timer_num")
CHANNEL_KEYS = ("gpio_num", "speed_mode", "channel", "timer_sel", "duty", "hpoint")


def ledc_of(vm: Any) -> Any:
    """The board's LEDC, timed by this VM's scheduler (a reboot brings a new one)."""
    ledc = block_of(vm, "ledc")
    ledc.timebase = vm.scheduler
    return ledc


def _esp(call: Callable[[], Any]) -> Any:
    """Run a model call; an ESP-IDF error becomes ``error:Code``."""
    try:
        result = call()
    except LedcError as err:
        raise ErlangError(ERROR, err.code) from None
    return OK if result is None else result


def _config(vm: Any, config: Any, keys: tuple[str, ...]) -> dict[str, int]:
    """The integers of a config proplist, read in the NIF's order (first bad one: badarg)."""
    if not is_list(config):
        raise badarg()
    return {key: u32(vm, proplist_value(config, atom(key), NIL)) for key in keys}


def _nif(name: str, arity: int, method: str) -> None:
    """``ledc:name/arity`` over ``Ledc.method`` with the integers as ESP-IDF gets them."""
    def call(ctx: Any, *args: Any) -> Any:
        ledc = ledc_of(ctx.vm)
        values = [u32(ctx.vm, a) for a in args]
        return _esp(lambda: getattr(ledc, method)(*values))
    native("ledc", name, arity)(call)


for _name, _arity in (("set_fade_with_time", 4), ("set_fade_with_step", 5), ("fade_start", 3),
                      ("set_fade_time_and_start", 5), ("set_fade_step_and_start", 6),
                      ("set_duty", 3), ("update_duty", 2), ("set_duty_and_update", 4),
                      ("set_freq", 3), ("stop", 3)):
    _nif(_name, _arity, _name)


@native("ledc", "timer_config", 1)
def timer_config(ctx: Any, config: Any) -> Any:
    ledc = ledc_of(ctx.vm)
    c = _config(ctx.vm, config, TIMER_KEYS)
    return _esp(lambda: ledc.timer_config(c["speed_mode"], c["timer_num"],
                                          c["duty_resolution"], c["freq_hz"]))


@native("ledc", "channel_config", 1)
def channel_config(ctx: Any, config: Any) -> Any:
    vm = ctx.vm
    ledc = ledc_of(vm)
    c = _config(vm, config, CHANNEL_KEYS)
    try:
        pin = vm.devices.pin_for_number(c["gpio_num"])
    except KeyError:
        pin = None    # not a GPIO of this chip: ESP-IDF's gpio_num check refuses it
    return _esp(lambda: ledc.channel_config(c["speed_mode"], c["channel"], pin,
                                            c["timer_sel"], c["duty"], c["hpoint"]))


@native("ledc", "fade_func_install", 1)
def fade_func_install(ctx: Any, flags: Any) -> Any:
    ledc = ledc_of(ctx.vm)
    u32(ctx.vm, flags)   # interrupt allocation flags: the model has no interrupt matrix
    return _esp(ledc.fade_func_install)


@native("ledc", "fade_func_uninstall", 0)
def fade_func_uninstall(ctx: Any) -> Any:
    return _esp(ledc_of(ctx.vm).fade_func_uninstall)


@native("ledc", "fade_stop", 2)
def fade_stop(ctx: Any, mode: Any, channel: Any) -> Any:
    ledc = ledc_of(ctx.vm)
    if not ledc.spec.fade_stop:
        raise ErlangError(ERROR, A_UNDEFINED)
    m, ch = u32(ctx.vm, mode), u32(ctx.vm, channel)
    return _esp(lambda: ledc.fade_stop(m, ch))


@native("ledc", "get_duty", 2)
def get_duty(ctx: Any, mode: Any, channel: Any) -> Any:
    ledc = ledc_of(ctx.vm)
    duty = ledc.get_duty(u32(ctx.vm, mode), u32(ctx.vm, channel))
    if duty is None:
        raise ErlangError(ERROR, LEDC_ERR_DUTY)
    return duty


@native("ledc", "get_freq", 2)
def get_freq(ctx: Any, mode: Any, timer: Any) -> Any:
    ledc = ledc_of(ctx.vm)
    freq = ledc.get_freq(u32(ctx.vm, mode), u32(ctx.vm, timer))
    if freq == 0:
        raise ErlangError(ERROR, 0)
    return freq
