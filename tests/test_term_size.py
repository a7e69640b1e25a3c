"""Heap sizes of terms (``vm/term_size.py``) against the formulas of the facts page (§5) and
AtomVM's term.h, for the 32-bit and 64-bit layouts; the 64-bit figures that AtomVM shares
with OTP by design are also checked against the host's ``erts_debug:flat_size/1``.

Run: ``python3 -m pytest tests/test_term_size.py``.
"""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from avmsim.vm import term_size as ts
from avmsim.vm.term_size import (LAYOUT_32, LAYOUT_32_FLOAT32, LAYOUT_64, TermSize, WordLayout,
                                 binary_reserve_words, binary_words, bigint_words, flat_size,
                                 int_words, map_words, measure, offheap_bytes, refc_block_bytes,
                                 sub_binary_words, term_words)
from avmsim.vm.terms import (FALSE, NIL, OK, TRUE, Cons, ExtFun, Fun, Map, Pid, Port, Ref,
                             atom, from_list, from_str, make_bits)

BOTH = pytest.mark.parametrize("layout", [LAYOUT_32, LAYOUT_64], ids=["32", "64"])


class _Mod:
    """Stand-in for a loaded module (Fun only needs ``name``)."""

    name = atom("m")


def closure(*free):
    return Fun(_Mod(), 0, 1, tuple(free))


# ----------------------------------------------------------------------------- layouts

def test_layout_constants():
    assert (LAYOUT_32.word_bytes, LAYOUT_32.small_int_bits, LAYOUT_32.float_words,
            LAYOUT_32.refc_threshold_bytes, LAYOUT_32.sub_binary_min_bytes) == (4, 28, 3, 32, 8)
    assert (LAYOUT_32_FLOAT32.word_bytes, LAYOUT_32_FLOAT32.float_words) == (4, 2)
    assert (LAYOUT_64.word_bytes, LAYOUT_64.small_int_bits, LAYOUT_64.float_words,
            LAYOUT_64.refc_threshold_bytes, LAYOUT_64.sub_binary_min_bytes) == (8, 60, 2, 64, 16)
    # facts §5: small integers in [-2^27, 2^27-1] on 32-bit; 60-bit on 64-bit
    assert (LAYOUT_32.small_min, LAYOUT_32.small_max) == (-(1 << 27), (1 << 27) - 1)
    assert (LAYOUT_64.small_min, LAYOUT_64.small_max) == (-(1 << 59), (1 << 59) - 1)
    # derived per-architecture sizes (term.h)
    assert (LAYOUT_32.ref_words, LAYOUT_64.ref_words) == (3, 2)
    assert (LAYOUT_32.process_ref_words, LAYOUT_64.process_ref_words) == (5, 3)
    assert (LAYOUT_32.external_pid_words, LAYOUT_64.external_pid_words) == (5, 3)
    assert (LAYOUT_32.refc_block_header_bytes, LAYOUT_64.refc_block_header_bytes) == (20, 40)
    assert (LAYOUT_32.int64_data_words, LAYOUT_64.int64_data_words) == (2, 1)


def test_layout_rejects_odd_word_size():
    with pytest.raises(ValueError):
        WordLayout(word_bytes=2, small_int_bits=12, float_words=5, refc_threshold_bytes=16,
                   sub_binary_min_bytes=4)


def test_layout_is_frozen():
    with pytest.raises(AttributeError):
        LAYOUT_32.word_bytes = 8  # type: ignore[misc]


# ----------------------------------------------------------------------------- immediates

@BOTH
def test_immediates_cost_nothing(layout):
    for t in (OK, TRUE, FALSE, atom("x"), NIL, 0, 1, -1, Pid(5), Port(3)):
        assert term_words(t, layout) == 0


@BOTH
def test_small_int_bounds(layout):
    lo, hi = layout.small_min, layout.small_max
    assert int_words(lo, layout) == 0 and int_words(hi, layout) == 0
    # one past either bound is a boxed integer: header + one word (BOXED_INT_SIZE = 2)
    assert int_words(lo - 1, layout) == 2
    assert int_words(hi + 1, layout) == 2
    assert term_words(hi + 1, layout) == 2


# ----------------------------------------------------------------------------- boxed integers

def test_boxed_int_32():
    # fits 32 bits signed -> 2 words; fits 64 -> 3 words (facts §5)
    assert int_words((1 << 31) - 1, LAYOUT_32) == 2
    assert int_words(-(1 << 31), LAYOUT_32) == 2
    assert int_words(1 << 31, LAYOUT_32) == 3
    assert int_words(-(1 << 31) - 1, LAYOUT_32) == 3
    assert int_words((1 << 63) - 1, LAYOUT_32) == 3
    assert int_words(-(1 << 63), LAYOUT_32) == 3


def test_boxed_int_64():
    # beyond 60-bit small but within int64: one data word -> 2 words
    assert int_words(1 << 59, LAYOUT_64) == 2
    assert int_words(1 << 62, LAYOUT_64) == 2
    assert int_words((1 << 63) - 1, LAYOUT_64) == 2
    assert int_words(-(1 << 63), LAYOUT_64) == 2


# Magnitude bits -> words. 32-bit digits; bytes rounded to 8; data words = bytes / word;
# data equal to an int64's (2 on 32-bit, 1 on 64-bit) is bumped by one (term.h).
#   32-bit: <=64 bits: 8 B -> 2 -> bumped 3 (+1 header = 4); <=128: 16 B -> 4 (+1 = 5);
#           <=192: 24 B -> 6 (7); <=256: 32 B -> 8 (9)
#   64-bit: <=64: 8 B -> 1 -> bumped 2 (3); <=128: 16 B -> 2 (3); <=192: 3 (4); <=256: 4 (5)
BIGINTS = [
    # value,                  32-bit, 64-bit
    (1 << 63, 4, 3),                   # 64 bits, does not fit int64
    ((1 << 64) - 1, 4, 3),
    (-(1 << 63) - 1, 4, 3),            # magnitude 2^63+1: 64 bits
    (1 << 64, 5, 3),                   # 65 bits
    ((1 << 128) - 1, 5, 3),
    (1 << 128, 7, 4),
    (-((1 << 192) - 1), 7, 4),
    (1 << 192, 9, 5),
    ((1 << 256) - 1, 9, 5),
    (-((1 << 256) - 1), 9, 5),
]


@pytest.mark.parametrize("value, w32, w64", BIGINTS)
def test_bigint_sizes(value, w32, w64):
    assert int_words(value, LAYOUT_32) == w32
    assert int_words(value, LAYOUT_64) == w64
    assert term_words(value, LAYOUT_32) == w32


def test_bigint_beyond_256_bits_extends_the_rule():
    # 257..320 bits: 10 digits -> 40 bytes -> 10 words (32-bit) / 5 words (64-bit), +1 header
    assert bigint_words(1 << 256, LAYOUT_32) == 11
    assert bigint_words(1 << 256, LAYOUT_64) == 6
    # each further 64 bits: +2 words (32-bit), +1 word (64-bit)
    assert bigint_words(1 << 320, LAYOUT_32) == 13
    assert bigint_words(1 << 320, LAYOUT_64) == 7


# ----------------------------------------------------------------------------- floats

def test_float_words():
    assert term_words(1.5, LAYOUT_32) == 3
    assert term_words(1.5, LAYOUT_32_FLOAT32) == 2
    assert term_words(1.5, LAYOUT_64) == 2


# ----------------------------------------------------------------------------- lists, tuples

@BOTH
def test_cons_two_words_per_cell(layout):
    assert term_words(from_list([OK]), layout) == 2
    assert term_words(from_str("hello"), layout) == 10  # a string of length L is 2L
    assert term_words(Cons(OK, OK), layout) == 2  # improper list: tail is an immediate
    assert term_words(Cons(1, 2.5), layout) == 2 + layout.float_words


@BOTH
def test_tuple_n_plus_one(layout):
    assert term_words((), layout) == 1  # {} built fresh: one header word
    assert term_words((OK,), layout) == 2
    assert term_words((OK, 1, NIL, Pid(1)), layout) == 5


# ----------------------------------------------------------------------------- binaries

@pytest.mark.parametrize("size, w32, w64", [
    (0, 2, 2),
    (1, 3, 3),
    (4, 3, 3),
    (5, 4, 3),
    (8, 4, 3),
    (9, 5, 4),
    (31, 10, 6),    # 32-bit: 2 + ceil(31/4) = 10; 64-bit: 2 + ceil(31/8) = 6
    (32, 6, 6),     # 32-bit: refc from 32 bytes; 64-bit: 2 + 4 = 6 (heap, coincidence)
    (63, 6, 10),    # 64-bit: 2 + ceil(63/8) = 10
    (64, 6, 6),     # 64-bit: refc from 64 bytes
    (1000, 6, 6),
])
def test_binary_words(size, w32, w64):
    assert binary_words(size, LAYOUT_32) == w32
    assert binary_words(size, LAYOUT_64) == w64
    assert term_words(bytes(size), LAYOUT_32) == w32
    assert term_words(bytes(size), LAYOUT_64) == w64


def test_refc_offheap_block():
    # 20 + n bytes on 32-bit (facts §5), 40 + n on 64-bit (five pointer-sized fields)
    assert refc_block_bytes(32, LAYOUT_32) == 52
    assert refc_block_bytes(31, LAYOUT_32) == 0
    assert refc_block_bytes(64, LAYOUT_64) == 104
    assert refc_block_bytes(63, LAYOUT_64) == 0
    assert offheap_bytes(bytes(100), LAYOUT_32) == 120
    assert offheap_bytes(bytes(100), LAYOUT_64) == 140
    assert offheap_bytes(bytes(10), LAYOUT_32) == 0
    # counted once per occurrence in the tree
    big = bytes(40)
    assert offheap_bytes((big, big, bytes(5)), LAYOUT_32) == 2 * 60
    assert measure((big, 1.0), LAYOUT_32) == TermSize(3 + 6 + 3, 60)


@BOTH
def test_bitstring_sized_by_bytes(layout):
    bits = make_bits(b"\xff\xe0", 11)  # 2 bytes
    assert term_words(bits, layout) == binary_words(2, layout)
    long_bits = make_bits(bytes(100) + b"\x80", 801)  # 101 bytes -> refc
    assert term_words(long_bits, layout) == 6
    assert offheap_bytes(long_bits, layout) == layout.refc_block_header_bytes + 101


def test_binary_reserve_words():
    # TERM_BINARY_HEAP_SIZE: ceil(n/w) + 1 + 2 for heap binaries, 6 + 2 for refc
    assert binary_reserve_words(5, LAYOUT_32) == 5
    assert binary_reserve_words(32, LAYOUT_32) == 8
    assert binary_reserve_words(5, LAYOUT_64) == 4
    assert binary_reserve_words(64, LAYOUT_64) == 8


def test_sub_binary_words():
    assert sub_binary_words(8, True, LAYOUT_32) == 4
    assert sub_binary_words(7, True, LAYOUT_32) == binary_words(7, LAYOUT_32)  # copied: 4
    assert sub_binary_words(100, False, LAYOUT_32) == 6  # from a heap binary: a new refc
    assert sub_binary_words(16, True, LAYOUT_64) == 4
    assert sub_binary_words(15, True, LAYOUT_64) == 4  # copied: 2 + ceil(15/8) = 4
    assert sub_binary_words(9, True, LAYOUT_64) == 4   # copied: 2 + 2
    assert sub_binary_words(8, True, LAYOUT_64) == 3   # copied: 2 + 1


# ----------------------------------------------------------------------------- maps

def test_map_words_formula():
    assert [map_words(n) for n in (0, 1, 5)] == [3, 5, 13]
    assert [map_words(n, shared_keys=True) for n in (0, 1, 5)] == [2, 3, 7]


@BOTH
def test_map_term_words(layout):
    assert term_words(Map(), layout) == 3
    m = Map.from_pairs([(atom("a"), 1), (atom("b"), 2)])
    assert term_words(m, layout) == 7  # 3 + 2*2, immediates inside
    m2 = Map.from_pairs([((1, 2), from_list([1.0]))])
    # 3 + 2 for the map, key tuple 3, value list: cons 2 + float
    assert term_words(m2, layout) == 5 + 3 + 2 + layout.float_words


# ----------------------------------------------------------------------------- funs

@BOTH
def test_closure_words(layout):
    assert term_words(closure(), layout) == 3
    assert term_words(closure(OK, 1), layout) == 5
    # free values count too: a 2-tuple (3) and a float
    assert term_words(closure((OK, OK), 2.0), layout) == 5 + 3 + layout.float_words


@BOTH
def test_external_fun_words(layout):
    assert term_words(ExtFun(atom("lists"), atom("map"), 2), layout) == 4


# ----------------------------------------------------------------------------- refs, pids, ports

def test_ref_words():
    assert term_words(Ref(1), LAYOUT_32) == 3
    assert term_words(Ref(1), LAYOUT_64) == 2


@BOTH
def test_local_pid_and_port_are_immediate(layout):
    assert term_words((Pid(3), Port(4)), layout) == 3


# ----------------------------------------------------------------------------- whole trees

@BOTH
def test_nested_term_by_hand(layout):
    f = layout.float_words
    big = 1 << 61  # int64: 3 words on 32-bit, boxed int 2 on 64-bit
    bw = {4: 3, 8: 2}[layout.word_bytes]
    t = (OK,
         from_list([1, 2.0, (big,)]),
         Map.from_pairs([(atom("k"), bytes(3))]),
         closure(from_str("ab")),
         Ref(7))
    expected = (
        6                               # outer 5-tuple
        + 3 * 2 + f + (2 + bw)           # list of 3 cells, a float, a 1-tuple of a boxed int
        + 5 + 3                          # map of 1 + heap binary of 3 bytes (2 + 1 word)
        + 4 + 4                          # closure with 1 free var + "ab" (2 cells)
        + layout.ref_words
    )
    assert term_words(t, layout) == expected
    assert flat_size(t, layout) == expected


def test_no_sharing_counted_twice():
    inner = from_list([1.0, 2.0])  # 2 cells + 2 floats = 4 + 6 = 10 words (32-bit)
    assert term_words(inner, LAYOUT_32) == 10
    assert term_words((inner, inner, inner), LAYOUT_32) == 4 + 30


def test_million_element_list_iterative():
    n = 1_000_000
    lst = from_list(range(n))  # 0..999999: all small integers
    assert term_words(lst, LAYOUT_32) == 2 * n
    assert term_words(lst, LAYOUT_64) == 2 * n
    floats = from_list([0.5] * n)
    assert term_words(floats, LAYOUT_32) == 5 * n


def _deep(depth):
    # depth nested 1-tuples around a list whose head is another nested list, alternating
    t = NIL
    for i in range(depth):
        t = (t,) if i % 2 else Cons(t, NIL)
    return t


def test_deep_nesting_does_not_recurse():
    depth = 200_000  # far beyond Python's recursion limit
    assert depth > sys.getrecursionlimit()
    t = _deep(depth)
    # half 1-tuples (2 words), half cons cells (2 words)
    assert term_words(t, LAYOUT_32) == 2 * depth
    # a list of lists 2 deep, 1000 x 1000
    row = from_list(range(1000))
    grid = from_list([row] * 1000)
    assert term_words(grid, LAYOUT_64) == 2 * 1000 + 1000 * 2000


def test_rejects_non_terms():
    for bad in (True, object(), "str", [1], None):
        with pytest.raises(TypeError):
            term_words(bad)
    with pytest.raises(TypeError):
        term_words(from_list([1, True]))


def test_flat_size_equals_term_words():
    t = (bytes(100), Map.from_pairs([(1, 2)]), closure(1.0), (1 << 70), Ref(1), from_str("x"))
    for layout in (LAYOUT_32, LAYOUT_32_FLOAT32, LAYOUT_64):
        assert flat_size(t, layout) == term_words(t, layout)


def test_default_layout_is_32_bit():
    assert term_words(1.0) == 3 and ts.term_words(Ref(1)) == 3


# ----------------------------------------------------------------------------- OTP cross-check

# Only terms whose 64-bit layout AtomVM shares with OTP by design: cons cells, non-empty
# tuples, small and int64 integers, floats, local pids, atoms, and bigints of 65+ bits
# (OTP: 1 + ceil(bits/64); AtomVM: the same from 65 bits up). Not compared: {} (OTP 0),
# maps (OTP's flatmap has a size word), refs (OTP 3), funs, binaries, 2^63..2^64-1.
OTP_CASES = [
    ("[1,2,3]", from_list([1, 2, 3])),
    ("{a,b,c}", (atom("a"), atom("b"), atom("c"))),
    ("{1.5,[2.5]}", (1.5, from_list([2.5]))),
    ("\"hello\"", from_str("hello")),
    ("lists:seq(1,100)", from_list(range(1, 101))),
    ("(1 bsl 59)-1", (1 << 59) - 1),
    ("-(1 bsl 59)", -(1 << 59)),
    ("1 bsl 59", 1 << 59),
    ("-(1 bsl 59)-1", -(1 << 59) - 1),
    ("1 bsl 62", 1 << 62),
    ("-(1 bsl 63)", -(1 << 63)),
    ("(1 bsl 63)-1", (1 << 63) - 1),
    ("1 bsl 64", 1 << 64),
    ("1 bsl 100", 1 << 100),
    ("-(1 bsl 127)", -(1 << 127)),
    ("1 bsl 128", 1 << 128),
    ("1 bsl 200", 1 << 200),
    ("(1 bsl 256)-1", (1 << 256) - 1),
    ("[{x,[1.0,2]} || _ <- lists:seq(1,10)]",
     from_list([(atom("x"), from_list([1.0, 2]))] * 10)),
    ("{{{{a}}},[[[]]]}", ((((atom("a"),),),), from_list([from_list([NIL])]))),
    ("[self()]", from_list([Pid(0)])),
]


@pytest.mark.skipif(shutil.which("erl") is None, reason="host erl not installed")
def test_64bit_matches_otp_flat_size():
    exprs = ", ".join(e for e, _ in OTP_CASES)
    script = (f"W = erlang:system_info(wordsize), L = [{exprs}], "
              "io:format(\"~w ~w~n\", [W, [erts_debug:flat_size(X) || X <- L]]), halt().")
    out = subprocess.run(["erl", "-noshell", "-eval", script], check=True, capture_output=True,
                         text=True, timeout=60).stdout.strip()
    word, sizes = out.split(" ", 1)
    if word != "8":
        pytest.skip("host OTP is not 64-bit")
    otp = [int(x) for x in sizes.strip("[]").split(",")]
    ours = [term_words(t, LAYOUT_64) for _, t in OTP_CASES]
    assert ours == otp, list(zip([e for e, _ in OTP_CASES], ours, otp))
