"""ETS tables in the board's RAM, laid out as AtomVM lays them out.

AtomVM (``ets.c``, ``ets_hashtable.c``/``.h``, ``memory.h``) keeps each table in two mallocs
made by ``ets:new``, a ``struct EtsTable`` and its ``struct EtsHashTable``, and each stored
entry in two more: a ``struct HNode`` and the heap ``memory_init_heap`` gives it, sized by
``memory_estimate_usage`` of the entry, into which the entry is copied. A copied refc binary
has its reference count raised, so a stored object keeps the binary's off-heap block alive
until the object is deleted.

Table types. ``set``: one node per key, the entry is the object; overwriting a key builds the
new node and then frees the old one (``ets_hashtable_insert`` with AllowOverwrite).
``bag``/``duplicate_bag``: one node per key whose entry is the list of the key's objects
(AtomVM's ``ets_hashtable_new_node_from_list``): an insert builds a new node sized old list +
new object + one cons cell, then frees the old node; a ``delete_object`` that leaves objects
under the key builds the node of the remaining list the same way (AtomVM has no such
operation there; this keeps one node per key). A bag insert of an object already stored
changes nothing and allocates nothing. ``ordered_set`` (absent from the AtomVM versions with
this layout) is charged like ``set``.

A list insert (``ets_table_insert_list``) first mallocs an array of one pointer per object,
builds every node, and only then links them in (each freeing the node it replaces) and frees
the array; running out of RAM on the way gives back every block taken, leaving the table as
it was: the caller gets ``error:out_of_memory``.

On a VM without a RAM model (``vm.charges`` None) the figures are kept and nothing is
charged.
"""
from __future__ import annotations

from typing import Any, Protocol

from .errors import ErlangError
from .heap import out_of_memory
from .heap_growth import block_bytes
from .term_order import exact_eq
from .term_size import CONS_WORDS, WordLayout, term_words

ETS_TABLE_BYTES: dict[int, int] = {4: 48, 8: 80}
"""``sizeof(struct EtsTable)`` (ets.c) by word size, SMP build (with the RWLock pointer).

Fields, in order, as (offset, size) on 32-bit / 64-bit: ``struct ListHead head`` (2 pointers)
0,8 / 0,16; ``uint64_t ref_ticks`` 8,8 / 16,8 (8-byte aligned on Xtensa, ARM EABI and
x86-64); ``term name`` 16,4 / 24,8; ``bool is_named`` 20,1 / 32,1; ``int32_t
owner_process_id`` 24,4 / 36,4; ``size_t keypos`` 28,4 / 40,8; ``EtsTableType table_type``
32,4 / 48,4; ``struct EtsHashTable *hashtable`` 36,4 / 56,8 (after 4 bytes of padding on
64-bit); ``EtsAccessType access_type`` 40,4 / 64,4; ``RWLock *lock`` 44,4 / 72,8. Ends at 48 /
80, already a multiple of the struct's 8-byte alignment. (Without SMP there is no lock: 44
rounded up to 48 on 32-bit, 72 on 64-bit.)"""

NUM_BUCKETS = 16
"""ets_hashtable.h ``NUM_BUCKETS``: a table's hash table never grows."""

ETS_HASHTABLE_BYTES: dict[int, int] = {w: w * (1 + NUM_BUCKETS) for w in (4, 8)}
"""``sizeof(struct EtsHashTable)``: ``size_t capacity`` and ``struct HNode
*buckets[NUM_BUCKETS]``, 17 words: 68 bytes on 32-bit, 136 on 64-bit."""

HNODE_WORDS = 7
"""``sizeof(struct HNode)`` in words: ``next``, ``key``, ``entry`` and a ``Heap`` (memory.h:
``root``, ``heap_start``, ``heap_ptr``, ``heap_end``), all word-sized: 28 / 56 bytes."""


class Store(Protocol):
    """What the RAM bookkeeping asks of a table's objects (``ets_nifs.Store``)."""

    def key_of(self, obj: tuple) -> Any: ...

    def slot(self, key: Any) -> Any: ...

    def lookup(self, key: Any) -> list[tuple]: ...

    def merged(self, held: list[tuple], obj: tuple) -> list[tuple] | None: ...


class EtsNode:
    """One key's ``HNode`` and the heap its entry was copied into.

    It is also a holder of refc binaries (it has a ``refc`` dict, as a process has): the
    binaries its entry refers to stay alive while it exists, as AtomVM's copy into the
    node's heap raised their reference counts."""

    __slots__ = ("blocks", "refc", "words")

    def __init__(self, words: int, blocks: list[int]) -> None:
        self.words = words
        self.blocks = blocks
        self.refc: dict[int, Any] = {}


class TableRam:
    """The blocks one table holds: its two structs and one node per key (by store slot)."""

    def __init__(self, vm: Any, name: str, listed: bool) -> None:
        """Take the table's structs (ets:new); ``error:out_of_memory`` when they do not fit.

        ``listed``: the table keeps each key's objects in one list (bag, duplicate_bag).
        The blocks are tagged with the name the table was created with."""
        self.charges = vm.charges
        self.refc = vm.refc
        self.word_size: int = vm.word_size
        self.layout: WordLayout = vm.layout
        self.tag = f"ets:{name}"
        self.listed = listed
        self.nodes: dict[Any, EtsNode] = {}
        self.blocks = self._take([ETS_TABLE_BYTES[self.word_size],
                                  ETS_HASHTABLE_BYTES[self.word_size]])

    # --------------------------------------------------------------- figures
    def words(self) -> int:
        """``info(T, memory)`` in words, as OTP answers it: the structs and every node with
        its heap (fragment header included); refc binaries' blocks are not counted."""
        w = self.word_size
        fixed = (ETS_TABLE_BYTES[w] + ETS_HASHTABLE_BYTES[w]) // w
        return fixed + sum(HNODE_WORDS + block_bytes(n.words, w) // w
                           for n in self.nodes.values())

    # --------------------------------------------------------------- changes
    def insert(self, store: Store, objs: list[tuple], batch: bool) -> None:
        """Charge storing ``objs`` (a list argument when ``batch``) before the store changes.

        Every new node is built before any is linked in; on ``error:out_of_memory`` every
        block taken here is given back."""
        plan = self._plan(store, objs)
        scratch = self._take([self.word_size * len(objs)]) if batch and objs else []
        built: list[EtsNode] = []
        try:
            for _slot, words, _held in plan:
                built.append(self._node(words))
        except ErlangError:
            for node in built:
                self._give_back(node.blocks)
            self._give_back(scratch)
            raise
        for (slot, _words, held), node in zip(plan, built):
            self._link(slot, node, held)
        self._give_back(scratch)

    def delete(self, slot: Any) -> None:
        """A key and its objects left the table: free its node."""
        node = self.nodes.pop(slot, None)
        if node is not None:
            self._free(node)

    def delete_object(self, store: Store, obj: tuple) -> None:
        """Charge deleting the objects ``=:=`` to ``obj`` before the store changes: the
        key's node is freed, or rebuilt around the objects that remain."""
        key = store.key_of(obj)
        held = store.lookup(key)
        kept = [o for o in held if not exact_eq(o, obj)]
        if len(kept) == len(held):
            return
        if not kept:
            self.delete(store.slot(key))
            return
        words = sum(term_words(o, self.layout) + CONS_WORDS for o in kept)
        self._link(store.slot(key), self._node(words), kept)

    def clear(self) -> None:
        """delete_all_objects: every node goes."""
        for node in self.nodes.values():
            self._free(node)
        self.nodes.clear()

    def drop(self) -> None:
        """The table is deleted: its nodes, its hash table and its struct are freed.

        (In the AtomVM sources read, ``ets_hashtable_destroy`` frees the nodes but not the
        ``EtsHashTable`` itself, which leaks; it is freed here.)"""
        self.clear()
        self._give_back(self.blocks)
        self.blocks = []

    # --------------------------------------------------------------- internals
    def _plan(self, store: Store, objs: list[tuple]) -> list[tuple[Any, int, list[tuple]]]:
        """(slot, heap words, objects held) of each node to build, in order. A key met again
        in the same list builds on what the earlier object made of it, as AtomVM's
        overwrites do once the nodes are linked in."""
        pending: dict[Any, tuple[list[tuple], int]] = {}
        plan = []
        for obj in objs:
            key = store.key_of(obj)
            slot = store.slot(key)
            if slot in pending:
                held, words = pending[slot]
            else:
                node = self.nodes.get(slot)
                held, words = store.lookup(key), 0 if node is None else node.words
            merged = store.merged(held, obj)
            if merged is None:
                continue
            size = term_words(obj, self.layout)
            words = words + size + CONS_WORDS if self.listed else size
            pending[slot] = (merged, words)
            plan.append((slot, words, merged))
        return plan

    def _node(self, words: int) -> EtsNode:
        """``ets_hashtable_new_node``: the HNode, then its heap (``memory_init_heap``)."""
        w = self.word_size
        return EtsNode(words, self._take([HNODE_WORDS * w, block_bytes(words, w)]))

    def _link(self, slot: Any, node: EtsNode, held: list[tuple]) -> None:
        """Put ``node`` (holding ``held``) under ``slot``; the node it replaces is freed
        after the new one took its references to refc binaries."""
        old = self.nodes.get(slot)
        self.nodes[slot] = node
        if self.refc.table:
            for obj in held:
                self.refc.received(node, obj)
        if old is not None:
            self._free(old)

    def _free(self, node: EtsNode) -> None:
        self._give_back(node.blocks)
        if node.refc:
            self.refc.exited(node)

    def _take(self, sizes: list[int]) -> list[int]:
        """Blocks of ``sizes`` bytes in order, all or none (``error:out_of_memory``)."""
        if self.charges is None:
            return []
        taken: list[int] = []
        try:
            for size in sizes:
                taken.append(self.charges.ram.allocate(size, self.tag))
        except MemoryError:
            self._give_back(taken)
            raise out_of_memory() from None
        return taken

    def _give_back(self, blocks: list[int]) -> None:
        for address in blocks:
            self.charges.release(address)
