"""Calls, returns, jumps, stack frames and BIF calls.

Frames: ``allocate N`` pushes ``[y0 .. yN-1, saved_cp, previous_frame, below]`` and makes it
``c.y`` (``below`` is the heap model's cache of what the frames under it hold);
``deallocate N`` restores ``c.cp`` from slot N and ``c.y`` from slot N+1.

GC points (``vm/heap.py``): allocate* and test_heap test the free room (and allocate* the
fragments); deallocate and tail calls to natives collect when heap fragments exist, keeping
x0 (jit.c ``jit_deallocate``, ``jit_call_ext``).
"""
from __future__ import annotations

from .. import heap
from ..codegen import Gen, op
from ..intn import bitwise_result
from ..operands import Const, Label, Y
from ..runtime import BASE_NAMESPACE

BASE_NAMESPACE.update({"ALLOC_GC": heap.allocate_check, "TEST_HEAP": heap.test_heap,
                       "RETURN_GC": heap.return_check, "BOX": heap.box})


def _frame_literal(size: int) -> str:
    return "[" + "None, " * size + "c.cp, c.y, None]"


def _pop_frame(g: Gen, size: int) -> None:
    g.use_y()
    g.emit(f"c.cp = y[{size}]")
    g.emit(f"c.y = y[{size + 1}]")
    g.stack_words(-(size + 1))


def _return_gc(g: Gen) -> None:
    """After a frame is popped (or a native tail call returns): collect if fragments exist."""
    if not g.heap_model:
        return
    g.flush_heap()
    g.begin_if("c.frag")
    g.emit("RETURN_GC(c)")
    g.end_if()


def call_to(g: Gen, target: str | int) -> None:
    """Leave the block spending one reduction, as AtomVM does on calls and jumps (may yield)."""
    g.counted()
    g.emit("c.reds = r = c.reds - 1")
    g.emit(f"return {target} if r > 0 else PREEMPT(c, {target})")
    g._left_block()


@op("label")
def label(g: Gen, n: int) -> None:
    pass


@op("line")
def line(g: Gen, ref: int) -> None:
    g.line_ref = ref


@op("executable_line")
def executable_line(g: Gen, *args) -> None:
    if args and args[-1].__class__ is int:
        g.line_ref = args[-1]


@op("debug_line")
def debug_line(g: Gen, *args) -> None:
    pass


@op("nif_start")
def nif_start(g: Gen) -> None:
    pass


@op("func_info", ends_block=True)
def func_info(g: Gen, module: Const, function: Const, arity: int) -> None:
    args = ", ".join(f"x[{i}]" for i in range(arity))
    g.raise_(f"FCLAUSE({g.src(module)}, {g.src(function)}, [{args}])")


@op("int_code_end", ends_block=True)
def int_code_end(g: Gen) -> None:
    g.open = False


@op("call", ends_block=True)
def call(g: Gen, arity: int, target: Label) -> None:
    g.emit(f"c.cp = {g.new_block_after()}")
    call_to(g, g.block_of(target))


@op("call_last", ends_block=True)
def call_last(g: Gen, arity: int, target: Label, dealloc: int) -> None:
    _pop_frame(g, dealloc)
    call_to(g, g.block_of(target))


@op("call_only", ends_block=True)
def call_only(g: Gen, arity: int, target: Label) -> None:
    call_to(g, g.block_of(target))


def _call_ext(g: Gen, arity: int, index: int, cont: str) -> None:
    """Call import ``index``; afterwards continue at ``cont`` (an expression)."""
    kind, target = g.resolve_import(index)
    args = ", ".join(f"x[{i}]" for i in range(arity))
    if kind == "native":
        g.flush_heap()  # a native may collect: it must see what the block built so far
        if cont != "c.cp":
            g.note_native_call(index)
        g.emit(f"x[0] = {target}(c{', ' if args else ''}{args})")
        if cont == "c.cp":  # a tail call: the native returns to the caller
            _return_gc(g)
        call_to(g, cont)
    elif kind == "control":
        g.counted()
        g.emit(f"return {target}(c, {cont})")
    else:
        g.emit(f"t = IMP[{index}] or RESOLVE(c, {index})")
        if cont != "c.cp":
            g.emit(f"c.cp = {cont}")
        call_to(g, "t")


@op("call_ext", ends_block=True)
def call_ext(g: Gen, arity: int, index: int) -> None:
    _call_ext(g, arity, index, str(g.new_block_after()))


@op("call_ext_last", ends_block=True)
def call_ext_last(g: Gen, arity: int, index: int, dealloc: int) -> None:
    kind, target = g.resolve_import(index)
    if kind == "native":
        # AtomVM pops the frame after the NIF returns (jit.c jit_call_ext): a GC inside the
        # NIF still sees it
        args = ", ".join(f"x[{i}]" for i in range(arity))
        g.flush_heap()
        g.emit(f"x[0] = {target}(c{', ' if args else ''}{args})")
        _pop_frame(g, dealloc)
        _return_gc(g)
        call_to(g, "c.cp")
        return
    _pop_frame(g, dealloc)
    _call_ext(g, arity, index, "c.cp")


@op("call_ext_only", ends_block=True)
def call_ext_only(g: Gen, arity: int, index: int) -> None:
    _call_ext(g, arity, index, "c.cp")


@op("apply", ends_block=True)
def apply(g: Gen, arity: int) -> None:
    g.counted()
    g.emit(f"return APPLY(c, {arity}, {g.new_block_after()})")


@op("apply_last", ends_block=True)
def apply_last(g: Gen, arity: int, dealloc: int) -> None:
    _pop_frame(g, dealloc)
    g.counted()
    g.emit(f"return APPLY(c, {arity}, c.cp)")


@op("return", ends_block=True)
def return_(g: Gen) -> None:
    g.goto("c.cp")


@op("jump", ends_block=True)
def jump(g: Gen, target: Label) -> None:
    call_to(g, g.block_of(target))  # AtomVM spends a reduction on jump too


# ---------------------------------------------------------------------------- frames

@op("allocate_heap")
def allocate_heap(g: Gen, size: int, heap, live: int) -> None:
    """Push a frame of ``size`` Y registers (+ the CP word), first making room for it and
    for ``heap`` words of heap."""
    g.emit_allocate_check(heap, size + 1, live)
    g.emit(f"y = {_frame_literal(size)}")
    g.emit("c.y = y")
    g.stack_words(size + 1)
    g.set_y_local()


@op("allocate")
def allocate(g: Gen, size: int, live: int) -> None:
    allocate_heap(g, size, 0, live)


@op("allocate_zero")
def allocate_zero(g: Gen, size: int, live: int) -> None:
    allocate_heap(g, size, 0, live)


@op("allocate_heap_zero")
def allocate_heap_zero(g: Gen, size: int, heap, live: int) -> None:
    allocate_heap(g, size, heap, live)


@op("test_heap")
def test_heap(g: Gen, heap, live: int) -> None:
    g.emit_test_heap(heap, live)


@op("deallocate")
def deallocate(g: Gen, size: int) -> None:
    g.use_y()
    g.emit(f"c.cp = y[{size}]")
    g.emit(f"y = c.y = y[{size + 1}]")
    g.stack_words(-(size + 1))
    _return_gc(g)


@op("trim")
def trim(g: Gen, drop: int, remaining: int) -> None:
    g.use_y()
    g.emit(f"y = c.y = y[{drop}:]")
    g.stack_words(-drop)


@op("init")
def init(g: Gen, reg: Y) -> None:
    g.dst(reg, "NIL")


@op("init_yregs")
def init_yregs(g: Gen, regs: list) -> None:
    for reg in regs:
        g.dst(reg, "NIL")


# ---------------------------------------------------------------------------- moves

@op("move")
def move(g: Gen, src, dst) -> None:
    g.dst(dst, g.src(src))


@op("swap")
def swap(g: Gen, a, b) -> None:
    sa, sb = g.src(a), g.src(b)
    g.emit(f"{sa}, {sb} = {sb}, {sa}")


# ---------------------------------------------------------------------------- BIFs

_INLINE_INT_OPS = {"+": "+", "-": "-", "*": "*", "band": "&", "bor": "|", "bxor": "^"}

_BITWISE = frozenset(("band", "bor", "bxor"))
"""Inline operators whose big results follow AtomVM's intn (:mod:`avmsim.vm.intn`)."""

_NUMBER_BUILDERS = frozenset(("+", "-", "*", "/", "div", "rem", "band", "bor", "bxor", "bsl",
                              "bsr", "bnot", "abs", "float", "round", "trunc", "ceil",
                              "floor"))
"""BIFs whose result may be a new boxed number (bif.c ``make_maybe_boxed_int*``, floats):
a boxed integer or float result is charged, after a GC point with the live X registers.
Unary ones that return their argument unchanged (``abs(5)``, ``float(1.0)``) build nothing."""


_COMPARISONS = frozenset(("=:=", "=/=", "==", "/=", "<", ">", "=<", ">="))
"""BIFs that only compare their arguments: a literal argument need not be copied (its
fragment is still charged, see ``Gen.src``)."""


def _boxed_test(g: Gen, r: str, fresh: str = "") -> str:
    """Condition under which the number ``r`` lives on the heap (a float or an integer
    outside the small range)."""
    lo, hi = g.layout.small_min, g.layout.small_max
    return f"{fresh}({r}.__class__ is float or not {lo} <= {r} <= {hi})"


def _bif_call(g: Gen, fail: Label, index: int, args: list, dst, live: int = 0) -> None:
    """Emit a call to a BIF (an import of the module), with an integer fast path for arithmetic.

    Numbers the BIF boxes are charged where they are built (``BOX``: a GC point keeping the
    ``live`` X registers, then the words); a small integer result costs one range test."""
    kind, target = g.resolve_import(index)
    name = g.import_name(index)
    kept = name not in _COMPARISONS
    srcs = [g.src(a, kept) for a in args]
    if kind != "native":
        g.raise_("UNDEF_BIF()")
        return
    g.flush_heap()  # the BIF may collect: it must see what the block built so far
    g.begin_try(fail)
    if not g.heap_model and name in _INLINE_INT_OPS and len(args) == 2:
        operands = [g.int_operand(arg, local) for arg, local in zip(args, ("a", "b"))]
        checks = [f"{v}.__class__ is int" for v, known in operands if not known]
        (va, _), (vb, _) = operands
        g.dst(dst, f"{va} {_INLINE_INT_OPS[name]} {vb} if {' and '.join(checks) or 'True'} "
                   f"else {target}(c, {va}, {vb})")
    elif g.heap_model and name in _NUMBER_BUILDERS:
        if name in _INLINE_INT_OPS and len(args) == 2:
            operands = [g.int_operand(arg, local) for arg, local in zip(args, ("a", "b"))]
            checks = [f"{v}.__class__ is int" for v, known in operands if not known]
            (va, _), (vb, _) = operands
            lo, hi = g.layout.small_min, g.layout.small_max
            g.begin_if(" and ".join(checks) or "True")
            g.emit(f"r = {va} {_INLINE_INT_OPS[name]} {vb}")
            g.begin_if(f"not {lo} <= r <= {hi}")
            if name in _BITWISE:
                g.emit(f"r = {g.bind('BITWISE', bitwise_result)}(c.vm.layout, r, {va}, {vb})")
            g.emit(f"BOX(c, r, {live})")
            g.end_if()
            g.end_if()
            g.emit("else:")
            g.indent += 1
            g.emit(f"r = {target}(c, {va}, {vb})")
            g.begin_if(_boxed_test(g, "r"))
            g.emit(f"BOX(c, r, {live})")
            g.end_if()
            g.end_if()
        else:
            for i, src in enumerate(srcs):
                g.emit(f"a{i} = {src}")
            names = [f"a{i}" for i in range(len(srcs))]
            g.emit(f"r = {target}(c, {', '.join(names)})")
            fresh = "r is not a0 and " if len(names) == 1 else ""
            g.begin_if(_boxed_test(g, "r", fresh))
            g.emit(f"BOX(c, r, {live})")
            g.end_if()
        g.dst(dst, "r")
    else:
        g.dst(dst, f"{target}(c, {', '.join(srcs)})" if srcs else f"{target}(c)")
    g.end_try(fail)


@op("bif0")
def bif0(g: Gen, index: int, dst) -> None:
    _bif_call(g, Label(0), index, [], dst)


@op("bif1")
def bif1(g: Gen, fail: Label, index: int, a, dst) -> None:
    _bif_call(g, fail, index, [a], dst)


@op("bif2")
def bif2(g: Gen, fail: Label, index: int, a, b, dst) -> None:
    _bif_call(g, fail, index, [a, b], dst)


@op("bif3")
def bif3(g: Gen, fail: Label, index: int, a, b, c_, dst) -> None:
    _bif_call(g, fail, index, [a, b, c_], dst)


@op("gc_bif1")
def gc_bif1(g: Gen, fail: Label, live: int, index: int, a, dst) -> None:
    _bif_call(g, fail, index, [a], dst, live)


@op("gc_bif2")
def gc_bif2(g: Gen, fail: Label, live: int, index: int, a, b, dst) -> None:
    _bif_call(g, fail, index, [a, b], dst, live)


@op("gc_bif3")
def gc_bif3(g: Gen, fail: Label, live: int, index: int, a, b, c_, dst) -> None:
    _bif_call(g, fail, index, [a, b, c_], dst, live)


@op("on_load")
def on_load(g: Gen) -> None:
    raise g.unsupported("-on_load is not supported by AtomVM")

