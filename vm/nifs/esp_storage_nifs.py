"""``esp`` storage NIFs: NVS (AtomVM's nvs_nif.c), flash partitions (platform_nifs.c) and RTC
slow memory (rtc_slow_nif.c), over the board's ``EspChip`` (``vm.devices.esp``).

Returns and errors are AtomVM's: NVS failures other than a missing entry raise the
``esp_err_t`` code itself (``error:4357`` is ESP_ERR_NVS_NOT_ENOUGH_SPACE, ``error:4361``
ESP_ERR_NVS_KEY_TOO_LONG) after the line AtomVM prints on the console; partition calls answer
``error`` for a partition that is not a data partition or a range ESP-IDF refuses.

On the device, AtomVM copies a namespace or key atom into a 16-byte buffer without checking
its length; avmsim answers what ESP-IDF does with a name longer than 15 bytes (writes fail
with KEY_TOO_LONG, reads find nothing).
"""
from __future__ import annotations

from typing import Any

from avmsim.peripherals.flash_partitions import FlashRangeError
from avmsim.peripherals.nvs import ESP_ERR_NVS_NOT_FOUND, NvsError

from ..errors import ErlangError, error
from ..natives import native
from ..term_size import REFC_BINARY_WORDS
from ..terms import ERROR, NIL, OK, atom, from_list
from ._util import badarg, charge_results, charlist_str, need_atom, need_binary, need_int, \
    new_binary, whole
from .platform_nifs import _esp

A_NOT_FOUND = atom("not_found")
A_NAMESPACE_NOT_FOUND = atom("namespace_not_found")
A_UNDEFINED = atom("undefined")
A_UNDEF = atom("undef")


def esp_chip(ctx: Any) -> Any:
    """The board's EspChip; ``undef`` where there is none (not an ESP32, or a bare VM)."""
    chip = _esp(ctx).esp
    if chip is None:
        raise ErlangError(ERROR, A_UNDEF)
    return chip


def _nvs(ctx: Any) -> Any:
    nvs = esp_chip(ctx).nvs
    if nvs is None:   # a board without an nvs partition: nvs_flash_init fails at boot
        raise ErlangError(ERROR, A_UNDEFINED)
    return nvs


def _names(*terms: Any) -> list[str]:
    return [need_atom(t).name for t in terms]


def _fail(ctx: Any, message: str, exc: NvsError) -> ErlangError:
    """AtomVM prints the failure on the console, then raises the esp_err_t code."""
    ctx.vm.console_write(f"{message} err={exc.code}\n".encode())
    return error(exc.code)


# ---------------------------------------------------------------------------- NVS

@native("esp", "nvs_fetch_binary", 2)
def nvs_fetch_binary(ctx: Any, namespace: Any, key: Any) -> Any:
    ns, k = _names(namespace, key)
    try:
        return (OK, _nvs(ctx).get(ns, k))
    except NvsError as exc:   # reads only fail with NOT_FOUND
        return (ERROR, A_NAMESPACE_NOT_FOUND if exc.what == "namespace" else A_NOT_FOUND)


@native("esp", "nvs_put_binary", 3)
def nvs_put_binary(ctx: Any, namespace: Any, key: Any, value: Any) -> Any:
    ns, k = _names(namespace, key)
    data = need_binary(value)
    try:
        _nvs(ctx).set(ns, k, data)
    except NvsError as exc:
        raise _fail(ctx, f"Unable to set NVS blob. namespace='{ns}' key='{k}' "
                         f"size={len(data)}", exc) from None
    return OK


@native("esp", "nvs_erase_key", 2)
def nvs_erase_key(ctx: Any, namespace: Any, key: Any) -> Any:
    ns, k = _names(namespace, key)
    try:
        _nvs(ctx).erase_key(ns, k)
    except NvsError as exc:
        if exc.code != ESP_ERR_NVS_NOT_FOUND:   # no such entry: ok, as in AtomVM
            raise _fail(ctx, f"Unable to erase key. namespace='{ns}' key='{k}'", exc) from None
    return OK


@native("esp", "nvs_erase_all", 1)
def nvs_erase_all(ctx: Any, namespace: Any) -> Any:
    (ns,) = _names(namespace)
    try:
        _nvs(ctx).erase_all(ns)
    except NvsError as exc:
        raise _fail(ctx, f"Unable to erase all. namespace='{ns}'", exc) from None
    return OK


@native("esp", "nvs_reformat", 0)
def nvs_reformat(ctx: Any) -> Any:
    _nvs(ctx).erase_partition()
    ctx.vm.console_write(b"Warning: Reformatted NVS partition!\n")
    return OK


# ---------------------------------------------------------------------------- partitions

def _partition(ctx: Any, name: Any) -> Any:
    """The data partition labelled ``name`` (a binary or a string), or None."""
    label = name.decode("latin-1") if name.__class__ is bytes else charlist_str(name)
    return esp_chip(ctx).flash.find_data(label)


def _offset_size(offset: Any, size: Any) -> tuple[int, int]:
    return need_int(offset), need_int(size)


@native("esp", "partition_list", 0)
def partition_list(ctx: Any) -> Any:
    """``[{Label, Type, Subtype, Address, Size, []}]`` in partition table order."""
    return from_list([(p.label.encode(), p.type, p.subtype, p.offset, p.size, NIL)
                      for p in esp_chip(ctx).flash.table])


@native("esp", "partition_read", 3)
def partition_read(ctx: Any, name: Any, offset: Any, size: Any) -> Any:
    part = _partition(ctx, name)
    if part is None:
        return ERROR
    offset, size = _offset_size(offset, size)
    if size < 0:
        raise badarg()
    try:
        return (OK, esp_chip(ctx).flash.read(part, offset, size))
    except FlashRangeError:
        return ERROR


@native("esp", "partition_mmap", 3)
def partition_mmap(ctx: Any, name: Any, offset: Any, size: Any) -> Any:
    """The mapped bytes as a binary (a copy: the mapping is read once)."""
    return partition_read(ctx, name, offset, size)


@native("esp", "partition_write", 3)
def partition_write(ctx: Any, name: Any, offset: Any, data: Any) -> Any:
    part = _partition(ctx, name)
    if part is None:
        return ERROR
    offset = need_int(offset)
    try:
        esp_chip(ctx).flash.program(part, offset, need_binary(data))
    except FlashRangeError:
        return ERROR
    return OK


def _erase(ctx: Any, name: Any, offset: Any, size: Any = None) -> Any:
    part = _partition(ctx, name)
    if part is None:
        return ERROR
    offset = need_int(offset)
    size = part.size - offset if size is None else need_int(size)
    try:
        esp_chip(ctx).flash.erase(part, offset, size)
    except FlashRangeError:
        return ERROR
    return OK


@native("esp", "partition_erase_range", 2)
def partition_erase_range2(ctx: Any, name: Any, offset: Any) -> Any:
    return _erase(ctx, name, offset)


@native("esp", "partition_erase_range", 3)
def partition_erase_range3(ctx: Any, name: Any, offset: Any, size: Any) -> Any:
    return _erase(ctx, name, offset, size)


# ---------------------------------------------------------------------------- RTC slow memory

@native("esp", "rtc_slow_get_binary", 0)
def rtc_slow_get_binary(ctx: Any) -> Any:
    """The stored binary; ``badarg`` when none is (its checksum fails), as in AtomVM."""
    data = esp_chip(ctx).rtc_slow.data
    if data is None:
        raise badarg()
    return bytes(memoryview(data))


@native("esp", "rtc_slow_set_binary", 1)
def rtc_slow_set_binary(ctx: Any, data: Any) -> Any:
    if not esp_chip(ctx).rtc_slow.set(need_binary(data)):
        raise badarg()
    return OK


def _mapped(result: Any, args: tuple, layout: Any) -> int:
    """``{ok, Binary}`` over mapped flash: a resource binary's boxed words and the tuple;
    its data stays in flash (no block of RAM)."""
    return REFC_BINARY_WORDS + 3 if result.__class__ is tuple else 0


# nvs_nif.c: {ok, Binary} built anew; platform_nifs.c partition_read/list: new tuples,
# binaries and list cells; rtc_slow_nif.c: a binary copied out of RTC memory.
charge_results("esp", {
    ("nvs_fetch_binary", 2): whole, ("partition_list", 0): whole,
    ("partition_read", 3): whole, ("partition_mmap", 3): _mapped,
    ("rtc_slow_get_binary", 0): new_binary,
}, {("nvs_fetch_binary", 2): lambda r: r[1] if r[0] is OK else None,
    ("partition_read", 3): lambda r: r[1] if r.__class__ is tuple else None,
    ("partition_mmap", 3): lambda r: None})
