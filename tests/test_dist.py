"""Erlang distribution end to end: epmd, net_kernel over socket_dist, two boards, host OTP.

The apps are tests/dist/*.erl; where a value is a structure, the app compares it with the
expected one and prints `what: ok` (or the value). Expected values come from the
references: the EPMD protocol and OTP's epmd (result bytes), AtomVM's epmd (first creation
42, names newest first), AtomVM's net_kernel (option errors, get_state maps), AtomVM's
dist_nifs (no monitor of a remote pid: badarg) and a live OTP 25 node. Every run has a
virtual --timeout and the subprocess a host timeout.
"""
from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from helpers import avmsim, compile_erl

PROGRAMS = Path(__file__).parent / "dist"
HOST_TIMEOUT_S = 120
OTP_COOKIE = "avmsim-otp"


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/dist/*.erl compiled into one directory."""
    tmp = tmp_path_factory.mktemp("dist_apps")
    for source in sorted(PROGRAMS.glob("*.erl")):
        compile_erl(tmp, source.stem, source.read_text())
    return tmp


def world(apps: Path, name: str, ping_app: str, pong_app: str = "dist_pong") -> Path:
    """Two ESP32 boards on the default access point, `ping` and `pong`, running these apps."""
    boards = [("ping", ping_app), ("pong", pong_app)]
    text = "".join(f'[[board]]\nname = "{board}"\nboard = "esp32-devkit"\n'
                   f'packs = ["{app}.beam", "dist_node.beam"]\n\n' for board, app in boards)
    path = apps / name
    path.write_text(text)
    return path


def board_lines(stdout: str, board: str) -> list[str]:
    """The board's console lines; a term ~p broke over lines is joined back into one."""
    prefix = f"[{board}] "
    lines: list[str] = []
    for line in stdout.splitlines():
        if line.startswith(prefix):
            text = line[len(prefix):]
            if text[:1].isspace() and lines:
                lines[-1] += " " + text.strip()
            else:
                lines.append(text)
    return lines


def test_epmd_on_a_board_registers_looks_up_and_lists_names(apps: Path) -> None:
    result = avmsim("--board", "generic-unix", "--timeout", "10s",
                    str(apps / "epmd_local.beam"), timeout=HOST_TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{what}: ok" for what in [
        "register alpha", "register again", "beta reply", "duplicate alpha reply",
        "port alpha", "port beta", "port nobody", "names", "names after beta left",
        "port beta after", "names after stop"]]


def test_net_kernel_options_state_cookies_and_stop(apps: Path) -> None:
    result = avmsim("--board", "generic-unix", "--timeout", "10s",
                    str(apps / "dist_options.beam"), timeout=HOST_TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{what}: ok" for what in [
        "state before", "erlang:get_cookie before", "erlang:md5", "bad option", "long name without dot", "short name with dot",
        "name not an atom", "options not a map", "supervisor", "node", "creation", "state",
        "port", "random cookie", "cookies", "erlang cookies", "stop", "state after", "names after",
        "stop again"]]


def test_two_boards_ping_pong_the_same_way_every_run(apps: Path) -> None:
    """The issue's acceptance test: identical stdout and trace in three runs."""
    path = world(apps, "pingpong.toml", "dist_ping")
    runs = []
    for n in range(3):
        trace = apps / f"pingpong{n}.jsonl"
        result = avmsim("--timeout", "60s", "--trace", str(trace), str(path),
                        timeout=HOST_TIMEOUT_S)
        assert result.returncode == 0, result.stderr
        runs.append((result.stdout, trace.read_bytes()))
    assert runs[0] == runs[1] == runs[2]
    stdout = runs[0][0]
    ping, pong = board_lines(stdout, "ping"), board_lines(stdout, "pong")
    ping_node = re.fullmatch(r"node '(ping@192\.168\.1\.\d+)' \(true\)", ping[0]).group(1)
    pong_node = re.fullmatch(r"node '(pong@192\.168\.1\.\d+)' \(true\)", pong[0]).group(1)
    assert ping[1:] == [
        f"peer '{pong_node}'",
        *(f"pong {n}" for n in range(1, 6)),
        "pong pid: true true false",       # a pid of the other node
        *(f"pong {n}" for n in range(6, 11)),
        "monitor: badarg",                 # AtomVM: monitor/2 takes local pids only
        "link: done",                      # the link to the remote pid carries its exit reason
        "stop: ok"]
    assert pong[1:] == [*(f"ping {n} from '{ping_node}'" for n in range(1, 11)),
                        "pong ended: done", "stop: ok"]
    # every ping precedes its pong on the one clock of the world
    exchange = [line for line in stdout.splitlines() if re.search(r"\] p[io]ng \d+", line)]
    assert exchange == [line for n in range(1, 11)
                        for line in (f"[pong] ping {n} from '{ping_node}'", f"[ping] pong {n}")]


def test_a_wrong_cookie_fails_the_handshake(apps: Path) -> None:
    result = avmsim("--timeout", "60s", str(world(apps, "badcookie.toml", "dist_ping_badcookie")),
                    timeout=HOST_TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    ping, pong = board_lines(result.stdout, "ping"), board_lines(result.stdout, "pong")
    ping_node, pong_node = ping[0].split("'")[1], pong[0].split("'")[1]
    # the accepting side checks the digest and gives up (AtomVM's dist_util shutdown line);
    # the connecting side then reads a closed socket instead of the challenge ack
    assert re.fullmatch(r"dist_util: shutting down connection dist_util:\d+, "
                        rf"data=\{{'{re.escape(ping_node)}', ?invalid_challenge\}}, reason=shutdown",
                        pong[1])
    assert re.fullmatch(r"dist_util: shutting down connection dist_util:\d+, "
                        rf"data=\{{'{re.escape(pong_node)}', ?recv_error\}}, reason=closed",
                        ping[1])
    assert ping[2:] == ["no reply"]
    assert pong[2:] == ["no ping came", "stop: ok"]


def test_two_nodes_connecting_to_each_other_at_once_keep_one_connection(apps: Path) -> None:
    """Both boards send at the same virtual time: each sets a connection up while the other
    does. As in OTP, the node with the larger name refuses the other's (its handshake
    answers `nok', AtomVM's shutdown line) and both use the one it started."""
    path = world(apps, "simultaneous.toml", "dist_simultaneous", "dist_simultaneous")
    result = avmsim("--timeout", "30s", str(path), timeout=HOST_TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    ping, pong = board_lines(result.stdout, "ping"), board_lines(result.stdout, "pong")
    nodes = {"ping": ping[0].split("'")[1], "pong": pong[0].split("'")[1]}
    small, large = sorted(nodes, key=nodes.get)
    lines = {"ping": ping[1:], "pong": pong[1:]}
    refusal = [line for line in lines[large] if line.startswith("dist_util:")]
    assert len(refusal) == 1 and f"data='{nodes[small]}', reason=shutdown" in refusal[0]
    for board, other in ((small, large), (large, small)):
        assert [line for line in lines[board] if not line.startswith("dist_util:")] == [
            f"hello from '{nodes[other]}'", f"again from '{nodes[other]}'"]


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} (OTP) is needed on the host for this test"
    return path


def _wait_for_line(proc: subprocess.Popen, expected: str, timeout_s: float) -> list[str]:
    """Lines of proc's stdout up to and including `expected` (fails after timeout_s)."""
    lines: list[str] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], deadline - time.monotonic())
        if not ready:
            break
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if lines[-1] == expected:
            return lines
    raise AssertionError(f"no {expected!r} from the OTP node: {lines}")


def test_a_board_talks_to_a_host_otp_node(apps: Path) -> None:
    """The board dials the OTP node through its gateway (10.0.2.2 is the host's loopback):
    names and port lookup in the host's epmd, handshake, messages both ways, a monitor
    from OTP, a spawn from OTP whose output goes to OTP's group leader."""
    subprocess.run([_tool("epmd"), "-daemon"], check=True, timeout=30)
    otp_name = f"avmsim_otp_{os.getpid()}"
    otp = subprocess.Popen(
        [_tool("erl"), "-noshell", "-pa", str(apps), "-name", f"{otp_name}@10.0.2.2",
         "-setcookie", OTP_COOKIE, "-s", "otp_peer", "start"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for_line(otp, "ready", 30)
        result = avmsim("--board", "generic-unix", "--timeout", "60s",
                        str(apps / "dist_otp_board.beam"), timeout=HOST_TIMEOUT_S)
        otp_out, _ = otp.communicate(timeout=30)
    finally:
        if otp.poll() is None:
            otp.kill()
            otp.wait()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"host epmd has '{otp_name}@10.0.2.2'", "worker's term echoed: ok",
        "otp saw the worker exit: ok", "otp pid: ok", "stop: ok"]
    # remote spawn: the process runs on the board, its group leader is the OTP node's, so
    # what it prints comes out of the OTP node (maybe before spawn/4 has returned there)
    otp_lines = otp_out.splitlines()
    assert otp_lines[:2] == ["hello from 'board@10.0.2.15'", "down bye"], otp_out
    assert sorted(otp_lines[2:]) == ["spawned on 'board@10.0.2.15'", "spawned true"], otp_out
    assert otp.returncode == 0


def test_the_dist_pingpong_example_world() -> None:
    """examples/dist_pingpong: one app on two boards; the smaller node name pings."""
    world_file = Path(__file__).resolve().parent.parent / "examples/dist_pingpong/world.toml"
    result = avmsim("--timeout", "60s", str(world_file), timeout=HOST_TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    boards = {board: board_lines(result.stdout, board) for board in ("left", "right")}
    names = {board: lines[0].removeprefix("I am ") for board, lines in boards.items()}
    pinger, ponger = sorted(boards, key=lambda board: names[board])
    assert boards[pinger][1:] == [f"pong {n} from {names[ponger]}" for n in range(1, 6)] + ["done"]
    assert boards[ponger][1:] == [f"ping {n} from {names[pinger]}" for n in range(1, 6)] + ["done"]
