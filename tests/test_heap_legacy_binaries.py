"""The legacy binary construction instructions charge the heap as AtomVM does
(vm/ops/binaries.py).

Beams compiled by OTP <= 24, or by OTP 25 with ``erlc +no_bs_create_bin``, build binaries
with bs_init_bits / bs_append / bs_private_append / bs_init_writable followed by bs_put_*
(bs_init2, which OTP <= 24 also emits, is an obsolete opcode AtomVM refuses at load: facts
§3). Figures from the rules (AtomVM opcodesswitch.h of the 168d236 era, facts §5):

* bs_init_bits: a GC point asking for Words +
  ``term_binary_heap_size(n)`` (can shrink, the live X registers as roots), then a binary of
  the announced size: a heap binary of 2 + ⌈n/W⌉ words, or a refc binary of 6 words and an
  off-heap block from 32 bytes (32-bit) / 64 bytes (64-bit). Not whole bytes: a 4-word
  sub-binary more (AtomVM's later bitstring support).
* bs_append: a GC point asking for the source's byte count + ``term_binary_heap_size`` of
  the appended bytes + Extra (live X and the source as roots), then a new binary of the
  combined size; the source is copied, so the old accumulator is garbage.
* bs_private_append: the same sizes without a GC (MEMORY_NO_GC): on the young heap when the
  words asked for are free, else in a heap fragment of that many words.
* bs_init_writable: an empty heap binary (2 words) after asking for 3, with no roots.
* bs_put_*: write into the binary already allocated: nothing.

Each program runs on a heap that cannot collect (as tests/test_heap_charges.py does) and the
words charged to the young block (``hu``) are compared with those figures on 32-bit
(esp32-devkit's layout) and 64-bit (generic-unix); the GC points are checked on heaps that
must grow. Results are compared with what the host's ``erl`` computes from the same beams.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import compile_erl

from avmsim.clock import VirtualClock
from avmsim.vm import beam_file, heap
from avmsim.vm.ops import binaries
from avmsim.vm.term_format import format_w
from avmsim.vm.errors import ProcessExit
from avmsim.vm.terms import NIL, atom, from_list
from avmsim.vm.vm import VM

pytestmark = pytest.mark.skipif(shutil.which("erl") is None or shutil.which("erlc") is None,
                                reason="erl/erlc not installed")

SOURCE = """-module(legacy).
-export([two/1, wide/1, sized/2, app/2, acc/2, comp/1, bits5/1, mixed/1, with_mem/1,
         acc_mem/2, tail/3]).
two(X) -> <<X:32, X:32>>.
wide(X) -> <<X:800>>.
sized(X, N) -> <<X:N/unit:8>>.
app(A, X) -> <<A/binary, X:8>>.
acc([], A) -> A;
acc([H | T], A) -> acc(T, <<A/binary, H>>).
comp(L) -> << <<X>> || X <- L >>.
bits5(X) -> <<X:3, 1:2>>.
mixed(C) -> <<"ab", C/utf8, C:16/little, C/float>>.
with_mem(X) -> B = <<X:800>>, {B, erlang:memory(binary)}.
acc_mem(L, A) ->
    B = acc(L, A),
    M = erlang:memory(binary),
    erlang:garbage_collect(),
    {B, M, erlang:memory(binary)}.
tail(B, X, N) -> R = <<B/binary, X:N>>, {R, erlang:memory(binary)}.
"""

NO_GC = 100_000
SUB_BINARY = 4
REFC = 6
REFC_RESERVE = 8   # term_binary_heap_size of a refc binary: two words more than it takes
MIN_FREE = 16


def refc_threshold(word: int) -> int:
    return 32 if word == 4 else 64


def binary(n: int, word: int) -> int:
    """Words of a new binary of ``n`` bytes (facts §5)."""
    return REFC if n >= refc_threshold(word) else 2 + -(-n // word)


def reserve(n: int, word: int) -> int:
    """``term_binary_heap_size(n)``: what AtomVM asks for before building it."""
    return REFC_RESERVE if n >= refc_threshold(word) else binary(n, word) + 1


# ----------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def beam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_erl(tmp_path_factory.mktemp("legacy"), "legacy", SOURCE,
                       "+no_bs_create_bin")


def erl_results(beam_path: Path, calls: list[str]) -> list[str]:
    """What the host's OTP prints (``~w``) for each call, e.g. ``legacy:two(7)``."""
    script = "".join(f'io:format("~w~n", [{call}]), ' for call in calls) + "halt()."
    out = subprocess.run(["erl", "-noshell", "-pa", str(beam_path.parent), "-eval", script],
                         check=True, capture_output=True, text=True).stdout
    return out.splitlines()


def run(beam_path: Path, function: str, args: list, word: int,
        no_gc: bool = True) -> tuple[object, object]:
    """Run ``function(args)``; with ``no_gc`` on a 100000-word block that is also its
    min_heap_size, so no GC point collects and ``hu`` is what the run built; else on the
    8-word block of a new process, which holds the copied arguments."""
    vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=word)
    name = vm.add_beam(beam_path.read_bytes(), str(beam_path))
    proc = vm.spawn(name, atom(function), args)
    if no_gc:
        proc.hsize = proc.min_heap = NO_GC
        proc.hu = proc.frag = proc.gcs = 0
    return vm.run(proc), proc


def new_proc(beam_path: Path, word: int, hsize: int, hu: int) -> object:
    """A process not run (nothing live but what a test puts in its X registers) whose young
    block is ``hsize`` words with ``hu`` used."""
    vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=word)
    name = vm.add_beam(beam_path.read_bytes(), str(beam_path))
    proc = vm.spawn(name, atom("two"), [0])
    proc.hsize, proc.hu, proc.frag, proc.gcs = hsize, hu, 0, 0
    return proc


# ----------------------------------------------------------------------------- the beams

def test_the_beams_use_the_legacy_instructions(beam: Path) -> None:
    names = {i.name for i in beam_file.parse_beam(beam.read_bytes(), "legacy").instructions}
    assert "bs_create_bin" not in names
    assert {"bs_init_bits", "bs_append", "bs_private_append", "bs_init_writable",
            "bs_put_integer", "bs_put_string", "bs_put_utf8", "bs_put_float"} <= names


def test_results_are_the_hosts(beam: Path) -> None:
    calls = [("two", [7], "legacy:two(7)"),
             ("wide", [3 ** 200], f"legacy:wide({3 ** 200})"),
             ("sized", [258, 3], "legacy:sized(258, 3)"),
             ("app", [b"abc", 100], 'legacy:app(<<"abc">>, 100)'),
             ("acc", [from_list(list(range(40))), b"x"],
              'legacy:acc(lists:seq(0, 39), <<"x">>)'),
             ("comp", [from_list(list(range(250, 260)))], "legacy:comp(lists:seq(250, 259))"),
             ("mixed", [0x20AC], "legacy:mixed(16#20AC)")]
    expected = erl_results(beam, [c for _, _, c in calls])
    got = [format_w(run(beam, f, a, 4)[0]) for f, a, _ in calls]
    assert got == expected


# ----------------------------------------------------------------------------- what is built

@pytest.mark.parametrize("word", [4, 8])
def test_bs_init_bits_builds_a_binary_of_the_announced_size(beam: Path, word: int) -> None:
    assert run(beam, "two", [7], word)[1].hu == binary(8, word) == {4: 4, 8: 3}[word]
    # 100 bytes: a refc binary on both layouts
    value, proc = run(beam, "wide", [1], word)
    assert len(value) == 100 and proc.hu == REFC and proc.gcs == 0
    # a size known at run time
    value, proc = run(beam, "sized", [1, 40], word)
    assert len(value) == 40 and proc.hu == binary(40, word) == {4: REFC, 8: 7}[word]
    # bs_put_string / utf8 / integer / float write into it: 2 + 3 + 2 + 8 bytes
    value, proc = run(beam, "mixed", [0x20AC], word)
    assert len(value) == 15 and proc.hu == binary(15, word) == {4: 6, 8: 4}[word]


@pytest.mark.parametrize("word", [4, 8])
def test_bits_that_are_not_whole_bytes_are_unsupported(beam: Path, word: int) -> None:
    """bs_init_bits of 5 bits: AtomVM 7b282159 raises error:unsupported (opcodesswitch.h;
    tests/atomvm_diff/bitstrings_unsupported.erl pins it), where OTP builds <<6:5>>."""
    with pytest.raises(ProcessExit) as exit_:
        run(beam, "bits5", [6], word)
    assert exit_.value.reason == (atom("unsupported"), NIL)


@pytest.mark.parametrize("word", [4, 8])
def test_a_refc_binary_gets_its_off_heap_block(beam: Path, word: int) -> None:
    (value, memory), proc = run(beam, "with_mem", [5], word)
    assert len(value) == 100 and memory == 100   # erlang:memory(binary)
    assert proc.hu == REFC + 3                   # the binary, then the {B, M} tuple


@pytest.mark.parametrize("word", [4, 8])
def test_bs_append_builds_the_combined_binary(beam: Path, word: int) -> None:
    value, proc = run(beam, "app", [bytes(10), 5], word)
    assert value == bytes(10) + b"\x05" and proc.hu == binary(11, word) == {4: 5, 8: 4}[word]
    # appending to a refc binary makes a new refc binary (the old one is copied)
    value, proc = run(beam, "app", [bytes(100), 5], word)
    assert len(value) == 101 and proc.hu == REFC


@pytest.mark.parametrize("word", [4, 8])
def test_a_binary_complete_before_its_last_segment_is_one_refc_binary(beam: Path,
                                                                      word: int) -> None:
    """tail(B, X, 0): bs_append announces 0 more bits, so the binary is complete before the
    bs_put_integer of X:0 that follows; that write adds nothing and makes no second one."""
    (value, memory), proc = run(beam, "tail", [bytes(100), 1, 0], word)
    assert value == bytes(100) and memory == 100
    assert proc.hu == REFC + 3


@pytest.mark.parametrize("word", [4, 8])
def test_an_accumulator_loop_leaves_every_old_binary_as_garbage(beam: Path, word: int) -> None:
    """acc/2 appends one byte per element with bs_append: the k-th step builds a new binary
    of k bytes, whatever the previous steps built."""
    n = 40
    value, proc = run(beam, "acc", [from_list(list(range(1, n + 1))), b""], word)
    assert value == bytes(range(1, n + 1))
    assert proc.hu == sum(binary(k, word) for k in range(1, n + 1))
    assert proc.hu == {4: 252, 8: 200}[word]
    assert proc.gcs == 0 and proc.frag == 0


def test_old_refc_accumulators_hold_their_blocks_until_a_gc(beam: Path) -> None:
    """On 32-bit the steps of 32..40 bytes make nine refc binaries: all nine blocks are held
    until a collection lets go of the eight the process no longer reaches. erlang:garbage_collect
    collects even when the heap keeps its size (its min_heap_size here): AtomVM's
    memory_ensure_free_with_roots always runs memory_gc under MEMORY_FORCE_SHRINK."""
    elements = from_list(list(range(1, 41)))
    (value, before, after), _ = run(beam, "acc_mem", [elements, b""], 4)
    assert value == bytes(range(1, 41))
    assert (before, after) == (sum(range(32, 41)), 40)
    (value, before, after), _ = run(beam, "acc_mem", [elements, b""], 4, no_gc=False)
    assert value == bytes(range(1, 41)) and after == 40


@pytest.mark.parametrize("word", [4, 8])
def test_a_comprehension_uses_bs_init_writable_and_bs_private_append(beam: Path,
                                                                    word: int) -> None:
    n = 40
    value, proc = run(beam, "comp", [from_list(list(range(n)))], word)
    assert value == bytes(range(n))
    empty = binary(0, word)                      # bs_init_writable: <<>> in 2 words
    assert proc.hu == empty + sum(binary(k, word) for k in range(1, n + 1))
    assert proc.hu == {4: 254, 8: 202}[word]
    assert proc.frag == 0 and proc.gcs == 0


# ----------------------------------------------------------------------------- GC points

def test_bs_init_bits_collects_when_the_binary_does_not_fit(beam: Path) -> None:
    """sized(X, 50) on a new process's 8-word block (64-bit): a 50-byte heap binary of
    2 + 7 = 9 words asks for 10: bounded_free grows the block to 8 + 10 + 16 = 34; nothing
    is live (x0..x2 hold small integers)."""
    value, proc = run(beam, "sized", [1, 50], 8, no_gc=False)
    need = reserve(50, 8)
    assert len(value) == 50 and need == 10
    assert (proc.gcs, proc.hsize, proc.hu) == (1, 8 + need + MIN_FREE, binary(50, 8))
    # on 32-bit it is a refc binary asking for 8: the 8 free words do, no GC
    value, proc = run(beam, "sized", [1, 50], 4, no_gc=False)
    assert (proc.gcs, proc.hsize, proc.hu) == (0, 8, REFC)


def test_the_live_x_registers_are_the_roots(beam: Path) -> None:
    """32-bit: 5 words free, a 100-byte refc binary asks for 8: the block grows to
    20 + 8 + 16 = 44 and keeps what the live registers reach (x0: a 20-byte binary, 7
    words), then the 6-word binary is built."""
    for live, kept in ((1, 7), (0, 0)):
        proc = new_proc(beam, 4, 20, 15)
        proc.x[0] = bytes(20)
        binaries._legacy_init(proc, 800, 0, live)
        assert (proc.gcs, proc.hsize, proc.hu) == (1, 20 + 8 + MIN_FREE, kept + REFC)


def test_bs_init_bits_can_shrink(beam: Path) -> None:
    """190 free words for a 4-byte binary asking for 4 (32-bit): bounded_free shrinks to
    M − F + 2(4 + 16) = 50, and the second pass (50 free > 40) to 40."""
    proc = new_proc(beam, 4, 200, 10)
    binaries._legacy_init(proc, 32, 0, 0)
    assert (proc.gcs, proc.hsize, proc.hu) == (2, 2 * (4 + MIN_FREE), binary(4, 4))


def test_bs_append_keeps_its_source_as_a_root(beam: Path) -> None:
    """32-bit, 5 words free: appending 1 byte to a 10-byte binary asks for 10 (its bytes,
    taken as words) + term_binary_heap_size(1) = 4, so 14: the block grows to
    20 + 14 + 16 = 50, keeping the source (2 + 3 words) although no register is live."""
    proc = new_proc(beam, 4, 20, 15)
    src = bytes(10)
    binaries._legacy_append(proc, src, 80, 88, 0, 0)
    assert (proc.gcs, proc.hsize, proc.hu) == (1, 20 + 14 + MIN_FREE, 5 + binary(11, 4))
    assert proc.x[0] is None                     # x[live] only held the root during the GC


def test_bs_append_asks_for_extra(beam: Path) -> None:
    # 13 words free: 14 asked for collects; with Extra 0 and 14 free it does not
    proc = new_proc(beam, 4, 28, 15)
    binaries._legacy_append(proc, bytes(10), 80, 88, 0, 0)
    assert proc.gcs == 1
    proc = new_proc(beam, 4, 29, 15)
    binaries._legacy_append(proc, bytes(10), 80, 88, 0, 0)
    assert (proc.gcs, proc.hu) == (0, 15 + binary(11, 4))
    proc = new_proc(beam, 4, 29, 15)
    binaries._legacy_append(proc, bytes(10), 80, 88, 1, 0)
    assert proc.gcs == 1


def test_bs_private_append_never_collects(beam: Path) -> None:
    """32-bit: appending 1 byte to 10 asks for 10 + 4 = 14 words with MEMORY_NO_GC: with 14
    free the 11-byte binary (5 words) goes on the heap; with 13 free (enough for the binary
    itself) a 14-word heap fragment is made instead."""
    proc = new_proc(beam, 4, 29, 15)
    binaries._legacy_private_append(proc, 80, 88)
    assert (proc.gcs, proc.hu, proc.frag) == (0, 15 + 5, 0)
    proc = new_proc(beam, 4, 28, 15)
    binaries._legacy_private_append(proc, 80, 88)
    assert (proc.gcs, proc.hu, proc.frag) == (0, 15, 14)


# ----------------------------------------------------------------------------- without the model

CHARGES = ("c.hu", "BS_HBUILD", "BS_LINIT", "BS_LAPPEND", "BS_LPAPPEND", "refc.created")
"""What the generated code of the legacy instructions uses to charge the heap."""


def test_without_the_heap_model_the_code_has_no_charges(
        beam: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AVMSIM_DUMP_CODE", str(tmp_path))   # the loader writes the code there
    for model in (True, False):
        monkeypatch.setattr(heap, "MODEL", model)
        vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=4)
        vm.get_module(vm.add_beam(beam.read_bytes(), str(beam)))
        code = (tmp_path / "legacy.py").read_text()
        used = {name for name in CHARGES if name in code}
        assert used == (set(CHARGES) if model else set())


def test_without_the_heap_model_nothing_is_charged(beam: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "MODEL", False)
    (value, memory), proc = run(beam, "with_mem", [5], 4)
    assert len(value) == 100 and memory == 0 and proc.hu == 0
    value, proc = run(beam, "acc", [from_list(list(range(1, 41))), b""], 4)
    assert value == bytes(range(1, 41)) and proc.hu == 0 and proc.gcs == 0
    value, proc = run(beam, "comp", [from_list(list(range(40)))], 4)
    assert value == bytes(range(40)) and proc.hu == 0 and proc.frag == 0
