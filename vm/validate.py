"""Load-time validation: every operand of every instruction against what its opcode needs.

Why: the code generator (``vm/ops``) trusts its operands — a destination is a register, a
label is defined, an import index is in the table — as the BEAM compiler guarantees. A
corrupt or hand-made module breaks those promises, and the generator would then fail with a
Python exception (an "internal error", exit 70) or emit code that misbehaves. So the loader
checks the whole Code chunk here first, against one table (:data:`OPERAND_KINDS`: opcode ->
the kind of each operand, after OTP's ``genop.tab`` and the compiler's output), and refuses
the module with one :class:`~.errors.BadBeamError` naming the module, the function and the
instruction. The limits are the VM's own (X and float registers) or generous bounds no
compiler output comes near, which keep the work a corrupt number can cause at load small.
"""
from __future__ import annotations

from typing import Any, Callable

from .beam_file import BeamModule
from .errors import BadBeamError, UnsupportedOpcodeError
from .operands import FR, Alloc, Const, Instr, Label, X, Y
from .process import FLOAT_REGISTERS, X_REGISTERS
from .terms import NIL, Atom
from .validate_frames import frame_problem

MAX_ARITY = 255
"""Erlang's largest function arity (OTP's ``MAX_ARG``)."""
MAX_FRAME = 1 << 16
"""Largest stack frame (Y registers) accepted; far above what the compiler emits."""
MAX_HEAP = 1 << 32
"""Largest heap need (words) accepted in allocate_heap, test_heap and allocation lists."""
MAX_UINT = (1 << 32) - 1
"""Largest plain number operand (arities, units, string offsets, line refs…)."""
MAX_INT_SIZE = 1 << 64
"""Largest magnitude of a constant bit-syntax size or value."""

BIN_SEGMENT_TYPES = frozenset(("integer", "float", "binary", "bitstring", "append",
                               "private_append", "utf8", "utf16", "utf32", "string"))
"""Segment types of bs_create_bin (the first of each group of six operands)."""


BEFORE_FUNCTIONS = "before its first function"


class _Context:
    """The module being checked: what range checks need, and where we are (for messages)."""

    def __init__(self, beam: BeamModule, labels: set[int]) -> None:
        self.beam = beam
        self.labels = labels
        self.imports = len(beam.imports)
        self.funs = len(beam.funs)
        self.strings = len(beam.strings)
        self.function = BEFORE_FUNCTIONS

    def fail(self, ins: Instr, what: str) -> BadBeamError:
        return BadBeamError(f"{self.beam.origin}: module {self.beam.name.name}, "
                            f"{self.function}: instruction {ins.name}: {what}")


Check = Callable[[Any, _Context], str | None]
"""An operand kind: returns None when the operand fits, else what was expected."""


def _spelled(n: int) -> str:
    return str(n) if -1 << 64 < n < 1 << 64 else "(a huge number)"


def describe(operand: Any) -> str:
    """How an operand reads in an error message."""
    cls = operand.__class__
    if cls in _REGISTER_NAMES:
        return f"{_REGISTER_NAMES[cls]}{_spelled(operand.n)}"
    if cls is Label:
        return f"label {_spelled(operand.n)}"
    if cls is Alloc:
        return "an allocation list"
    if cls is list:
        return f"a list of {len(operand)} operands"
    if cls is int:
        return f"the number {_spelled(operand)}"
    term = operand.term
    if term is NIL:
        return "the empty list"
    if term.__class__ is Atom:
        return f"the atom {term.name!r}"
    if term.__class__ is int:
        return f"the integer {_spelled(term)}"
    return "a literal"


_REGISTER_NAMES = {X: "register x", Y: "register y", FR: "float register fr"}


def _number(limit: int, what: str) -> Check:
    def check(v: Any, ctx: _Context) -> str | None:
        if v.__class__ is int and 0 <= v <= limit:
            return None
        return f"{what} (0..{limit})"
    return check


def _register(v: Any, ctx: _Context) -> str | None:
    cls = v.__class__
    if cls is X:
        return None if v.n < X_REGISTERS else f"an X register below x{X_REGISTERS}"
    if cls is Y:
        return None if v.n < MAX_FRAME else f"a Y register below y{MAX_FRAME}"
    return "a register"


def _y_register(v: Any, ctx: _Context) -> str | None:
    return _register(v, ctx) if v.__class__ is Y else "a Y register"


def _float_register(v: Any, ctx: _Context) -> str | None:
    if v.__class__ is FR and v.n < FLOAT_REGISTERS:
        return None
    return f"a float register (fr0..fr{FLOAT_REGISTERS - 1})"


def _source(v: Any, ctx: _Context) -> str | None:
    if v.__class__ is Const:
        return None
    return None if _register(v, ctx) is None else "a register or a literal"


def _float_source(v: Any, ctx: _Context) -> str | None:
    if v.__class__ is FR:
        return _float_register(v, ctx)
    return None if _source(v, ctx) is None else "a register, float register or literal"


def _float_destination(v: Any, ctx: _Context) -> str | None:
    if v.__class__ is FR:
        return _float_register(v, ctx)
    return None if _register(v, ctx) is None else "a register or float register"


def _label(v: Any, ctx: _Context) -> str | None:
    if v.__class__ is Label and v.n in ctx.labels:
        return None
    return "a label defined in the module"


def _fail_label(v: Any, ctx: _Context) -> str | None:
    """A label, or label 0: "no fail label, raise instead"."""
    if v.__class__ is Label and v.n == 0:
        return None
    return None if _label(v, ctx) is None else "a label defined in the module, or 0"


def _match_fail(v: Any, ctx: _Context) -> str | None:
    """bs_start_match4's fail operand: a label, or the atom no_fail or resume."""
    if v.__class__ is Const and v.term.__class__ is Atom:
        return None
    return None if _fail_label(v, ctx) is None else "a label or the atom no_fail/resume"


def _import(v: Any, ctx: _Context) -> str | None:
    if v.__class__ is int and v < ctx.imports:
        return None
    return f"an import index below {ctx.imports} (the import table's size)"


def _fun(v: Any, ctx: _Context) -> str | None:
    if v.__class__ is int and v < ctx.funs:
        return None
    return f"a fun index below {ctx.funs} (the fun table's size)"


def _atom(v: Any, ctx: _Context) -> str | None:
    return None if v.__class__ is Const and v.term.__class__ is Atom else "an atom"


def _heap(v: Any, ctx: _Context) -> str | None:
    if v.__class__ is Alloc:
        if max(v.words, v.floats, v.funs) <= MAX_HEAP:
            return None
        return f"an allocation list of at most {MAX_HEAP} words of each kind"
    return _number(MAX_HEAP, "a heap size or allocation list")(v, ctx)


def _size(v: Any, ctx: _Context) -> str | None:
    """A bit-syntax size: a register, an integer, or an atom (``all``, ``undefined``)."""
    if v.__class__ is Const:
        if v.term.__class__ is int:
            return None if _small_int(v) else f"a size below {MAX_INT_SIZE}"
        return None
    if v.__class__ is int:
        return None if v < MAX_INT_SIZE else f"a size below {MAX_INT_SIZE}"
    return None if _register(v, ctx) is None else "a register, an integer or the atom all"


def _flags(v: Any, ctx: _Context) -> str | None:
    """Bit-syntax flags: a number (legacy field flags) or a literal (a list of atoms)."""
    return None if v.__class__ is int or v.__class__ is Const else "flags (a number or literal)"


def _segment_flags(v: Any, ctx: _Context) -> str | None:
    """bs_create_bin's flags: also a register, read at run time (opcodesswitch.h decodes
    the operand as any compact term, then walks it as a list of flag atoms)."""
    if _flags(v, ctx) is None or _register(v, ctx) is None:
        return None
    return "flags (a number, literal or register)"


def _any(v: Any, ctx: _Context) -> str | None:
    return None


_UINT = _number(MAX_UINT, "a number")
_SINGLE: dict[str, Check] = {
    "src": _source, "reg": _register, "dst": _register, "y": _y_register,
    "fr": _float_register, "fsrc": _float_source, "fdst": _float_destination,
    "label": _label, "fail": _fail_label, "match_fail": _match_fail,
    "import": _import, "fun": _fun, "atom": _atom, "heap": _heap,
    "arity": _number(MAX_ARITY, "an arity"), "live": _number(X_REGISTERS, "a live count"),
    "frame": _number(MAX_FRAME, "a frame size"), "uint": _UINT,
    "size": _size, "flags": _flags, "segment_flags": _segment_flags, "any": _any,
}
"""Kinds of single operands, by the name used in :data:`OPERAND_KINDS`."""


# ---------------------------------------------------------------------------- list operands
# A list check returns None, or a whole clause saying what is wrong with the list.

def _items(kinds: tuple[str, ...]) -> Callable[[list, _Context], str | None]:
    """A list of groups, each group's items of ``kinds`` in turn (pairs, triples…)."""
    def check(items: list, ctx: _Context) -> str | None:
        if len(items) % len(kinds):
            return f"groups of {len(kinds)} items were expected"
        for i, item in enumerate(items):
            problem = _SINGLE[kinds[i % len(kinds)]](item, ctx)
            if problem is not None:
                return _item(i, item, problem)
        return None
    return check


def _item(i: int, item: Any, expected: str) -> str:
    return f"its item {i + 1} is {describe(item)}, {expected} was expected"


def _pairs_of(key: Callable[[Any], bool], expected: str, value: str
              ) -> Callable[[list, _Context], str | None]:
    """(key, ``value`` kind) pairs whose keys satisfy ``key``."""
    def check(items: list, ctx: _Context) -> str | None:
        problem = _items(("any", value))(items, ctx)
        if problem is not None:
            return problem
        for i in range(0, len(items), 2):
            if not key(items[i]):
                return _item(i, items[i], expected)
        return None
    return check


def _small_int(v: Any) -> bool:
    """An integer constant (plain or tagged) of a magnitude the generator can spell."""
    term = v.term if v.__class__ is Const else v
    return term.__class__ is int and -MAX_INT_SIZE < term < MAX_INT_SIZE


def _position(v: Any) -> bool:
    return _small_int(v) and _plain(v) >= 1


def _plain(v: Any) -> Any:
    return v.term if v.__class__ is Const else v


def _bin_segments(items: list, ctx: _Context) -> str | None:
    """bs_create_bin: groups of (type, segment number, unit, flags, value, size)."""
    problem = _items(("atom", "uint", "uint", "segment_flags", "any", "size"))(items, ctx)
    if problem is not None:
        return problem
    for i in range(0, len(items), 6):
        kind, value = items[i].term.name, items[i + 4]
        if kind not in BIN_SEGMENT_TYPES:
            return _item(i, items[i], "a segment type")
        if kind == "string":
            size = _plain(items[i + 5])
            if not (_small_int(value) and _small_int(size)):
                return _item(i + 4, value, "a string offset and size")
            problem = _in_strings(ctx, _plain(value), size * items[i + 2] >> 3)
            if problem is not None:
                return f"its segment {i // 6 + 1} {problem}"
        if kind != "string" and _source(value, ctx) is not None:
            return _item(i + 4, value, "a register or a literal")
    return None


BS_MATCH_COMMANDS: dict[str, tuple[str, ...]] = {
    "ensure_at_least": ("bits", "uint"),
    "ensure_exactly": ("bits",),
    "integer": ("live", "flags", "bits", "uint", "dst"),
    "binary": ("live", "flags", "bits", "uint", "dst"),
    "skip": ("bits",),
    "get_tail": ("live", "uint", "dst"),
    "=:=": ("any", "bits", "value"),      # OTP emits [] for its live count
}
"""bs_match (OTP 26+) commands: name -> the kinds of the operands that follow it. ``bits``
and ``value`` are integers, plain or tagged (``value`` must fit in the bits before it)."""


def _bits(v: Any, ctx: _Context) -> str | None:
    n = _plain(v)
    return None if n.__class__ is int and 0 <= n <= MAX_UINT else f"a bit count (0..{MAX_UINT})"


_MATCH_KINDS: dict[str, Check] = {**_SINGLE, "bits": _bits}


def _bs_match_commands(items: list, ctx: _Context) -> str | None:
    i = 0
    while i < len(items):
        name = items[i]
        if _atom(name, ctx) is not None or name.term.name not in BS_MATCH_COMMANDS:
            return _item(i, name, "a bs_match command")
        kinds = BS_MATCH_COMMANDS[name.term.name]
        args = items[i + 1:i + 1 + len(kinds)]
        if len(args) < len(kinds):
            return f"its command {name.term.name} has {len(args)} operands, {len(kinds)} " \
                   "were expected"
        for j, (kind, arg) in enumerate(zip(kinds, args)):
            if kind == "value":
                value, size = _plain(arg), _plain(args[j - 1])
                fits = value.__class__ is int and 0 <= value and value.bit_length() <= size
                problem = None if fits else f"a value of {size} bits"
            else:
                problem = _MATCH_KINDS[kind](arg, ctx)
            if problem is not None:
                return _item(i + 1 + j, arg, problem)
        i += 1 + len(kinds)
    return None


def _in_strings(ctx: _Context, offset: int, length: int) -> str | None:
    """A piece of the string table (StrT chunk) that must exist."""
    if 0 <= offset and 0 <= length and offset + length <= ctx.strings:
        return None
    return (f"reads {_spelled(length)} bytes at offset {_spelled(offset)} of the string "
            f"table, which has {ctx.strings}")


def _import_arity(arity: int, index: int, ctx: _Context) -> str | None:
    """A call or BIF passes as many arguments as the function it imports takes."""
    m, f, a = ctx.beam.imports[index]
    if a == arity:
        return None
    return f"passes {arity} arguments to {m.name}:{f.name}/{a}"


INSTRUCTION_CHECKS: dict[str, Callable[[tuple, _Context], str | None]] = {
    "bs_match_string": lambda args, ctx: _in_strings(ctx, args[3], (args[2] + 7) >> 3),
    "bs_put_string": lambda args, ctx: _in_strings(ctx, args[1], args[0]),
    **{name: lambda args, ctx: _import_arity(args[0], args[1], ctx)
       for name in ("call_ext", "call_ext_last", "call_ext_only")},
    "bif0": lambda args, ctx: _import_arity(0, args[0], ctx),
    **{f"bif{n}": lambda args, ctx, n=n: _import_arity(n, args[1], ctx) for n in (1, 2, 3)},
    **{f"gc_bif{n}": lambda args, ctx, n=n: _import_arity(n, args[2], ctx) for n in (1, 2, 3)},
}
"""Checks across operands, run once every operand has its kind."""


_LISTS: dict[str, Callable[[list, _Context], str | None]] = {
    "srcs": _items(("src",)), "ys": _items(("y",)), "map_pairs": _items(("src", "src")),
    "get_pairs": _items(("src", "dst")),
    "select_pairs": _pairs_of(lambda k: k.__class__ is Const, "a literal", "label"),
    "arity_pairs": _pairs_of(_small_int, "an integer", "label"),
    "record_updates": _pairs_of(_position, "a position from 1", "src"),
    "bin_segments": _bin_segments, "bs_match_commands": _bs_match_commands,
}
"""Kinds of list operands (an extended list, tag z1)."""


# ---------------------------------------------------------------------------- the table

_TYPE_TESTS = ("is_integer", "is_float", "is_number", "is_atom", "is_pid", "is_reference",
               "is_port", "is_nil", "is_binary", "is_list", "is_nonempty_list", "is_tuple",
               "is_function", "is_boolean", "is_bitstr", "is_map")
_COMPARISONS = ("is_lt", "is_ge", "is_eq", "is_ne", "is_eq_exact", "is_ne_exact")
_FLOAT_ARITH = ("fadd", "fsub", "fmul", "fdiv")

OPERAND_KINDS: dict[str, tuple[str, ...]] = {
    "label": ("uint",), "func_info": ("atom", "atom", "arity"), "int_code_end": (),
    "line": ("uint",), "executable_line": ("any", "any"),
    "debug_line": ("any", "any", "any", "any"), "nif_start": (), "on_load": (),
    # calls
    "call": ("arity", "label"), "call_last": ("arity", "label", "frame"),
    "call_only": ("arity", "label"), "call_ext": ("arity", "import"),
    "call_ext_last": ("arity", "import", "frame"), "call_ext_only": ("arity", "import"),
    "apply": ("arity",), "apply_last": ("arity", "frame"), "return": (), "jump": ("label",),
    "call_fun": ("arity",), "call_fun2": ("any", "arity", "src"),
    "bif0": ("import", "dst"), "bif1": ("fail", "import", "src", "dst"),
    "bif2": ("fail", "import", "src", "src", "dst"),
    "bif3": ("fail", "import", "src", "src", "src", "dst"),
    "gc_bif1": ("fail", "live", "import", "src", "dst"),
    "gc_bif2": ("fail", "live", "import", "src", "src", "dst"),
    "gc_bif3": ("fail", "live", "import", "src", "src", "src", "dst"),
    # frames and heap
    "allocate": ("frame", "live"), "allocate_zero": ("frame", "live"),
    "allocate_heap": ("frame", "heap", "live"), "allocate_heap_zero": ("frame", "heap", "live"),
    "test_heap": ("heap", "live"), "deallocate": ("frame",), "trim": ("frame", "frame"),
    "init": ("y",), "init_yregs": ("ys",),
    # messages
    "send": (), "remove_message": (), "timeout": (), "loop_rec": ("label", "dst"),
    "loop_rec_end": ("label",), "wait": ("label",), "wait_timeout": ("label", "src"),
    "recv_marker_reserve": ("dst",), "recv_marker_bind": ("src", "src"),
    "recv_marker_clear": ("src",), "recv_marker_use": ("src",),
    # tests and branches
    **{name: ("label", "src") for name in _TYPE_TESTS},
    **{name: ("label", "src", "src") for name in _COMPARISONS},
    "test_arity": ("label", "reg", "uint"), "is_function2": ("label", "src", "src"),
    "is_tagged_tuple": ("label", "reg", "uint", "atom"),
    "select_val": ("src", "label", "select_pairs"),
    "select_tuple_arity": ("reg", "label", "arity_pairs"),
    # data
    "move": ("src", "dst"), "swap": ("dst", "dst"), "get_list": ("reg", "dst", "dst"),
    "get_hd": ("reg", "dst"), "get_tl": ("reg", "dst"), "put_list": ("src", "src", "dst"),
    "put_tuple2": ("dst", "srcs"), "get_tuple_element": ("reg", "uint", "dst"),
    "set_tuple_element": ("src", "dst", "uint"),
    "update_record": ("any", "uint", "src", "dst", "record_updates"),
    "badmatch": ("src",), "case_end": ("src",), "try_case_end": ("src",),
    "badrecord": ("src",), "if_end": (),
    "make_fun2": ("fun",), "make_fun3": ("fun", "dst", "srcs"),
    "put_map_assoc": ("fail", "src", "dst", "live", "map_pairs"),
    "put_map_exact": ("fail", "src", "dst", "live", "map_pairs"),
    "has_map_fields": ("label", "src", "srcs"),
    "get_map_elements": ("label", "src", "get_pairs"),
    # exceptions
    "catch": ("y", "label"), "try": ("y", "label"), "catch_end": ("y",),
    "try_end": ("y",), "try_case": ("y",), "raise": ("src", "src"),
    "raw_raise": (), "build_stacktrace": (),
    # floats
    "fmove": ("fsrc", "fdst"),
    "fconv": ("src", "fr"), **{name: ("fail", "fr", "fr", "fr") for name in _FLOAT_ARITH},
    "fnegate": ("fail", "fr", "fr"),
    # binary construction
    "bs_create_bin": ("fail", "heap", "live", "uint", "dst", "bin_segments"),
    "bs_init_writable": (), "bs_init_bits": ("fail", "size", "heap", "live", "flags", "dst"),
    "bs_append": ("fail", "size", "size", "live", "uint", "src", "flags", "dst"),
    "bs_private_append": ("fail", "size", "uint", "src", "flags", "dst"),
    **{f"bs_put_{k}": ("fail", "size", "uint", "flags", "src")
       for k in ("integer", "binary", "float")},
    **{f"bs_put_{k}": ("fail", "flags", "src") for k in ("utf8", "utf16", "utf32")},
    "bs_put_string": ("uint", "uint"), "bs_add": ("fail", "src", "src", "uint", "dst"),
    "bs_utf8_size": ("fail", "src", "dst"), "bs_utf16_size": ("fail", "src", "dst"),
    # binary matching
    "bs_start_match3": ("fail", "src", "live", "dst"),
    "bs_start_match4": ("match_fail", "live", "src", "dst"),
    "bs_get_position": ("reg", "dst", "live"), "bs_set_position": ("reg", "src"),
    "bs_get_tail": ("reg", "dst", "live"),
    **{f"bs_get_{k}2": ("label", "reg", "live", "size", "uint", "flags", "dst")
       for k in ("integer", "float", "binary")},
    "bs_skip_bits2": ("label", "reg", "size", "uint", "flags"),
    "bs_test_tail2": ("label", "reg", "uint"), "bs_test_unit": ("label", "reg", "uint"),
    "bs_match_string": ("label", "reg", "uint", "uint"),
    **{f"bs_get_{k}": ("label", "reg", "live", "flags", "dst") for k in ("utf8", "utf16", "utf32")},
    **{f"bs_skip_{k}": ("label", "reg", "live", "flags") for k in ("utf8", "utf16", "utf32")},
    "bs_match": ("label", "reg", "bs_match_commands"),
}
"""Opcode name -> the kind of each operand, in order. Single kinds are in ``_SINGLE``, list
kinds in ``_LISTS``. An opcode missing here has no code generator either."""


def _operand_check(kind: str) -> Check:
    """The check of one kind, list kinds included (where anything but a list fails)."""
    single = _SINGLE.get(kind)
    if single is not None:
        return single
    of_list = _LISTS[kind]
    return lambda v, ctx: of_list(v, ctx) if v.__class__ is list else "a list"


_CHECKS: dict[str, tuple[Check, ...]] = {
    name: tuple(_operand_check(kind) for kind in kinds) for name, kinds in OPERAND_KINDS.items()}
""":data:`OPERAND_KINDS` with each kind replaced by its check (the loop below is hot)."""


def _operand_problem(ins: Instr, ctx: _Context) -> str:
    """The message for the first operand of ``ins`` that fails its check."""
    for i, (kind, operand) in enumerate(zip(OPERAND_KINDS[ins.name], ins.args)):
        problem = _operand_check(kind)(operand, ctx)
        if problem is not None:
            if kind in _LISTS and operand.__class__ is list:
                return f"operand {i + 1} is {describe(operand)}: {problem}"
            return f"operand {i + 1} is {describe(operand)}, {problem} was expected"
    raise AssertionError("no operand fails")


def _labels(beam: BeamModule) -> set[int]:
    """Labels the module defines (each once)."""
    labels: set[int] = set()
    for ins in beam.instructions:
        if ins.name == "label":
            n = ins.args[0]
            if n.__class__ is not int or n == 0 or n > MAX_UINT:
                problem = f"operand 1 is {describe(n)}, a label number was expected"
            elif n in labels:
                problem = f"label {n} is defined twice"
            else:
                labels.add(n)
                continue
            raise BadBeamError(f"{beam.origin}: module {beam.name.name}: instruction label: "
                               f"{problem}")
    return labels


def _check_tables(beam: BeamModule, labels: set[int]) -> None:
    """Exports and funs must point at labels of the code."""
    where = f"{beam.origin}: module {beam.name.name}"
    for f, arity, label in beam.exports:
        if label not in labels:
            raise BadBeamError(f"{where}: export {f.name}/{arity} points at label {label}, "
                               "which the code does not define")
    for i, fun in enumerate(beam.funs):
        if fun.label not in labels:
            raise BadBeamError(f"{where}: fun {i} ({fun.function.name}) points at label "
                               f"{fun.label}, which the code does not define")
        if not 0 <= fun.arity - fun.num_free <= MAX_ARITY:
            raise BadBeamError(f"{where}: fun {i} ({fun.function.name}) has arity "
                               f"{fun.arity} with {fun.num_free} free variables")


def validate(beam: BeamModule) -> None:
    """Raise :class:`BadBeamError` (:class:`UnsupportedOpcodeError` for an opcode with no
    code generator) at the first instruction or table entry that does not fit: operand
    kinds first, then the stack frame along every path (``validate_frames``)."""
    labels = _labels(beam)
    _check_tables(beam, labels)
    ctx = _Context(beam, labels)
    checks_of = _CHECKS
    for ins in beam.instructions:
        checks = checks_of.get(ins.name)
        if checks is None:
            raise UnsupportedOpcodeError(str(ctx.fail(ins, f"opcode {ins.opcode} is not "
                                                           "supported by avmsim")))
        for check, operand in zip(checks, ins.args):
            if check(operand, ctx) is not None:
                raise ctx.fail(ins, _operand_problem(ins, ctx))
        extra = INSTRUCTION_CHECKS.get(ins.name)
        problem = extra(ins.args, ctx) if extra is not None else None
        if problem is not None:
            raise ctx.fail(ins, f"it {problem}")
        if ins.name == "func_info":
            ctx.function = _function_name(ins)
    found = frame_problem(beam)
    if found is not None:
        index, problem = found
        ctx.function = next((_function_name(ins) for ins in reversed(beam.instructions[:index])
                             if ins.name == "func_info"), BEFORE_FUNCTIONS)
        raise ctx.fail(beam.instructions[index], problem)


def _function_name(func_info: Instr) -> str:
    return f"function {func_info.args[1].term.name}/{func_info.args[2]}"
