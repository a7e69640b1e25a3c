"""AtomVM's ``ssl`` NIFs (libAtomVM otp_ssl.c): an Mbed TLS client over a ``socket``.

estdlib's ssl.erl drives everything: it builds the entropy, CTR-DRBG, SSL context and
config resources, binds the context to a connected ``socket`` (``nif_set_bio``), then loops
on ``nif_handshake_step``/``nif_read``/``nif_write``/``nif_close_notify``, waiting with
``socket:nif_select_read`` whenever a NIF answers ``want_read``. Here the TLS engine is
OpenSSL through Python's ``ssl`` module on memory BIOs (:class:`Session`); its records move
over the socket NIFs' simulated socket (``SocketResource.sock``), as Mbed TLS's BIO
callbacks move them with ``socket_send``/``socket_recv``.

Answers are otp_ssl.c's: ``ok``, ``done`` (handshake over), ``want_read``, ``want_write``,
``{ok, Rest}`` for a partial write or a short read, and ``{error, Code}`` with Mbed TLS's
negative error code (:data:`MBEDTLS_ERRORS`); a resource of the wrong kind or a non-atom
option is ``badarg``. AtomVM lowers the maximum TLS version to 1.2 unless the peer
certificate is ``required`` (``nif_conf_authmode``), and ssl.erl has no option to give CA
certificates, so only ``{verify, verify_none}`` connects; ``required`` (Mbed TLS's client
default) fails the handshake with ``MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED``.

Not modelled: DTLS (``dgram`` configs are accepted, their handshake fails) and server
contexts (no way to give them a certificate, as in AtomVM). OpenSSL's randomness cannot be
seeded, so TLS bytes on the wire differ between runs (their sizes do not).

Platforms: where the socket NIFs exist (esp32, generic_unix); elsewhere ssl.erl's stubs
fail with ``error:undefined``.
"""
from __future__ import annotations

import ssl
from typing import Any

from avmsim.peripherals.net import NetError

from ..errors import ErlangError
from ..natives import control_native, native
from ..term_size import binary_words
from ..terms import ERROR, NIL, OK, UNDEFINED, Atom, Cons, atom
from ._trap import trap
from ._util import badarg, charge_results, iolist_bytes, new_tuple
from .resources import lookup, new_resource, resource_words
from .socket_nifs import SocketResource

A_DONE = atom("done")
A_WANT_READ = atom("want_read")
A_WANT_WRITE = atom("want_write")
ENDPOINTS = {atom("client"): True, atom("server"): False}
TRANSPORTS = {atom("stream"): "stream", atom("dgram"): "dgram"}
AUTHMODES = {atom("none"): ssl.CERT_NONE, atom("optional"): ssl.CERT_NONE,
             atom("required"): ssl.CERT_REQUIRED}
"""``authmode_table``; ``optional`` verifies without failing, which for a client with no CA
chain is what ``none`` does."""

MBEDTLS_ERRORS = {
    "socket": -2,             # otp_socket.c SocketOtherError from socket_send/socket_recv
    "eof": -0x7280,           # MBEDTLS_ERR_SSL_CONN_EOF: the peer closed the TCP stream
    "alert": -0x7780,         # MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE
    "close_notify": -0x7880,  # MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY
    "ca_chain": -0x7680,      # MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED
    "internal": -0x6C00,      # MBEDTLS_ERR_SSL_INTERNAL_ERROR: anything else
    "bad_input": -0x7100,     # MBEDTLS_ERR_SSL_BAD_INPUT_DATA: no setup, or DTLS
}
MAX_RECORD = 16384
"""MBEDTLS_SSL_OUT_CONTENT_LEN / max in-record payload: the most a write takes and what a
read of length 0 asks for (``mbedtls_ssl_get_max_in_record_payload``)."""
WANT_WRITE_WAIT_NS = 1_000_000
"""ssl.erl retries ``want_write`` at once, spinning until lwIP's send buffer drains. Here the
buffer drains in timed events, which do not run while a process spins: a NIF that answers
``want_write`` parks its caller off its core for 1 ms first (as a blocking lwIP send would
wait), so the retry finds the buffer emptier."""
SSL_PLATFORMS = frozenset(atom(p) for p in ("esp32", "generic_unix"))


class PeerClosed(Exception):
    """The peer's close_notify arrived (Python's ``ssl`` reads it as b"")."""


class Entropy:
    """``mbedtls_entropy_context``: nothing to model."""


class CtrDrbg:
    seeded = False


class Config:
    """``mbedtls_ssl_config``: endpoint, transport, peer verification, RNG."""

    def __init__(self) -> None:
        self.client: bool | None = None
        self.transport = "stream"
        self.verify = ssl.CERT_REQUIRED     # Mbed TLS's default for a client
        self.rng: CtrDrbg | None = None


class Session:
    """``mbedtls_ssl_context``: a TLS connection over memory BIOs and a simulated socket."""

    def __init__(self) -> None:
        self.socket: SocketResource | None = None
        self.hostname: str | None = None
        self.tls: ssl.SSLObject | None = None
        self.config: Config | None = None
        self._in = ssl.MemoryBIO()
        self._out = ssl.MemoryBIO()
        self._pending = b""           # records built but not yet taken by the socket
        self._pending_len = 0         # plaintext bytes those records carry (a write's)

    def setup(self, config: Config) -> None:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT if config.client is not False
                             else ssl.PROTOCOL_TLS_SERVER)
        ctx.check_hostname = False
        ctx.verify_mode = config.verify
        if config.verify != ssl.CERT_REQUIRED:
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        self.config = config
        self.tls = ctx.wrap_bio(self._in, self._out, server_side=config.client is False,
                                server_hostname=self.hostname)

    # ---------------------------------------------------------------- moving bytes
    def _sock(self) -> Any:
        if self.socket is None or self.socket.sock is None:
            raise NetError("closed")
        return self.socket.sock

    def pull(self) -> None:
        """Everything the socket has buffered into the TLS engine (EOF included)."""
        sock = self._sock()
        data = sock.recv(0)
        if data == b"":
            self._in.write_eof()
        elif data:
            self._in.write(data)

    def flush(self) -> bool:
        """Records to the socket as far as its send buffer takes them; True when all went."""
        self._pending += self._out.read()
        if self._pending:
            taken = self._sock().send(self._pending)
            self._pending = self._pending[taken:]
        return not self._pending

    # ---------------------------------------------------------------- operations
    def handshake(self) -> Any:
        self.pull()
        try:
            self.tls.do_handshake()
        except ssl.SSLWantReadError:
            return A_WANT_READ if self.flush() else A_WANT_WRITE
        except ssl.SSLError:
            self.flush()        # the fatal alert goes out, as Mbed TLS sends it
            raise
        return A_DONE if self.flush() else A_WANT_WRITE

    def write(self, data: bytes) -> int | None:
        """Plaintext bytes taken from ``data`` (the first record's worth), or None while
        the records of an earlier call are still waiting for the socket."""
        if self._pending or self._pending_len:
            if not self.flush():
                return None
            taken, self._pending_len = self._pending_len, 0
            return taken
        taken = min(len(data), MAX_RECORD)
        self.tls.write(data[:taken])
        if self.flush():
            return taken
        self._pending_len = taken
        return None

    def read(self, length: int) -> bytes | None:
        """Up to ``length`` plaintext bytes; None: more records must arrive first."""
        self.flush()
        self.pull()
        try:
            data = self.tls.read(length)
        except ssl.SSLWantReadError:
            return None
        if not data:
            raise PeerClosed()
        return data

    def close_notify(self) -> bool:
        try:
            self.tls.unwrap()
        except (ssl.SSLWantReadError, ssl.SSLZeroReturnError):
            pass
        return self.flush()


def _error_code(exc: Exception) -> int:
    """Mbed TLS's code for what went wrong."""
    if isinstance(exc, NetError):
        return MBEDTLS_ERRORS["socket"]
    if isinstance(exc, (ssl.SSLZeroReturnError, PeerClosed)):
        return MBEDTLS_ERRORS["close_notify"]
    if isinstance(exc, ssl.SSLEOFError):
        return MBEDTLS_ERRORS["eof"]
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MBEDTLS_ERRORS["ca_chain"]
    if isinstance(exc, ssl.SSLError) and "ALERT" in (exc.reason or "").upper():
        return MBEDTLS_ERRORS["alert"]
    return MBEDTLS_ERRORS["internal"]


def _gate(ctx: Any) -> None:
    if ctx.vm.platform not in SSL_PLATFORMS or getattr(ctx.vm.devices, "net", None) is None:
        raise ErlangError(ERROR, UNDEFINED)


def _get(ctx: Any, term: Any, cls: type) -> Any:
    _gate(ctx)
    obj = lookup(ctx.vm, term, cls)
    if obj is None:
        raise badarg()
    return obj


def _session(ctx: Any, term: Any) -> Session:
    return _get(ctx, term, Session)


def _run(session: Session, step: Any) -> Any:
    """Run one engine step; socket and TLS failures become ``{error, Code}`` (a context
    that was never set up is Mbed TLS's bad input)."""
    if session.tls is None:
        return (ERROR, MBEDTLS_ERRORS["bad_input"])
    try:
        return step()
    except (NetError, ssl.SSLError, PeerClosed) as exc:
        return (ERROR, _error_code(exc))


def _answer(c: Any, cont: int, result: Any) -> int:
    """Hand ``result`` to the caller of a control native; ``want_write`` after
    :data:`WANT_WRITE_WAIT_NS` off the core."""
    if result is not A_WANT_WRITE:
        c.x[0] = result
        return cont
    resume = trap(c, cont)
    scheduler = c.vm.scheduler
    scheduler.schedule(scheduler.now_ns() + WANT_WRITE_WAIT_NS, lambda: resume(A_WANT_WRITE))
    return 0


# ----------------------------------------------------------------------------- resources

def _resource_nif(kind: type) -> Any:
    """A ``nif_*_init/0``: a new resource holding a fresh ``kind``."""
    def init(ctx: Any) -> Any:
        _gate(ctx)
        return new_resource(ctx.vm, kind())
    return init


for _name, _kind in (("nif_entropy_init", Entropy), ("nif_ctr_drbg_init", CtrDrbg),
                     ("nif_init", Session), ("nif_config_init", Config)):
    native("ssl", _name, 0)(_resource_nif(_kind))


@native("ssl", "nif_ctr_drbg_seed", 3)
def nif_ctr_drbg_seed(ctx: Any, drbg: Any, entropy: Any, custom: Any) -> Any:
    rng = _get(ctx, drbg, CtrDrbg)
    _get(ctx, entropy, Entropy)
    if custom.__class__ is not bytes:
        raise badarg()
    rng.seeded = True
    return OK


@native("ssl", "nif_set_bio", 2)
def nif_set_bio(ctx: Any, context: Any, socket: Any) -> Any:
    if not (socket.__class__ is tuple and len(socket) == 2):
        raise badarg()
    session = _get(ctx, context, Session)
    session.socket = _get(ctx, socket[0], SocketResource)
    return OK


@native("ssl", "nif_config_defaults", 3)
def nif_config_defaults(ctx: Any, config: Any, endpoint: Any, transport: Any) -> Any:
    if endpoint.__class__ is not Atom or transport.__class__ is not Atom:
        raise badarg()
    conf = _get(ctx, config, Config)
    if endpoint not in ENDPOINTS or transport not in TRANSPORTS:
        raise badarg()
    conf.client = ENDPOINTS[endpoint]
    conf.transport = TRANSPORTS[transport]
    conf.verify = ssl.CERT_REQUIRED if conf.client else ssl.CERT_NONE
    return OK


@native("ssl", "nif_set_hostname", 2)
def nif_set_hostname(ctx: Any, context: Any, hostname: Any) -> Any:
    """``interop_term_to_string``: an iolist or a binary."""
    session = _get(ctx, context, Session)
    if hostname.__class__ not in (Cons, bytes) and hostname is not NIL:
        raise badarg()
    session.hostname = iolist_bytes(hostname).decode("latin-1") or None
    return OK


@native("ssl", "nif_conf_authmode", 2)
def nif_conf_authmode(ctx: Any, config: Any, mode: Any) -> Any:
    conf = _get(ctx, config, Config)
    if mode.__class__ is not Atom or mode not in AUTHMODES:
        raise badarg()
    conf.verify = AUTHMODES[mode]
    return OK


@native("ssl", "nif_conf_rng", 2)
def nif_conf_rng(ctx: Any, config: Any, drbg: Any) -> Any:
    conf = _get(ctx, config, Config)
    conf.rng = _get(ctx, drbg, CtrDrbg)
    return OK


@native("ssl", "nif_setup", 2)
def nif_setup(ctx: Any, context: Any, config: Any) -> Any:
    session = _get(ctx, context, Session)
    conf = _get(ctx, config, Config)
    if conf.client is None:      # mbedtls_ssl_setup on a config without defaults
        raise badarg()
    session.setup(conf)
    return OK


# ----------------------------------------------------------------------------- the session

@control_native("ssl", "nif_handshake_step", 1)
def nif_handshake_step(c: Any, cont: int) -> int:
    session = _session(c, c.x[0])
    if session.config is not None and session.config.transport != "stream":
        return _answer(c, cont, (ERROR, MBEDTLS_ERRORS["bad_input"]))
    return _answer(c, cont, _run(session, session.handshake))


@control_native("ssl", "nif_close_notify", 1)
def nif_close_notify(c: Any, cont: int) -> int:
    session = _session(c, c.x[0])
    return _answer(c, cont, _run(session, lambda: OK if session.close_notify()
                                 else A_WANT_WRITE))


@control_native("ssl", "nif_write", 2)
def nif_write(c: Any, cont: int) -> int:
    context, data = c.x[0], c.x[1]
    if data.__class__ is not bytes:
        raise badarg()
    session = _session(c, context)

    def step() -> Any:
        taken = session.write(data)
        if taken is None:
            return A_WANT_WRITE
        return OK if taken == len(data) else (OK, data[taken:])
    return _answer(c, cont, _run(session, step))


@native("ssl", "nif_read", 2)
def nif_read(ctx: Any, context: Any, length: Any) -> Any:
    if length.__class__ is not int:
        raise badarg()
    session = _session(ctx, context)
    if length < 0:
        raise badarg()

    def step() -> Any:
        data = session.read(length or MAX_RECORD)
        return A_WANT_READ if data is None else (OK, data)
    return _run(session, step)


def _result_words(result: Any, args: tuple, layout: Any) -> int:
    """``{ok, Binary}`` / ``{error, Code}`` (a tuple, and a binary), or an atom. (The
    control natives' small results are not charged.)"""
    if result.__class__ is not tuple:
        return 0
    data = result[1]
    return new_tuple(result, args, layout) + (
        binary_words(len(data), layout) if data.__class__ is bytes else 0)


charge_results("ssl", {
    ("nif_entropy_init", 0): resource_words, ("nif_ctr_drbg_init", 0): resource_words,
    ("nif_init", 0): resource_words, ("nif_config_init", 0): resource_words,
    ("nif_read", 2): _result_words,
})
