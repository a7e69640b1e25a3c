"""Type tests, comparisons and multi-way branches: each jumps to its fail label when false."""
from __future__ import annotations

from ..codegen import Gen, op
from ..operands import Const, Label
from ..terms import Atom, map_key

_CLASS_TESTS = {
    "is_integer": "{v}.__class__ is not int",
    "is_float": "{v}.__class__ is not float",
    "is_number": "{v}.__class__ is not int and {v}.__class__ is not float",
    "is_atom": "{v}.__class__ is not Atom",
    "is_pid": "{v}.__class__ is not Pid and {v}.__class__ is not ExtPid",
    "is_port": "{v}.__class__ is not Port and {v}.__class__ is not ExtPort",
    "is_reference": "{v}.__class__ is not Ref and {v}.__class__ is not ExtRef",
    "is_nil": "{v} is not NIL",
    "is_binary": "{v}.__class__ is not bytes",
    "is_bitstr": "{v}.__class__ is not bytes and {v}.__class__ is not BitStr",
    "is_list": "{v}.__class__ is not Cons and {v} is not NIL",
    "is_nonempty_list": "{v}.__class__ is not Cons",
    "is_tuple": "{v}.__class__ is not tuple",
    "is_function": "{v}.__class__ is not Fun and {v}.__class__ is not ExtFun",
    "is_boolean": "{v} is not TRUE and {v} is not FALSE",
    "is_map": "{v}.__class__ is not Map",
}


def _make_class_test(name: str, template: str) -> None:
    def gen(g: Gen, fail: Label, value) -> None:
        v = g.src(value)
        # a literal gets a local too: `0 is not NIL` is a SyntaxWarning
        if value.__class__ is Const or template.count("{v}") > 1 and not v.isidentifier():
            g.emit(f"v = {v}")
            v = "v"
        g.fail_if(template.format(v=v), fail)
    op(name)(gen)


for _name, _template in _CLASS_TESTS.items():
    _make_class_test(_name, _template)


@op("is_function2")
def is_function2(g: Gen, fail: Label, value, arity) -> None:
    g.fail_if(f"not IS_FUN2({g.src(value)}, {g.src(arity)})", fail)


@op("test_arity")
def test_arity(g: Gen, fail: Label, value, arity: int) -> None:
    g.fail_if(f"len({g.src(value)}) != {arity}", fail)


@op("is_tagged_tuple")
def is_tagged_tuple(g: Gen, fail: Label, value, arity: int, tag: Const) -> None:
    g.emit(f"v = {g.src(value)}")
    g.fail_if(f"v.__class__ is not tuple or len(v) != {arity} or v[0] is not {g.src(tag)}", fail)


def _is_immediate_const(operand) -> bool:
    return operand.__class__ is Const and (operand.term.__class__ is Atom
                                           or operand.term.__class__.__name__ == "Nil")


def _identity_operand(g: Gen, a) -> str:
    """``a`` for an ``is`` comparison: a literal goes through a local (`5 is not A` is a
    SyntaxWarning)."""
    if a.__class__ is Const:
        g.emit(f"v = {g.src(a)}")
        return "v"
    return g.src(a)


@op("is_eq_exact")
def is_eq_exact(g: Gen, fail: Label, a, b) -> None:
    if _is_immediate_const(b):
        g.fail_if(f"{_identity_operand(g, a)} is not {g.src(b)}", fail)
    elif b.__class__ is Const and b.term.__class__ is int:
        g.emit(f"v = {g.src(a)}")
        g.fail_if(f"v != {g.src(b)} or v.__class__ is not int", fail)
    else:
        g.fail_if(f"not EQX({g.src(a, kept=False)}, {g.src(b, kept=False)})", fail)


@op("is_ne_exact")
def is_ne_exact(g: Gen, fail: Label, a, b) -> None:
    if _is_immediate_const(b):
        g.fail_if(f"{_identity_operand(g, a)} is {g.src(b)}", fail)
    else:
        g.fail_if(f"EQX({g.src(a, kept=False)}, {g.src(b, kept=False)})", fail)


@op("is_eq")
def is_eq(g: Gen, fail: Label, a, b) -> None:
    g.fail_if(f"CMP({g.src(a, kept=False)}, {g.src(b, kept=False)}) != 0", fail)


@op("is_ne")
def is_ne(g: Gen, fail: Label, a, b) -> None:
    g.fail_if(f"CMP({g.src(a, kept=False)}, {g.src(b, kept=False)}) == 0", fail)


def _ordering(name: str, failing: str) -> None:
    def gen(g: Gen, fail: Label, a, b) -> None:
        va, a_int = g.int_operand(a, "a")
        vb, b_int = g.int_operand(b, "b")
        checks = [f"{v}.__class__ is int" for v, known in ((va, a_int), (vb, b_int)) if not known]
        fast = " and ".join(checks) or "True"
        g.fail_if(f"({va} {failing} {vb}) if {fast} else CMP({va}, {vb}) {failing} 0", fail)
    op(name)(gen)


_ordering("is_lt", ">=")
_ordering("is_ge", "<")


@op("select_val", ends_block=True)
def select_val(g: Gen, value, fail: Label, pairs: list) -> None:
    """Multi-way branch on a value: one dict look-up, keyed so that 1 and 1.0 differ."""
    keys = [pairs[i].term for i in range(0, len(pairs), 2)]
    targets = [g.block_of(pairs[i + 1]) for i in range(0, len(pairs), 2)]
    fail_block = g.block_of(fail)
    g.emit(f"v = {g.src(value)}")
    kinds = {k.__class__ for k in keys}
    if kinds == {int} or kinds == {Atom}:
        name = g.bind("SV", dict(zip(keys, targets)))
        kind = "int" if kinds == {int} else "Atom"
        g.goto(f"{name}.get(v, {fail_block}) if v.__class__ is {kind} else {fail_block}")
    else:
        name = g.bind("SV", {map_key(k): t for k, t in zip(keys, targets)})
        g.goto(f"{name}.get(MAPKEY(v), {fail_block})")


@op("select_tuple_arity", ends_block=True)
def select_tuple_arity(g: Gen, value, fail: Label, pairs: list) -> None:
    table = {getattr(pairs[i], "term", pairs[i]): g.block_of(pairs[i + 1])
             for i in range(0, len(pairs), 2)}
    name = g.bind("ST", table)
    g.goto(f"{name}.get(len({g.src(value)}), {g.block_of(fail)})")
