"""Binding local funs decoded from the external term format (NEW_FUN_EXT) to code.

A local fun in the external format names its module, its FunT index, its arity, the entry's
old index and old uniq, and carries its free variables. AtomVM (external_term.c) binds it to
the loaded module when that module is found (loading it from the packs if needed) and its
FunT entry at that index has the same total arity, old index and old uniq. Otherwise the fun
keeps those fields itself: it compares and encodes back byte for byte, and calling it is
``error:undef`` (opcodesswitch.h, call_fun).

In avmsim such a fun is a :class:`~.terms.Fun` whose ``module`` is an :class:`UnboundModule`;
:func:`fun_entry` is the one place that finds a fun's FunT entry, bound or not.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, NoReturn

from .errors import UNDEF, error
from .terms import UNDEFINED, Atom, Fun

if TYPE_CHECKING:
    from .beam_file import FunEntry   # here: beam_file imports ext_term, which imports us


class UnboundModule:
    """The module slot of a decoded fun whose code is not loaded here.

    ``entry`` holds what the external format said about the FunT entry; its ``function`` is
    ``undefined`` (the format does not carry the name) and its ``label`` -1 (no code).
    """

    __slots__ = ("name", "entry")

    def __init__(self, name: Atom, entry: FunEntry) -> None:
        self.name = name
        self.entry = entry

    @property
    def fun_blocks(self) -> NoReturn:
        """Calling the fun: there is no code to enter."""
        raise error(UNDEF)


def fun_entry(f: Fun) -> FunEntry | None:
    """The FunT entry (function, arity, index, num_free, old_uniq) of a local fun, if known."""
    module = f.module
    if module.__class__ is UnboundModule:
        return module.entry
    funs = getattr(getattr(module, "beam", None), "funs", None)
    if funs is not None and 0 <= f.index < len(funs):
        return funs[f.index]
    return None


def fun_resolver(get_module: Callable[[Atom], Any]) -> Callable[..., Fun]:
    """A resolver for :func:`~.ext_term.decode_ext`: ``get_module(name)`` gives the loaded
    module of that name (loading it when it can) or None."""
    from .beam_file import FunEntry   # here: beam_file imports ext_term, which imports us

    def resolve(module: Atom, index: int, arity: int, old_index: int, old_uniq: int,
                free: tuple) -> Fun:
        loaded = get_module(module)
        funs = getattr(getattr(loaded, "beam", None), "funs", ())
        entry = funs[index] if 0 <= index < len(funs) else None
        if (entry is not None and entry.arity == arity + len(free)
                and entry.index == old_index and entry.old_uniq == old_uniq & 0xFFFFFFFF):
            return Fun(loaded, index, arity, free)
        detached = FunEntry(UNDEFINED, arity + len(free), -1, old_index, len(free), old_uniq)
        return Fun(UnboundModule(module, detached), index, arity, free)
    return resolve
