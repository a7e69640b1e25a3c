"""Process heaps as AtomVM grows them: the young block, its use, fragments and the GC.

Each process keeps ``hsize`` (young block words: heap + stack + free), ``hu`` (words used
in it: heap and stack together, so a GC point costs one comparison) and ``frag`` (words in
heap fragments: received messages and literal copies, merged at the next GC). Generated
code charges what it builds at load-time-known sizes (see ``docs/memory-model.md``);
this module decides, at GC points, whether to collect and what the new block size is
(``heap_growth``), and measures what survives a copying collection.

Not modelled yet: the sizes of terms built by natives and by binary construction, boxed
results of arithmetic, and sub-binaries. They make ``hu`` lower than on the device between
collections (a collection measures the real live data again).
"""
from __future__ import annotations

from typing import Any

from . import heap_growth
from .errors import ErlangError
from .runtime import CatchTag
from .ram_charges import CONTEXT_WORDS
from .term_size import WordLayout, binary_words, int_words
from .terms import ERROR, NIL, Atom, BitStr, Cons, ExtFun, Fun, Map, Nil, Pid, Port, Ref, atom

A_OUT_OF_MEMORY = atom("out_of_memory")
STRATEGIES = {s.value: s for s in heap_growth.GrowthStrategy}
_IMMEDIATE = (Atom, Nil, Pid, Port)


def init_heap(proc: Any, options: dict[str, Any]) -> None:
    """The first young block of a new process (facts §6), sized up to ``min_heap_size``."""
    strategy = options.get("atomvm_heap_growth")
    proc.heap_strategy = STRATEGIES.get(strategy.name if strategy.__class__ is Atom else "",
                                        heap_growth.DEFAULT_STRATEGY)
    proc.min_heap = options.get("min_heap_size") or None
    proc.max_heap = options.get("max_heap_size") or None
    proc.hsize = max(heap_growth.FIRST_HEAP_WORDS, proc.min_heap or 0)
    proc.hu = 0
    proc.frag = 0
    proc.gcs = 0
    proc.peak_heap = proc.hsize


def stack_words(proc: Any) -> int:
    """Words on the stack: every frame's Y registers plus its saved continuation."""
    return sum(len(frame) - 2 for frame in proc.frames())


def shared_words(roots: list[Any], layout: WordLayout, seen: set[int] | None = None) -> int:
    """Heap words of everything reachable from ``roots`` — what a copying collection keeps.

    A subterm reached twice through the same object is counted once (the collector keeps
    sharing). List suffixes carry their size in ``Cons.w`` once measured, so each GC walks
    only the cells built since the last one; a suffix shared between two lists that was
    measured from both is counted twice (rare; documented in docs/memory-model.md).
    """
    if seen is None:
        seen = set()
    todo = list(roots)
    words = 0
    lo, hi = layout.small_min, layout.small_max
    while todo:
        t = todo.pop()
        cls = t.__class__
        if cls in _IMMEDIATE or t is None or cls is CatchTag:
            continue
        if cls is int:
            if not lo <= t <= hi:
                words += int_words(t, layout)
            continue
        if id(t) in seen:
            continue
        seen.add(id(t))
        if cls is Cons:
            words += _list_words(t, layout, seen)
        elif cls is tuple:
            words += _tuple_words(t, layout, seen)
        else:
            words += _leaf_words(t, layout, todo)
    return words


_TUPLE_SIZES: dict[int, tuple[tuple, int]] = {}
"""id(tuple) -> (tuple, words of the tuple and all it holds): tuples are immutable, so the
figure stays true while the tuple lives (the tuple is kept in the entry so its id is never
reused for another). Entries are dropped when the cache grows past ``_TUPLE_CACHE_MAX``."""
_TUPLE_CACHE_MAX = 200_000


def _tuple_words(root: tuple, layout: WordLayout, seen: set[int]) -> int:
    """Words of a tuple tree, children first (iteratively), each nested tuple's size cached:
    building a deep structure a level at a time does not make every GC walk all of it."""
    cache = _TUPLE_SIZES
    if len(cache) > _TUPLE_CACHE_MAX:
        cache.clear()
    hit = cache.get(id(root))
    if hit is not None and hit[0] is root:
        return hit[1]
    stack: list[tuple[tuple, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if not children_done:
            stack.append((node, True))
            for child in node:
                if child.__class__ is tuple:
                    hit = cache.get(id(child))
                    if hit is None or hit[0] is not child:
                        stack.append((child, False))
            continue
        words = len(node) + 1
        for child in node:
            if child.__class__ is tuple:
                words += cache[id(child)][1]
            elif child.__class__ not in _IMMEDIATE:
                words += shared_words([child], layout, seen)
        cache[id(node)] = (node, words)
    return cache[id(root)][1]


def _leaf_words(t: Any, layout: WordLayout, todo: list[Any]) -> int:
    """Words of a non-list, non-tuple boxed term; pushes its children onto ``todo``."""
    cls = t.__class__
    if cls is float:
        return layout.float_words
    if cls is bytes:
        return binary_words(len(t), layout)
    if cls is BitStr:
        return binary_words(len(t.data), layout)
    if cls is Map:
        for k, v in t.d.values():
            todo.append(k)
            todo.append(v)
        return 3 + 2 * len(t)
    if cls is Fun:
        todo.extend(t.free)
        return 3 + len(t.free)
    if cls is ExtFun:
        return 4
    if cls is Ref:
        return layout.ref_words
    return 0


def _list_words(cell: Any, layout: WordLayout, seen: set[int]) -> int:
    """Words of a list from ``cell`` on, caching each suffix's size in its cell."""
    chain = []
    t = cell
    cached = None
    while t.__class__ is Cons:
        cached = getattr(t, "w", None)
        if cached is not None:
            break
        chain.append(t)
        t = t.tl
    if cached is None:
        cached = shared_words([t], layout) if t is not NIL else 0
    lo, hi = layout.small_min, layout.small_max
    for c in reversed(chain):
        h = c.hd
        cls = h.__class__
        if cls is int:
            cached += 2 if lo <= h <= hi else 2 + int_words(h, layout)
        elif cls in _IMMEDIATE or id(h) in seen:
            cached += 2
        else:
            cached += 2 + shared_words([h], layout)
        c.w = cached
    return cached


def _frames_words(c: Any, layout: WordLayout, seen: set[int]) -> int:
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
        total += len(frame) - 2 + shared_words(frame[:-3], layout, seen)
    return total


def collect(c: Any, need: int, live: int, force_shrink: bool = False) -> None:
    """A GC point found too little room (or too much): collect and resize the young block.

    Raises ``error:out_of_memory`` above ``max_heap_size`` or when the board's RAM cannot
    hold the new block.
    """
    vm = c.vm
    free = c.hsize - c.hu
    if not heap_growth.should_collect(c.heap_strategy, need, free, c.hsize + c.frag, True,
                                      force_shrink=force_shrink):
        return  # decided before measuring: measuring live data costs a walk of the heap
    layout = vm.layout
    seen: set[int] = set()
    live_words = shared_words(c.x[:live] + list(c.pdict.values()), layout, seen)
    live_words += _frames_words(c, layout, seen)
    # What natives and binary construction built is not charged as it is built (see the
    # module doc): before deciding, the block holds at least the live data measured now.
    if c.hu < live_words:
        c.hu = live_words
        free = c.hsize - c.hu
    try:
        sizes = heap_growth.collect_sizes(c.heap_strategy, need, max(free, 0),
                                          max(c.hsize, c.hu), c.frag, live_words, True,
                                          c.min_heap, c.max_heap, force_shrink=force_shrink)
    except heap_growth.OutOfMemory:
        raise ErlangError(ERROR, A_OUT_OF_MEMORY) from None
    if not sizes and not force_shrink:
        return
    new_size = sizes[-1] if sizes else c.hsize
    if new_size - live_words < need:  # only when uncharged data skewed the formula's input
        new_size = live_words + need + heap_growth.MIN_FREE
    if vm.charges is not None and new_size != c.hsize:
        try:
            c.ram_blocks[1] = vm.charges.ram.realloc(c.ram_blocks[1], new_size * vm.word_size)
        except MemoryError:
            raise ErlangError(ERROR, A_OUT_OF_MEMORY) from None
    c.gcs += len(sizes) or 1
    c.hsize = new_size
    c.hu = live_words
    c.frag = 0
    if new_size > c.peak_heap:
        c.peak_heap = new_size


def heap_check(c: Any, need: int, live: int) -> None:
    """test_heap / allocate: collect when ``need`` words do not fit, and (test_heap) shrink a
    heap far larger than needed, as AtomVM's test_heap does."""
    free = c.hsize - c.hu
    if free < need:
        collect(c, need, live)
        if c.hsize - c.hu < need:  # the growth formula always leaves room; belt and braces
            raise ErlangError(ERROR, A_OUT_OF_MEMORY)
        return
    shrink_need = heap_growth.test_heap_shrink_target(free, need)
    if shrink_need is not None:
        collect(c, shrink_need, live)


def memory_stats(vm: Any, proc: Any) -> dict[str, int]:
    """What process_info/2 and the memory report show of one process."""
    word = vm.word_size
    stack = stack_words(proc)
    total = proc.hsize + proc.frag
    mailbox = sum(vm.charges.ram.block_size(b) for b in proc.msg_blocks) \
        if vm.charges is not None else 0
    return {
        "heap_size": proc.hsize,
        "total_heap_size": total,
        "stack_size": stack,
        "memory": CONTEXT_WORDS * word + mailbox + word * total,
        "message_queue_len": len(proc.mailbox),
        "gcs": proc.gcs,
        "peak_total_heap": max(proc.peak_heap, total),
    }

