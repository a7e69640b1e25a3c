"""Binary matching builds on the heap what AtomVM builds (vm/ops/binaries.py).

Figures from the rules (facts §5; AtomVM term.h, opcodesswitch.h, jit.c):

* ``bs_start_match3/4``: a match state of 4 words (TERM_BOXED_BIN_MATCH_STATE_SIZE, no
  slots), built after a GC point asking for 4 words (can shrink), the live X registers and
  the source as roots — even when the source already is a match state.
* ``bs_get_binary2`` / ``bs_get_tail`` / bs_match ``binary``, ``get_tail``: a slice of a refc
  or sub binary at least ``sub_binary_min_bytes`` long (8 / 16 bytes) is a 4-word
  sub-binary; otherwise the bytes are copied into a heap binary of 2 + ⌈n/W⌉ words. A binary
  is refc when it is at least the refc threshold long (32 / 64 bytes).
* integers read from a binary outside the small range: boxed (2 words, or 3 for an int64 on
  32-bit; a bigint beyond) on the young heap when they fit, else in a heap fragment;
  floats: boxed (3 words on 32-bit, 2 on 64-bit) after a GC point.

Each program runs on a heap that cannot collect (as tests/test_heap_charges.py does) and the
words charged to the young block (``hu``) are compared with those figures, on 32-bit
(esp32-devkit's layout) and 64-bit (generic-unix).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import compile_erl

from avmsim.clock import VirtualClock
from avmsim.vm.ops import binaries
from avmsim.vm.term_size import LAYOUT_32, LAYOUT_64
from avmsim.vm.terms import atom
from avmsim.vm.vm import VM

SOURCE = """-module(matching).
-export([slice/2, rest2/1, int32/1, int64/1, flt/1]).
slice(Bin, N) -> <<S:N/binary, _/binary>> = Bin, S.
tail10(<<_:10/binary, R/binary>>) -> R.
mid(<<_:2/binary, T:20/binary, _/binary>>) -> T.
rest2(Bin) -> mid(tail10(Bin)).
int32(<<X:32>>) -> X.
int64(<<X:64>>) -> X.
flt(<<F:64/float>>) -> F.
"""

NO_GC = 100_000
MATCH_STATE = 4
SUB_BINARY = 4


def heap_binary(n: int, word: int) -> int:
    return 2 + -(-n // word)


@pytest.fixture(scope="module")
def beam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_erl(tmp_path_factory.mktemp("matching"), "matching", SOURCE)


def run(beam: Path, function: str, args: list, word_size: int) -> tuple[object, object]:
    vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=word_size)
    name = vm.add_beam(beam.read_bytes(), str(beam))
    proc = vm.spawn(name, atom(function), args)
    proc.hsize = proc.min_heap = NO_GC
    proc.hu = proc.frag = 0
    return vm.run(proc), proc


@pytest.mark.parametrize("word", [4, 8])
def test_slice_of_a_refc_binary_is_a_sub_binary(beam: Path, word: int) -> None:
    data = bytes(range(100))  # refc on both layouts (>= 32 / 64 bytes)
    value, proc = run(beam, "slice", [data, 20], word)
    assert value == data[:20]
    # 20 bytes >= 8 / 16: a sub-binary
    assert proc.hu == MATCH_STATE + SUB_BINARY
    # 4 bytes: shorter than the sub-binary minimum, copied: 2 + 1 words (both layouts)
    value, proc = run(beam, "slice", [data, 4], word)
    assert value == data[:4] and proc.hu == MATCH_STATE + heap_binary(4, word) == 7


@pytest.mark.parametrize("word", [4, 8])
def test_slice_of_a_heap_binary_is_copied(beam: Path, word: int) -> None:
    data = bytes(20)  # a heap binary on both layouts
    value, proc = run(beam, "slice", [data, 12], word)
    assert value == bytes(12)
    assert proc.hu == MATCH_STATE + heap_binary(12, word)  # 4 + 5 (32-bit) / 4 + 4 (64-bit)
    assert proc.hu == {4: 9, 8: 8}[word]


def test_the_refc_threshold_depends_on_the_word_size(beam: Path) -> None:
    data = bytes(40)  # refc on 32-bit (>= 32 bytes), a heap binary on 64-bit (< 64)
    assert run(beam, "slice", [data, 20], 4)[1].hu == MATCH_STATE + SUB_BINARY
    assert run(beam, "slice", [data, 20], 8)[1].hu == MATCH_STATE + heap_binary(20, 8) == 9


@pytest.mark.parametrize("word,size", [(4, 40), (8, 70)])
def test_a_slice_of_a_sub_binary_is_a_sub_binary(beam: Path, word: int, size: int) -> None:
    """tail10/1 returns the last size - 10 bytes of a refc binary: a sub-binary shorter than
    the refc threshold (30 < 32, 60 < 64). mid/1 takes 20 bytes of it: AtomVM makes a
    sub-binary of a sub-binary, where a heap binary of 30 / 60 bytes would be copied."""
    data = bytes(range(size))
    value, proc = run(beam, "rest2", [data], word)
    assert value == data[12:32]
    # tail10: match state + sub-binary; mid: match state + sub-binary
    assert proc.hu == 2 * (MATCH_STATE + SUB_BINARY) == 16


def test_integers_outside_the_small_range_are_boxed(beam: Path) -> None:
    # 32-bit small integers end at 2^27 - 1; an avm_int_t at 2^31 - 1
    assert run(beam, "int32", [(2 ** 27 - 1).to_bytes(4, "big")], 4)[1].hu == MATCH_STATE
    assert run(beam, "int32", [(2 ** 28).to_bytes(4, "big")], 4)[1].hu == MATCH_STATE + 2
    assert run(beam, "int32", [(2 ** 31 + 5).to_bytes(4, "big")], 4)[1].hu == MATCH_STATE + 3
    # 64-bit: any 32-bit value is small
    assert run(beam, "int32", [(2 ** 32 - 1).to_bytes(4, "big")], 8)[1].hu == MATCH_STATE
    value, proc = run(beam, "int64", [(2 ** 62).to_bytes(8, "big")], 8)
    assert value == 2 ** 62 and proc.hu == MATCH_STATE + 2          # boxed int64
    value, proc = run(beam, "int64", [(2 ** 63 + 1).to_bytes(8, "big")], 8)
    assert value == 2 ** 63 + 1 and proc.hu == MATCH_STATE + 3      # a bigint of 2 digits
    assert run(beam, "int64", [(2 ** 62).to_bytes(8, "big")], 4)[1].hu == MATCH_STATE + 3


@pytest.mark.parametrize("word,float_words", [(4, 3), (8, 2)])
def test_floats_are_boxed(beam: Path, word: int, float_words: int) -> None:
    value, proc = run(beam, "flt", [b"\x3f\xf8" + bytes(6)], word)
    assert value == 1.5 and proc.hu == MATCH_STATE + float_words


def _proc(beam: Path, word: int, hsize: int, hu: int) -> object:
    """A new process (not run: no frame, nothing live in its registers) whose young block is
    ``hsize`` words with ``hu`` used."""
    vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=word)
    name = vm.add_beam(beam.read_bytes(), str(beam))
    proc = vm.spawn(name, atom("flt"), [b""])
    proc.hsize, proc.hu, proc.frag, proc.gcs = hsize, hu, 0, 0
    return proc


def test_match_state_gc_point_keeps_the_source_as_a_root(beam: Path) -> None:
    charges = binaries._MatchCharges(LAYOUT_64)
    src = bytes(100)  # a refc binary: 6 words on the heap (64-bit)
    # 94 words free: 94 - 4 > 2(4 + 16), bounded_free shrinks to M - F + 2(4 + 16) = 46;
    # the source, not in a live X register, is a root: 6 live words
    proc = _proc(beam, 8, 100, 6)
    charges.match_state(proc, src, 0)
    assert (proc.hsize, proc.hu, proc.gcs) == (46, 6 + 4, 1)
    assert proc.x[0] is None  # the extra root slot (x[live]) is restored
    # 2 words free < 4: grows to M + 4 + 16 = 28 (keeping the source), then builds the state
    proc = _proc(beam, 8, 8, 6)
    charges.match_state(proc, src, 0)
    assert (proc.hsize, proc.hu, proc.gcs) == (28, 6 + 4, 1)
    # 8 words free, 4 needed and no shrink (8 - 4 <= 40): no GC
    proc = _proc(beam, 8, 14, 6)
    charges.match_state(proc, src, 0)
    assert (proc.hsize, proc.hu, proc.gcs) == (14, 10, 0)


def test_sub_binary_gc_point_asks_for_what_term_sub_binary_heap_size_says(beam: Path) -> None:
    charges = binaries._MatchCharges(LAYOUT_32)
    src = bytes(100)
    # a 12-byte copy of a 20-byte heap binary (2 + 5 = 7 words, live: the extra root) is
    # 2 + 3 = 5 words, asking for term_binary_heap_size = 6: 5 free < 6 grows the block to
    # M + 6 + 16 = 34 (where exactly 5 free would not have collected)
    proc = _proc(beam, 4, 12, 7)
    charges.slice(proc, bytes(20), bytes(12), 0, 0, bytes(20))
    assert (proc.gcs, proc.hsize, proc.hu) == (1, 12 + 6 + 16, 7 + 5)
    # a 4-word sub-binary asks for 4: 5 free is enough
    proc = _proc(beam, 4, 12, 7)
    charges.slice(proc, src, src[10:30], 80, 0, src)
    assert (proc.gcs, proc.hsize, proc.hu) == (0, 12, 7 + 4)


def test_an_integer_that_does_not_fit_goes_to_a_fragment(beam: Path) -> None:
    charges = binaries._MatchCharges(LAYOUT_32)
    proc = _proc(beam, 4, 10, 8)
    charges.integer(proc, 2 ** 31)   # an int64 on 32-bit: 3 words, 2 free: a fragment
    assert (proc.hu, proc.frag, proc.gcs) == (8, 3, 0)
    charges.integer(proc, 2 ** 28)   # 2 words fit
    assert (proc.hu, proc.frag) == (10, 3)
