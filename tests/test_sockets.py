"""AtomVM's socket NIFs, net, and gen_tcp / gen_udp / inet over the socket back end.

The Erlang programs are in ``tests/sockets``. ``sock_echo`` (the socket API) and ``sock_gen``
(gen_tcp, gen_udp and inet with ``{inet_backend, socket}``) print only what OTP and AtomVM
agree on: their output on each networked board must equal the host ``erl``'s, byte for byte.
``sock_atomvm`` and ``sock_own`` print what only AtomVM defines, or where it differs from
OTP; their expected lines below come from AtomVM's sources (otp_socket.c's BSD code paths,
which ESP32 and generic_unix build; otp_net.c; posix_nifs.c; estdlib's socket.erl,
gen_tcp_socket.erl, inet.erl), named case by case.

Every run has a virtual-time deadline (``Simulation.run(until_ns, timeout=True)``), so a
test that would hang fails instead.
"""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
from itertools import product
from pathlib import Path

import pytest

from avmsim.boards import get_board
from avmsim.simulation import Simulation
from avmsim.vm.errors import ErlangError
from avmsim.vm.natives import NATIVES
from avmsim.vm.terms import NIL, Cons, Map, Pid, Ref, atom
from conformance import check_reference, run_erl
from helpers import compile_erl

PROGRAMS = Path(__file__).resolve().parent / "sockets"
NET_BOARDS = ("generic-unix", "esp32-devkit", "esp32-c3-devkitm")
ESP32_BOARDS = ("esp32-devkit", "esp32-c3-devkitm")
DEADLINE_NS = 20_000_000_000
"""Virtual time a program may take: the longest waits in them are 1 s timeouts."""

OTP_PROGRAMS = ("sock_echo", "sock_gen")


def _beam(tmp: Path, name: str) -> Path:
    return compile_erl(tmp, name, (PROGRAMS / f"{name}.erl").read_text())


def _run(board: str, *beams: Path, events: list | None = None) -> tuple[str, object, Simulation]:
    """Console text and outcome of ``beams`` (the first one starts) on ``board``, within the
    deadline; the trace events go to ``events`` when given."""
    sim = Simulation(get_board(board), [str(beam) for beam in beams])
    seen: list[bytes] = []
    sim.devices.console.add_sink(seen.append)
    if events is not None:
        sim.bus.subscribe(lambda event: events.append(repr(event)))
    outcome = sim.run(until_ns=DEADLINE_NS, timeout=True)
    return b"".join(seen).decode(), outcome, sim


def _printed(tmp: Path, board: str, *programs: str) -> str:
    """What ``programs`` from ``tests/sockets`` (the first one starts) print on ``board``;
    the run must end with status 0."""
    text, outcome, _ = _run(board, *(_beam(tmp, name) for name in programs))
    assert outcome.status == 0, outcome
    return text


@pytest.mark.skipif(shutil.which("erl") is None, reason="needs the host's erl")
@pytest.mark.parametrize("board", NET_BOARDS)
@pytest.mark.parametrize("program", OTP_PROGRAMS)
def test_output_matches_otp(tmp_path: Path, program: str, board: str) -> None:
    beam = _beam(tmp_path, program)
    home = tmp_path / "home"
    home.mkdir()
    reference = run_erl(program, tmp_path, home)
    assert check_reference(reference) == []
    text, outcome, _ = _run(board, beam)
    assert outcome.status == 0, outcome
    assert text == reference.stdout.decode()


# AtomVM's AVM_LOGE/W lines, which the ESP32 prints on its console (ESP_LOGx with colours;
# the timestamp, ms since boot, is left out of the comparison: _no_log_time)
E, W = "\x1b[0;31mE (T) otp_socket: ", "\x1b[0;33mW (T) otp_socket: "
END = "\x1b[0m"
CONNECT_REFUSED = E + "Unable to connect: res=-1 errno=104" + END   # lwIP ERR_RST: ECONNRESET
BIND_FAILED = E + "Unable to bind socket: res=-1." + END


def esp32_log(line: str) -> dict:
    """A line only the ESP32 prints."""
    return {"generic_unix": None, "esp32": line}


# sock_atomvm's lines; a dict is the line on each platform (ESP32 and generic_unix differ,
# None: no line there).
def _getaddrinfo_line(entries: int) -> str:
    """``getaddrinfo: ~p`` of ``entries`` localhost entries, each expanded to udp then tcp
    (one line, as AtomVM's io_lib writes any term)."""
    loopback = "#{addr => {127,0,0,1},family => inet,port => 0}"
    infos = [f"#{{addr => {loopback},address => {loopback},family => inet,"
             f"protocol => {p},type => {t}}}"
             for p, t in (("udp", "dgram"), ("tcp", "stream")) * entries]
    return "getaddrinfo: [" + ",".join(infos) + "]"


ATOMVM_LINES = [
    "socket_term: true",                          # {Resource, Ref}: OTP's is {'$socket', Ref}
    esp32_log(W + "Unsupported domain." + END),
    "bad_domain: {error_raised,badarg}",          # get_domain fails: RAISE_ERROR(BADARG)
    # socket(PF_INET, SOCK_STREAM, IPPROTO_UDP): Linux EPROTONOSUPPORT (93, no atom in
    # posix_errno_to_term); lwIP's lwip_socket ignores the protocol and opens TCP
    {"generic_unix": "bad_protocol: {error,93}", "esp32": "bad_protocol: {ok,socket}"},
    "bad_length: {error_raised,badarg}",          # recv: len < 0 is badarg
    "bad_option: {error_raised,badarg}",          # {socket, foo}: badarg
    "bad_level: {error_raised,badarg}",           # unknown level: badarg
    "otp_option: {error,invalid_option}",         # {otp, foo}
    "rcvbuf_value: {error,invalid_value}",        # {otp, rcvbuf} < 0
    "membership_value: {error,invalid_value}",    # {ip, add_membership} not a map
    "linger: ok",
    "bad_getopt: {error_raised,badarg}",          # getopt knows {socket, type} only
    esp32_log(E + "socket:getopt: Unsupported level" + END),
    "bad_getopt_level: {error_raised,badarg}",
    "not_a_socket: {error_raised,badarg}",        # term_is_otp_socket fails
    "connect_not_map: {error_raised,badarg}",     # VALIDATE_VALUE(argv[1], term_is_map)
    "connect_no_addr: {error_raised,badarg}",     # no addr key
    "connect_bad_port: {error_raised,badarg}",    # port outside 0..65535
    esp32_log(CONNECT_REFUSED),
    "refused: {error,closed}",                    # every connect failure is closed (OTP:
    esp32_log(CONNECT_REFUSED),
    "gen_tcp_refused: {error,closed}",            # econnrefused)
    "close: ok",
    "close_again: ok",                            # a double close is ok
    "send_closed: {error,ebadf}",                 # fd == 0: EBADF (OTP: closed)
    "recv_closed: {error,ebadf}",
    "recv_closed_wait: {error,closed}",           # select on a closed socket: abort message
    "sockname_closed: {error,ebadf}",
    "getopt_closed: {error,closed}",
    "setopt_closed: {error,closed}",
    esp32_log(E + "Unable to listen on socket: res=-1." + END),
    "udp_listen: {error,eopnotsupp}",
    "udp_peername: {error,enotconn}",
    "listener_peername: {error,enotconn}",
    # EADDRINUSE has no atom in posix_errno_to_term: Linux 98, newlib 112 (OTP: eaddrinuse)
    esp32_log(BIND_FAILED),
    {"generic_unix": "port_in_use: {error,98}", "esp32": "port_in_use: {error,112}"},
    esp32_log(BIND_FAILED),
    {"generic_unix": "gen_tcp_port_in_use: {error,98}",
     "esp32": "gen_tcp_port_in_use: {error,112}"},
    esp32_log(BIND_FAILED),
    {"generic_unix": "gen_udp_port_in_use: {error,98}",
     "esp32": "gen_udp_port_in_use: {error,112}"},
    "accept_empty: {error,eagain}",               # accept(L, 0) with nothing pending
    "accept_select: true",                        # {'$socket', L, select, Ref} after nowait
    "rcvbuf_read: {ok,<<\"0123\">>}",             # recv of 0 takes the buffer size (4)
    # recv(A, 5, 0) with rcvbuf 4: ESP32 peeks at most 4 bytes (a short stream read);
    # generic_unix reads the 5 asked for
    {"generic_unix": "short_read: {ok,<<\"45678\">>}",
     "esp32": "short_read: {error,{timeout,<<\"4567\">>}}"},
    "partial_send: true",                         # {ok, Rest}: the stack took part
    "send_buffer_full: {error,closed}",           # EAGAIN answers closed (BSD send path)
    "waiter_alive: true",
    "closed_while_accepting: {error,closed}",     # {'$socket', L, abort, {Ref, closed}}
    # getaddrinfo("localhost"): lwIP gives one entry (expanded to udp, tcp), glibc three
    # (stream, dgram, raw: the raw one expanded), prepended in turn
    {"generic_unix": _getaddrinfo_line(2), "esp32": _getaddrinfo_line(1)},
    # a service: getservbyname on generic_unix ("http" is 80); lwIP wants a number
    # (EAI_SERVICE: otp_net.c warns and asks again without it), and has no getservbyname
    {"generic_unix": "getaddrinfo_service: [{port,80},{port,80},{port,80},{port,80}]",
     "esp32": "WARNING: EAI_SERVICE unsupported on this platform.\n"
                     "getaddrinfo_service: [{port,0},{port,0}]"},
    {"generic_unix": "getaddrinfo_quad: [{10,1,2,3},{10,1,2,3},{10,1,2,3},{10,1,2,3}]",
     "esp32": "getaddrinfo_quad: [{10,1,2,3},{10,1,2,3}]"},
    # an unknown name: glibc EAI_NONAME, lwIP EAI_FAIL (AtomVM's esp32 test_net.erl)
    {"generic_unix": "getaddrinfo_unknown: {error,eainoname}",
     "esp32": "getaddrinfo_unknown: {error,eaifail}"},
    "getaddrinfo_none: {error_raised,function_clause}",
    "getaddrinfo_nif_badarg: {error_raised,badarg}",
    "getaddr: {ok,{127,0,0,1}}",
    "getaddr_atom: {ok,{127,0,0,1}}",
    # eainoname: a short name is tried again with .local, then nxdomain; other errors pass
    {"generic_unix": "getaddr_unknown: {error,nxdomain}",
     "esp32": "getaddr_unknown: {error,eaifail}"},
    "getaddr_bad: {error,einval}",
    # ESP-IDF has no gethostname: net.erl's stub raises undefined
    {"generic_unix": "gethostname: {ok,\"generic-unix\"}",
     "esp32": "gethostname: {error_raised,undefined}"},
    "parse_short: {error,einval}",                # strict: OTP reads "1.2.3" as {1,2,0,3}
    "parse_leading_zero: {error,einval}",
    "parse: {ok,{192,168,4,1}}",
    "ntoa: \"10.0.2.15\"",
    "ntoa_bad: {error,einval}",
]


def _expected(lines: list, platform: str) -> str:
    chosen = (line[platform] if isinstance(line, dict) else line for line in lines)
    return "".join(line + "\n" for line in chosen if line is not None)


def _no_log_time(text: str) -> str:
    return re.sub(r"\((\d+)\) otp_socket: ", "(T) otp_socket: ", text)


@pytest.mark.parametrize("board", NET_BOARDS)
def test_atomvm_answers(tmp_path: Path, board: str) -> None:
    text = _printed(tmp_path, board, "sock_atomvm", "sock_try")
    assert _no_log_time(text) == _expected(ATOMVM_LINES, get_board(board).platform)


@pytest.mark.parametrize("board", ESP32_BOARDS)
def test_over_wifi(tmp_path: Path, board: str) -> None:
    """The board joins the default access point ("avmsim", open), then uses the address it
    got (network:wait_for_sta/2's) for a TCP echo and a UDP datagram to itself."""
    assert _printed(tmp_path, board, "sock_wifi") == (
        "connect: ok\n"
        "send: ok\n"
        "echo: {ok,<<\"ping\">>}\n"
        "server_saw_sta_address: true\n"
        "peer_closed: {error,closed}\n"
        "udp: {true,5000,<<\"self\">>}\n")


def test_own_address_and_unreachable(tmp_path: Path) -> None:
    """generic-unix's eth is 10.0.2.15 from boot; 10.0.2.99 is nobody: connect fails
    (AtomVM: closed)."""
    assert _printed(tmp_path, "generic-unix", "sock_own") == (
        "accepted: {{10,0,2,15},{10,0,2,15},{ok,<<\"own\">>}}\n"
        "peer_closed: tcp_closed\n"
        "udp_self: {{10,0,2,15},true,<<\"self\">>}\n"
        "nobody_there: {error,closed}\n")


@pytest.mark.parametrize("board", NET_BOARDS)
def test_unreachable_sockets_are_closed(tmp_path: Path, board: str) -> None:
    """AtomVM's socket_dtor closes a socket once no process holds its resource: a crashed
    owner's listener frees its port, an exited client's peer reads the end of the stream.
    A socket another process keeps (in its state, or in an ETS table) stays open — where
    OTP, whose sockets die with their owner, would close it."""
    assert _printed(tmp_path, board, "sock_collect") == (
        "port_free_again: ok\n"
        "data: {ok,<<\"hi\">>}\n"
        "client_gone: {error,closed}\n"
        "kept_socket_sends: ok\n"
        "kept_data: {ok,<<\"kept\">>}\n"
        "ets_socket_sends: ok\n"
        "ets_data: {ok,<<\"ets\">>}\n")


@pytest.mark.parametrize("board", ("nucleo-f429zi", "pico"))
def test_boards_without_network(tmp_path: Path, board: str) -> None:
    steps = ("socket_open", "getaddrinfo", "gen_tcp", "gen_udp")
    assert _printed(tmp_path, board, "sock_nonet", "sock_try") == "".join(
        f"{step}: {{error_raised,undefined}}\n" for step in steps)


@pytest.mark.parametrize("program", ("sock_gen", "sock_wifi"))
def test_same_run_twice(tmp_path: Path, program: str) -> None:
    """Same program, same console, same outcome at the same virtual time, same trace."""
    beam = _beam(tmp_path, program)
    traces: tuple[list, list] = ([], [])
    first, second = (_run("esp32-devkit", beam, events=trace) for trace in traces)
    assert first[0] == second[0]
    assert first[1] == second[1]
    assert any("net" in event for event in traces[0])
    assert traces[0] == traces[1]


HOLDER = """
-module(holder).
-export([start/0]).
start() ->
    Sockets = [element(2, socket:open(inet, stream, tcp)) || _ <- [1, 2, 3]],
    receive after 500 -> ok end,
    [socket:close(S) || S <- Sockets],
    receive after 500 -> ok end.
"""


def test_socket_resources_take_board_ram(tmp_path: Path) -> None:
    """On the ESP32 (32-bit) a socket is ``struct RefcBinary`` (5 words, 20 bytes) plus the
    BSD ``struct SocketResource`` (56 bytes): a 76-byte malloc each (as the board's
    allocator rounds it, measured with a probe block), until closed."""
    sim = Simulation(get_board("esp32-devkit"), [str(compile_erl(tmp_path, "holder", HOLDER))])
    sim.run(until_ns=250_000_000)
    ram = sim.machine.ram
    probe = ram.allocate(76, "probe")
    one = ram.used_by_tag()["probe"]
    ram.free(probe)
    assert ram.used_by_tag().get("socket") == 3 * one
    sim.run(until_ns=750_000_000)
    assert ram.used_by_tag().get("socket", 0) == 0


WAITER = """
-module(waiter).
-export([start/0]).
start() -> receive after 60000 -> ok end.
"""


def test_bad_arguments_give_erlang_errors(tmp_path: Path) -> None:
    """Every socket and net NIF, given every combination of odd terms (and real sockets in
    various states), answers a term or raises an Erlang error, never a Python one."""
    sim = Simulation(get_board("generic-unix"), [str(compile_erl(tmp_path, "waiter", WAITER))])
    sim.run(until_ns=10_000_000)
    ctx = next(iter(sim.vm.processes.values()))
    opened = [NATIVES[("socket", "open", 3)](ctx, atom("inet"), atom(t), atom(p))[1]
              for t, p in (("stream", "tcp"), ("dgram", "udp"), ("stream", "tcp"))]
    NATIVES[("socket", "close", 1)](ctx, opened[2])
    odd = [*opened, 0, -1, 70000, 1.5, atom("foo"), atom("any"), atom("loopback"),
           atom("undefined"), NIL, Cons(1, NIL), b"bin", Map(), (1, 2), (1, 2, 3, 4),
           (256, 0, 0, 1), Map.from_pairs([(atom("addr"), (127, 0, 0, 1)),
                                           (atom("port"), 1)]),
           (atom("socket"), atom("type")), (atom("otp"), atom("rcvbuf")), Pid(1), Ref(1)]
    calls = 0
    for (module, name, arity), native in sorted(NATIVES.items()):
        if module not in ("socket", "net"):
            continue
        for args in product(odd, repeat=arity):
            try:
                native(ctx, *args)
            except ErlangError:
                pass
            calls += 1
    assert calls > 10_000


PASSIVE_FOREVER = """
-module(passive_forever).
-export([start/0]).
start() ->
    {ok, L} = gen_tcp:listen(0, [{inet_backend, socket}, {active, false}]),
    {ok, Port} = inet:port(L),
    spawn(fun() ->
        {ok, _} = gen_tcp:connect({127, 0, 0, 1}, Port, [{inet_backend, socket}]),
        receive after infinity -> ok end
    end),
    {ok, S} = gen_tcp:accept(L),
    T0 = erlang:monotonic_time(millisecond),
    Reply = gen_tcp:recv(S, 0),
    Waited = erlang:monotonic_time(millisecond) - T0,
    io:format("~p ~p~n", [Reply, Waited >= 30000 andalso Waited < 30100]).
"""


def test_passive_recv_forever_gives_up_after_30_s(tmp_path: Path) -> None:
    """AtomVM's gen_tcp_socket arms a 30 s timer even for ``infinity`` (its code marks
    it as a test value); the recv answers ``{error, timeout}`` then."""
    sim = Simulation(get_board("generic-unix"),
                     [str(compile_erl(tmp_path, "passive_forever", PASSIVE_FOREVER))])
    seen: list[bytes] = []
    sim.devices.console.add_sink(seen.append)
    outcome = sim.run(until_ns=40_000_000_000, timeout=True)
    assert outcome.status == 0, outcome
    assert b"".join(seen) == b"{error,timeout} true\n"


TO_HOST = """
-module(to_host).
-export([start/0]).
start() ->
    Options = [{inet_backend, socket}, binary, {active, false}],
    {ok, C} = gen_tcp:connect({10, 0, 2, 2}, %(port)d, Options),
    ok = gen_tcp:send(C, <<"hello host">>),
    io:format("~p~n", [gen_tcp:recv(C, 0, 5000)]),
    io:format("~p~n", [gen_tcp:recv(C, 0, 5000)]),
    gen_tcp:close(C).
"""


def test_board_reaches_a_host_server(tmp_path: Path) -> None:
    """generic-unix's gateway 10.0.2.2 is the host's 127.0.0.1: the board's gen_tcp (socket
    back end) talks to a plain Python server there, which answers and closes."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(30)

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.sendall(conn.recv(100).upper())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    beam = compile_erl(tmp_path, "to_host", TO_HOST % {"port": server.getsockname()[1]})
    run = subprocess.run([sys.executable, "-m", "avmsim.cli", "--board", "generic-unix",
                          "--headless", "--timeout", "20s", str(beam)],
                         capture_output=True, text=True, timeout=60)
    thread.join(5)
    server.close()
    assert run.returncode == 0, run.stderr
    assert run.stdout == "{ok,<<\"HELLO HOST\">>}\n{error,closed}\n"
