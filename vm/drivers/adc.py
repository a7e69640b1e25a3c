"""The ADC as AtomVM exposes it: the NIFs of the ``esp_adc`` module over the board's ADC model.

AtomVM's ``adc_driver.c`` (ESP-IDF oneshot driver), facts the NIFs follow:

- ``init/0`` claims ADC1 (and ADC2 in builds with ``AVM_ADC2_ENABLE``, off by default) and
  answers ``{ok, {'$adc', Unit, Ref}}``; a unit already claimed: ``{error, badarg}``
  (``ESP_ERR_NOT_FOUND``). ``deinit/1`` frees it: ``ok``, ``{error, badarg}`` the second time.
- ``acquire/4`` (Pin, Unit, BitWidth, Attenuation): a pin without an ADC channel, a channel of
  a unit the build does not enable (ADC2), a bad resource, bit width or attenuation raise
  ``badarg``; a freed unit gives ``{error, badarg}``. Bit widths: ``bit_max`` and ``bit_N`` for
  the chip's widths; attenuations ``db_0``, ``db_2_5``, ``db_6`` and ``db_11`` (ESP-IDF up to
  5.1.2) or ``db_12`` (later, where ``db_11`` is taken as ``db_12``): the board's
  ``chip.idf_version`` decides.
- ``sample/3`` (Channel, Unit, Options): options ``raw``, ``voltage``, ``{samples, 1..100000}``
  (default 64), first match wins; answers ``{ok, {Raw | undefined, MilliVolts | undefined}}``;
  a freed unit answers the bare atom ``badarg`` (the read fails, ``adc_err_to_atom_term``).
- ``release_channel/1`` drops the channel's calibration (``ok``, again ``ok``): its later
  ``voltage`` readings are AtomVM's estimate ``raw * Vmax / 2^width`` with its own Vmax table
  (950/1250/1750/2450 mV) and ``width`` the ``adc_bitwidth_t`` value, 0 for ``bit_max``.

The input voltage is ``vm.devices.analog_volts(pin)``; see :mod:`avmsim.peripherals.adc`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import badarg
from ..natives import alias_module, native
from ..nifs._util import charge_results, is_list, proplist_value
from ..nifs.platform_nifs import DEFAULT_IDF_VERSION
from ..terms import OK, TRUE, UNDEFINED, Atom, atom
from .esp_nif_terms import (A_BADARG, block_of, error_tuple, new_resource, ok_resource_words,
                            resource, small_int, tuple_words)

A_ADC = atom("$adc")
A_BIT_MAX = atom("bit_max")
DEFAULT_SAMPLES = 64
MAX_SAMPLES = 100_000
ESTIMATE_MAX_MV = (950, 1250, 1750, 2450)
"""adc_driver.c ``approximate_millivolts``: its Vmax by attenuation, whatever the chip."""
ATTEN_RENAMED_AFTER = (5, 1, 2)
"""ESP-IDF versions after this one call the 11 dB attenuation ``ADC_ATTEN_DB_12``."""


@dataclass
class UnitResource:
    """The units ``init/0`` claimed; a unit's entry goes False once ``deinit/1`` freed it."""
    handles: dict[int, bool] = field(default_factory=dict)


@dataclass
class ChannelResource:
    """A configured channel: its pin, unit, attenuation index (``adc_atten_t``) and bits;
    ``calibrated`` until ``release_channel/1`` drops its calibration scheme."""
    pin: str
    unit: int
    atten: int
    bits: int
    width_enum: int        # adc_bitwidth_t: 0 (ADC_BITWIDTH_DEFAULT) for bit_max, else bits
    calibrated: bool = True


def _idf_version(vm: Any) -> tuple[int, ...]:
    text = vm.devices.board.chip.get("idf_version", DEFAULT_IDF_VERSION)
    return tuple(int(part) for part in text.lstrip("v").split(".") if part.isdigit())


def _attenuations(vm: Any) -> dict[Atom, int]:
    if _idf_version(vm) > ATTEN_RENAMED_AFTER:
        return {atom("db_0"): 0, atom("db_2_5"): 1, atom("db_6"): 2, atom("db_11"): 3,
                atom("db_12"): 3}
    return {atom("db_0"): 0, atom("db_2_5"): 1, atom("db_6"): 2, atom("db_11"): 3}


def _unit(vm: Any, term: Any) -> UnitResource:
    unit = resource(vm, A_ADC, term, UnitResource)
    if unit is None:
        raise badarg()
    return unit


@native("esp_adc", "init", 0)
def init(ctx: Any) -> Any:
    adc = block_of(ctx.vm, "adc")
    unit = UnitResource()
    for n in sorted(adc.spec.enabled_units):
        if not adc.claim(n):
            return error_tuple(A_BADARG)
        unit.handles[n] = True
    return (OK, new_resource(ctx.vm, A_ADC, unit))


@native("esp_adc", "deinit", 1)
def deinit(ctx: Any, unit_term: Any) -> Any:
    adc = block_of(ctx.vm, "adc")
    unit = _unit(ctx.vm, unit_term)
    for n, held in unit.handles.items():
        if not held:
            return error_tuple(A_BADARG)
        adc.release(n)
        unit.handles[n] = False
    return OK


@native("esp_adc", "acquire", 4)
def acquire(ctx: Any, pin: Any, unit_term: Any, width: Any, attenuation: Any) -> Any:
    vm = ctx.vm
    adc = block_of(vm, "adc")
    try:
        name = vm.devices.pin_for_number(small_int(vm, pin))
    except KeyError:
        raise badarg() from None
    where = adc.channel_of(name)
    if where is None:
        raise badarg()
    unit = _unit(vm, unit_term)
    if where[0] not in unit.handles:
        raise badarg()    # "no enabled ADC unit matching pin"
    bits = {A_BIT_MAX: adc.spec.max_bits,
            **{atom(f"bit_{n}"): n for n in adc.spec.bit_widths}}.get(width)
    atten = _attenuations(vm).get(attenuation)
    if bits is None or atten is None:
        raise badarg()
    if not unit.handles[where[0]]:
        return error_tuple(A_BADARG)
    channel = ChannelResource(name, where[0], atten, bits, 0 if width is A_BIT_MAX else bits)
    return (OK, new_resource(vm, A_ADC, channel))


@native("esp_adc", "release_channel", 1)
def release_channel(ctx: Any, channel_term: Any) -> Any:
    block_of(ctx.vm, "adc")
    channel = resource(ctx.vm, A_ADC, channel_term, ChannelResource)
    if channel is None:
        raise badarg()
    channel.calibrated = False
    return OK


@native("esp_adc", "sample", 3)
def sample(ctx: Any, channel_term: Any, unit_term: Any, options: Any) -> Any:
    vm = ctx.vm
    adc = block_of(vm, "adc")
    channel = resource(vm, A_ADC, channel_term, ChannelResource)
    if channel is None:
        raise badarg()
    unit = _unit(vm, unit_term)
    if channel.unit not in unit.handles or not is_list(options):
        raise badarg()
    samples = proplist_value(options, atom("samples"), DEFAULT_SAMPLES)
    if samples.__class__ is not int or not 1 <= samples <= MAX_SAMPLES:
        raise badarg()
    if not unit.handles[channel.unit]:
        return A_BADARG
    raw = adc.raw(adc.input_mv(channel.pin, vm.devices.analog_volts(channel.pin)),
                  channel.atten, channel.bits)
    return (OK, (raw if proplist_value(options, atom("raw")) is TRUE else UNDEFINED,
                 _millivolts(adc, channel, raw) if proplist_value(options, atom("voltage")) is TRUE
                 else UNDEFINED))


def _millivolts(adc: Any, channel: ChannelResource, raw: int) -> int:
    if channel.calibrated:
        return adc.millivolts(raw, channel.atten, channel.bits)
    return raw * ESTIMATE_MAX_MV[channel.atten] // (1 << channel.width_enum)


charge_results("esp_adc", {
    ("init", 0): ok_resource_words, ("acquire", 4): ok_resource_words,
    ("deinit", 1): tuple_words,
    ("sample", 3): lambda result, args, layout: 6 if result.__class__ is tuple else 0,
})

alias_module("esp_adc", "Elixir.Esp.ADC")   # adc_driver.c answers Esp.ADC.init() etc. too
