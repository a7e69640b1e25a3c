"""How many heap words an Erlang term occupies in AtomVM, for the exact-memory model.

Pure functions over the Python term representation of :mod:`avmsim.vm.terms`; nothing here
touches a process. The figures are AtomVM's, not OTP's: they come from the facts page
(``/work/shared/design/atomvm-facts.md`` section 5) and were checked against AtomVM's
``src/libAtomVM/term.h``, ``memory.c``, ``intn.h`` and ``refc_binary.h``.

Sizes are in words of the target (4 bytes on ESP32/STM32/RP2, 8 on generic_unix) and count
the whole term tree *as built fresh*, without sharing: a term referenced twice is counted
twice, exactly like ``erts_debug:flat_size/1`` (which AtomVM implements with
``memory_estimate_usage``, memory.c). Immediates (atoms, ``[]``, small integers, local pids
and ports) cost 0 words of their own: they live inside the word that refers to them.

Per-term sizes, header word included (32-bit / 64-bit):

=============================  =============  ==============================================
term                           words          source
=============================  =============  ==============================================
small integer                  0              28-bit / 60-bit immediates (term.h)
boxed integer                  2 / 2          fits ``avm_int_t`` (32 / 64 bits): BOXED_INT_SIZE
boxed int64 (32-bit only)      3              BOXED_INT64_SIZE
bigint, ≤64/128/192/256 bits   4,5,7,9 /      term_bigint_size_requirements: 32-bit digits,
                               3,3,4,5        bytes rounded to 8, never as small as an int64
float                          3 (2 float32)  FLOAT_SIZE = sizeof(float_term_t)/word + 1
                               / 2
cons cell                      2              CONS_SIZE
tuple of n                     n + 1          TUPLE_SIZE (``{}`` is 1 word when built)
map of n                       3 + 2n         TERM_MAP_SIZE (2 + n sharing a keys tuple)
heap binary of n bytes         2 + ⌈n/w⌉      under REFC_BINARY_MIN (32 / 64 bytes)
refc binary                    6              TERM_BOXED_REFC_BINARY_SIZE (+ off-heap block)
sub-binary                     4              TERM_BOXED_SUB_BINARY_SIZE (≥ 8 / 16 bytes)
match state                    4              TERM_BOXED_BIN_MATCH_STATE_SIZE (+ slots)
closure                        3 + free vars  BOXED_FUN_SIZE (+ the free values themselves)
external fun ``fun M:F/A``     4              FUNCTION_REFERENCE_SIZE
local reference                3 / 2          TERM_BOXED_REFERENCE_SHORT_SIZE = 8/w + 1
external pid or port           5 / 3          EXTERNAL_PID_SIZE (another node's)
external ref of k words        3 + k / 3+k/2  EXTERNAL_REF_SIZE (another node's)
=============================  =============  ==============================================

A refc binary also owns an off-heap block (``struct RefcBinary`` + data): five pointer-sized
fields (list head ×2, ref_count, size, resource_type), i.e. 20 + n bytes on 32-bit and
40 + n on 64-bit. :func:`offheap_bytes` sums those blocks; they are not heap words.

Where AtomVM differs from OTP (so the 64-bit figures may *not* be checked against the host's
``erts_debug:flat_size/1``): ``{}`` (AtomVM 1 word when built, OTP 0 — a shared literal),
maps (OTP's flatmap has an extra size word: 4 + 2n… and 3 for ``#{}``), references (OTP 3,
AtomVM 2 on 64-bit), external funs, binaries (OTP's ProcBin/heap-binary layouts and
thresholds differ) and bigints of 63–64 bits (AtomVM 3 words, OTP 2). Lists, non-empty
tuples, small and int64 integers, floats and bigints of 65 bits and more agree by design.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from .literal_binaries import LITERAL_BINARIES
from .terms import (Atom, BitStr, Cons, ExtFun, ExtPid, ExtPort, ExtRef, Fun, Map, Nil, Pid,
                    Port, Ref)

# ----------------------------------------------------------------------------- constants

CONS_WORDS = 2
"""A list cell: head and tail (term.h CONS_SIZE)."""

BOXED_FUN_WORDS = 3
"""A closure without free variables: header, module pointer, function index (BOXED_FUN_SIZE)."""

EXTERNAL_FUN_WORDS = 4
"""``fun M:F/A``: header, module atom, function atom, arity (FUNCTION_REFERENCE_SIZE).
The same on 32 and 64 bits."""

REFC_BINARY_WORDS = 6
"""On-heap part of a refc binary (TERM_BOXED_REFC_BINARY_SIZE), on both word sizes."""

SUB_BINARY_WORDS = 4
"""A sub-binary: header, size, offset, pointer to the refc/sub binary
(TERM_BOXED_SUB_BINARY_SIZE)."""

MATCH_STATE_WORDS = 4
"""A binary match state without saved-offset slots: header, binary, offset, start offset
(TERM_BOXED_BIN_MATCH_STATE_SIZE; ``bs_start_match2`` added one word per slot, the
bs_start_match3/4 of OTP 22+ ask for none)."""

RESOURCE_REF_WORDS = 4
"""A NIF resource reference (TERM_BOXED_REFERENCE_RESOURCE_SIZE), both word sizes. avmsim's
:class:`~avmsim.vm.terms.Ref` has no resource flavour yet; exposed for the lead's wiring."""

BINARY_HEADER_WORDS = 2
"""Header + byte size in front of a heap binary's data."""

MAP_FIXED_WORDS = 3
"""Map header + keys-tuple pointer + the keys tuple's own header (TERM_MAP_SIZE(0))."""

MAP_SHARED_FIXED_WORDS = 2
"""Map header + keys-tuple pointer when the keys tuple belongs to another map."""

BIGINT_DIGIT_BYTES = 4
"""``intn_digit_t`` is ``uint32_t`` (intn.h)."""

BIGINT_MAX_BITS = 256
"""AtomVM refuses integers whose magnitude needs more bits (INTN_MAX_UNSIGNED_BITS_SIZE,
intn.h). :func:`int_words` still answers above it by extending the same rounding rule, so that
a caller sizing an over-wide result gets a number, not an exception; the VM is the one that
must raise."""

REFC_BLOCK_FIELDS = 5
"""Pointer-sized fields of ``struct RefcBinary`` before its data (refc_binary.h): ListHead
(2 pointers), ref_count, size, resource_type."""

# Per-architecture figures that are not derived from the word size by a formula in term.h,
# keyed by word_bytes. Process references (aliases) are not produced by avmsim yet; they are
# listed so the layout is complete.
_EXTERNAL_PID_WORDS = {4: 5, 8: 3}
"""EXTERNAL_PID_SIZE (and EXTERNAL_PORT_SIZE), term.h."""

_PROCESS_REF_EXTRA = {4: 2, 8: 1}
"""TERM_BOXED_REFERENCE_PROCESS_SIZE = short ref size + this (32-bit pads to avoid colliding
with the 4-word resource reference), term.h."""


# ----------------------------------------------------------------------------- layouts

@dataclass(frozen=True)
class WordLayout:
    """The target's word size and the size thresholds that depend on it (facts §5).

    ``small_int_bits`` is the width of a small (immediate) integer including its sign:
    28 on 32-bit (range [−2^27, 2^27−1]), 60 on 64-bit. ``float_words`` includes the boxed
    header. ``refc_threshold_bytes`` is REFC_BINARY_MIN: binaries this long or longer are refc.
    ``sub_binary_min_bytes`` is SUB_BINARY_MIN: shorter slices are copied. The derived
    figures are cached: the collector reads them at every GC.
    """

    word_bytes: int
    small_int_bits: int
    float_words: int
    refc_threshold_bytes: int
    sub_binary_min_bytes: int

    def __post_init__(self) -> None:
        if self.word_bytes not in (4, 8):
            raise ValueError(f"word_bytes must be 4 or 8, not {self.word_bytes}")

    @cached_property
    def small_min(self) -> int:
        """Smallest small integer (MIN_NOT_BOXED_INT)."""
        return -(1 << (self.small_int_bits - 1))

    @cached_property
    def small_max(self) -> int:
        """Largest small integer (MAX_NOT_BOXED_INT)."""
        return (1 << (self.small_int_bits - 1)) - 1

    @cached_property
    def word_bits(self) -> int:
        return self.word_bytes * 8

    @cached_property
    def int64_data_words(self) -> int:
        """Words holding an int64 (BOXED_TERMS_REQUIRED_FOR_INT64): 2 on 32-bit, 1 on 64-bit."""
        return 8 // self.word_bytes

    @cached_property
    def ref_words(self) -> int:
        """A local reference: header + a 64-bit tick counter (TERM_BOXED_REFERENCE_SHORT_SIZE)."""
        return 8 // self.word_bytes + 1

    @cached_property
    def process_ref_words(self) -> int:
        """A process reference (alias), TERM_BOXED_REFERENCE_PROCESS_SIZE."""
        return self.ref_words + _PROCESS_REF_EXTRA[self.word_bytes]

    @cached_property
    def external_pid_words(self) -> int:
        """An external pid or port (EXTERNAL_PID_SIZE)."""
        return _EXTERNAL_PID_WORDS[self.word_bytes]

    def external_ref_words(self, n_words: int) -> int:
        """An external reference of ``n_words`` 32-bit id words (EXTERNAL_REF_SIZE): header,
        node, creation/length and the words, two to a 64-bit word."""
        return 3 + (n_words if self.word_bytes == 4 else n_words // 2)

    @cached_property
    def refc_block_header_bytes(self) -> int:
        """Bytes of ``struct RefcBinary`` in front of the data: 20 on 32-bit, 40 on 64-bit."""
        return REFC_BLOCK_FIELDS * self.word_bytes


LAYOUT_32 = WordLayout(word_bytes=4, small_int_bits=28, float_words=3,
                       refc_threshold_bytes=32, sub_binary_min_bytes=8)
"""ESP32, RP2 and STM32 built with double floats: 4-byte words, 64-bit floats."""

LAYOUT_32_FLOAT32 = WordLayout(word_bytes=4, small_int_bits=28, float_words=2,
                               refc_threshold_bytes=32, sub_binary_min_bytes=8)
"""A 32-bit board built with 32-bit floats (AVM_USE_SINGLE_PRECISION, the STM32 default):
``sizeof(float_term_t)`` is one word, so a float is 2 words."""

LAYOUT_64 = WordLayout(word_bytes=8, small_int_bits=60, float_words=2,
                       refc_threshold_bytes=64, sub_binary_min_bytes=16)
"""The 64-bit generic_unix profile."""


# ----------------------------------------------------------------------------- scalars

def int_words(value: int, layout: WordLayout = LAYOUT_32) -> int:
    """Heap words of an integer: 0 for a small integer, else the boxed size with header.

    Follows term.h: ``term_boxed_integer_size`` (an ``avm_int_t`` in one word; on 32-bit an
    int64 in two) and, beyond int64, ``term_bigint_size_requirements`` (see
    :func:`bigint_words`).
    """
    if layout.small_min <= value <= layout.small_max:
        return 0
    half = 1 << (layout.word_bits - 1)
    if -half <= value < half:
        return 2  # BOXED_INT_SIZE: header + one avm_int_t
    if -(1 << 63) <= value < (1 << 63):
        return 1 + layout.int64_data_words  # BOXED_INT64_SIZE (only reached on 32-bit)
    return bigint_words(value, layout)


def bigint_words(value: int, layout: WordLayout = LAYOUT_32) -> int:
    """Heap words of an integer stored as a bigint (outside the int64 range), header included.

    AtomVM (term.h ``term_bigint_size_requirements``) stores the magnitude as 32-bit digits
    (sign in the header), rounds the digit bytes up to a multiple of 8, converts to words, and
    bumps a result that would equal an int64's data size by one word so bigints and boxed
    int64s stay distinguishable. Hence 4, 5, 7, 9 words on 32-bit and 3, 3, 4, 5 on 64-bit for
    magnitudes of up to 64, 128, 192, 256 bits. Above 256 bits (where AtomVM raises) the same
    rule is extended: +2 words (32-bit) / +1 word (64-bit) per 64 bits.
    """
    digits = max(1, -(-abs(value).bit_length() // 32))
    rounded_bytes = -(-(digits * BIGINT_DIGIT_BYTES) // 8) * 8
    data = rounded_bytes // layout.word_bytes
    if data == layout.int64_data_words:
        data += 1
    return data + 1


def binary_words(size: int, layout: WordLayout = LAYOUT_32) -> int:
    """Heap words of a freshly built binary of ``size`` bytes (facts §5).

    Under ``refc_threshold_bytes`` it is a heap binary, header + size word + data rounded up
    to whole words (term.h ``term_create_uninitialized_binary``); otherwise a 6-word refc
    binary whose data lives off the heap (:func:`refc_block_bytes`).
    """
    if size < layout.refc_threshold_bytes:
        return BINARY_HEADER_WORDS + -(-size // layout.word_bytes)
    return REFC_BINARY_WORDS


def binary_reserve_words(size: int, layout: WordLayout = LAYOUT_32) -> int:
    """What AtomVM's natives *ask* ``memory_ensure_free`` for before building a binary.

    term.h ``term_binary_heap_size`` / TERM_BINARY_HEAP_SIZE = data-size-in-terms + 2, which is
    one word more than a heap binary really takes (3 + ⌈n/w⌉) and two more than a refc
    binary (8). The surplus only affects when a GC triggers, not what the binary occupies.
    """
    if size < layout.refc_threshold_bytes:
        return -(-size // layout.word_bytes) + 1 + BINARY_HEADER_WORDS
    return REFC_BINARY_WORDS + BINARY_HEADER_WORDS


def refc_block_bytes(size: int, layout: WordLayout = LAYOUT_32) -> int:
    """Off-heap bytes of a refc binary of ``size`` bytes: ``struct RefcBinary`` + data,
    or 0 when the binary is small enough to live on the heap."""
    if size < layout.refc_threshold_bytes:
        return 0
    return layout.refc_block_header_bytes + size


def sub_binary_words(length: int, source_is_refc_or_sub: bool,
                     layout: WordLayout = LAYOUT_32) -> int:
    """Heap words of a slice of ``length`` bytes taken from another binary.

    AtomVM makes a 4-word sub-binary only when the source is a refc or sub binary and the
    slice is at least ``sub_binary_min_bytes`` long; otherwise it copies the bytes into a new
    binary (term.h ``term_sub_binary_heap_size`` / ``term_maybe_create_sub_binary``).
    """
    if source_is_refc_or_sub and length >= layout.sub_binary_min_bytes:
        return SUB_BINARY_WORDS
    return binary_words(length, layout)


def map_words(n: int, shared_keys: bool = False) -> int:
    """Words of a map with ``n`` entries, not counting the keys and values themselves.

    A map is a header, a pointer to a tuple of its keys, and the ``n`` values; the keys tuple
    adds ``n + 1`` words (TERM_MAP_SIZE = 3 + 2n). When the VM builds a map that reuses the
    keys tuple of another map (``put`` of existing keys, ``maps:map`` and the like), only
    2 + n words are new (TERM_MAP_SHARED_SIZE). :func:`term_words` always counts a map as
    3 + 2n: it measures a fresh, unshared copy (as a GC or a send would make of it — and as
    AtomVM's flat_size counts it).
    """
    if shared_keys:
        return MAP_SHARED_FIXED_WORDS + n
    return MAP_FIXED_WORDS + 2 * n


def tuple_words(n: int) -> int:
    """A tuple of ``n`` elements: header + elements (TUPLE_SIZE). ``{}`` is 1 word when built
    (term_alloc_tuple); a copying GC later points every ``{}`` at one static empty tuple."""
    return n + 1


def closure_words(n_free: int) -> int:
    """A closure with ``n_free`` captured values, not counting the values themselves."""
    return BOXED_FUN_WORDS + n_free


# ----------------------------------------------------------------------------- whole terms

class TermSize(NamedTuple):
    """Both costs of a term: process-heap words and off-heap refc bytes."""

    words: int
    offheap_bytes: int


_IMMEDIATE_CLASSES = frozenset((Atom, Nil, Pid, Port))
"""Terms that are immediates in AtomVM (local pids/ports included): 0 words of their own."""


def measure(term: Any, layout: WordLayout = LAYOUT_32) -> TermSize:
    """Heap words and off-heap bytes of ``term`` built fresh, without sharing.

    Walks the term with an explicit stack (never Python recursion), so million-element lists
    and deeply nested terms are fine. Raises :class:`TypeError` on a Python object that is not
    an Erlang term (``bool`` included: booleans are the atoms ``TRUE``/``FALSE``).
    """
    words = 0
    offheap = 0
    small_min = layout.small_min
    small_max = layout.small_max
    threshold = layout.refc_threshold_bytes
    wb = layout.word_bytes
    refc_header = layout.refc_block_header_bytes
    float_words = layout.float_words
    ref_words = layout.ref_words
    immediates = _IMMEDIATE_CLASSES

    stack: list[Any] = [term]
    pop = stack.pop
    push = stack.append
    extend = stack.extend
    while stack:
        t = pop()
        cls = t.__class__
        # A list spine is walked in place; only heads that are not immediates are stacked.
        while cls is Cons:
            words += CONS_WORDS
            hd = t.hd
            hcls = hd.__class__
            if hcls is int:
                if not small_min <= hd <= small_max:
                    words += int_words(hd, layout)
            elif hcls not in immediates:
                push(hd)
            t = t.tl
            cls = t.__class__
        if cls is int:
            if not small_min <= t <= small_max:
                words += int_words(t, layout)
        elif cls in immediates:
            pass
        elif cls is tuple:
            words += len(t) + 1
            extend(t)
        elif cls is bytes or cls is BitStr:
            n = len(t) if cls is bytes else len(t.data)
            if id(t) in LITERAL_BINARIES:
                words += REFC_BINARY_WORDS   # a const refc binary: its data stays in flash
            elif n < threshold:
                words += BINARY_HEADER_WORDS + -(-n // wb)
            else:
                words += REFC_BINARY_WORDS
                offheap += refc_header + n
        elif cls is float:
            words += float_words
        elif cls is Map:
            words += MAP_FIXED_WORDS + 2 * len(t)
            for k, v in t.d.values():
                push(k)
                push(v)
        elif cls is Fun:
            words += BOXED_FUN_WORDS + len(t.free)
            extend(t.free)
        elif cls is ExtFun:
            words += EXTERNAL_FUN_WORDS
        elif cls is Ref:
            words += ref_words
        elif cls is ExtPid or cls is ExtPort:
            words += layout.external_pid_words
        elif cls is ExtRef:
            words += layout.external_ref_words(len(t.words))
        else:
            raise TypeError(f"not an Erlang term: {t!r} ({cls.__name__})")
    return TermSize(words, offheap)


def term_words(term: Any, layout: WordLayout = LAYOUT_32) -> int:
    """Words ``term`` occupies on a process heap when built fresh (whole tree, no sharing).

    This is the ``need`` to reserve before copying the term into a heap (a received message,
    a spawn's arguments, a decoded literal). Refc binary data is not included: see
    :func:`offheap_bytes`.
    """
    return measure(term, layout).words


def offheap_bytes(term: Any, layout: WordLayout = LAYOUT_32) -> int:
    """Bytes of the refc binary blocks (``struct RefcBinary`` + data) the term refers to,
    each counted once per occurrence (``erlang:memory(binary)`` counts each block once:
    the caller dedupes shared binaries)."""
    return measure(term, layout).offheap_bytes


def literal_words(term: Any, layout: WordLayout = LAYOUT_32) -> int:
    """Words of the heap fragment a use of literal ``term`` decodes into (facts §2).

    externalterm.c ``calculate_heap_usage`` without copying: like :func:`term_words`, except
    that every binary inside a literal is a 6-word const refc binary pointing into the
    module (``term_from_const_binary``), whatever its size, with no off-heap block.
    """
    words = 0
    stack: list[Any] = [term]
    while stack:
        t = stack.pop()
        cls = t.__class__
        if cls is bytes or cls is BitStr:
            words += REFC_BINARY_WORDS
        elif cls is Cons:
            words += CONS_WORDS
            stack.append(t.hd)
            stack.append(t.tl)
        elif cls is tuple:
            words += len(t) + 1
            stack.extend(t)
        elif cls is Map:
            words += MAP_FIXED_WORDS + 2 * len(t)
            for k, v in t.d.values():
                stack.append(k)
                stack.append(v)
        else:
            words += measure(t, layout).words
    return words


def flat_size(term: Any, layout: WordLayout = LAYOUT_32) -> int:
    """What AtomVM's ``erts_debug:flat_size/1`` returns for ``term``: equal to
    :func:`term_words`.

    AtomVM implements the NIF with ``memory_estimate_usage`` (nifs.c, memory.c): cons 2,
    tuples n+1 (``{}`` 1), maps TERM_MAP_SIZE (3 + 2n even when the map shares its keys),
    every other boxed term its boxed size + 1 — so a refc binary is 6 words and its
    off-heap data is *not* counted; a sub-binary counts 4 words plus the binary it refers
    to. The newest memory.c read (pguyot/AtomVM 01f6072) walks a closure's free variables;
    atomvm/AtomVM at 168d236 did not (it counted only the closure's own 3 + n words, so a
    closure capturing boxed values was undercounted there). We follow the newer behaviour.
    Python terms carry no sharing and no sub-binaries, so the two functions coincide.
    """
    return measure(term, layout).words
