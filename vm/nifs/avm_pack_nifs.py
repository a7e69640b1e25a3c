"""``atomvm`` NIFs over the open packs: open and close packs at run time, find a pack's start
module, read a data file (``<app>/priv/<path>``).

This is how AtomVM's ESP32 boot code (``esp32init``) loads the app: it opens
``/dev/partition/by-name/main.avm`` as pack ``app``, asks ``get_start_beam(app)`` and calls
that module. Return values and error terms are those of libAtomVM ``nifs.c``. Where a path
leads depends on the platform, as each port's ``sys_open_avm_from_file`` decides: ESP32 maps a
flash partition by its label (the VM reads flash through ``vm.read_partition``, wired by the
simulation), generic_unix reads a host file, RP2 and STM32 answer ``not_supported``.

RAM (``sizeof`` the pack structs of ``avmpack.h`` and the ports): a pack executes in place
from its partition or mapped file, so it costs only its struct; one from a binary keeps the
binary (a refc binary stays alive while the pack is open, a const one — a literal or a
``read_priv`` result — costs nothing more, a heap binary is copied into a malloc'ed block).
A binary the VM holds no refc entry for counts as const: a sub-binary, which AtomVM would
copy, is undercharged.
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import BadPackError, ErlangError
from ..host_files import read_host_file
from ..natives import native
from ..pack_table import UNNAMED, OpenPack
from ..term_size import REFC_BINARY_WORDS, WordLayout
from ..terms import ERROR, NIL, OK, Atom, Cons, atom
from ._util import badarg, charge_results, is_list, iolist_bytes, need_atom, new_binary

A_NAME = atom("name")
A_OUT_OF_MEMORY = atom("out_of_memory")
A_CANNOT_OPEN = atom("cannot_open")
A_INVALID_AVM = atom("invalid_avm")
A_NOT_SUPPORTED = atom("not_supported")
A_NO_START_BEAM = atom("no_start_beam")
A_NOT_FOUND = atom("avm_pack_not_found")
A_UNDEFINED = atom("undefined")

PACK_STRUCT_WORDS = 6
"""``struct AVMPackData``: obj_info, list head (2), in_use, name_atom_id, data; a
ConstAVMPack or InMemoryAVMPack is just that."""
HANDLE_PACK_STRUCT_WORDS = PACK_STRUCT_WORDS + 1
"""A pack struct with one more field: the partition's mmap handle (ESP32PartAVMPack), the
mapped file (MappedFileAVMPack) or the refc binary it holds (RefcBinaryAVMPack)."""

PARTITIONS_BY_NAME = "/dev/partition/by-name/"


def _esp32_pack_bytes(vm: Any, path: str) -> bytes | Atom:
    """A flash partition by its label; there is no mounted file system to look in."""
    if not path.startswith(PARTITIONS_BY_NAME) or vm.read_partition is None:
        return A_CANNOT_OPEN
    data = vm.read_partition(path[len(PARTITIONS_BY_NAME):])
    return A_CANNOT_OPEN if data is None else data


def _host_file_bytes(vm: Any, path: str) -> bytes | Atom:
    data = read_host_file(path)
    return A_CANNOT_OPEN if data is None else data


def _unsupported(vm: Any, path: str) -> bytes | Atom:
    return A_NOT_SUPPORTED


PACK_OPENERS: dict[str, Callable[[Any, str], bytes | Atom]] = {
    "esp32": _esp32_pack_bytes,
    "generic_unix": _host_file_bytes,
    "pico": _unsupported,
    "stm32": _unsupported,
}
"""Platform -> how ``add_avm_pack_file`` reaches a path: the pack's bytes or the reason."""


def _pack_name(opts: Any) -> Any:
    """``{name, N}`` from the options (``false`` without one: atom index 0)."""
    t = opts
    while t.__class__ is Cons:
        item = t.hd
        if item.__class__ is tuple and len(item) == 2 and item[0] is A_NAME:
            return item[1]
        t = t.tl
    return UNNAMED


def _charge(vm: Any, pack: OpenPack, sizes: list[int]) -> None:
    """Allocate ``sizes`` bytes for ``pack`` from the board's RAM (``out_of_memory``)."""
    if vm.charges is None:
        return
    try:
        for size in sizes:
            pack.ram_blocks.append(vm.charges.ram.allocate(size, "avm_pack"))
    except MemoryError:
        _release(vm, pack)
        raise ErlangError(ERROR, A_OUT_OF_MEMORY) from None


def _release(vm: Any, pack: OpenPack) -> None:
    """Give back what a closed pack held: its blocks, the refc binary it kept alive."""
    for block in pack.ram_blocks:
        vm.charges.release(block)
    pack.ram_blocks = []
    if pack.refc:
        vm.refc.exited(pack)


@native("atomvm", "add_avm_pack_binary", 2)
def add_avm_pack_binary(ctx: Any, data: Any, opts: Any) -> Any:
    """Open the pack in a binary, searched after the packs already open."""
    vm = ctx.vm
    if data.__class__ is not bytes or not is_list(opts):
        raise badarg()
    try:
        pack = OpenPack.read(data, f"<binary of {len(data)} bytes>")
    except BadPackError:
        raise badarg() from None
    name = _pack_name(opts)
    if name.__class__ is not Atom:
        raise badarg()
    pack.name = name
    word = vm.word_size
    if id(data) in vm.refc.table:
        _charge(vm, pack, [HANDLE_PACK_STRUCT_WORDS * word])
        vm.refc.received(pack, data)
    elif len(data) >= vm.refc.threshold:   # a const binary (literal, read_priv): in flash
        _charge(vm, pack, [PACK_STRUCT_WORDS * word])
    else:
        _charge(vm, pack, [len(data), PACK_STRUCT_WORDS * word])
    vm.packs.add(pack)
    return OK


@native("atomvm", "add_avm_pack_file", 2)
def add_avm_pack_file(ctx: Any, path: Any, opts: Any) -> Any:
    """Open the pack at ``path`` (a byte string), searched before the packs already open."""
    vm = ctx.vm
    if not is_list(opts):
        raise badarg()
    text = _byte_string(path)
    found = PACK_OPENERS.get(vm.platform.name, _unsupported)(vm, text)
    if found.__class__ is Atom:
        return (ERROR, found)
    try:
        pack = OpenPack.read(found, text)
    except BadPackError:
        return (ERROR, A_INVALID_AVM)
    name = _pack_name(opts)
    if name.__class__ is not Atom:
        raise badarg()
    pack.name = name
    _charge(vm, pack, [HANDLE_PACK_STRUCT_WORDS * vm.word_size])
    vm.packs.add(pack, first=True)
    return OK


def _byte_string(t: Any) -> str:
    """A path as ``interop_list_to_string`` takes it: a proper list of bytes."""
    out = bytearray()
    while t.__class__ is Cons:
        c = t.hd
        if c.__class__ is not int or not 0 <= c <= 255:
            raise badarg()
        out.append(c)
        t = t.tl
    if t is not NIL:
        raise badarg()
    return out.decode("latin-1")


@native("atomvm", "close_avm_pack", 2)
def close_avm_pack(ctx: Any, name: Any, _opts: Any) -> Any:
    """Close the packs of that name: ``ok``, or ``error`` when none is open or one is in use
    (a module was loaded through it, or a data file read from it)."""
    vm = ctx.vm
    all_closed, closed = vm.packs.close(need_atom(name))
    for pack in closed:
        _release(vm, pack)
    return OK if all_closed else ERROR


@native("atomvm", "get_start_beam", 1)
def get_start_beam(ctx: Any, name: Any) -> Any:
    """``{ok, <<"mod.beam">>}`` for the first pack of that name."""
    pack = ctx.vm.packs.named(need_atom(name))
    if pack is None:
        return (ERROR, A_NOT_FOUND)
    start = pack.start_beam()
    return (ERROR, A_NO_START_BEAM) if start is None else (OK, start.encode("utf-8"))


@native("atomvm", "read_priv", 2)
def read_priv(ctx: Any, app: Any, path: Any) -> Any:
    """The contents of ``<App>/priv/<Path>`` in the first pack holding it, or ``undefined``;
    a const binary whose bytes stay in flash."""
    vm = ctx.vm
    need_atom(app)
    if not vm.packs.packs:
        raise badarg()
    if path.__class__ is not bytes and not is_list(path):
        raise badarg()
    name = f"{app.name}/priv/{iolist_bytes(path).decode('latin-1')}"
    data = vm.packs.data_file(name)
    return A_UNDEFINED if data is None else data


def _tagged(result: Any, args: tuple, layout: WordLayout) -> int:
    """``{Tag, Value}`` built anew (a binary value too); an atom answer costs nothing."""
    if result.__class__ is not tuple:
        return 0
    return len(result) + 1 + new_binary(result[1], args, layout)


def _const_binary(result: Any, args: tuple, layout: WordLayout) -> int:
    """A const binary is always a boxed refc binary (``term_from_const_binary``)."""
    return REFC_BINARY_WORDS if result.__class__ is bytes else 0


charge_results("atomvm", {
    ("add_avm_pack_file", 2): _tagged, ("get_start_beam", 1): _tagged,
    ("read_priv", 2): _const_binary,
}, {("read_priv", 2): lambda result: None})
