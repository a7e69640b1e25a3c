"""``ssl`` client connections as AtomVM offers them (estdlib ssl.erl over otp_ssl.c).

The board connects with ``ssl:connect`` to a TLS server at its gateway address
(generic-unix: its ``eth`` 10.0.2.15, the host side 10.0.2.2; esp32-devkit: joined to the
default open access point ``avmsim``, its gateway 192.168.1.1). In the model-level tests
the server is Python's ``ssl`` on a socket of the simulated network's host stack
(``network.host``, no host socket: virtual time only), serving a self-signed certificate;
the board uses AtomVM's documented options (``{verify, verify_none}``, ``{active, false}``,
``binary``).

``test_board_reaches_a_host_tls_server`` does the same against a real TLS server on the
host's 127.0.0.1, through the host gateway (peripherals/net_host.py).
"""
from __future__ import annotations

import datetime
import socket
import ssl
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from avmsim.boards import get_board
from avmsim.simulation import Simulation

from helpers import avmsim, compile_erl

PORT = 4433
S = 1_000_000_000

CLIENT = """-module(tls_client).
-export([start/0]).
start() ->
    Server = case atomvm:platform() of
        esp32 ->
            {ok, {_Ip, _Mask, Gateway}} = network:wait_for_sta([{ssid, "avmsim"}], 30000),
            Gateway;
        generic_unix ->
            {10, 0, 2, 2}
    end,
    ok = ssl:start(),
    {ok, S} = ssl:connect(Server, PORT, [{verify, verify_none}, {active, false}, binary]),
    ok = ssl:send(S, [<<"hello ">>, "tls"]),
    {ok, Reply} = ssl:recv(S, 9),
    ok = ssl:send(S, binary:copy(<<"x">>, 20000)),
    {ok, Big} = ssl:recv(S, 20000),
    io:format("~s ~p~n", [Reply, Big =:= binary:copy(<<"X">>, 20000)]),
    ok = ssl:send(S, <<"bye">>),
    io:format("~p~n", [ssl:recv(S, 0)]),
    ok = ssl:close(S),
    Refused = ssl:connect(Server, PORT, [{active, false}]),
    io:format("~p~n", [Refused]).
""".replace("PORT", str(PORT))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[str, str]:
    """A self-signed certificate and key for the server (PEM files)."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "avmsim-test")])
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1).not_valid_before(start)
            .not_valid_after(start + datetime.timedelta(days=3650))
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


def server_context(certificate: tuple[str, str]) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*certificate)
    return ctx


class SimTlsUpper:
    """A TLS server on the simulated network's host stack: it answers every byte in upper
    case. Python's ``ssl`` over memory BIOs, fed from the simulated socket's ``on_ready``."""

    def __init__(self, network, ctx: ssl.SSLContext, address: tuple) -> None:
        self.ctx = ctx
        self.listener = network.host.open("tcp")
        self.listener.bind(address, PORT)
        self.listener.listen(4)
        self.listener.on_ready = self._accept
        self.handshakes = 0
        self.errors: list[str] = []

    def _accept(self) -> None:
        while (sock := self.listener.accept()) is not None:
            rx, tx = ssl.MemoryBIO(), ssl.MemoryBIO()
            conn = (sock, self.ctx.wrap_bio(rx, tx, server_side=True), rx, tx, [False, b""])
            sock.on_ready = lambda conn=conn: self._serve(*conn)

    def _serve(self, sock, tls, rx, tx, state) -> None:
        """``state``: [handshake done, bytes the send buffer did not take yet]."""
        data = sock.recv(0) if sock.readable() else None
        if data == b"":
            rx.write_eof()
        elif data:
            rx.write(data)
        try:
            if not state[0]:
                tls.do_handshake()
                state[0] = True
                self.handshakes += 1
            while chunk := tls.read(65536):
                if chunk == b"bye":
                    tls.unwrap()        # close_notify, then wait for the client's
                tls.write(chunk.upper())
        except (ssl.SSLWantReadError, ssl.SSLZeroReturnError):
            pass
        except ssl.SSLError as e:
            self.errors.append(e.reason)
        out = state[1] + tx.read()
        if out and sock.writable():
            out = out[sock.send(out):]
        state[1] = out


HOST_SIDE = {"generic-unix": (10, 0, 2, 2), "esp32-devkit": (192, 168, 1, 1)}
"""The board's gateway: generic-unix's wired network, the default access point's."""


def run_client(tmp_path: Path, certificate, board: str) -> tuple[str, SimTlsUpper]:
    beam = compile_erl(tmp_path, "tls_client", CLIENT)
    sim = Simulation(get_board(board), [str(beam)])
    server = SimTlsUpper(sim.network.ip, server_context(certificate), HOST_SIDE[board])
    console: list[bytes] = []
    sim.devices.console.add_sink(console.append)
    outcome = sim.run(until_ns=60 * S, timeout=True)
    text = b"".join(console).decode()
    assert outcome.why != "timeout", text
    return text, server


EXPECTED = "HELLO TLS true\n{error,-30848}\n{error,-30336}\n"
"""The echoes; after ``bye`` the server's close_notify (MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY,
-0x7880); then a connection without ``verify_none``: Mbed TLS requires the peer
certificate and has no CA chain (MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED, -0x7680)."""


@pytest.mark.parametrize("board", ["generic-unix", "esp32-devkit"])
def test_ssl_client_over_the_simulated_network(tmp_path, certificate, board):
    text, server = run_client(tmp_path, certificate, board)
    assert text.startswith(EXPECTED), text
    assert server.handshakes == 1


NIF_ERRORS = """-module(ssl_nif_errors).
-export([start/0]).
p(F) -> io:format("~p~n", [try F() catch C:R -> {C, R} end]).
start() ->
    Ctx = ssl:nif_init(),
    Conf = ssl:nif_config_init(),
    p(fun() -> ssl:nif_config_defaults(Conf, client, "stream") end),
    p(fun() -> ssl:nif_config_defaults(Conf, peer, stream) end),
    p(fun() -> ssl:nif_config_defaults(Ctx, client, stream) end),
    p(fun() -> ssl:nif_conf_authmode(Conf, sometimes) end),
    p(fun() -> ssl:nif_set_bio(Ctx, not_a_socket) end),
    p(fun() -> ssl:nif_handshake_step(Ctx) end),
    p(fun() -> ssl:nif_write(Ctx, "not a binary") end),
    p(fun() -> ssl:nif_read(Ctx, -1) end),
    p(fun() -> ssl:nif_setup(Ctx, Conf) end),
    p(fun() -> ssl:nif_config_defaults(Conf, client, stream) end),
    p(fun() -> ssl:nif_setup(Ctx, Conf) end).
"""


def test_nif_argument_errors(tmp_path):
    """otp_ssl.c: ``VALIDATE_VALUE`` and resource checks raise ``badarg``; a handshake on a
    context that was never set up is Mbed TLS's MBEDTLS_ERR_SSL_BAD_INPUT_DATA (-0x7100)."""
    beam = compile_erl(tmp_path, "ssl_nif_errors", NIF_ERRORS)
    sim = Simulation(get_board("generic-unix"), [str(beam)])
    console: list[bytes] = []
    sim.devices.console.add_sink(console.append)
    sim.run(until_ns=10 * S, timeout=True)
    assert b"".join(console).decode().splitlines() == [
        "{error,badarg}", "{error,badarg}", "{error,badarg}", "{error,badarg}",
        "{error,badarg}", "{error,-28928}", "{error,badarg}", "{error,badarg}",
        "{error,badarg}", "ok", "ok"]


def test_no_ssl_without_a_network(tmp_path):
    """STM32 boards have no socket or ssl NIFs: ssl.erl's stubs fail."""
    beam = compile_erl(tmp_path, "ssl_none", "-module(ssl_none).\n-export([start/0]).\n"
                       "start() -> io:format(\"~p~n\", [catch ssl:nif_init()]).\n")
    result = avmsim("--board", "nucleo-f429zi", "--headless", "--timeout", "10s", str(beam))
    assert result.stdout.startswith("{'EXIT',{undefined,"), result.stdout + result.stderr


def test_board_reaches_a_host_tls_server(tmp_path, certificate):
    """A TLS server on the host's 127.0.0.1 (a thread); the board's connection to its
    gateway address reaches it through the host gateway."""
    ctx = server_context(certificate)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    served: list[bytes] = []

    def serve() -> None:
        listener.settimeout(30)
        with listener, ctx.wrap_socket(listener.accept()[0], server_side=True) as conn:
            data = conn.recv(1024)
            served.append(data)
            conn.sendall(data.upper())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    app = (CLIENT.split("ok = ssl:send(S, binary:copy")[0].replace(str(PORT), str(port))
           + "io:format(\"~s~n\", [Reply]), ssl:close(S).\n")
    beam = compile_erl(tmp_path, "tls_client", app)
    result = avmsim("--board", "generic-unix", "--headless", "--timeout", "30s", str(beam),
                    timeout=60)
    thread.join(timeout=5)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "HELLO TLS"
    assert served == [b"hello tls"]
