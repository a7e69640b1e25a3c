"""Helpers shared by the native modules: argument checks, list/iolist walking, atoms, and
the heap charges of natives that build their result."""
from __future__ import annotations

from typing import Any, Callable, Iterable

from .. import heap, sub_binaries
from ..errors import ErlangError, badarg, error
from ..natives import NATIVES
from ..process import Process
from ..term_size import WordLayout, binary_words, int_words, term_words
from ..terms import (FALSE, NIL, TRUE, Atom, BitStr, Cons, Map, atom, from_list)

BADMAP = atom("badmap")
BADKEY = atom("badkey")
LATIN1 = atom("latin1")
UNICODE = atom("unicode")
UTF8 = atom("utf8")
NONE = atom("none")


def boolean(b: bool) -> Atom:
    """Python truth value as the atom ``true``/``false``."""
    return TRUE if b else FALSE


def is_list(t: Any) -> bool:
    return t is NIL or t.__class__ is Cons


def proplist_value(options: Any, key: Atom, default: Any = None) -> Any:
    """AtomVM's option lookup (interop_proplist_get_value): the *first* ``{Key, Value}``,
    ``true`` for a bare ``Key``, ``default`` when absent; other elements and an improper
    tail are skipped, as the C code skips them."""
    while options.__class__ is Cons:
        item = options.hd
        if item.__class__ is tuple and len(item) == 2 and item[0] is key:
            return item[1]
        if item is key:
            return TRUE
        options = options.tl
    return default


def list_items(t: Any) -> list[Any]:
    """Elements of a proper list; ``badarg`` for anything else."""
    out = []
    while t.__class__ is Cons:
        out.append(t.hd)
        t = t.tl
    if t is not NIL:
        raise badarg()
    return out


def need_int(t: Any) -> int:
    if t.__class__ is not int:
        raise badarg()
    return t


def need_atom(t: Any) -> Atom:
    if t.__class__ is not Atom:
        raise badarg()
    return t


def need_binary(t: Any) -> bytes:
    if t.__class__ is not bytes:
        raise badarg()
    return t


def need_map(t: Any) -> Map:
    if t.__class__ is not Map:
        raise error((BADMAP, t))
    return t


def iolist_bytes(t: Any) -> bytes:
    """Bytes of an iolist (bytes 0..255, binaries, nested lists, binary tail) or a binary.

    As AtomVM's ``interop_chardata_fold``, a list may also end in a byte (``[1 | 2]`` is
    ``<<1, 2>>``), which OTP refuses."""
    if t.__class__ is bytes:
        return t
    if t.__class__ is not Cons and t is not NIL:
        raise badarg()
    out = bytearray()
    stack = [t]
    while stack:
        t = stack.pop()
        while t.__class__ is Cons:
            h = t.hd
            if h.__class__ is int:
                if not 0 <= h <= 255:
                    raise badarg()
                out.append(h)
            elif h.__class__ is bytes:
                out += h
            elif h.__class__ is Cons:
                stack.append(t.tl)
                t = h
                continue
            elif h is not NIL:
                raise badarg()
            t = t.tl
        if t.__class__ is bytes:
            out += t
        elif t.__class__ is int and 0 <= t <= 255:
            out.append(t)
        elif t is not NIL:
            raise badarg()
    return bytes(out)


def charlist_str(t: Any) -> str:
    """A flat list of Unicode code points as a str; ``badarg`` otherwise."""
    chars = []
    while t.__class__ is Cons:
        c = t.hd
        if c.__class__ is not int or not (0 <= c <= 0x10FFFF) or 0xD800 <= c <= 0xDFFF:
            raise badarg()
        chars.append(chr(c))
        t = t.tl
    if t is not NIL:
        raise badarg()
    return "".join(chars)


def bytes_list(data: bytes, tail: Any = NIL) -> Any:
    """Erlang list of the byte values of ``data``."""
    return from_list(list(data), tail)


def str_list(s: str) -> Any:
    return from_list([ord(c) for c in s])


def pairs_list(pairs: Iterable[tuple[Any, Any]]) -> Any:
    return from_list([(k, v) for k, v in pairs])


def make_atom(name: str, ctx: Any = None) -> Atom:
    """``atom(name)``, with OTP's limit of 255 characters (``system_limit`` beyond). Made by
    a process on a board with RAM (``ctx``), an atom new to the atom table takes that RAM as
    AtomVM's does; when it cannot: ``error:out_of_memory``."""
    if len(name) > 255:
        raise ErlangError(atom("error"), atom("system_limit"))
    charges = getattr(getattr(ctx, "vm", None), "charges", None)
    if charges is not None:
        try:
            charges.runtime_atom(name)
        except MemoryError:
            raise ErlangError(atom("error"), atom("out_of_memory")) from None
    return atom(name)


def is_bitstring(t: Any) -> bool:
    return t.__class__ is bytes or t.__class__ is BitStr


# ----------------------------------------------------------------------------- heap charges

WordsOf = Callable[[Any, tuple, WordLayout], int]
"""``words_of(result, args, layout)``: heap words a native built for ``result``."""


def list_cells(t: Any) -> int:
    """Words of a list's own cells (2 per cell), not of its elements."""
    n = 0
    while t.__class__ is Cons:
        n += 2
        t = t.tl
    return n


def cells(result: Any, args: tuple, layout: WordLayout) -> int:
    """A new list whose elements are immediates or shared with the arguments."""
    return list_cells(result)


def whole(result: Any, args: tuple, layout: WordLayout) -> int:
    """A result built entirely anew (strings, decoded or copied terms)."""
    return term_words(result, layout)


def new_tuple(result: Any, args: tuple, layout: WordLayout) -> int:
    """A new tuple whose elements are immediates or shared."""
    return len(result) + 1


def new_map(result: Any, args: tuple, layout: WordLayout) -> int:
    """A new map (header, keys tuple and values; keys and values are shared)."""
    return 3 + 2 * len(result) if result.__class__ is Map else 0


def new_binary(result: Any, args: tuple, layout: WordLayout) -> int:
    """A new binary: a heap binary, or a refc binary's 6 on-heap words (facts §5)."""
    if result.__class__ is bytes:
        return binary_words(len(result), layout)
    if result.__class__ is BitStr:
        return binary_words(len(result.data), layout)
    return 0


def new_number(result: Any, args: tuple, layout: WordLayout) -> int:
    """A number: boxed unless a small integer."""
    if result.__class__ is float:
        return layout.float_words
    return int_words(result, layout) if result.__class__ is int else 0


def new_ref(result: Any, args: tuple, layout: WordLayout) -> int:
    return layout.ref_words


def copied_prefix(index: int) -> WordsOf:
    """A list whose first cells copy argument ``index`` (``++``, ``lists:reverse/2``)."""
    return lambda result, args, layout: list_cells(args[index])


def unless_argument(words_of: WordsOf) -> WordsOf:
    """No allocation when the native hands back its first argument itself
    (``iolist_to_binary(B)``, ``base64:encode(<<>>)``: AtomVM returns the term it was given)."""
    return lambda result, args, layout: 0 if result is args[0] else words_of(result, args, layout)


def fresh_bytes(data: bytes) -> bytes:
    """A copy of ``data`` that is a new object, for natives where AtomVM builds a new binary
    with the same bytes (``binary:copy/1``): refc binaries are told apart by identity
    (``vm/refc_binaries.py``), and ``bytes(b)`` or ``b[:]`` would hand back ``b`` itself."""
    return bytes(memoryview(data))


# ----------------------------------------------------------------------------- refc binaries

BinariesOf = Callable[[Any], Any]
"""``binaries_of(result)``: the part of a native's result that holds the binaries it built
(``None`` when it built none); the refc-sized ones get their off-heap blocks
(``RefcBinaries.built_in``). Natives without an entry build at most their result itself."""

RootsOf = Callable[[tuple], tuple]
"""``roots_of(args)``: the arguments a NIF keeps alive across its GC point (nifs.c's
``memory_ensure_free_with_roots`` calls); natives without an entry keep none."""


def sliced(result: Any) -> None:
    """Parts of the argument binary (``binary:part``, ``binary:split``, ``split_binary``):
    AtomVM makes 4-word sub-binaries of a refc source (term.h
    ``term_maybe_create_sub_binary``) and copies only slices shorter than a sub-binary's
    minimum or taken from a heap binary, all of them under the refc threshold: no new
    off-heap block, whatever the Python slice looks like."""
    return None


def slice_of(ctx: Any, source: bytes, start: int, stop: int) -> bytes:
    """``source[start:stop]`` cut by a native. Where AtomVM makes it a sub-binary (a refc or
    sub-binary source, at least ``sub_binary_min_bytes`` long: term.h
    ``term_maybe_create_sub_binary``) it is recorded as one, so it keeps ``source`` alive for
    the collector and ``erlang:memory(binary)`` as long as it lives."""
    part = source[start:stop]
    layout = ctx.vm.layout
    if part is not source and len(part) >= layout.sub_binary_min_bytes and (
            len(source) >= layout.refc_threshold_bytes or sub_binaries.is_sub_binary(source)):
        sub_binaries.made(part, source)
    return part


def decoded(result: Any) -> Any:
    """A term decoded anew (``binary_to_term``: externalterm.c copies every binary out of
    the source, ``term_from_literal_binary``): any of its binaries may be a new refc one."""
    return result


def _is_argument(result: Any, args: tuple) -> bool:
    """The native handed back one of its arguments: shared, not built (and a literal one
    is a const binary, with no block)."""
    return any(result is a for a in args)


def charge_results(module: str, table: dict[tuple[str, int], WordsOf],
                   binaries: dict[tuple[str, int], BinariesOf] | None = None,
                   roots: dict[tuple[str, int], RootsOf] | None = None) -> None:
    """Make the natives of ``module`` listed in ``table`` charge what they build.

    AtomVM's NIFs ask ``memory_ensure_free_opt(ctx, size, MEMORY_CAN_SHRINK)`` before
    building their result (no X register is a root) or, for those in ``roots``,
    ``memory_ensure_free_with_roots`` keeping some of their arguments (``list_to_tuple``
    keeps its list, so the GC cannot free it): the registered native is replaced by one
    that, once the result is computed, plays that GC point and charges the words
    (``heap.build``). A refc-sized binary the native built gets its off-heap block: by
    default the result itself when it is a new binary (not one of the arguments, which may
    be a literal: a const binary in flash); ``binaries`` names the natives whose new
    binaries lie elsewhere (inside the result, or nowhere) and where to look
    (:data:`BinariesOf`); only those results are walked. The module's own Python names stay
    unwrapped, so natives that call each other internally charge nothing twice. A caller
    that is not a real process (the stand-ins of docs/contracts.md) has no heap: nothing
    is charged.
    """
    binaries = binaries or {}
    roots = roots or {}
    for (name, arity), words_of in table.items():
        key = (module, name, arity)
        NATIVES[key] = _charging(NATIVES[key], words_of, binaries.get((name, arity)),
                                 roots.get((name, arity)))


def all_args(args: tuple) -> tuple:
    """A NIF that keeps every argument as a GC root (``argc, argv``)."""
    return args


def first_arg(args: tuple) -> tuple:
    """A NIF that keeps its first argument (``1, argv``)."""
    return args[:1]


def args_from_second(args: tuple) -> tuple:
    """A NIF that keeps the arguments after the first (``argc - 1, argv + 1``)."""
    return args[1:]


def second_arg(args: tuple) -> tuple:
    """A NIF that keeps its second argument (``1, argv + 1``)."""
    return args[1:2]


def _charging(f: Callable[..., Any], words_of: WordsOf, binaries_of: BinariesOf | None,
              roots_of: RootsOf | None) -> Callable[..., Any]:
    def native(ctx: Any, *args: Any) -> Any:
        result = f(ctx, *args)
        if ctx.__class__ is Process:  # not a stand-in without a heap (docs/contracts.md)
            layout = ctx.vm.layout
            words = words_of(result, args, layout)
            if words:
                heap.build(ctx, words, roots=() if roots_of is None else roots_of(args))
            if binaries_of is None:
                if (result.__class__ is bytes and len(result) >= layout.refc_threshold_bytes
                        and not _is_argument(result, args)):
                    ctx.vm.refc.created(ctx, result)
            else:
                built = binaries_of(result)
                if built is not None:
                    ctx.vm.refc.built_in(ctx, built, args)
        return result
    native.__name__ = f.__name__
    native.__doc__ = f.__doc__
    return native
