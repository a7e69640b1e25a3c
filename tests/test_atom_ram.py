"""Atoms made at run time take board RAM as AtomVM's atom table does (atom_table.c: a 3-word
node and a malloc'ed copy of the text per new atom), so an app making atoms without end runs
out of memory, as on the device."""
from __future__ import annotations

from pathlib import Path

from helpers import compile_erl

from avmsim.boards import get_board
from avmsim.simulation import Simulation
from avmsim.vm.terms import atom

ATOMS = """
-module(atoms).
-export([start/0]).
start() ->
    _ = lists:seq(0, 1),                          % load lists now: its atoms count too
    {ok, _} = make(0, 1000),                      % a thousand new atoms
    receive go -> ok end,                         % the test reads the RAM here
    _ = [list_to_atom("atom_" ++ integer_to_list(N)) || N <- lists:seq(0, 999)],
    _ = binary_to_atom(<<"atom_1">>, utf8),       % none of these is new
    receive go -> ok end,
    make(1000, infinity).                          % then without end
make(N, N) -> {ok, N};
make(N, Stop) ->
    _ = list_to_atom("atom_" ++ integer_to_list(N)),
    make(N + 1, Stop).
"""

MS = 1_000_000


def test_new_atoms_take_ram_and_running_out_is_out_of_memory(tmp_path: Path) -> None:
    sim = Simulation(get_board("esp32-devkit"), [str(compile_erl(tmp_path, "atoms", ATOMS))])
    ram = sim.machine.ram
    sim.run(until_ns=100 * MS)
    after_thousand = ram.used_by_tag().get("atoms", 0)
    free = ram.free_bytes
    proc = sim.start
    before = after_thousand
    sim.vm.deliver(proc, atom("go"))
    sim.run(until_ns=200 * MS)
    assert ram.used_by_tag().get("atoms", 0) == before, "atoms that exist cost nothing more"
    text = sum(len(f"atom_{n}") for n in range(1000))
    assert after_thousand >= 1000 * 12 + text, "a node and the text for each new atom"
    sim.vm.deliver(proc, atom("go"))
    outcome = sim.run(until_ns=60_000 * MS)
    assert outcome.why == "crashed"
    assert outcome.value.error.reason == atom("out_of_memory")
    taken = ram.used_by_tag()["atoms"] - after_thousand
    assert taken > 0.7 * free, "the atoms took most of the RAM that was free"
