"""AtomVM's heap sizing rules (facts §6) as pure functions, for the exact-memory model.

A process's heap and stack share one block (the *young block*): the heap grows up, the stack
down, and ``free`` is the gap between them. Messages received, and terms natives build without
a GC, live in *fragments* chained to the heap until the next collection merges them. AtomVM's
``memory_heap_memory_size`` (memory.h) is the young block plus every fragment; call that ``M``.

Every size is in words. All rules below come from ``memory_ensure_free_with_roots`` in
``src/libAtomVM/memory.c`` (atomvm/AtomVM, checked at commit 168d236) unless said otherwise;
the facts page (``/work/shared/design/atomvm-facts.md`` §6) summarises the same function.

Allocation modes (memory.h ``enum MemoryAllocMode``) map to the arguments used here:

====================  ===========================================  ==========================
AtomVM mode           used by                                      here
====================  ===========================================  ==========================
MEMORY_NO_SHRINK      ``memory_ensure_free`` (most natives)        ``shrink_allowed=False``
MEMORY_CAN_SHRINK     test_heap (jit.c), callers that opt in       ``shrink_allowed=True``
MEMORY_FORCE_SHRINK   ``erlang:garbage_collect``                   ``force_shrink=True``
MEMORY_NO_GC          NIF envs: a new fragment, never a GC          not modelled here
====================  ===========================================  ==========================

The sequence of one ``memory_ensure_free_with_roots`` call with need ``S``:

1. :func:`should_collect` — is a GC needed or wanted?
2. :func:`first_target` — the size of the new young block, then ``max(min_heap_size, ·)``.
   If that equals ``M`` no GC happens at all. Otherwise the GC copies the live data into a
   block of that size (fragments are merged into it), failing with out_of_memory if the size
   is above ``max_heap_size`` (checked in ``memory_gc``).
3. :func:`second_pass_target` — right after that copying GC, the strategy may ask for a
   second GC into a smaller (or, when forced, different) block.

:func:`next_heap_size` does steps 1–2; :func:`collect_sizes` plays all three given the number
of live words that survive a GC.

This module follows atomvm/AtomVM 7b282159, checked against that build's own figures
(``tests/atomvm_diff/heap_steps.erl``): a GC also starts whenever heap fragments exist
(``heap.root->next != NULL``). A fork with a generational GC (pguyot/AtomVM 01f6072) differs
further: fibonacci grows to the next value ≥ ``needed + needed/3``, max_heap_size is
checked before the GC even when the target equals M, and the second pass is skipped after
a minor GC.
"""
from __future__ import annotations

from enum import Enum
from typing import Final

MIN_FREE: Final = 16
"""MIN_FREE_SPACE_SIZE (memory.h): the slack bounded_free keeps above the need."""

SHRINK_THRESHOLD_COEFF: Final = 64
"""HEAP_NEED_GC_SHRINK_THRESHOLD_COEFF (memory.h): test_heap shrinks when free > 64·need."""

FIBONACCI_SHRINK_MIN_WORDS: Final = 10000
"""FIBONACCI_HEAP_GROWTH_REDUCTION_THRESHOLD (memory.c): the post-GC shrink of the fibonacci
strategy only applies to heaps larger than this."""

FIRST_HEAP_WORDS: Final = 8
"""A new process's young block (context.c ``context_new``: DEFAULT_STACK_SIZE)."""

FRAGMENT_HEADER_WORDS: Final = 2
"""``struct HeapFragment`` before its storage: ``next`` and the mso_list/heap_end union
(memory.h). Every heap block — the young block included — carries it in its malloc."""

FIBONACCI_SIZES: Final[tuple[int, ...]] = (
    12, 38, 51, 90, 142, 233, 376, 610, 987, 1598, 2586, 4185, 6772, 10958, 17731, 28690,
    46422, 75113, 121536, 196650, 318187, 514838, 833026, 1347865, 2180892, 3528758, 5709651,
)
"""memory.c ``next_fibonacci_heap_size`` table ("Follow Erlang/OTP 18 fibonacci series").
The facts page lists it up to 1347865 and "…"; memory.c continues with the last three."""


class GrowthStrategy(str, Enum):
    """The ``atomvm_heap_growth`` spawn option (context.h ``enum HeapGrowthStrategy``)."""

    BOUNDED_FREE = "bounded_free"
    MINIMUM = "minimum"
    FIBONACCI = "fibonacci"


DEFAULT_STRATEGY: Final = GrowthStrategy.BOUNDED_FREE
"""context.c ``context_new`` sets BoundedFreeHeapGrowth."""


def first_block_words() -> int:
    """Words malloc'ed for a new process's heap: 8 words + the 2-word fragment header."""
    return FIRST_HEAP_WORDS + FRAGMENT_HEADER_WORDS


def block_bytes(heap_words: int, word_bytes: int) -> int:
    """Bytes malloc'ed for a heap block or fragment of ``heap_words`` words
    (memory.c ``memory_init_heap``: ``sizeof(HeapFragment) + size * sizeof(term)``)."""
    return (heap_words + FRAGMENT_HEADER_WORDS) * word_bytes


def next_fibonacci_size(size: int) -> int:
    """The first table value ≥ ``size``; beyond the table ``size + size // 5``
    (memory.c ``next_fibonacci_heap_size``)."""
    for value in FIBONACCI_SIZES:
        if size <= value:
            return value
    return size + size // 5


# The rules below are written as plain if-chains on the strategy (not tables of functions):
# a GC point of every process calls them.

_BOUNDED = GrowthStrategy.BOUNDED_FREE
_MINIMUM = GrowthStrategy.MINIMUM

# ----------------------------------------------------------------------------- first pass

def should_collect(strategy: GrowthStrategy | str, need: int, free: int, memory_size: int,
                   shrink_allowed: bool, *, force_shrink: bool = False,
                   fragments: int = 0) -> bool:
    """Whether ``memory_ensure_free_with_roots`` starts a GC (memory.c, first ``should_gc``).

    Always when the need does not fit (``free < need``), on MEMORY_FORCE_SHRINK, or while
    heap fragments exist (``heap.root->next != NULL``: ``fragments`` words of them, e.g. a
    received message); otherwise only with shrinking allowed and the strategy's trigger:

    * bounded_free: ``free − need > 2·(need + 16)``
    * minimum: ``free > need``
    * fibonacci: ``free − need > 3·M/4`` (integer division; no 10000-word floor here, that
      floor is only in the second pass)

    Callers that test before calling ``memory_ensure_free`` at all (``test_heap``) pass no
    ``fragments``: there the fragments matter only once the call is made.
    """
    if free < need or force_shrink or fragments:
        return True
    if not shrink_allowed:
        return False
    if strategy.__class__ is not GrowthStrategy:
        strategy = GrowthStrategy(strategy)
    if strategy is _BOUNDED:
        return free - need > 2 * (need + MIN_FREE)
    if strategy is _MINIMUM:
        return free > need
    return free - need > 3 * memory_size // 4


def first_target(strategy: GrowthStrategy | str, need: int, free: int, memory_size: int) -> int:
    """The raw target size of the first GC, before min/max_heap_size (facts §6, memory.c):

    * bounded_free: ``free < need ? M + need + 16 : M − free + 2·(need + 16)``
    * minimum: ``M − free + need``
    * fibonacci: the next table value ≥ ``M − free + need``

    ``M − free`` is an upper bound of the live data (it still counts garbage), so each target
    leaves at least ``need`` words free after the copy.
    """
    if strategy.__class__ is not GrowthStrategy:
        strategy = GrowthStrategy(strategy)
    if strategy is _BOUNDED:
        if free < need:
            return memory_size + need + MIN_FREE
        return memory_size - free + 2 * (need + MIN_FREE)
    if strategy is _MINIMUM:
        return memory_size - free + need
    return next_fibonacci_size(memory_size - free + need)


def _clamp(target: int, memory_size: int, min_heap_size: int | None,
           max_heap_size: int | None) -> int | None:
    """Apply min_heap_size, then AtomVM's "same size ⇒ no GC" and max_heap_size checks.

    memory.c: ``target = MAX(min_heap_size, target)``; ``if (target != memory_size)`` call
    ``memory_gc``, which refuses (MEMORY_GC_DENIED_ALLOCATION ⇒ out_of_memory) a size above
    max_heap_size. So a target equal to the current size is never refused.
    """
    if min_heap_size is not None and target < min_heap_size:
        target = min_heap_size
    if target == memory_size:
        return memory_size
    if max_heap_size is not None and target > max_heap_size:
        return None
    return target


def next_heap_size(strategy: GrowthStrategy | str, need: int, free: int,
                   young_block_words: int, fragments_words: int, shrink_allowed: bool,
                   min_heap_size: int | None = None, max_heap_size: int | None = None,
                   *, force_shrink: bool = False) -> int | None:
    """The young-block size the first GC of ``memory_ensure_free`` collects into.

    ``need`` is the requested free words S, ``free`` the current gap F, ``M`` =
    ``young_block_words + fragments_words``. Returns:

    * ``M`` unchanged when no GC happens — either :func:`should_collect` says no, or the
      target (after min_heap_size) equals M (memory.c skips the GC then);
    * ``None`` when the target exceeds ``max_heap_size``: out_of_memory;
    * otherwise ``max(min_heap_size, first_target(...))``.

    ``min_heap_size``/``max_heap_size`` are None when the process has none (AtomVM's
    ``has_min_heap_size``/``has_max_heap_size`` false; there is no default min_heap_size).
    A second, shrinking GC may follow: see :func:`second_pass_target`.
    """
    memory_size = young_block_words + fragments_words
    if not should_collect(strategy, need, free, memory_size, shrink_allowed,
                          force_shrink=force_shrink, fragments=fragments_words):
        return memory_size
    return _clamp(first_target(strategy, need, free, memory_size), memory_size,
                  min_heap_size, max_heap_size)


# ----------------------------------------------------------------------------- second pass

def second_pass_target(strategy: GrowthStrategy | str, need: int, new_free: int,
                       new_memory_size: int, shrink_allowed: bool,
                       min_heap_size: int | None = None, max_heap_size: int | None = None,
                       *, force_shrink: bool = False) -> int | None:
    """The size of the optional second GC that follows a copying GC (memory.c,
    ``memory_ensure_free_with_roots``, the block after the first ``memory_gc``).

    ``new_memory_size`` (M') is the block just collected into (fragments are gone, so it is
    the first target), ``new_free`` (F') its gap after the copy, ``need`` the same S. Now
    ``M' − F'`` is exactly the live data (heap + stack). The second GC happens when forced
    (MEMORY_FORCE_SHRINK) or when:

    * bounded_free: shrinking allowed and ``F' > 2·(S + 16)`` → target
      ``M' − F' + 2·(S + 16)``
    * minimum: shrinking allowed and ``F' > 0`` → target ``M' − F' + S``
    * fibonacci: ``M' > 10000`` and ``F' ≥ 3·M'/4``, *whatever the mode* → target the next
      table value ≥ ``M' − F' + S``

    then ``max(min_heap_size, ·)``; equal to M' ⇒ no second GC; above max_heap_size ⇒
    out_of_memory. Returns M' when there is no second GC, None for out_of_memory. Only
    called after a first GC really happened (:func:`next_heap_size` returned a size ≠ M).
    Here ``shrink_allowed`` means "mode is not MEMORY_NO_SHRINK" (memory.c tests
    ``alloc_mode != MEMORY_NO_SHRINK`` in this pass, ``== MEMORY_CAN_SHRINK`` in the first).
    """
    if strategy.__class__ is not GrowthStrategy:
        strategy = GrowthStrategy(strategy)
    shrink_allowed = shrink_allowed or force_shrink
    live = new_memory_size - new_free
    if strategy is _BOUNDED:
        slack = 2 * (need + MIN_FREE)
        if not (force_shrink or (shrink_allowed and new_free > slack)):
            return new_memory_size
        target = live + slack
    elif strategy is _MINIMUM:
        if not (force_shrink or (shrink_allowed and new_free > 0)):
            return new_memory_size
        target = live + need
    else:
        # memory.c does not look at the alloc mode here: even MEMORY_NO_SHRINK shrinks.
        if not (force_shrink or (new_memory_size > FIBONACCI_SHRINK_MIN_WORDS
                                 and new_free >= 3 * new_memory_size // 4)):
            return new_memory_size
        target = next_fibonacci_size(live + need)
    return _clamp(target, new_memory_size, min_heap_size, max_heap_size)


class OutOfMemory(Exception):
    """Raised by :func:`collect_sizes` when a target exceeds max_heap_size."""


def collect_sizes(strategy: GrowthStrategy | str, need: int, free: int,
                  young_block_words: int, fragments_words: int, live_words: int,
                  shrink_allowed: bool, min_heap_size: int | None = None,
                  max_heap_size: int | None = None,
                  *, force_shrink: bool = False) -> tuple[int, ...]:
    """Play one ``memory_ensure_free_with_roots`` call: the young-block sizes of the GCs it
    runs, in order — ``()`` (no GC), one size, or two (a second, shrinking pass).

    ``live_words`` is what survives a copying GC: reachable heap words (fragments included)
    plus the stack. After the first GC into ``t1`` the gap is ``t1 − live_words``.
    Raises :class:`OutOfMemory` where AtomVM answers out_of_memory.
    """
    memory_size = young_block_words + fragments_words
    t1 = next_heap_size(strategy, need, free, young_block_words, fragments_words,
                        shrink_allowed, min_heap_size, max_heap_size, force_shrink=force_shrink)
    if t1 is None:
        raise OutOfMemory(need)
    if t1 == memory_size:
        return ()
    t2 = second_pass_target(strategy, need, t1 - live_words, t1, shrink_allowed,
                            min_heap_size, max_heap_size, force_shrink=force_shrink)
    if t2 is None:
        raise OutOfMemory(need)
    return (t1,) if t2 == t1 else (t1, t2)


# ----------------------------------------------------------------------------- test_heap

def test_heap_shrink_target(free: int, need: int) -> int | None:
    """The need test_heap passes to ``memory_ensure_free`` to shrink an oversized heap.

    opcodesswitch.h / jit.c ``test_heap``: when the need fits but ``free > 64·need``
    (HEAP_NEED_GC_SHRINK_THRESHOLD_COEFF) it asks for ``32·need`` words with shrinking
    allowed, so the strategy's shrink trigger and target apply with S = 32·need. Returns
    None when the rule does not apply (need does not fit, or free ≤ 64·need).
    """
    if free < need or free <= need * SHRINK_THRESHOLD_COEFF:
        return None
    return need * (SHRINK_THRESHOLD_COEFF // 2)


test_heap_shrink_target.__test__ = False  # not a pytest test, despite its name


def test_heap_request(free: int, need: int) -> int | None:
    """The size test_heap asks ``memory_ensure_free`` for, or None when it calls nothing:
    ``need`` when ``free < need``; ``32·need`` when ``free > 64·need``; else None.

    The JIT (jit.c ``jit_test_heap``) uses MEMORY_CAN_SHRINK for both calls. Older
    interpreter loops (opcodesswitch.h) used ``memory_ensure_free``, i.e. MEMORY_NO_SHRINK,
    for the growing call; the caller picks ``shrink_allowed`` accordingly.
    """
    if free < need:
        return need
    return test_heap_shrink_target(free, need)


test_heap_request.__test__ = False
