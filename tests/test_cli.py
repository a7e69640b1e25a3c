"""The avmsim command as a user meets it: outputs, messages and one exit status per outcome."""
from __future__ import annotations

import struct
from pathlib import Path

from helpers import avmsim, compile_erl

from avmsim.exit_codes import Exit

ROOT = Path(__file__).resolve().parent.parent

OK_APP = """-module(okapp).
-export([start/0]).
start() -> io:format("hi ~p~n", [[1, {a, <<"b">>}]]), ok.
"""

CRASH_APP = """-module(crashapp).
-export([start/0]).
start() -> io:format("before~n"), helper(node()).
helper(N) -> {ok, _} = N.
"""


def test_hello_world_example_runs_on_esp32() -> None:
    r = avmsim("--board", "esp32-devkit", str(ROOT / "firmware_images" / "hello_world.avm"))
    assert r.returncode == Exit.OK, r.stderr
    assert r.stdout == ("Hello, world! from a simulated board\n"
                        "squares: [1,4,9,16,25,36,49,64,81,100]\n"
                        "sum: 385, fib(25): 75025\n")
    assert r.stderr.strip().endswith("Return value: ok")


def test_beam_runs_and_console_goes_to_stdout(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "okapp", OK_APP)
    r = avmsim("--board", "generic-unix", str(beam))
    assert r.returncode == Exit.OK
    assert r.stdout == 'hi [1,{a,<<"b">>}]\n'
    assert "Return value: ok" in r.stderr


def test_other_return_value_is_a_failure(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "retapp", "-module(retapp).\n-export([start/0]).\nstart() -> {error, 42}.\n")
    r = avmsim("--board", "generic-unix", str(beam))
    assert r.returncode == Exit.APP_FAILED
    assert "Return value: {error,42}" in r.stderr


def test_crash_prints_atomvm_crash_report(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "crashapp", CRASH_APP)
    r = avmsim("--board", "generic-unix", str(beam))
    assert r.returncode == Exit.APP_FAILED
    assert r.stdout == "before\n"
    assert r.stderr.startswith("CRASH \n======\npid: <0.1.0>\n")
    assert r.stderr.count("CRASH") == 1
    assert "x[0]: error\nx[1]: {badmatch,nonode@nohost}\n" in r.stderr
    assert '{crashapp,helper,1,[{file,"' in r.stderr and "{line,4}" in r.stderr
    assert "Traceback" not in r.stderr


QUIET_EXITS_APP = """-module(quietexits).
-export([start/0, quit/1]).
quit(Reason) -> exit(Reason).
start() ->
    [begin {P, M} = spawn_monitor(?MODULE, quit, [R]), receive {'DOWN', M, _, P, _} -> ok end end
     || R <- [normal, shutdown, {shutdown, why}, other]],
    ok.
"""


def test_exits_normal_and_shutdown_print_no_crash_report(tmp_path: Path) -> None:
    """AtomVM dumps a crashed process unless it ended by exit(normal) or exit(shutdown)
    (opcodesswitch.h): of four exits, {shutdown, why} and other are reported."""
    beam = compile_erl(tmp_path, "quietexits", QUIET_EXITS_APP)
    r = avmsim("--board", "generic-unix", str(beam))
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("CRASH") == 2
    assert "x[1]: {shutdown,why}\n" in r.stderr and "x[1]: other\n" in r.stderr


def test_missing_file(tmp_path: Path) -> None:
    r = avmsim(str(tmp_path / "nope.avm"))
    assert r.returncode == Exit.FILE_NOT_FOUND
    assert "nope.avm" in r.stderr and "Traceback" not in r.stderr


def test_not_an_input(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("hello")
    r = avmsim(str(f))
    assert r.returncode == Exit.NOT_AN_INPUT
    assert "notes.txt is not an AVM or a BEAM file" in r.stderr


def test_garbage_pack(tmp_path: Path) -> None:
    f = tmp_path / "junk.avm"
    f.write_bytes(b"this is not a pack at all, just some bytes")
    r = avmsim(str(f))
    assert r.returncode == Exit.BAD_PACK
    assert "junk.avm" in r.stderr and "Traceback" not in r.stderr


def test_truncated_pack(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "okapp", OK_APP)
    pack = tmp_path / "app.avm"
    assert avmsim("pack", "-o", str(pack), str(beam)).returncode == 0
    data = pack.read_bytes()
    cut = tmp_path / "cut.avm"
    cut.write_bytes(data[: len(data) // 2])
    r = avmsim("--board", "generic-unix", str(cut))
    assert r.returncode == Exit.BAD_PACK
    assert "cut.avm" in r.stderr


def test_corrupt_beam(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "okapp", OK_APP)
    bad = tmp_path / "bad.beam"
    data = bytearray(beam.read_bytes())
    bad.write_bytes(bytes(data[:40]))
    r = avmsim("--board", "generic-unix", str(bad))
    assert r.returncode == Exit.BAD_BEAM
    assert "bad.beam" in r.stderr and "Traceback" not in r.stderr


def _with_last_opcode_replaced(beam: bytes, new: int) -> bytes:
    """The beam with its final instruction (int_code_end, opcode 3) replaced by ``new``."""
    i = beam.index(b"Code")
    end = i + 8 + struct.unpack(">I", beam[i + 4:i + 8])[0]
    j = beam.rindex(b"\x03", i, end)
    return beam[:j] + bytes([new]) + beam[j + 1:]


def test_obsolete_opcode_is_rejected_with_its_name(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "okapp", OK_APP)
    patched = tmp_path / "obsolete.beam"
    patched.write_bytes(_with_last_opcode_replaced(beam.read_bytes(), 54))  # is_constant
    r = avmsim("--board", "generic-unix", str(patched))
    assert r.returncode == Exit.UNSUPPORTED_OPCODE, r.stderr
    assert "okapp" in r.stderr and "obsolete" in r.stderr


def test_unknown_opcode_is_rejected(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "okapp", OK_APP)
    patched = tmp_path / "future.beam"
    patched.write_bytes(_with_last_opcode_replaced(beam.read_bytes(), 250))
    r = avmsim("--board", "generic-unix", str(patched))
    assert r.returncode == Exit.UNSUPPORTED_OPCODE, r.stderr
    assert "okapp" in r.stderr and "250" in r.stderr


def test_no_start_module(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "libonly", "-module(libonly).\n-export([f/0]).\nf() -> ok.\n")
    pack = tmp_path / "lib.avm"
    assert avmsim("pack", "--lib", "-o", str(pack), str(beam)).returncode == 0
    r = avmsim(str(pack))
    assert r.returncode == Exit.NO_START_MODULE
    assert "lib.avm" in r.stderr and "start" in r.stderr


def test_unknown_board(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "okapp", OK_APP)
    r = avmsim("--board", "esp33-bogus", str(beam))
    assert r.returncode == Exit.UNKNOWN_BOARD
    assert "esp33-bogus" in r.stderr and "esp32-devkit" in r.stderr


def test_pack_too_large_for_partition(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "okapp", OK_APP)
    blob = tmp_path / "big.bin"
    blob.write_bytes(bytes(1_100_000))
    pack = tmp_path / "big.avm"
    assert avmsim("pack", "-o", str(pack), str(beam), str(blob)).returncode == 0
    r = avmsim("--board", "esp32-devkit", str(pack))
    assert r.returncode == Exit.IMAGE_TOO_LARGE
    assert "main_avm" in r.stderr and "big.avm" in r.stderr


def test_boards_lists_both_boards() -> None:
    r = avmsim("boards")
    assert r.returncode == 0
    names = [line.split()[0] for line in r.stdout.splitlines()]
    assert "esp32-devkit" in names and "generic-unix" in names
    assert "520 KiB" in r.stdout


def test_usage_error_is_status_2() -> None:
    r = avmsim()
    assert r.returncode == Exit.USAGE


def test_bad_command_lines_are_one_plain_line() -> None:
    """A typo in CI gives one line naming what is wrong, not argparse's usage block; a
    negative duration reaches --timeout's own check."""
    app = str(Path(__file__).resolve().parent.parent / "firmware_images/hello_world.avm")
    for args, words in ((("--timeout", "-5s", app), "--timeout: '-5s': a duration cannot"),
                        (("--bogus", "x.avm"), "unrecognized arguments: --bogus"),
                        (("mem",), "required: file")):
        r = avmsim(*args)
        assert r.returncode == Exit.USAGE
        assert r.stderr.count("\n") == 1 and words in r.stderr, r.stderr


def test_mem_on_a_file_that_is_not_a_report(tmp_path: Path) -> None:
    (tmp_path / "bin.dat").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "text.txt").write_text("hello\n")
    for name in ("bin.dat", "text.txt"):
        r = avmsim("mem", str(tmp_path / name))
        assert r.returncode == Exit.USAGE, r.stderr
        assert r.stderr.count("\n") == 1 and "is not an avmsim memory report" in r.stderr


def test_every_process_waiting_forever_is_a_vm_abort(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "stuck", "-module(stuck).\n-export([start/0]).\n"
                       "start() -> receive never -> ok end.\n")
    r = avmsim("--board", "generic-unix", str(beam))
    assert r.returncode == Exit.VM_ABORT
    assert "waiting" in r.stderr and "Traceback" not in r.stderr


def test_halt_sets_the_exit_status(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "halter", "-module(halter).\n-export([start/0]).\n"
                       "start() -> io:format(\"bye~n\"), erlang:halt(7).\n")
    r = avmsim("--board", "generic-unix", str(beam))
    assert r.returncode == 7
    assert r.stdout == "bye\n"
