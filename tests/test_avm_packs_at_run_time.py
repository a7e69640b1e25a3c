"""Packs opened and closed at run time (``atomvm:add_avm_pack_file/2``,
``add_avm_pack_binary/2``, ``close_avm_pack/2``, ``get_start_beam/1``, ``read_priv/2``) and
the ESP32 boot path that uses them: a ``boot.avm`` with a start module runs it, and that
module loads the app from the ``main.avm`` partition, as AtomVM's ``esp32init`` does.

Expected values are AtomVM's (libAtomVM nifs.c, avmpack.h, the ports' sys.c; ESP32 main.c):
file packs are searched first, binary packs last; an unnamed pack is named ``false`` (atom
index 0); ``get_start_beam`` answers ``{ok, <<"mod.beam">>}``, ``{error, no_start_beam}`` or
``{error, avm_pack_not_found}``; ``close_avm_pack`` answers ``error`` for a pack a module
was loaded through; a pack struct is 6 pointer-sized fields, 7 with its mmap handle / mapped
file / refc binary.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from avmsim.boards import get_board
from avmsim.simulation import Simulation
from helpers import avmsim, compile_erl

IMAGES = Path(__file__).resolve().parent.parent / "firmware_images"
STDLIB = str(IMAGES / "atomvmlib.avm")

MYBOOT = r"""
-module(myboot).
-export([start/0]).
%% what AtomVM's esp32init does, written for this test
start() ->
    io:format("my boot~n"),
    ok = atomvm:add_avm_pack_file("/dev/partition/by-name/main.avm", [{name, app}]),
    {ok, Beam} = atomvm:get_start_beam(app),
    [io:format("~p~n", [R]) || R <- [Beam, atomvm:get_start_beam(false), atomvm:get_start_beam(nothing),
        atomvm:add_avm_pack_file("/dev/partition/by-name/nope.avm", []),
        atomvm:add_avm_pack_file("/dev/partition/by-name/nvs", []),
        atomvm:add_avm_pack_file("/spiffs/app.avm", []),
        element(1, element(2, catch atomvm:add_avm_pack_file(<<"/x">>, []))),
        element(1, element(2, catch atomvm:add_avm_pack_file("/x", app)))]],
    Module = binary_to_atom(binary:part(Beam, 0, byte_size(Beam) - 5), latin1),
    Module:start().
"""

SHADOW_LIB = r"""
-module(shadow).
-export([which/0]).
which() -> library.
"""

SHADOW_APP = r"""
-module(shadow).
-export([which/0]).
which() -> app.
"""

MYAPP = r"""
-module(myapp).
-export([start/0]).
start() ->
    io:format("app ~p~n", [shadow:which()]),
    app_result.
"""


def _pack(out: Path, *inputs: object, lib: bool = False, start: str | None = None) -> str:
    args = ["pack", "-o", str(out)] + (["--lib"] if lib else [])
    args += ["--start", start] if start else []
    done = avmsim(*args, *map(str, inputs))
    assert done.returncode == 0, done.stderr
    return str(out)


@pytest.fixture
def boot_pack(tmp_path: Path) -> str:
    """A boot.avm like AtomVM's esp32boot.avm: a start module, then a library."""
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    shadow = compile_erl(lib_dir, "shadow", SHADOW_LIB)
    return _pack(tmp_path / "boot.avm", compile_erl(lib_dir, "myboot", MYBOOT), STDLIB, shadow,
                 start="myboot")


@pytest.fixture
def app_beams(tmp_path: Path) -> list[Path]:
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    return [compile_erl(app_dir, "myapp", MYAPP), compile_erl(app_dir, "shadow", SHADOW_APP)]


def test_boot_pack_start_module_loads_the_app_from_main_avm(tmp_path, boot_pack, app_beams):
    app = _pack(tmp_path / "app.avm", *app_beams)
    run = avmsim("--headless", "--timeout", "10s", "--lib", boot_pack, app)
    assert run.stdout.splitlines() == [
        "my boot", '<<"myapp.beam">>', '{ok,<<"myboot.beam">>}', "{error,avm_pack_not_found}",
        "{error,cannot_open}", "{error,invalid_avm}", "{error,cannot_open}", "badarg", "badarg",
        "app app",   # main.avm was opened in front of boot.avm: the app's shadow wins
    ]
    # start/0's value is the boot module's, which returns the app's: AtomVM prints it
    assert "Return value: app_result" in run.stderr
    assert run.returncode == 1


def test_library_pack_keeps_avmsim_boot_and_the_app_copy_wins(tmp_path, app_beams):
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    lib = _pack(tmp_path / "lib.avm", STDLIB, compile_erl(lib_dir, "shadow", SHADOW_LIB),
                lib=True)
    sim = Simulation(get_board("esp32-devkit"), [str(b) for b in app_beams], lib=lib)
    out: list[bytes] = []
    sim.devices.console.add_sink(out.append)
    outcome = sim.run(until_ns=10_000_000_000)
    assert b"".join(out) == b"app app\n"
    assert outcome.why == "returned" and outcome.value.name == "app_result"


PRIV_APP = r"""
-module(privapp).
-export([start/0]).
start() ->
    Text = atomvm:read_priv(privapp, "hello.txt"),
    Missing = atomvm:read_priv(privapp, <<"nope.txt">>),
    Inner = atomvm:read_priv(privapp, "inner.pack"),
    Before = catch extra:greet(),
    ok = atomvm:add_avm_pack_binary(Inner, [{name, inner}]),
    Greet = extra:greet(),
    Which = shadow:which(),
    ok = atomvm:add_avm_pack_binary(Inner, [{name, spare}]),
    SpareClosed = atomvm:close_avm_pack(spare, []),
    SpareAgain = atomvm:close_avm_pack(spare, []),
    InnerClosed = atomvm:close_avm_pack(inner, []),
    Bad = [catch atomvm:add_avm_pack_binary(<<"not a pack">>, []),
           catch atomvm:add_avm_pack_binary(Inner, [{name, "x"}]),
           catch atomvm:add_avm_pack_binary("x", []),
           catch atomvm:close_avm_pack("inner", []),
           catch atomvm:get_start_beam("inner"),
           catch atomvm:read_priv("privapp", "hello.txt")],
    [io:format("~p~n", [R]) || R <- [Text, Missing, element(1, element(2, Before)), Greet,
        Which, atomvm:get_start_beam(inner), SpareClosed, SpareAgain, InnerClosed]],
    io:format("~p~n", [[element(1, element(2, B)) || B <- Bad]]),
    ok.
"""

EXTRA = r"""
-module(extra).
-export([greet/0]).
greet() -> from_inner.
"""


def _priv_app(tmp_path: Path) -> str:
    """An app pack holding its module, a text file and a library pack as priv data."""
    inner_dir = tmp_path / "inner"
    inner_dir.mkdir()
    priv = tmp_path / "privapp" / "priv"
    priv.mkdir(parents=True)
    _pack(priv / "inner.pack", compile_erl(inner_dir, "extra", EXTRA),
          compile_erl(inner_dir, "shadow", SHADOW_LIB), lib=True)
    (priv / "hello.txt").write_bytes(b"hi from priv")
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    return _pack(tmp_path / "privapp.avm", compile_erl(app_dir, "privapp", PRIV_APP),
                 compile_erl(app_dir, "shadow", SHADOW_APP), priv / "hello.txt",
                 priv / "inner.pack")


def test_binary_packs_read_priv_and_close(tmp_path):
    run = avmsim("--headless", "--timeout", "10s", _priv_app(tmp_path))
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        # a binary pack is searched after the others: the app's shadow still answers;
        # inner is in use (extra was loaded through it), spare is not
        '<<"hi from priv">>', "undefined", "undef", "from_inner", "app",
        "{error,no_start_beam}", "ok", "error", "error",
        "[badarg,badarg,badarg,badarg,badarg,badarg]",
    ]


HOST_APP = r"""
-module(hostapp).
-export([start/0]).
start() ->
    Const = atomvm:read_priv(hostapp, "inner.pack"),
    step(atomvm:add_avm_pack_file(?PATH, [{name, file}])),
    step(atomvm:add_avm_pack_binary(Const, [{name, const}])),
    %% the only process that refers to the copy ends: the pack keeps it alive
    {Pid, Ref} = spawn_opt(fun() ->
        ok = atomvm:add_avm_pack_binary(binary:copy(Const), [{name, refc}]) end, [monitor]),
    receive {'DOWN', Ref, process, Pid, Reason} -> step(Reason) end,
    step([atomvm:add_avm_pack_file(?PATH ++ ".missing", []) |
          [atomvm:close_avm_pack(N, []) || N <- [file, const, refc]]]),
    ok.
step(Result) ->
    io:format("~p~n", [Result]),
    receive after 100 -> ok end.
"""


def test_pack_structs_and_binaries_take_ram_until_closed(tmp_path):
    """generic_unix (64-bit words): a file pack costs its 7-word struct (the file is mapped),
    a const binary's pack 6 words, a refc binary's 7 words and it keeps the binary alive;
    closing gives it back."""
    inner_dir = tmp_path / "inner"
    inner_dir.mkdir()
    priv = tmp_path / "hostapp" / "priv"
    priv.mkdir(parents=True)
    inner = _pack(priv / "inner.pack", compile_erl(inner_dir, "extra", EXTRA), lib=True)
    beam = compile_erl(tmp_path, "hostapp", HOST_APP, f"-DPATH=\"{inner}\"")
    app = _pack(tmp_path / "hostapp.avm", beam, priv / "inner.pack")
    sim = Simulation(get_board("generic-unix"), [app])
    out: list[bytes] = []
    sim.devices.console.add_sink(out.append)
    ram = sim.machine.ram
    seen = []
    for t_ms in (50, 150, 250, 350):
        sim.run(until_ns=t_ms * 1_000_000)
        seen.append((ram.used_by_tag().get("avm_pack", 0), ram.used_by_tag().get("binary", 0)))
    # the file pack is searched first: every module loaded since went through it, it is
    # in use and stays open
    assert b"".join(out) == b"ok\nok\nnormal\n[{error,cannot_open},error,ok,ok]\n"
    assert [s[0] for s in seen] == [56, 56 + 48, 56 + 48 + 56, 56]
    size = Path(inner).stat().st_size
    binary_before = seen[0][1]
    # the copy's block (struct RefcBinary + data) lives as long as its pack
    assert [s[1] for s in seen] == [binary_before, binary_before, binary_before + 40 + size,
                                    binary_before]
    assert sim.run(until_ns=1_000_000_000).why == "returned"


@pytest.mark.parametrize("board", ["pico", "nucleo-f429zi"])
def test_pack_files_are_not_supported_on_rp2_and_stm32(tmp_path, board):
    beam = compile_erl(tmp_path, "nofiles", r"""
-module(nofiles).
-export([start/0]).
start() -> atomvm:add_avm_pack_file("/dev/partition/by-name/main.avm", []).
""")
    sim = Simulation(get_board(board), [str(beam)])
    outcome = sim.run(until_ns=5_000_000_000)
    assert outcome.why == "returned"
    assert outcome.value[1].name == "not_supported"
