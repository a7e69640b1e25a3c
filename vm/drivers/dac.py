"""The DAC as AtomVM exposes it: the NIFs of the ``esp_dac`` module over the board's DAC model.

AtomVM's ``dac_driver.c`` (ESP-IDF oneshot driver; built for the ESP32 and S2 only, so on the
C3 the module's stubs raise ``error:undefined``):

- ``oneshot_new_channel_p/1`` (0 or 1): ``{ok, {'$dac', Channel, Ref}}``; a channel already in
  use ``{error, invalid_state}``; another number ``{error, badarg}``.
- ``oneshot_output_voltage/2`` (Channel, 0..255): ``ok``; a level that is not 0..255 raises
  ``badarg``; a term that is not a live channel gives ``{error, badarg}``.
- ``oneshot_del_channel/1``: ``ok``; a channel already deleted ``{error, badarg}``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import badarg
from ..natives import native
from ..nifs._util import charge_results
from ..terms import OK, atom
from .esp_nif_terms import (A_BADARG, block_of, error_tuple, new_resource, ok_resource_words,
                            resource, tuple_words)

A_DAC = atom("$dac")
A_INVALID_STATE = atom("invalid_state")


@dataclass
class OneshotChannel:
    """A channel handle; ``live`` until ``oneshot_del_channel`` (ESP-IDF's handle NULL)."""
    channel: int
    live: bool = True


def _live(vm: Any, term: Any) -> OneshotChannel | None:
    handle = resource(vm, A_DAC, term, OneshotChannel)
    return handle if handle is not None and handle.live else None


@native("esp_dac", "oneshot_new_channel_p", 1)
def oneshot_new_channel_p(ctx: Any, chan: Any) -> Any:
    dac = block_of(ctx.vm, "dac")
    if chan.__class__ is not int or not 0 <= chan & 0xFF < len(dac.pins):
        return error_tuple(A_BADARG)           # ESP_ERR_INVALID_ARG
    if not dac.claim(chan & 0xFF):
        return error_tuple(A_INVALID_STATE)    # "channel has been registered already"
    return (OK, new_resource(ctx.vm, A_DAC, OneshotChannel(chan & 0xFF)))


@native("esp_dac", "oneshot_output_voltage", 2)
def oneshot_output_voltage(ctx: Any, chan: Any, level: Any) -> Any:
    dac = block_of(ctx.vm, "dac")
    if level.__class__ is not int or not 0 <= level <= 255:
        raise badarg()
    handle = _live(ctx.vm, chan)
    if handle is None:
        return error_tuple(A_BADARG)
    dac.output(handle.channel, level)
    return OK


@native("esp_dac", "oneshot_del_channel", 1)
def oneshot_del_channel(ctx: Any, chan: Any) -> Any:
    dac = block_of(ctx.vm, "dac")
    handle = _live(ctx.vm, chan)
    if handle is None:
        return error_tuple(A_BADARG)
    dac.release(handle.channel)
    handle.live = False
    return OK


charge_results("esp_dac", {
    ("oneshot_new_channel_p", 1): ok_resource_words,
    ("oneshot_output_voltage", 2): tuple_words,
    ("oneshot_del_channel", 1): tuple_words,
})
