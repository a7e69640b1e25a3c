"""Literal operands on a board with RAM, and which binaries are literals.

Facts §2: AtomVM decodes a non-immediate literal into a fresh heap fragment at every use, a
malloc of ``sizeof(HeapFragment)`` + its words, freed by the process's next GC; every binary
in a literal is a 6-word const refc binary.
"""
from __future__ import annotations

import copy
from pathlib import Path

from avmsim.boards import get_board
from avmsim.clock import VirtualClock
from avmsim.ram import RamAllocator
from avmsim.simulation import Simulation
from avmsim.vm.heap_growth import block_bytes
from avmsim.vm.literal_binaries import is_literal
from avmsim.vm.term_size import LAYOUT_32, literal_words
from avmsim.vm.terms import atom, from_list
from avmsim.vm.vm import VM
from helpers import compile_erl

MS = 1_000_000

USES = """
-module(uses).
-export([start/0]).
-define(NAP, receive after 1000 -> ok end).
%% Between two checkpoints (a 1 s sleep each) the process uses literals and nothing else:
%% no GC point, no other malloc. Nap k ends at about k seconds. The naps are inline: a
%% function's allocate would be a GC point, and with fragments present AtomVM collects there.
start() ->
    register(uses, self()),
    erlang:garbage_collect(),
    ?NAP,                                                   % 1: the baseline
    A = id({a, <<"xy">>, [1, 2, 3]}), ?NAP,                 % 2: one use of the tuple
    B = id([4, 5, 6]), ?NAP,                                % 3: one use of the list
    C = two({a, <<"xy">>, [1, 2, 3]}, [4, 5, 6]), ?NAP,     % 4: two literals, one block
    erlang:garbage_collect(), ?NAP,                         % 5: after a GC
    {A, B, C}.
id(X) -> X.
two(X, Y) -> {X, Y}.
"""

TUPLE = (atom("a"), b"xy", from_list([1, 2, 3]))
LIST = from_list([4, 5, 6])


def _literal_blocks(sim: Simulation, name: str) -> list[int]:
    """The literal fragments the process registered as ``name`` holds, in malloc order."""
    proc = sim.vm.process(atom(name))
    ram = sim.machine.ram
    return [b for b in proc.ram_blocks[2:] if ram.tag_of(b) == "literal"]


def _mallocs(ram: RamAllocator, sizes: list[int]) -> tuple[list[int], int]:
    """What mallocs of ``sizes`` bytes would give on a copy of ``ram`` as it is now: their
    addresses and the bytes they take, the allocator's own overhead included."""
    probe = copy.deepcopy(ram)
    addresses = [probe.allocate(size, "probe") for size in sizes]
    return addresses, sum(probe.footprint(a) for a in addresses)


def test_each_literal_use_mallocs_a_fragment_that_the_next_gc_frees(tmp_path: Path) -> None:
    tuple_words, list_words = literal_words(TUPLE, LAYOUT_32), literal_words(LIST, LAYOUT_32)
    assert (tuple_words, list_words) == (16, 6), "3 + 1 words, a 6-word const binary, 3 cells"
    # nap -> the literal uses just before it, in instruction order (erlc moves the list
    # into x1 before the tuple into x0)
    uses = {2: [tuple_words], 3: [list_words], 4: [list_words, tuple_words]}
    sim = Simulation(get_board("esp32-devkit"), [str(compile_erl(tmp_path, "uses", USES))])
    ram = sim.machine.ram
    sim.run(until_ns=500 * MS)                                # in nap 1
    assert _literal_blocks(sim, "uses") == []
    held: list[int] = []
    for nap, words in uses.items():
        expected, taken = _mallocs(ram, [block_bytes(w, 4) for w in words])
        used, frag = ram.used_bytes, sim.vm.process(atom("uses")).frag
        sim.run(until_ns=(nap - 1) * 1000 * MS + 500 * MS)    # in nap `nap`
        held += expected
        assert _literal_blocks(sim, "uses") == held, "one malloc of each size, in use order"
        assert ram.used_bytes - used == taken
        assert sim.vm.process(atom("uses")).frag - frag == sum(words)
    literal_bytes = ram.used_by_tag()["literal"]
    held_bytes = sum(ram.footprint(b) for b in held)
    sim.run(until_ns=4500 * MS)                               # in nap 5, after a GC
    proc = sim.vm.process(atom("uses"))
    assert (proc.frag, len(proc.ram_blocks)) == (0, 2), "only the Context and the heap left"
    assert ram.used_by_tag().get("literal", 0) == literal_bytes - held_bytes


EXITS = """
-module(exits).
-export([start/0]).
%% The holder's frame is allocated before the literal use and it waits in place: no GC point
%% (with fragments present, AtomVM would collect at an allocate).
start() ->
    Pid = spawn(fun() ->
                        register(holder, self()),
                        Held = id({a, <<"xy">>, [1, 2, 3]}),
                        receive stop -> exit({normal, Held}) end
                end),
    receive after 1000 -> ok end,                       % 1: the holder has its fragment
    Pid ! stop,
    receive after 1000 -> ok end.                       % 2: the holder has exited
id(X) -> X.
"""


def test_an_exiting_process_gives_its_fragments_back(tmp_path: Path) -> None:
    sim = Simulation(get_board("esp32-devkit"), [str(compile_erl(tmp_path, "exits", EXITS))])
    ram = sim.machine.ram
    sim.run(until_ns=500 * MS)
    [block] = _literal_blocks(sim, "holder")
    literal_bytes, held_bytes = ram.used_by_tag()["literal"], ram.footprint(block)
    sim.run(until_ns=1500 * MS)
    assert sim.vm.process(atom("holder")) is None
    assert ram.used_by_tag().get("literal", 0) == literal_bytes - held_bytes, \
        "freed when the process exited, without a GC"


GREEDY = """
-module(greedy).
-export([start/0]).
%% The loop has no GC point (no frame, builds nothing): every use of the literal leaves its
%% fragment until the RAM runs out. The process cannot collect then (the new block would be
%% as large as its fragments), so it exits, which frees them. Nobody monitors it: its 'DOWN'
%% would need a GC with the RAM still full, where AtomVM aborts the VM (test_oom_record).
start() ->
    spawn(fun greedy/0),
    wait(greedy).
wait(Name) ->
    receive after 100 -> ok end,
    case whereis(Name) of undefined -> gone; _ -> wait(Name) end.
greedy() ->
    register(greedy, self()),
    R = try loop(0, []) catch error:out_of_memory -> out_of_memory end,
    receive after 1000 -> exit(R) end.                  % the fragments are counted here
loop(100000, _) -> no_oom;
loop(N, _) -> loop(N + 1, [1, 2, 3, 4, 5, 6, 7, 8]).
"""


def _run_out(beam: str, max_ram: int) -> tuple[int, int, int]:
    """(fragments of the loop held when the malloc failed, allocator's free bytes, largest
    free block); the greedy process must then end, and start/0 with it."""
    sim = Simulation(get_board("esp32-devkit"), [beam], max_ram=max_ram)
    sim.run(until_ns=500 * MS)
    proc = sim.vm.process(atom("greedy"))
    ram = sim.machine.ram
    held = [b for b in proc.ram_blocks[2:] if ram.tag_of(b) == "literal"]
    figures = len(held), ram.free_bytes, ram.largest_free_block
    outcome = sim.run()
    assert (outcome.why, outcome.value) == ("returned", atom("gone"))
    return figures


def test_literal_fragments_run_out_of_ram_at_the_same_point(tmp_path: Path) -> None:
    beam = str(compile_erl(tmp_path, "greedy", GREEDY))
    first, again = _run_out(beam, 96 * 1024), _run_out(beam, 96 * 1024)
    assert first == again, "the same malloc fails on every run"
    held, _, largest = first
    assert held > 100, "the loop ran until the board's RAM was full"
    assert largest < block_bytes(16, 4), "no block is left for another fragment"
    smaller, _, _ = _run_out(beam, 64 * 1024)
    assert smaller < held - 200, "32 KiB less is about 32768 / 76 = 431 fragments fewer"


LITERALS = """
-module(lits).
-export([start/0]).
start() ->
    put(s, "xy"),
    S = get(s),                                 % opaque to the compiler: nothing folds
    X = hd(S),
    {<<"xy">>, {t, [<<"ab">>]}, <<"x">>, list_to_binary(S), <<"y", X>>,
     binary:part(list_to_binary(S), 0, 1)}.
"""


def test_is_literal_tells_module_literals_from_binaries_built_at_run_time(
        tmp_path: Path) -> None:
    vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=4)
    name = vm.add_beam(compile_erl(tmp_path, "lits", LITERALS).read_bytes(), "lits.beam")
    lit, nested, one_byte, built, built_two, built_one_byte = vm.run(
        vm.spawn_start(name, atom("start"), []))
    assert lit == built == b"xy" and built_two == b"yx"
    assert is_literal(lit)
    assert is_literal(nested[1].hd), "a binary inside a literal tuple and list"
    assert not is_literal(built)
    assert not is_literal(built_two)
    # CPython hands out one object per 1-byte value: the slice is the literal's object, so
    # 1-byte literals cannot be listed (they count as heap binaries)
    assert built_one_byte is one_byte
    assert not is_literal(built_one_byte)
