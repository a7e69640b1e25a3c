"""``--lib PACK`` (another standard library flashed at boot.avm) and spawn_opt's options as
AtomVM's nifs.c ``do_spawn`` reads them: only the keys it knows (first match in the list, a
bare atom meaning ``true``), everything else ignored; still badarg: a non-list, a heap size
that is not an integer, min_heap_size above max_heap_size, an unknown atomvm_heap_growth
strategy, a ``request`` that is not a tuple of at least 5 elements.
"""
from __future__ import annotations

from pathlib import Path

from helpers import avmsim, compile_erl

IMAGES = Path(__file__).resolve().parent.parent / "firmware_images"
STDLIB = IMAGES / "atomvmlib.avm"
HELLO = str(IMAGES / "hello_world.avm")


def test_lib_flashes_another_library_pack(tmp_path):
    extra = compile_erl(tmp_path, "extra_lib", r"""
-module(extra_lib).
-export([greet/0]).
greet() -> "from the library pack".
""")
    app = compile_erl(tmp_path, "uses_lib", r"""
-module(uses_lib).
-export([start/0]).
start() -> io:format("~s~n", [extra_lib:greet()]).
""")
    lib = tmp_path / "mylib.avm"
    packed = avmsim("pack", "--lib", "-o", str(lib), str(STDLIB), str(extra))
    assert packed.returncode == 0, packed.stderr
    with_lib = avmsim("--headless", "--lib", str(lib), str(app))
    assert with_lib.returncode == 0, with_lib.stderr
    assert with_lib.stdout == "from the library pack\n"
    without = avmsim("--headless", str(app))
    assert without.returncode == 1   # extra_lib is not in the shipped library: undef


def test_lib_errors_have_the_app_statuses(tmp_path):
    missing = avmsim("--headless", "--lib", str(tmp_path / "none.avm"), HELLO)
    assert missing.returncode == 5 and "none.avm" in missing.stderr
    corrupt = tmp_path / "corrupt.avm"
    corrupt.write_bytes(b"\x00" * 200)
    bad = avmsim("--headless", "--lib", str(corrupt), HELLO)
    assert bad.returncode == 6 and "corrupt.avm" in bad.stderr
    big = tmp_path / "big.avm"
    big.write_bytes(STDLIB.read_bytes() + b"\x00" * 0x80000)   # boot.avm holds 0x80000
    large = avmsim("--headless", "--lib", str(big), HELLO)
    assert large.returncode == 12 and "big.avm" in large.stderr
    for result in (missing, bad, large):
        assert "Traceback" not in result.stderr


SPAWN = r"""
-module(spawn_options).
-export([start/0, child/1]).
start() ->
    Me = self(),
    P = spawn_opt(fun() -> Me ! {hi, self()} end,
                  [{fullsweep_after, 10}, bogus, {sensitive, true}, {a, b, c}, "str",
                   {min_heap_size, []}]),
    receive {hi, P} -> ok end,
    {P2, R} = spawn_opt(fun() -> ok end, [{monitor, true}, {priority, high}]),
    receive {'DOWN', R, process, P2, normal} -> ok end,
    P3 = spawn_opt(?MODULE, child, [Me], [link, {unknown_key, 1}]),
    receive {hi, P3} -> ok end,
    io:format("~p~n", [[reason(X) || X <- [foo, [{min_heap_size, a}], [{max_heap_size, 1.5}],
        [{min_heap_size, 100}, {max_heap_size, 10}], [{atomvm_heap_growth, fast}],
        [{request, x}], [{request, {a, b, c, d}}]]]]),
    io:format("~p~n", [is_pid(spawn_opt(fun() -> ok end,
        [{min_heap_size, 10}, {min_heap_size, nonsense}]))]),
    %% a request's first element must be a distribution handle (AtomVM: badarg)
    io:format("~p~n", [reason([{request, {a, b, c, d, e}}])]),
    ok.
child(Parent) -> Parent ! {hi, self()}.
reason(Opts) ->
    {'EXIT', {Reason, _}} = (catch spawn_opt(fun() -> ok end, Opts)),
    Reason.
"""


def test_spawn_opt_ignores_options_it_does_not_know(tmp_path):
    beam = compile_erl(tmp_path, "spawn_options", SPAWN)
    result = avmsim("--headless", str(beam))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("[badarg,badarg,badarg,badarg,badarg,badarg,badarg]\n"
                             "true\nbadarg\n")
