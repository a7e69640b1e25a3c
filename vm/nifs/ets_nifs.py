"""ETS (Erlang term storage) backed by Python containers, with OTP's API and semantics.

AtomVM has 15 ets NIFs; this module provides those and the other table functions apps commonly
call, with OTP's results and OTP's ``badarg`` cases:

=====================================  =====================================================
function                               notes
=====================================  =====================================================
new/2                                  set, ordered_set, bag, duplicate_bag; named_table;
                                       public/protected/private; {keypos,P}; {heir,Pid,Data}
                                       | {heir,none}; read/write_concurrency, compressed,
                                       decentralized_counters accepted (reported by info)
insert/2, insert_new/2                 a tuple or a proper list of tuples (all-or-nothing)
lookup/2, lookup_element/3,4, member/2 lookup_element/4 (OTP 26) returns the default
delete/1,2, delete_object/2, take/2,
delete_all_objects/1
update_counter/3,4, update_element/3,4 every UpdateOp form, lists of them, default object
tab2list/1, first/1, next/2, last/1,   ordered_set: Erlang term order; the other types:
prev/2                                 insertion order of the keys (OTP: hash order)
info/1,2, whereis/1, all/0, rename/2,
give_away/3
=====================================  =====================================================

Functions that take funs (foldl/3, foldr/3) live in Erlang, in ``libs/ets.erl``: a native
cannot call a fun. Match specifications (select, match, match_object, fun2ms) are not
provided.

Table ids: an unnamed table is known by a reference, a named table by its name (and also by
its reference, which ``whereis/1`` and ``info(T, id)`` give). Keys are matched with ``=:=`` in
set, bag and duplicate_bag tables and with ``==`` in ordered_set tables (``1`` and ``1.0`` are
the same key there), as in OTP.

A table belongs to the process that created it (or received it by give_away). When the owner
exits, the table passes to its heir (with an ``{'ETS-TRANSFER', Tab, OldOwner, HeirData}``
message) when the heir is alive, else it is deleted. The registry lives on the VM object
(``vm.ets_registry``, created with the first table together with one ``vm.exit_hooks`` entry).

RAM: each table and each stored object takes blocks of the board's RAM laid out as AtomVM's
(``vm/ets_ram.py``, one node per key, ``Store.slot`` naming it); the blocks are taken before
the objects change, so a write that runs out raises ``error:out_of_memory`` and changes
nothing. Reads hand the caller the refc binaries of what they copy out of the table.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any, Callable, Iterable

from .. import heap
from ..errors import badarg
from ..ets_ram import TableRam
from ..natives import native
from ..process import Process
from ..term_copy import copy_term
from ..term_order import exact_eq, sort_key
from ..term_size import term_words
from ..terms import (FALSE, NIL, TRUE, UNDEFINED, Atom, Cons, Map, Pid, Ref, atom,
                     compound_key, from_list, map_key)
from ._util import boolean, charge_results, list_items, new_ref, whole

END_OF_TABLE = atom("$end_of_table")
A_NONE = atom("none")
A_NODE = atom("nonode@nohost")
A_ETS_TRANSFER = atom("ETS-TRANSFER")
A_AUTO = atom("auto")

TYPES = ("set", "ordered_set", "bag", "duplicate_bag")
PROTECTIONS = ("public", "protected", "private")
BOOLEAN_OPTIONS = ("read_concurrency", "write_concurrency", "decentralized_counters")

READ, WRITE, INFO = "read", "write", "info"
"""Access kinds: what a non-owner may do depends on the table's protection."""

ALLOWED_TO_OTHERS: dict[str, frozenset[str]] = {
    "public": frozenset((READ, WRITE, INFO)),
    "protected": frozenset((READ, INFO)),
    "private": frozenset((INFO,)),
}
"""Access kinds granted to processes other than the owner, per protection."""


# ============================================================================ stores

class Store:
    """The objects of one table. Subclasses implement one table type each.

    ``key`` is the raw Erlang key term; ``obj`` a tuple whose element ``keypos`` is its key.
    """

    def __init__(self, keypos: int) -> None:
        self.keypos = keypos

    def key_of(self, obj: tuple) -> Any:
        return obj[self.keypos - 1]

    def slot(self, key: Any) -> Any:
        """A hashable name of the entry ``key`` selects (one RAM node each, vm/ets_ram.py)."""
        return map_key(key)

    def merged(self, held: list[tuple], obj: tuple) -> list[tuple] | None:
        """What a key holding ``held`` holds once ``obj`` is inserted; None: no change."""
        return [obj]

    # --- queries
    def lookup(self, key: Any) -> list[tuple]:
        raise NotImplementedError

    def has_key(self, key: Any) -> bool:
        return bool(self.lookup(key))

    def objects(self) -> list[tuple]:
        """Every object, in traversal order."""
        raise NotImplementedError

    def size(self) -> int:
        raise NotImplementedError

    def first(self) -> Any:
        raise NotImplementedError

    def next(self, key: Any) -> Any:
        raise NotImplementedError

    def last(self) -> Any:
        return self.first()

    def prev(self, key: Any) -> Any:
        return self.next(key)

    # --- updates
    def insert(self, obj: tuple) -> None:
        raise NotImplementedError

    def delete(self, key: Any) -> list[tuple]:
        """Remove every object with ``key``; returns them."""
        raise NotImplementedError

    def delete_object(self, obj: tuple) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError


class SetStore(Store):
    """``set``: one object per key (``=:=``); traversal in insertion order of the keys.

    Traversal keeps a cached list of the keys and their positions so that a first/next
    walk costs O(1) per step; any change of the key set drops the cache.
    """

    def __init__(self, keypos: int) -> None:
        super().__init__(keypos)
        self.d: dict[Any, tuple] = {}
        self._order: list[Any] | None = None
        self._pos: dict[Any, int] = {}

    def lookup(self, key: Any) -> list[tuple]:
        obj = self.d.get(map_key(key))
        return [] if obj is None else [obj]

    def has_key(self, key: Any) -> bool:
        return map_key(key) in self.d

    def objects(self) -> list[tuple]:
        return list(self.d.values())

    def size(self) -> int:
        return len(self.d)

    def _keys(self) -> list[Any]:
        if self._order is None:
            self._order = list(self.d)
            self._pos = {k: i for i, k in enumerate(self._order)}
        return self._order

    def _key_at(self, i: int) -> Any:
        order = self._keys()
        if i >= len(order):
            return END_OF_TABLE
        return self.key_of(self._first_object(order[i]))

    def _first_object(self, mk: Any) -> tuple:
        return self.d[mk]

    def first(self) -> Any:
        return self._key_at(0)

    def next(self, key: Any) -> Any:
        mk = map_key(key)
        if mk not in self.d:
            raise badarg()        # OTP: the key must still be in an unfixed hash table
        self._keys()
        return self._key_at(self._pos[mk] + 1)

    def insert(self, obj: tuple) -> None:
        mk = map_key(self.key_of(obj))
        if mk not in self.d:
            self._order = None
        self.d[mk] = obj

    def delete(self, key: Any) -> list[tuple]:
        obj = self.d.pop(map_key(key), None)
        if obj is None:
            return []
        self._order = None
        return [obj]

    def delete_object(self, obj: tuple) -> None:
        mk = map_key(self.key_of(obj))
        stored = self.d.get(mk)
        if stored is not None and exact_eq(stored, obj):
            del self.d[mk]
            self._order = None

    def clear(self) -> None:
        self.d.clear()
        self._order = None


class BagStore(SetStore):
    """``bag`` and ``duplicate_bag``: a list of objects per key, in insertion order.

    ``d`` maps each key to its objects. A bag keeps one copy of ``=:=`` objects (a repeated
    insert leaves the object where it was); a duplicate_bag keeps every copy.
    """

    def __init__(self, keypos: int, duplicates: bool) -> None:
        super().__init__(keypos)
        self.duplicates = duplicates
        self.d: dict[Any, list[tuple]] = {}  # type: ignore[assignment]

    def lookup(self, key: Any) -> list[tuple]:
        return list(self.d.get(map_key(key), ()))

    def objects(self) -> list[tuple]:
        return [o for objs in self.d.values() for o in objs]

    def size(self) -> int:
        return sum(len(objs) for objs in self.d.values())

    def _first_object(self, mk: Any) -> tuple:
        return self.d[mk][0]

    def _admits(self, held: list[tuple], obj: tuple) -> bool:
        """A bag keeps one copy of ``=:=`` objects, a duplicate_bag every copy."""
        return self.duplicates or not any(exact_eq(o, obj) for o in held)

    def merged(self, held: list[tuple], obj: tuple) -> list[tuple] | None:
        return held + [obj] if self._admits(held, obj) else None

    def insert(self, obj: tuple) -> None:
        mk = map_key(self.key_of(obj))
        objs = self.d.get(mk)
        if objs is None:
            self.d[mk] = [obj]
            self._order = None
        elif self._admits(objs, obj):
            objs.append(obj)

    def delete(self, key: Any) -> list[tuple]:
        objs = self.d.pop(map_key(key), None)
        if objs is None:
            return []
        self._order = None
        return objs

    def delete_object(self, obj: tuple) -> None:
        mk = map_key(self.key_of(obj))
        objs = self.d.get(mk)
        if objs is None:
            return
        kept = [o for o in objs if not exact_eq(o, obj)]
        if kept:
            self.d[mk] = kept
        else:
            del self.d[mk]
            self._order = None


class OrderedStore(Store):
    """``ordered_set``: objects sorted by key in Erlang term order; keys equal by ``==``.

    Two parallel lists: ``skeys`` (the keys as :data:`sort_key` wrappers, for bisect) and
    ``objs``.
    """

    def __init__(self, keypos: int) -> None:
        super().__init__(keypos)
        self.skeys: list[Any] = []
        self.objs: list[tuple] = []

    def slot(self, key: Any) -> Any:
        return equal_key(key)

    def _find(self, key: Any) -> tuple[int, bool]:
        sk = sort_key(key)
        i = bisect_left(self.skeys, sk)
        return i, i < len(self.skeys) and not (sk < self.skeys[i])

    def lookup(self, key: Any) -> list[tuple]:
        i, found = self._find(key)
        return [self.objs[i]] if found else []

    def objects(self) -> list[tuple]:
        return list(self.objs)

    def size(self) -> int:
        return len(self.objs)

    def _key(self, i: int) -> Any:
        if 0 <= i < len(self.objs):
            return self.key_of(self.objs[i])
        return END_OF_TABLE

    def first(self) -> Any:
        return self._key(0)

    def last(self) -> Any:
        return self._key(len(self.objs) - 1)

    def next(self, key: Any) -> Any:
        return self._key(bisect_right(self.skeys, sort_key(key)))

    def prev(self, key: Any) -> Any:
        return self._key(bisect_left(self.skeys, sort_key(key)) - 1)

    def insert(self, obj: tuple) -> None:
        key = self.key_of(obj)
        i, found = self._find(key)
        if found:
            self.objs[i] = obj
        else:
            self.skeys.insert(i, sort_key(key))
            self.objs.insert(i, obj)

    def delete(self, key: Any) -> list[tuple]:
        i, found = self._find(key)
        if not found:
            return []
        del self.skeys[i]
        return [self.objs.pop(i)]

    def delete_object(self, obj: tuple) -> None:
        i, found = self._find(self.key_of(obj))
        if found and exact_eq(self.objs[i], obj):
            del self.skeys[i]
            del self.objs[i]

    def clear(self) -> None:
        self.skeys.clear()
        self.objs.clear()


def equal_key(t: Any) -> Any:
    """Hashable key equal for two terms exactly when they are ``==`` (ordered_set keys).

    :func:`map_key`, except that numbers stay Python numbers, whose equality and hash
    already compare by value (``1 == 1.0``), and map keys stay exact (term_order compares
    them with ``=:=``)."""
    cls = t.__class__
    if cls is int or cls is float:
        return t
    if cls is tuple or cls is Cons or cls is Map:
        return compound_key(t, equal_key)
    return map_key(t)


STORE_FACTORIES: dict[str, Callable[[int], Store]] = {
    "set": SetStore,
    "ordered_set": OrderedStore,
    "bag": lambda keypos: BagStore(keypos, duplicates=False),
    "duplicate_bag": lambda keypos: BagStore(keypos, duplicates=True),
}


# ============================================================================ tables

class Table:
    """One ETS table: its options, its owner and its objects."""

    def __init__(self, ref: Ref, name: Atom, named: bool, kind: str, keypos: int,
                 protection: str, owner: Pid, heir: tuple[Pid, Any] | None,
                 flags: dict[str, Any], ram: TableRam) -> None:
        self.ref = ref
        self.name = name
        self.named = named
        self.kind = kind
        self.keypos = keypos
        self.protection = protection
        self.owner = owner
        self.heir = heir
        self.flags = flags
        self.store = STORE_FACTORIES[kind](keypos)
        self.ram = ram

    @property
    def tid(self) -> Any:
        """How the table is named to Erlang code: its name if named, else its reference."""
        return self.name if self.named else self.ref

    @property
    def is_set_like(self) -> bool:
        return self.kind in ("set", "ordered_set")

    def check_object(self, obj: Any) -> tuple:
        """``obj`` if it is a tuple holding a key, else badarg."""
        if obj.__class__ is not tuple or len(obj) < self.keypos:
            raise badarg()
        return obj

    def check_objects(self, t: Any) -> list[tuple]:
        """A tuple or a proper list of tuples, all validated before anything is stored."""
        if t.__class__ is tuple:
            return [self.check_object(t)]
        return [self.check_object(o) for o in list_items(t)]


class EtsRegistry:
    """Every live table of one VM, by reference and (named tables) by name."""

    def __init__(self, vm: Any) -> None:
        self.vm = vm
        self.by_ref: dict[Ref, Table] = {}
        self.by_name: dict[Atom, Table] = {}

    def add(self, table: Table) -> None:
        self.by_ref[table.ref] = table
        if table.named:
            self.by_name[table.name] = table

    def remove(self, table: Table) -> None:
        self.by_ref.pop(table.ref, None)
        if table.named and self.by_name.get(table.name) is table:
            del self.by_name[table.name]
        table.ram.drop()
        table.store.clear()

    def find(self, tab: Any) -> Table | None:
        """The table named by ``tab`` (a name or a reference); badarg for other terms."""
        if tab.__class__ is Atom:
            return self.by_name.get(tab)
        if tab.__class__ is Ref:
            return self.by_ref.get(tab)
        raise badarg()

    def owner_exited(self, proc: Any) -> None:
        """Exit hook: hand the dead process's tables to their heirs, or delete them."""
        owned = [t for t in self.by_ref.values() if t.owner == proc.pid]
        for table in owned:
            heir = table.heir
            target = None
            if heir is not None and heir[0] != proc.pid:
                target = self.vm.process(heir[0])
            if target is None:
                self.remove(table)
            else:
                table.owner = target.pid
                self.vm.deliver(target, (A_ETS_TRANSFER, table.tid, proc.pid, heir[1]))


def registry(vm: Any) -> EtsRegistry:
    """The VM's table registry, created (and its exit hook installed) on first use."""
    reg = getattr(vm, "ets_registry", None)
    if reg is None:
        reg = EtsRegistry(vm)
        vm.ets_registry = reg
        vm.exit_hooks.append(reg.owner_exited)
    return reg


def _existing_registry(vm: Any) -> EtsRegistry | None:
    return getattr(vm, "ets_registry", None)


def _table(ctx: Any, tab: Any, access: str) -> Table:
    """The table ``tab`` if the calling process may ``access`` it, else badarg."""
    if tab.__class__ is not Atom and tab.__class__ is not Ref:
        raise badarg()
    reg = _existing_registry(ctx.vm)
    table = None if reg is None else reg.find(tab)
    if table is None:
        raise badarg()
    if table.owner != ctx.pid and access not in ALLOWED_TO_OTHERS[table.protection]:
        raise badarg()
    return table


# ============================================================================ new/2

def _parse_options(opts: Any) -> dict[str, Any]:
    """Settings from new/2's option list; later options override earlier ones, as in OTP."""
    settings: dict[str, Any] = {"type": "set", "protection": "protected", "named": False,
                                "keypos": 1, "heir": None,
                                "flags": {k: FALSE for k in BOOLEAN_OPTIONS + ("compressed",)}}
    for opt in list_items(opts):
        if opt.__class__ is Atom:
            name = opt.name
            if name in TYPES:
                settings["type"] = name
            elif name in PROTECTIONS:
                settings["protection"] = name
            elif name == "named_table":
                settings["named"] = True
            elif name == "compressed":
                settings["flags"]["compressed"] = TRUE
            else:
                raise badarg()
        elif opt.__class__ is tuple and opt and opt[0].__class__ is Atom:
            _tuple_option(settings, opt)
        else:
            raise badarg()
    return settings


def _tuple_option(settings: dict[str, Any], opt: tuple) -> None:
    name = opt[0].name
    if name == "keypos" and len(opt) == 2:
        if opt[1].__class__ is not int or opt[1] < 1:
            raise badarg()
        settings["keypos"] = opt[1]
    elif name == "heir" and len(opt) == 2 and opt[1] is A_NONE:
        settings["heir"] = None
    elif name == "heir" and len(opt) == 3 and opt[1].__class__ is Pid:
        settings["heir"] = (opt[1], opt[2])
    elif name in BOOLEAN_OPTIONS and len(opt) == 2:
        allowed = (TRUE, FALSE, A_AUTO) if name == "write_concurrency" else (TRUE, FALSE)
        if opt[1] not in allowed:
            raise badarg()
        settings["flags"][name] = opt[1]
    else:
        raise badarg()


@native("ets", "new", 2)
def new(ctx: Any, name: Any, opts: Any) -> Any:
    """ets:new(Name, Options) -> Name (named_table) | reference."""
    if name.__class__ is not Atom:
        raise badarg()
    settings = _parse_options(opts)
    reg = registry(ctx.vm)
    if settings["named"] and name in reg.by_name:
        raise badarg()
    ram = TableRam(ctx.vm, name.name, settings["type"] in ("bag", "duplicate_bag"))
    table = Table(ctx.vm.new_ref(), name, settings["named"], settings["type"],
                  settings["keypos"], settings["protection"], ctx.pid, settings["heir"],
                  settings["flags"], ram)
    reg.add(table)
    return table.tid


# ============================================================================ writes

def _store(table: Table, objs: list[tuple], batch: bool = False) -> None:
    """Insert ``objs``, their RAM taken first: out_of_memory leaves the table unchanged."""
    table.ram.insert(table.store, objs, batch)
    for obj in objs:
        table.store.insert(obj)


def _remove(table: Table, key: Any) -> None:
    """Delete the objects with ``key`` and the RAM they held."""
    table.ram.delete(table.store.slot(key))
    table.store.delete(key)


def _copy_out(ctx: Any, result: Any) -> Any:
    """A read's result, copied out of the table as AtomVM's ets.c does it: room is ensured
    first (a GC point at which the result is no root yet), then the copy is built and the
    caller refers to the refc binaries in it (a bare one is held as any native's result).
    The copy is a new term (``term_copy``): two reads of one object are two copies."""
    if ctx.__class__ is Process:
        vm = ctx.vm
        if heap.MODEL:
            result = copy_term(result)
        words = term_words(result, vm.layout)
        if words:
            heap.build(ctx, words)
        if result.__class__ is bytes and len(result) >= vm.layout.refc_threshold_bytes:
            vm.refc.created(ctx, result)
        elif vm.refc.table:
            vm.refc.received(ctx, result)
    return result


@native("ets", "insert", 2)
def insert(ctx: Any, tab: Any, objs: Any) -> Any:
    table = _table(ctx, tab, WRITE)
    _store(table, table.check_objects(objs), objs.__class__ is not tuple)
    return TRUE


@native("ets", "insert_new", 2)
def insert_new(ctx: Any, tab: Any, objs: Any) -> Any:
    """Insert only if none of the keys is in the table yet (then nothing is inserted)."""
    table = _table(ctx, tab, WRITE)
    items = table.check_objects(objs)
    store = table.store
    if any(store.has_key(store.key_of(o)) for o in items):
        return FALSE
    _store(table, items, objs.__class__ is not tuple)
    return TRUE


@native("ets", "delete", 1)
def delete1(ctx: Any, tab: Any) -> Any:
    table = _table(ctx, tab, WRITE)
    registry(ctx.vm).remove(table)
    return TRUE


@native("ets", "delete", 2)
def delete2(ctx: Any, tab: Any, key: Any) -> Any:
    _remove(_table(ctx, tab, WRITE), key)
    return TRUE


@native("ets", "delete_object", 2)
def delete_object(ctx: Any, tab: Any, obj: Any) -> Any:
    table = _table(ctx, tab, WRITE)
    obj = table.check_object(obj)
    table.ram.delete_object(table.store, obj)
    table.store.delete_object(obj)
    return TRUE


@native("ets", "delete_all_objects", 1)
def delete_all_objects(ctx: Any, tab: Any) -> Any:
    table = _table(ctx, tab, WRITE)
    table.ram.clear()
    table.store.clear()
    return TRUE


@native("ets", "take", 2)
def take(ctx: Any, tab: Any, key: Any) -> Any:
    """The objects are copied out before they leave the table (their refc binaries pass
    to the caller)."""
    table = _table(ctx, tab, WRITE)
    result = _copy_out(ctx, from_list(table.store.lookup(key)))
    _remove(table, key)
    return result


# ============================================================================ update_counter

CounterOp = tuple[int, int, "int | None", "int | None"]
"""(Pos, Incr, Threshold, SetValue); Threshold/SetValue None when there is no threshold."""


def _int(t: Any) -> int:
    if t.__class__ is not int:
        raise badarg()
    return t


def _counter_op(op: Any) -> CounterOp:
    """One ``{Pos, Incr}`` or ``{Pos, Incr, Threshold, SetValue}``."""
    if op.__class__ is tuple and len(op) == 2:
        return _int(op[0]), _int(op[1]), None, None
    if op.__class__ is tuple and len(op) == 4:
        return _int(op[0]), _int(op[1]), _int(op[2]), _int(op[3])
    raise badarg()


def _counter_ops(table: Table, op: Any) -> tuple[list[CounterOp], bool]:
    """The operations of an UpdateOp argument and whether the result is a list."""
    if op.__class__ is int:
        return [(table.keypos + 1, op, None, None)], False
    if op.__class__ is Cons or op is NIL:
        return [_counter_op(o) for o in list_items(op)], True
    return [_counter_op(op)], False


def _apply_counter(obj: tuple, keypos: int, ops: list[CounterOp]) -> tuple[tuple, list[int]]:
    """The updated object and the new value of each operation (badarg on a bad position)."""
    elems = list(obj)
    results = []
    for pos, incr, threshold, set_value in ops:
        if pos == keypos or not 1 <= pos <= len(elems) or elems[pos - 1].__class__ is not int:
            raise badarg()
        value = elems[pos - 1] + incr
        if threshold is not None and (value > threshold if incr >= 0 else value < threshold):
            value = set_value
        elems[pos - 1] = value
        results.append(value)
    return tuple(elems), results


def _update_counter(ctx: Any, tab: Any, key: Any, op: Any, default: Any) -> Any:
    table = _table(ctx, tab, WRITE)
    if not table.is_set_like:
        raise badarg()
    ops, as_list = _counter_ops(table, op)
    if default is not None and default.__class__ is not tuple:
        raise badarg()
    found = table.store.lookup(key)
    if found:
        obj = found[0]
    elif default is None:
        raise badarg()
    else:
        obj = _with_key(table, key, default)
    new_obj, results = _apply_counter(obj, table.keypos, ops)
    _store(table, [new_obj])
    return from_list(results) if as_list else results[0]


@native("ets", "update_counter", 3)
def update_counter3(ctx: Any, tab: Any, key: Any, op: Any) -> Any:
    return _update_counter(ctx, tab, key, op, None)


@native("ets", "update_counter", 4)
def update_counter4(ctx: Any, tab: Any, key: Any, op: Any, default: Any) -> Any:
    return _update_counter(ctx, tab, key, op, default)


def _with_key(table: Any, key: Any, default: Any) -> tuple:
    """The default object of an update with ``key`` put at the key position; badarg when it
    is not a tuple that long (ets.c)."""
    if default.__class__ is not tuple or len(default) < table.keypos:
        raise badarg()
    k = table.keypos - 1
    return default[:k] + (key,) + default[k + 1:]


def _update_element(ctx: Any, tab: Any, key: Any, spec: Any, default: Any) -> Any:
    table = _table(ctx, tab, WRITE)
    if not table.is_set_like:
        raise badarg()
    found = table.store.lookup(key)
    if not found and default is None:
        return FALSE      # OTP does not look at the update spec then
    changes = [spec] if spec.__class__ is tuple else list_items(spec)
    elems = list(found[0] if found else _with_key(table, key, default))
    for change in changes:
        if change.__class__ is not tuple or len(change) != 2:
            raise badarg()
        pos = _int(change[0])
        if pos == table.keypos or not 1 <= pos <= len(elems):
            raise badarg()
        elems[pos - 1] = change[1]
    _store(table, [tuple(elems)])
    return TRUE


@native("ets", "update_element", 3)
def update_element3(ctx: Any, tab: Any, key: Any, spec: Any) -> Any:
    """Set elements of the object with ``key``: true, or false when there is none."""
    return _update_element(ctx, tab, key, spec, None)


@native("ets", "update_element", 4)
def update_element4(ctx: Any, tab: Any, key: Any, spec: Any, default: Any) -> Any:
    """As update_element/3, but a missing object starts as ``default`` with ``key`` in it
    (OTP 27)."""
    return _update_element(ctx, tab, key, spec, default)


# ============================================================================ reads

@native("ets", "lookup", 2)
def lookup(ctx: Any, tab: Any, key: Any) -> Any:
    return _copy_out(ctx, from_list(_table(ctx, tab, READ).store.lookup(key)))


@native("ets", "member", 2)
def member(ctx: Any, tab: Any, key: Any) -> Any:
    return boolean(_table(ctx, tab, READ).store.has_key(key))


def _lookup_element(ctx: Any, tab: Any, key: Any, pos: Any, default: Any) -> Any:
    table = _table(ctx, tab, READ)
    if pos.__class__ is not int or pos < 1:
        raise badarg()
    found = table.store.lookup(key)
    if not found:
        if default is None:
            raise badarg()
        return default
    if any(len(o) < pos for o in found):
        raise badarg()
    if table.is_set_like:
        return _copy_out(ctx, found[0][pos - 1])
    return _copy_out(ctx, from_list([o[pos - 1] for o in found]))


@native("ets", "lookup_element", 3)
def lookup_element3(ctx: Any, tab: Any, key: Any, pos: Any) -> Any:
    return _lookup_element(ctx, tab, key, pos, None)


@native("ets", "lookup_element", 4)
def lookup_element4(ctx: Any, tab: Any, key: Any, pos: Any, default: Any) -> Any:
    """OTP 26: ``Default`` instead of badarg when no object has ``key``."""
    return _lookup_element(ctx, tab, key, pos, default)


@native("ets", "tab2list", 1)
def tab2list(ctx: Any, tab: Any) -> Any:
    return _copy_out(ctx, from_list(_table(ctx, tab, READ).store.objects()))


@native("ets", "first", 1)
def first(ctx: Any, tab: Any) -> Any:
    return _table(ctx, tab, READ).store.first()


@native("ets", "last", 1)
def last(ctx: Any, tab: Any) -> Any:
    return _table(ctx, tab, READ).store.last()


@native("ets", "next", 2)
def next_(ctx: Any, tab: Any, key: Any) -> Any:
    return _table(ctx, tab, READ).store.next(key)


@native("ets", "prev", 2)
def prev(ctx: Any, tab: Any, key: Any) -> Any:
    return _table(ctx, tab, READ).store.prev(key)


# ============================================================================ info and naming

def _heir_term(t: Table) -> Any:
    return A_NONE if t.heir is None else t.heir[0]


INFO_ITEMS: dict[str, Callable[[Table], Any]] = {
    "id": lambda t: t.ref,
    "decentralized_counters": lambda t: t.flags["decentralized_counters"],
    "read_concurrency": lambda t: t.flags["read_concurrency"],
    "write_concurrency": lambda t: t.flags["write_concurrency"],
    "compressed": lambda t: t.flags["compressed"],
    "memory": lambda t: t.ram.words(),
    "owner": lambda t: t.owner,
    "heir": _heir_term,
    "name": lambda t: t.name,
    "size": lambda t: t.store.size(),
    "node": lambda t: A_NODE,
    "named_table": lambda t: boolean(t.named),
    "type": lambda t: atom(t.kind),
    "keypos": lambda t: t.keypos,
    "protection": lambda t: atom(t.protection),
}
"""info/1 items in OTP 25's order; info/2 also accepts :data:`EXTRA_INFO_ITEMS`."""

EXTRA_INFO_ITEMS: dict[str, Callable[[Table], Any]] = {
    "fixed": lambda t: FALSE,
    "safe_fixed": lambda t: FALSE,
    "safe_fixed_monotonic_time": lambda t: FALSE,
    "binary": lambda t: NIL,
}


def _info_table(ctx: Any, tab: Any) -> Table | None:
    if tab.__class__ is not Atom and tab.__class__ is not Ref:
        raise badarg()
    reg = _existing_registry(ctx.vm)
    return None if reg is None else reg.find(tab)


@native("ets", "info", 1)
def info1(ctx: Any, tab: Any) -> Any:
    table = _info_table(ctx, tab)
    if table is None:
        return UNDEFINED
    return from_list([(atom(k), f(table)) for k, f in INFO_ITEMS.items()])


@native("ets", "info", 2)
def info2(ctx: Any, tab: Any, item: Any) -> Any:
    """One info item: undefined for an unknown table (before the item is looked at)."""
    table = _info_table(ctx, tab)
    if table is None:
        return UNDEFINED
    getter = None
    if item.__class__ is Atom:
        getter = INFO_ITEMS.get(item.name) or EXTRA_INFO_ITEMS.get(item.name)
    if getter is None:
        raise badarg()
    return getter(table)


@native("ets", "whereis", 1)
def whereis(ctx: Any, name: Any) -> Any:
    """The reference of the named table ``name``, or undefined."""
    if name.__class__ is not Atom:
        raise badarg()
    reg = _existing_registry(ctx.vm)
    table = None if reg is None else reg.by_name.get(name)
    return UNDEFINED if table is None else table.ref


@native("ets", "all", 0)
def all_(ctx: Any) -> Any:
    """Every table: named tables by name, the others by reference (creation order)."""
    reg = _existing_registry(ctx.vm)
    tables: Iterable[Table] = () if reg is None else reg.by_ref.values()
    return from_list([t.tid for t in tables])


@native("ets", "rename", 2)
def rename(ctx: Any, tab: Any, name: Any) -> Any:
    """Give the table a new name; for an unnamed table only info's ``name`` changes."""
    table = _table(ctx, tab, WRITE)
    if name.__class__ is not Atom:
        raise badarg()
    reg = registry(ctx.vm)
    if table.named:
        holder = reg.by_name.get(name)
        if holder is not None and holder is not table:
            raise badarg()
        del reg.by_name[table.name]
        reg.by_name[name] = table
    table.name = name
    return table.tid


@native("ets", "give_away", 3)
def give_away(ctx: Any, tab: Any, pid: Any, gift: Any) -> Any:
    """Make the live process ``pid`` the owner, sending it ``{'ETS-TRANSFER', ...}``."""
    table = _table(ctx, tab, WRITE)
    if table.owner != ctx.pid or pid.__class__ is not Pid or pid == ctx.pid:
        raise badarg()
    target = ctx.vm.process(pid)
    if target is None:
        raise badarg()
    table.owner = pid
    ctx.vm.deliver(target, (A_ETS_TRANSFER, table.tid, ctx.pid, gift))
    return TRUE


charge_results("ets", {
    ("new", 2): lambda result, args, layout: new_ref(result, args, layout)
    if result.__class__ is not Atom else 0,
    ("first", 1): whole, ("last", 1): whole, ("next", 2): whole, ("prev", 2): whole,
    ("update_counter", 3): whole, ("update_counter", 4): whole,
})
