"""Reference-counted binaries: their off-heap blocks in the board's RAM, shared by processes.

A binary of at least the board's threshold (32 bytes on 32-bit boards, 64 on generic_unix;
facts §5) keeps its bytes in one off-heap block of ``20 + n`` bytes, malloc'ed when it is
built and freed when no process refers to it any more. Each process keeps the set of refc
binaries it refers to (AtomVM's list of off-heap objects in the process): one it builds, one
that arrives in a message. When the process collects, the binaries it no longer reaches are
let go; when it exits, all of them. ``erlang:memory(binary)`` is the sum of their sizes.

Binaries are plain ``bytes`` here; a refc binary is known by the identity of its object,
kept alive by this table while any process refers to it. Binaries the VM did not see being
built (literals, which are const binaries in flash, and the results of natives that build
binaries inside other terms) have no block.
"""
from __future__ import annotations

from typing import Any

from .bits import MatchState
from .errors import ErlangError
from .terms import ERROR, Cons, Fun, Map, atom

A_OUT_OF_MEMORY = atom("out_of_memory")
HEADER_BYTES = 20   # sizeof(struct RefcBinary) on 32-bit boards (facts §5: 20 + n bytes)


class RefcBinary:
    __slots__ = ("data", "block", "holders")

    def __init__(self, data: bytes, block: int | None) -> None:
        self.data = data
        self.block = block
        self.holders = 0


class RefcBinaries:
    """Every live refc binary of one VM, by the id of its bytes object."""

    def __init__(self, threshold: int, charges: Any) -> None:
        self.threshold = threshold
        self.charges = charges
        self.table: dict[int, RefcBinary] = {}

    def total_bytes(self) -> int:
        """``erlang:memory(binary)``."""
        return sum(len(r.data) for r in self.table.values())

    def created(self, c: Any, data: bytes) -> None:
        """Process ``c`` built ``data``: a refc binary when it is long enough."""
        if len(data) < self.threshold:
            return
        entry = self.table.get(id(data))
        if entry is None:
            block = None
            if self.charges is not None:
                try:
                    block = self.charges.ram.allocate(HEADER_BYTES + len(data), "binary")
                except MemoryError:
                    raise ErlangError(ERROR, A_OUT_OF_MEMORY) from None
            entry = self.table[id(data)] = RefcBinary(data, block)
        self._hold(c, entry)

    def received(self, c: Any, msg: Any) -> None:
        """A message to ``c``: the refc binaries in it are now referred to by ``c`` too."""
        for key in self._reachable([msg], self.table):
            self._hold(c, self.table[key])

    def collected(self, c: Any, live: int) -> None:
        """``c`` collected keeping ``live`` X registers: let go of what it no longer reaches."""
        roots = c.x[:live]
        for k, v in c.pdict.values():
            roots += (k, v)
        for frame in c.frames():
            roots += frame[:-3]
        roots += c.mailbox
        reached = self._reachable(roots, c.refc)
        for key in [k for k in c.refc if k not in reached]:
            self._release(c, key)

    def exited(self, c: Any) -> None:
        for key in list(c.refc):
            self._release(c, key)

    def _hold(self, c: Any, entry: RefcBinary) -> None:
        key = id(entry.data)
        if key not in c.refc:
            c.refc[key] = entry
            entry.holders += 1

    def _release(self, c: Any, key: int) -> None:
        entry = c.refc.pop(key)
        entry.holders -= 1
        if entry.holders == 0:
            del self.table[key]
            if entry.block is not None:
                self.charges.release(entry.block)

    def _reachable(self, roots: list[Any], among: dict[int, RefcBinary]) -> set[int]:
        """Ids of the refc binaries of ``among`` reachable from ``roots``: a full walk,
        which stops early once every one of them is found."""
        threshold, enough = self.threshold, len(among)
        found: set[int] = set()
        seen: set[int] = set()
        todo = list(roots)
        while todo:
            t = todo.pop()
            cls = t.__class__
            if cls is bytes:
                if len(t) >= threshold and id(t) in among:
                    found.add(id(t))
                    if len(found) >= enough:
                        break
            elif cls is tuple or cls is list:
                if id(t) not in seen:
                    seen.add(id(t))
                    todo.extend(t)
            elif cls is Cons:
                while t.__class__ is Cons:
                    if id(t) in seen:
                        break
                    seen.add(id(t))
                    todo.append(t.hd)
                    t = t.tl
                else:
                    todo.append(t)
            elif cls is Map:
                for key, value in t.d.values():
                    todo += (key, value)
            elif cls is Fun:
                todo.extend(t.free)
            elif cls is MatchState:
                todo.append(t.data)
        return found
