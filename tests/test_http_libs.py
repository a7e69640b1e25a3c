"""AtomVM's network libraries (libs/http_server.erl, ahttp_client.erl, mdns.erl).

The same Erlang programs run twice: under the host's OTP (``erl``, to check the modules against
OTP's gen_tcp/socket, which AtomVM's follow) and on a simulated generic-unix board (``eth``
10.0.2.15, the host reached at the gateway 10.0.2.2, ``--forward`` for host clients). The
clients and servers on the host side are plain Python (http.client, http.server).

Expected values come from AtomVM (avm_network's sources and its tests/libs/eavmlib unit tests):
"200 OK" / "<code> NotOK" status lines, reply/3's two headers, the path segments handlers get,
the response tuples of ahttp_client, the DNS message tuples and answers of mdns.
"""
from __future__ import annotations

import http.client
import http.server
import queue
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from avmsim.world import World
from avmsim.world_file import load_world_file

from helpers import compile_erl
from test_ssl import certificate, server_context  # noqa: F401 (a fixture and its context)

LIBS = Path(__file__).resolve().parent.parent / "libs"
NET_LIBS = ("http_server", "ahttp_client", "mdns")
RUN_TIMEOUT_S = 60
BOARD_IP = "{10,0,2,15}"
GATEWAY = '"10.0.2.2"'


def free_port() -> int:
    """A host TCP port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Running:
    """A program (``erl`` or ``avmsim``) running in the background; its stdout read by lines."""

    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)   # the program ended

    def wait_for(self, text: str, timeout: float = RUN_TIMEOUT_S) -> None:
        """Block until a line containing ``text`` is printed (fail after ``timeout`` or when
        the program ends first)."""
        while not any(text in line for line in self.seen):
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                line = None
            if line is None:
                self.stop()
                pytest.fail(f"no {text!r} in {timeout} s; output {self.seen}, "
                            f"stderr {self.proc.stderr.read()[-2000:]}")
            self.seen.append(line)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


def otp_argv(beam_dir: Path, module: str) -> list[str]:
    return ["erl", "-noshell", "-pa", str(beam_dir), "-eval", f"{module}:start(), halt()."]


def board_argv(*beams: Path, options: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-m", "avmsim.cli", "--board", "generic-unix", "--headless",
            *options, *map(str, beams)]


def run_to_end(argv: list[str]) -> list[str]:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()


@pytest.fixture
def libs_dir(tmp_path: Path) -> Path:
    """The three library modules compiled for the host's OTP."""
    out = tmp_path / "libs"
    out.mkdir()
    sources = [str(LIBS / f"{name}.erl") for name in NET_LIBS]
    subprocess.run(["erlc", "-o", str(out), *sources], check=True, capture_output=True)
    return out


def test_library_names_are_free_in_otp() -> None:
    """Under erl our modules would be shadowed (or shadow OTP's) if OTP had the same names."""
    done = subprocess.run(
        ["erl", "-noshell", "-eval",
         "io:format(\"~p\", [[code:which(M) || M <- [http_server, ahttp_client, mdns]]]), halt()."],
        capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert done.stdout == "[non_existing,non_existing,non_existing]"


# ---------------------------------------------------------------------------------------------
# Pure functions: AtomVM's own unit-test vectors (tests/libs/eavmlib/test_mdns.erl) and the
# query-string rules of its http_server (decoded escapes are read again, last pair first).

VECTORS = r"""
-module(net_vectors).
-export([start/0]).

start() ->
    Checks = [
        {name, mdns:parse_dns_name(<<6, "atomvm", 5, "local", 0>>, <<6, "atomvm", 5, "local", 0>>),
         {ok, {[<<"atomvm">>, <<"local">>], <<>>}}},
        {empty_name, mdns:parse_dns_name(<<0, 42>>, <<0, 42>>), {ok, {[], <<42>>}}},
        {short_label, mdns:parse_dns_name(<<42>>, <<42>>), {error, {invalid_name, <<42>>}}},
        {unterminated, mdns:parse_dns_name(<<1, 42>>, <<1, 42>>), {error, {invalid_name, <<>>}}},
        {empty_message, mdns:parse_dns_message(<<0:96>>),
         {ok, {dns_message, 0, 0, 0, 0, [], [], [], []}}},
        {qu_question,
         mdns:parse_dns_message(<<0:32, 1:16, 0:48, 6, "atomvm", 5, "local", 0, 0, 1, 128, 1>>),
         {ok, {dns_message, 0, 0, 0, 0, [{dns_question, [<<"atomvm">>, <<"local">>], 1, 1, 1}],
               [], [], []}}},
        {compressed, mdns:parse_dns_message(
            <<0, 0, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0, 15, "_companion-link", 4, "_tcp", 5, "local", 0,
              0, 12, 0, 1, 7, "_rdlink", 192, 28, 0, 12, 0, 1, 192, 12,
              0, 12, 0, 1, 0, 0, 17, 136, 0, 9, 6, 227, 131, 166, 227, 130, 186, 192, 12>>),
         {ok, {dns_message, 0, 0, 0, 0,
               [{dns_question, [<<"_companion-link">>, <<"_tcp">>, <<"local">>], 12, 0, 1},
                {dns_question, [<<"_rdlink">>, <<"_tcp">>, <<"local">>], 12, 0, 1}],
               [{dns_rrecord, [<<"_companion-link">>, <<"_tcp">>, <<"local">>], 12, 1, 4488,
                 <<6, 227, 131, 166, 227, 130, 186, 192, 12>>}],
               [], []}}},
        {short_header, mdns:parse_dns_message(<<0>>), {error, {invalid_dns_header, <<0>>}}},
        {z_bits, mdns:parse_dns_message(<<0:16, 0, 255, 0:64>>),
         {error, {invalid_dns_header, <<0:16, 0, 255, 0:64>>}}},
        {missing_record, mdns:parse_dns_message(<<0:80, 1:16>>), {error, {invalid_name, <<>>}}},
        {short_question, mdns:parse_dns_message(<<0:32, 1:16, 0:48, 0, 0:16>>),
         {error, {invalid_question, <<0, 0, 0>>}}},
        {extra_bytes, mdns:parse_dns_message(<<0:32, 1:16, 0:48, 0, 0:16, 0:16, 0>>),
         {error, {extra_bytes_in_dns_message, <<0>>}}},
        {serialize, mdns:serialize_dns_message(
            {dns_message, 0, 0, 0, 0, [{dns_question, [<<"atomvm">>, <<"local">>], 1, 1, 1}],
             [], [], []}),
         <<0:32, 1:16, 0:48, 6, "atomvm", 5, "local", 0, 0, 1, 0, 1>>},
        % avmsim's one difference: a pointer loop is an invalid name (AtomVM runs out of memory)
        {pointer_loop, mdns:parse_dns_name(<<192, 0>>, <<192, 0>>),
         {error, {invalid_name, <<192, 0>>}}},
        {serialize_name, mdns:serialize_dns_name([<<"atomvm">>, <<"local">>]),
         <<6, "atomvm", 5, "local", 0>>},
        {query, http_server:parse_query_string("a=1&b=x+y"), [{"b", "x y"}, {"a", "1"}]},
        {escapes, http_server:parse_query_string("k=%41%62c"), [{"k", "Abc"}]},
        {escaped_amp, http_server:parse_query_string("a=%26b=2"), [{"b", "2"}, {"a", ""}]},
        {escaped_plus, http_server:parse_query_string("q=%2B"), [{"q", " "}]}
    ],
    Wrong = [{Name, Got} || {Name, Got, Want} <- Checks, Got =/= Want],
    io:format("~w~n", [Wrong]),
    {error, function_clause} = catch_error(fun() -> http_server:parse_query_string("a=1&b") end),
    {error, function_clause} = catch_error(fun() -> http_server:parse_query_string("") end),
    io:format("done~n").

catch_error(Fun) ->
    try Fun() of Value -> {value, Value} catch error:Reason -> {error, Reason} end.
"""


def test_vectors_under_otp(tmp_path: Path, libs_dir: Path) -> None:
    compile_erl(libs_dir, "net_vectors", VECTORS)
    assert run_to_end(otp_argv(libs_dir, "net_vectors")) == ["[]", "done"]


def test_vectors_on_board(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "net_vectors", VECTORS)
    assert run_to_end(board_argv(beam)) == ["[]", "done"]


# ---------------------------------------------------------------------------------------------
# http_server: a page served to Python's http.client.

SERVER = r"""
-module(http_site).
-export([start/0, handle_req/3]).

start() ->
    Router = [{"/kept", ?MODULE, []}, {"*", ?MODULE, []}],
    io:format("serving ~p~n", [is_pid(http_server:start_server(?PORT, Router))]),
    receive stop -> ok end.

handle_req("GET", [], Conn) ->
    http_server:reply(200, <<"<h1>hello</h1>">>, Conn);
handle_req("POST", ["form"], Conn) ->
    Pairs = http_server:parse_query_string(proplists:get_value(body_chunk, Conn)),
    http_server:reply(200, io_lib:format("~p", [Pairs]), Conn);
handle_req("GET", ["kept"], Conn) ->
    http_server:reply(201, [<<"o">>, "k"], [<<"Content-Length: 2\r\n">>, "X-A: b\r\n"], Conn);
handle_req(Method, Path, Conn) ->
    Host = [V || {header, "Host: " ++ V} <- Conn],
    http_server:reply(404, io_lib:format("~p ~p ~p", [Method, Path, Host]), Conn).
"""


def fetch(port: int, method: str, path: str, body: bytes | None = None) -> tuple:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=RUN_TIMEOUT_S)
    try:
        conn.request(method, path, body=body)
        resp = conn.getresponse()
        return resp.status, resp.reason, resp.version, resp.getheaders(), resp.read()
    finally:
        conn.close()


def post_in_one_segment(port: int, path: str, body: bytes) -> bytes:
    """POST with the headers and the body in one write, so that they arrive as one segment
    (http.client writes them separately, and a loaded machine may deliver them apart)."""
    with socket.create_connection(("127.0.0.1", port), timeout=RUN_TIMEOUT_S) as s:
        s.sendall(b"POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: %d\r\n\r\n%s"
                  % (path.encode(), port, len(body), body))
        resp = http.client.HTTPResponse(s)
        resp.begin()
        return resp.read()


def check_site(port: int) -> None:
    assert fetch(port, "GET", "/") == (
        200, "OK", 11, [("Content-Type", "text/html"), ("Connection", "close")], b"<h1>hello</h1>")
    status, reason, _, _, body = fetch(port, "GET", "/system/info/?x=1")
    assert (status, reason) == (404, "NotOK")
    assert body == f'"GET" ["system","info","?x=1"] ["127.0.0.1:{port}"]'.encode()
    # as on AtomVM, body_chunk is the part of the body in the headers' segment
    assert post_in_one_segment(port, "/form", b"name=avm+sim&n=%34%32") == \
        b'[{"n","42"},{"name","avm sim"}]'
    assert fetch(port, "GET", "/kept") == (201, "NotOK", 11,
                                           [("Content-Length", "2"), ("X-A", "b")], b"ok")


def test_http_server_under_otp(libs_dir: Path) -> None:
    port = free_port()
    compile_erl(libs_dir, "http_site", SERVER, f"-DPORT={port}")
    erl = Running(otp_argv(libs_dir, "http_site"))
    try:
        erl.wait_for("serving true")
        check_site(port)
    finally:
        erl.stop()


def test_http_server_on_board_reached_through_forward(tmp_path: Path) -> None:
    port = free_port()
    beam = compile_erl(tmp_path, "http_site", SERVER, "-DPORT=80")
    board = Running(board_argv(beam, options=("--forward", f"tcp:{port}:80")))
    try:
        board.wait_for("serving true")
        check_site(port)
    finally:
        board.stop()


WIFI_JOIN = r"""
-module(wifi_join).
-export([join/1]).

%% Join the default open AP ("avmsim") by network:start with the Extra options too;
%% the station's address once it has one.
join(Extra) ->
    Self = self(),
    {ok, _} = network:start([{sta, [{ssid, "avmsim"},
                                    {got_ip, fun(IpInfo) -> Self ! {got_ip, IpInfo} end}]}
                             | Extra]),
    receive {got_ip, {Ip, _, _}} -> Ip end.
"""


def wifi_join(folder: Path) -> Path:
    """The beam of ``wifi_join``, the apps' way onto the default AP."""
    return compile_erl(folder, "wifi_join", WIFI_JOIN)


WIFI_START = r"""
-module(http_site_wifi).
-export([start/0]).

start() ->
    wifi_join:join([]),
    http_site:start().
"""


@pytest.mark.parametrize("board", ["esp32-devkit", "esp32-c3-devkitm"])
def test_http_server_on_esp32_over_wifi(tmp_path: Path, board: str) -> None:
    """Joined to the default open AP, the server is reached through --forward."""
    port = free_port()
    beams = [compile_erl(tmp_path, "http_site_wifi", WIFI_START),
             compile_erl(tmp_path, "http_site", SERVER, "-DPORT=80"), wifi_join(tmp_path)]
    argv = [sys.executable, "-m", "avmsim.cli", "--board", board, "--headless",
            "--forward", f"tcp:{port}:80", *map(str, beams)]
    esp = Running(argv)
    try:
        esp.wait_for("serving true")
        check_site(port)
    finally:
        esp.stop()


def test_http_server_listen_error_is_displayed(tmp_path: Path, libs_dir: Path) -> None:
    """A port in use: start_server shows the error and returns display's true (AtomVM)."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        source = SERVER.replace("receive stop -> ok end", "ok")
        compile_erl(libs_dir, "http_site", source, f"-DPORT={taken.getsockname()[1]}")
        out = run_to_end(otp_argv(libs_dir, "http_site"))
    assert out == ["{error,eaddrinuse}", "serving false"]


# ---------------------------------------------------------------------------------------------
# ahttp_client: requests to a Python http.server, passive and active.

class Responder(http.server.BaseHTTPRequestHandler):
    """Raw responses, so headers and segments are exactly what each test needs."""

    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        if self.path == "/page":   # folded, padded and lower-case headers; one unwanted
            self.wfile.write(b"HTTP/1.1 200 OK\r\nServer: py\r\ncontent-length: 11\r\n"
                             b"Location: \t/next  \r\n\tmore \r\n\r\nhello world")
        else:                      # no Content-Length: the body ends with the connection
            self.wfile.write(b"HTTP/1.0 404 Not Found\r\nX-Skip: 1\r\n\r\ngone")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        reply = b"host=" + self.headers["Host"].encode() + b";body=" + body
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(reply), reply))

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Responder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


CLIENT = r"""
-module(http_fetch).
-export([start/0, passive/2]).

start() ->
    show(ahttp_client:connect(http, ?HOST, ?CLOSED_PORT, [])),
    {ok, C1} = ahttp_client:connect(http, ?HOST, ?PORT,
                                    [{active, false}, {parse_headers, [<<"location">>]}]),
    {ok, C2, Ref2} = ahttp_client:request(C1, <<"GET">>, "/page", [], undefined),
    C3 = passive(C2, Ref2),
    show(ahttp_client:close(C3)),
    self() ! not_a_socket_message,
    {ok, A1} = ahttp_client:connect(http, list_to_binary(?HOST), ?PORT, []),
    {ok, A2, ARef} = ahttp_client:request(A1, "GET", <<"/gone">>, [], nil),
    active(A2, ARef),
    {ok, P1} = ahttp_client:connect(http, ?HOST, ?PORT, [{active, false}]),
    {ok, P2, PRef} = ahttp_client:request(P1, <<"POST">>, <<"/echo">>, [], <<"abc">>),
    passive(P2, PRef),
    {ok, S1} = ahttp_client:connect(http, ?HOST, ?PORT, [{active, false}]),
    {ok, S2, SRef} = ahttp_client:request(S1, <<"POST">>, <<"/echo">>,
                                          [{<<"Content-Length">>, <<"6">>}], stream),
    {ok, S2, SRef} = ahttp_client:stream_request_body(S2, SRef, <<"abc">>),
    {ok, S2, SRef} = ahttp_client:stream_request_body(S2, SRef, [<<"d">>, "ef"]),
    passive(S2, SRef),
    io:format("end~n").

passive(Conn, Ref) ->
    case ahttp_client:recv(Conn, 0) of
        {ok, Conn1, Responses} -> responses(Conn1, Ref, Responses, fun passive/2);
        Error -> show(Error)
    end.

active(Conn, Ref) ->
    receive
        Message ->
            case ahttp_client:stream(Conn, Message) of
                {ok, _, closed} -> show(closed);
                {ok, Conn1, Responses} -> responses(Conn1, Ref, Responses, fun active/2);
                Other -> show(Other), active(Conn, Ref)
            end
    after 10000 -> show(timeout)
    end.

%% Show the responses; the connection once the request is done, else Next(Conn, Ref).
responses(Conn, Ref, Responses, Next) ->
    lists:foreach(fun(R) -> show_response(R, Ref) end, Responses),
    case lists:member({done, Ref}, Responses) of
        true -> Conn;
        false -> Next(Conn, Ref)
    end.

show_response(Response, Ref) ->
    [Kind, Ref | Rest] = tuple_to_list(Response),
    show(list_to_tuple([Kind | Rest])).

show(Term) -> io:format("~p~n", [Term]).
"""


def merged_data(lines: list[str]) -> list[str]:
    """Data may come in several segments: join consecutive {data,...} lines."""
    out: list[str] = []
    for line in lines:
        if line.startswith("{data,<<") and out and out[-1].startswith("{data,<<"):
            out[-1] = out[-1][:-3] + line[len('{data,<<"'):]
        else:
            out.append(line)
    return out


PAGE = [
    "{status,200}",
    '{header,{<<"Content-Length">>,<<"11">>}}',
    '{header,{<<"location">>,<<"/next">>}}',
    '{header_continuation,{<<"location">>,<<"more">>}}',
    '{data,<<"hello world">>}',
    "{done}",
]
"""What the client shows for the Responder's GET /page (over http or https)."""


def expected_client_lines(host: str, refused: str) -> list[str]:
    """``refused``: gen_tcp's reason for a refused connection, tagged {gen_tcp, _} by
    ahttp_client."""
    body = f"host={host};body="
    return [
        f"{{error,{{gen_tcp,{refused}}}}}",
        *PAGE,
        "ok",
        "unknown",
        "{status,404}",
        '{data,<<"gone">>}',
        "closed",
        "{status,200}",
        f'{{header,{{<<"Content-Length">>,<<"{len(body) + 3}">>}}}}',
        f'{{data,<<"{body}abc">>}}',
        "{done}",
        "{status,200}",
        f'{{header,{{<<"Content-Length">>,<<"{len(body) + 6}">>}}}}',
        f'{{data,<<"{body}abcdef">>}}',
        "{done}",
        "end",
    ]


def test_ahttp_client_under_otp(libs_dir: Path, web: int) -> None:
    compile_erl(libs_dir, "http_fetch", CLIENT, f"-DPORT={web}", f"-DCLOSED_PORT={free_port()}",
                '-DHOST="127.0.0.1"')
    out = run_to_end(otp_argv(libs_dir, "http_fetch"))
    assert merged_data(out) == expected_client_lines("127.0.0.1", "econnrefused")


def test_ahttp_client_on_board_reaches_host_through_gateway(tmp_path: Path, web: int) -> None:
    beam = compile_erl(tmp_path, "http_fetch", CLIENT, f"-DPORT={web}",
                       f"-DCLOSED_PORT={free_port()}", f"-DHOST={GATEWAY}")
    out = run_to_end(board_argv(beam))
    # AtomVM's Unix socket driver (the default inet back end) reports {connect, Errno}
    assert merged_data(out) == expected_client_lines("10.0.2.2", "{connect,111}")


def test_board_client_fetches_from_board_server(tmp_path: Path) -> None:
    """AtomVM's test_http_server (ahttp_client against http_server on one board), on both
    gen_tcp back ends, passive and active, as AtomVM's test_ahttp_client uses them."""
    source = r"""
-module(http_both).
-export([start/0, handle_req/3]).
start() ->
    true = is_pid(http_server:start_server(8080, [{"*", ?MODULE, []}])),
    lists:foreach(fun fetch/1, [[{active, false}],
                                [{inet_backend, socket}, {active, false}],
                                [{inet_backend, socket}, {active, true}]]).
fetch(Options) ->
    {ok, C} = ahttp_client:connect(http, "localhost", 8080, Options),
    {ok, C2, Ref} = ahttp_client:request(C, <<"GET">>, <<"/">>, [], undefined),
    {Responses, End} = collect(proplists:get_value(active, Options), C2, []),
    Tagged = [case element(2, R) of Ref -> setelement(2, R, ref); _ -> R end || R <- Responses],
    io:format("~p ~p~n", [Tagged, End]).
collect(false, C, Acc) ->
    case ahttp_client:recv(C, 0) of
        {ok, C2, Responses} -> collect(false, C2, Acc ++ Responses);
        Error -> {Acc, Error}
    end;
collect(true, C, Acc) ->
    receive Message ->
        case ahttp_client:stream(C, Message) of
            {ok, _, closed} -> {Acc, closed};
            {ok, C2, Responses} -> collect(true, C2, Acc ++ Responses);
            Other -> {Acc, Other}
        end
    after 5000 -> {Acc, timeout}
    end.
handle_req("GET", [], Conn) -> http_server:reply(200, [34, <<"hello">>], Conn).
"""
    beam = compile_erl(tmp_path, "http_both", source)
    # ~p as AtomVM's io_lib writes it: a quote inside a string comes out quote-backslash
    # (what AtomVM 7b282159 prints for this program)
    responses = '[{status,ref,200},{data,ref,<<""\\hello">>}]'
    assert run_to_end(board_argv(beam)) == [
        responses + " {error,{gen_tcp,closed}}",
        responses + " {error,{gen_tcp,closed}}",
        responses + " closed",
    ]


HTTPS_CLIENT = r"""
-module(https_fetch).
-export([start/0]).

%% passive only: AtomVM's ssl takes {active, false} alone
start() ->
    ok = ssl:start(),
    {ok, C} = ahttp_client:connect(https, ?HOST, ?PORT, [{verify, verify_none}, {active, false},
                                                         {parse_headers, [<<"location">>]}]),
    {ok, C2, Ref} = ahttp_client:request(C, <<"GET">>, <<"/page">>, [], undefined),
    io:format("~p~n", [ahttp_client:close(http_fetch:passive(C2, Ref))]).
"""

@pytest.fixture
def tls_web(certificate: tuple[str, str]) -> Iterator[int]:  # noqa: F811
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Responder)
    server.socket = server_context(certificate).wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def https_beams(folder: Path, host: str, port: int) -> list[Path]:
    return [compile_erl(folder, "https_fetch", HTTPS_CLIENT, f"-DHOST={host}", f"-DPORT={port}"),
            compile_erl(folder, "http_fetch", CLIENT, f"-DHOST={host}", f"-DPORT={port}",
                        "-DCLOSED_PORT=0")]


def test_ahttp_client_https_under_otp(libs_dir: Path, tls_web: int) -> None:
    https_beams(libs_dir, '"127.0.0.1"', tls_web)
    out = run_to_end(otp_argv(libs_dir, "https_fetch"))
    assert merged_data(out) == [*PAGE, "ok"]


def test_ahttp_client_https_on_board(tmp_path: Path, tls_web: int) -> None:
    beams = https_beams(tmp_path, GATEWAY, tls_web)
    out = run_to_end(board_argv(*beams))
    assert merged_data(out) == [*PAGE, "ok"]


# ---------------------------------------------------------------------------------------------
# mdns: the responder answers A queries for <hostname>.local; a querier on the same host/board.

MDNS = r"""
-module(mdns_ask).
-export([start/0, ask_both/1]).

start() ->
    {ok, Responder} = mdns:start_link(#{hostname => <<"AtomVM">>, interface => ?IFACE,
                                        ttl => 120}),
    ask_both(?IFACE),
    ok = mdns:stop(Responder),
    io:format("stopped~n").

%% atomvm.local (answered) and other.local (not), both asking for a unicast answer
ask_both(Ip) ->
    {ok, S} = gen_udp:open(0, [binary, {active, false}]),
    ask(S, Ip, 16#1234, <<"atomvm">>, 1, 2000),
    ask(S, Ip, 7, <<"other">>, 1, 500).

ask(S, Ip, Id, Host, Unicast, Timeout) ->
    Query = <<Id:16, 0:16, 1:16, 0:48, (byte_size(Host)), Host/binary, 5, "local", 0,
              1:16, Unicast:1, 1:15>>,
    ok = gen_udp:send(S, Ip, 5353, Query),
    case gen_udp:recv(S, 0, Timeout) of
        {ok, {From, Port, Answer}} ->
            Hex = [io_lib:format("~2.16.0b", [B]) || <<B>> <= Answer],
            io:format("~p ~p ~s~n", [From, Port, Hex]);
        Other ->
            io:format("~p~n", [Other])
    end.
"""


def mdns_name(*labels: bytes) -> bytes:
    return b"".join(bytes([len(label)]) + label for label in labels) + b"\0"


def mdns_answer(ip: tuple[int, int, int, int], ttl: int = 120) -> bytes:
    """RFC 1035 layout of AtomVM's answer to query 0x1234 for atomvm.local: the query's id,
    QR+AA, the question (class without the unicast bit), one A record for the configured name
    (AtomVM), the TTL, the interface's address."""
    return (struct.pack(">HHHHHH", 0x1234, 0x8400, 1, 1, 0, 0)
            + mdns_name(b"atomvm", b"local") + struct.pack(">HH", 1, 1)
            + mdns_name(b"AtomVM", b"local") + struct.pack(">HHIH", 1, 1, ttl, 4) + bytes(ip))


def expected_mdns_answer(ip: tuple[int, int, int, int], ttl: int = 120) -> str:
    """The line mdns_ask prints for the answer: sender address, port, bytes in hex."""
    return f"{{{','.join(map(str, ip))}}} 5353 {mdns_answer(ip, ttl).hex()}"


def test_mdns_under_otp(libs_dir: Path) -> None:
    compile_erl(libs_dir, "mdns_ask", MDNS, "-DIFACE={127,0,0,1}")
    out = run_to_end(otp_argv(libs_dir, "mdns_ask"))
    assert out == [expected_mdns_answer((127, 0, 0, 1)), "{error,timeout}", "stopped"]


def test_mdns_on_board(tmp_path: Path) -> None:
    beam = compile_erl(tmp_path, "mdns_ask", MDNS, f"-DIFACE={BOARD_IP}")
    out = run_to_end(board_argv(beam))
    assert out == [expected_mdns_answer((10, 0, 2, 15)), "{error,timeout}", "stopped"]


MDNS_RESPONDER = r"""
-module(mdns_responder).
-export([start/0]).

start() ->
    {ok, _} = mdns:start_link(#{hostname => "AtomVM", interface => {10, 0, 2, 15}, ttl => 120}),
    io:format("ready~n"),
    receive stop -> ok end.
"""


def test_mdns_on_board_answers_a_host_through_forward(tmp_path: Path) -> None:
    """A host tool asking with the unicast-response bit, through --forward udp:HOSTPORT:5353."""
    port = free_port()
    board = Running(board_argv(compile_erl(tmp_path, "mdns_responder", MDNS_RESPONDER),
                               options=("--forward", f"udp:{port}:5353")))
    try:
        board.wait_for("ready")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as asker:
            asker.settimeout(RUN_TIMEOUT_S)
            asker.sendto(struct.pack(">HHHHHH", 0x1234, 0, 1, 0, 0, 0)
                         + mdns_name(b"atomvm", b"local") + struct.pack(">HH", 1, 0x8001),
                         ("127.0.0.1", port))
            assert asker.recvfrom(512) == (mdns_answer((10, 0, 2, 15)), ("127.0.0.1", port))
    finally:
        board.stop()


MDNS_WIFI = r"""
-module(mdns_wifi).
-export([start/0]).

start() ->
    Ip = wifi_join:join([{mdns, [{hostname, "AtomVM"}, {ttl, 120}]}]),
    io:format("~p~n", [Ip]),
    timer:sleep(100),   % the network process starts the responder on the same event
    mdns_ask:ask_both(Ip).
"""


def test_mdns_started_by_network_on_esp32(tmp_path: Path) -> None:
    """network:start's {mdns, ...} option: the responder answers on the station's address."""
    beams = [compile_erl(tmp_path, "mdns_wifi", MDNS_WIFI),
             compile_erl(tmp_path, "mdns_ask", MDNS, "-DIFACE=undefined"), wifi_join(tmp_path)]
    out = run_to_end([sys.executable, "-m", "avmsim.cli", "--board", "esp32-devkit", "--headless",
                      *map(str, beams)])
    ip = tuple(int(n) for n in out[0].strip("{}").split(","))
    assert out[1:] == [expected_mdns_answer(ip), "{error,timeout}"]


MDNS_HOST = r"""
-module(mdns_host).
-export([start/0]).

start() ->
    io:format("~p~n", [wifi_join:join([{mdns, [{hostname, "AtomVM"}]}])]),
    timer:sleep(5000).
"""

MDNS_MULTICAST_ASKER = r"""
-module(mdns_multicast_asker).
-export([start/0]).

%% as a phone or a laptop asks: from port 5353, to the group, no unicast bit
start() ->
    Ip = wifi_join:join([]),
    timer:sleep(1000),
    Group = {224, 0, 0, 251},
    {ok, S} = socket:open(inet, dgram, udp),
    ok = socket:setopt(S, {socket, reuseaddr}, true),
    ok = socket:setopt(S, {ip, add_membership}, #{multiaddr => Group, interface => Ip}),
    ok = socket:bind(S, #{family => inet, addr => {0, 0, 0, 0}, port => 5353}),
    Query = <<16#1234:16, 0:16, 1:16, 0:48, 6, "atomvm", 5, "local", 0, 1:16, 0:1, 1:15>>,
    ok = socket:sendto(S, Query, #{family => inet, addr => Group, port => 5353}),
    {ok, {#{addr := From, port := Port}, Answer}} = socket:recvfrom(S, 0, 2000),
    io:format("~p ~p ~s~n", [From, Port, [io_lib:format("~2.16.0b", [B]) || <<B>> <= Answer]]).
"""


def test_mdns_answers_a_multicast_query_from_another_board(tmp_path: Path) -> None:
    """Two ESP32 boards on the default AP: the asker's query to 224.0.0.251 reaches the
    responder that network:start started; its answer comes back to the group."""
    host = compile_erl(tmp_path, "mdns_host", MDNS_HOST)
    asker = compile_erl(tmp_path, "mdns_multicast_asker", MDNS_MULTICAST_ASKER)
    join = wifi_join(tmp_path)
    path = tmp_path / "world.toml"
    path.write_text("".join(f'[[board]]\nname = "{name}"\nboard = "esp32-devkit"\n'
                            f'packs = ["{app}", "{join}"]\n\n'
                            for name, app in (("host", host), ("asker", asker))))
    world = World(load_world_file(path))
    consoles: dict[str, list[bytes]] = {name: [] for name in world.sims}
    for name, sim in world.sims.items():
        sim.devices.console.add_sink(consoles[name].append)
    results = world.run(until_ns=20_000_000_000, timeout=True)
    out = {name: b"".join(chunks).decode().splitlines() for name, chunks in consoles.items()}
    assert {name: r.why for name, r in results.items()} == {"host": "returned", "asker": "returned"}
    ip = tuple(int(n) for n in out["host"][0].strip("{}").split(","))
    assert out["asker"] == [expected_mdns_answer(ip, ttl=900)]
