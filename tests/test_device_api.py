"""An app sees AtomVM's library API, not avmsim's larger one (vm/device_api.py).

avmsim's library also runs OTP-style code (lists:sum/1, orddict, application:start/1...), but
AtomVM's has none of that: measured with AtomVM 7b282159, ``lists:sum([1])`` prints
"Warning: function lists:sum/1 cannot be resolved." and crashes with undef. The app gets the
same here unless run with ``--lib-extras``; the library's own modules keep using them.
"""
from __future__ import annotations

from pathlib import Path

from helpers import avmsim, compile_erl

from avmsim.runner import stdlib_image
from avmsim.vm.avm_pack import read_pack
from avmsim.vm.beam_file import parse_beam
from avmsim.vm.device_api import NOT_ON_DEVICE

APP = """-module(api_app).
-export([start/0]).
t(F) -> erlang:display(try F() catch C:R -> {C, R} end).
start() ->
    t(fun() -> lists:map(fun(X) -> X * 2 end, [1, 2]) end),
    t(fun() -> lists:sum([1, 2, 3]) end),
    M = list_to_atom("orddict"),
    t(fun() -> M:new() end),
    t(fun() -> apply(lists, sum, [[4]]) end),
    t(fun() -> erlang:function_exported(lists, sum, 1) end),
    {ok, P} = gen_server:start(api_server, [], []),
    t(fun() -> gen_server:call(P, total) end),
    ok.
"""

SERVER = """-module(api_server).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2]).
init([]) -> {ok, [1, 2]}.
handle_call(total, _From, L) -> {reply, length(L), L}.
handle_cast(_, L) -> {noreply, L}.
"""


def _run(tmp_path: Path, *flags: str):
    beams = [compile_erl(tmp_path, "api_app", APP), compile_erl(tmp_path, "api_server", SERVER)]
    return avmsim("--board", "esp32-devkit", "--headless", "--timeout", "5s", *flags,
                  *map(str, beams))


def test_the_app_cannot_call_what_atomvm_lacks(tmp_path: Path) -> None:
    done = _run(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "[2,4]", "{error,undef}", "{error,undef}", "{error,undef}", "false", "2"]
    # gen_server runs on proc_lib and gen_server internals that AtomVM does not export:
    # the library's own calls are not the app's
    assert done.stderr.count("Warning: function lists:sum/1 cannot be resolved.") == 2
    assert "Warning: function orddict:new/0 cannot be resolved." in done.stderr


def test_lib_extras_lets_it(tmp_path: Path) -> None:
    done = _run(tmp_path, "--lib-extras")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[2,4]", "6", "[]", "4", "true", "2"]
    assert "cannot be resolved" not in done.stderr


def test_the_table_names_only_what_the_library_exports() -> None:
    """A stale entry would hide nothing; AtomVM's everyday functions are never in it."""
    exported = set()
    for section in read_pack(stdlib_image(), "atomvmlib.avm"):
        if section.is_beam and section.name.endswith(".beam"):
            beam = parse_beam(section.data, section.name)
            exported |= {(beam.name.name, f.name, a) for f, a, _ in beam.exports}
    assert NOT_ON_DEVICE <= exported
    assert len(NOT_ON_DEVICE) > 300
    for everyday in [("lists", "map", 2), ("lists", "foldl", 3), ("io", "format", 2),
                     ("gen_server", "call", 2), ("maps", "fold", 3), ("proplists", "get_value", 2),
                     ("timer", "sleep", 1), ("string", "split", 2)]:
        assert everyday not in NOT_ON_DEVICE
    assert ("lists", "sum", 1) in NOT_ON_DEVICE
    assert ("orddict", "new", 0) in NOT_ON_DEVICE
