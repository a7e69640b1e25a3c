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


DECODED = """
-module(decoded).
-export([start/0]).
start() ->
    Known = term_to_binary({ok, [error, true]}),
    New = term_to_binary({<<"x">>, [atom_a, #{atom_b => atom_c}], {atom_a, "s"}}),
    Gen = atom_to_binary(list_to_atom("made_" ++ "here")),      % the name's only copy
    receive go -> ok end,                        % the test reads the RAM here
    _ = binary_to_term(Known),                   % no new atom
    receive go -> ok end,
    _ = binary_to_term(New),                     % atom_a, atom_b, atom_c: new to the table
    receive go -> ok end,
    _ = binary_to_term(New),                     % now they exist
    receive go -> ok end,
    decode(0, Gen).
decode(N, Gen) ->                                % then new atoms without end
    Name = <<"decoded_", (integer_to_binary(N))/binary>>,
    _ = binary_to_term(<<131, 119, (byte_size(Name)), Name/binary>>),
    decode(N + 1, Gen).
"""


def test_binary_to_term_of_new_atoms_takes_ram_as_list_to_atom(tmp_path: Path) -> None:
    """external_term.c inserts each decoded atom with a copy of its text (the same
    AtomTableCopyAtom as list_to_atom); when the RAM runs out the decoding fails, badarg.
    Atoms AtomVM has from boot (defaultatoms.def: ok, error, true) are never new."""
    sim = Simulation(get_board("esp32-devkit"), [str(compile_erl(tmp_path, "decoded", DECODED))])
    ram = sim.machine.ram
    proc = sim.start
    taken = []
    for _ in range(4):
        sim.run(until_ns=(len(taken) + 1) * 100 * MS)
        taken.append(ram.used_by_tag().get("atoms", 0))
        sim.vm.deliver(proc, atom("go"))
    assert taken[1] == taken[0], "atoms that exist cost nothing"
    node = 12  # ATOM_NODE_WORDS on a 32-bit board
    assert taken[2] - taken[1] >= 3 * node + len("atom_aatom_batom_c")
    assert taken[3] == taken[2]
    free = ram.free_bytes
    outcome = sim.run(until_ns=60_000 * MS)
    assert outcome.why == "crashed"
    # the decoding that finds no RAM for its atom fails (badarg), unless the heap's next GC
    # found none first
    assert outcome.value.error.reason in (atom("badarg"), atom("out_of_memory"))
    assert ram.used_by_tag()["atoms"] - taken[3] > 0.7 * free, "the atoms took the RAM"
