"""``avmsim [options] app.avm``: run an app on a board, live or headless, with CI conditions.

The run ends when start/0 returns or crashes, on ``erlang:halt``, when ``--timeout`` of
virtual time has passed (status 42), or when the console shows an ``--expect-text``
(status 0) or a ``--fail-text`` (status 1). Without any of these an app that runs forever
(blink) runs until interrupted, as on the device.
"""
from __future__ import annotations

import argparse
import contextlib
import re
import sys
from pathlib import Path
from typing import Any, BinaryIO, Callable

from avmsim.boards import get_board
from avmsim.vm.term_format import format_w

from .cli_parser import CliParser
from .clock import DEFAULT_EPOCH_S, NS_PER_S
from .exit_codes import Exit
from .ram import parse_size


class UsageError(ValueError):
    """An option value that argparse accepts but avmsim cannot use."""


class NotAnInputError(ValueError):
    """A file given to run that is neither .avm nor .beam."""


DEFAULT_BOARD = "esp32-devkit"


def run_parser() -> CliParser:
    p = CliParser(
        prog="avmsim",
        description="Run an AtomVM app on a simulated board. Other commands: "
                    "avmsim boards | pack | inspect | mem (see avmsim COMMAND --help).")
    p.add_argument("--board", default=DEFAULT_BOARD,
                   help=f"board to simulate (default {DEFAULT_BOARD}; see 'avmsim boards')")
    p.add_argument("--parts", metavar="PARTS.toml",
                   help="extra LEDs, buttons and switches fitted on the board's pins")
    p.add_argument("--epoch", type=int, default=DEFAULT_EPOCH_S, metavar="SECONDS",
                   help="wall-clock time at boot, in Unix seconds (default "
                        f"{DEFAULT_EPOCH_S} = 2026-01-01T00:00:00Z); keeps runs reproducible")
    p.add_argument("--seed", type=int, default=0,
                   help="seed of atomvm:random/0 and rand_bytes/1 (default 0)")
    p.add_argument("--lib", metavar="PACK.avm",
                   help="flash this standard library pack at boot.avm instead of avmsim's "
                        "atomvmlib.avm (e.g. AtomVM's own esp32boot.avm)")
    p.add_argument("--lib-extras", action="store_true",
                   help="let the app call the functions avmsim's library has beyond AtomVM's "
                        "(lists:sum/1, orddict, application:start/1...); without it they fail "
                        "with undef, as on the device")
    p.add_argument("--nvs", metavar="FILE",
                   help="keep the ESP32's NVS partition in FILE across runs: loaded at start "
                        "when it exists, written back when the run ends")
    p.add_argument("--realtime", type=float, default=None, metavar="[=FACTOR]",
                   help="pace virtual time against the host clock (FACTOR times real "
                        "speed, default 1); the only option that reads the host clock")
    ci = p.add_argument_group("CI conditions")
    ci.add_argument("--timeout", metavar="DURATION",
                    help="stop with status 42 after DURATION of virtual time (5s, 250ms, 2m)")
    ci.add_argument("--expect-text", action="append", default=[], metavar="TEXT",
                    help="stop with status 0 as soon as TEXT appears on the console "
                         "(repeatable: the first of them to appear)")
    ci.add_argument("--fail-text", action="append", default=[], metavar="TEXT",
                    help="stop with status 1 as soon as TEXT appears on the console")
    io = p.add_argument_group("output and traces")
    view = io.add_mutually_exclusive_group()
    view.add_argument("--ui", dest="ui", action="store_true", default=None,
                      help="show the live board view on a terminal, even a dumb one (default on a terminal; piped output is always plain)")
    view.add_argument("--headless", dest="ui", action="store_false",
                      help="plain console output, never the live view")
    io.add_argument("--serial-log", metavar="FILE", help="write the console's bytes to FILE")
    io.add_argument("--vcd", metavar="FILE.vcd",
                    help="write every pin change with its virtual time (GTKWave, PulseView)")
    io.add_argument("--trace", metavar="FILE.jsonl", help="write every event, one JSON per line")
    io.add_argument("--uart", action="append", default=[], metavar="N=SPEC",
                    help="bridge UART N to the host: pty, tcp:PORT or a pyserial URL")
    io.add_argument("--interactive", action="store_true",
                    help="feed standard input to the console UART")
    host = p.add_argument_group("reaching the host (closed by default)")
    host.add_argument("--forward", action="append", default=[],
                      metavar="PROTO:HOSTPORT:BOARDPORT",
                      help="host 127.0.0.1:HOSTPORT reaches BOARDPORT on the board, tcp or "
                           "udp, as QEMU's hostfwd (HOSTPORT 0: a free port; repeatable)")
    host.add_argument("--net-allow", action="append", default=[], metavar="HOST[:PORT]",
                      help="let the board reach HOST (a name or IPv4 address) beyond the "
                           "host's 127.0.0.1, which its gateway address always reaches "
                           "(repeatable)")
    wifi = p.add_argument_group("WiFi (ESP32 boards)")
    wifi.add_argument("--wifi", action="append", default=[], metavar="KEY=VALUE,...",
                      help="an access point the board can join, e.g. 'ssid=home,psk=secret99,"
                           "rssi=-55' (keys: ssid psk auth channel rssi bssid subnet hidden "
                           "default; repeatable); an open AP 'avmsim' is always there")
    wifi.add_argument("--wifi-file", action="append", default=[], metavar="FILE.toml",
                      help="access points as [[ap]] tables with the --wifi keys (repeatable)")
    mem = p.add_argument_group("memory")
    mem.add_argument("--max-ram", metavar="SIZE",
                     help="shrink the board's RAM budget to SIZE bytes (K/M suffixes) to "
                          "test for headroom")
    mem.add_argument("--memory-report", metavar="FILE.json",
                     help="write the run's memory report (board RAM and process peaks, a "
                          "timeline in virtual time) to FILE.json when the run ends, whatever "
                          "the outcome; view it with 'avmsim mem FILE.json'")
    mem.add_argument("--memory-ceiling", metavar="FILE.json",
                     help="fail with status 4 when a memory peak exceeds this ceiling file "
                          "(plus its tolerance); the app's own failure status wins")
    mem.add_argument("--update-ceiling", action="store_true",
                     help="with --memory-ceiling: write the ceiling from this run instead")
    p.add_argument("inputs", nargs="+", metavar="FILE",
                   help="the app: an .avm pack, or .beam/.avm files packed together; or a "
                        "world file (world.toml) running several boards")
    return p


def check_inputs(inputs: list[str]) -> None:
    for path in inputs:
        if not Path(path).is_file():
            raise FileNotFoundError(2, "no such file", path)
        if not path.endswith((".avm", ".beam")):
            raise NotAnInputError(f"{path} is not an AVM or a BEAM file")


def _writable(path: str | None, option: str) -> None:
    if path and not Path(path).resolve().parent.is_dir():
        raise UsageError(f"{option} {path}: no such directory")


def _numbers(args: argparse.Namespace) -> tuple[int | None, int | None]:
    """--max-ram and --timeout as bytes and nanoseconds, checked before anything runs."""
    from .simulation import parse_duration
    if args.realtime is not None and args.realtime <= 0:
        raise UsageError("--realtime FACTOR must be positive")
    max_ram = timeout = None
    try:
        if args.max_ram is not None:
            max_ram = parse_size(args.max_ram)
    except ValueError as exc:
        raise UsageError(f"--max-ram: {exc}") from None
    try:
        if args.timeout is not None:
            timeout = parse_duration(args.timeout)
    except ValueError as exc:
        raise UsageError(f"--timeout: {exc}") from None
    return max_ram, timeout


def uart_for(board: Any, key: str) -> str:
    """The board UART ``--uart KEY=…`` names: ``1`` is the UART numbered 1, or a full name."""
    names = [u.name for u in board.uarts]
    if key in names:
        return key
    matches = [n for n in names if re.sub(r"\D", "", n) == key]
    if len(matches) != 1:
        raise UsageError(f"--uart {key}=…: board {board.name} has no UART {key} "
                         f"(UARTs: {', '.join(names) or 'none'})")
    return matches[0]


def cmd_run(argv: list[str]) -> int:
    # a bare --realtime means --realtime=1 (an optional value would swallow the file name)
    argv = ["--realtime=1" if a == "--realtime" else a for a in argv]
    args = run_parser().parse_args(argv)
    from .world_cmd import is_world, run_world
    if is_world(args.inputs):
        return run_world(args, *_numbers(args))
    board = get_board(args.board)
    if args.parts:
        from avmsim.boards.parts_file import load_parts_file
        board = board.with_parts(load_parts_file(args.parts))
    check_inputs(args.inputs)
    if args.lib and not Path(args.lib).is_file():
        raise FileNotFoundError(2, "no such file", args.lib)
    max_ram, timeout = _numbers(args)
    nvs_image = _nvs_image(args.nvs, board)
    for path, option in ((args.serial_log, "--serial-log"), (args.vcd, "--vcd"),
                         (args.trace, "--trace"), (args.memory_report, "--memory-report"),
                         (args.nvs, "--nvs")):
        _writable(path, option)
    ceiling = _memory_options(args)
    bridges_wanted = [spec.split("=", 1) for spec in args.uart]
    if any(len(b) != 2 for b in bridges_wanted):
        raise UsageError("--uart wants N=SPEC, e.g. --uart 1=pty")
    host_rules = _host_rules(args)
    network = _network(args)

    from .simulation import Simulation
    sim = Simulation(board, args.inputs, epoch_s=args.epoch, realtime=args.realtime,
                     max_ram=max_ram, seed=args.seed, lib=args.lib, nvs_image=nvs_image,
                     network=network, lib_extras=args.lib_extras)
    with contextlib.ExitStack() as stack:
        if args.nvs:   # whatever the outcome
            stack.callback(lambda: Path(args.nvs).write_bytes(sim.devices.esp.nvs.image()))
        out = _console_output(sim, args, stack)
        _traces(sim, args, stack)
        _bridges(sim, [(uart_for(board, k), spec) for k, spec in bridges_wanted],
                 args.interactive, stack, host_rules)
        sim.watch_console(args.expect_text, args.fail_text)
        monitor = None
        if args.memory_report or args.memory_ceiling:
            from .memory_report import MemoryMonitor
            monitor = MemoryMonitor(sim.vm, board=board.name)
        report = None
        try:
            outcome = sim.run(timeout, timeout=True) if timeout is not None else sim.run()
        finally:
            out.flush()
            if monitor is not None and args.memory_report:  # whatever the outcome
                report = monitor.write_json(args.memory_report)
    status = _report_outcome(outcome, out)   # once the live view has left its last frame
    if args.memory_ceiling:
        status = _apply_ceiling(args.memory_ceiling, args.update_ceiling, ceiling,
                                report or monitor.report(), status)
    return status


def _nvs_image(path: str | None, board: Any, where: str = "--nvs") -> bytes | None:
    """``--nvs FILE``: the saved partition to load (None when FILE does not exist yet);
    ``where`` names the option (or the world file's key) in messages."""
    if path is None:
        return None
    if board.platform != "esp32" or "nvs" not in board.partitions:
        raise UsageError(f"{where} {path}: board {board.name} has no NVS partition")
    if not Path(path).exists():
        return None
    from avmsim.peripherals.nvs import NvsFormatError, check_image
    image = Path(path).read_bytes()
    try:
        check_image(image, board.partitions["nvs"].size)
    except NvsFormatError as exc:
        raise UsageError(f"{where} {path}: not an NVS image avmsim wrote ({exc})") from None
    return image


def _console_output(sim: Any, args: argparse.Namespace, stack: contextlib.ExitStack) -> BinaryIO:
    """Where the console goes: stdout, or the live view; plus --serial-log."""
    from .crash_report import write_crash_report
    out = sys.stdout.buffer
    sim.on_crash(lambda vm, proc, crash: write_crash_report(vm, proc, crash, sys.stderr))
    if args.serial_log:
        log = stack.enter_context(open(args.serial_log, "wb"))
        sim.devices.console.add_sink(log.write)
    from .live_view import should_use_ui
    if should_use_ui(sys.stdout, args.ui):
        from .live_session import start_live_view
        start_live_view(sim, stack)
        return out

    def console_write(data: bytes) -> None:
        out.write(data)
        out.flush()
    sim.devices.console.add_sink(console_write)
    return out


def _traces(sim: Any, args: argparse.Namespace, stack: contextlib.ExitStack) -> None:
    if args.vcd:
        from .vcd_writer import VcdWriter
        gpio = sim.devices.gpio
        pins = list(gpio.pins) if gpio is not None else []
        vcd = VcdWriter(args.vcd, pins, {p: gpio.level(p) for p in pins})
        vcd.attach(sim.bus)
        stack.callback(lambda: vcd.close(sim.now_ns()))
    if args.trace:
        from .jsonl_writer import JsonlWriter
        jsonl = JsonlWriter(args.trace)
        jsonl.attach(sim.bus)
        stack.callback(jsonl.close)


def _network(args: argparse.Namespace) -> Any:
    """The network the board joins: the access points of ``--wifi`` and ``--wifi-file``."""
    from avmsim.peripherals.wifi_config import WifiConfigError, radio_world

    from .net_world import NetWorld
    try:
        return NetWorld(radio=radio_world(args.wifi, args.wifi_file))
    except WifiConfigError as exc:
        raise UsageError(str(exc)) from None


def _host_rules(args: argparse.Namespace) -> tuple[list, list]:
    """``--forward`` and ``--net-allow``, checked (and names resolved) before anything runs."""
    from avmsim.peripherals.net_host_rules import RuleError, parse_allow, parse_forward
    try:
        return ([parse_forward(spec) for spec in args.forward],
                [parse_allow(spec) for spec in args.net_allow])
    except RuleError as exc:
        raise UsageError(str(exc)) from None


def _bridges(sim: Any, wanted: list[tuple[str, str]], interactive: bool,
             stack: contextlib.ExitStack, host_rules: tuple[list, list]) -> None:
    """Connect UARTs to the host (and stdin to the console), and the board's network to the
    host's; poll them between slices."""
    has_network = sim.devices.net is not None
    if not has_network and (host_rules[0] or host_rules[1]):
        rule = (host_rules[0] + host_rules[1])[0]
        raise UsageError(f"{rule.option}: board {sim.board.name} has no network")
    if not wanted and not interactive and not has_network:
        return
    from .host_inputs import HostInputs
    inputs = HostInputs(sim)
    stack.callback(inputs.close)
    for uart_name, spec in wanted:
        bridge = inputs.bridge(uart_name, spec)
        print(f"avmsim: {uart_name} bridged to {bridge.path}", file=sys.stderr)
    if interactive:
        inputs.stdin_to_console()
    if has_network:
        sim.network.gateway = _host_gateway(sim.network.ip, *host_rules)
        inputs.pace_with(sim.network.gateway)


def _host_gateway(ip_network: Any, forwards: list, allow: list) -> Any:
    """The bridge from the simulated network to the host's, its forwards listening."""
    from avmsim.peripherals.net_host import GatewayError, HostGateway
    try:
        gateway = HostGateway(ip_network, forwards, allow)
    except GatewayError as exc:
        raise UsageError(str(exc)) from None
    for line in gateway.describe():
        print(f"avmsim: {line}", file=sys.stderr)
    return gateway


OUTCOME_MESSAGES: dict[str, Callable[[Any], str | None]] = {
    "returned": lambda o: f"Return value: {format_w(o.value)}",
    "exited": lambda o: f"avmsim: start process exited: {format_w(o.value.reason)}",
    "crashed": lambda o: None,   # the crash report was written when it happened
    "halted": lambda o: None,
    "asleep": lambda o: "avmsim: the board is in deep sleep and no wake-up source can fire: "
                        "it sleeps forever",
    "timeout": lambda o: f"avmsim: timeout: {o.t_ns / NS_PER_S:g} s of virtual time passed",
    "expected": lambda o: f"avmsim: expected text {o.value!r} seen at "
                          f"{o.t_ns / NS_PER_S:.6f} s",
    "failed": lambda o: f"avmsim: failure text {o.value!r} seen at {o.t_ns / NS_PER_S:.6f} s",
}


def _report_outcome(outcome: Any, out: BinaryIO) -> int:
    out.flush()
    message = OUTCOME_MESSAGES[outcome.why](outcome)
    if message:
        print(message, file=sys.stderr)
    return outcome.status


def _memory_options(args: argparse.Namespace) -> dict | None:
    """Check the memory flags before the run; the ceiling to check against, if any."""
    from .memory_report import load_ceiling
    if args.update_ceiling and not args.memory_ceiling:
        raise UsageError("--update-ceiling needs --memory-ceiling FILE.json")
    if args.update_ceiling:
        _writable(args.memory_ceiling, "--memory-ceiling")
    if args.memory_ceiling and (not args.update_ceiling or Path(args.memory_ceiling).is_file()):
        return load_ceiling(args.memory_ceiling)   # the one to check, or whose tolerance to keep
    return None


def _apply_ceiling(path: str, update: bool, ceiling: dict, report: dict,
                   status: int) -> int:
    """--memory-ceiling after the run: write it (--update-ceiling) or check against it."""
    from .memory_report import ceiling_from_report, check_ceiling, write_json
    if update:
        write_json(path, ceiling_from_report(report, (ceiling or {}).get("tolerance")))
        print(f"avmsim: memory ceiling written to {path}", file=sys.stderr)
        return status
    violations = check_ceiling(report, ceiling)
    if violations:
        print(f"avmsim: memory ceiling {path} exceeded:", file=sys.stderr)
        for line in violations:
            print(f"  {line}", file=sys.stderr)
        if status == Exit.OK:
            return int(Exit.MEMORY_CEILING)
    return status
