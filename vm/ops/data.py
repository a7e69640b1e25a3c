"""Building and taking apart lists, tuples, maps and funs; errors raised by match failures."""
from __future__ import annotations

from .. import heap
from ..codegen import Gen, op
from ..operands import Const, Label
from ..runtime import BASE_NAMESPACE

BASE_NAMESPACE["MAP_BUILT"] = heap.map_built


@op("get_list")
def get_list(g: Gen, src, head, tail) -> None:
    g.emit(f"v = {g.src(src)}")
    g.dst(head, "v.hd")
    g.dst(tail, "v.tl")


@op("get_hd")
def get_hd(g: Gen, src, head) -> None:
    g.dst(head, f"{g.src(src)}.hd")


@op("get_tl")
def get_tl(g: Gen, src, tail) -> None:
    g.dst(tail, f"{g.src(src)}.tl")


@op("put_list")
def put_list(g: Gen, head, tail, dst) -> None:
    g.dst(dst, f"Cons({g.src(head)}, {g.src(tail)})")
    g.built(2)


@op("put_tuple2")
def put_tuple2(g: Gen, dst, elements: list) -> None:
    items = ", ".join(g.src(e) for e in elements)
    g.dst(dst, f"({items},)" if len(elements) == 1 else f"({items})")
    g.built(len(elements) + 1)


@op("get_tuple_element")
def get_tuple_element(g: Gen, src, index: int, dst) -> None:
    g.dst(dst, f"{g.src(src)}[{index}]")


@op("set_tuple_element")
def set_tuple_element(g: Gen, value, tup, index: int) -> None:
    g.emit(f"v = {g.src(tup)}")
    g.dst(tup, f"v[:{index}] + ({g.src(value)},) + v[{index + 1}:]")


@op("update_record")
def update_record(g: Gen, hint, size: int, src, dst, updates: list) -> None:
    g.emit(f"v = list({g.src(src)})")
    for i in range(0, len(updates), 2):
        position = updates[i].term if updates[i].__class__ is Const else updates[i]
        g.emit(f"v[{position - 1}] = {g.src(updates[i + 1])}")
    g.dst(dst, "tuple(v)")
    g.built(size + 1)


# ---------------------------------------------------------------------------- match errors

@op("badmatch", ends_block=True)
def badmatch(g: Gen, value) -> None:
    g.raise_(f"ERR((A_badmatch_, {g.src(value)}))")


@op("case_end", ends_block=True)
def case_end(g: Gen, value) -> None:
    g.raise_(f"ERR((A_case_clause_, {g.src(value)}))")


@op("try_case_end", ends_block=True)
def try_case_end(g: Gen, value) -> None:
    g.raise_(f"ERR((A_try_clause_, {g.src(value)}))")


@op("badrecord", ends_block=True)
def badrecord(g: Gen, value) -> None:
    g.raise_(f"ERR((A_badrecord_, {g.src(value)}))")


@op("if_end", ends_block=True)
def if_end(g: Gen) -> None:
    g.raise_("ERR(A_if_clause_)")


# ---------------------------------------------------------------------------- funs

@op("make_fun2")
def make_fun2(g: Gen, index: int) -> None:
    g.emit(f"x[0] = MAKE_FUN({index}, x)")
    g.built(3 + g.fun_free[index])


@op("make_fun3")
def make_fun3(g: Gen, index: int, dst, free: list) -> None:
    g.dst(dst, f"MAKE_FUN_FREE({index}, ({''.join(g.src(f) + ', ' for f in free)}))")
    g.built(3 + len(free))


@op("call_fun", ends_block=True)
def call_fun(g: Gen, arity: int) -> None:
    g.counted()
    g.emit(f"return CALL_FUN(c, x[{arity}], {arity}, {g.new_block_after()})")


@op("call_fun2", ends_block=True)
def call_fun2(g: Gen, tag, arity: int, fun) -> None:
    g.counted()
    g.emit(f"return CALL_FUN(c, {g.src(fun)}, {arity}, {g.new_block_after()})")


# ---------------------------------------------------------------------------- maps

def _map_pairs(g: Gen, pairs: list) -> str:
    return "(" + "".join(f"({g.src(pairs[i])}, {g.src(pairs[i + 1])}), "
                         for i in range(0, len(pairs), 2)) + ")"


def _put_map(g: Gen, helper: str, fail: Label, src, dst, live: int, pairs: list) -> None:
    """Build the new map into ``m_``, charge it (``MAP_BUILT``: a GC point keeping the
    ``live`` X registers, then the map), then store it."""
    if not g.heap_model:
        g.begin_try(fail)
        g.dst(dst, f"{helper}({g.src(src)}, {_map_pairs(g, pairs)})")
        g.end_try(fail)
        return
    g.flush_heap()
    g.begin_try(fail)
    g.emit(f"v = {g.src(src)}")
    g.emit(f"m_ = {helper}(v, {_map_pairs(g, pairs)})")
    g.end_try(fail)
    g.emit(f"MAP_BUILT(c, m_, len(v), {live})")
    g.dst(dst, "m_")


@op("put_map_assoc")
def put_map_assoc(g: Gen, fail: Label, src, dst, live: int, pairs: list) -> None:
    _put_map(g, "MAP_ASSOC", fail, src, dst, live, pairs)


@op("put_map_exact")
def put_map_exact(g: Gen, fail: Label, src, dst, live: int, pairs: list) -> None:
    _put_map(g, "MAP_EXACT", fail, src, dst, live, pairs)


@op("has_map_fields")
def has_map_fields(g: Gen, fail: Label, src, keys: list) -> None:
    g.emit(f"v = ({g.src(src)}).d")  # parenthesised: a literal source may be a number
    for k in keys:
        g.fail_if(f"MAPKEY({g.src(k)}) not in v", fail)


@op("get_map_elements")
def get_map_elements(g: Gen, fail: Label, src, pairs: list) -> None:
    g.emit(f"v = ({g.src(src)}).d")  # parenthesised: a literal source may be a number
    for i in range(0, len(pairs), 2):
        g.emit(f"kv = v.get(MAPKEY({g.src(pairs[i])}))")
        g.fail_if("kv is None", fail)
        g.dst(pairs[i + 1], "kv[1]")
