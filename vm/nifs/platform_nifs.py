"""Platform modules: ``atomvm`` (platform, random numbers) and ``esp`` (the chip itself).

Random numbers come from a generator seeded at boot (``vm.random``), so that the same
inputs give the same run; the chip facts (clock, MAC, reset reason) come from the board
wiring (``vm.devices``). ``esp`` functions are ``undef`` on boards that are not ESP32s.
"""
from __future__ import annotations

from typing import Any

from ..errors import ErlangError, Restart
from ..natives import native
from ..terms import ERROR, OK, Atom, Map, atom, from_list, from_str
from .process_nifs import SYSTEM_INFO
from ._util import badarg, charge_results, new_binary, new_number, whole

A_UNDEF = atom("undef")
A_ESP32 = atom("esp32")


@native("atomvm", "platform", 0)
def platform(ctx: Any) -> Any:
    return ctx.vm.platform


@native("atomvm", "random", 0)
def random(ctx: Any) -> Any:
    """A random 32-bit unsigned integer, as AtomVM's ``atomvm:random/0``."""
    return ctx.vm.random.getrandbits(32)


@native("atomvm", "rand_bytes", 1)
def rand_bytes(ctx: Any, n: Any) -> Any:
    if n.__class__ is not int or n < 0:
        raise badarg()
    return ctx.vm.random.randbytes(n)


def _esp(ctx: Any) -> Any:
    """The ESP32 board's devices; ``undef`` elsewhere, as the module does not exist there."""
    devices = ctx.vm.devices
    if ctx.vm.platform is not A_ESP32 or devices is None:
        raise ErlangError(ERROR, A_UNDEF)
    return devices


@native("esp", "restart", 0)
def restart(ctx: Any) -> Any:
    _esp(ctx)
    raise Restart()


@native("esp", "reset_reason", 0)
def reset_reason(ctx: Any) -> Any:
    return atom(_esp(ctx).reset_reason)


@native("esp", "freq_hz", 0)
def freq_hz(ctx: Any) -> Any:
    """AtomVM answers the APB clock (``APB_CLK_FREQ``), not the CPU clock."""
    return _esp(ctx).apb_hz


MAC_OFFSETS = {atom("wifi_sta"): 0, atom("wifi_softap"): 1}
"""ESP-IDF derives each interface's MAC from the base (eFuse) MAC: station +0, soft-AP +1."""


@native("esp", "get_mac", 1)
def get_mac(ctx: Any, interface: Any) -> Any:
    """The MAC address of ``wifi_sta`` or ``wifi_softap`` as a 6-byte binary."""
    base = _esp(ctx).mac
    offset = MAC_OFFSETS.get(interface) if interface.__class__ is Atom else None
    if offset is None:
        raise badarg()
    return ((int.from_bytes(base, "big") + offset) % (1 << 48)).to_bytes(6, "big")


@native("esp", "get_default_mac", 0)
def get_default_mac(ctx: Any) -> Any:
    return (OK, _esp(ctx).mac)


@native("esp", "timer_get_time", 0)
def timer_get_time(ctx: Any) -> Any:
    """Microseconds since boot (``esp_timer_get_time``)."""
    _esp(ctx)
    return ctx.vm.monotonic_ns() // 1000


def _esp32_chip_info(vm: Any) -> Any:
    """``#{model, cores, features, revision}`` from the board's chip facts (AtomVM's sys.c)."""
    if vm.platform is not A_ESP32 or vm.devices is None:
        raise badarg()
    chip = vm.devices.board.chip
    return Map.from_pairs([
        (atom("model"), atom(chip["model"])),
        (atom("cores"), chip["cores"]),
        (atom("features"), from_list([atom(f) for f in chip.get("features", ())])),
        (atom("revision"), chip.get("revision", 0))])


def _esp_idf_version(vm: Any) -> Any:
    if vm.platform is not A_ESP32 or vm.devices is None:
        raise badarg()
    return from_str(vm.devices.board.chip.get("idf_version", DEFAULT_IDF_VERSION))


DEFAULT_IDF_VERSION = "v5.1.2"
SYSTEM_INFO.update({"esp32_chip_info": _esp32_chip_info, "esp_idf_version": _esp_idf_version})


BOXED_INT_WORDS = 2
"""term.h BOXED_INT_SIZE: header + one ``avm_int_t``."""


def _boxed_int(result: Any, args: tuple, layout: Any) -> int:
    """``atomvm:random/0``: AtomVM boxes the number whatever its value
    (``term_make_boxed_int`` after ``memory_ensure_free(ctx, BOXED_INT_SIZE)``)."""
    return BOXED_INT_WORDS


# esp32 platform_nifs.c: nif_esp_random, nif_esp_random_bytes, nif_esp_get_mac,
# nif_esp_get_default_mac ({ok, Mac}: TUPLE_SIZE(2) + the binary), nif_esp_timer_get_time
charge_results("atomvm", {("random", 0): _boxed_int, ("rand_bytes", 1): new_binary})
charge_results("esp", {
    ("get_mac", 1): new_binary, ("get_default_mac", 0): whole,
    ("timer_get_time", 0): new_number,
})
