"""Off-heap RAM: refc binaries, dictionary entries and ports.

Refc binaries: off-heap blocks of the board's RAM, shared by the processes that hold them.

Facts §5: a binary of 32 bytes or more (64 on generic_unix) keeps its bytes in an off-heap
block of 20 + n bytes; ``erlang:memory(binary)`` is the sum of their sizes; the block is
freed when no process refers to the binary any more.
"""
from __future__ import annotations

from avmsim.boards import get_board
from avmsim.simulation import Simulation
from avmsim.vm.terms import atom

from helpers import avmsim, compile_erl

SHARED = """
-module(shared).
-export([start/0]).
start() ->
    B = make(100),
    Small = make(31),
    M1 = erlang:memory(binary),
    Self = self(),
    P = spawn(fun() -> receive {bin, X} -> Self ! {got, byte_size(X)},
                                           receive stop -> Self ! {done, byte_size(X)} end
                       end end),
    P ! {bin, B},
    receive {got, _} -> ok end,
    M2 = erlang:memory(binary),
    P ! stop,
    receive {done, _} -> ok end,
    timer:sleep(10),
    erlang:garbage_collect(),
    M3 = erlang:memory(binary),
    io:format("~p~n", [[M1, M2, M3, byte_size(B), byte_size(Small)]]),
    erlang:garbage_collect(),
    io:format("~p~n", [erlang:memory(binary)]).
make(N) -> list_to_binary(lists:duplicate(N, $a)).
"""


def test_refc_binaries_are_shared_and_freed_with_their_last_holder(tmp_path):
    beam = compile_erl(tmp_path, "shared", SHARED)
    result = avmsim("--headless", str(beam))
    assert result.returncode == 0, result.stderr
    # 100 bytes counted once while two processes hold it; the 31-byte one is a heap binary;
    # once B is no longer used, the next collection frees its block
    assert result.stdout == "[100,100,100,100,31]\n0\n"


def test_the_64_bit_profile_keeps_shorter_binaries_on_the_heap(tmp_path):
    beam = compile_erl(tmp_path, "shared", SHARED.replace("make(100)", "make(63)"))
    result = avmsim("--headless", "--board", "generic-unix", str(beam))
    assert result.stdout == "[0,0,0,63,31]\n0\n", "under 64 bytes: heap binaries"
    beam = compile_erl(tmp_path, "shared", SHARED.replace("make(100)", "make(64)"))
    result = avmsim("--headless", "--board", "generic-unix", str(beam))
    assert result.stdout == "[64,64,64,64,31]\n0\n"


HOLD = """
-module(hold).
-export([start/0]).
start() ->
    B = binary:copy(<<"0123456789">>, 100),
    receive never -> B end.
"""


def test_off_heap_block_is_taken_from_the_board_ram(tmp_path):
    beam = compile_erl(tmp_path, "hold", HOLD)
    sim = Simulation(get_board("esp32-devkit"), [str(beam)])
    sim.run(until_ns=100_000_000)
    ram = sim.machine.ram
    taken = ram.used_by_tag()["binary"]
    assert 20 + 1000 <= taken <= 20 + 1000 + 16, "20 + n bytes plus the allocator's header"
    assert sim.vm.refc.total_bytes() == 1000


GROW = """
-module(grow).
-export([start/0]).
start() ->
    R = try grow([], 0) catch error:out_of_memory -> get(count) end,
    erlang:garbage_collect(),
    io:format("~p ~p~n", [R, erlang:memory(binary)]).
grow(Acc, N) ->
    B = binary:copy(<<"0123456789">>, 1000),
    put(count, N + 1),
    grow([B | Acc], N + 1).
"""


def test_binaries_run_out_of_ram_at_the_same_point_and_max_ram_moves_it(tmp_path):
    beam = compile_erl(tmp_path, "grow", GROW)
    full = [avmsim("--headless", str(beam)).stdout for _ in range(2)]
    assert full[0] == full[1], "the same allocation fails on every run"
    count, after = map(int, full[0].split())
    assert 20 <= count <= 27, "about 260 KB of 10 KB binaries fit in the ESP32's free heap"
    assert after == 0, "once caught, the list is garbage: every block is freed"
    smaller = int(avmsim("--headless", "--max-ram", "200K", str(beam)).stdout.split()[0])
    assert smaller < count


DICT_AND_PORTS = """
-module(dict_ports).
-export([start/0]).
start() ->
    put(a, 1), put(b, 2), put(a, 3),
    receive go -> ok end,
    erase(a),
    receive go -> ok end,
    GPIO = gpio:start(),
    receive go -> ok end,
    gpio:stop(),
    receive go -> GPIO end.
"""


def test_dictionary_entries_and_ports_take_board_ram(tmp_path):
    """Facts §6: a dictionary entry is a 16-byte malloc; a port is a Context (≈256 B)."""
    beam = compile_erl(tmp_path, "dict_ports", DICT_AND_PORTS)
    sim = Simulation(get_board("esp32-devkit"), [str(beam)])
    tags = sim.machine.ram.used_by_tag
    figures = []
    for step in range(4):
        sim.run(until_ns=(step + 1) * 10_000_000)
        figures.append((tags().get("dictionary", 0), tags().get("port:gpio", 0)))
        sim.vm.send(None, sim.start.pid, atom("go"))
    entry = figures[0][0] // 2
    assert 16 <= entry <= 16 + 8, "two keys, one 16-byte entry each (plus the block header)"
    assert figures[1] == (entry, 0), "erase frees the key's entry"
    assert figures[2][1] >= 256 and figures[3] == (entry, 0), "the port's Context, until closed"
