"""The loaded-modules natives of libAtomVM ``nifs.c``: ``erlang:loaded/0``,
``erlang:module_loaded/1``, ``code_server:is_loaded/1`` and the ``code`` module's
``all_loaded/0``, ``all_available/0``, ``ensure_loaded/1``, ``get_object_code/1``,
``load_binary/3``, ``load_abs/1``.

AtomVM differs from OTP here: asking about a module (``module_loaded/1``, ``ensure_loaded/1``,
``get_object_code/1``) goes through ``globalcontext_get_module``, which loads it from the
open packs when it is not loaded yet, so ``module_loaded(lists)`` is ``true`` as soon as the
library pack holds ``lists``. Listings come newest load first (each NIF prepends the modules
in load order). A module that cannot be found gives ``{error, embedded}`` /
``error``; a binary that is not a loadable BEAM raises ``out_of_memory`` (AtomVM's answer
when ``module_new_from_iff_binary`` fails); a second module of a loaded name replaces it.
``code:load_abs/1`` reads ``Path ++ ".beam"`` through the platform's
``sys_load_module_from_file``: generic_unix reads the host file (``host_files``); the
microcontroller boards have no file system (as AtomVM's RP2 and STM32 ports), so there, and
for a file that cannot be read, it raises ``out_of_memory``.
"""
from __future__ import annotations

from typing import Any

from ..beam_file import parse_beam
from ..errors import LoadError, badarg, error
from ..natives import native
from ..term_size import REFC_BINARY_WORDS
from ..terms import ATOMS, ERROR, FALSE, TRUE, UNDEFINED, Atom, atom, from_list
from ._util import (cells, charge_results, charlist_str, is_list, list_cells, need_atom,
                    new_tuple, whole)

A_MODULE = atom("module")
A_EMBEDDED = atom("embedded")
A_OUT_OF_MEMORY = atom("out_of_memory")


def _newest_first(vm: Any) -> list[Any]:
    return list(reversed(vm.modules.values()))


def _beam_bytes(vm: Any, name: Atom) -> bytes:
    """The BEAM a loaded module came from (a load_binary/3 binary is kept in ``vm.beams``)."""
    src = vm.beams.get(name) or vm.packs.find_module(name.name)
    return src[0]


@native("erlang", "loaded", 0)
def loaded(ctx: Any) -> Any:
    return from_list([m.name for m in _newest_first(ctx.vm)])


@native("erlang", "module_loaded", 1)
def module_loaded(ctx: Any, name: Any) -> Any:
    return TRUE if ctx.vm.get_module(need_atom(name)) is not None else FALSE


@native("code_server", "is_loaded", 1)
def code_server_is_loaded(ctx: Any, name: Any) -> Any:
    """As ``module_loaded/1`` on an emulator build (a JIT build also wants native code)."""
    return module_loaded(ctx, name)


@native("code", "all_loaded", 0)
def all_loaded(ctx: Any) -> Any:
    return from_list([(m.name, UNDEFINED) for m in _newest_first(ctx.vm)])


@native("code", "all_available", 0)
def all_available(ctx: Any) -> Any:
    """Loaded modules ``{<<"Name">>, undefined, true}``, then the packs' others with
    ``false``. As AtomVM's fold, a pack already in use loads each module whose name is an
    existing atom (so those count as loaded); a pack not yet in use is listed as it is."""
    vm = ctx.vm
    not_loaded = []
    for pack in list(vm.packs.packs):
        for section in list(pack.sections.values()):
            if not (section.is_beam and len(section.name) > 5 and section.name.endswith(".beam")):
                continue
            name = section.name[:-5]
            if pack.in_use and name in ATOMS and vm.get_module(ATOMS[name]) is not None:
                continue
            not_loaded.append((name.encode(), UNDEFINED, FALSE))
    listed = [(m.name.name.encode(), UNDEFINED, TRUE) for m in _newest_first(vm)]
    return from_list(listed + not_loaded[::-1])


@native("code", "ensure_loaded", 1)
def ensure_loaded(ctx: Any, name: Any) -> Any:
    if ctx.vm.get_module(need_atom(name)) is None:
        return (ERROR, A_EMBEDDED)
    return (A_MODULE, name)


@native("code", "get_object_code", 1)
def get_object_code(ctx: Any, name: Any) -> Any:
    vm = ctx.vm
    if vm.get_module(need_atom(name)) is None:
        return ERROR
    return (name, _beam_bytes(vm, name), from_list([ord(c) for c in f"{name.name}.beam"]))


def _load(vm: Any, binary: bytes, origin: str) -> Atom:
    """Load a BEAM as ``globalcontext_insert_module``: its module name. A module of that
    name already loaded is replaced (the modules table maps the name to the newest);
    ``out_of_memory`` when it is not a loadable BEAM."""
    try:
        beam = parse_beam(binary, origin)
    except LoadError:
        raise error(A_OUT_OF_MEMORY) from None
    before = vm.beams.get(beam.name), vm.modules.pop(beam.name, None)
    vm.beams[beam.name] = (binary, origin)
    vm.parsed[beam.name] = beam
    try:
        vm.get_module(beam.name)
    except LoadError:
        _restore(vm, beam.name, *before)
        raise error(A_OUT_OF_MEMORY) from None
    return beam.name


def _restore(vm: Any, name: Atom, beam_source: Any, module: Any) -> None:
    """Undo a failed load: the module loaded before (if any) keeps the name."""
    vm.parsed.pop(name, None)
    if beam_source is None:
        vm.beams.pop(name, None)
    else:
        vm.beams[name] = beam_source
    if module is not None:
        vm.modules[name] = module


@native("code", "load_binary", 3)
def load_binary(ctx: Any, name: Any, filename: Any, binary: Any) -> Any:
    need_atom(name)
    if binary.__class__ is not bytes:
        raise badarg()
    _load(ctx.vm, binary, f"code:load_binary({name.name})")
    return (A_MODULE, name)


@native("code", "load_abs", 1)
def load_abs(ctx: Any, path: Any) -> Any:
    if not is_list(path):
        raise badarg()
    found = ctx.vm.module_file(charlist_str(path) + ".beam")
    if found is None:
        raise error(A_OUT_OF_MEMORY)
    return (A_MODULE, _load(ctx.vm, *found))


def _available_words(result: Any, args: tuple, layout: Any) -> int:
    """A cell, a 3-tuple and a const binary (boxed refc size, no off-heap block) each."""
    return list_cells(result) // 2 * (2 + 4 + REFC_BINARY_WORDS)


def _tuple_words(result: Any, args: tuple, layout: Any) -> int:
    """A 2-tuple, or nothing for the atom ``error``."""
    return new_tuple(result, args, layout) if result.__class__ is tuple else 0


def _none_built(result: Any) -> None:
    """The binaries point at the loaded BEAMs and atom names (const): no block to track."""
    return None


charge_results("erlang", {("loaded", 0): cells})
charge_results("code", {
    ("all_loaded", 0): whole, ("all_available", 0): _available_words,
    ("ensure_loaded", 1): new_tuple, ("get_object_code", 1): whole,
    ("load_binary", 3): _tuple_words,
}, binaries={("all_available", 0): _none_built, ("get_object_code", 1): _none_built})
