"""The bridge to the host (peripherals/net_host.py): --forward, the gateway address, --net-allow.

Boards run on generic-unix, whose wired interface is up from boot (10.0.2.15, the host at the
gateway 10.0.2.2, as QEMU's user networking). The host side is plain Python (urllib, socket).
What is expected comes from the contract of issue 11 and the reasons AtomVM returns: a host
port reaches the board's listener; the gateway address is the host's 127.0.0.1; any other
address is ``ehostunreach`` unless --net-allow admits it; the host's refusals and resets are
``econnrefused`` / ``econnreset``; without host sockets, runs repeat byte for byte. Every
test that waits on the host has a timeout (subprocess timeouts, or a host-clock limit on
the steps of a Python-driven run).
"""
from __future__ import annotations

import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import pytest

from helpers import avmsim, compile_erl

from avmsim.boards import get_board
from avmsim.exit_codes import Exit
from avmsim.host_inputs import HostInputs
from avmsim.peripherals.net import IpNetwork, NetError, NetStack
from avmsim.peripherals.net_host import GatewayError, HostGateway
from avmsim.peripherals.net_host_rules import Allow, Forward, RuleError, parse_allow, \
    parse_forward
from avmsim.simulation import Simulation

MS = 1_000_000
RUN_TIMEOUT_S = 60
STEP_LIMIT_S = 20
BOARD_IP = (10, 0, 2, 15)
GATEWAY_IP = (10, 0, 2, 2)


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A host port on 127.0.0.1 nothing uses (bound, then released)."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def host_address() -> str:
    """The host's own IPv4 address on its default route: not the board's loopback, so only
    --net-allow can let the board reach it. (Fails, not skips, on a host without one.)"""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("198.51.100.1", 9))   # TEST-NET-2: nothing is sent, a route is chosen
        address = s.getsockname()[0]
    assert not address.startswith("127."), "the host has no non-loopback IPv4 address"
    return address


class Background:
    """``avmsim ARGS`` running in the background, its stderr read by lines."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "avmsim.cli", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self.err: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.err.put(line)

    def forwarded_port(self) -> int:
        """The host port the run says its first forward listens on."""
        line = self.err.get(timeout=RUN_TIMEOUT_S)
        assert "forwarded to port" in line, line
        return int(line.split("127.0.0.1:")[1].split()[0])

    def finish(self) -> tuple[int, str, str]:
        out, _ = self.proc.communicate(timeout=RUN_TIMEOUT_S)
        rest = []
        while not self.err.empty():
            rest.append(self.err.get())
        return self.proc.returncode, out, "".join(rest)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# --------------------------------------------------------------------------- a page from the board

HTTP_APP = """
-module(web).
-export([start/0]).
start() ->
    {ok, L} = gen_tcp:listen(80, [binary, {active, false}, {reuseaddr, true}]),
    {ok, S} = gen_tcp:accept(L),
    {ok, Request} = recv_request(S, <<>>),
    [RequestLine | _] = binary:split(Request, <<"\\r\\n">>),
    io:format("request: ~s~n", [RequestLine]),
    Body = <<"hello from the board">>,
    ok = gen_tcp:send(S, [<<"HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\n">>,
                          <<"Content-Length: ">>, integer_to_list(byte_size(Body)),
                          <<"\\r\\n\\r\\n">>, Body]),
    ok = gen_tcp:close(S),
    timer:sleep(200),
    ok.
recv_request(S, Acc) ->
    case binary:match(Acc, <<"\\r\\n\\r\\n">>) of
        nomatch -> {ok, More} = gen_tcp:recv(S, 0), recv_request(S, <<Acc/binary, More/binary>>);
        _ -> {ok, Acc}
    end.
"""


def test_host_http_client_fetches_a_page_from_the_board(tmp_path: Path) -> None:
    """--forward tcp:0:80: urllib on the host gets the board's page through 127.0.0.1."""
    beam = compile_erl(tmp_path, "web", HTTP_APP)
    run = Background("--board", "generic-unix", "--headless", "--forward", "tcp:0:80",
                     str(beam))
    try:
        port = run.forwarded_port()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.txt", timeout=20) as rsp:
            assert rsp.status == 200
            assert rsp.headers["Content-Type"] == "text/plain"
            assert rsp.read() == b"hello from the board"
        status, out, err = run.finish()
    finally:
        run.kill()
    assert status == Exit.OK, err
    assert out == "request: GET /index.txt HTTP/1.1\n"


# ------------------------------------------------------------------------ the board calls the host

CLIENT_APP = """
-module(caller).
-export([start/0]).
start() ->
    {ok, S} = gen_tcp:connect({10,0,2,2}, PORT, [binary, {active, false}]),
    ok = gen_tcp:send(S, <<"ping">>),
    io:format("reply: ~p~n", [gen_tcp:recv(S, 0, 3000)]),
    io:format("then: ~p~n", [gen_tcp:recv(S, 0)]),
    ok.
"""


def test_board_reaches_a_host_server_at_its_gateway_address(tmp_path: Path) -> None:
    """The board connects to 10.0.2.2:PORT and talks to a server on the host's 127.0.0.1.
    The host answers after 1 s of its own time: the board's 3 s receive timeout, in virtual
    time, must not expire first (the board keeps pace with the host while it waits), and
    the wait with no timeout for the host's close must not be taken for a deadlock."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(RUN_TIMEOUT_S)
    port = server.getsockname()[1]
    heard: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            heard.append(conn.recv(100))
            time.sleep(1.0)
            conn.sendall(b"pong")
            time.sleep(0.5)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    beam = compile_erl(tmp_path, "caller", CLIENT_APP.replace("PORT", str(port)))
    r = avmsim("--board", "generic-unix", "--headless", str(beam), timeout=RUN_TIMEOUT_S)
    thread.join(timeout=RUN_TIMEOUT_S)
    server.close()
    assert r.returncode == Exit.OK, r.stderr
    assert heard == [b"ping"]
    assert r.stdout == "reply: {ok,<<\"pong\">>}\nthen: {error,closed}\n"


ESP32_CLIENT_APP = """
-module(espcaller).
-export([start/0]).
start() ->
    {ok, {_IP, _Mask, Gateway}} = network:wait_for_sta([{ssid, "avmsim"}], 20000),
    {ok, S} = gen_tcp:connect(Gateway, PORT, [binary, {active, false}]),
    ok = gen_tcp:send(S, <<"hi">>),
    io:format("~p ~p~n", [Gateway, gen_tcp:recv(S, 0, 5000)]),
    ok.
"""


def test_esp32_reaches_the_host_at_its_access_points_gateway(tmp_path: Path) -> None:
    """On an ESP32 joined to the default access point, the gateway DHCP gave is the host."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(RUN_TIMEOUT_S)

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.sendall(b"back:" + conn.recv(100))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    beam = compile_erl(tmp_path, "espcaller",
                       ESP32_CLIENT_APP.replace("PORT", str(server.getsockname()[1])))
    r = avmsim("--board", "esp32-devkit", "--headless", str(beam), timeout=RUN_TIMEOUT_S)
    thread.join(timeout=RUN_TIMEOUT_S)
    server.close()
    assert r.returncode == Exit.OK, r.stderr
    assert r.stdout == '{192,168,1,1} {ok,<<"back:hi">>}\n'


# --------------------------------------------------------------------------- Python-driven runs

IDLE_APP = """
-module(idle).
-export([start/0]).
start() -> receive stop -> ok end.
"""


class Board:
    """A generic-unix board idling, its network bridged to the host, driven from Python."""

    def __init__(self, tmp_path: Path, forwards: Sequence[Forward] = (),
                 allow: Sequence[Allow] = ()) -> None:
        beam = compile_erl(tmp_path, "idle", IDLE_APP)
        self.sim = Simulation(get_board("generic-unix"), [str(beam)])
        self.inputs = HostInputs(self.sim)
        self.gateway = HostGateway(self.sim.network.ip, list(forwards), list(allow))
        self.inputs.pace_with(self.gateway)
        self.net = self.sim.devices.net

    def run_until(self, done, what: str) -> None:
        """Run in short virtual steps until ``done()`` (at most STEP_LIMIT_S of host time)."""
        limit = time.monotonic() + STEP_LIMIT_S
        while not done():
            assert time.monotonic() < limit, f"timed out waiting for {what}"
            self.sim.run(until_ns=self.sim.now_ns() + 20 * MS)

    def connect(self, ip: tuple[int, int, int, int], port: int) -> tuple[object, list]:
        sock = self.net.open("tcp")
        result: list = []
        sock.connect(ip, port, result.append)
        self.run_until(lambda: result, "the connection")
        return sock, result

    def close(self) -> None:
        self.inputs.close()


@pytest.fixture
def board(tmp_path: Path):
    made: list[Board] = []

    def make(**kw) -> Board:
        made.append(Board(tmp_path, **kw))
        return made[-1]
    yield make
    for b in made:
        b.close()


def listening_host_server() -> socket.socket:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(STEP_LIMIT_S)
    return server


def test_gateway_address_reaches_host_loopback_at_the_same_port(board) -> None:
    server = listening_host_server()
    b = board()
    sock, result = b.connect(GATEWAY_IP, server.getsockname()[1])
    assert result == [None]
    conn, _ = server.accept()
    assert sock.send(b"abc") == 3
    got = bytearray()
    b.run_until(lambda: got.extend(_recv_some(conn)) or got == b"abc", "the host to hear")
    conn.sendall(b"xyz")
    conn.shutdown(socket.SHUT_WR)
    data = bytearray()
    b.run_until(lambda: _drain(sock, data), "the board to read to the end")
    assert data == b"xyz"
    conn.close()
    server.close()


def _recv_some(conn: socket.socket) -> bytes:
    conn.setblocking(False)
    try:
        return conn.recv(100)
    except BlockingIOError:
        return b""


def _drain(sock, into: bytearray) -> bool:
    """Read what the board socket has; True at the end of the stream."""
    while (chunk := sock.recv(0)) is not None:
        if not chunk:
            return True
        into += chunk
    return False


def test_refused_host_port_is_econnrefused(board) -> None:
    b = board()
    _, result = b.connect(GATEWAY_IP, free_port())
    assert result == ["econnrefused"]


def test_host_reset_reaches_the_board_as_econnreset(board) -> None:
    server = listening_host_server()
    b = board()
    sock, result = b.connect(GATEWAY_IP, server.getsockname()[1])
    assert result == [None]
    conn, _ = server.accept()
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()   # linger 0: a RST
    errors: list[str] = []

    def reset_seen() -> bool:
        try:
            sock.recv(0)
        except NetError as err:
            errors.append(err.reason)
        return bool(errors)
    b.run_until(reset_seen, "the reset")
    assert errors == ["econnreset"]
    server.close()


def test_other_addresses_are_unreachable_without_net_allow(board) -> None:
    address = host_address()
    server = socket.create_server((address, 0))
    port = server.getsockname()[1]
    ip = tuple(int(x) for x in address.split("."))
    blocked = board()
    assert blocked.connect(ip, port)[1] == ["ehostunreach"]
    allowed = board(allow=[parse_allow(f"{address}:{port}")])
    assert allowed.connect(ip, port)[1] == [None]
    assert allowed.connect(ip, port + 1 if port < 65535 else port - 1)[1] == ["ehostunreach"]
    everywhere = board(allow=[parse_allow(address)])
    assert everywhere.connect(ip, port)[1] == [None]
    server.close()


def test_forward_into_a_port_nothing_listens_on_resets_the_host_connection(board) -> None:
    b = board(forwards=[parse_forward("tcp:0:8080")])
    port = b.gateway.host_port(0)
    client = socket.create_connection(("127.0.0.1", port), timeout=STEP_LIMIT_S)
    client.setblocking(False)
    outcome: list[str] = []

    def closed() -> bool:
        try:
            data = client.recv(10)
        except BlockingIOError:
            return False
        except ConnectionResetError:
            outcome.append("reset")
            return True
        outcome.append(f"data {data!r}")
        return True
    b.run_until(closed, "the host connection to end")
    assert outcome == ["reset"]
    client.close()


def test_forwarded_connection_comes_from_the_gateway_address(board) -> None:
    b = board(forwards=[parse_forward("tcp:0:7")])
    listener = b.net.open("tcp")
    listener.bind(None, 7)
    listener.listen(1)
    client = socket.create_connection(("127.0.0.1", b.gateway.host_port(0)),
                                      timeout=STEP_LIMIT_S)
    client.sendall(b"echo me")
    accepted: list = []
    b.run_until(lambda: accepted.append(listener.accept()) or accepted[-1] is not None,
                "the board to accept")
    conn = accepted[-1]
    assert conn.peername()[0] == GATEWAY_IP
    assert conn.sockname() == (BOARD_IP, 7)
    data = bytearray()
    b.run_until(lambda: _take(conn, data, 7), "the board to read")
    assert conn.send(bytes(data)) == 7
    conn.close()
    client.settimeout(STEP_LIMIT_S)
    got = bytearray()
    b.run_until(lambda: got.extend(_recv_some(client)) or got == b"echo me", "the echo")
    client.close()


def test_forwards_listen_on_the_host_loopback_only(board) -> None:
    b = board(forwards=[parse_forward("tcp:0:80"), parse_forward("udp:0:5000")])
    tcp_port, udp_port = b.gateway.host_port(0), b.gateway.host_port(1)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host_address(), tcp_port), timeout=STEP_LIMIT_S)
    socket.create_connection(("127.0.0.1", tcp_port), timeout=STEP_LIMIT_S).close()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((host_address(), udp_port))   # free there: the forward holds 127.0.0.1 only
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        with pytest.raises(OSError):
            probe.bind(("127.0.0.1", udp_port))


def _take(sock, into: bytearray, n: int) -> bool:
    chunk = sock.recv(0)
    if chunk:
        into += chunk
    return len(into) >= n


def test_udp_forward_and_replies_from_the_forwarded_port(board) -> None:
    b = board(forwards=[parse_forward("udp:0:5000")])
    sock = b.net.open("udp")
    sock.bind(None, 5000)
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.connect(("127.0.0.1", b.gateway.host_port(0)))
    client.send(b"hello")
    got: list = []
    b.run_until(lambda: got.append(sock.recvfrom(0)) or got[-1] is not None, "the datagram")
    data, sender = got[-1]
    assert data == b"hello" and sender == (GATEWAY_IP, client.getsockname()[1])
    sock.sendto(b"re:" + data, *sender)
    client.settimeout(0)
    replies: list[bytes] = []
    b.run_until(lambda: _datagram(client, replies), "the reply")
    assert replies == [b"re:hello"]
    client.close()


def _datagram(sock: socket.socket, into: list[bytes]) -> bool:
    try:
        into.append(sock.recv(100))
    except BlockingIOError:
        return False
    return True


def test_without_host_sockets_the_gateway_is_idle(board) -> None:
    """A board whose network has no forward and no host connection leaves nothing open:
    its virtual time does not wait for the host."""
    b = board()
    assert not b.gateway.active() and b.gateway.fds() == []
    start = time.monotonic()
    b.sim.run(until_ns=10_000 * MS)   # 10 s of an idle board's virtual time
    assert time.monotonic() - start < 5


# --------------------------------------------------------------------------- options

@pytest.mark.parametrize("spec, expected", [
    ("tcp:8080:80", Forward("tcp", 8080, None, 80, "tcp:8080:80")),
    ("udp:0:5000", Forward("udp", 0, None, 5000, "udp:0:5000")),
    ("tcp:8080:node1:80", Forward("tcp", 8080, "node1", 80, "tcp:8080:node1:80")),
])
def test_forward_rules(spec: str, expected: Forward) -> None:
    assert parse_forward(spec) == expected


def test_allow_rules_resolve_names_when_read() -> None:
    assert parse_allow("192.0.2.7").addresses == {(192, 0, 2, 7)}
    assert parse_allow("192.0.2.7").port is None
    rule = parse_allow("localhost:8000")
    assert (127, 0, 0, 1) in rule.addresses and rule.port == 8000
    assert rule.permits((127, 0, 0, 1), 8000) and not rule.permits((127, 0, 0, 1), 8001)
    with pytest.raises(RuleError, match="--net-allow no-such-host.invalid: cannot resolve"):
        parse_allow("no-such-host.invalid")


@pytest.mark.parametrize("args, named", [
    (["--forward", "tcp:80"], "--forward tcp:80:"),
    (["--forward", "sctp:1:2"], "--forward sctp:1:2:"),
    (["--forward", "tcp:70000:80"], "--forward tcp:70000:80: HOSTPORT"),
    (["--forward", "udp:5000:0"], "--forward udp:5000:0: BOARDPORT"),
    (["--forward", "tcp:1:nosuchboard:2"], "--forward tcp:1:nosuchboard:2: no board"),
    (["--net-allow", "example.com:http"], "--net-allow example.com:http: PORT"),
    (["--net-allow", ":80"], "--net-allow :80:"),
])
def test_malformed_options_exit_2_with_one_line(tmp_path: Path, args: list[str],
                                                named: str) -> None:
    beam = compile_erl(tmp_path, "idle", IDLE_APP)
    r = avmsim("--board", "generic-unix", "--headless", *args, str(beam), timeout=RUN_TIMEOUT_S)
    assert r.returncode == Exit.USAGE
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"avmsim: {named}"), r.stderr


def test_forwards_in_a_world_name_their_board() -> None:
    """With several boards on one network, a forward says which board it reaches."""
    network = IpNetwork()
    NetStack(network, "sensor", None)
    NetStack(network, "hub", None)
    gateway = HostGateway(network, [parse_forward("tcp:0:hub:80")], [])
    try:
        assert network.gateway is gateway
        assert gateway.describe() == [f"tcp 127.0.0.1:{gateway.host_port(0)} forwarded to "
                                      "port 80 of hub"]
    finally:
        gateway.close()
    with pytest.raises(GatewayError, match=r"^--forward tcp:0:80: name the board "
                                           r"\(tcp:0:BOARD:80; boards: sensor, hub\)$"):
        HostGateway(network, [parse_forward("tcp:0:80")], [])


def test_host_port_in_use_exits_2_naming_the_option(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "idle", IDLE_APP)
    taken = socket.create_server(("127.0.0.1", 0))
    port = taken.getsockname()[1]
    try:
        r = avmsim("--board", "generic-unix", "--headless", "--forward", f"tcp:{port}:80",
                   str(beam), timeout=RUN_TIMEOUT_S)
    finally:
        taken.close()
    assert r.returncode == Exit.USAGE
    assert r.stderr == (f"avmsim: --forward tcp:{port}:80: cannot listen on "
                        f"127.0.0.1:{port}: the host port is in use\n")


def test_forward_on_a_board_without_network_exits_2(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "idle", IDLE_APP)
    r = avmsim("--board", "nucleo-f429zi", "--headless", "--forward", "tcp:0:80", str(beam),
               timeout=RUN_TIMEOUT_S)
    assert r.returncode == Exit.USAGE
    assert r.stderr == "avmsim: --forward tcp:0:80: board nucleo-f429zi has no network\n"


# --------------------------------------------------------------------------- determinism

LOCAL_NET_APP = """
-module(localnet).
-export([start/0]).
start() ->
    {ok, L} = gen_tcp:listen(7, [binary, {active, false}]),
    Self = self(),
    spawn(fun() -> {ok, S} = gen_tcp:accept(L), {ok, D} = gen_tcp:recv(S, 0),
                   ok = gen_tcp:send(S, D), Self ! served end),
    {ok, C} = gen_tcp:connect({10,0,2,15}, 7, [binary, {active, false}]),
    T0 = erlang:monotonic_time(microsecond),
    ok = gen_tcp:send(C, <<"round trip">>),
    {ok, Echo} = gen_tcp:recv(C, 0),
    T1 = erlang:monotonic_time(microsecond),
    receive served -> ok end,
    Blocked = gen_tcp:connect({203,0,113,9}, 80, [binary]),
    io:format("~s in ~p us; ~p~n", [Echo, T1 - T0, element(1, Blocked)]),
    ok.
"""


def test_without_host_sockets_runs_repeat_byte_for_byte(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "localnet", LOCAL_NET_APP)
    runs = []
    for n in range(2):
        trace = tmp_path / f"run{n}.jsonl"
        r = avmsim("--board", "generic-unix", "--headless", "--trace", str(trace), str(beam),
                   timeout=RUN_TIMEOUT_S)
        assert r.returncode == Exit.OK, r.stderr
        runs.append((r.stdout, r.stderr, trace.read_bytes()))
    assert runs[0][0].startswith("round trip in ") and runs[0][0].endswith("; error\n")
    assert runs[0] == runs[1]
