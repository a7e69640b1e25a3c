"""Refc binaries built by natives get their off-heap blocks, wherever they are in the result.

Facts §5: a binary of 32 bytes or more (64 on generic_unix) keeps its bytes in an off-heap
block of 20 + n bytes, malloc'ed where it is built; ``erlang:memory(binary)`` is the sum of
the live ones. A native builds such a binary as its result or inside it (``binary_to_term``
copies every binary it decodes, externalterm.c; ``unicode:characters_to_binary`` builds the
converted part of its error tuple). Slices are not new binaries: AtomVM makes 4-word
sub-binaries of a refc source (``binary:split``, ``split_binary``, ``binary:part``, term.h
``term_maybe_create_sub_binary``), and a literal, or an argument handed back whole, is the
argument's binary (a literal is a const binary in flash): none of them gets a block.
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from avmsim.boards import get_board
from avmsim.simulation import Simulation
from avmsim.vm.refc_binaries import RefcBinaries
from avmsim.vm.term_size import LAYOUT_32
from avmsim.vm.terms import atom, from_list, map_key

from helpers import avmsim, compile_erl


def ext_literal(*binaries: bytes) -> str:
    """Erlang source of a literal: ``term_to_binary`` of the tuple of ``binaries``."""
    parts = ["131", "104", str(len(binaries))]
    for b in binaries:
        parts += ["109", *(str(x) for x in len(b).to_bytes(4, "big")), f'"{b.decode()}"']
    return f"<<{','.join(parts)}>>"


DECODE = f"""
-module(decode).
-export([start/0, child/1]).
-define(EXT, {ext_literal(b"a" * 100, b"b" * 100)}).
start() ->
    spawn_opt(?MODULE, child, [self()], [{{atomvm_heap_growth, fibonacci}},
                                         {{min_heap_size, 987}}]),
    receive {{done, R}} -> io:format("~w~n", [R]) end.
%% Each phase is published in the dictionary and held for a second, so that the test
%% reads the board's RAM between them; nothing but the natives allocates in between (the
%% fibonacci heap of 987 words neither grows nor shrinks, a known key takes no new entry).
child(Parent) ->
    register(child, self()),
    put(phase, starting),
    erlang:garbage_collect(),
    M0 = erlang:memory(binary),
    put(phase, before), timer:sleep(1000),
    {{Sizes, M1}} = decode(),
    %% T is dropped; with the heap at its minimum size, only a fragment (a received
    %% message) makes erlang:garbage_collect() collect
    self() ! collect,
    receive collect -> erlang:garbage_collect() end,
    M2 = erlang:memory(binary),
    put(phase, collected), timer:sleep(1000),
    Parent ! {{done, [M0, M1, M2 | Sizes]}}.
decode() ->
    T = binary_to_term(?EXT),
    M = erlang:memory(binary),
    put(phase, holding), timer:sleep(1000),
    {{[byte_size(element(1, T)), byte_size(element(2, T))], M}}.
"""


def run_to_phase(sim: Simulation, phase: str) -> None:
    """Run the board, a millisecond at a time, until the child has published ``phase``."""
    key = map_key(atom("phase"))
    now = sim.now_ns()
    for _ in range(5000):
        child = sim.vm.process(atom("child"))
        entry = child.pdict.get(key) if child is not None else None
        if entry is not None and entry[1] is atom(phase):
            return
        now += 1_000_000
        sim.run(until_ns=now)
    raise AssertionError(f"the child never reached {phase}")


def test_binary_to_term_gives_each_decoded_binary_its_block(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "decode", DECODE)
    sim = Simulation(get_board("esp32-devkit"), [str(beam)])
    out: list[bytes] = []
    sim.devices.console.add_sink(out.append)
    ram = sim.machine.ram
    run_to_phase(sim, "before")
    free_before, binary_before = ram.free_bytes, ram.used_by_tag().get("binary", 0)
    assert sim.vm.refc.total_bytes() == 0
    run_to_phase(sim, "holding")
    entries = list(sim.vm.refc.table.values())
    assert sorted(e.data for e in entries) == [b"a" * 100, b"b" * 100]
    assert all(ram.block_size(e.block) >= 20 + 100 for e in entries), "20 + n bytes each"
    footprints = sum(ram.footprint(e.block) for e in entries)
    assert ram.used_by_tag()["binary"] - binary_before == footprints
    assert free_before - ram.free_bytes == footprints, "nothing else was allocated"
    run_to_phase(sim, "collected")
    assert sim.vm.refc.table == {} and ram.used_by_tag().get("binary", 0) == binary_before
    sim.run()
    # erlang:memory(binary): 0, then the two decoded binaries, then 0 once dropped
    assert b"".join(out).endswith(b"[0,200,0,100,100]\n")


SLICES = """
-module(slices).
-export([start/0]).
start() ->
    B = list_to_binary([lists:duplicate(100, $a), $|, lists:duplicate(100, $b)]),
    M0 = erlang:memory(binary),
    {P1, P2} = split_binary(B, 100),
    [Q1, Q2] = binary:split(B, <<"|">>),
    R1 = binary:part(B, 0, 100),
    R2 = binary_part(B, {101, 100}),
    M1 = erlang:memory(binary),
    io:format("~w~n", [[M0, M1 | [byte_size(X) || X <- [P1, P2, Q1, Q2, R1, R2]]]]).
"""


def test_slices_of_a_refc_binary_are_sub_binaries_without_blocks(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "slices", SLICES)
    result = avmsim("--headless", str(beam))
    assert result.returncode == 0, result.stderr
    # only B (201 bytes) has a block: every part of 100 or 101 bytes refers into it
    assert result.stdout == "[201,201,100,101,100,100,100,100]\n"


SHARED = f"""
-module(shared).
-export([start/0]).
-define(LIT, <<"{"x" * 100}">>).
start() ->
    R1 = iolist_to_binary(?LIT),
    R2 = os:getenv("AVMSIM_NO_SUCH_VARIABLE", ?LIT),
    [R3] = binary:split(?LIT, <<"|">>),
    R4 = binary:part(?LIT, 0, 100),
    io:format("~w~n", [[erlang:memory(binary) | [byte_size(X) || X <- [R1, R2, R3, R4]]]]),
    B = list_to_binary(lists:duplicate(100, $b)),
    B = iolist_to_binary(B),
    M1 = erlang:memory(binary),
    C = binary:copy(B),
    io:format("~w~n", [[M1, erlang:memory(binary), byte_size(C)]]).
"""


def test_literals_and_arguments_handed_back_get_no_block(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "shared", SHARED)
    result = avmsim("--headless", str(beam))
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert first == "[0,100,100,100,100]", "the literal (const, in flash) has no block"
    # B's own block; iolist_to_binary(B) is B; binary:copy(B) is a new binary with its own
    assert second == "[100,200,100]"


CONVERT = f"""
-module(convert).
-export([start/0]).
-define(LIT, <<"{"x" * 100}">>).
start() ->
    {{error, Converted, Rest}} = unicode:characters_to_binary(<<?LIT/binary, 255, ?LIT/binary>>),
    io:format("~w~n", [[erlang:memory(binary), byte_size(Converted), byte_size(Rest)]]).
"""


def test_the_converted_part_of_an_error_tuple_gets_a_block(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "convert", CONVERT)
    result = avmsim("--headless", str(beam))
    assert result.returncode == 0, result.stderr
    # the converted 100 bytes are a new binary; the rest (a slice of the literal input,
    # a sub-binary in AtomVM) is not
    assert result.stdout == "[100,100,101]\n"


THRESHOLD = """
-module(threshold).
-export([start/0]).
start() ->
    {Short, Long} = binary_to_term(%s),
    io:format("~w~n", [[erlang:memory(binary), byte_size(Short), byte_size(Long)]]).
"""


@pytest.mark.parametrize("board, expected", [("esp32-devkit", "[127,63,64]\n"),
                                             ("generic-unix", "[64,63,64]\n")])
def test_decoded_binaries_follow_the_board_threshold(tmp_path: Path, board: str,
                                                     expected: str) -> None:
    """32 bytes on 32-bit boards: both decoded binaries are refc; 64 on generic_unix: the
    63-byte one is a heap binary."""
    source = THRESHOLD % ext_literal(b"s" * 63, b"l" * 64)
    beam = compile_erl(tmp_path, "threshold", source)
    result = avmsim("--headless", "--board", board, str(beam))
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


def test_built_in_registers_only_new_binaries_and_walks_shared_terms_once() -> None:
    """The walk behind ``built_in``: chardata and decoded terms may share list cells and
    tuples (an iolist holding one sublist twice); each is walked once, and only the
    binaries that are neither known nor the arguments' get a block."""
    refc = RefcBinaries(LAYOUT_32, None)
    holder = SimpleNamespace(refc={})
    new, small, argument = b"n" * 40, b"s" * 31, b"a" * 40
    cells = from_list([argument, 1])
    refc.built_in(holder, (new, small, argument, cells, cells), ((cells, cells), argument))
    assert list(refc.table) == [id(new)] and list(holder.refc) == [id(new)]
    refc.built_in(holder, from_list([new, new]), ())
    assert refc.table[id(new)].holders == 1, "a known binary is not built again"
