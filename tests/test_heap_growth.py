"""AtomVM's heap growth strategies (``vm/heap_growth.py``): hand-computed targets from the
formulas of facts §6 / memory.c ``memory_ensure_free_with_roots``. Every expected value is
worked out in the comment next to it. Notation: S = need, F = free, M = young + fragments.

Run: ``python3 -m pytest tests/test_heap_growth.py``.
"""
from __future__ import annotations

import random

import pytest

from avmsim.vm import heap_growth as hg
from avmsim.vm.heap_growth import (FIBONACCI_SIZES, GrowthStrategy, OutOfMemory, collect_sizes,
                                   first_target, next_fibonacci_size, next_heap_size,
                                   second_pass_target, should_collect)

B = GrowthStrategy.BOUNDED_FREE
MIN = GrowthStrategy.MINIMUM
FIB = GrowthStrategy.FIBONACCI


# ----------------------------------------------------------------------------- constants

def test_constants():
    assert hg.MIN_FREE == 16
    assert hg.SHRINK_THRESHOLD_COEFF == 64
    assert hg.FIBONACCI_SHRINK_MIN_WORDS == 10000
    assert hg.DEFAULT_STRATEGY is B


def test_first_heap():
    # 8 words + 2-word fragment header (facts §6)
    assert hg.FIRST_HEAP_WORDS == 8
    assert hg.first_block_words() == 10
    assert hg.block_bytes(8, 4) == 40   # (8 + 2) * 4
    assert hg.block_bytes(8, 8) == 80   # (8 + 2) * 8
    assert hg.block_bytes(126, 4) == 512  # (126 + 2) * 4


def test_strategy_names_accepted():
    assert first_target("bounded_free", 10, 4, 100) == first_target(B, 10, 4, 100)
    assert first_target("fibonacci", 10, 4, 100) == 142
    with pytest.raises(ValueError):
        first_target("doubling", 10, 4, 100)


# ----------------------------------------------------------------------------- fibonacci table

def test_fibonacci_table():
    assert FIBONACCI_SIZES[:4] == (12, 38, 51, 90)
    assert FIBONACCI_SIZES[-4:] == (1347865, 2180892, 3528758, 5709651)
    assert next_fibonacci_size(0) == 12
    assert next_fibonacci_size(12) == 12      # "next value >= size"
    assert next_fibonacci_size(13) == 38
    assert next_fibonacci_size(987) == 987
    assert next_fibonacci_size(988) == 1598
    assert next_fibonacci_size(5709651) == 5709651
    # beyond the table: size + size/5 = 5709652 + 1141930 = 6851582
    assert next_fibonacci_size(5709652) == 6851582
    # 10**7 + 2 * 10**6 = 12000000
    assert next_fibonacci_size(10_000_000) == 12_000_000


# ----------------------------------------------------------------------------- bounded_free

def test_bounded_free_grow():
    # F < S: target = M + S + 16 = 100 + 10 + 16 = 126
    assert next_heap_size(B, 10, 4, 100, 0, True) == 126
    # fragments count in M: M = 100 + 30 = 130 -> 130 + 10 + 16 = 156
    assert next_heap_size(B, 10, 4, 100, 30, True) == 156
    # growing does not depend on shrink_allowed
    assert next_heap_size(B, 10, 4, 100, 0, False) == 126


def test_bounded_free_no_gc_when_it_fits():
    # F - S = 50 - 10 = 40, not > 2(S+16) = 52: no GC -> M unchanged
    assert next_heap_size(B, 10, 50, 100, 0, True) == 100
    # F - S = 62 - 10 = 52, not > 52: still no GC (strict inequality)
    assert next_heap_size(B, 10, 62, 100, 0, True) == 100


def test_bounded_free_shrink():
    # F - S = 63 - 10 = 53 > 52: target = M - F + 2(S+16) = 100 - 63 + 52 = 89
    assert next_heap_size(B, 10, 63, 100, 0, True) == 89
    # F - S = 100 - 10 = 90 > 52: target = 200 - 100 + 52 = 152
    assert next_heap_size(B, 10, 100, 200, 0, True) == 152
    # shrinking not allowed (MEMORY_NO_SHRINK): no GC
    assert next_heap_size(B, 10, 100, 200, 0, False) == 200


def test_bounded_free_need_equal_to_free():
    # F = S = 20: F < S is false; shrink check 0 > 2(36) false -> no GC
    assert next_heap_size(B, 20, 20, 100, 0, True) == 100
    # F = S - 1 = 19: GC, target = 100 + 20 + 16 = 136
    assert next_heap_size(B, 20, 19, 100, 0, True) == 136


# ----------------------------------------------------------------------------- minimum

def test_minimum_grow():
    # target = M - F + S = 100 - 4 + 10 = 106
    assert next_heap_size(MIN, 10, 4, 100, 0, False) == 106
    # with fragments: M = 100 + 50 = 150 -> 150 - 4 + 10 = 156
    assert next_heap_size(MIN, 10, 4, 100, 50, True) == 156


def test_minimum_shrink_whenever_free_exceeds_need():
    # F = 11 > S = 10: target = 100 - 11 + 10 = 99
    assert next_heap_size(MIN, 10, 11, 100, 0, True) == 99
    # F = S = 10: no GC
    assert next_heap_size(MIN, 10, 10, 100, 0, True) == 100
    # not allowed: no GC
    assert next_heap_size(MIN, 10, 11, 100, 0, False) == 100


# ----------------------------------------------------------------------------- fibonacci

def test_fibonacci_grow():
    # next fib >= M - F + S = 100 - 4 + 10 = 106 -> 142
    assert next_heap_size(FIB, 10, 4, 100, 0, True) == 142
    # 12000 - 0 + 5000 = 17000 -> 17731
    assert next_heap_size(FIB, 5000, 0, 12000, 0, False) == 17731


def test_fibonacci_first_pass_shrink():
    # F - S = 900 - 10 = 890 > 3M/4 = 750: target next fib >= 1000 - 900 + 10 = 110 -> 142
    assert next_heap_size(FIB, 10, 900, 1000, 0, True) == 142
    # F - S = 700 - 10 = 690, not > 750: no GC
    assert next_heap_size(FIB, 10, 700, 1000, 0, True) == 1000
    # no 10000-word floor in the first pass: M = 100, F - S = 89 > 75 -> fib(100-90+1=11) = 12
    assert next_heap_size(FIB, 1, 90, 100, 0, True) == 12
    # 3M/4 is integer division: M = 101 -> 75; F - S = 76 > 75 -> GC; fib(101-77+1=25) = 38
    assert next_heap_size(FIB, 1, 77, 101, 0, True) == 38
    assert next_heap_size(FIB, 1, 76, 101, 0, True) == 101  # 75 > 75 false


# ----------------------------------------------------------------------------- min / max heap size

def test_min_heap_size_applied():
    # bounded grow 126 -> max(500, 126) = 500
    assert next_heap_size(B, 10, 4, 100, 0, True, min_heap_size=500) == 500
    # minimum grow 106 below min 100? max(100, 106) = 106
    assert next_heap_size(MIN, 10, 4, 100, 0, True, min_heap_size=100) == 106
    # bounded shrink target 200 - 100 + 52 = 152, clamped up to min 1000 != M = 200: GC into 1000
    assert next_heap_size(B, 10, 100, 200, 0, True, min_heap_size=1000) == 1000


def test_target_equal_to_current_size_means_no_gc():
    # young 1000, F = 900, S = 10 -> bounded shrink target 1000 - 900 + 52 = 152,
    # max(1000, 152) = 1000 == M: AtomVM skips the GC -> 1000, even with max_heap_size 500
    assert next_heap_size(B, 10, 900, 1000, 0, True, min_heap_size=1000,
                          max_heap_size=500) == 1000


def test_max_heap_size_exceeded():
    # bounded grow target 126 > 125 -> out_of_memory
    assert next_heap_size(B, 10, 4, 100, 0, True, max_heap_size=125) is None
    assert next_heap_size(B, 10, 4, 100, 0, True, max_heap_size=126) == 126
    # fibonacci 142 > 141
    assert next_heap_size(FIB, 10, 4, 100, 0, True, max_heap_size=141) is None
    # minimum 106 > 105
    assert next_heap_size(MIN, 10, 4, 100, 0, True, max_heap_size=105) is None
    # min_heap_size applied first: max(200, 126) = 200 > 150
    assert next_heap_size(B, 10, 4, 100, 0, True, min_heap_size=200, max_heap_size=150) is None


def test_max_heap_size_not_checked_without_gc():
    # fits without GC: a 200-word block above max 150 stays
    assert next_heap_size(B, 10, 20, 200, 0, True, max_heap_size=150) == 200


def test_fragments_always_start_a_gc():
    # memory.c (AtomVM 7b282159): heap.root->next != NULL makes should_gc true, whatever
    # the strategy and the free room; the target is then the strategy's usual one
    assert next_heap_size(B, 10, 20, 150, 50, True) == 200 - 20 + 2 * (10 + 16)
    assert next_heap_size(MIN, 10, 20, 150, 50, False) == 200 - 20 + 10
    # ... and is refused above max_heap_size: out of memory
    assert next_heap_size(B, 10, 20, 150, 50, True, max_heap_size=150) is None


def test_huge_needs():
    s = 10 ** 9
    # bounded: 8 + 10^9 + 16
    assert next_heap_size(B, s, 0, 8, 0, False) == s + 24
    # minimum: 8 - 0 + 10^9
    assert next_heap_size(MIN, s, 0, 8, 0, False) == s + 8
    # fibonacci: beyond the table, x + x//5 with x = 10^9 + 8 -> 1000000008 + 200000001
    assert next_heap_size(FIB, s, 0, 8, 0, False) == 1_200_000_009
    assert next_heap_size(B, s, 0, 8, 0, False, max_heap_size=10 ** 6) is None


def test_force_shrink():
    # MEMORY_FORCE_SHRINK (erlang:garbage_collect): GC even though it fits and shrinking is
    # "not allowed"; bounded target = M - F + 2(S+16) = 100 - 50 + 32 = 82 (S = 0)
    assert should_collect(B, 0, 50, 100, False, force_shrink=True)
    assert next_heap_size(B, 0, 50, 100, 0, False, force_shrink=True) == 82
    # minimum: 100 - 50 + 0 = 50
    assert next_heap_size(MIN, 0, 50, 100, 0, False, force_shrink=True) == 50
    # fibonacci: fib(100 - 50 + 0 = 50) = 51
    assert next_heap_size(FIB, 0, 50, 100, 0, False, force_shrink=True) == 51


# ----------------------------------------------------------------------------- second pass

def test_second_pass_bounded_free():
    # first: F=4 < S=10 -> t1 = 100 + 26 = 126. live 50 -> F' = 76 > 2(26) = 52
    # -> second target = M' - F' + 52 = 126 - 76 + 52 = 102
    assert collect_sizes(B, 10, 4, 100, 0, 50, True) == (126, 102)
    assert second_pass_target(B, 10, 76, 126, True) == 102
    # MEMORY_NO_SHRINK: no second pass
    assert collect_sizes(B, 10, 4, 100, 0, 50, False) == (126,)
    # live 90 -> F' = 36, not > 52: no second pass
    assert collect_sizes(B, 10, 4, 100, 0, 90, True) == (126,)


def test_second_pass_minimum():
    # t1 = 100 - 4 + 10 = 106; live 60 -> F' = 46 > 0 -> 106 - 46 + 10 = 70
    assert collect_sizes(MIN, 10, 4, 100, 0, 60, True) == (106, 70)
    assert collect_sizes(MIN, 10, 4, 100, 0, 60, False) == (106,)
    # live 96 -> F' = 10 > 0 -> 106 - 10 + 10 = 106 == M': no second GC
    assert collect_sizes(MIN, 10, 4, 100, 0, 96, True) == (106,)


def test_second_pass_fibonacci():
    # t1 = fib(20000 - 100 + 200 = 20100) = 28690; live 2000 -> F' = 26690
    # M' = 28690 > 10000 and F' >= 3*28690//4 = 21517 -> fib(2000 + 200 = 2200) = 2586
    assert collect_sizes(FIB, 200, 100, 20000, 0, 2000, True) == (28690, 2586)
    # fibonacci's second pass ignores the alloc mode
    assert collect_sizes(FIB, 200, 100, 20000, 0, 2000, False) == (28690, 2586)
    assert second_pass_target(FIB, 200, 26690, 28690, False) == 2586
    # small heap: t1 = fib(106) = 142 <= 10000: no second pass
    assert collect_sizes(FIB, 10, 4, 100, 0, 50, True) == (142,)
    # big heap but F' = 21516 < 21517: live 7174 -> no second pass
    assert collect_sizes(FIB, 200, 100, 20000, 0, 7174, True) == (28690,)
    assert collect_sizes(FIB, 200, 100, 20000, 0, 7173, True) == (28690, 10958)  # fib(7373)


def test_second_pass_min_heap_size():
    # bounded as above: second target 102 -> max(110, 102) = 110
    assert collect_sizes(B, 10, 4, 100, 0, 50, True, min_heap_size=110) == (126, 110)
    # min equal to t1: second clamp gives 126 == M': no second GC
    assert collect_sizes(B, 10, 4, 100, 0, 50, True, min_heap_size=126) == (126,)


def test_second_pass_force_shrink():
    # forced with F >= S: t1 = 100 - 50 + 32 = 82 (S = 0); live 50 -> F' = 32
    # second: forced -> 82 - 32 + 32 = 82 == M': no second GC
    assert collect_sizes(B, 0, 50, 100, 0, 50, False, force_shrink=True) == (82,)
    # forced with F < S and no garbage: t1 = 100 + 40 + 16 = 156, live = 100 - 10 = 90,
    # F' = 66; forced second target = 90 + 2(40+16) = 202 (grows!) -> (156, 202)
    assert collect_sizes(B, 40, 10, 100, 0, 90, False, force_shrink=True) == (156, 202)
    # ... and with max_heap_size 200 the second pass is out_of_memory
    with pytest.raises(OutOfMemory):
        collect_sizes(B, 40, 10, 100, 0, 90, False, max_heap_size=200, force_shrink=True)


def test_collect_sizes_no_gc_and_oom():
    assert collect_sizes(B, 10, 50, 100, 0, 40, True) == ()
    with pytest.raises(OutOfMemory):
        collect_sizes(B, 10, 4, 100, 0, 50, True, max_heap_size=120)


# ----------------------------------------------------------------------------- test_heap

def test_test_heap_shrink_target():
    # free > 64*need: ask for 32*need
    assert hg.test_heap_shrink_target(641, 10) == 320
    assert hg.test_heap_shrink_target(640, 10) is None   # 640 > 640 false
    assert hg.test_heap_shrink_target(5, 10) is None     # does not fit: the grow path
    assert hg.test_heap_shrink_target(1, 0) == 0         # free 1 > 0
    assert hg.test_heap_request(5, 10) == 10
    assert hg.test_heap_request(10, 10) is None
    assert hg.test_heap_request(641, 10) == 320


def test_test_heap_shrink_through_strategy():
    # test_heap need 10 with F = 700, M = 800: request 320;
    # bounded: F - S = 380, not > 2(336) = 672 -> no GC
    assert next_heap_size(B, 320, 700, 800, 0, True) == 800
    # F = 1000, M = 1200: 1000 - 320 = 680 > 672 -> target 1200 - 1000 + 672 = 872
    assert next_heap_size(B, hg.test_heap_request(1000, 10), 1000, 1200, 0, True) == 872
    # minimum: 700 > 320 -> 800 - 700 + 320 = 420
    assert next_heap_size(MIN, 320, 700, 800, 0, True) == 420


# ----------------------------------------------------------------------------- properties

@pytest.mark.parametrize("strategy", list(GrowthStrategy))
def test_growth_always_leaves_room(strategy):
    # Whenever F < S, the new block holds everything live (at most M - F) plus S.
    rng = random.Random(1234)
    for _ in range(2000):
        m = rng.randint(8, 100_000)
        f = rng.randint(0, m)
        s = rng.randint(f + 1, f + 50_000)
        t = next_heap_size(strategy, s, f, m, 0, rng.random() < 0.5)
        assert t is not None and t - (m - f) >= s
        # and the second pass never takes room below S either
        live = rng.randint(0, m - f)
        for size in collect_sizes(strategy, s, f, m, 0, live, True):
            assert size - live >= s


@pytest.mark.parametrize("strategy", list(GrowthStrategy))
def test_no_gc_without_shrink_when_it_fits(strategy):
    rng = random.Random(99)
    for _ in range(500):
        m = rng.randint(8, 10_000)
        f = rng.randint(0, m)
        s = rng.randint(0, f)
        assert not should_collect(strategy, s, f, m, False)
        assert next_heap_size(strategy, s, f, m, 0, False) == m
