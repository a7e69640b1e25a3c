"""ETS tables take their memory from the board's RAM, as AtomVM's do (vm/ets_ram.py).

AtomVM's ets.c / ets_hashtable.c: ``ets:new`` mallocs a ``struct EtsTable`` (48 bytes on
32-bit) and a ``struct EtsHashTable`` (68); each stored key an ``HNode`` (7 words) and the
heap its entry is copied into (``memory_init_heap``: 2-word fragment header + the entry's
words). Bags keep one node per key holding the list of its objects (+2 words a cons).

The Erlang programs measure the free heap around ETS calls only: their objects are built
and the process collected (no heap fragment left) before the first reading, so no GC point
and no other malloc happens in between.
"""
from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers import avmsim, compile_erl

from avmsim.boards import get_board
from avmsim.ram import RamAllocator, Region
from avmsim.simulation import Simulation
from avmsim.vm.errors import ErlangError
from avmsim.vm.ets_ram import TableRam
from avmsim.vm.nifs.ets_nifs import SetStore
from avmsim.vm.ram_charges import RamCharges
from avmsim.vm.refc_binaries import RefcBinaries
from avmsim.vm.term_size import LAYOUT_32
from avmsim.vm.terms import atom

MS = 1_000_000
TABLE_STRUCTS_32 = (48, 68)
HNODE_32 = 28


def _footprint(size: int, board: str = "esp32-devkit") -> int:
    """What one malloc of ``size`` bytes takes from a fresh allocator of the board: the
    block and the allocator's own overhead."""
    ram = RamAllocator.for_board(get_board(board))
    return ram.footprint(ram.allocate(size, "probe"))


def _node(words: int) -> int:
    """Footprint of one stored entry of ``words`` words: its HNode and its heap block."""
    return _footprint(HNODE_32) + _footprint(4 * (words + 2))


def _table() -> int:
    return sum(_footprint(size) for size in TABLE_STRUCTS_32)


def _numbers(result: subprocess.CompletedProcess) -> list[int]:
    assert result.returncode == 0, result.stderr
    return [int(n) for n in result.stdout.strip().strip("[]").split(",")]


def _simulate(tmp_path: Path, name: str, source: str, board: str = "esp32-devkit",
              until_ms: int = 100) -> Simulation:
    sim = Simulation(get_board(board), [str(compile_erl(tmp_path, name, source))])
    sim.run(until_ns=until_ms * MS)
    return sim


SET = """
-module(set_ram).
-export([start/0]).
start() ->
    run(hide([named_table]), hide({1, 2}), hide({1, 3}), hide({1, [a, b, c]}),
        hide([{2, x}, {3, y}, {4, z}])).
%% a term built at run time: the compiler would otherwise pass the literals on to the
%% inserts, whose literal fragments would take RAM between the measures
hide(T) -> binary_to_term(term_to_binary(T)).
run(Opts, A, B, C, L) ->
    erlang:garbage_collect(),
    F0 = erlang:system_info(esp32_free_heap_size),
    t = ets:new(t, Opts),
    F1 = erlang:system_info(esp32_free_heap_size), M1 = ets:info(t, memory),
    true = ets:insert(t, A),
    F2 = erlang:system_info(esp32_free_heap_size), M2 = ets:info(t, memory),
    true = ets:insert(t, B),
    F3 = erlang:system_info(esp32_free_heap_size),
    true = ets:insert(t, C),
    F4 = erlang:system_info(esp32_free_heap_size),
    true = ets:insert(t, L),
    F5 = erlang:system_info(esp32_free_heap_size),
    true = ets:delete(t, 1),
    F6 = erlang:system_info(esp32_free_heap_size),
    true = ets:delete_all_objects(t),
    F7 = erlang:system_info(esp32_free_heap_size),
    true = ets:delete(t),
    F8 = erlang:system_info(esp32_free_heap_size),
    io:format("~w~n", [[F0 - F1, F1 - F2, F2 - F3, F3 - F4, F4 - F5, F5 - F6, F6 - F7,
                        F7 - F8, F0 - F8, M1, M2]]).
"""


def _run_recording(tmp_path: Path, name: str, source: str,
                   monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[tuple[str, int]]]:
    """Run ``source`` on esp32-devkit; its console and the ETS allocator calls, in order:
    ("malloc", bytes asked for) and ("free", bytes the block took)."""
    calls: list[tuple[str, int]] = []
    allocate, free = RamAllocator.allocate, RamAllocator.free

    def recording_allocate(ram: RamAllocator, size: int, tag: str,
                           detail: str | None = None) -> int:
        if tag.startswith("ets:"):
            calls.append(("malloc", size))
        return allocate(ram, size, tag, detail)

    def recording_free(ram: RamAllocator, address: int) -> None:
        if ram.tag_of(address).startswith("ets:"):
            calls.append(("free", ram.footprint(address)))
        free(ram, address)

    monkeypatch.setattr(RamAllocator, "allocate", recording_allocate)
    monkeypatch.setattr(RamAllocator, "free", recording_free)
    sim = Simulation(get_board("esp32-devkit"), [str(compile_erl(tmp_path, name, source))])
    console = bytearray()
    sim.devices.console.add_sink(console.extend)
    sim.run(until_ns=100 * MS)
    return console.decode(), calls


def _mallocs(calls: list[tuple[str, int]]) -> list[int]:
    return [size for kind, size in calls if kind == "malloc"]


def test_a_set_table_and_its_objects_take_and_give_back_exact_blocks(tmp_path: Path) -> None:
    (new, first, same, bigger, three, delete, clear, drop, net, m_empty, m_one) = _numbers(
        avmsim("--headless", str(compile_erl(tmp_path, "set_ram", SET))))
    # the allocator's footprints depend on the holes a block lands in; the sizes asked for
    # are checked in the next test, these figures where they do not depend on the holes
    assert new == _table(), "EtsTable 48 B + EtsHashTable 68 B, allocator overhead included"
    assert first > 0 and bigger > 0 and three > 0 and delete < 0 and clear < 0
    assert drop == -_table() and net == 0, "deleting the table gives every byte back"
    assert m_empty == (48 + 68) // 4, "info(T, memory): words, the structs"
    assert m_one == m_empty + 7 + 3 + 2, "an HNode and its heap block (header included)"


def test_a_set_table_asks_for_atomvm_sizes(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _, calls = _run_recording(tmp_path, "set_ram", SET, monkeypatch)
    node3, node9 = [HNODE_32, 4 * (3 + 2)], [HNODE_32, 4 * (9 + 2)]
    assert _mallocs(calls) == (list(TABLE_STRUCTS_32) + node3    # new, insert {1, 2}
                               + node3                           # {1, 3} replaces it
                               + node9                           # {1, [a, b, c]} replaces it
                               + [3 * 4] + 3 * node3)            # a list: pointer array first
    frees = [kind for kind, _ in calls].count("free")
    assert frees == len(_mallocs(calls)), "every block is given back"


BAG = """
-module(bag_ram).
-export([start/0]).
start() ->
    [run(Type, hide({k, 1}), hide({k, 2})) || Type <- [bag, duplicate_bag]],
    ok.
hide(T) -> binary_to_term(term_to_binary(T)).
run(Type, A, B) ->
    T = ets:new(b, [Type]),
    erlang:garbage_collect(),
    F0 = erlang:system_info(esp32_free_heap_size),
    true = ets:insert(T, A),
    F1 = erlang:system_info(esp32_free_heap_size),
    true = ets:insert(T, B),
    F2 = erlang:system_info(esp32_free_heap_size),
    true = ets:insert(T, A),
    F3 = erlang:system_info(esp32_free_heap_size),
    true = ets:delete_object(T, B),
    F4 = erlang:system_info(esp32_free_heap_size),
    true = ets:delete(T, k),
    F5 = erlang:system_info(esp32_free_heap_size),
    io:format("~w~n", [[F0 - F1, F1 - F2, F2 - F3, F3 - F4, F4 - F5, F0 - F5]]),
    ets:delete(T).
"""


def test_a_bag_key_is_one_node_rebuilt_around_its_list(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    console, calls = _run_recording(tmp_path, "bag_ram", BAG, monkeypatch)
    bag, dup = ([int(n) for n in line.strip("[]").split(",")] for line in console.split())
    assert bag[2] == 0 and bag[-1] == 0 and dup[-1] == 0, \
        "a bag ignores a repeated object; everything is given back"
    one, two, three = ([HNODE_32, 4 * (w + 2)] for w in (5, 10, 15))  # object 3 + cons 2
    table = list(TABLE_STRUCTS_32)
    assert _mallocs(calls) == (
        table + one + two + one                 # bag: {k,1}, {k,2}; delete_object {k,2}
        + table + one + two + three + two), \
        "each insert or delete_object rebuilds the key's node around its list"


ORDERED = """
-module(ordered_ram).
-export([start/0]).
start() ->
    run(hide({1, a}), hide({1.0, b})).
hide(T) -> binary_to_term(term_to_binary(T)).
run(A, B) ->
    T = ets:new(o, [ordered_set]),
    erlang:garbage_collect(),
    F0 = erlang:system_info(esp32_free_heap_size),
    true = ets:insert(T, A),
    F1 = erlang:system_info(esp32_free_heap_size),
    true = ets:insert(T, B),
    F2 = erlang:system_info(esp32_free_heap_size),
    true = ets:delete(T, 1),
    F3 = erlang:system_info(esp32_free_heap_size),
    io:format("~w~n", [[F0 - F1, F1 - F2, F2 - F3, ets:info(T, size)]]).
"""


def test_ordered_set_keys_equal_by_value_share_one_node(tmp_path: Path) -> None:
    got = _numbers(avmsim("--headless", str(compile_erl(tmp_path, "ordered_ram", ORDERED))))
    # {1.0, b}: a tuple of 3 words and a 3-word float replaces {1, a}; 1 == 1.0 deletes it
    assert got == [_node(3), _node(6) - _node(3), -_node(6), 0]


OWNER = """
-module(owner_ram).
-export([start/0]).
start() ->
    Heir = spawn(fun() -> receive stop -> ok end end),
    spawn(fun() -> own(owned, []) end),
    spawn(fun() -> own(inherited, [{heir, Heir, gift}]) end),
    receive after 1000 -> ok end,
    [P ! stop || P <- [whereis(owned), whereis(inherited)]],
    receive after 1000 -> ok end,
    Heir ! stop,
    receive after 1000 -> ok end.
own(Name, Opts) ->
    register(Name, self()),
    T = ets:new(Name, Opts),
    true = ets:insert(T, [{I, I} || I <- lists:seq(1, 10)]),
    receive stop -> ok end.
"""


def _blocks(sim: Simulation, name: str) -> list[int]:
    """Addresses of the blocks the table ``name`` holds: its structs, its nodes' blocks."""
    table = next(t for t in sim.vm.ets_registry.by_ref.values() if t.name is atom(name))
    return table.ram.blocks + [b for node in table.ram.nodes.values() for b in node.blocks]


def test_an_owner_exit_frees_its_tables_unless_an_heir_takes_them(tmp_path: Path) -> None:
    sim = _simulate(tmp_path, "owner_ram", OWNER, until_ms=500)
    ram = sim.machine.ram
    tags = ram.used_by_tag
    for name in ("owned", "inherited"):
        blocks = _blocks(sim, name)
        assert len(blocks) == 2 + 10 * 2
        assert tags()[f"ets:{name}"] == sum(ram.footprint(b) for b in blocks)
        asked = [48, 68] + [HNODE_32, 4 * (3 + 2)] * 10
        assert all(ram.block_size(b) >= size for b, size in zip(blocks, asked)), \
            "in order: EtsTable, EtsHashTable, then each object's HNode and heap"
    inherited = tags()["ets:inherited"]
    sim.run(until_ns=1500 * MS)
    assert "ets:owned" not in tags(), "the owner exited: the table and its objects are freed"
    assert tags().get("ets:inherited") == inherited, "the heir owns it now"
    sim.run(until_ns=2500 * MS)
    assert not [t for t in tags() if t.startswith("ets:")]


FILL = """
-module(fill).
-export([start/0]).
%% Stores 21-word objects until the board's RAM runs out; then (between two naps, when the
%% test looks at the allocator) tries an overwrite, a list and one more key. The objects
%% are made by update_counter from a default built beforehand, so that the process's heap
%% does not grow meanwhile: the first malloc to fail is an ETS one.
start() ->
    T = ets:new(fill, [set]),
    Default = erlang:make_tuple(20, 0),
    More = [erlang:make_tuple(20, x), erlang:make_tuple(20, y)],
    N = fill(T, 0, Default),
    nap(),
    R = [store(T, 0, Default), insert(T, More), store(T, N, Default)],
    nap(),
    S = ets:info(T, size),
    true = ets:delete(T),
    io:format("~w ~w ~w~n", [N, S, R]).
fill(T, N, Default) ->
    case store(T, N, Default) of
        ok -> fill(T, N + 1, Default);
        out_of_memory -> N
    end.
store(T, Key, Default) ->
    try ets:update_counter(T, Key, 1, Default) of _ -> ok
    catch error:out_of_memory -> out_of_memory end.
insert(T, Objs) ->
    try ets:insert(T, Objs) of true -> ok catch error:out_of_memory -> out_of_memory end.
nap() -> receive after 1000 -> ok end.
"""


def test_inserting_until_ram_runs_out_fails_at_the_same_insert(tmp_path: Path) -> None:
    beam = str(compile_erl(tmp_path, "fill", FILL))
    runs = [avmsim("--headless", beam).stdout for _ in range(2)]
    assert runs[0] == runs[1], "the same insert fails on every run"
    count, size, attempts = runs[0].split()
    assert int(size) == int(count), "every insert before the failure is in the table"
    assert attempts == "[out_of_memory,out_of_memory,out_of_memory]", \
        "full: no new key, no list, and no overwrite (its node is built before the old goes)"
    per_object = _node(21)
    assert 250_000 // per_object < int(count) < 300_000 // per_object
    smaller = int(avmsim("--headless", "--max-ram", "200K", beam).stdout.split()[0])
    board = get_board("esp32-devkit")
    cut = (RamAllocator.for_board(board).budget
           - RamAllocator.for_board(board, max_ram=200 * 1024).budget)
    assert abs(int(count) - smaller - cut // per_object) <= 1, "--max-ram: that many fewer"


def test_a_failed_insert_takes_no_block_and_changes_no_object(tmp_path: Path) -> None:
    sim = _simulate(tmp_path, "fill", FILL, until_ms=500)
    ram = sim.machine.ram
    table = next(iter(sim.vm.ets_registry.by_ref.values()))
    before = (ram.free_bytes, ram.used_by_tag()["ets:fill"], table.store.objects())
    assert before[1] == _table() + sum(ram.footprint(b) for n in table.ram.nodes.values()
                                       for b in n.blocks)
    sim.run(until_ns=1500 * MS)
    assert (ram.free_bytes, ram.used_by_tag()["ets:fill"], table.store.objects()) == before


def _vm_with_a_hole(hole_blocks: int, table: bool) -> tuple[SimpleNamespace, RamAllocator]:
    """A VM whose RAM is a 2 KiB ESP32 heap (with a table made first when ``table``), filled
    with 12-byte blocks (16 with the TLSF header), then ``hole_blocks`` adjacent ones freed:
    the only room left is one block of 16 * hole_blocks - 4 bytes."""
    ram = RamAllocator([Region("dram", 0x3FFB_0000, 2048)], "esp-idf-tlsf")
    vm = SimpleNamespace(charges=RamCharges(ram, 4), refc=RefcBinaries(LAYOUT_32, None),
                         word_size=4, layout=LAYOUT_32)
    vm.table = TableRam(vm, "x", False) if table else None
    fillers = []
    while ram.largest_free_block:
        fillers.append(ram.allocate(12, "filler"))
    for address in fillers[:hole_blocks]:
        ram.free(address)
    return vm, ram


def _outcome(ram: RamAllocator, make: Callable[[], object], first: int) -> str:
    """``fits``, or, when ``make()`` ran out of RAM (leaving every block as it was), whether
    its ``first`` block alone would have fitted (``partial``: it was taken and given back)
    or not (``none``)."""
    free, tagged = ram.free_bytes, ram.used_by_tag().get("ets:x")
    try:
        make()
    except ErlangError as e:
        assert e.reason is atom("out_of_memory")
        assert (ram.free_bytes, ram.used_by_tag().get("ets:x")) == (free, tagged)
        return "partial" if ram.largest_free_block >= first else "none"
    return "fits"


def test_a_table_or_an_object_that_does_not_fit_takes_nothing() -> None:
    """Holes of 4-7 blocks (60-108 bytes) take the EtsTable (48) but not then the
    EtsHashTable (68); 28- and 44-byte holes take an HNode (28) but not then its heap (20):
    what was taken is given back."""
    outcomes = []
    for hole in range(10):
        vm, ram = _vm_with_a_hole(hole, table=False)
        outcomes.append(_outcome(ram, lambda vm=vm: TableRam(vm, "x", False), 48))
    assert outcomes == ["none"] * 4 + ["partial"] * 4 + ["fits"] * 2
    outcomes = []
    for hole in range(5):
        vm, ram = _vm_with_a_hole(hole, table=True)
        outcomes.append(_outcome(
            ram, lambda table=vm.table: table.insert(SetStore(1), [(1, 2)], False), 28))
    assert outcomes == ["none"] * 2 + ["partial"] * 2 + ["fits"]


REFC = """
-module(refc_ram).
-export([start/0]).
start() ->
    T = ets:new(t, [public]),
    Self = self(),
    spawn(fun() ->
              B = binary:copy(<<"0123456789">>, 10),
              true = ets:insert(T, [{k, B}, {j, B}]),
              Self ! stored
          end),
    receive stored -> ok end,
    receive after 10 -> ok end,
    erlang:garbage_collect(),
    M1 = erlang:memory(binary),
    true = ets:delete(T, k),
    M2 = erlang:memory(binary),
    true = ets:insert(T, {j, other}),
    M3 = erlang:memory(binary),
    io:format("~w~n", [[M1, M2, M3]]).
"""


def test_a_stored_refc_binary_lives_until_its_last_object_goes(tmp_path: Path) -> None:
    got = _numbers(avmsim("--headless", str(compile_erl(tmp_path, "refc_ram", REFC))))
    assert got == [100, 100, 0], \
        "the storing process exited and collected: the table's two objects keep it"


TAKE = """
-module(take_ram).
-export([start/0]).
%% Naps of 100 ms: 0-100 the table alone holds B, 100-200 the process alone holds the
%% copy it took, 200-300 nobody does.
start() ->
    register(take_ram, self()),
    T = ets:new(t, []),
    store(T),
    erlang:garbage_collect(),
    nap(),
    Size = use(T),
    erlang:garbage_collect(),
    nap(),
    Size.
store(T) ->
    B = binary:copy(<<"0123456789">>, 10),
    true = ets:insert(T, {k, B}).
use(T) ->
    [{k, C}] = ets:take(T, k),
    erlang:garbage_collect(),
    nap(),
    byte_size(C).
nap() -> receive after 100 -> ok end.
"""


def test_a_taken_object_hands_its_binary_to_the_caller(tmp_path: Path) -> None:
    sim = _simulate(tmp_path, "take_ram", TAKE, until_ms=50)
    binaries, tags = sim.vm.refc.total_bytes, sim.machine.ram.used_by_tag
    proc = sim.vm.process(atom("take_ram"))
    assert binaries() == 100 and not proc.refc, "the table alone holds B"
    sim.run(until_ns=150 * MS)
    assert tags()["ets:t"] == _table(), "the object left the table"
    assert binaries() == 100 and proc.refc, "the process holds the copy it took"
    sim.run(until_ns=250 * MS)
    assert binaries() == 0, "once the process drops it, the block is freed"


WIDE = """
-module(wide).
-export([start/0]).
start() ->
    T = ets:new(t, []),
    true = ets:insert(T, {1, 2}),
    register(wide, self()),
    receive stop -> T end.
"""


def test_the_64_bit_profile_doubles_every_pointer(tmp_path: Path) -> None:
    """generic_unix: EtsTable 80 B, EtsHashTable 136 B, HNode 56 B, 8-byte words; the host
    allocator counts bytes without overhead."""
    sim = _simulate(tmp_path, "wide", WIDE, board="generic-unix")
    assert sim.machine.ram.used_by_tag()["ets:t"] == 80 + 136 + 56 + 8 * (3 + 2)
    table = next(iter(sim.vm.ets_registry.by_ref.values()))
    assert table.ram.words() == (80 + 136) // 8 + 7 + 3 + 2
    sim.vm.send(None, atom("wide"), atom("stop"))
    sim.run(until_ns=200 * MS)
    assert "ets:t" not in sim.machine.ram.used_by_tag()
