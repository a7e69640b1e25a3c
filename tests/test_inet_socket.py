"""gen_tcp and gen_udp on AtomVM's inet back end: the ``socket`` port (vm/drivers/inet_socket.py,
inet_dialect.py) with libs/gen_tcp_inet.erl and gen_udp_inet.erl, on the board's simulated IP
stack.

The programs are in tests/inet_socket/. ``inetdrv_tcp`` and ``inetdrv_udp`` only print what
OTP's gen_tcp/gen_udp print too: their expected output is what the host's ``erl`` prints for
them, byte for byte, on both platforms. ``inetdrv_quirks`` prints the cases where AtomVM
differs from OTP or its platforms from each other; the expected answers are read off
AtomVM's two socket_driver.c files (src/platforms/generic_unix/lib/socket_driver.c and
src/platforms/esp32/components/avm_builtins/socket_driver.c, cited per case), except the
one deliberate difference: recv/accept timeouts (see :data:`ESP32`). Last, an ESP32 on the
default access point talks to a plain Python server on the host through its gateway.
Runs are limited in virtual time (and the host run by a subprocess timeout).
"""
from __future__ import annotations

import re
import shutil
import socket
import threading
from pathlib import Path

import pytest

from avmsim.boards import get_board
from avmsim.simulation import Simulation

from conformance import run_erl
from helpers import avmsim, compile_erl

PROGRAMS = Path(__file__).resolve().parent / "inet_socket"
NETWORKED = ("generic-unix", "esp32-devkit")
RUN_LIMIT_NS = 30_000_000_000     # virtual time after which a run counts as hung


@pytest.fixture(scope="module")
def beams(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("inet_beams")
    return {src.stem: compile_erl(out, src.stem, src.read_text())
            for src in sorted(PROGRAMS.glob("*.erl"))}


def run(board: str, beam: Path) -> tuple[str, list[tuple]]:
    """The console text and the ``net`` trace events of one run; fails on a hang or crash."""
    sim = Simulation(get_board(board), [str(beam)])
    console: list[bytes] = []
    events: list[tuple] = []
    sim.devices.console.add_sink(console.append)
    sim.bus.subscribe(lambda e: events.append((e.t_ns, e.source, repr(e.value))), ("net",))
    outcome = sim.run(until_ns=RUN_LIMIT_NS, timeout=True)
    text = b"".join(console).decode("latin-1")
    assert outcome.status == 0, f"{board}: {outcome}\n{text}"
    return text, events


def show_lines(text: str) -> dict[str, str]:
    """``case: value`` lines of a program as a dict."""
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


# ---------------------------------------------------------------------- same as OTP
@pytest.fixture(scope="module")
def otp(beams: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    assert shutil.which("erl"), "the OTP reference needs the host's erl"
    home = tmp_path_factory.mktemp("erl_home")
    out = {}
    for name in ("inetdrv_tcp", "inetdrv_udp"):
        ref = run_erl(name, beams[name].parent, home)
        assert ref.returncode == 0 and ref.stdout, ref.stderr
        out[name] = ref.stdout.decode("ascii")
    return out


def test_otp_reference_is_what_the_programs_claim(otp: dict[str, str]) -> None:
    """The reference itself: OTP's answers for the cases the programs print."""
    tcp = show_lines(otp["inetdrv_tcp"])
    assert tcp["echo"] == '{ok,"hello"}'
    assert tcp["recv with nothing sent"] == "{error,timeout}"
    assert tcp["after the server's close"] == "{error,closed}"
    assert tcp["recv when another process closes"] == "{error,closed}"
    assert tcp["accept when another process closes"] == "{error,closed}"
    assert show_lines(otp["inetdrv_udp"])["passive"] == '{ok,{{127,0,0,1},47311,"ping"}}'


@pytest.mark.parametrize("board", NETWORKED)
@pytest.mark.parametrize("program", ["inetdrv_tcp", "inetdrv_udp"])
def test_same_output_as_otp(board: str, program: str, beams: dict[str, Path],
                            otp: dict[str, str]) -> None:
    """Echo server and clients (passive, active, binary and list), recv and accept timeouts,
    the peer's close, a close while another process waits in recv or accept, a transfer
    larger than the send buffer and window; UDP passive, active and a recv timeout."""
    text, _ = run(board, beams[program])
    assert text == otp[program]


@pytest.mark.parametrize("board", NETWORKED)
def test_same_output_and_traces_twice(board: str, beams: dict[str, Path]) -> None:
    first = run(board, beams["inetdrv_tcp"])
    assert first[1], "the run published no net events"
    assert run(board, beams["inetdrv_tcp"]) == first


# ---------------------------------------------------------------------- AtomVM's own answers
GENERIC_UNIX = {
    # socket_driver_do_init: params not a list / no proto -> {error, badarg}
    "init_not_a_list": "{error,badarg}",
    "init_without_proto": "{error,badarg}",
    # do_bind: bind() next to a listener fails (SO_REUSEADDR or not), EADDRINUSE = 98
    "listen_on_a_listened_port": "{error,{bind,98}}",
    # do_connect: port_create_sys_error_tuple(CONNECT_ATOM, errno), ECONNREFUSED = 111
    "refused": "{error,{connect,111}}",
    # {error, {getaddrinfo, _}} from do_connect; gen_tcp_inet makes it nxdomain
    "unknown_host": "{error,nxdomain}",
    # socket_driver_peername: {error, errno} with getpeername's ENOTCONN = 107
    "listener_peername": "{error,107}",
    # the listener's controlling process is the caller of listen
    "listener_controlling_process": "ok",
    # socket_driver_get_port: data->port is set by do_bind only, 0 for a client
    "client_port": "{ok,0}",
    "send": "ok",
    # passive_recv_callback: recvfrom(Length, MSG_WAITALL); Length 0: up to the buffer
    "recv_2_of_6": '{ok,<<"ab">>}',
    "recv_rest": '{ok,<<"cdef">>}',
    # a second recv registers a second listener: both wait, the first gets the data
    "second_recv": "{error,timeout}",
    "first_recv": '{ok,<<"x">>}',
    # socket_consume_mailbox: an unknown command is answered {error, badarg}
    "unknown_request": "{error,badarg}",
    # socket_driver_do_send: neither a binary nor a list -> {error, badarg}
    "send_not_iodata": "{error,badarg}",
    # recv of 0 bytes is {error, closed}, and the port closes itself (close_internal)
    "after_peer_close": "{error,closed}",
    "send_after_close": "{error,closed}",
    # active_recv_callback: len <= 0 (ECONNRESET too) -> tcp_closed; passive: closed
    "reset_active": "{tcp_closed,socket}",
    "reset_passive": "{error,closed}",
    # do_recv: "The socket must be in active mode" check answers badarg when active
    "recv_when_active": "{error,badarg}",
    # active_recv_callback reads at most buf_size = buffer bytes (gen_tcp_inet: 512)
    "active_largest_chunk": "512",
    # the port closes: the sender's port:call sees it go ('DOWN', noproc -> closed)
    "send_when_closed_meanwhile": "{error,closed}",
    "udp_port_0": "ephemeral",
    # active_recvfrom_callback reads buf_size = buffer bytes (gen_udp_inet default 128)
    "udp_active_200_bytes": "128",
}

ESP32 = {
    # do_init: no listen, connect or udp proto -> no answer (port:call times out)
    "init_not_a_list": "{error,timeout}",
    "init_without_proto": "{error,timeout}",
    # do_listen: netconn_bind -> ERR_USE -> eaddrinuse
    "listen_on_a_listened_port": "{error,eaddrinuse}",
    # lwIP: a SYN answered by RST fails netconn_connect with ERR_RST -> econnreset
    "refused": "{error,econnreset}",
    # netconn_gethostbyname: ERR_VAL, which lwip_error_atom() names unknown
    "unknown_host": "{error,unknown}",
    # netconn_peer on a listener: ERR_CONN -> enotconn
    "listener_peername": "{error,enotconn}",
    # do_listen never sets controlling_process_pid (0): nobody is the owner
    "listener_controlling_process": "{error,not_owner}",
    # do_get_port: port 0 -> ERR_ARG -> badarg
    "client_port": "{error,badarg}",
    # do_send answers ok, not {ok, Length}
    "send": "ok",
    # do_receive_data hands over the first netbuf whatever Length asks
    "recv_2_of_6": '{ok,<<"abcdef">>}',
    # nothing left: the recv waits; AtomVM would wait for ever, avmsim honours Timeout
    "recv_rest": "{error,timeout}",
    # do_recvfrom: "We cannot stack blocked queries" -> ERR_ALREADY
    "second_recv": "{error,ealready}",
    "first_recv": '{ok,<<"x">>}',
    # socket_consume_mailbox: an unknown command gets no answer
    "unknown_request": "{error,timeout}",
    # do_send: prints "error: invalid iolist." and answers nothing
    "send_not_iodata": "{error,timeout}",
    "after_peer_close": "{error,closed}",
    "send_after_close": "{error,closed}",
    # do_receive_data: ERR_RST is not ERR_CLSD/ERR_CONN -> tcp_error / the error itself
    "reset_active": "{tcp_error,socket,econnreset}",
    "reset_passive": "{error,econnreset}",
    # no active check: the recv would wait for ever (here: Timeout)
    "recv_when_active": "{error,timeout}",
    # do_receive_data: one netbuf per message, a segment of at most the MSS
    "active_largest_chunk": "1440",
    "send_when_closed_meanwhile": "{error,closed}",
    # do_udp_open binds only a port that is not 0; do_get_port: 0 -> badarg
    "udp_port_0": "{error,badarg}",
    # datagrams are handed over whole
    "udp_active_200_bytes": "200",
}

CONSOLE_LINES = {
    # socket_consume_mailbox: fprintf(stderr, ...) for a message that is not a call
    "generic-unix": [r"^Received invalid socket message\.$"],
    # ESP_LOGW(TAG, "Received invalid message."), and do_send's fprintf for bad iodata
    "esp32-devkit": [r"^\x1b\[0;33mW \(\d+\) socket_driver: Received invalid message\.\x1b\[0m$",
                     r"^error: invalid iolist\.$"],
}
"""What the drivers print on the console besides the program's own lines."""


@pytest.mark.parametrize("board, expected", [("generic-unix", GENERIC_UNIX),
                                             ("esp32-devkit", ESP32)])
def test_atomvm_answers(board: str, expected: dict[str, str], beams: dict[str, Path]) -> None:
    text, _ = run(board, beams["inetdrv_quirks"])
    lines = text.splitlines()
    for pattern in CONSOLE_LINES[board]:
        printed = [ln for ln in lines if re.match(pattern, ln)]
        assert len(printed) == 1, (pattern, text)
        lines.remove(printed[0])
    got = show_lines("\n".join(lines))
    assert got == expected
    assert lines[-1] == "done"


@pytest.mark.parametrize("board", ["nucleo-f429zi", "pico"])
def test_no_socket_port_without_a_network(board: str, beams: dict[str, Path]) -> None:
    """AtomVM builds the socket driver for esp32 and generic_unix only."""
    text, _ = run(board, beams["inetdrv_no_net"])
    assert text == "open_port: {error,badarg}\ngen_tcp:connect: {error,badarg}\n"


# ---------------------------------------------------------------------- over WiFi, to the host
WIFI_CLIENT = """
-module(inetdrv_wifi).
-export([start/0]).
start() ->
    {ok, {Ip, _Mask, Gateway}} = network:wait_for_sta([{ssid, "avmsim"}], 30000),
    {ok, S} = gen_tcp:connect(Gateway, PORT, [binary, {active, false}]),
    {ok, {Local, _}} = inet:sockname(S),
    io:format("from the board's address: ~p~n", [Local =:= Ip]),
    io:format("peer: ~p~n", [inet:peername(S)]),
    ok = gen_tcp:send(S, <<"hello over wifi">>),
    io:format("passive: ~p~n", [gen_tcp:recv(S, 0, 5000)]),
    io:format("then: ~p~n", [gen_tcp:recv(S, 0, 5000)]),
    {ok, A} = gen_tcp:connect(Gateway, PORT, []),
    ok = gen_tcp:send(A, "active"),
    receive {tcp, A, Data} -> io:format("active: ~p~n", [Data]) after 5000 -> timeout end,
    receive {tcp_closed, A} -> io:format("active: tcp_closed~n") after 5000 -> timeout end.
"""


def test_esp32_over_wifi_to_a_host_server(tmp_path: Path) -> None:
    """An ESP32 joins the default access point and talks to a server on the host through its
    gateway address (192.168.1.1 reaches the host's 127.0.0.1): the host server answers each
    connection's first message upper-cased, then closes."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    served: list[bytes] = []

    def serve() -> None:
        for _ in range(2):
            conn, _ = server.accept()
            with conn:
                data = conn.recv(100)
                served.append(data)
                conn.sendall(data.upper())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    beam = compile_erl(tmp_path, "inetdrv_wifi", WIFI_CLIENT.replace("PORT", str(port)))
    try:
        result = avmsim("--board", "esp32-devkit", "--timeout", "60s", str(beam), timeout=120)
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:6] == [
        "from the board's address: true",
        f"peer: {{ok,{{{{192,168,1,1}},{port}}}}}",
        'passive: {ok,<<"HELLO OVER WIFI">>}',
        "then: {error,closed}",
        'active: "ACTIVE"',
        "active: tcp_closed",
    ]
    assert served == [b"hello over wifi", b"active"]
