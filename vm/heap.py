"""Process heaps as AtomVM grows them: the young block, its use, fragments and the GC.

Each process keeps ``hsize`` (young block words: heap + stack + free), ``hu`` (words used
in it: heap and stack together, so a GC point costs one comparison) and ``frag`` (words in
heap fragments: received messages and decoded literals, merged at the next GC). Generated
code charges what it builds at load-time-known sizes, natives charge what they build
(:func:`build`); see ``docs/memory-model.md``.

GC points call :func:`ensure`, which plays AtomVM's ``memory_ensure_free_with_roots``
(memory.c): decide from the sizes alone whether a collection happens and into which size
(``heap_growth``), and only then measure what survives it. The callers mirror AtomVM's
(jit.c / opcodesswitch.h at atomvm/AtomVM 168d236, facts §6):

====================================  =======================================  ============
GC point                              need, roots                              mode
====================================  =======================================  ============
allocate* (fragments, or no room)     stack + 1 + heap, live X registers        can shrink
test_heap (no room / free > 64·need)  need / 32·need, live X registers          can shrink
deallocate, NIF tail call (fragments) 0, x0                                     force shrink
a BIF's boxed result                  its size, live X registers                can shrink
bs_create_bin, put_map_*              what they build, live X registers         can shrink
a NIF building its result             what it asks for, no X register           can shrink
process_info/2 of the caller          3, no X register                          no shrink
erlang:garbage_collect/0              0, no X register                          force shrink
spawn (the new process's arguments)   their size (+2 per list cell), none       can shrink
====================================  =======================================  ============
"""
from __future__ import annotations

import os
import sys
from contextlib import nullcontext
from typing import Any, ContextManager

from . import heap_growth
from .bits import MatchState
from .errors import ErlangError, checked_int
from .runtime import CatchTag
from .ram_charges import CONTEXT_WORDS, MESSAGE_HEADER_WORDS
from .literal_binaries import LITERAL_BINARIES
from .sub_binaries import SUB_BINARIES
from .term_size import (MATCH_STATE_WORDS, REFC_BINARY_WORDS, SUB_BINARY_WORDS, WordLayout,
                        binary_reserve_words, binary_words, int_words, term_words)
from .terms import (ERROR, Atom, BitStr, Cons, ExtFun, ExtPid, ExtPort, ExtRef, Fun, Map, Nil, Pid,
                    Port, Ref, atom)

MODEL = os.environ.get("AVMSIM_HEAP_MODEL", "on") != "off"
"""``AVMSIM_HEAP_MODEL=off`` generates code without heap charges and GC points, and natives
charge nothing: the figures are then meaningless. It exists to measure what the model costs
(``benchmarks/bench_vm.py --no-heap-model``)."""

A_OUT_OF_MEMORY = atom("out_of_memory")
STRATEGIES = {s.value: s for s in heap_growth.GrowthStrategy}
_IMMEDIATE = (Atom, Nil, Pid, Port)

NO_SHRINK, CAN_SHRINK, FORCE_SHRINK = 0, 1, 2
"""memory.h ``enum MemoryAllocMode`` (MEMORY_NO_GC is a fragment, see :func:`receive`)."""

MESSAGE_FRAGMENT_EXTRA = 3
"""Words a received message adds to ``total_heap_size`` beyond the message itself: its
``Message`` block becomes a heap fragment whose storage starts at the message term slot,
then the ``heap_end`` slot and the mso-list head (mailbox.c ``mailbox_message_to_heap_fragment``,
``mailbox_message_create_from_term``: usage + 1 words of storage)."""


RAW_TRACE_WORDS = 13
"""Words of a raw stack trace besides its frames: ``TUPLE_SIZE(6) + TUPLE_SIZE(5)``
(stacktrace.c ``stacktrace_create_raw_mfa``, without live registers)."""

RAW_TRACE_FRAME_WORDS = 5
"""Words per frame of a raw stack trace: a list cell and a ``{Module, Offset}`` tuple."""

RAW_TRACE_WARNING = "WARNING: Unable to allocate heap space for raw stacktrace"
"""What AtomVM prints on stderr when it cannot build the raw stack trace of an exception."""


def out_of_memory() -> ErlangError:
    return ErlangError(ERROR, A_OUT_OF_MEMORY)


class _NoRoom(Exception):
    """``memory_ensure_free_with_roots`` failed: the new size is above ``max_heap_size``
    (MEMORY_GC_DENIED_ALLOCATION) or the board's RAM has no block for the new heap
    (MEMORY_GC_ERROR_FAILED_ALLOCATION). Either way the old heap is kept as it was."""


def init_heap(proc: Any, options: dict[str, Any]) -> None:
    """The first young block of a new process and the copy of what it starts with.

    context.c ``context_new``: an 8-word block (no default min_heap_size). nifs.c
    ``do_spawn`` (both ``spawn_opt`` forms) sets min/max_heap_size, then ensures room for
    ``memory_estimate_usage`` of each argument (or each free value of the closure) and of
    the group leader (a local pid: none), may shrink — still under the default strategy,
    which it sets only afterwards — and copies them. So ``{min_heap_size, 1000}`` applies
    only at the first GC, which this ensure rarely is.
    """
    strategy = options.get("atomvm_heap_growth")
    proc.heap_strategy = heap_growth.DEFAULT_STRATEGY
    proc.hsize = heap_growth.FIRST_HEAP_WORDS
    proc.hu = proc.frag = proc.gcs = 0
    proc.peak_heap = proc.hsize
    proc.min_heap = options.get("min_heap_size") or None
    proc.max_heap = options.get("max_heap_size") or None
    layout = proc.vm.layout
    callee, function, args = proc.start
    if function is None:
        copied = sum(term_words(v, layout) for v in callee.free) if callee.__class__ is Fun else 0
    else:
        copied = sum(term_words(a, layout) for a in args)
    try:
        _make_room(proc, copied, 0, CAN_SHRINK)
    except _NoRoom:
        raise out_of_memory() from None   # raised in the parent, whose heap has the trace
    proc.heap_strategy = STRATEGIES.get(strategy.name if strategy.__class__ is Atom else "",
                                        heap_growth.DEFAULT_STRATEGY)
    proc.hu = copied


def stack_words(proc: Any) -> int:
    """Words on the stack: every frame's Y registers plus its saved continuation."""
    return sum(len(frame) - 2 for frame in proc.frames())


# ----------------------------------------------------------------------------- GC points

def ensure(c: Any, need: int, live: int, mode: int, roots: tuple = ()) -> None:
    """``memory_ensure_free_with_roots(c, need, live X registers, mode)``; ``roots`` are
    further terms the caller keeps (a NIF's arguments it passes as roots).

    Whether a GC happens and the size of the first one depend only on the sizes; the live
    data is measured only when a GC really happens (it is what the copy keeps: the roots,
    the stack, the dictionary). A second, shrinking GC may follow (``heap_growth``). Raises
    ``error:out_of_memory`` above ``max_heap_size`` or when the board's RAM cannot hold the
    new block (see :func:`_out_of_memory_raised` for its stack trace).
    """
    try:
        _make_room(c, need, live, mode, roots)
    except _NoRoom:
        raise _out_of_memory_raised(c) from None


def _make_room(c: Any, need: int, live: int, mode: int, roots: tuple = ()) -> None:
    """:func:`ensure`'s work; raises :class:`_NoRoom` where AtomVM's fails."""
    strategy = c.heap_strategy
    force = mode == FORCE_SHRINK
    target = heap_growth.next_heap_size(strategy, need, c.hsize - c.hu, c.hsize, c.frag,
                                        mode == CAN_SHRINK, c.min_heap, c.max_heap,
                                        force_shrink=force)
    if target == c.hsize + c.frag and not force:   # erlang:garbage_collect always collects
        return
    live_words = live_data(c, live, roots)
    if c.hu + c.frag < live_words:
        # a native that does not charge what it builds yet (docs/memory-model.md): the block
        # and fragments hold at least what is live, so decide again from that
        c.hu = live_words - c.frag
        target = heap_growth.next_heap_size(strategy, need, c.hsize - c.hu, c.hsize, c.frag,
                                            mode == CAN_SHRINK, c.min_heap, c.max_heap,
                                            force_shrink=force)
        if target == c.hsize + c.frag and not force:
            return
        if target is not None and target - live_words < need:
            # the uncharged data overflowed the block: the formulas assume it never does
            target = live_words + need + heap_growth.MIN_FREE
    if target is None:
        raise _NoRoom
    if c.refc:
        c.vm.refc.collected(c, live, roots)
    _copy_into(c, target, live_words)
    second = heap_growth.second_pass_target(strategy, need, target - live_words, target,
                                            mode != NO_SHRINK, c.min_heap, c.max_heap,
                                            force_shrink=force)
    if second is None:
        raise _NoRoom
    if second != target:
        _copy_into(c, second, live_words)


def room_on_dying_heap(c: Any, need: int, reason: Any) -> bool:
    """``memory_ensure_free(ctx, need)`` of a dying process, which builds each exit signal and
    ``'DOWN'`` message on its own heap first (context.c ``context_monitors_handle_terminate``;
    the exit reason is a root): whether AtomVM got the room. Where it does not, AtomVM
    aborts the whole VM; the caller says so. The words are used on success."""
    if not MODEL:
        return True
    try:
        _make_room(c, need, 0, CAN_SHRINK, (reason,))
    except _NoRoom:
        return False
    c.hu += need
    return True


def _copy_into(c: Any, size: int, live_words: int) -> None:
    """One ``memory_gc``: a new block of ``size`` words is malloc'ed, the live data copied
    into it, then the old block and every fragment are freed."""
    charges = c.vm.charges
    if charges is not None:
        blocks = c.ram_blocks
        name = c.registered_name
        try:
            new_block = charges.ram.allocate(
                heap_growth.block_bytes(size, c.vm.word_size), charges.ram.tag_of(blocks[1]),
                name.name if name.__class__ is Atom else None)
        except MemoryError:
            raise _NoRoom from None
        for block in blocks[1:]:
            charges.release(block)
        del blocks[2:]
        blocks[1] = new_block
    c.gcs += 1
    c.hsize = size
    c.hu = live_words
    c.frag = 0
    if size > c.peak_heap:
        c.peak_heap = size


def _out_of_memory_raised(c: Any) -> ErlangError:
    """The ``error:out_of_memory`` of a GC that could not get its room, as AtomVM raises it.

    The failed allocation is abandoned and the heap stays as it was (memory.c ``memory_gc``
    mallocs the new block before touching anything), garbage included: it is freed only by a
    later GC that gets its block. Raising, AtomVM builds the raw stack trace on that heap
    (stacktrace.c: ``13 + 5·frames`` words, ``MEMORY_CAN_SHRINK``, the reason as only root);
    a heap that is still full needs a GC into a block at least as large as the one that just
    failed, so that fails too: AtomVM prints :data:`RAW_TRACE_WARNING` and the stack trace
    is the atom ``out_of_memory`` (what ``catch error:out_of_memory:S`` binds to ``S``).
    A handler that then needs heap meets the same wall and raises again, uncaught.
    """
    e = out_of_memory()
    need = RAW_TRACE_WORDS + RAW_TRACE_FRAME_WORDS * _trace_frames(c)
    try:
        with _unreported(c):   # the same exhaustion, already reported
            _make_room(c, need, 0, CAN_SHRINK)
    except _NoRoom:
        diagnostic(c.vm, RAW_TRACE_WARNING)
        e.stacktrace = A_OUT_OF_MEMORY
    else:
        c.hu += need
    return e


def _trace_frames(c: Any) -> int:
    """Frames of a raw stack trace: where the error was raised, then every saved return
    address and catch tag on the stack."""
    frames = 1
    for frame in c.frames():
        frames += 1 + sum(1 for slot in frame[:-3] if slot.__class__ is CatchTag)
    return frames


def _unreported(c: Any) -> ContextManager[None]:
    charges = c.vm.charges
    return charges.ram.unreported() if charges is not None else nullcontext()


def diagnostic(vm: Any, line: str) -> None:
    """A line on stderr, where the VM's diagnostics go (:class:`RamCharges` ``write``)."""
    charges = vm.charges
    if charges is not None:
        charges.write(line)
    else:
        sys.stderr.write(line + "\n")


def allocate_check(c: Any, need: int, live: int) -> None:
    """allocate*: fragments exist or the frame and heap do not fit (generated code tests)."""
    ensure(c, need, live, CAN_SHRINK)
    if c.hsize - c.hu < need:  # a GC target always leaves room; belt and braces
        raise out_of_memory()


def test_heap(c: Any, need: int, live: int) -> None:
    """test_heap: grow when ``need`` does not fit, else shrink towards 32·need when more than
    64·need is free (generated code tests both conditions before calling)."""
    free = c.hsize - c.hu
    if free < need:
        allocate_check(c, need, live)
        return
    need *= heap_growth.SHRINK_THRESHOLD_COEFF // 2
    if heap_growth.should_collect(c.heap_strategy, need, free, c.hsize + c.frag, True):
        ensure(c, need, live, CAN_SHRINK)


test_heap.__test__ = False  # not a pytest test, despite its name


def return_check(c: Any) -> None:
    """deallocate, or a tail call to a NIF, with fragments: a forced shrinking GC that keeps
    only x0 (jit.c ``jit_deallocate``, ``jit_call_ext``)."""
    ensure(c, 0, 1, FORCE_SHRINK)


def build(c: Any, words: int, need: int | None = None, live: int = 0,
          roots: tuple = ()) -> None:
    """A native builds ``words`` heap words after ``memory_ensure_free_opt(need, CAN_SHRINK)``
    (``need`` defaults to ``words``; ``live`` X registers are roots, none for NIFs, which
    name the arguments they keep in ``roots`` as AtomVM's ``memory_ensure_free_with_roots``).

    Called once the native has computed its result: that result is not a root yet, as in
    AtomVM, where it is built after the GC.
    """
    if MODEL:
        if need is None:
            need = words
        free = c.hsize - c.hu
        # ensure() asks the same question first; asking it here spares two calls when the
        # answer is no, the common case
        if heap_growth.should_collect(c.heap_strategy, need, free, c.hsize + c.frag, True,
                                      fragments=c.frag):
            ensure(c, need, live, CAN_SHRINK, roots)
        c.hu += words


def box(c: Any, number: Any, live: int) -> None:
    """A BIF boxes ``number`` (a float, or an integer outside the small range): bif.c
    ensures room for it with the ``live`` X registers as roots, then builds it. An integer
    wider than AtomVM's 256 bits is never built: ``error:overflow``."""
    layout = c.vm.layout
    if number.__class__ is float:
        build(c, layout.float_words, live=live)
    else:
        build(c, int_words(checked_int(number), layout), live=live)


def binary_built(c: Any, data: Any, alloc: int, live: int) -> None:
    """bs_create_bin built ``data``: AtomVM first ensured room for ``alloc`` words plus
    ``term_binary_heap_size`` (a word more than a heap binary takes, two more than a refc
    binary's 6), the ``live`` X registers being roots."""
    layout = c.vm.layout
    size = len(data) if data.__class__ is bytes else len(data.data)
    build(c, binary_words(size, layout), alloc + binary_reserve_words(size, layout), live)
    if size >= layout.refc_threshold_bytes and data.__class__ is bytes:
        c.vm.refc.created(c, data)


def map_built(c: Any, new_map: Any, old_size: int, live: int) -> None:
    """put_map_assoc/put_map_exact built ``new_map`` from a map of ``old_size`` entries:
    with no new key it shares the old keys tuple (TERM_MAP_SHARED_SIZE, 2 + n words), else it
    has its own (TERM_MAP_SIZE, 3 + 2n); AtomVM ensures that much room first."""
    n = len(new_map)
    build(c, 2 + n if n == old_size else 3 + 2 * n, live=live)


def receive(c: Any, words: int, block: int | None) -> None:
    """remove_message of a message of ``words`` words: its mailbox block becomes a heap
    fragment (its RAM stays taken until the next GC frees it)."""
    if not MODEL:
        if block is not None:
            c.vm.charges.release(block)
        return
    c.frag += words + MESSAGE_FRAGMENT_EXTRA
    if block is not None:
        c.ram_blocks.append(block)


# ----------------------------------------------------------------------------- live data

def live_data(c: Any, live: int, extra: tuple = ()) -> int:
    """Words a copying GC keeps: what the first ``live`` X registers, the dictionary's keys
    and values (entries are mallocs outside the heap; the terms are on it) and the stack
    frames reach, plus the stack itself.

    The frames are measured first: what a frame caches of the frames below it then depends
    on those frames alone, never on registers that may have died by the next GC."""
    layout = c.vm.layout
    seen: dict[int, int] = {}
    words = 0 if c.y is None else _frames_words(c, layout, seen)
    roots = c.x[:live]
    roots += extra
    if c.pdict:
        for k, v in c.pdict.values():
            roots.append(k)
            roots.append(v)
    return words + _walk(roots, layout, seen)


def _walk(roots: list[Any], layout: WordLayout, seen: dict[int, int]) -> int:
    """Heap words of everything reachable from ``roots`` not yet counted by this GC — what a
    copying collection keeps.

    ``seen`` maps the id of every boxed term this GC met to its size as a tree: a term reached
    again through the same object adds nothing (the collector keeps sharing; the boundaries
    where AtomVM copies — messages, spawn arguments, literals — make new objects, see
    ``term_copy``). Numbers are counted at each reference (a bignum or float shared inside a
    process is counted once per holder). List suffixes and tuple trees carry their size as a
    tree once measured (``Cons.w``, :data:`_TUPLE_SIZES`), so a GC walks only what was built
    since the last one: a cached term counts whole the first time this GC meets it, and
    what it holds is not looked into (sharing between its inside and other live data is
    counted twice; docs/memory-model.md).

    Works with an explicit stack (``todo`` holds terms to enter and ``_Exit`` records of
    terms whose parts are being measured; ``sizes`` the tree sizes of entered parts), so
    long lists and deep nesting never recurse.
    """
    lo, hi = layout.small_min, layout.small_max
    float_words = layout.float_words
    cache = _TUPLE_SIZES
    if len(cache) > _tuple_cache_limit[0]:
        _drop_dead_tuples(cache)
    words = 0
    sizes: list[int] = []
    todo: list[Any] = list(roots)
    while todo:
        t = todo.pop()
        cls = t.__class__
        if cls is _Exit:
            words += t.finish(sizes, seen)
            continue
        if cls is int:
            w = 0 if lo <= t <= hi else int_words(t, layout)
            words += w
            sizes.append(w)
            continue
        if cls is float:
            words += float_words
            sizes.append(float_words)
            continue
        if cls in _IMMEDIATE or t is None or cls is CatchTag:
            sizes.append(0)
            continue
        key = id(t)
        if (cls is bytes or cls is BitStr) and key in LITERAL_BINARIES:
            # a literal binary: a 6-word const refc binary at each use (all uses share the
            # Python object, so it is counted at each reference, as numbers are)
            words += REFC_BINARY_WORDS
            sizes.append(REFC_BINARY_WORDS)
            continue
        known = seen.get(key)
        if known is not None:
            sizes.append(known if known >= 0 else term_words(t, layout))
            continue
        if cls is Cons:
            words += _enter_list(t, todo, sizes, seen, layout)
        elif cls is tuple:
            hit = cache.get(key)
            if hit is not None and hit[0] is t:
                seen[key] = hit[1]
                words += hit[1]
                sizes.append(hit[1])
            else:
                todo.append(_Exit(t, len(t) + 1, len(t), _TUPLE))
                todo.extend(t)
        else:
            own, parts = _leaf(t, layout)
            if parts:
                todo.append(_Exit(t, own, len(parts), _OTHER))
                todo.extend(parts)
            else:
                seen[key] = own
                words += own
                sizes.append(own)
    return words


_TUPLE_SIZES: dict[int, tuple[tuple, int]] = {}
"""id(tuple) -> (tuple, words of the tuple and all it holds, as a tree): tuples are
immutable, so the figure stays true while the tuple lives (the tuple is kept in the entry so
its id is never reused for another). Entries whose tuple nothing else holds any more are
dropped when the cache outgrows its limit (:func:`_drop_dead_tuples`)."""
_TUPLE_CACHE_MIN = 20_000
_tuple_cache_limit = [_TUPLE_CACHE_MIN]


def _drop_dead_tuples(cache: dict[int, tuple[tuple, int]]) -> None:
    """Forget the tuples only the cache still holds (garbage of every process), so that a
    long run's host memory stays flat; the limit then follows what is really alive, so a
    large live set is swept no more often than it doubles."""
    getrefcount = sys.getrefcount
    for key in [k for k, (t, _) in cache.items() if getrefcount(t) <= _CACHE_ONLY_REFS]:
        del cache[key]
    _tuple_cache_limit[0] = max(_TUPLE_CACHE_MIN, 2 * len(cache))


# references to a tuple that only the cache holds, as getrefcount sees it inside the sweep's
# comprehension: the entry, the loop's unpacked name, getrefcount's own argument
_CACHE_ONLY_REFS = 3

_TUPLE, _LIST, _OTHER = 0, 1, 2


class _Exit:
    """A term whose ``count`` parts are being measured: once their tree sizes are on the
    ``sizes`` stack, :meth:`finish` sums them, caches and records the term's own size."""

    __slots__ = ("term", "own", "count", "kind")

    def __init__(self, term: Any, own: int, count: int, kind: int) -> None:
        self.term = term
        self.own = own
        self.count = count
        self.kind = kind

    def finish(self, sizes: list[int], seen: dict[int, int]) -> int:
        """Pop the parts' sizes, push the term's; returns the words this GC adds for it."""
        n = self.count
        if self.kind == _LIST:
            _finish_list(self.term, self.own, n, sizes, seen)
            return 0
        total = self.own
        if n:
            total += sum(sizes[-n:])
            del sizes[-n:]
        t = self.term
        seen[id(t)] = total
        if self.kind == _TUPLE:
            _TUPLE_SIZES[id(t)] = (t, total)
        sizes.append(total)
        return self.own


def _enter_list(cell: Cons, todo: list[Any], sizes: list[int], seen: dict[int, int],
                layout: WordLayout) -> int:
    """Start measuring the list from ``cell`` (met for the first time by this GC); returns
    the words this GC adds for its cells, their numbers and a newly met tail.

    A cell measured by an earlier GC counts its cached size. Otherwise the new cells are
    followed to the first one already measured (cached, or met by this GC) or to the tail,
    and their sizes are set from the last one back while their heads are numbers or
    immediates. From the last cell whose head must be measured itself (a boxed term) back to
    ``cell``, the heads are entered and a ``_LIST`` exit sets the sizes once they are
    measured; those cells are marked -1 in ``seen`` meanwhile, so that a head that holds one
    of them (``[T | T]``) measures it as a tree.
    """
    cached = cell.w
    if cached is not None:
        seen[id(cell)] = cached
        sizes.append(cached)
        return cached
    cells = []
    append = cells.append
    t = cell
    while t.__class__ is Cons and t.w is None and id(t) not in seen:
        append(t)
        t = t.tl
    words = 0
    if t.__class__ is Cons:
        tail = seen.get(id(t))
        if tail is None:
            tail = seen[id(t)] = t.w
            words = tail
        elif tail < 0:
            tail = term_words(t, layout)
    elif t.__class__ is Nil:
        tail = 0
    else:
        tail = None     # an improper tail: measured on the stack
    lo, hi = layout.small_min, layout.small_max
    k = len(cells)
    if tail is not None:
        suffix = tail
        while k:
            c = cells[k - 1]
            h = c.hd
            cls = h.__class__
            if cls is int:
                suffix += 2 if lo <= h <= hi else 2 + int_words(h, layout)
            elif cls in _IMMEDIATE:
                suffix += 2
            elif cls is float:
                suffix += 2 + layout.float_words
            else:
                break
            c.w = suffix
            seen[id(c)] = suffix
            k -= 1
        words += suffix - tail
        if not k:
            sizes.append(cell.w)
            return words
        tail = suffix
    return words + _defer_list(cells[:k], tail, todo, sizes, seen, layout)


def _defer_list(cells: list[Cons], tail: int | None, todo: list[Any], sizes: list[int],
                seen: dict[int, int], layout: WordLayout) -> int:
    """Enter the heads of ``cells`` and schedule their ``_LIST`` exit (see
    :func:`_enter_list`); ``tail`` is the size of what follows them, or None to measure the
    last cell's tail on the stack."""
    lo, hi = layout.small_min, layout.small_max
    inline = []     # per cell: its own 2 words plus its head's when the head is a number or
    entered = []    # an immediate; -1 when the head is entered (measured on the stack)
    for c in cells:
        seen[id(c)] = -1
        h = c.hd
        cls = h.__class__
        if cls is int:
            inline.append(2 if lo <= h <= hi else 2 + int_words(h, layout))
        elif cls is float:
            inline.append(2 + layout.float_words)
        elif cls in _IMMEDIATE:
            inline.append(2)
        else:
            inline.append(-1)
            entered.append(h)
    todo.append(_Exit(cells, inline, len(entered), _LIST))
    if tail is not None:
        sizes.append(tail)
    todo.extend(entered)
    if tail is None:
        todo.append(cells[-1].tl)   # popped first: its size goes below the heads'
    return sum(inline) + 3 * len(entered)   # an entered head's cell: -1 + 3 = its 2 words


def _finish_list(cells: list[Cons], inline: list[int], n: int, sizes: list[int],
                 seen: dict[int, int]) -> None:
    """Set the size of each new cell, last first: its own words, its head's and its tail's.

    ``sizes`` ends with the tail's size, then the entered heads' sizes in reverse order of
    their cells (the work stack pops the last head first)."""
    heads = sizes[len(sizes) - n:]
    del sizes[len(sizes) - n:]
    suffix = sizes.pop()
    i = 0
    for k in range(len(cells) - 1, -1, -1):
        own = inline[k]
        if own < 0:
            suffix += 2 + heads[i]
            i += 1
        else:
            suffix += own
        c = cells[k]
        c.w = suffix
        seen[id(c)] = suffix
    sizes.append(suffix)


def _leaf(t: Any, layout: WordLayout) -> tuple[int, tuple | list]:
    """Own words of a boxed term that is neither a list nor a tuple, and the parts it holds."""
    cls = t.__class__
    if cls is bytes:
        sub = SUB_BINARIES.get(id(t))
        if sub is not None and sub[0] is t:
            return SUB_BINARY_WORDS, (sub[1],)   # and the binary it points into stays alive
        return binary_words(len(t), layout), ()
    if cls is BitStr:
        return binary_words(len(t.data), layout), ()
    if cls is Map:
        parts = []
        for k, v in t.d.values():
            parts.append(k)
            parts.append(v)
        return 3 + 2 * len(t), parts
    if cls is Fun:
        return 3 + len(t.free), t.free
    if cls is ExtFun:
        return 4, ()
    if cls is Ref:
        return layout.ref_words, ()
    if cls is ExtPid or cls is ExtPort:
        return layout.external_pid_words, ()
    if cls is ExtRef:
        return layout.external_ref_words(len(t.words)), ()
    if cls is MatchState:
        return MATCH_STATE_WORDS, (t.data,)   # the match state keeps its binary alive
    return 0, ()


def _frames_words(c: Any, layout: WordLayout, seen: dict[int, int]) -> int:
    """Stack words plus the live words the frames hold.

    Only the top frame's Y registers can change, so what the frames below a frame hold is
    fixed for that frame's lifetime: each frame caches it in its last slot once measured,
    and a GC measures only the frames pushed since (and the top one) — deep recursion does
    not make every GC walk the whole stack. Data shared between those older frames and
    newer roots is then counted once more.
    """
    fresh = []
    f = c.y
    total = 0
    while f is not None:
        fresh.append(f)
        if f[-1] is not None:
            total = f[-1]
            break
        f = f[-2]
    for frame in reversed(fresh):
        frame[-1] = total
        total += len(frame) - 2 + _walk(frame[:-3], layout, seen)
    return total


# ----------------------------------------------------------------------------- figures

def memory_stats(vm: Any, proc: Any) -> dict[str, int]:
    """What process_info/2 and the memory report show of one process.

    ``memory`` is context.c ``context_size``: sizeof(Context) + ``mailbox_size`` + the heap
    in bytes. AtomVM's ``mailbox_size`` adds, per queued message, ``sizeof(Message)`` (bytes)
    and its storage length *in words* (usage + 1): the sum mixes units, and so does this.
    """
    word = vm.word_size
    total = proc.hsize + proc.frag
    mailbox = sum(MESSAGE_HEADER_WORDS * word + words + 1 for words in proc.msg_words)
    return {
        "heap_size": proc.hsize,
        "total_heap_size": total,
        "stack_size": stack_words(proc),
        "memory": CONTEXT_WORDS * word + mailbox + word * total,
        "message_queue_len": len(proc.mailbox),
        "gcs": proc.gcs,
        "peak_total_heap": max(proc.peak_heap, total),
    }
