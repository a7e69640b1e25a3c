"""The ``maps`` module's functions, natively, with OTP's error reasons
(``{badmap, M}``, ``{badkey, K}``, ``badarg``).

Iterators are AtomVM's (nifs.c ``nif_maps_next``): ``[Index | Map]`` with ``Index`` into
the keys in term order (AtomVM's sorted maps), or ``[Keys | Map]`` with the keys still to
visit, in the order ``maps:iterator/2`` chose. ``maps:next/1`` returns ``{K, V, [Index + 1 |
Map]}`` / ``{K, V, [RestKeys | Map]}``, or ``none`` at the end (also for a key no longer in
the map, as AtomVM). ``maps:to_list/1`` takes a map or such an iterator (AtomVM's maps.erl;
its io_lib formats every map through ``maps:to_list(maps:iterator(M, undefined))``).
"""
from __future__ import annotations

from typing import Any

from ..errors import badarg, error
from ..natives import native
from ..terms import FALSE, NIL, TRUE, Cons, Map, atom, from_list, map_key
from ._util import (BADKEY, NONE, all_args, cells, charge_results, list_cells, list_items, need_map,
                    new_map)

ERROR_ATOM = atom("error")
OK_ATOM = atom("ok")


@native("maps", "get", 2)
def get2(ctx, key, m):
    kv = need_map(m).d.get(map_key(key))
    if kv is None:
        raise error((BADKEY, key))
    return kv[1]


@native("maps", "get", 3)
def get3(ctx, key, m, default):
    kv = need_map(m).d.get(map_key(key))
    return default if kv is None else kv[1]


@native("maps", "find", 2)
def find(ctx, key, m):
    kv = need_map(m).d.get(map_key(key))
    return ERROR_ATOM if kv is None else (OK_ATOM, kv[1])


@native("maps", "put", 3)
def put(ctx, key, value, m):
    return need_map(m).put(key, value)


@native("maps", "update", 3)
def update(ctx, key, value, m):
    if map_key(key) not in need_map(m).d:
        raise error((BADKEY, key))
    return m.put(key, value)


@native("maps", "remove", 2)
def remove(ctx, key, m):
    k = map_key(key)
    if k not in need_map(m).d:
        return m
    d = dict(m.d)
    del d[k]
    return Map(d)


@native("maps", "take", 2)
def take(ctx, key, m):
    k = map_key(key)
    kv = need_map(m).d.get(k)
    if kv is None:
        return ERROR_ATOM
    d = dict(m.d)
    del d[k]
    return (kv[1], Map(d))


@native("maps", "is_key", 2)
def is_key(ctx, key, m):
    return TRUE if map_key(key) in need_map(m).d else FALSE


@native("maps", "keys", 1)
def keys(ctx, m):
    return from_list(need_map(m).keys())


@native("maps", "values", 1)
def values(ctx, m):
    return from_list(need_map(m).values())


@native("maps", "to_list", 1)
def to_list(ctx, m):
    if m.__class__ is Cons and m.tl.__class__ is Map:
        return from_list(_rest_of(m.hd, m.tl))
    return from_list(need_map(m).items())


def _rest_of(pos: Any, m: Map) -> list[tuple[Any, Any]]:
    """The pairs ``maps:next/1`` would walk from iterator ``[pos | m]`` (badarg where it
    would fail)."""
    if pos.__class__ is int and pos >= 0:
        return m.items()[pos:]
    pairs = []
    while pos.__class__ is Cons:
        kv = m.d.get(map_key(pos.hd))
        if kv is None:
            return pairs
        pairs.append(kv)
        pos = pos.tl
    if pos is not NIL:
        raise badarg()
    return pairs


@native("maps", "size", 1)
def size(ctx, m):
    return len(need_map(m))


@native("maps", "from_list", 1)
def from_list_(ctx, t):
    d = {}
    for e in list_items(t):
        if e.__class__ is not tuple or len(e) != 2:
            raise badarg()
        d[map_key(e[0])] = e
    return Map(d)


@native("maps", "from_keys", 2)
def from_keys(ctx, t, value):
    return Map({map_key(k): (k, value) for k in list_items(t)})


@native("maps", "merge", 2)
def merge(ctx, a, b):
    need_map(a)
    need_map(b)
    d = dict(a.d)
    d.update(b.d)
    return Map(d)


@native("maps", "new", 0)
def new(ctx):
    return Map()


@native("maps", "iterator", 1)
def iterator(ctx, m):
    return Cons(0, need_map(m))


@native("maps", "next", 1)
def next_(ctx, it):
    if it is NONE:
        return NONE
    if it.__class__ is not Cons or it.tl.__class__ is not Map:
        raise badarg()
    pos, m = it.hd, it.tl
    if pos.__class__ is int and pos >= 0:
        items = m.items()
        if pos >= len(items):
            return NONE
        k, v = items[pos]
        return (k, v, Cons(pos + 1, m))
    if pos is NIL:
        return NONE
    if pos.__class__ is not Cons:
        raise badarg()
    kv = m.d.get(map_key(pos.hd))
    if kv is None:
        return NONE
    return (kv[0], kv[1], Cons(pos.tl, m))


def _put_words(result: Any, args: tuple, layout: Any) -> int:
    """A map with one key put: it shares the old keys tuple when the key was there
    (TERM_MAP_SHARED_SIZE, 2 + n), else a new one (3 + 2n)."""
    if result is args[2] or result.__class__ is not Map:
        return 0
    shared = len(result) == len(args[2])
    return 2 + len(result) if shared else 3 + 2 * len(result)


def _take_words(result: Any, args: tuple, layout: Any) -> int:
    return 3 + new_map(result[1], args, layout) if result.__class__ is tuple else 0


def _to_list_words(result: Any, args: tuple, layout: Any) -> int:
    return list_cells(result) // 2 * 5


def _found_words(result: Any, args: tuple, layout: Any) -> int:
    return 3 if result.__class__ is tuple else 0


def _next_words(result: Any, args: tuple, layout: Any) -> int:
    """``{K, V, [I + 1 | Map]}``: a 3-tuple and the next iterator's cell (nifs.c
    ``nif_maps_next`` ensures 6 words); ``none`` builds nothing."""
    return 4 + 2 if result.__class__ is tuple else 0


charge_results("maps", {
    ("find", 2): _found_words, ("put", 3): _put_words, ("update", 3): _put_words,
    ("remove", 2): lambda r, a, layout: 0 if r is a[1] else new_map(r, a, layout),
    ("take", 2): _take_words, ("keys", 1): cells, ("values", 1): cells,
    ("to_list", 1): _to_list_words, ("from_list", 1): new_map, ("from_keys", 2): new_map,
    ("merge", 2): new_map, ("new", 0): new_map, ("next", 1): _next_words,
    # AtomVM's maps:iterator/1 is Erlang (estdlib maps.erl): its [0 | Map] is one put_list
    ("iterator", 1): cells,
}, roots={("from_keys", 2): all_args})
