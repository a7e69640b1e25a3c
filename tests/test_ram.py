"""The board RAM allocator (avmsim.ram): addresses, overheads, fragmentation, figures."""
from __future__ import annotations

import random

import pytest
from avmsim.boards import get_board
from avmsim.ram import (
    ALLOCATOR_POLICIES,
    AllocatorPolicy,
    RamAllocator,
    RamExhausted,
    Region,
    parse_size,
)

SRAM = 0x3FFB0000


def tlsf(size: int = 16 * 1024, start: int = SRAM) -> RamAllocator:
    return RamAllocator([Region("h", start, size)], "esp-idf-tlsf")


def nano(size: int = 16 * 1024, start: int = 0x20000400) -> RamAllocator:
    return RamAllocator([Region("h", start, size)], "newlib-nano")


def tlsf_footprint(n: int) -> int:
    return max((n + 3) & ~3, 12) + 4


def nano_footprint(n: int) -> int:
    return max(((n + 3) & ~3) + 8, 12)


# --------------------------------------------------------------------------- parse_size

@pytest.mark.parametrize("text,value", [
    ("300K", 300 * 1024), ("300k", 300 * 1024), ("1M", 1 << 20), ("2G", 2 << 30),
    ("123456", 123456), ("64KB", 65536), ("64KiB", 65536), (" 8 K ", 8192), (512, 512),
])
def test_parse_size(text, value):
    assert parse_size(text) == value


@pytest.mark.parametrize("text", ["", "K", "1.5M", "-3K", "0", "12Q", "1MM"])
def test_parse_size_rejects(text):
    with pytest.raises(ValueError):
        parse_size(text)


# --------------------------------------------------------------------------- board data

def test_esp32_board_ram_table():
    board = get_board("esp32-devkit")
    ram = board.ram
    assert ram.allocator == "esp-idf-tlsf" and not ram.unlimited
    names = [r.name for r in ram.regions]
    assert names == ["dram0_rom_tail", "dram0", "diram_pro", "diram_app"]
    # the heaps plus what the firmware keeps are the 520 KiB of SRAM
    assert ram.region_bytes + sum(v for _, v in ram.firmware) == board.sram_bytes == 532_480
    for r in ram.regions:
        assert 0x3FFAE000 <= r.start and r.start + r.size <= 0x40000000
    assert board.partitions["main_avm"].offset == 0x250000  # existing fields still load


def test_esp32_free_heap_at_boot():
    ram = RamAllocator.for_board(get_board("esp32-devkit"))
    boot = sum(b.size for b in get_board("esp32-devkit").ram.boot_allocations)
    assert set(ram.used_by_tag()) == {"system"}
    assert ram.used_by_tag()["system"] >= boot
    assert ram.free_bytes + ram.used_bytes == ram.budget
    assert 250_000 < ram.free_bytes < 300_000      # ~271 KiB, the ESP32 ballpark
    assert ram.minimum_free_ever == ram.free_bytes
    # the first allocation of the app lands in the big DRAM heap, not in D/IRAM
    a = ram.allocate(1000, "heap:<0.1.0>")
    assert 0x3FFB86F8 < a < 0x3FFE0000


def test_generic_unix_only_counts():
    ram = RamAllocator.for_board(get_board("generic-unix"))
    assert ram.unlimited and ram.budget is None
    a = ram.allocate(10 << 30, "refc_binary")       # no budget: 10 GiB is fine
    b = ram.allocate(24, "message")
    assert a % 16 == 0 and b % 16 == 0 and b >= a + (10 << 30)
    assert ram.free_bytes is None and ram.largest_free_block is None
    assert ram.used_by_tag() == {"refc_binary": 10 << 30, "message": 24}
    ram.free(a)
    assert ram.used_bytes == 24
    snap = ram.snapshot()
    assert snap.budget is None and snap.blocks == 1 and snap.by_tag == {"message": 24}


def test_max_ram_caps_budget():
    capped = RamAllocator.for_board(get_board("generic-unix"), max_ram=parse_size("64K"))
    assert capped.budget == 65536
    with pytest.raises(RamExhausted):
        capped.allocate(70_000, "heap:<0.1.0>")
    esp = RamAllocator.for_board(get_board("esp32-devkit"), max_ram=parse_size("100K"))
    assert esp.budget <= 100 * 1024
    assert esp.free_bytes < 100 * 1024


# --------------------------------------------------------------------------- addresses

def test_tlsf_addresses_inside_region_and_aligned():
    ram = tlsf(8192)
    addrs = [ram.allocate(n, "x") for n in (1, 3, 5, 17, 100, 33, 7)]
    assert addrs == sorted(addrs)                  # fresh heap: carved low to high
    for a, n in zip(addrs, (1, 3, 5, 17, 100, 33, 7)):
        assert a % 4 == 0
        assert SRAM < a and a + ram.block_size(a) <= SRAM + 8192
        assert ram.block_size(a) >= n
    # consecutive blocks: next = previous + usable size + 4-byte header
    assert addrs[1] - addrs[0] == 12 + 4
    assert addrs[5] - addrs[4] == 100 + 4


def test_tlsf_first_block_position():
    # heap_t (20) + control (36 + 4*9 + 4*9*8 for a <=16 KiB pool) + 4 = first pointer
    ram = tlsf(6432, start=0x3FFAE6E0)
    a = ram.allocate(4, "x")
    assert a == 0x3FFAE6E0 + 20 + (36 + 36 + 288) + 4


@pytest.mark.parametrize("length,free,largest", [
    (32767, 32031, 31744), (22308, 21572, 21504), (7912, 7532, 7168)])
def test_tlsf_matches_real_esp_idf_heap_dump(length, free, largest):
    # heap_caps_print_heap_info of fresh ESP-IDF 5.x heaps (see avmsim.ram docstring)
    ram = tlsf(length, start=0x3FCB1270)
    assert (ram.free_bytes, ram.largest_free_block) == (free, largest)


def test_nano_addresses_aligned_and_first_fit():
    ram = nano()
    addrs = [ram.allocate(n, "x") for n in (1, 8, 13, 100)]
    assert all(a % 8 == 0 for a in addrs)
    assert addrs == sorted(addrs)
    assert all(0x20000400 <= a < 0x20000400 + 16 * 1024 for a in addrs)


def test_host_capped_alignment():
    ram = RamAllocator([Region("host", 0x10000, 1 << 20)], "host-capped")
    assert all(ram.allocate(n, "x") % 16 == 0 for n in (1, 24, 100, 7))


# --------------------------------------------------------------------------- overhead accounting

def test_tlsf_free_bytes_accounting():
    ram = tlsf(64 * 1024)
    budget = ram.budget
    sizes = [1, 2, 11, 12, 13, 64, 100, 1000, 4097, 5]
    for n in sizes:
        ram.allocate(n, "x")
    assert ram.free_bytes == budget - sum(tlsf_footprint(n) for n in sizes)
    assert ram.used_bytes == sum(tlsf_footprint(n) for n in sizes)


def test_nano_free_bytes_accounting():
    ram = nano(64 * 1024)
    sizes = [1, 4, 5, 8, 9, 100, 1000, 3]
    for n in sizes:
        ram.allocate(n, "x")
    assert ram.free_bytes == ram.budget - sum(nano_footprint(n) for n in sizes)


def test_tags_charge_footprints():
    ram = tlsf(64 * 1024)
    h = ram.allocate(400, "heap:<0.5.0>")
    m1 = ram.allocate(16 + 4 * 3, "message")
    m2 = ram.allocate(16 + 4 * 9, "message")
    ram.allocate(20 + 64, "refc_binary")
    ram.allocate(108, "module")
    ram.allocate(12, "atom")
    ram.allocate(200, "ets")
    ram.allocate(256, "port")
    tags = ram.used_by_tag()
    assert tags["heap:<0.5.0>"] == tlsf_footprint(400)
    assert tags["message"] == tlsf_footprint(28) + tlsf_footprint(52)
    assert sum(tags.values()) + ram.free_bytes == ram.budget
    ram.free(m1)
    ram.free(m2)
    assert "message" not in ram.used_by_tag()
    assert ram.tag_of(h) == "heap:<0.5.0>"
    new_h = ram.realloc(h, 2000)
    assert ram.tag_of(new_h) == "heap:<0.5.0>"
    assert ram.used_by_tag()["heap:<0.5.0>"] == tlsf_footprint(2000)


# --------------------------------------------------------------------------- fragmentation

def _fill(ram: RamAllocator) -> list[int]:
    """Allocate until nothing fits any more; return the addresses."""
    out = []
    while True:
        largest = ram.largest_free_block
        if not largest:
            return out
        try:
            out.append(ram.allocate(largest, "fill"))
        except RamExhausted:
            return out


def test_tlsf_hole_serves_only_what_fits():
    ram = tlsf(16 * 1024)
    a = ram.allocate(1000, "a")
    b = ram.allocate(1000, "b")
    c = ram.allocate(1000, "c")
    _fill(ram)
    ram.free(b)
    # TLSF is good-fit: a 1000-byte hole serves requests of its class's lower bound (960 for
    # a pool with 8 second-level lists), which is what largest_free_block reports
    assert ram.largest_free_block == 960
    with pytest.raises(RamExhausted) as err:
        ram.allocate(1001, "big")
    assert err.value.size == 1001
    assert err.value.largest_free == 960
    assert err.value.free == ram.free_bytes >= 1000 + 4
    with pytest.raises(RamExhausted):
        ram.allocate(961, "just too big for the class")
    d = ram.allocate(960, "fits")
    assert d == b
    assert a < d < c


def test_nano_hole_serves_only_what_fits():
    ram = nano(16 * 1024)
    a = ram.allocate(1000, "a")
    b = ram.allocate(1000, "b")
    c = ram.allocate(1000, "c")
    _fill(ram)
    ram.free(b)
    assert ram.largest_free_block == 1000
    with pytest.raises(RamExhausted):
        ram.allocate(1001, "big")
    assert ram.allocate(1000, "fits") == b
    assert a < b < c


def test_free_coalesces_neighbours():
    for ram in (tlsf(), nano()):
        before = (ram.free_bytes, ram.largest_free_block)
        blocks = [ram.allocate(300, "x") for _ in range(5)]
        for p in (blocks[1], blocks[3], blocks[2], blocks[0], blocks[4]):
            ram.free(p)
        assert (ram.free_bytes, ram.largest_free_block) == before


# --------------------------------------------------------------------------- realloc

def test_tlsf_realloc_grows_in_place_into_free_next_block():
    ram = tlsf()
    a = ram.allocate(100, "heap")
    b = ram.allocate(500, "x")
    ram.allocate(100, "guard")
    ram.free(b)
    free_before = ram.free_bytes
    assert ram.realloc(a, 400) == a
    assert ram.block_size(a) == 400
    assert ram.free_bytes == free_before - 300


def test_tlsf_realloc_moves_when_next_is_used():
    ram = tlsf()
    a = ram.allocate(100, "heap")
    ram.allocate(100, "guard")
    free_before = ram.free_bytes
    moved = ram.realloc(a, 400)
    assert moved != a and moved > a
    assert ram.free_bytes == free_before - (404 - 104)
    # the old block went back to the heap; good fit rounds a request of 100 up to the
    # 104..111 class, so the freed 100-byte block serves requests of its own class (96..103)
    assert ram.allocate(96, "reuse") == a


def test_tlsf_realloc_shrinks_in_place():
    ram = tlsf()
    a = ram.allocate(1000, "heap")
    ram.allocate(100, "guard")
    free_before = ram.free_bytes
    assert ram.realloc(a, 200) == a
    assert ram.free_bytes == free_before + 800
    assert ram.allocate(700, "tail") == a + 200 + 4  # the cut tail is a free block


def test_realloc_failure_leaves_block():
    ram = tlsf(8192)
    a = ram.allocate(100, "heap")
    ram.allocate(100, "guard")
    snap = ram.snapshot()
    with pytest.raises(RamExhausted) as err:
        ram.realloc(a, 100_000)
    assert err.value.size == 100_000 and err.value.free == snap.free_bytes
    assert ram.snapshot() == snap and ram.block_size(a) == 100


def test_realloc_across_heaps():
    ram = RamAllocator([Region("small", SRAM, 4096), Region("big", SRAM + 0x10000, 32768)],
                       "esp-idf-tlsf")
    a = ram.allocate(100, "heap")
    assert a < SRAM + 4096
    moved = ram.realloc(a, 8000)                   # cannot grow in the small heap
    assert SRAM + 0x10000 < moved < SRAM + 0x10000 + 32768
    assert ram.allocate(96, "again") == a


def test_nano_realloc_policy():
    ram = nano()
    a = ram.allocate(100, "heap")
    ram.allocate(16, "guard")
    assert ram.realloc(a, 60) == a                 # fits and more than half: kept
    moved = ram.realloc(a, 30)                     # less than half: moved
    assert moved != a
    b = ram.allocate(100, "heap2")
    ram.free(ram.allocate(200, "hole"))            # a free block after b... merged into sbrk tail
    assert ram.realloc(b, 150) != b                # nano never grows in place


def test_first_fit_grows_in_place_when_policy_says_so():
    policy = AllocatorPolicy(**{**ALLOCATOR_POLICIES["newlib-nano"].__dict__,
                                "name": "ff", "realloc_in_place": True})
    ram = RamAllocator([Region("h", 0x20000000, 8192)], policy)
    a = ram.allocate(100, "heap")
    b = ram.allocate(200, "x")
    ram.allocate(16, "guard")
    ram.free(b)
    assert ram.realloc(a, 250) == a
    assert ram.free_bytes == ram.budget - nano_footprint(250) - nano_footprint(16)
    assert ram.realloc(a, 40) == a                 # shrink in place, tail freed
    assert ram.free_bytes == ram.budget - nano_footprint(40) - nano_footprint(16)


# --------------------------------------------------------------------------- figures

def test_exhausted_reports_figures():
    ram = tlsf(4096)
    keep = ram.allocate(1000, "x")
    with pytest.raises(RamExhausted) as err:
        ram.allocate(5000, "heap:<0.9.0>")
    e = err.value
    assert (e.size, e.free, e.largest_free, e.tag) == (
        5000, ram.free_bytes, ram.largest_free_block, "heap:<0.9.0>")
    assert "5000" in str(e) and str(ram.free_bytes) in str(e)
    assert isinstance(e, MemoryError)
    assert ram.block_size(keep) == 1000


def test_low_water_mark():
    ram = tlsf(32 * 1024)
    start = ram.free_bytes
    assert ram.minimum_free_ever == start
    blocks = [ram.allocate(1000, "x") for _ in range(10)]
    low = ram.free_bytes
    for b in blocks:
        ram.free(b)
    assert ram.free_bytes == start
    assert ram.minimum_free_ever == low == start - 10 * 1004
    ram.allocate(100, "x")
    assert ram.minimum_free_ever == low


def test_multi_heap_order_and_spill():
    ram = RamAllocator.for_board(get_board("esp32-devkit"))
    heaps = ram.heaps()
    assert [h.kind for h in heaps] == ["DRAM", "DRAM", "D/IRAM", "D/IRAM"]
    got = _fill(ram)
    kinds = {h.name: h for h in ram.heaps()}
    assert all(h.largest_free_block < 16 for h in kinds.values())
    assert any(0x3FFE4350 <= a < 0x40000000 for a in got)   # spilled into D/IRAM last
    assert ram.free_bytes == sum(h.free_bytes for h in ram.heaps())
    assert ram.minimum_free_ever == sum(h.minimum_free_ever for h in ram.heaps())


def test_unknown_address():
    ram = tlsf()
    a = ram.allocate(10, "x")
    ram.free(a)
    with pytest.raises(ValueError):
        ram.free(a)
    with pytest.raises(ValueError):
        ram.realloc(a + 4, 10)
    with pytest.raises(ValueError):
        ram.allocate(0, "x")


def test_snapshot_is_a_copy():
    ram = tlsf()
    ram.allocate(10, "x")
    snap = ram.snapshot()
    ram.allocate(10, "y")
    assert snap.by_tag == {"x": 16} and snap.blocks == 1
    assert snap.free_bytes == ram.free_bytes + 16


# --------------------------------------------------------------------------- determinism

def _script(ram: RamAllocator, seed: int) -> list[int]:
    rng = random.Random(seed)
    live: list[int] = []
    trace = []
    for _ in range(3000):
        op = rng.random()
        try:
            if op < 0.5 or not live:
                live.append(ram.allocate(rng.choice((8, 16, 40, 72, 200, 1000, 5000)), "t"))
                trace.append(live[-1])
            elif op < 0.8:
                ram.free(live.pop(rng.randrange(len(live))))
            else:
                i = rng.randrange(len(live))
                live[i] = ram.realloc(live[i], rng.randrange(1, 3000))
                trace.append(live[i])
        except RamExhausted as e:
            trace.append(-e.size)
    return trace + [ram.free_bytes or 0, ram.minimum_free_ever or 0]


@pytest.mark.parametrize("board", ["esp32-devkit", "generic-unix"])
def test_determinism(board):
    one = _script(RamAllocator.for_board(get_board(board)), 7)
    two = _script(RamAllocator.for_board(get_board(board)), 7)
    assert one == two


# --------------------------------------------------------------------------- reference models

class RefTlsf:
    """Brute force TLSF: the physical block list, scanned. It checks that the allocator picks a
    block from the right size class and mirrors splits and merges."""

    def __init__(self, size: int, start: int):
        nbytes = size - 20
        self.sl_log2 = 3 if nbytes <= 16384 else 4 if nbytes <= 262144 else 5
        fl_count = nbytes.bit_length() - (self.sl_log2 + 2) + 1
        control = 36 + 4 * fl_count + 4 * fl_count * (1 << self.sl_log2)
        pool = nbytes - control
        self.budget = pool
        self.small = 1 << (self.sl_log2 + 2)
        first = start + 20 + control + 4
        self.blocks = [[first, (pool - 8) & ~3, True]]   # [ptr, size, free] by address

    def cls(self, n: int) -> tuple[int, int]:
        if n < self.small:
            return (0, n // 4)
        fl = n.bit_length() - 1
        return (fl, (n >> (fl - self.sl_log2)) - (1 << self.sl_log2))

    def search_cls(self, n: int) -> tuple[int, int]:
        if n >= self.small:
            n += (1 << (n.bit_length() - 1 - self.sl_log2)) - 1
        return self.cls(n)

    @staticmethod
    def adjust(n: int) -> int:
        return max((n + 3) & ~3, 12)

    def candidates(self, n: int) -> set[int]:
        want = self.search_cls(self.adjust(n))
        free = [(self.cls(s), p) for p, s, f in self.blocks if f and self.cls(s) >= want]
        if not free:
            return set()
        best = min(c for c, _ in free)
        return {p for c, p in free if c == best}

    def index(self, p: int) -> int:
        return next(i for i, b in enumerate(self.blocks) if b[0] == p)

    def take(self, p: int, n: int) -> None:
        i = self.index(p)
        blk = self.blocks[i]
        adj = self.adjust(n)
        blk[2] = False
        if blk[1] >= adj + 16:
            self.blocks.insert(i + 1, [p + adj + 4, blk[1] - adj - 4, True])
            blk[1] = adj

    def merge_around(self, i: int) -> None:
        if i + 1 < len(self.blocks) and self.blocks[i + 1][2] and self.blocks[i][2]:
            self.blocks[i][1] += self.blocks.pop(i + 1)[1] + 4
        if i > 0 and self.blocks[i - 1][2] and self.blocks[i][2]:
            self.blocks[i - 1][1] += self.blocks.pop(i)[1] + 4

    def release(self, p: int) -> None:
        i = self.index(p)
        self.blocks[i][2] = True
        self.merge_around(i)

    def realloc(self, p: int, n: int, got: int | None) -> None:
        i = self.index(p)
        cur = self.blocks[i][1]
        adj = self.adjust(n)
        nxt = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
        nfree = nxt is not None and nxt[2]
        if adj > cur and (not nfree or adj > cur + nxt[1] + 4):
            assert got is None or got in self.candidates(n)
            if got is not None:
                self.take(got, n)
                self.release(p)
            return
        assert got == p
        if adj > cur:
            self.blocks[i][1] += self.blocks.pop(i + 1)[1] + 4
        blk = self.blocks[i]
        if blk[1] >= adj + 16:
            self.blocks.insert(i + 1, [p + adj + 4, blk[1] - adj - 4, True])
            blk[1] = adj
            self.merge_around(i + 1)

    def free_bytes(self) -> int:
        return self.budget - sum(s + 4 for _, s, f in self.blocks if not f)


class RefFirstFit:
    """Brute force newlib-nano: a sorted list of free chunks, scanned from the lowest address."""

    def __init__(self, size: int, start: int):
        self.base, self.end = start, start + size
        self.free = [[start, size]]      # the sbrk tail is the last free chunk
        self.used: dict[int, tuple[int, int]] = {}

    @staticmethod
    def need(n: int) -> int:
        return max(((n + 3) & ~3) + 8, 12)

    def malloc(self, n: int) -> int | None:
        need = self.need(n)
        for i, (s, size) in enumerate(self.free):
            is_tail = s + size == self.end
            if size >= need:
                if size - need >= 12 or (is_tail and size > need):
                    self.free[i] = [s + need, size - need]
                    size = need
                else:
                    del self.free[i]
                p = (s + 4 + 7) & ~7
                self.used[p] = (s, size)
                return p
        return None

    def release(self, p: int) -> None:
        s, size = self.used.pop(p)
        self.free.append([s, size])
        self.free.sort()
        merged = []
        for c in self.free:
            if merged and merged[-1][0] + merged[-1][1] == c[0]:
                merged[-1][1] += c[1]
            else:
                merged.append(c)
        self.free = merged

    def realloc(self, p: int, n: int) -> int | None:
        s, size = self.used[p]
        usable = s + size - p
        if n <= usable and usable // 2 < n:
            return p
        q = self.malloc(n)
        if q is not None:
            self.release(p)
        return q

    def free_bytes(self) -> int:
        return sum(size for _, size in self.free)


def _sizes(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.6:
        return rng.randrange(1, 64)
    if r < 0.9:
        return rng.randrange(64, 1024)
    return rng.randrange(1024, 9000)


@pytest.mark.parametrize("seed", range(6))
def test_tlsf_against_reference(seed):
    rng = random.Random(seed)
    size = rng.choice((6432, 15072, 40000, 113840, 300000))
    ram, ref = tlsf(size), RefTlsf(size, SRAM)
    live: list[int] = []
    for _ in range(1500):
        op = rng.random()
        if op < 0.55 or not live:
            n = _sizes(rng)
            cands = ref.candidates(n)
            try:
                p = ram.allocate(n, "t")
            except RamExhausted:
                assert not cands
            else:
                assert p in cands
                ref.take(p, n)
                live.append(p)
        elif op < 0.85:
            p = live.pop(rng.randrange(len(live)))
            ram.free(p)
            ref.release(p)
        else:
            i = rng.randrange(len(live))
            n = _sizes(rng)
            try:
                q = ram.realloc(live[i], n)
            except RamExhausted:
                ref.realloc(live[i], n, None)
            else:
                ref.realloc(live[i], n, q)
                live[i] = q
        heap = ram._heaps[0]
        assert [list(b) for b in heap.blocks()] == ref.blocks
        assert ram.free_bytes == ref.free_bytes()
        fits = [s for _, s, f in ref.blocks if f]
        assert ram.largest_free_block == heap.fit_size(max(fits, default=0))


@pytest.mark.parametrize("seed", range(6))
def test_first_fit_against_reference(seed):
    rng = random.Random(100 + seed)
    size = rng.choice((4096, 20000, 65536))
    ram, ref = nano(size, start=0x20000000), RefFirstFit(size, 0x20000000)
    live: list[int] = []
    for _ in range(1500):
        op = rng.random()
        if op < 0.55 or not live:
            n = _sizes(rng)
            want = ref.malloc(n)
            try:
                got = ram.allocate(n, "t")
            except RamExhausted:
                got = None
            assert got == want
            if got is not None:
                live.append(got)
        elif op < 0.85:
            p = live.pop(rng.randrange(len(live)))
            ram.free(p)
            ref.release(p)
        else:
            i = rng.randrange(len(live))
            n = _sizes(rng)
            want = ref.realloc(live[i], n)
            try:
                got = ram.realloc(live[i], n)
            except RamExhausted:
                got = None
            assert got == want
            if got is not None:
                live[i] = got
        assert ram.free_bytes == ref.free_bytes()
