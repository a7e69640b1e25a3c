"""Several boards in one simulation (``avmsim world.toml``): wires, turns, outputs, errors.

Every run has a virtual ``--timeout`` and the subprocess a host timeout, so nothing hangs.
Expected times come from the UART's 8N1 framing (10 bit times a byte at 115200 baud) and
the apps' own sleeps, never from the simulator's output.
"""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from helpers import avmsim, compile_erl

BAUD = 115_200
BYTE_NS = 10 * 1_000_000_000 / BAUD     # 8N1: start, 8 data bits, stop
HOST_TIMEOUT_S = 120

PING = """
-module(ping).
-export([start/0]).
start() ->
    U = uart:open("UART1", [{speed, 115200}]),
    timer:sleep(10),
    loop(U, 3).
loop(_U, 0) -> io:format("ping done~n"), ok;
loop(U, N) ->
    ok = uart:write(U, io_lib:format("ping ~p~n", [N])),
    {ok, Reply} = uart:read(U),
    io:format("got ~s", [Reply]),
    loop(U, N - 1).
"""

# a ticker keeps timers pending 50 ms apart: the idle board must still answer at once
PONG = """
-module(pong).
-export([start/0]).
start() ->
    spawn(fun tick/0),
    U = uart:open("UART1", [{speed, 115200}]),
    loop(U, 3).
tick() -> timer:sleep(50), tick().
loop(_U, 0) -> io:format("pong done~n"), ok;
loop(U, N) ->
    {ok, Data} = uart:read(U),
    io:format("pong got ~s", [Data]),
    ok = uart:write(U, [<<"pong ">>, Data]),
    loop(U, N - 1).
"""

# two boards on the default open AP: the first ping is a broadcast, then unicast both ways
PINGER = """
-module(pinger).
-export([start/0]).
start() ->
    {ok, {Ip, _, _}} = network:wait_for_sta([{ssid, "avmsim"}], 30000),
    io:format("ip ~p~n", [Ip]),
    {ok, S} = gen_udp:open(5001, [binary, {active, false}, {broadcast, true}]),
    timer:sleep(500),
    ok = gen_udp:send(S, {255, 255, 255, 255}, 5000, <<"ping 3">>),
    loop(S, 3).
loop(_S, 0) -> ok;
loop(S, N) ->
    {ok, {Addr, Port, Data}} = gen_udp:recv(S, 0, 5000),
    io:format("got ~s from ~p:~p~n", [Data, Addr, Port]),
    N > 1 andalso (ok =:= gen_udp:send(S, Addr, Port, io_lib:format("ping ~p", [N - 1]))),
    loop(S, N - 1).
"""

PONGER = """
-module(ponger).
-export([start/0]).
start() ->
    {ok, {Ip, _, _}} = network:wait_for_sta([{ssid, "avmsim"}], 30000),
    io:format("ip ~p~n", [Ip]),
    {ok, S} = gen_udp:open(5000, [binary, {active, false}]),
    loop(S, 3).
loop(_S, 0) -> ok;
loop(S, N) ->
    {ok, {Addr, Port, <<"ping ", K/binary>> = Data}} = gen_udp:recv(S, 0, 10000),
    io:format("got ~s from ~p:~p~n", [Data, Addr, Port]),
    ok = gen_udp:send(S, Addr, Port, <<"pong ", K/binary>>),
    loop(S, N - 1).
"""

WIRES = """
[[wire]]
from = "ping:UART1"
to = "pong:UART1"

[[wire]]                      # by pins: pong's UART1 TX (GPIO10) to ping's UART1 RX (GPIO9)
from = "pong:GPIO10"
to = "ping:GPIO9"
"""


def board(name: str, packs: list[str], kind: str = "esp32-devkit", extra: str = "") -> str:
    packs_toml = ", ".join(f'"{p}"' for p in packs)
    return (f'[[board]]\nname = "{name}"\nboard = "{kind}"\npacks = [{packs_toml}]\n'
            f"{extra}\n")


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with the test apps compiled (one .beam each)."""
    tmp = tmp_path_factory.mktemp("world_apps")
    sources = {"ping": PING, "pong": PONG, "pinger": PINGER, "ponger": PONGER,
               "chatty": """
                   -module(chatty).
                   -export([start/0]).
                   start() ->
                       io:format("first~nsecond "), timer:sleep(5),
                       io:format("half~n"), io:format("no newline"), ok.
               """,
               "waiter": """
                   -module(waiter).
                   -export([start/0]).
                   start() -> receive never -> ok end.
               """,
               "forever": """
                   -module(forever).
                   -export([start/0]).
                   start() -> timer:sleep(1000), start().
               """,
               "echo": """
                   -module(echo).
                   -export([start/0]).
                   start() ->
                       {ok, {Ip, _, _}} = network:wait_for_sta([{ssid, "avmsim"}], 30000),
                       io:format("ip ~p~n", [Ip]),
                       {ok, S} = gen_udp:open(5000, [binary, {active, false}]),
                       loop(S).
                   loop(S) ->
                       {ok, {Addr, Port, Data}} = gen_udp:recv(S, 0),
                       ok = gen_udp:send(S, Addr, Port, <<"echo ", Data/binary>>),
                       loop(S).
               """,
               "ticker": """
                   -module(ticker).
                   -export([start/0]).
                   start() -> tick(0).
                   tick(N) -> io:format("tick ~p~n", [N]), timer:sleep(200), tick(N + 1).
               """,
               "softap": """
                   -module(softap).
                   -export([start/0]).
                   start() ->
                       ok = network:wait_for_ap([{ssid, "boardap"}, {psk, "password1"}], 30000),
                       {ok, S} = gen_udp:open(6000, [binary, {active, false}]),
                       {ok, {Addr, Port, Data}} = gen_udp:recv(S, 0, 20000),
                       io:format("got ~s from ~p~n", [Data, Addr]),
                       gen_udp:send(S, Addr, Port, <<"hi station">>).
               """,
               "station": """
                   -module(station).
                   -export([start/0]).
                   start() ->
                       {ok, {Ip, _, Gw}} = network:wait_for_sta(
                           [{ssid, "boardap"}, {psk, "password1"}], 30000),
                       io:format("ip ~p gateway ~p~n", [Ip, Gw]),
                       {ok, S} = gen_udp:open(0, [binary, {active, false}]),
                       ok = gen_udp:send(S, Gw, 6000, <<"hi ap">>),
                       {ok, {_, _, Reply}} = gen_udp:recv(S, 0, 5000),
                       io:format("got ~s~n", [Reply]).
               """,
               "crash": """
                   -module(crash).
                   -export([start/0]).
                   start() -> timer:sleep(3), erlang:error({oops, 42}).
               """,
               "blink3": _blink("blink3", 3, 10),
               "blink5": _blink("blink5", 5, 7)}
    for name, source in sources.items():
        compile_erl(tmp, name, textwrap.dedent(source))
    return tmp


def _blink(name: str, times: int, period_ms: int) -> str:
    return f"""
        -module({name}).
        -export([start/0]).
        start() -> gpio:set_pin_mode(2, output), blink({times}).
        blink(0) -> ok;
        blink(N) ->
            gpio:digital_write(2, high), timer:sleep({period_ms}),
            gpio:digital_write(2, low), timer:sleep({period_ms}), blink(N - 1).
    """


def write_world(apps: Path, name: str, text: str) -> Path:
    path = apps / name
    path.write_text(text)
    return path


def run_world(world: Path, *options: str):
    return avmsim("--timeout", "5s", *options, str(world), timeout=HOST_TIMEOUT_S)


# ---------------------------------------------------------------------------- UART wires

def test_wired_uarts_exchange_lines_the_same_way_every_run(apps: Path) -> None:
    world = write_world(apps, "pingpong.toml", board("ping", ["ping.beam"])
                        + board("pong", ["pong.beam"]) + WIRES)
    runs = []
    for n in range(3):
        trace, vcd = apps / f"pp{n}.jsonl", apps / f"pp{n}.vcd"
        result = run_world(world, "--trace", str(trace), "--vcd", str(vcd))
        assert result.returncode == 0, result.stderr
        runs.append((result.stdout, result.stderr, trace.read_bytes(), vcd.read_bytes()))
    assert runs[0] == runs[1] == runs[2]
    stdout = runs[0][0]
    assert stdout.splitlines() == [
        "[pong] pong got ping 3", "[ping] got pong ping 3",
        "[pong] pong got ping 2", "[ping] got pong ping 2",
        "[pong] pong got ping 1", "[pong] pong done", "[ping] got pong ping 1",
        "[ping] ping done"]
    assert runs[0][1].splitlines() == ["[ping] Return value: ok", "[pong] Return value: ok"]


def test_bytes_arrive_after_their_time_on_the_wire_and_wake_the_receiver(apps: Path) -> None:
    world = write_world(apps, "timing.toml", board("ping", ["ping.beam"])
                        + board("pong", ["pong.beam"]) + WIRES)
    trace = apps / "timing.jsonl"
    assert run_world(world, "--trace", str(trace)).returncode == 0
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    uart1 = [e for e in events if e["source"] == "UART1"]
    sent = [e for e in uart1 if e["kind"] == "uart_tx"]
    received = [e for e in uart1 if e["kind"] == "uart_rx"]
    assert [e["board"] for e in sent[:2]] == ["ping", "pong"]
    for tx in sent:   # each write arrives whole on the other board, 10 bit times a byte later
        rx = next(e for e in received if e["value"] == tx["value"])
        assert rx["board"] != tx["board"]
        assert rx["t_ns"] - tx["t_ns"] == pytest.approx(len(tx["value"]) * BYTE_NS, abs=1)
    # pong answers within a millisecond of each line although its ticker sleeps 50 ms:
    # it did not jump ahead to its timer while ping was still sending
    for rx in (e for e in received if e["board"] == "pong"):
        reply = next(e for e in sent if e["board"] == "pong" and e["t_ns"] >= rx["t_ns"])
        assert reply["t_ns"] - rx["t_ns"] < 1_000_000


# ---------------------------------------------------------------------------- the network

def test_two_boards_on_one_access_point_ping_pong_over_udp(apps: Path) -> None:
    world = write_world(apps, "udp.toml", board("ping", ["pinger.beam"])
                        + board("pong", ["ponger.beam"]))
    runs = []
    for n in range(3):
        trace, vcd = apps / f"udp{n}.jsonl", apps / f"udp{n}.vcd"
        result = avmsim("--timeout", "20s", "--trace", str(trace), "--vcd", str(vcd),
                        str(world), timeout=HOST_TIMEOUT_S)
        assert result.returncode == 0, result.stderr
        runs.append((result.stdout, result.stderr, trace.read_bytes(), vcd.read_bytes()))
    assert runs[0] == runs[1] == runs[2]
    lines = runs[0][0].splitlines()
    ips = {line.split("]")[0][1:]: line.split("ip ")[1] for line in lines if " ip " in line}
    assert len(set(ips.values())) == 2   # one DHCP lease each, from the AP's subnet
    assert all(ip.startswith("{192,168,1,") for ip in ips.values())
    pong_ip, ping_ip = ips["pong"], ips["ping"]
    exchange = [line for line in lines if " got " in line]
    assert exchange == [
        f"[pong] got ping 3 from {ping_ip}:5001", f"[ping] got pong 3 from {pong_ip}:5000",
        f"[pong] got ping 2 from {ping_ip}:5001", f"[ping] got pong 2 from {pong_ip}:5000",
        f"[pong] got ping 1 from {ping_ip}:5001", f"[ping] got pong 1 from {pong_ip}:5000"]


def test_a_board_in_ap_mode_serves_a_station_board(apps: Path) -> None:
    """ESP-IDF's soft AP is 192.168.4.1/24 and leases from .2 (docs/network.md)."""
    world = write_world(apps, "softap.toml", board("ap", ["softap.beam"])
                        + board("sta", ["station.beam"], "esp32-c3-devkitm"))
    result = avmsim("--timeout", "30s", str(world), timeout=HOST_TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[sta] ip {192,168,4,2} gateway {192,168,4,1}", "[ap] got hi ap from {192,168,4,2}",
        "[sta] got hi station"]


def test_a_forward_reaches_the_board_it_names_while_the_others_run_on(apps: Path) -> None:
    """--forward udp:0:BOARD:5000 in a world; the host's datagrams are echoed, and the other
    board keeps ticking meanwhile (no board waits on the host while another has work)."""
    import socket

    from test_net_host import Background
    world = write_world(apps, "fwd.toml", board("ticker", ["ticker.beam"])
                        + board("echo", ["echo.beam"]))
    run = Background("--headless", "--timeout", "120s", "--forward", "udp:0:echo:5000",
                     str(world))
    try:
        port = run.forwarded_port()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as host:
            host.settimeout(1.0)
            for _ in range(60):     # until the board has joined the AP (about 1.2 s)
                host.sendto(b"hello", ("127.0.0.1", port))
                try:
                    first = host.recv(100)
                    break
                except TimeoutError:
                    continue
            host.settimeout(30.0)
            host.sendto(b"again", ("127.0.0.1", port))
            while (again := host.recv(100)) == b"echo hello":   # a late duplicate's echo
                pass
    finally:
        run.kill()
    out = run.proc.stdout.read()
    assert (first, again) == (b"echo hello", b"echo again")
    assert "[echo] ip {192,168,1," in out
    assert "[ticker] tick 5" in out


# ---------------------------------------------------------------------------- outputs

def test_consoles_are_prefixed_line_by_line(apps: Path) -> None:
    world = write_world(apps, "chat.toml", board("left", ["chatty.beam"])
                        + board("right", ["chatty.beam"], "pico"))
    result = run_world(world)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for name in ("left", "right"):
        assert [line for line in lines if line.startswith(f"[{name}] ")] == [
            f"[{name}] first", f"[{name}] second half", f"[{name}] no newline"]
    assert len(lines) == 6


def test_vcd_has_a_scope_per_board_with_its_own_edges(apps: Path) -> None:
    world = write_world(apps, "blink.toml", board("slow", ["blink3.beam"])
                        + board("fast", ["blink5.beam"]))
    vcd = apps / "blink.vcd"
    result = run_world(world, "--vcd", str(vcd))
    assert result.returncode == 0, result.stderr
    edges = _gpio2_edges(vcd.read_text())
    assert set(edges) == {"slow", "fast"}
    for name, times, period_ms in (("slow", 3, 10), ("fast", 5, 7)):
        assert len(edges[name]) == 2 * times
        gaps = [b - a for a, b in zip(edges[name], edges[name][1:])]
        assert all(period_ms * 1e6 <= gap < (period_ms + 1) * 1e6 for gap in gaps)


def _gpio2_edges(text: str) -> dict[str, list[int]]:
    """Times at which each scope's GPIO2 changed (a small VCD reader)."""
    ids, scope, edges, t = {}, None, {}, 0
    header, _, body = text.partition("$enddefinitions $end")
    for line in header.splitlines():
        if m := re.match(r"\$scope module (\S+) \$end", line):
            scope = m.group(1)
        elif m := re.match(r"\$var wire 1 (\S+) GPIO2 \$end", line):
            ids[m.group(1)] = scope
            edges[scope] = []
    times = [int(line[1:]) for line in body.splitlines() if line.startswith("#")]
    assert times == sorted(times)
    for line in body.split("$end", 1)[1].splitlines():
        if line.startswith("#"):
            t = int(line[1:])
        elif line[1:] in ids:
            edges[ids[line[1:]]].append(t)
    return edges


def test_trace_lines_name_their_board(apps: Path) -> None:
    world = write_world(apps, "chat2.toml", board("left", ["chatty.beam"])
                        + board("right", ["chatty.beam"]))
    trace = apps / "chat2.jsonl"
    assert run_world(world, "--trace", str(trace)).returncode == 0
    records = [json.loads(line) for line in trace.read_text().splitlines()]
    assert {r["board"] for r in records} == {"left", "right"}
    assert all(list(r)[:3] == ["t_ns", "board", "kind"] for r in records)
    boots = [r["board"] for r in records if r["kind"] == "board" and r["value"] == "boot"]
    assert boots == ["left", "right"]


def test_memory_reports_and_serial_logs_are_per_board(apps: Path) -> None:
    world = write_world(apps, "files.toml", board("left", ["chatty.beam"])
                        + board("right", ["chatty.beam"], "pico"))
    result = run_world(world, "--memory-report", str(apps / "mem.json"),
                       "--serial-log", str(apps / "console.log"))
    assert result.returncode == 0, result.stderr
    assert (apps / "console.left.log").read_bytes() == b"first\nsecond half\nno newline"
    assert (apps / "console.right.log").read_bytes() == b"first\nsecond half\nno newline"
    reports = {n: json.loads((apps / f"mem.{n}.json").read_text()) for n in ("left", "right")}
    assert reports["left"]["board"]["name"] == "esp32-devkit"
    assert reports["right"]["board"]["name"] == "pico"


# ---------------------------------------------------------------------------- how a world ends

def test_status_is_the_worst_boards(apps: Path) -> None:
    world = write_world(apps, "timeout.toml", board("done", ["chatty.beam"])
                        + board("busy", ["forever.beam"]))
    result = run_world(world)
    assert result.returncode == 42
    assert "[busy] avmsim: timeout: 5 s of virtual time passed" in result.stderr.splitlines()
    assert "[done] Return value: ok" in result.stderr.splitlines()


def test_a_crash_report_is_prefixed_and_fails_the_world(apps: Path) -> None:
    world = write_world(apps, "crash.toml", board("good", ["chatty.beam"])
                        + board("bad", ["crash.beam"]) + board("busy", ["forever.beam"]))
    result = run_world(world)
    assert result.returncode == 1   # the crash beats the other board's timeout
    lines = result.stderr.splitlines()
    report = [line for line in lines if line.startswith("[bad] ")]
    assert len(report) > 2 and any("{oops,42}" in line for line in report)
    assert {line.split(" ", 1)[0] for line in lines} == {"[good]", "[bad]", "[busy]"}


def test_every_board_waiting_forever_is_a_deadlock(apps: Path) -> None:
    world = write_world(apps, "stuck.toml", board("a", ["waiter.beam"])
                        + board("b", ["waiter.beam"]))
    result = avmsim(str(world), timeout=HOST_TIMEOUT_S)   # no deadline: nothing is pending
    assert result.returncode == 11
    lines = result.stderr.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["[a]", "[b]"]
    assert all("every process is waiting" in line for line in lines)


def test_expected_text_on_one_board_ends_the_world(apps: Path) -> None:
    world = write_world(apps, "expect.toml", board("ping", ["ping.beam"])
                        + board("pong", ["pong.beam"]) + board("idle", ["forever.beam"])
                        + WIRES)
    result = run_world(world, "--expect-text", "pong got ping 2")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[1].startswith("[pong] avmsim: expected text 'pong got ping 2' seen at ")
    for name, line in (("ping", lines[0]), ("idle", lines[2])):
        assert re.fullmatch(rf"\[{name}\] avmsim: stopped at [0-9.]+ s: board 'pong' ended "
                            "the run", line)
    assert "[pong] pong got ping 1" not in result.stdout


# ---------------------------------------------------------------------------- bad world files

BAD_WORLDS = [
    ("syntax", '[[board]]\nname = "a"\nboard = = "pico"\n',
     r"syntax\.toml:3: not valid TOML: .*\(at line 3, column 9\)"),
    ("no_pack", board("a", ["missing.avm"]), r"no_pack\.toml:4: board 'a': packs: no such file"),
    ("twice", board("a", ["ping.beam"]) + board("a", ["pong.beam"]),
     r"twice\.toml:7: board name 'a' is used twice"),
    ("unknown_board", board("a", ["ping.beam"], "esp33"),
     r"unknown_board\.toml:3: board 'a': board: unknown board 'esp33'"),
    ("no_uart", board("a", ["ping.beam"]) + '[[wire]]\nfrom = "a:UART7"\nto = "a:UART1"\n',
     r"no_uart\.toml:7: wire #1: from: board 'a' \(esp32-devkit\) has no UART 'UART7'"),
    ("no_board", board("a", ["ping.beam"]) + '[[wire]]\nfrom = "a:UART1"\nto = "b:UART1"\n',
     r"no_board\.toml:8: wire #1: to: no board named 'b'"),
    ("unknown_key", board("a", ["ping.beam"], extra='colour = "red"'),
     r"unknown_key\.toml:5: board 'a': colour: unknown key"),
    ("bad_ap", board("a", ["ping.beam"]) + '[[wifi]]\nssid = "home"\nchannel = 99\n',
     r"bad_ap\.toml:8: wifi #1: channel: 1 to 13"),
    ("nameless", '[[board]]\nboard = "pico"\npacks = ["ping.beam"]\n',
     r"nameless\.toml:1: board #1: needs a name"),
]


@pytest.mark.parametrize("name,text,message", BAD_WORLDS, ids=[b[0] for b in BAD_WORLDS])
def test_a_bad_world_file_is_one_line_and_status_2(apps: Path, name: str, text: str,
                                                    message: str) -> None:
    world = write_world(apps, f"{name}.toml", text)
    result = run_world(world)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert re.match(rf"avmsim: \S*{message}", result.stderr), result.stderr


def test_single_board_options_are_refused(apps: Path) -> None:
    world = write_world(apps, "one.toml", board("a", ["chatty.beam"]))
    result = run_world(world, "--parts", "parts.toml")
    assert result.returncode == 2
    assert result.stderr.startswith("avmsim: --parts: not with a world file")


# ---------------------------------------------------------------------------- Python API

def test_boards_of_one_kind_get_mac_addresses_four_apart(apps: Path) -> None:
    """ESP-IDF gives a chip four MACs from its base (station, soft AP, BT, Ethernet)."""
    from avmsim.world import World
    from avmsim.world_file import load_world_file
    world = World(load_world_file(write_world(
        apps, "macs.toml", board("a", ["chatty.beam"]) + board("b", ["chatty.beam"])
        + board("c", ["chatty.beam"], extra='mac = "02:00:00:00:00:10"'))))
    macs = [world.sims[n].devices.mac.hex(":") for n in "abc"]
    assert macs == ["24:0a:c4:00:32:01", "24:0a:c4:00:32:05", "02:00:00:00:00:10"]


def test_a_world_pauses_and_runs_on(apps: Path) -> None:
    from avmsim.world import World
    from avmsim.world_file import load_world_file
    world = World(load_world_file(write_world(
        apps, "pause.toml", board("slow", ["blink3.beam"]) + board("fast", ["blink5.beam"]))))
    first = world.run(until_ns=15_000_000)
    assert {r.why for r in first.values()} == {"paused"}
    assert world.sims["slow"].pin("GPIO2") == 0 and world.sims["fast"].pin("GPIO2") == 1
    final = world.run(until_ns=2_000_000_000, timeout=True)
    assert {r.why for r in final.values()} == {"returned"}


# ---------------------------------------------------------------------------- turns and the view

def test_turns_go_to_the_board_furthest_behind_ties_to_the_first() -> None:
    """Three scripted boards: each asks for its turn at the times listed, then ends."""
    import threading

    from avmsim.world_turns import Turns
    plans = {0: [0, 5, 5, 30], 1: [0, 2, 5, 6], 2: [1, 40]}
    turns, order = Turns(3), []

    def board(index: int) -> None:
        turns.wait_first(index)
        for t in plans[index]:
            turns.take(index, lambda t=t: t)
            order.append((t, index))
        turns.end(index)

    threads = [threading.Thread(target=board, args=(i,), daemon=True) for i in plans]
    for thread in threads:
        thread.start()
    turns.wait_done()
    assert order == sorted(order)
    assert order[:3] == [(0, 0), (0, 1), (1, 2)]


def test_a_board_waiting_forever_is_woken_by_an_earlier_event() -> None:
    """Board 0 waits with nothing pending (None) until board 1 gives it a time."""
    import threading

    from avmsim.world_turns import Turns
    turns, order, wake = Turns(2), [], [None]

    def waiter() -> None:
        turns.wait_first(0)
        turns.take(0, lambda: wake[0])
        order.append(("waiter", wake[0]))
        turns.end(0)

    def sender() -> None:
        turns.wait_first(1)
        for t in (10, 20, 30):
            turns.take(1, lambda t=t: t)
            order.append(("sender", t))
            if t == 20:
                wake[0] = 25      # e.g. a UART write that arrives at 25
        turns.end(1)

    threads = [threading.Thread(target=f, daemon=True) for f in (waiter, sender)]
    for thread in threads:
        thread.start()
    turns.wait_done()
    assert order == [("sender", 10), ("sender", 20), ("waiter", 25), ("sender", 30)]


def test_the_live_view_stacks_every_board(apps: Path) -> None:
    from rich.console import Console

    from avmsim.world import World
    from avmsim.world_file import load_world_file
    from avmsim.world_view import world_view
    world = World(load_world_file(write_world(
        apps, "view.toml",
        board("slow", ["blink3.beam"]) + board("tiny", ["chatty.beam"], "pico"))))
    view = world_view(world)
    world.run(until_ns=2_000_000_000, timeout=True)
    console = Console(record=True, width=120, height=80, force_terminal=True)
    console.print(view.frame())
    text = console.export_text()
    assert text.index("slow (esp32-devkit)") < text.index("tiny (pico)")
    assert "second half" in text            # the pico's console panel
    assert "GPIO2 output" in " ".join(text.split())   # the devkit's pins panel
