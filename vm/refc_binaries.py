"""Reference-counted binaries: their off-heap blocks in the board's RAM, shared by processes.

A binary of at least the board's threshold (32 bytes on 32-bit boards, 64 on generic_unix;
facts §5) keeps its bytes in one off-heap block of ``20 + n`` bytes (``40 + n`` on 64-bit:
``struct RefcBinary`` is five words), malloc'ed when it is
built and freed when no process refers to it any more. Each process keeps the set of refc
binaries it refers to (AtomVM's list of off-heap objects in the process): one it builds, one
that arrives in a message. When the process collects, the binaries it no longer reaches are
let go; when it exits, all of them. ``erlang:memory(binary)`` is the sum of their sizes.

Binaries are plain ``bytes`` here; a refc binary is known by the identity of its object,
kept alive by this table while any process refers to it. A native's new binaries are
registered where it builds them: its result (``created``), or the binaries inside it for the
natives that build some there (``built_in``). Binaries the VM did not see being built have
no block: literals (const binaries in flash), and slices of a binary, which AtomVM makes
sub-binaries of their source. A sub-binary made by matching or by a slicing native
(``binary:part/split``, ``split_binary``) keeps its source's block alive
(``vm/sub_binaries.py`` knows its source).
"""
from __future__ import annotations

from typing import Any, Iterator

from .bits import MatchState
from .errors import ErlangError
from .sub_binaries import SUB_BINARIES
from .term_size import WordLayout
from .terms import ERROR, Cons, Fun, Map, atom

A_OUT_OF_MEMORY = atom("out_of_memory")


class RefcBinary:
    __slots__ = ("data", "block", "holders")

    def __init__(self, data: bytes, block: int | None) -> None:
        self.data = data
        self.block = block
        self.holders = 0


class RefcBinaries:
    """Every live refc binary of one VM, by the id of its bytes object."""

    def __init__(self, layout: WordLayout, charges: Any) -> None:
        self.threshold = layout.refc_threshold_bytes
        self.header_bytes = layout.refc_block_header_bytes   # sizeof(struct RefcBinary)
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
                    block = self.charges.ram.allocate(self.header_bytes + len(data), "binary")
                except MemoryError:
                    raise ErlangError(ERROR, A_OUT_OF_MEMORY) from None
            entry = self.table[id(data)] = RefcBinary(data, block)
        self._hold(c, entry)

    def built_in(self, holder: Any, term: Any, args: tuple) -> None:
        """A native called by ``holder`` built ``term`` (part of its result) with binaries
        inside: each refc-sized one the VM does not know yet becomes a refc binary held by
        ``holder``, unless it is one of the arguments' own binaries — Python slicing hands
        back the argument object itself (``b[0:len(b)]``), and a literal argument is a const
        binary in flash, with no block. The arguments are walked only when the term holds a
        candidate."""
        table = self.table
        new = [data for key, data in self._refc_sized([term]).items() if key not in table]
        if not new:
            return
        shared = self._refc_sized(list(args))
        for data in new:
            if id(data) not in shared:
                self.created(holder, data)

    def received(self, c: Any, msg: Any) -> None:
        """A message to ``c``: the refc binaries in it are now referred to by ``c`` too."""
        for key in self._reachable([msg], self.table):
            self._hold(c, self.table[key])

    def collected(self, c: Any, live: int, extra: tuple = ()) -> None:
        """``c`` collected keeping ``live`` X registers (and the ``extra`` roots a NIF
        names): let go of what it no longer reaches."""
        roots = c.x[:live] + list(extra)
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

    def _refc_sized(self, todo: list[Any]) -> dict[int, bytes]:
        """Every binary of at least the threshold reachable from the terms in ``todo``
        (consumed), by id."""
        threshold = self.threshold
        return {id(b): b for b in _binaries_in(todo) if len(b) >= threshold}

    def _reachable(self, roots: list[Any], among: dict[int, RefcBinary]) -> set[int]:
        """Ids of the refc binaries of ``among`` reachable from ``roots``: a full walk,
        which stops early once every one of them is found."""
        threshold, enough = self.threshold, len(among)
        found: set[int] = set()
        for b in _binaries_in(list(roots)):
            if len(b) >= threshold and id(b) in among:
                found.add(id(b))
                if len(found) >= enough:
                    break
        return found


def _binaries_in(todo: list[Any]) -> Iterator[bytes]:
    """Every binary reachable from the terms in ``todo`` (consumed); a tuple or list cell
    shared inside them is walked once. A sub-binary made by matching leads to the binary it
    points into, and a match state to its binary: both keep it alive."""
    seen: set[int] = set()
    while todo:
        t = todo.pop()
        cls = t.__class__
        if cls is bytes:
            yield t
            sub = SUB_BINARIES.get(id(t))
            if sub is not None and sub[0] is t:
                todo.append(sub[1])
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
