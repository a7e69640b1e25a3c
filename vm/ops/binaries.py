"""Binary and bitstring instructions: construction (bs_create_bin and the legacy bs_put_*
family) and matching (bs_start_match*, bs_get_*, bs_match...).

Everything knowable at load time is decided here: segment sizes in bits, flags (little /
signed; ``native`` is little on AtomVM's targets), whether a construction yields whole bytes
(then it is a concatenation of ``bytes`` pieces, the fast path) or needs the bit accumulator
of :mod:`avmsim.vm.bits`. Matching code reads aligned whole bytes with slices and
``int.from_bytes`` and falls back to the bit readers only when the position is unaligned.

Generated code keeps a match state in ``m``, its position in ``p``, the end of the segment in
``e``; the legacy builder (bs_init_bits / bs_append .. bs_put_*) lives in the block local
``bb_``.
"""
from __future__ import annotations

import struct
from typing import Any

from .. import bits, heap, sub_binaries
from ..codegen import Gen, op
from ..errors import INT_BITS, ErlangError
from ..heap_growth import MIN_FREE, GrowthStrategy, should_collect
from ..literal_binaries import LITERAL_BINARIES
from ..operands import Const, Label
from ..runtime import BASE_NAMESPACE
from ..term_size import (
    BINARY_HEADER_WORDS,
    MATCH_STATE_WORDS,
    REFC_BINARY_WORDS,
    SUB_BINARY_WORDS,
    WordLayout,
    binary_reserve_words,
    binary_words,
    int_words,
)
from ..terms import NIL, Atom
from ..validate import BS_MATCH_COMMANDS

# ---------------------------------------------------------------------------- namespace

_F64 = {False: struct.Struct(">d"), True: struct.Struct("<d")}

BASE_NAMESPACE.update({
    "BS_MS": bits.MatchState, "BS_START": bits.start_match, "BS_RU": bits.read_uint,
    "BS_RI": bits.read_int, "BS_RF": bits.read_float,
    "BS_MSIZE": bits.match_size, "BS_U8": bits.get_utf8, "BS_U16": bits.get_utf16,
    "BS_U32": bits.get_utf32, "BS_BYTE1": bits.BYTE1, "BS_INT_BYTES": bits.int_bytes,
    "BS_PACKF": bits.pack_float, "BS_FLOAT_BYTES": bits.float_bytes,
    "BS_F64B": _F64[False].pack, "BS_F64L": _F64[True].pack,
    "BS_F64UB": _F64[False].unpack_from, "BS_F64UL": _F64[True].unpack_from,
    "BS_WHOLE": bits.whole_binary, "BS_TAKE": bits.take_bytes,
    "BS_TAKE_DYN": bits.take_bytes_dyn, "BS_BUILD": bits.build, "BS_BITS": bits.Bits,
    "BS_BITS_OF": bits.Bits.of, "BS_CHECK_SIZE": bits.check_size, "BS_ADD": bits.bs_add,
    "BS_U8SIZE": bits.utf8_size, "BS_U16SIZE": bits.utf16_size, "BS_BADARG": bits.badarg,
    "BS_PYERR": bits.CONSTRUCT_ERRORS, "BS_ANYERR": (ErlangError,) + bits.CONSTRUCT_ERRORS,
    "BS_W": bits.SEGMENT_WRITERS, "BIN_BUILT": heap.binary_built, "BS_BOX": heap.box,
    "BS_UNSUP": bits.Unsupported, "BS_UNSUPPORTED": bits.unsupported,
    "BS_LEGACY_SIZE": bits.legacy_size,
})

# ---------------------------------------------------------------------------- heap charges of matching


_BOUNDED = GrowthStrategy.BOUNDED_FREE
_MS_SHRINK_ABOVE = MATCH_STATE_WORDS + 2 * (MATCH_STATE_WORDS + MIN_FREE)
"""bounded_free (the default) collects for a match state when fewer than 4 words are free,
or (can shrink) when more than 4 + 2·(4 + 16) = 44 are: the generated code tests that
itself and calls the charger only then."""


def _gc_with_extra_root(c: Any, need: int, live: int, root: Any) -> None:
    """``memory_ensure_free_with_extra_root`` (AtomVM's JIT): ``root`` is written to
    x[live] and collected with the ``live`` X registers (x[live] is dead: it is restored
    here only so that nothing else sees the write)."""
    x = c.x
    saved = x[live]
    x[live] = root
    try:
        heap.ensure(c, need, live + 1, heap.CAN_SHRINK)
    finally:
        x[live] = saved


class _MatchCharges:
    """What matching builds on a process heap, for one word layout (its thresholds are
    constants of the closures, looked up once when a module is loaded)."""

    __slots__ = ("integer", "match_state", "slice")

    def __init__(self, layout: WordLayout) -> None:
        wb = layout.word_bytes
        refc = layout.refc_threshold_bytes
        sub_min = layout.sub_binary_min_bytes
        is_sub = sub_binaries.is_sub_binary
        literals = LITERAL_BINARIES   # const refc binaries whatever their size
        made_sub = sub_binaries.made
        ms_words = MATCH_STATE_WORDS
        sub_words = SUB_BINARY_WORDS
        header = BINARY_HEADER_WORDS
        refc_words = REFC_BINARY_WORDS
        refc_reserve = REFC_BINARY_WORDS + BINARY_HEADER_WORDS

        def match_state(c: Any, src: Any, live: int) -> None:
            """bs_start_match3/4: AtomVM ensures room for a 4-word match state (can shrink;
            the live X registers and the source as roots), then builds one, even when the
            source already is a match state (term_alloc_bin_match_state copies it). The
            generated code comes here only when the default strategy's test says it may
            collect, or under another strategy."""
            if should_collect(c.heap_strategy, ms_words, c.hsize - c.hu, c.hsize + c.frag,
                              True, fragments=c.frag):
                _gc_with_extra_root(c, ms_words, live, src)
            c.hu += ms_words

        def slice_(c: Any, data: bytes, v: Any, p: int, live: int, root: Any) -> None:
            """A binary ``v`` was extracted at bit ``p`` of ``data`` (bs_get_binary2,
            bs_get_tail, bs_match binary/get_tail): term.h ``term_sub_binary_heap_size`` /
            ``term_maybe_create_sub_binary`` (always whole bytes: AtomVM takes no other).
            ``data`` is a refc binary when it is at least the refc threshold long, or a
            sub-binary when matching made it one (``vm/sub_binaries.py``, where each new
            sub-binary is recorded with its source)."""
            n = len(v)
            if n >= sub_min and (len(data) >= refc or is_sub(data) or id(data) in literals):
                words = need = sub_words
                if v is not data:
                    made_sub(v, data)
            elif n < refc:
                words = header + -(-n // wb)
                need = words + 1
            else:
                words, need = refc_words, refc_reserve
            free = c.hsize - c.hu
            if free < need or c.frag or (free - need > 2 * (need + MIN_FREE)
                                         if c.heap_strategy is _BOUNDED else
                                         should_collect(c.heap_strategy, need, free,
                                                        c.hsize + c.frag, True)):
                _gc_with_extra_root(c, need, live, root)
            c.hu += words

        def integer(c: Any, v: int) -> None:
            """An integer outside the small range read from a binary: boxed after
            ``memory_ensure_free_opt(size, MEMORY_NO_GC)`` — on the young heap when it fits,
            else in a new heap fragment of its size (maybe_alloc_boxed_integer_fragment)."""
            w = int_words(v, layout)
            if c.hsize - c.hu >= w:
                c.hu += w
            else:
                c.frag += w

        self.match_state = match_state
        self.slice = slice_
        self.integer = integer


_CHARGES: dict[WordLayout, _MatchCharges] = {}


def _charges(g: Gen) -> _MatchCharges:
    charges = _CHARGES.get(g.layout)
    if charges is None:
        charges = _CHARGES[g.layout] = _MatchCharges(g.layout)
    return charges


def _emit_slice(g: Gen, data: str, p: str, live: Any, root: str) -> None:
    """Charge the binary ``v`` just extracted (heap model only)."""
    if g.heap_model:
        g.flush_heap()
        fn = g.bind("BS_SLICE", _charges(g).slice)
        g.emit(f"{fn}(c, {data}, v, {p}, {_live(live)}, {root})")


def _emit_integer(g: Gen, nbits: int | None, signed: bool) -> None:
    """Charge the integer ``v`` just read when it can be outside the small range: known at
    load time from its width (a variable width is tested at run time)."""
    if not g.heap_model:
        return
    layout = g.layout
    if nbits is not None and nbits <= layout.small_int_bits - (0 if signed else 1):
        return
    g.flush_heap()
    fn = g.bind("BS_INTB", _charges(g).integer)
    g.emit(f"if not {layout.small_min} <= v <= {layout.small_max}:")
    g.emit(f"    {fn}(c, v)")


def _live(live: Any) -> int:
    n = _const_int(live)
    return 0 if n is None else n


# ---------------------------------------------------------------------------- load-time decoding

FOLD_BITS = 1 << 16
"""Widest constant segment worked out at load time (mask, folded value, compared bytes);
wider ones are left to run time, so a corrupt size cannot make loading build gigabytes."""

_FLAG_LITTLE = 0x02 | 0x10   # BSF_LITTLE | BSF_NATIVE (native is little on our targets)
_FLAG_SIGNED = 0x04

_FLAG_ATOMS: dict[str, tuple[bool | None, bool | None]] = {
    "little": (True, None), "native": (True, None), "big": (False, None),
    "signed": (None, True), "unsigned": (None, False),
}
"""Flag atom -> (little, signed) it sets (None: leaves that property alone)."""


def decode_flags(flags: Any) -> tuple[bool, bool]:
    """(little, signed) of a flags operand: an int field (legacy opcodes) or a literal list."""
    if flags.__class__ is int:
        return bool(flags & _FLAG_LITTLE), bool(flags & _FLAG_SIGNED)
    term = flags.term if flags.__class__ is Const else flags
    little = signed = False
    if term.__class__ is int:
        return decode_flags(term)
    if term is NIL or term is None:
        return False, False
    for item in (term if isinstance(term, list) else _cons_items(term)):
        if item.__class__ is Atom:
            lt, sg = _FLAG_ATOMS.get(item.name, (None, None))
            little = little if lt is None else lt
            signed = signed if sg is None else sg
    return little, signed


def _cons_items(t: Any) -> list:
    out = []
    while t is not NIL and hasattr(t, "hd"):
        out.append(t.hd)
        t = t.tl
    return out


def _const_int(operand: Any) -> int | None:
    """The value of an integer constant operand (a plain int or Const(int)), else None."""
    if operand.__class__ is int:
        return operand
    if operand.__class__ is Const and operand.term.__class__ is int:
        return operand.term
    return None


def _is_all(operand: Any) -> bool:
    return operand.__class__ is Const and operand.term.__class__ is Atom \
        and operand.term.name == "all"


def _strings(g: Gen) -> bytes:
    table = getattr(g, "strings", None)
    if table is None:
        raise g.unsupported("the string table is not available to the code generator")
    return table


def _endian(little: bool) -> str:
    return '"little"' if little else '"big"'


# ---------------------------------------------------------------------------- construction errors

def _construct(g: Gen, fail: Any, body: list[str], errors_possible: bool = True) -> None:
    """Emit the statements ``body`` of a construction, turning Python errors into badarg
    (or a jump to ``fail`` when the instruction has a fail label: ``unsupported`` is raised
    all the same, as AtomVM raises it)."""
    if not errors_possible:
        for line in body:
            g.emit(line)
        return
    has_fail = fail.__class__ is Label and fail.n != 0
    g.emit("try:")
    g.indent += 1
    for line in body:
        g.emit(line)
    g.indent -= 1
    if has_fail:
        g.emit("except BS_UNSUP:")
        g.emit("    raise")
        g.emit("except BS_ANYERR:")
        g.indent += 1
        g.goto_label(fail)
    else:
        g.emit("except BS_PYERR:")
        g.indent += 1
        g.raise_("BS_BADARG()")
    g.indent -= 1


# ---------------------------------------------------------------------------- bs_create_bin

_FLAGGED_KINDS = frozenset(bits.RUNTIME_FLAG_WRITERS)
"""Segment types whose flags AtomVM reads; it ignores those of the others."""


class _Segment:
    """One bs_create_bin segment, decoded at load time. Flags in a register (hand-written
    assembly; the compiler always emits a literal) are read when the segment is built:
    ``runtime_flags`` is that register, and the segment takes the general path."""

    __slots__ = ("kind", "unit", "little", "src", "size", "runtime_flags")

    def __init__(self, kind: str, unit: int, flags: Any, src: Any, size: Any) -> None:
        self.kind = kind
        self.unit = unit
        known = flags.__class__ is int or flags.__class__ is Const
        self.little = decode_flags(flags)[0] if known else False
        self.runtime_flags = None if known or kind not in _FLAGGED_KINDS else flags
        self.src = src
        self.size = size


def _piece(g: Gen, seg: _Segment, v: str) -> str | None:
    """Python expression for a segment that is whole bytes (``v`` reads its value), or None
    when the segment may leave the binary unaligned (the general path handles it)."""
    kind, unit, little, size = seg.kind, seg.unit, seg.little, seg.size
    n = _const_int(size)
    if kind == "integer":
        if n is not None and n >= 0 and n * unit <= FOLD_BITS:
            bits_ = n * unit
            if bits_ & 7:
                return None
            if bits_ == 8:
                return f"BS_BYTE1[{v} & 255]"
            if bits_ == 0:
                return f"BS_INT_BYTES({v}, 0, 1, False)"
            mask = g.const((1 << bits_) - 1)  # named when too long to spell
            return f"({v} & {mask}).to_bytes({bits_ >> 3}, {_endian(little)})"
        if unit & 7 == 0 or n is not None:
            return f"BS_INT_BYTES({v}, {g.src(size)}, {unit}, {little})"
        return None
    if kind == "float":  # AtomVM ignores a float's unit (bits.float_bytes)
        if n == 64:
            return f"{'BS_F64L' if little else 'BS_F64B'}({v})"
        if n is not None:
            return f"BS_PACKF({v}, {n}, {little})"
        return f"BS_FLOAT_BYTES({v}, {g.src(size)}, {unit}, {little})"
    if kind in ("binary", "bitstring", "append", "private_append"):
        if _is_all(size):
            if unit == 8:
                return f"({v} if {v}.__class__ is bytes else BS_WHOLE({v}))"
            return None
        if n is not None and n >= 0:
            return f"BS_TAKE({v}, {n * unit})" if (n * unit) & 7 == 0 else None
        if unit & 7 == 0:
            return f"BS_TAKE_DYN({v}, {g.src(size)}, {unit})"
        return None
    if kind == "utf8":
        return f'chr({v}).encode("utf-8")'
    if kind == "utf16":
        return f'chr({v}).encode("utf-16-{"le" if little else "be"}")'
    if kind == "utf32":
        return f'chr({v}).encode("utf-32-{"le" if little else "be"}")'
    raise g.unsupported(f"bs_create_bin segment type {kind}")


def _string_const(g: Gen, seg: _Segment) -> bytes:
    offset = seg.src if seg.src.__class__ is int else _const_int(seg.src)
    length = (_const_int(seg.size) or 0) * seg.unit >> 3
    return _strings(g)[offset:offset + length]


def _constant_piece(g: Gen, seg: _Segment, expr: str) -> str:
    """Evaluate a piece whose value and size are constants once, at load time (unless it is
    larger than ``FOLD_BITS``: a huge constant size is built, or refused, at run time)."""
    n = _const_int(seg.size)
    if n is not None and n * seg.unit > FOLD_BITS:
        return expr
    ns = dict(BASE_NAMESPACE)
    ns.update(g.ns)
    try:
        value = eval(expr, ns)  # noqa: S307 - our own generated expression over constants
    except Exception:  # an error here is raised at run time instead, as BEAM would
        return expr
    return g.const(value)


@op("bs_create_bin")
def bs_create_bin(g: Gen, fail: Label, alloc: Any, live: int, unit: int, dst: Any,
                  ops: list) -> None:
    """Build the binary into ``b_``, charge it (``BIN_BUILT``: AtomVM ensures room for
    ``alloc`` + the binary before building it, the ``live`` X registers being roots), then
    store it."""
    segs = [_Segment(ops[i].term.name, ops[i + 2], ops[i + 3], ops[i + 4], ops[i + 5])
            for i in range(0, len(ops), 6)]
    body: list[str] = []
    srcs: list[str] = []
    for i, seg in enumerate(segs):
        if seg.kind == "string":
            srcs.append(g.const(_string_const(g, seg)))
        elif seg.src.__class__ is Const:
            srcs.append(g.src(seg.src))
        else:
            name = f"s{i}"
            body.append(f"{name} = {g.src(seg.src)}")
            srcs.append(name)
    g.flush_heap()  # the GC point below must see what the block built so far
    fast = _fast_expr(g, segs, srcs)
    if fast is None:
        body.append(f"b_ = {_general_expr(g, segs, srcs)}")
        _construct(g, fail, body)
    else:
        expr, guards, constant = fast
        if not guards:
            body.append(f"b_ = {expr}")
            _construct(g, fail, body, errors_possible=not constant)
        else:
            body.append(f"if {' and '.join(guards)}:")
            body.append(f"    b_ = {expr}")
            body.append("else:")
            body.append(f"    b_ = {_general_expr(g, segs, srcs)}")
            _construct(g, fail, body)
    if g.heap_model:
        g.emit(f"BIN_BUILT(c, b_, {g.heap_words(alloc)}, {live})")
    g.dst(dst, "b_")


def _fast_expr(g: Gen, segs: list[_Segment], srcs: list[str]
               ) -> tuple[str, list[str], bool] | None:
    """The whole-bytes construction: (expression, run-time guards, all pieces constant), or
    None when some segment can leave the result unaligned whatever the values."""
    pieces: list[str] = []
    guards: list[str] = []
    for seg, v in zip(segs, srcs):
        if seg.kind == "string":
            pieces.append(v)
            continue
        if seg.runtime_flags is not None:
            return None
        piece = _piece(g, seg, v)
        if piece is None:
            if seg.kind in ("binary", "bitstring", "append", "private_append") \
                    and _is_all(seg.size):
                # A bitstring of any unit: whole bytes when it is a binary at run time.
                guards.append(f"{v}.__class__ is bytes")
                pieces.append(v)
                continue
            return None
        if seg.src.__class__ is Const and (seg.size.__class__ is Const or seg.kind.startswith("utf")
                                           or seg.size.__class__ is int):
            piece = _constant_piece(g, seg, piece)
        pieces.append(piece)
    if not pieces:
        expr = 'b""'
    elif len(pieces) == 1:
        expr = pieces[0]
    elif len(pieces) <= 3:
        expr = " + ".join(pieces)
    else:
        expr = f"b\"\".join(({', '.join(pieces)}))"
    return expr, guards, all(p.isidentifier() for p in pieces)


def _general_expr(g: Gen, segs: list[_Segment], srcs: list[str]) -> str:
    """The bit-accumulator construction (any alignment), as one call of ``bits.build``."""
    first, first_unit = "None", 1
    rest = list(zip(segs, srcs))
    if segs and segs[0].kind in ("append", "private_append"):
        first, first_unit = srcs[0], segs[0].unit
        rest = rest[1:]
    spec = []
    args = []
    for seg, v in rest:
        kind = "binary" if seg.kind == "bitstring" else seg.kind
        if seg.runtime_flags is None:
            spec.append((bits.SEGMENT_WRITERS[kind], seg.unit, seg.little))
            args.append(v)
        else:
            spec.append((bits.RUNTIME_FLAG_WRITERS[kind], seg.unit, False))
            args.append(f"({v}, {g.src(seg.runtime_flags)})")
        if kind in ("utf8", "utf16", "utf32", "string"):
            args.append("None")
        elif _is_all(seg.size):
            args.append(g.const(bits.A_ALL))
        else:
            args.append(g.src(seg.size))
    spec_name = g.bind("BSPEC", tuple(spec))
    return f"BS_BUILD({first}, {first_unit}, {spec_name}, ({''.join(a + ', ' for a in args)}))"


# ---------------------------------------------------------------------------- legacy construction
#
# OTP <= 24 (and OTP 25 with +no_bs_create_bin) build binaries with bs_init_bits /
# bs_append / bs_private_append, which allocate the binary of the announced size, followed
# by bs_put_* that write into it (bs_init2 is obsolete: refused at load, facts §3). AtomVM's interpreter implements them (opcodesswitch.h; its JIT
# does not compile them); the charges follow its code at the 168d236 era (atomvm/AtomVM
# main as mirrored by bettio/avm_tag_ci 8d4287d: TRIM_LIVE_REGS + memory_ensure_free_with_roots).
# avmsim keeps the bits in ``bb_`` and stores the term once the announced size is reached.

_BS_DONE = bits.MAX_BITS + 1
"""``bb_.target`` once the result is stored, so that a zero-size write after it neither
stores the result again nor registers it as a second refc binary."""


def _new_binary(nbits: int, layout: WordLayout) -> tuple[int, int]:
    """(words built, ``term_binary_heap_size`` asked for) of ``term_create_empty_binary`` for
    ``nbits`` bits: a heap binary, or a 6-word refc binary from the refc threshold."""
    n = (nbits + 7) >> 3
    return binary_words(n, layout), binary_reserve_words(n, layout)


def _legacy_init(c: Any, nbits: int, words: int, live: int) -> None:
    """bs_init_bits of a run-time size: ``memory_ensure_free_with_roots(words +
    term_binary_heap_size(size), live X, MEMORY_CAN_SHRINK)``, then the binary."""
    built, reserve = _new_binary(nbits, c.vm.layout)
    heap.build(c, built, words + reserve, live)


def _append_sizes(c: Any, src_bits: int, nbits: int) -> tuple[int, int]:
    """(words built, words asked for) by bs_append / bs_private_append: AtomVM asks for the
    source's size in *bytes* (taken as words) plus ``term_binary_heap_size`` of the appended
    bytes, then makes a new binary of the combined size and copies the source into it."""
    layout = c.vm.layout
    need = (src_bits >> 3) + binary_reserve_words((nbits - src_bits) >> 3, layout)
    return binary_words(nbits >> 3, layout), need


def _legacy_append(c: Any, src: Any, src_bits: int, nbits: int, extra: int,
                   live: int) -> None:
    """bs_append: a GC point (can shrink) asking for the sizes above + Extra, with the live X
    registers and the source (x[live]) as roots. The source is copied, not kept: it is
    garbage once nothing else refers to it."""
    built, need = _append_sizes(c, src_bits, nbits)
    need += extra
    if should_collect(c.heap_strategy, need, c.hsize - c.hu, c.hsize + c.frag, True,
                      fragments=c.frag):
        _gc_with_extra_root(c, need, live, src)
    c.hu += built


def _legacy_private_append(c: Any, src_bits: int, nbits: int) -> None:
    """bs_private_append: ``memory_ensure_free_opt(need, MEMORY_NO_GC)`` - no GC: the new
    binary goes on the young heap when ``need`` words are free, else into a new heap fragment
    of ``need`` words."""
    built, need = _append_sizes(c, src_bits, nbits)
    if c.hsize - c.hu >= need:
        c.hu += built
    else:
        c.frag += need


BASE_NAMESPACE.update({
    "BS_HBUILD": heap.build, "BS_LINIT": _legacy_init, "BS_LAPPEND": _legacy_append,
    "BS_LPAPPEND": _legacy_private_append,
})


def _emit_build(g: Gen, built: int, need: int, live: int) -> list[str]:
    """Statements charging ``built`` words after a can-shrink GC point asking for ``need``,
    both known at load time: under bounded_free the code tests itself that no collection
    is due (``need`` <= free <= ``need`` + 2(``need`` + 16)) and only then skips the call."""
    bounded = g.bind("BS_BOUNDED", _BOUNDED)
    return [(f"if {need} <= c.hsize - c.hu <= {need + 2 * (need + MIN_FREE)} "
             f"and c.heap_strategy is {bounded}:"),
            f"    c.hu += {built}",
            "else:",
            f"    BS_HBUILD(c, {built}, {need}, {live})"]


def _legacy_finish(g: Gen) -> None:
    """After each legacy write: once the announced size is reached, store the result (with
    the heap model, a refc-sized result gets its off-heap block, as AtomVM's binary got it
    when it was allocated)."""
    dst = getattr(g, "bs_legacy_dst", None)
    if dst is None:
        raise g.unsupported("bs_put_* outside a bs_init_bits/bs_append sequence")
    g.emit("if bb_.n >= bb_.target:")
    g.indent += 1
    if g.heap_model:
        g.emit("v = bb_.term()")
        g.emit(f"bb_.target = {_BS_DONE}")
        g.emit(f"if v.__class__ is bytes and len(v) >= {g.layout.refc_threshold_bytes}:")
        g.emit("    c.vm.refc.created(c, v)")
        g.dst(dst, "v")
    else:
        g.dst(dst, "bb_.term()")
    g.indent -= 1


def _legacy(g: Gen, fail: Any, lines: list[str], charge: list[str] | None = None) -> None:
    """Emit a legacy instruction: ``lines`` under its fail label (``unsupported`` escapes
    it, as AtomVM raises that whatever the label), then ``charge`` (outside it: an
    out_of_memory is no bad segment), then the store of a completed result."""
    has_fail = fail.__class__ is Label and fail.n
    if has_fail:
        g.emit("try:")
        g.indent += 1
    for line in lines:
        g.emit(line)
    if has_fail:
        g.indent -= 1
        g.emit("except BS_UNSUP:")
        g.emit("    raise")
        g.emit("except ErlangError:")
        g.indent += 1
        g.goto_label(fail)
        g.indent -= 1
    for line in charge or ():
        g.emit(line)
    _legacy_finish(g)


@op("bs_init_writable")
def bs_init_writable(g: Gen) -> None:
    """An empty binary in x0, after ``memory_ensure_free_opt(term_binary_heap_size(0),
    MEMORY_CAN_SHRINK)``: no roots, not even x0 (whose size hint it replaces)."""
    if g.heap_model:
        g.flush_heap()
        for line in _emit_build(g, *_new_binary(0, g.layout), 0):
            g.emit(line)
    g.emit('x[0] = b""')


@op("bs_init_bits")
def bs_init_bits(g: Gen, fail: Label, size: Any, words: Any, live: Any, flags: Any,
                 dst: Any) -> None:
    """A new binary of the announced size in bits, charged after its GC point (sizes decided
    at load time when constant)."""
    g.bs_legacy_dst = dst
    lines = [f"bb_ = BS_BITS(0, 0, BS_LEGACY_SIZE({g.src(size)}))"]
    charge = None
    if g.heap_model:
        g.flush_heap()
        words, live, n = g.heap_words(words), _live(live), _const_int(size)
        if n is not None and 0 <= n <= bits.MAX_BITS:
            built, reserve = _new_binary(n, g.layout)
            charge = _emit_build(g, built, words + reserve, live)
        else:
            charge = [f"BS_LINIT(c, bb_.target, {words}, {live})"]
    _legacy(g, fail, lines, charge)


def _append(g: Gen, fail: Label, size: Any, unit: int, binary: Any, dst: Any,
            charge: str, private: bool) -> None:
    """Start from ``binary`` (kept in ``v``) and announce ``size`` more bits; ``charge`` is
    the heap-model call, given ``v``, ``bb_.n`` and ``bb_.target``."""
    g.bs_legacy_dst = dst
    lines = [f"v = {g.src(binary)}",
             f"bb_ = BS_BITS_OF(v, {unit})",
             f"bb_.target = bb_.n + BS_LEGACY_SIZE({g.src(size)})"]
    if unit != 8 and not private:  # AtomVM's bs_append takes unit 8 only
        lines.insert(0, "raise BS_UNSUPPORTED()")
    if g.heap_model:
        g.flush_heap()  # after reading the operands: a literal source is charged first
    _legacy(g, fail, lines, [charge] if g.heap_model else None)


@op("bs_append")
def bs_append(g: Gen, fail: Label, size: Any, extra: Any, live: int, unit: int, binary: Any,
              flags: Any, dst: Any) -> None:
    _append(g, fail, size, unit, binary, dst,
            f"BS_LAPPEND(c, v, bb_.n, bb_.target, {_const_int(extra) or 0}, {_live(live)})",
            private=False)


@op("bs_private_append")
def bs_private_append(g: Gen, fail: Label, size: Any, unit: int, binary: Any, flags: Any,
                      dst: Any) -> None:
    _append(g, fail, size, unit, binary, dst, "BS_LPAPPEND(c, bb_.n, bb_.target)",
            private=True)


def _legacy_put(kind: str) -> None:
    """bs_put_integer/binary/float: they write into the binary already allocated (AtomVM
    builds nothing: bitstring_insert_* / memcpy into ``ctx->bs``)."""
    def gen(g: Gen, fail: Label, size: Any, unit: int, flags: Any, src: Any) -> None:
        little, _ = decode_flags(flags)
        size_expr = g.const(bits.A_ALL) if _is_all(size) else g.src(size)
        _legacy(g, fail, [f'BS_W["{kind}"](bb_, {g.src(src)}, {size_expr}, {unit}, {little})',
                          "if bb_.write_error is not None:",  # AtomVM raises it at once
                          "    raise bb_.write_error"])
    op(f"bs_put_{kind}")(gen)


for _kind in ("integer", "binary", "float"):
    _legacy_put(_kind)


def _legacy_put_utf(kind: str) -> None:
    """bs_put_utf8/16/32: written into the binary already allocated, nothing built."""
    def gen(g: Gen, fail: Label, flags: Any, src: Any) -> None:
        little, _ = decode_flags(flags)
        _legacy(g, fail, ["if bb_.n & 7:",  # AtomVM writes strings at byte positions only
                          "    raise BS_UNSUPPORTED()",
                          f'BS_W["{kind}"](bb_, {g.src(src)}, None, 0, {little})'])
    op(f"bs_put_{kind}")(gen)


for _kind in ("utf8", "utf16", "utf32"):
    _legacy_put_utf(_kind)


@op("bs_put_string")
def bs_put_string(g: Gen, length: int, offset: int) -> None:
    data = _strings(g)[offset:offset + length]
    g.emit(f"bb_.put_bytes({g.const(data)})")
    _legacy_finish(g)


@op("bs_add")
def bs_add(g: Gen, fail: Label, a: Any, b: Any, unit: int, dst: Any) -> None:
    g.begin_try(fail)
    g.dst(dst, f"BS_ADD({g.src(a)}, {g.src(b)}, {unit})")
    g.end_try(fail)


@op("bs_utf8_size")
def bs_utf8_size(g: Gen, fail: Label, src: Any, dst: Any) -> None:
    g.dst(dst, f"BS_U8SIZE({g.src(src)})")


@op("bs_utf16_size")
def bs_utf16_size(g: Gen, fail: Label, src: Any, dst: Any) -> None:
    g.dst(dst, f"BS_U16SIZE({g.src(src)})")


# ---------------------------------------------------------------------------- starting a match

def _start_match(g: Gen, fail: Any, src: Any, dst: Any, live: Any) -> None:
    """``m`` = a match state over the source (the source itself when it already is one:
    avmsim keeps going with it, where AtomVM builds a new state copying its offset). With the
    heap model, the 4-word state AtomVM builds is charged before ``dst`` is written."""
    g.emit(f"v = {g.src(src)}")
    checked = fail.__class__ is Label
    g.emit("if v.__class__ is BS_MS:")  # a context passed on by the caller: keep going
    g.emit("    m = v")
    g.emit("elif v.__class__ is bytes:")
    g.emit("    m = BS_MS(v, len(v) << 3)")
    g.emit("else:")
    g.indent += 1
    g.emit("m = BS_START(v)")
    if checked:
        g.fail_if("m is None", fail)
    g.indent -= 1
    if g.heap_model:
        g.flush_heap()
        fn = g.bind("BS_MSTATE", _charges(g).match_state)
        bounded = g.bind("BS_BOUNDED", _BOUNDED)
        g.emit(f"if {MATCH_STATE_WORDS} <= c.hsize - c.hu <= {_MS_SHRINK_ABOVE} "
               f"and c.heap_strategy is {bounded}:")
        g.emit(f"    c.hu += {MATCH_STATE_WORDS}")
        g.emit("else:")
        g.emit(f"    {fn}(c, v, {_live(live)})")
    g.dst(dst, "m")


@op("bs_start_match3")
def bs_start_match3(g: Gen, fail: Label, src: Any, live: int, dst: Any) -> None:
    _start_match(g, fail, src, dst, live)


@op("bs_start_match4")
def bs_start_match4(g: Gen, fail: Any, live: int, src: Any, dst: Any) -> None:
    _start_match(g, fail, src, dst, live)


@op("bs_get_position")
def bs_get_position(g: Gen, ctx: Any, dst: Any, live: int) -> None:
    g.dst(dst, f"{g.src(ctx)}.pos")


@op("bs_set_position")
def bs_set_position(g: Gen, ctx: Any, pos: Any) -> None:
    g.emit(f"{g.src(ctx)}.pos = {g.src(pos)}")


@op("bs_get_tail")
def bs_get_tail(g: Gen, ctx: Any, dst: Any, live: int) -> None:
    """The rest of the matched bits as a term; the position does not move."""
    g.emit(f"m = {g.src(ctx)}")
    g.emit("p = m.pos")
    g.emit("e = m.size")
    _raise_if(g, "p & 7", "BS_UNSUPPORTED()")  # AtomVM: unsupported alignment
    g.emit("v = m.data[p >> 3:]")
    if g.heap_model:
        # at offset 0 AtomVM returns the matched binary itself: nothing is built
        g.flush_heap()  # on the straight path, not only under the test below
        g.emit("if p:")
        g.indent += 1
        _emit_slice(g, "m.data", "p", live, "m")
        g.indent -= 1
    g.dst(dst, "v")


# ---------------------------------------------------------------------------- segment readers

def _raise_if(g: Gen, condition: str, error: str) -> None:
    """Raise ``error`` (an expression) when ``condition`` holds, whatever the fail label."""
    g.begin_if(condition)
    g.raise_(error)
    g.end_if()


def _segment_bits(g: Gen, fail: Label, size: Any, unit: int) -> str:
    """Emit the check of a variable segment size; returns the expression of its bit count.
    A size that is no integer raises ``badarg`` (AtomVM's ``VERIFY_IS_INTEGER`` in the
    bs_get_*2 / bs_skip_bits2 opcodes has no fail label); a negative one does not match."""
    n = _const_int(size)
    if n is not None:
        if n < 0:
            g.fail_if("True", fail)
            return "0"
        return str(n * unit)
    g.emit(f"n = {g.src(size)}")
    _raise_if(g, "n.__class__ is not int", "BS_BADARG()")
    g.fail_if("n < 0", fail)
    if unit != 1:
        g.emit(f"n *= {unit}")
    return "n"


def _int_expr(nbits: int | None, n: str, little: bool, signed: bool) -> str:
    """Expression reading an integer of ``n`` bits at ``p`` of match state ``m``."""
    generic = f"BS_RI(m.data, p, {n}, {little}, {signed})"
    if nbits is None:
        return generic
    if nbits == 0:
        return "0"
    if nbits & 7:
        return generic
    if nbits == 8:
        fast = "m.data[p >> 3]"
        if signed:
            return f"((({fast} if not p & 7 else BS_RU(m.data, p, 8)) ^ 128) - 128)"
        return f"({fast} if not p & 7 else BS_RU(m.data, p, 8))"
    k = nbits >> 3
    fast = (f"int.from_bytes(m.data[p >> 3:(p >> 3) + {k}], {_endian(little)}"
            f"{', signed=True' if signed else ''})")
    return f"({fast} if not p & 7 else {generic})"


def _read_setup(g: Gen, fail: Label, ms: Any, size: Any, unit: int) -> tuple[str, int | None]:
    """Emit: m, p, e (segment end) and the bounds check. Returns (bits expr, bits or None)."""
    g.emit(f"m = {g.src(ms)}")
    n = _segment_bits(g, fail, size, unit)
    const = _const_int(size)
    nbits = const * unit if const is not None and const >= 0 else None
    g.emit("p = m.pos")
    g.emit(f"e = p + {n}")
    g.fail_if("e > m.size", fail)
    return n, nbits


def _wide_int_check(g: Gen, fail: Label, nbits: int | None, n: str) -> None:
    """AtomVM reads an integer segment wider than 64 bits only when it starts on a byte, is
    whole bytes and at most 256 bits (opcodesswitch.h ``bs_get_integer2``, ``bs_match``);
    any other such segment does not match there, so it does not match here."""
    if nbits is None:
        g.fail_if(f"{n} > 64 and ({n} > {INT_BITS} or (p | {n}) & 7)", fail)
    elif nbits > 64:
        g.fail_if("True" if nbits > INT_BITS or nbits & 7 else "p & 7", fail)


@op("bs_get_integer2")
def bs_get_integer2(g: Gen, fail: Label, ms: Any, live: int, size: Any, unit: int,
                    flags: Any, dst: Any) -> None:
    little, signed = decode_flags(flags)
    n, nbits = _read_setup(g, fail, ms, size, unit)
    _wide_int_check(g, fail, nbits, n)
    g.emit("m.pos = e")
    if g.heap_model and not (nbits is not None and nbits <= g.layout.small_int_bits - 1):
        g.emit(f"v = {_int_expr(nbits, n, little, signed)}")
        _emit_integer(g, nbits, signed)
        g.dst(dst, "v")
    else:
        g.dst(dst, _int_expr(nbits, n, little, signed))


@op("bs_get_float2")
def bs_get_float2(g: Gen, fail: Label, ms: Any, live: int, size: Any, unit: int,
                  flags: Any, dst: Any) -> None:
    """AtomVM reads a float as wide as the size *before* the unit (16, 32 or 64, else no
    match) and moves on by size × unit bits."""
    little, _ = decode_flags(flags)
    n, nbits = _read_setup(g, fail, ms, size, unit)
    if nbits == 64 and unit == 1:
        unpack = "BS_F64UL" if little else "BS_F64UB"
        g.emit(f"v = {unpack}(m.data, p >> 3)[0] if not p & 7 else None")
    else:
        width = n if unit == 1 else f"{n} // {unit}"
        g.emit(f"v = BS_RF(m.data, p, {width}, {little})")
    g.fail_if("v is None or v - v != 0.0", fail)
    g.emit("m.pos = e")
    if g.heap_model:  # a float is always boxed: room for it is ensured, live X as roots
        g.flush_heap()
        g.emit(f"BS_BOX(c, v, {_live(live)})")
    g.dst(dst, "v")


@op("bs_get_binary2")
def bs_get_binary2(g: Gen, fail: Label, ms: Any, live: int, size: Any, unit: int,
                   flags: Any, dst: Any) -> None:
    """AtomVM takes only whole bytes at a byte position: a unit other than 8 raises
    ``unsupported`` (before anything else), a position inside a byte ``badarg``."""
    if unit != 8:
        g.emit(f"m = {g.src(ms)}")
        g.raise_("BS_UNSUPPORTED()")
        return
    if _is_all(size):
        g.emit(f"m = {g.src(ms)}")
        g.emit("p = m.pos")
        _raise_if(g, "p & 7", "BS_BADARG()")
        g.emit("e = m.size")
        g.fail_if("(e - p) & 7", fail)
    else:
        g.emit(f"m = {g.src(ms)}")
        n = _segment_bits(g, fail, size, unit)
        g.emit("p = m.pos")
        _raise_if(g, "p & 7", "BS_BADARG()")
        g.emit(f"e = p + {n}")
        g.fail_if("e > m.size", fail)
    g.emit("m.pos = e")
    g.emit("v = m.data[p >> 3:e >> 3]")
    # AtomVM's extra root is the matched binary
    _emit_slice(g, "m.data", "p", live, "m.data")
    g.dst(dst, "v")


@op("bs_skip_bits2")
def bs_skip_bits2(g: Gen, fail: Label, ms: Any, size: Any, unit: int, flags: Any) -> None:
    if _is_all(size):  # AtomVM's bs_skip_bits2 wants an integer size: ``all`` is badarg
        g.emit(f"m = {g.src(ms)}")
        g.raise_("BS_BADARG()")
        return
    _read_setup(g, fail, ms, size, unit)
    g.emit("m.pos = e")


@op("bs_test_tail2")
def bs_test_tail2(g: Gen, fail: Label, ms: Any, nbits: int) -> None:
    g.emit(f"m = {g.src(ms)}")
    g.fail_if(f"m.size - m.pos != {nbits}", fail)


def _unit_test(unit: int, rest: str) -> str | None:
    """Condition that fails when ``rest`` is not a multiple of ``unit`` (None: never fails)."""
    if unit <= 1:
        return None
    if unit & (unit - 1) == 0:
        return f"({rest}) & {unit - 1}"
    return f"({rest}) % {unit}"


@op("bs_test_unit")
def bs_test_unit(g: Gen, fail: Label, ms: Any, unit: int) -> None:
    cond = _unit_test(unit, "m.size - m.pos")
    if cond is not None:
        g.emit(f"m = {g.src(ms)}")
        g.fail_if(cond, fail)


@op("bs_match_string")
def bs_match_string(g: Gen, fail: Label, ms: Any, nbits: int, offset: int) -> None:
    nbytes = (nbits + 7) >> 3
    data = _strings(g)[offset:offset + nbytes]
    g.emit(f"m = {g.src(ms)}")
    g.emit("p = m.pos")
    g.emit(f"e = p + {nbits}")
    g.fail_if("e > m.size", fail)
    value = g.const(int.from_bytes(data, "big") >> ((nbytes << 3) - nbits) if nbits else 0)
    if nbits & 7 == 0:
        g.fail_if(f"(m.data[p >> 3:(p >> 3) + {nbytes}] != {g.const(data)}) if not p & 7 "
                  f"else BS_RU(m.data, p, {nbits}) != {value}", fail)
    else:
        g.fail_if(f"BS_RU(m.data, p, {nbits}) != {value}", fail)
    g.emit("m.pos = e")


# ---------------------------------------------------------------------------- utf

def _utf_read(g: Gen, fail: Label, ms: Any, kind: str, flags: Any) -> None:
    """Emit: ``v`` = the code point at the position (advanced), or jump to ``fail``."""
    little, _ = decode_flags(flags)
    g.emit(f"m = {g.src(ms)}")
    if kind == "utf8":
        g.emit("p = m.pos")
        g.emit("if not p & 7 and p < m.size and m.data[p >> 3] < 128:")
        g.indent += 1
        g.emit("v = m.data[p >> 3]")
        g.emit("m.pos = p + 8")
        g.indent -= 1
        g.emit("else:")
        g.indent += 1
        g.emit("v = BS_U8(m)")
        g.fail_if("v is None", fail)
        g.indent -= 1
    else:
        g.emit(f"v = {'BS_U16' if kind == 'utf16' else 'BS_U32'}(m, {little})")
        g.fail_if("v is None", fail)


def _utf_ops(kind: str) -> None:
    def get(g: Gen, fail: Label, ms: Any, live: int, flags: Any, dst: Any) -> None:
        _utf_read(g, fail, ms, kind, flags)
        g.dst(dst, "v")

    def skip(g: Gen, fail: Label, ms: Any, live: int, flags: Any) -> None:
        _utf_read(g, fail, ms, kind, flags)

    op(f"bs_get_{kind}")(get)
    op(f"bs_skip_{kind}")(skip)


for _kind in ("utf8", "utf16", "utf32"):
    _utf_ops(_kind)


# ---------------------------------------------------------------------------- bs_match (OTP 26+)

def _cmd_ensure_at_least(g: Gen, fail: Label, args: list) -> None:
    size, unit = args
    g.emit("r = m.size - p")
    cond = f"r < {size}"
    unit_cond = _unit_test(unit, f"r - {size}" if size else "r")
    if unit_cond is not None:
        cond += f" or {unit_cond}"
    g.fail_if(cond, fail)


def _cmd_ensure_exactly(g: Gen, fail: Label, args: list) -> None:
    g.fail_if(f"m.size - p != {args[0]}", fail)


def _cmd_integer(g: Gen, fail: Label, args: list) -> None:
    live, flags, size, unit, dst = args
    little, signed = decode_flags(flags)
    nbits = size * unit
    _wide_int_check(g, fail, nbits, str(nbits))
    if g.heap_model and nbits > g.layout.small_int_bits - 1:
        g.emit(f"v = {_int_expr(nbits, str(nbits), little, signed)}")
        _emit_integer(g, nbits, signed)
        g.dst(dst, "v")
    else:
        g.dst(dst, _int_expr(nbits, str(nbits), little, signed))
    g.emit(f"p += {nbits}")


def _cmd_binary(g: Gen, fail: Label, args: list) -> None:
    """Whole bytes at a byte position only: anything else is ``badarg`` on AtomVM."""
    live, flags, size, unit, dst = args
    nbits = size * unit
    _raise_if(g, "True" if nbits & 7 else "p & 7", "BS_BADARG()")
    expr = f"m.data[p >> 3:(p >> 3) + {nbits >> 3}]"
    if g.heap_model:
        g.emit(f"v = {expr}")
        _emit_slice(g, "m.data", "p", live, "m")  # AtomVM's extra root: the match state
        g.dst(dst, "v")
    else:
        g.dst(dst, expr)
    g.emit(f"p += {nbits}")


def _cmd_skip(g: Gen, fail: Label, args: list) -> None:
    g.emit(f"p += {args[0]}")


def _cmd_get_tail(g: Gen, fail: Label, args: list) -> None:
    live, unit, dst = args
    _raise_if(g, "p & 7", "BS_BADARG()")  # AtomVM: a tail from inside a byte is badarg
    g.emit("e = m.size")
    expr = "m.data[p >> 3:]"
    if g.heap_model:  # built even at offset 0 (unlike bs_get_tail)
        g.emit(f"v = {expr}")
        _emit_slice(g, "m.data", "p", live, "m")
        g.dst(dst, "v")
    else:
        g.dst(dst, expr)
    g.emit("p = e")


def _cmd_eq(g: Gen, fail: Label, args: list) -> None:
    live, size, value = args
    data = value.to_bytes(size >> 3, "big") if size & 7 == 0 and 0 < size <= FOLD_BITS else None
    value = g.const(_const_int(value))
    if size == 8:
        g.fail_if(f"(m.data[p >> 3] if not p & 7 else BS_RU(m.data, p, 8)) != {value}", fail)
    elif data is not None:
        g.fail_if(f"(m.data[p >> 3:(p >> 3) + {size >> 3}] != {g.const(data)}) if not p & 7 "
                  f"else BS_RU(m.data, p, {size}) != {value}", fail)
    else:
        g.fail_if(f"BS_RU(m.data, p, {size}) != {value}", fail)
    g.emit(f"p += {size}")


_BS_MATCH_COMMANDS: dict[str, Any] = {
    "ensure_at_least": _cmd_ensure_at_least,
    "ensure_exactly": _cmd_ensure_exactly,
    "integer": _cmd_integer,
    "binary": _cmd_binary,
    "skip": _cmd_skip,
    "get_tail": _cmd_get_tail,
    "=:=": _cmd_eq,
}
"""bs_match command -> generator; its operands are those of ``validate.BS_MATCH_COMMANDS``.
Position checks happen in the ensure_* commands; the others read without bounds checks, as
the compiler guarantees."""


@op("bs_match")
def bs_match(g: Gen, fail: Label, ctx: Any, commands: list) -> None:
    g.emit(f"m = {g.src(ctx)}")
    g.emit("p = m.pos")
    i = 0
    while i < len(commands):
        name = commands[i].term.name  # validate() checked the commands and their operands
        count = len(BS_MATCH_COMMANDS[name])
        _BS_MATCH_COMMANDS[name](g, fail, [_plain(a) for a in commands[i + 1:i + 1 + count]])
        i += 1 + count
    g.emit("m.pos = p")


def _plain(operand: Any) -> Any:
    """bs_match sizes, units and values are plain ints; registers and flags stay operands."""
    if operand.__class__ is Const and operand.term.__class__ is int:
        return operand.term
    return operand
