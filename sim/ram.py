"""The board's RAM allocator: blocks at real SRAM addresses, with the SDK heap's overheads.

AtomVM on a device gets every process heap, message, refc binary, module table and atom
from the SDK's ``malloc``. :class:`RamAllocator` models that ``malloc`` closely enough that
free bytes, the largest free block, the low-water mark and fragmentation come out as the
device would report them (``erlang:system_info(esp32_free_heap_size)`` etc.).

Which allocator a board uses is data: the board's ``[ram]`` table names a policy in
:data:`ALLOCATOR_POLICIES` (defaults per platform in :data:`PLATFORM_ALLOCATORS`):

``esp-idf-tlsf`` — ESP-IDF 5.x ``heap_caps`` over ``multi_heap`` over TLSF
    (espressif/tlsf ``tlsf.c``, ``tlsf_common.h``; esp-idf ``components/heap/multi_heap.c``,
    ``heap_caps_init.c``, ``port/esp32/memory_layout.c``). Facts modelled:

    * one TLSF heap per region; ``multi_heap_register`` puts a 20-byte ``heap_t`` at the region
      start, then the TLSF control structure (36 B + 4 B per first-level list + 4 B per free
      list head; the second level has 8, 16 or 32 lists for pools of ≤16 KiB, ≤256 KiB or more,
      ``control_construct``), then the pool. ``tlsf_add_pool`` keeps 2 × 4 bytes of pool
      overhead (first block's header, zero-size sentinel block). The 36 bytes are checked
      against a real ``heap_caps_print_heap_info`` dump of an ESP32-S3 on ESP-IDF 5.x
      (github.com/RomanLut/hx-esp32-cam-fpv issue 46): heaps of len 32767, 22308, 7912 and
      267552 report free 32031, 21572, 7532 and (free + allocated + 4·blocks) consistent with
      len − 20 − control, and largest_free_block 31744, 21504, 7168 = ``tlsf_fit_size``.
    * alignment 4 bytes (``ALIGN_SIZE_LOG2 = 2``); requests are rounded up to 4 and to at least
      ``block_size_min`` = 12 bytes; a used block costs 4 bytes of header
      (``block_header_overhead = sizeof(size_t)``; the previous-physical-block pointer lives in
      the last word of the previous block, valid only while that one is free).
    * good fit: the request is rounded up to the next second-level class
      (``mapping_search``), and the head (most recently freed) block of the lowest non-empty
      class at or above it is taken (``search_suitable_block``); the tail is split off when at
      least ``sizeof(block_header_t)`` = 16 bytes remain (``block_can_split``). ``free``
      coalesces with both physical neighbours.
    * ``realloc`` grows in place into a free next block, shrinks in place, otherwise
      mallocs-copies-frees in the same heap, and if that fails ``heap_caps_realloc`` tries
      every heap.
    * accounting as ``multi_heap.c``: ``free_bytes`` starts at pool size (region − heap_t −
      control), each malloc subtracts block size + 4; the low-water mark is per heap and
      ``esp_get_minimum_free_heap_size`` is the sum of the heaps' marks. The largest free
      block is reported through ``tlsf_fit_size`` (rounded down to its class, which is the
      largest request that will succeed), max over heaps.
    * heaps are tried by memory-type priority (DRAM before D/IRAM for ``MALLOC_CAP_DEFAULT``)
      then by address, as ``heap_caps_malloc`` walks ``registered_heaps``.

``newlib-nano`` — newlib's ``nano-mallocr.c`` (STM32 and Pico SDK toolchains link newlib):
    first fit over an address-ordered free list; chunk = 4-byte size + data rounded to 4 +
    4 bytes padding (pointers are aligned to 8), at least 12 bytes; a fitting chunk is split
    when 12 bytes or more remain, the first part is returned; ``free`` coalesces with both
    neighbours; the heap grows by ``sbrk`` from the end of ``.bss`` (modelled as the free tail of
    the region; a free chunk touching it is extended, as newlib ≥ 4.1 does). ``realloc`` keeps
    the block when the new size fits and is more than half of it, else mallocs-copies-frees
    (newlib ``nano_realloc``).

``host`` — generic_unix: no budget; blocks get synthetic 16-byte aligned addresses and are
    only counted. ``host-capped`` is the first-fit model with glibc-like chunks (8-byte header,
    16-byte alignment, 32-byte minimum) over one region, used for ``--max-ram`` on such
    boards.

All state changes are deterministic: the same sequence of calls gives the same addresses.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = [
    "ALLOCATOR_POLICIES",
    "PLATFORM_ALLOCATORS",
    "AllocatorPolicy",
    "Exhaustion",
    "HeapStats",
    "RamAllocator",
    "RamExhausted",
    "RamSnapshot",
    "Region",
    "RegionFree",
    "describe_request",
    "parse_size",
]

# ----------------------------------------------------------------------------- sizes

_SIZE_RE = re.compile(r"^\s*(\d+)\s*([kKmMgG]?)(i?[bB])?\s*$")
_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


def parse_size(text: str | int) -> int:
    """Bytes in ``"300K"``, ``"1M"``, ``"2G"``, ``"123456"`` (K = 1024; ``KB``/``KiB`` accepted).

    Raises ``ValueError`` for anything else, and for zero.
    """
    if isinstance(text, int):
        value = text
    else:
        m = _SIZE_RE.match(text)
        if not m:
            raise ValueError(f"not a size: {text!r} (use e.g. 300K, 1M or a number of bytes)")
        value = int(m.group(1)) * _UNITS[m.group(2).lower()]
    if value <= 0:
        raise ValueError(f"size must be positive: {text!r}")
    return value


# ----------------------------------------------------------------------------- policy table

@dataclass(frozen=True)
class AllocatorPolicy:
    """How one SDK's ``malloc`` lays out blocks. ``kind`` picks the model:

    ``tlsf`` (ESP-IDF), ``first_fit`` (newlib-nano and the like) or ``count`` (no budget).
    For ``first_fit``: chunk = align(size, ``chunk_align``) + ``padding`` + ``header``, at least
    ``min_chunk``; the pointer is ``chunk + header`` rounded up to ``align``. The ``tlsf`` model
    has its constants in :class:`_TlsfHeap` (taken from the C sources); its fields here only
    describe it (4-byte alignment, 4-byte header, 12-byte minimum block + header).
    """
    name: str
    kind: str
    align: int
    header: int = 0
    padding: int = 0
    chunk_align: int = 4
    min_chunk: int = 0
    realloc_in_place: bool = False
    source: str = ""


ALLOCATOR_POLICIES: dict[str, AllocatorPolicy] = {
    "esp-idf-tlsf": AllocatorPolicy(
        name="esp-idf-tlsf", kind="tlsf", align=4, header=4, min_chunk=12 + 4,
        realloc_in_place=True,
        source="espressif/tlsf tlsf.c + esp-idf components/heap (ESP-IDF 5.x)"),
    "newlib-nano": AllocatorPolicy(
        name="newlib-nano", kind="first_fit", align=8, header=4, padding=4, chunk_align=4,
        min_chunk=12, realloc_in_place=False,
        source="newlib libc/stdlib/nano-mallocr.c"),
    "host-capped": AllocatorPolicy(
        name="host-capped", kind="first_fit", align=16, header=8, padding=8, chunk_align=8,
        min_chunk=32, realloc_in_place=True,
        source="glibc-like chunks over one region (generic_unix --max-ram)"),
    "host": AllocatorPolicy(
        name="host", kind="count", align=16, realloc_in_place=True,
        source="generic_unix: host malloc, no budget"),
}

# Default policy per board platform (a board's [ram] allocator overrides it). The Pico SDK
# and STM32 toolchains (arm-none-eabi) ship newlib; whether AtomVM's builds link the nano
# variant (--specs=nano.specs) or full newlib (dlmalloc-derived) is not settled here.
PLATFORM_ALLOCATORS: dict[str, str] = {
    "esp32": "esp-idf-tlsf",
    "stm32": "newlib-nano",
    "pico": "newlib-nano",
    "generic_unix": "host",
}

HOST_BASE = 0x5555_0000_0000  # where synthetic host addresses start (looks like a heap)
MIN_REGION = 1024             # a region cut by --max-ram below this is dropped


@dataclass(frozen=True)
class Region:
    """A heap region: ``size`` bytes at ``start``; lower ``priority`` is tried first."""
    name: str
    start: int
    size: int
    kind: str = "DRAM"
    priority: int = 0


# ----------------------------------------------------------------------------- errors, reports

REQUEST_KINDS: tuple[tuple[str, str], ...] = (
    ("heap:", "the heap of process {rest}"),
    ("process:", "the Context of new process {rest}"),
    ("message", "a message"),
    ("binary", "a refc binary"),
    ("ets:", "ETS table {rest}"),
    ("atoms", "an atom"),
    ("port:", "port {rest}"),
    ("module:", "loading module {rest}"),
    ("literal", "a literal's heap fragment"),
    ("dictionary", "a process dictionary entry"),
    ("socket", "a socket"),
    ("avm_pack", "an AVM pack"),
)
"""What each allocation tag is for, as the out-of-memory record names it (tag prefix, text;
``{rest}`` is the tag after the prefix). The tags are those of ``vm/ram_charges.py`` and of
the VM modules that allocate directly (refc binaries, ETS, sockets, packs)."""


def describe_request(tag: str, detail: str | None = None) -> str:
    """``"the heap of process <0.5.0>"`` for tag ``heap:<0.5.0>``; ``detail`` (a registered
    name, a message's receiver) is added in parentheses."""
    text = tag
    for prefix, template in REQUEST_KINDS:
        if tag.startswith(prefix):
            text = template.format(rest=tag[len(prefix):])
            break
    return f"{text} ({detail})" if detail else text


@dataclass(frozen=True)
class RegionFree:
    """One heap region's figures when a request failed."""
    name: str
    free: int
    largest_free_block: int


@dataclass(frozen=True)
class Exhaustion:
    """One request the board's RAM could not satisfy: what was asked (``request`` bytes for
    ``tag``, ``detail`` naming its owner), the free bytes and the largest free block then (as
    the SDK reports them), and each region's. ``fragmentation``: enough bytes were free, but
    no block was large enough."""
    request: int
    tag: str
    detail: str | None
    free: int
    largest_free_block: int
    regions: tuple[RegionFree, ...]

    @property
    def fragmentation(self) -> bool:
        return self.free >= self.request > self.largest_free_block

    @property
    def purpose(self) -> str:
        return describe_request(self.tag, self.detail)

    def sentence(self) -> str:
        """The record as one line: ``out of memory:``, why the request failed, the regions."""
        return f"out of memory: {self.reason()}"

    def reason(self) -> str:
        """Why the request failed, then the regions."""
        head = f"a {self.request:,}-byte request for {self.purpose} failed"
        if self.fragmentation:
            why = (f"with {self.free:,} bytes free because the largest free block is "
                   f"{self.largest_free_block:,} bytes (fragmentation)")
        else:
            why = (f"with only {self.free:,} bytes free (largest free block "
                   f"{self.largest_free_block:,} bytes)")
        regions = "; ".join(f"{r.name} {r.free:,} free, largest {r.largest_free_block:,}"
                            for r in self.regions)
        return f"{head} {why}; regions: {regions}"

    def as_dict(self) -> dict[str, object]:
        """The record for JSON (key order is part of the memory report's format)."""
        return {
            "request": self.request,
            "for": self.purpose,
            "tag": self.tag,
            "free": self.free,
            "largest_free_block": self.largest_free_block,
            "fragmentation": self.fragmentation,
            "regions": [{"name": r.name, "free": r.free,
                         "largest_free_block": r.largest_free_block} for r in self.regions],
        }


class RamExhausted(MemoryError):
    """No free block fits ``size`` bytes. ``free`` is the total free heap, ``largest_free``
    the largest block that could still be allocated (both as the device would report them);
    ``record`` is the whole :class:`Exhaustion`."""

    def __init__(self, record: Exhaustion):
        self.record = record
        self.size = record.request
        self.free = record.free
        self.largest_free = record.largest_free_block
        self.tag = record.tag
        super().__init__(f"cannot allocate {self.size} bytes for {record.tag}: {self.free} "
                         f"bytes free, largest free block {self.largest_free} bytes")


@dataclass(frozen=True)
class HeapStats:
    name: str
    start: int
    size: int
    kind: str
    free_bytes: int
    minimum_free_ever: int
    largest_free_block: int
    used_blocks: int
    free_blocks: int


@dataclass(frozen=True)
class RamSnapshot:
    """The allocator's figures at one instant (``None`` where there is no budget)."""
    budget: int | None
    free_bytes: int | None
    used_bytes: int
    largest_free_block: int | None
    minimum_free_ever: int | None
    blocks: int
    by_tag: dict[str, int] = field(default_factory=dict)


# ----------------------------------------------------------------------------- TLSF heap

def _ffs(x: int) -> int:
    return (x & -x).bit_length() - 1


class _TlsfHeap:
    """One ESP-IDF heap: ``multi_heap`` bookkeeping around a TLSF pool (see module doc).

    Blocks are named by their user pointer ``p``; the next physical block's pointer is
    ``p + size + 4``. ``_size`` holds every block (used and free), ``_prev`` the previous
    physical block, ``_free`` the free ones; each free list is an insertion-ordered dict whose
    last key is the list head (TLSF inserts at the head and takes the head).
    """

    HEAP_T = 20            # sizeof(heap_t) in multi_heap.c: lock, free, min free, pool size, tlsf
    CONTROL_T = 36         # sizeof(control_t), 32-bit, pool parameters packed in bitfields
    BHO = 4                # block_header_overhead
    BLOCK_SIZE_MIN = 12    # sizeof(block_header_t) - sizeof(block_header_t *)
    HEADER = 16            # sizeof(block_header_t), block_can_split threshold

    __slots__ = (
        "_fl_bitmap",
        "_free",
        "_lists",
        "_prev",
        "_size",
        "_sl_bitmap",
        "block_size_max",
        "control_size",
        "end",
        "first",
        "fl_count",
        "fl_shift",
        "free_bytes",
        "min_free",
        "pool_free_init",
        "pool_start",
        "region",
        "sl_count",
        "sl_log2",
        "small",
        "used_blocks",
    )

    def __init__(self, region: Region):
        self.region = region
        nbytes = region.size - self.HEAP_T
        fl_index_max = nbytes.bit_length()             # 32 - __builtin_clz(bytes)
        self.sl_log2 = 3 if nbytes <= 16 * 1024 else 4 if nbytes <= 256 * 1024 else 5
        self.fl_shift = self.sl_log2 + 2               # + ALIGN_SIZE_LOG2
        self.sl_count = 1 << self.sl_log2
        self.fl_count = fl_index_max - self.fl_shift + 1
        self.small = 1 << self.fl_shift
        self.block_size_max = 1 << fl_index_max
        self.control_size = (self.CONTROL_T + 4 * self.fl_count
                             + 4 * self.fl_count * self.sl_count)
        pool_len = nbytes - self.control_size
        if pool_len < self.BLOCK_SIZE_MIN + 2 * self.BHO:
            raise ValueError(f"region {region.name} is too small for a TLSF heap")
        self.pool_start = region.start + self.HEAP_T + self.control_size
        first_size = (pool_len - 2 * self.BHO) & ~3
        self.first = self.pool_start + self.BHO        # block = mem - 4, ptr = block + 8
        self.end = self.first + first_size + self.BHO  # pointer of the zero-size sentinel
        self.free_bytes = pool_len                     # multi_heap: size - tlsf_size()
        self.pool_free_init = pool_len
        self.min_free = pool_len
        self.used_blocks = 0
        self._size: dict[int, int] = {self.first: first_size}
        self._prev: dict[int, int | None] = {self.first: None}
        self._free: set[int] = set()
        self._lists: list[dict[int, None]] = [{} for _ in range(self.fl_count * self.sl_count)]
        self._fl_bitmap = 0
        self._sl_bitmap = [0] * self.fl_count
        self._insert(self.first)

    # --- index mapping (mapping_insert / mapping_search)
    def _mapping(self, size: int) -> tuple[int, int]:
        if size < self.small:
            return 0, size >> 2                       # size / (small / sl_count) = size / 4
        fl = size.bit_length() - 1
        sl = (size >> (fl - self.sl_log2)) ^ self.sl_count
        return fl - (self.fl_shift - 1), sl

    def _search_index(self, size: int) -> tuple[int, int]:
        if size >= self.small:
            size += (1 << (size.bit_length() - 1 - self.sl_log2)) - 1
        return self._mapping(size)

    # --- free lists
    def _insert(self, p: int) -> None:
        fl, sl = self._mapping(self._size[p])
        self._lists[fl * self.sl_count + sl][p] = None
        self._fl_bitmap |= 1 << fl
        self._sl_bitmap[fl] |= 1 << sl
        self._free.add(p)

    def _remove(self, p: int) -> None:
        fl, sl = self._mapping(self._size[p])
        lst = self._lists[fl * self.sl_count + sl]
        del lst[p]
        if not lst:
            self._sl_bitmap[fl] &= ~(1 << sl)
            if not self._sl_bitmap[fl]:
                self._fl_bitmap &= ~(1 << fl)
        self._free.discard(p)

    def _locate(self, adjust: int) -> int | None:
        fl, sl = self._search_index(adjust)
        if fl >= self.fl_count:
            return None
        sl_map = self._sl_bitmap[fl] & (-1 << sl)
        if not sl_map:
            fl_map = self._fl_bitmap & (-1 << (fl + 1))
            if not fl_map:
                return None
            fl = _ffs(fl_map)
            sl_map = self._sl_bitmap[fl]
        sl = _ffs(sl_map)
        lst = self._lists[fl * self.sl_count + sl]
        return next(reversed(lst))

    def _adjust(self, size: int) -> int:
        aligned = (size + 3) & ~3
        if aligned >= self.block_size_max:
            return 0
        return aligned if aligned > self.BLOCK_SIZE_MIN else self.BLOCK_SIZE_MIN

    # --- physical block surgery
    def _split(self, p: int, size: int) -> int:
        """Cut block ``p`` to ``size``; return the new block after it (not yet listed)."""
        r = p + size + self.BHO
        self._size[r] = self._size[p] - size - self.BHO
        self._size[p] = size
        self._prev[r] = p
        n = r + self._size[r] + self.BHO
        if n != self.end:
            self._prev[n] = r
        return r

    def _absorb(self, p: int, q: int) -> None:
        """Merge block ``q`` (the physical successor of ``p``) into ``p``."""
        self._size[p] += self._size.pop(q) + self.BHO
        del self._prev[q]
        n = p + self._size[p] + self.BHO
        if n != self.end:
            self._prev[n] = p

    def _next_if_free(self, p: int) -> int | None:
        n = p + self._size[p] + self.BHO
        return n if n in self._free else None

    # --- raw TLSF operations (no multi_heap accounting)
    def _malloc(self, size: int) -> int | None:
        adjust = self._adjust(size)
        if not adjust:
            return None
        p = self._locate(adjust)
        if p is None:
            return None
        self._remove(p)
        if self._size[p] >= self.HEADER + adjust:    # block_trim_free
            self._insert(self._split(p, adjust))
        self.used_blocks += 1
        return p

    def _release(self, p: int) -> None:
        self.used_blocks -= 1
        prev = self._prev[p]
        if prev is not None and prev in self._free:  # block_merge_prev
            self._remove(prev)
            self._absorb(prev, p)
            p = prev
        n = self._next_if_free(p)                    # block_merge_next
        if n is not None:
            self._remove(n)
            self._absorb(p, n)
        self._insert(p)

    # --- multi_heap API
    def block_size(self, p: int) -> int:
        return self._size[p]

    def malloc(self, size: int) -> int | None:
        p = self._malloc(size)
        if p is not None:
            self.free_bytes -= self._size[p] + self.BHO
            if self.free_bytes < self.min_free:
                self.min_free = self.free_bytes
        return p

    def free(self, p: int) -> None:
        self.free_bytes += self._size[p] + self.BHO
        self._release(p)

    def realloc(self, p: int, size: int) -> int | None:
        """``tlsf_realloc`` with ``multi_heap_realloc`` accounting; ``None`` if it cannot."""
        cursize = self._size[p]
        adjust = self._adjust(size)
        if not adjust:
            return None
        n = self._next_if_free(p)
        combined = cursize + (self._size[n] if n is not None else 0) + self.BHO
        if adjust > cursize and (n is None or adjust > combined):
            q = self._malloc(size)
            if q is None:
                return None
            self._release(p)
            result = q
        else:
            if adjust > cursize:
                self._remove(n)
                self._absorb(p, n)
            if self._size[p] >= self.HEADER + adjust:  # block_trim_used
                r = self._split(p, adjust)
                m = self._next_if_free(r)
                if m is not None:
                    self._remove(m)
                    self._absorb(r, m)
                self._insert(r)
            result = p
        self.free_bytes += cursize - self._size[result]
        if self.free_bytes < self.min_free:
            self.min_free = self.free_bytes
        return result

    def footprint(self, p: int) -> int:
        return self._size[p] + self.BHO

    def fit_size(self, size: int) -> int:
        """``tlsf_fit_size``: the largest request a free block of ``size`` can serve."""
        if not size:
            return 0
        interval = (1 << (size.bit_length() - 1)) // self.sl_count
        return size & ~(interval - 1) if interval else 0

    def max_free_block(self) -> int:
        if not self._fl_bitmap:
            return 0
        fl = self._fl_bitmap.bit_length() - 1
        sl = self._sl_bitmap[fl].bit_length() - 1
        return max(self._size[p] for p in self._lists[fl * self.sl_count + sl])

    def largest_free(self) -> int:
        return self.fit_size(self.max_free_block())

    def free_block_count(self) -> int:
        return len(self._free)

    def blocks(self) -> Iterable[tuple[int, int, bool]]:
        """(pointer, size, is_free) in address order (walks the pool: O(n), for checks)."""
        p = self.first
        while p != self.end:
            s = self._size[p]
            yield p, s, p in self._free
            p += s + self.BHO

    def contains(self, p: int) -> bool:
        return p in self._size


# ----------------------------------------------------------------------------- first-fit arena

class _MaxTree:
    """Max segment tree over slots, growing by doubling: leftmost slot holding ≥ v in O(log n)."""

    __slots__ = ("n", "t")

    def __init__(self, n: int = 64):
        self.n = n
        self.t = [0] * (2 * n)

    def _grow(self, slot: int) -> None:
        n = self.n
        while n <= slot:
            n *= 2
        leaves = self.t[self.n:]
        t = [0] * (2 * n)
        t[n:n + len(leaves)] = leaves
        for i in range(n - 1, 0, -1):
            a, b = t[2 * i], t[2 * i + 1]
            t[i] = a if a > b else b
        self.n, self.t = n, t

    def set(self, slot: int, value: int) -> None:
        if slot >= self.n:
            self._grow(slot)
        t = self.t
        i = slot + self.n
        t[i] = value
        i >>= 1
        while i:
            a, b = t[2 * i], t[2 * i + 1]
            m = a if a > b else b
            if t[i] == m:
                break
            t[i] = m
            i >>= 1

    def max(self) -> int:
        return self.t[1]

    def first_at_least(self, value: int) -> int | None:
        t = self.t
        if t[1] < value:
            return None
        i, n = 1, self.n
        while i < n:
            i *= 2
            if t[i] < value:
                i += 1
        return i - n


class _FirstFitArena:
    """newlib-nano style heap over one region (see module doc).

    Chunks are named by their start address. Free chunks below ``top`` live in ``_free``
    (start → size) and ``_ends`` (end → start), and in a max tree indexed by
    ``(start - base) // chunk_align`` for the leftmost fitting one. ``[top, end)`` is the
    not-yet-``sbrk``'d tail.
    """

    __slots__ = (
        "_ends",
        "_free",
        "_q",
        "_size_of_chunk",
        "_tree",
        "_used",
        "base",
        "end",
        "free_bytes",
        "min_free",
        "policy",
        "region",
        "top",
        "used_blocks",
    )

    def __init__(self, region: Region, policy: AllocatorPolicy):
        self.region = region
        self.policy = policy
        q = policy.chunk_align
        self.base = (region.start + q - 1) & ~(q - 1)
        self.end = (region.start + region.size) & ~(q - 1)
        self.top = self.base
        self._q = q.bit_length() - 1
        self.free_bytes = self.end - self.base
        self.min_free = self.free_bytes
        self._free: dict[int, int] = {}
        self._ends: dict[int, int] = {}
        self._tree = _MaxTree()
        self._used: dict[int, int] = {}            # pointer -> chunk start
        self._size_of_chunk: dict[int, int] = {}   # chunk start -> size, used chunks
        self.used_blocks = 0

    def chunk_size(self, size: int) -> int:
        pol = self.policy
        q = pol.chunk_align
        c = ((size + q - 1) & ~(q - 1)) + pol.padding + pol.header
        return c if c > pol.min_chunk else pol.min_chunk

    def _pointer(self, chunk: int) -> int:
        a = self.policy.align
        return (chunk + self.policy.header + a - 1) & ~(a - 1)

    def _add_free(self, start: int, size: int) -> None:
        if start + size == self.top:               # touches the sbrk tail: extend it
            self.top = start
            return
        self._free[start] = size
        self._ends[start + size] = start
        self._tree.set((start - self.base) >> self._q, size)

    def _take_free(self, start: int) -> int:
        size = self._free.pop(start)
        del self._ends[start + size]
        self._tree.set((start - self.base) >> self._q, 0)
        return size

    def _carve(self, need: int) -> int | None:
        slot = self._tree.first_at_least(need)
        if slot is not None:
            start = self.base + (slot << self._q)
            size = self._take_free(start)
            rem = size - need
            if rem >= self.policy.min_chunk:
                self._add_free(start + need, rem)
                size = need
            return self._record(start, size)
        if self.end - self.top >= need:
            start = self.top
            self.top += need
            return self._record(start, need)
        return None

    def _record(self, start: int, size: int) -> int:
        p = self._pointer(start)
        self._used[p] = start
        self._size_of_chunk[start] = size
        self.used_blocks += 1
        self.free_bytes -= size
        if self.free_bytes < self.min_free:
            self.min_free = self.free_bytes
        return p

    def malloc(self, size: int) -> int | None:
        return self._carve(self.chunk_size(size))

    def free(self, p: int) -> None:
        start = self._used.pop(p)
        size = self._size_of_chunk.pop(start)
        self.used_blocks -= 1
        self.free_bytes += size
        before = self._ends.get(start)
        if before is not None:
            size += self._take_free(before)
            start = before
        if start + size in self._free:
            size += self._take_free(start + size)
        self._add_free(start, size)

    def usable(self, p: int) -> int:
        start = self._used[p]
        return start + self._size_of_chunk[start] - p

    def realloc(self, p: int, size: int) -> int | None:
        start = self._used[p]
        have = self._size_of_chunk[start]
        usable = start + have - p
        if not self.policy.realloc_in_place:
            if size <= usable and usable // 2 < size:   # nano_realloc keeps the chunk
                return p
            q = self.malloc(size)
            if q is not None:
                self.free(p)
            return q
        need = self.chunk_size(size)
        if need <= have:                                 # shrink in place
            rem = have - need
            if rem >= self.policy.min_chunk:
                self._size_of_chunk[start] = need
                self.free_bytes += rem
                tail, tail_size = start + need, rem
                if tail + tail_size in self._free:
                    tail_size += self._take_free(tail + tail_size)
                self._add_free(tail, tail_size)
            return p
        nxt = start + have
        extra = need - have
        if nxt in self._free and self._free[nxt] >= extra:
            fsize = self._take_free(nxt)
            rem = fsize - extra
            if rem >= self.policy.min_chunk:
                self._add_free(nxt + extra, rem)
                grown = need
            else:
                grown = have + fsize
        elif nxt == self.top and self.end - self.top >= extra:
            self.top += extra
            grown = need
        else:
            q = self.malloc(size)
            if q is not None:
                self.free(p)
            return q
        self.free_bytes -= grown - have
        if self.free_bytes < self.min_free:
            self.min_free = self.free_bytes
        self._size_of_chunk[start] = grown
        return p

    def footprint(self, p: int) -> int:
        return self._size_of_chunk[self._used[p]]

    def block_size(self, p: int) -> int:
        return self.usable(p)

    def largest_free(self) -> int:
        """The largest request that would succeed now."""
        biggest = max(self._tree.max(), self.end - self.top)
        pol = self.policy
        room = biggest - pol.padding - pol.header
        room -= room % pol.chunk_align
        return max(room, 0) if biggest >= pol.min_chunk else 0

    def free_block_count(self) -> int:
        return len(self._free) + (1 if self.end > self.top else 0)

    def blocks(self) -> Iterable[tuple[int, int, bool]]:
        """(chunk start, chunk size, is_free) in address order, then the sbrk tail."""
        items = [(s, n, True) for s, n in self._free.items()]
        items += [(s, n, False) for s, n in self._size_of_chunk.items()]
        items.sort()
        yield from items
        if self.end > self.top:
            yield self.top, self.end - self.top, True

    def contains(self, p: int) -> bool:
        return p in self._used


# ----------------------------------------------------------------------------- counting arena

class _CountingArena:
    """No budget (generic_unix): addresses from a bump pointer, sizes only counted."""

    def __init__(self, align: int):
        self.align = align
        self.top = HOST_BASE
        self._size: dict[int, int] = {}
        self.used_blocks = 0

    def _round(self, n: int) -> int:
        return (n + self.align - 1) & ~(self.align - 1)

    def malloc(self, size: int) -> int:
        p = self.top
        self.top += self._round(size)
        self._size[p] = size
        self.used_blocks += 1
        return p

    def free(self, p: int) -> None:
        size = self._size.pop(p)
        self.used_blocks -= 1
        if p + self._round(size) == self.top:
            self.top = p

    def realloc(self, p: int, size: int) -> int:
        old = self._size[p]
        if p + self._round(old) == self.top:
            self.top = p + self._round(size)
            self._size[p] = size
            return p
        if size <= old:
            self._size[p] = size
            return p
        q = self.malloc(size)
        self.free(p)
        return q

    def footprint(self, p: int) -> int:
        return self._size[p]

    block_size = footprint

    def contains(self, p: int) -> bool:
        return p in self._size


# ----------------------------------------------------------------------------- the allocator

class RamAllocator:
    """The board's ``malloc``: ``allocate(size, tag) -> address``, ``free``, ``realloc``.

    Figures follow the SDK (see module doc): ``free_bytes`` (``esp_get_free_heap_size``),
    ``largest_free_block`` (``heap_caps_get_largest_free_block``), ``minimum_free_ever``
    (``esp_get_minimum_free_heap_size``). ``used_by_tag`` charges each block's whole footprint
    (block + allocator header) to its tag, so ``sum(used_by_tag()) + free_bytes == budget``.
    With the ``count`` policy there is no budget: the three figures are ``None``.

    A request that fails raises :class:`RamExhausted` carrying an :class:`Exhaustion` record,
    which every callable in ``exhaustion_hooks`` also receives (the VM prints it, the memory
    report keeps it) — except inside :meth:`unreported`, where a caller tries a request whose
    failure is part of one it already reported.
    """

    def __init__(self, regions: Sequence[Region] = (), policy: str | AllocatorPolicy = "host",
                 boot_allocations: Iterable[tuple[int, str]] = ()):
        self.policy = ALLOCATOR_POLICIES[policy] if isinstance(policy, str) else policy
        ordered = sorted(regions, key=lambda r: (r.priority, r.start))
        if self.policy.kind == "tlsf":
            self._heaps: list = [_TlsfHeap(r) for r in ordered]
        elif self.policy.kind == "first_fit":
            self._heaps = [_FirstFitArena(r, self.policy) for r in ordered]
        elif self.policy.kind == "count":
            if ordered:
                raise ValueError("the 'count' policy takes no regions")
            self._heaps = [_CountingArena(self.policy.align)]
        else:
            raise ValueError(f"unknown allocator kind {self.policy.kind!r}")
        if self.policy.kind != "count" and not self._heaps:
            raise ValueError(f"policy {self.policy.name} needs at least one region")
        self.unlimited = self.policy.kind == "count"
        self._single = len(self._heaps) == 1
        self._blocks: dict[int, tuple[object, str, int]] = {}   # addr -> (heap, tag, footprint)
        self._by_tag: dict[str, int] = {}
        self._used = 0
        self.exhaustion_hooks: list[Callable[[Exhaustion], None]] = []
        self._unreported = 0
        self.budget: int | None = (None if self.unlimited
                                   else sum(self._initial_free(h) for h in self._heaps))
        for size, tag in boot_allocations:
            self.allocate(size, tag)

    @staticmethod
    def _initial_free(heap) -> int:
        return heap.pool_free_init if isinstance(heap, _TlsfHeap) else heap.end - heap.base

    # --- construction from board data
    @classmethod
    def for_board(cls, board, max_ram: int | None = None) -> RamAllocator:
        """The allocator of ``board`` (an ``avmsim.boards.Board``) at AtomVM boot.

        ``max_ram`` caps the heap: on a board with regions the regions are cut (last tried
        first) so their total is at most ``max_ram``; on an unlimited board it becomes one
        first-fit region of that size (policy ``host-capped``).
        """
        ram = board.ram
        if ram is None:
            policy = ALLOCATOR_POLICIES[PLATFORM_ALLOCATORS.get(board.platform, "host")]
            if policy.kind != "count":
                raise ValueError(f"board {board.name} has no [ram] table (heap regions)")
            return cls(policy=policy) if max_ram is None else cls._capped(max_ram)
        if ram.unlimited:
            return cls(policy=ram.allocator) if max_ram is None else cls._capped(max_ram)
        regions = [Region(r.name, r.start, r.size, r.kind, r.priority) for r in ram.regions]
        if max_ram is not None:
            regions = _cap_regions(regions, max_ram)
        boot = [(b.size, b.tag) for b in ram.boot_allocations]
        return cls(regions, ram.allocator, boot)

    @classmethod
    def _capped(cls, max_ram: int) -> RamAllocator:
        return cls([Region("host", HOST_BASE, max_ram)], "host-capped")

    # --- the malloc API
    def allocate(self, size_bytes: int, tag: str, detail: str | None = None) -> int:
        """A block of at least ``size_bytes`` for ``tag``; its address. ``RamExhausted`` if
        none (``detail`` names the owner in its record, e.g. a process's registered name)."""
        if size_bytes <= 0:
            raise ValueError(f"allocation of {size_bytes} bytes")
        limited = not self.unlimited
        for heap in self._heaps:
            if limited and size_bytes > heap.free_bytes:
                continue    # cannot succeed: spares the free-list search (esp32's small tails)
            p = heap.malloc(size_bytes)
            if p is not None:
                foot = heap.footprint(p)
                self._blocks[p] = (heap, tag, foot)
                self._by_tag[tag] = self._by_tag.get(tag, 0) + foot
                self._used += foot
                return p
        raise self._exhausted(size_bytes, tag, detail)

    def _exhausted(self, size: int, tag: str, detail: str | None) -> RamExhausted:
        """The error for a failed request; its record goes to the hooks."""
        regions = tuple(RegionFree(h.name, h.free_bytes, h.largest_free_block)
                        for h in self.heaps())
        record = Exhaustion(size, tag, detail, self.free_bytes, self.largest_free_block,
                            regions)
        if not self._unreported:
            for hook in self.exhaustion_hooks:
                hook(record)
        return RamExhausted(record)

    @contextmanager
    def unreported(self) -> Iterator[None]:
        """Requests that fail in here raise as always but reach no hook."""
        self._unreported += 1
        try:
            yield
        finally:
            self._unreported -= 1

    def free(self, address: int) -> None:
        try:
            heap, tag, foot = self._blocks.pop(address)
        except KeyError:
            raise ValueError(f"free of {address:#x}, which is not an allocated block") from None
        heap.free(address)
        self._uncharge(tag, foot)

    def _uncharge(self, tag: str, foot: int) -> None:
        left = self._by_tag[tag] - foot
        if left:
            self._by_tag[tag] = left
        else:
            del self._by_tag[tag]
        self._used -= foot

    def realloc(self, address: int, new_size: int) -> int:
        """Resize a block: in place when possible, else moved (the old block is freed).

        On ``RamExhausted`` the original block is left as it was.
        """
        if new_size <= 0:
            raise ValueError(f"realloc to {new_size} bytes")
        try:
            heap, tag, foot = self._blocks[address]
        except KeyError:
            raise ValueError(f"realloc of {address:#x}, which is not an allocated block") from None
        p = heap.realloc(address, new_size)
        if p is None and not self._single:
            # heap_caps_realloc: any heap that can take it, then copy and free
            for other in self._heaps:
                p = other.malloc(new_size)
                if p is not None:
                    heap.free(address)
                    heap = other
                    break
        if p is None:
            raise self._exhausted(new_size, tag, None)
        del self._blocks[address]
        self._uncharge(tag, foot)
        foot = heap.footprint(p)
        self._blocks[p] = (heap, tag, foot)
        self._by_tag[tag] = self._by_tag.get(tag, 0) + foot
        self._used += foot
        return p

    # --- figures
    @property
    def free_bytes(self) -> int | None:
        if self.unlimited:
            return None
        return sum(h.free_bytes for h in self._heaps)

    @property
    def largest_free_block(self) -> int | None:
        if self.unlimited:
            return None
        return max(h.largest_free() for h in self._heaps)

    @property
    def minimum_free_ever(self) -> int | None:
        if self.unlimited:
            return None
        return sum(h.min_free for h in self._heaps)

    @property
    def used_bytes(self) -> int:
        """Bytes taken by live blocks, headers included."""
        return self._used

    @property
    def block_count(self) -> int:
        return len(self._blocks)

    def used_by_tag(self) -> dict[str, int]:
        return dict(self._by_tag)

    def tag_of(self, address: int) -> str:
        return self._blocks[address][1]

    def block_size(self, address: int) -> int:
        """Usable bytes of the block at ``address`` (≥ the size asked for)."""
        return self._blocks[address][0].block_size(address)

    def footprint(self, address: int) -> int:
        """Heap bytes the block costs, allocator header included."""
        return self._blocks[address][2]

    def snapshot(self) -> RamSnapshot:
        return RamSnapshot(self.budget, self.free_bytes, self._used, self.largest_free_block,
                           self.minimum_free_ever, len(self._blocks), dict(self._by_tag))

    def heaps(self) -> list[HeapStats]:
        """Per-heap figures, in the order the heaps are tried."""
        out = []
        for h in self._heaps:
            if isinstance(h, _CountingArena):
                continue
            r = h.region
            out.append(HeapStats(r.name, r.start, r.size, r.kind, h.free_bytes, h.min_free,
                                 h.largest_free(), h.used_blocks, h.free_block_count()))
        return out


def _cap_regions(regions: list[Region], max_ram: int) -> list[Region]:
    ordered = sorted(regions, key=lambda r: (r.priority, r.start))
    out, left = [], max_ram
    for r in ordered:
        size = min(r.size, left)
        if size < MIN_REGION:
            break
        out.append(Region(r.name, r.start, size, r.kind, r.priority))
        left -= size
    if not out:
        raise ValueError(f"--max-ram {max_ram} leaves no usable heap region")
    return out
