"""What is built is charged where it is built (vm/heap.py, vm/ops, vm/nifs).

Each test runs one function in a process whose heap cannot collect (a 100000-word block
that is also its min_heap_size, so every GC target equals the block: memory.c skips the
GC) and reads the words charged to its young block (``hu``) and fragments (``frag``) when
it ends. Expected sizes are facts §5's (64-bit ``generic_unix`` unless said otherwise);
the natives' figures are what AtomVM's NIFs allocate for their results.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import compile_erl

from avmsim.clock import VirtualClock
from avmsim.vm.term_order import exact_eq
from avmsim.vm.terms import Map, atom, from_list, map_key
from avmsim.vm.vm import VM

SOURCE = """-module(charges).
-export([big/1, fdiv/2, small_bin/1, refc_bin/1, chars/1, tuple_of/1, rev/2, put/3,
         ref/0, literal/0, recv_in_frame/0, recv_then_call/0, add/2, assoc/1,
         exact/1]).
big(X) -> X * 1000000000000.
add(X, Y) -> X + Y.
fdiv(A, B) -> A / B.
small_bin(X) -> <<X:32, X:32>>.
refc_bin(X) -> <<X:800>>.
chars(N) -> integer_to_list(N).
tuple_of(L) -> list_to_tuple(L).
rev(L, T) -> lists:reverse(L, T).
put(K, V, M) -> maps:put(K, V, M).
ref() -> make_ref().
assoc(M) -> M#{a => 1}.
exact(M) -> M#{a := 1}.
literal() -> {a, [1, 2, 3]}.
recv_in_frame() ->
    X = receive M -> M end,
    _ = erlang:monotonic_time(),
    X.
recv_then_call() -> X = receive M -> M end, id(X).
id(X) -> X.
"""

NO_GC = 100_000


@pytest.fixture(scope="module")
def beam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_erl(tmp_path_factory.mktemp("charges"), "charges", SOURCE)


def run(beam: Path, function: str, args: list, word_size: int = 8,
        message: object = None) -> tuple[object, object]:
    """Run ``charges:function(args)`` on a heap that never collects; the result and the
    process (its ``hu``, ``frag``, ``gcs`` as the function left them)."""
    vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=word_size)
    name = vm.add_beam(beam.read_bytes(), str(beam))
    proc = vm.spawn(name, atom(function), args)
    proc.hsize = proc.min_heap = NO_GC
    proc.hu = 0
    if message is not None:
        vm.deliver(proc, message)
    return vm.run(proc), proc


def test_boxed_integer_results_are_charged(beam: Path) -> None:
    # 10^21 needs 70 bits: a bigint of 3 32-bit digits, 16 bytes, 2 words + header = 3
    assert run(beam, "big", [10 ** 9])[1].hu == 3
    # 10^12 is a small integer on 64-bit (60 bits): nothing is built
    assert run(beam, "big", [1])[1].hu == 0
    # on 32-bit, 10^12 is an int64: boxed in 3 words; 1 + 1 stays small
    assert run(beam, "big", [1], word_size=4)[1].hu == 3
    assert run(beam, "add", [1, 1], word_size=4)[1].hu == 0
    # 2^27 - 1 + 1 leaves the 28-bit small range: a 2-word boxed integer on 32-bit
    assert run(beam, "add", [2 ** 27 - 1, 1], word_size=4)[1].hu == 2


def test_float_results_are_charged(beam: Path) -> None:
    assert run(beam, "fdiv", [1, 3])[1].hu == 2               # 64-bit float
    assert run(beam, "fdiv", [1, 3], word_size=4)[1].hu == 3  # 32-bit, 64-bit float


def test_binaries_from_bs_create_bin(beam: Path) -> None:
    # 8 bytes: a heap binary, 2 + ceil(8/8) = 3 words (64-bit), 2 + 2 = 4 (32-bit)
    assert run(beam, "small_bin", [7])[1].hu == 3
    assert run(beam, "small_bin", [7], word_size=4)[1].hu == 4
    # 100 bytes: past both refc thresholds (64 / 32 bytes): 6 words on the heap
    assert run(beam, "refc_bin", [7])[1].hu == 6
    assert run(beam, "refc_bin", [7], word_size=4)[1].hu == 6


def test_natives_charge_their_results(beam: Path) -> None:
    value, proc = run(beam, "chars", [12345])
    assert proc.hu == 2 * 5                                   # "12345": 5 cells
    value, proc = run(beam, "tuple_of", [from_list([1, 2, 3])])
    assert value == (1, 2, 3) and proc.hu == 4
    # lists:reverse(L, T) copies L's 3 cells; T is shared
    value, proc = run(beam, "rev", [from_list([1, 2, 3]), from_list([4, 5])])
    assert exact_eq(value, from_list([3, 2, 1, 4, 5])) and proc.hu == 6
    assert run(beam, "ref", [])[1].hu == 2                    # a local ref, 64-bit
    assert run(beam, "ref", [], word_size=4)[1].hu == 3


def test_map_put_shares_the_keys_tuple_of_an_existing_key(beam: Path) -> None:
    existing = run(beam, "put", [atom("a"), 1, _map({"a": 0, "b": 0})])[1]
    fresh = run(beam, "put", [atom("c"), 1, _map({"a": 0, "b": 0})])[1]
    assert existing.hu == 2 + 2                               # shared keys: 2 + n
    assert fresh.hu == 3 + 2 * 3                              # new keys tuple: 3 + 2n


def test_map_instructions_charge_the_new_map(beam: Path) -> None:
    # put_map_assoc adding a key: a new keys tuple, 3 + 2·3 words
    assert run(beam, "assoc", [_map({"b": 0, "c": 0})])[1].hu == 3 + 2 * 3
    # updating existing keys (assoc or exact): the keys tuple is shared, 2 + 2 words
    assert run(beam, "assoc", [_map({"a": 0, "b": 0})])[1].hu == 2 + 2
    assert run(beam, "exact", [_map({"a": 0, "b": 0})])[1].hu == 2 + 2


def _map(pairs: dict[str, int]) -> Map:
    return Map({map_key(atom(k)): (atom(k), v) for k, v in pairs.items()})


def test_literals_are_decoded_into_fragments(beam: Path) -> None:
    value, proc = run(beam, "literal", [])
    assert exact_eq(value, (atom("a"), from_list([1, 2, 3])))
    assert proc.frag == 3 + 2 * 3 and proc.hu == 0            # no 2-word header counted


def test_deallocate_collects_when_fragments_exist(beam: Path) -> None:
    msg = (atom("m"), from_list([1, 2]))
    # the message becomes a 7 + 3-word fragment; deallocate then forces a GC, which
    # merges it (the process could not collect before: its heap is min_heap_size)
    value, proc = run(beam, "recv_in_frame", [], message=msg)
    assert exact_eq(value, msg) and proc.frag == 0 and proc.gcs == 1
    # call_last pops the frame without a GC point (and id/1 has no frame): it stays
    value, proc = run(beam, "recv_then_call", [], message=msg)
    assert exact_eq(value, msg) and proc.frag == 7 + 3 and proc.gcs == 0


def test_native_gc_point_collects_before_building(beam: Path) -> None:
    """A native's ensure happens before its result exists: a GC there does not keep it."""
    vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=8)
    name = vm.add_beam(beam.read_bytes(), "charges")
    proc = vm.spawn(name, atom("chars"), [1])
    assert (proc.hsize, proc.hu) == (8, 0)
    chars = vm.natives[("erlang", "integer_to_list", 1)]
    assert exact_eq(chars(proc, 10 ** 9), from_list([ord(c) for c in "1000000000"]))
    # 10 digits need 20 words > 8 free: bounded_free GC into 8 + 20 + 16 = 44 with
    # nothing live, then the 20 words are built
    assert (proc.hsize, proc.hu, proc.gcs) == (44, 20, 1)
