"""AtomVM's ``crypto`` NIFs (libAtomVM otp_crypto.c): hashes, MACs, AES, PBKDF2, random bytes.

Results are computed by hashlib/hmac and ``cryptography``; what follows AtomVM is the set of
functions and algorithms, and the errors. AtomVM raises a plain ``badarg`` where its
``VALIDATE_VALUE`` or iodata checks fail, and otherwise the tuple
``{badarg, {File, Line}, Description}`` (``{error, ...}`` for a few), where ``File`` and
``Description`` are charlists and ``Line`` the line of otp_crypto.c that raised it: avmsim
gives the line of AtomVM's source at the revision it follows (7b282159) and the file as
:data:`SOURCE` (AtomVM's ``__FILE__`` is whatever path its build used).

The build modelled is AtomVM with Mbed TLS 3.6 and PSA Crypto (``HAVE_PSA_CRYPTO``; ESP-IDF
5.4 ships Mbed TLS 3.6.x) and without libsodium, so every NIF of otp_crypto.c exists; the
public-key ones are in ``crypto_pk_nifs``. ``crypto`` is built into AtomVM's esp32, rp2 and
generic_unix ports (otp_crypto_platform.c, platform_nifs.c); the stm32 port has none, so
there the module's stubs run and fail with ``error:undefined`` (``erlang:nif_error``).

``strong_rand_bytes`` draws from the VM's seeded generator (``vm.random``, as
``atomvm:rand_bytes/1``): same seed, same bytes.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Any, Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import algorithms

from ..errors import ErlangError, badarg
from ..natives import native
from ..terms import ERROR, FALSE, NIL, TRUE, UNDEFINED, Atom, Cons, atom, from_list
from . import crypto_ciphers as ciphers
from ._util import charge_results, decoded, iolist_bytes, new_binary, str_list, whole
from .resources import lookup, new_resource, resource_words

SOURCE = "src/libAtomVM/otp_crypto.c"
BADARG = atom("badarg")
MBEDTLS_VERSION = (3, 6, 2)
"""The Mbed TLS of the modelled build (``info_lib/0``)."""
CRYPTO_PLATFORMS = frozenset(atom(p) for p in ("esp32", "pico", "generic_unix"))

A_ENCRYPT = atom("encrypt")
A_PADDING = atom("padding")
A_NONE = atom("none")
A_PKCS = atom("pkcs_padding")
A_HMAC = atom("hmac")
A_CMAC = atom("cmac")


def crypto_error(line: int, message: str, tag: Atom = BADARG) -> ErlangError:
    """``{Tag, {File, Line}, Message}`` as otp_crypto.c ``make_crypto_error_tag`` builds it."""
    return ErlangError(ERROR, (tag, (str_list(SOURCE), line), str_list(message)))


def crypto_nif(name: str, arity: int) -> Callable[[Callable], Callable]:
    """Register ``crypto:name/arity``, present on the platforms AtomVM builds crypto into."""
    def register(f: Callable) -> Callable:
        def nif(ctx: Any, *args: Any) -> Any:
            if ctx.vm.platform not in CRYPTO_PLATFORMS:
                raise ErlangError(ERROR, UNDEFINED)
            return f(ctx, *args)
        nif.__name__ = f.__name__
        nif.__doc__ = f.__doc__
        native("crypto", name, arity)(nif)
        return f
    return register


def iodata(t: Any) -> bytes | None:
    """Bytes of a binary or an iolist (``handle_iodata``); None for anything else."""
    try:
        return iolist_bytes(t) if t.__class__ in (bytes, Cons) or t is NIL else None
    except ErlangError:
        return None


def need_iodata(t: Any, line: int, message: str = "Expected a binary or a list") -> bytes:
    data = iodata(t)
    if data is None:
        raise crypto_error(line, message)
    return data


def _table(names: dict[str, str]) -> dict[Atom, str]:
    return {atom(k): v for k, v in names.items()}


HASHES = _table({"md5": "md5", "sha": "sha1", "sha224": "sha224", "sha256": "sha256",
                 "sha384": "sha384", "sha512": "sha512"})
"""``crypto_algorithm_table``: ``hash/2`` (the Mbed TLS hash modules)."""
PSA_HASHES = {**HASHES, **_table({"sha3_224": "sha3_224", "sha3_256": "sha3_256",
                                  "sha3_384": "sha3_384", "sha3_512": "sha3_512",
                                  "ripemd160": "ripemd160"})}
"""``psa_hash_algorithm_table``: streaming hashes, HMAC and ECDSA digests."""
PBKDF2_HASHES = {k: v for k, v in PSA_HASHES.items() if not v.startswith("sha3_")}
"""``md_hash_algorithm_table``: ``pbkdf2_hmac/5``."""
CMAC_KEY_BITS = {atom(f"aes_{bits}_{mode}"): bits for bits in (128, 192, 256)
                 for mode in ("cbc", "ecb")}
"""``cmac_algorithm_bits_table``."""


# ----------------------------------------------------------------------------- hashes

@crypto_nif("hash", 2)
def hash_(ctx: Any, kind: Any, data: Any) -> bytes:
    if kind.__class__ is not Atom or kind not in HASHES:
        raise badarg()
    return hashlib.new(HASHES[kind], iolist_bytes(data)).digest()


class HashState:
    """A PSA hash operation; ``hash_update`` clones it, so a state can fork."""

    def __init__(self, h: Any) -> None:
        self.h = h


@crypto_nif("hash_init", 1)
def hash_init(ctx: Any, kind: Any) -> Any:
    name = PSA_HASHES.get(kind) if kind.__class__ is Atom else None
    if name is None:
        raise crypto_error(2116, "Bad digest type")
    return new_resource(ctx.vm, HashState(hashlib.new(name)))


def _state(ctx: Any, term: Any, kind: type, line: int, complaint: str) -> Any:
    """The ``kind`` state behind a resource term, or AtomVM's error tuple naming ``line``."""
    state = lookup(ctx.vm, term, kind)
    if state is None:
        raise crypto_error(line, complaint)
    return state


def _hash_state(ctx: Any, term: Any, line: int) -> HashState:
    return _state(ctx, term, HashState, line, "Bad state")


@crypto_nif("hash_update", 2)
def hash_update(ctx: Any, state: Any, data: Any) -> Any:
    h = _hash_state(ctx, state, 2159).h
    chunk = iodata(data)
    if chunk is None:
        raise badarg()
    fork = h.copy()
    fork.update(chunk)
    return new_resource(ctx.vm, HashState(fork))


@crypto_nif("hash_final", 1)
def hash_final(ctx: Any, state: Any) -> bytes:
    return _hash_state(ctx, state, 2231).h.copy().digest()


# ----------------------------------------------------------------------------- MACs

class MacState:
    """A PSA MAC operation: ``engine.update`` folds data in, ``finish`` ends it for good."""

    def __init__(self, engine: Any, final: Callable[[], bytes]) -> None:
        self.engine = engine
        self._final = final
        self.done = False

    def finish(self) -> bytes | None:
        """The MAC, or None when the operation already finished (PSA_ERROR_BAD_STATE)."""
        if self.done:
            return None
        self.done = True
        return self._final()


MAC_LINES = {
    "mac": {"key": 1667, "cipher": 1680, "size": 1685, "digest": 1694, "type": 1701,
            "import": 1720},
    "mac_init": {"key": 1849, "cipher": 1862, "size": 1866, "digest": 1875, "type": 1882,
                 "import": 1902},
}
"""Where ``nif_crypto_mac`` and ``nif_crypto_mac_init`` raise each key/algorithm error."""


def _mac_engine(kind: Any, sub: Any, key_term: Any, lines: dict[str, int]) -> MacState:
    """The MAC engine ``mac/4`` and ``mac_init/3`` set up, after their checks in order."""
    key = need_iodata(key_term, lines["key"])
    if kind is A_CMAC:
        bits = CMAC_KEY_BITS.get(sub) if sub.__class__ is Atom else None
        if bits is None:
            raise crypto_error(lines["cipher"], "Unknown cipher")
        if bits != len(key) * 8:
            raise crypto_error(lines["size"], "Bad key size")
        engine = cmac.CMAC(algorithms.AES(key))
        return MacState(engine, engine.finalize)
    if kind is A_HMAC:
        name = PSA_HASHES.get(sub) if sub.__class__ is Atom else None
        if name is None:
            raise crypto_error(lines["digest"], "Bad digest algorithm for HMAC")
        if not key:   # psa_import_key refuses an empty symmetric key
            raise crypto_error(lines["import"], "Unexpected error")
        engine = hmac.new(key, digestmod=name)
        return MacState(engine, engine.digest)
    raise crypto_error(lines["type"], "Unknown mac algorithm")


@crypto_nif("mac", 4)
def mac(ctx: Any, kind: Any, sub: Any, key: Any, data: Any) -> bytes:
    state = _mac_engine(kind, sub, key, MAC_LINES["mac"])
    state.engine.update(need_iodata(data, 1729))
    return state.finish()


@crypto_nif("mac_init", 3)
def mac_init(ctx: Any, kind: Any, sub: Any, key: Any) -> Any:
    return new_resource(ctx.vm, _mac_engine(kind, sub, key, MAC_LINES["mac_init"]))


def _mac_state(ctx: Any, term: Any, line: int) -> MacState:
    return _state(ctx, term, MacState, line, "Bad ref")


@crypto_nif("mac_update", 2)
def mac_update(ctx: Any, state_term: Any, data: Any) -> Any:
    """Folds ``data`` into the state itself and hands the same state back."""
    state = _mac_state(ctx, state_term, 1963)
    chunk = need_iodata(data, 1974, "Bad text")
    if state.done:
        raise crypto_error(1982, "Unexpected error")
    state.engine.update(chunk)
    return state_term


@crypto_nif("mac_final", 1)
def mac_final(ctx: Any, state_term: Any) -> bytes:
    out = _mac_state(ctx, state_term, 1999).finish()
    if out is None:
        raise crypto_error(2022, "Unexpected error")
    return out


@crypto_nif("mac_finalN", 2)
def mac_final_n(ctx: Any, state_term: Any, length: Any) -> bytes:
    state = _mac_state(ctx, state_term, 2048)
    if length.__class__ is not int:
        raise crypto_error(2054, "Bad length")
    if length <= 0:
        raise crypto_error(2058, "Bad length")
    out = state.finish()
    if out is None:
        raise crypto_error(2081, "Unexpected error")
    return out[:length]


# ----------------------------------------------------------------------------- ciphers

ONE_TIME_LINES = {"setkey": 561, "padding": 571, "crypt": 591}
"""``nif_crypto_crypto_one_time``: the line of each Mbed TLS call that can fail."""


def _kv(options: Any, key: Atom) -> Any:
    """``interop_kv_get_value_default``: the first ``{Key, Value}``, else ``undefined``."""
    while options.__class__ is Cons:
        item = options.hd
        if item.__class__ is tuple and len(item) == 2 and item[0] is key:
            return item[1]
        options = options.tl
    return UNDEFINED


def _one_time_options(flag: Any) -> tuple[bool, str | None]:
    """(encrypt, padding name or None when not given) of ``crypto_one_time``'s last argument."""
    if flag is TRUE or flag is FALSE:
        return flag is TRUE, None
    if flag is not NIL and flag.__class__ is not Cons:
        raise crypto_error(539, "Options are not a boolean or a proper list")
    encrypt = _kv(flag, A_ENCRYPT)
    if encrypt is not TRUE and encrypt is not FALSE:
        raise badarg()
    padding = _kv(flag, A_PADDING)
    if padding is UNDEFINED:
        return encrypt is TRUE, None
    if padding is not A_NONE and padding is not A_PKCS:
        raise badarg()
    return encrypt is TRUE, padding.name


def _one_time(ctx: Any, cipher: Any, key: Any, iv: Any, data: Any, flag: Any) -> bytes:
    spec = ciphers.ONE_TIME.get(cipher.name) if cipher.__class__ is Atom else None
    if spec is None:
        raise crypto_error(476, "Unknown cipher")
    key_b = iodata(key)
    iv_b = b"" if iv is None else iodata(iv)
    data_b = iodata(data)
    if key_b is None or iv_b is None or data_b is None:
        raise badarg()
    encrypt, padding = _one_time_options(flag)
    try:
        return ciphers.one_time(spec, key_b, iv_b, data_b, encrypt, padding)
    except ciphers.MbedError as e:
        raise crypto_error(ONE_TIME_LINES[e.step], str(e)) from None


@crypto_nif("crypto_one_time", 4)
def crypto_one_time4(ctx: Any, cipher: Any, key: Any, data: Any, flag: Any) -> bytes:
    return _one_time(ctx, cipher, key, None, data, flag)


@crypto_nif("crypto_one_time", 5)
def crypto_one_time5(ctx: Any, cipher: Any, key: Any, iv: Any, data: Any, flag: Any) -> bytes:
    return _one_time(ctx, cipher, key, iv, data, flag)


OPTION_ERRORS = {"format": (2394, "Bad option format"),
                 "encrypt": (2406, "Bad encrypt option value"),
                 "padding": (2416, "Bad padding option value"),
                 "unknown": (2419, "Unknown option"),
                 "improper": (2426, "Options is not a proper list")}


def _stream_options(flag: Any) -> tuple[bool, Atom | None]:
    """``parse_cipher_flag_or_options``: (encrypt, padding atom or None), the last wins."""
    if flag is TRUE or flag is FALSE:
        return flag is TRUE, None
    if flag is not NIL and flag.__class__ is not Cons:
        raise crypto_error(2386, "Options are not a boolean or a proper list")
    encrypt, padding = True, None
    while flag.__class__ is Cons:
        item = flag.hd
        if item.__class__ is not tuple or len(item) != 2:
            raise crypto_error(*OPTION_ERRORS["format"])
        key, value = item
        if key is A_ENCRYPT:
            if value is not TRUE and value is not FALSE:
                raise crypto_error(*OPTION_ERRORS["encrypt"])
            encrypt = value is TRUE
        elif key is A_PADDING:
            if value is not A_NONE and value is not A_PKCS:
                raise crypto_error(*OPTION_ERRORS["padding"])
            padding = value
        else:
            raise crypto_error(*OPTION_ERRORS["unknown"])
        flag = flag.tl
    if flag is not NIL:
        raise crypto_error(*OPTION_ERRORS["improper"])
    return encrypt, padding


@crypto_nif("crypto_init", 4)
def crypto_init(ctx: Any, cipher: Any, key: Any, iv: Any, flag: Any) -> Any:
    spec = ciphers.STREAMING.get(cipher.name) if cipher.__class__ is Atom else None
    if spec is None:
        raise crypto_error(2444, "Unknown cipher")
    if key.__class__ is not bytes:
        raise crypto_error(2450, "Bad key")
    if len(key) != spec.key_len:
        raise crypto_error(2454, "Bad key size")
    if iv.__class__ is not bytes:
        raise crypto_error(2463, "Bad iv type")
    if spec.iv_len and len(iv) != spec.iv_len:
        raise crypto_error(2467, "Bad iv size")
    encrypt, padding = _stream_options(flag)
    if padding is A_PKCS and spec.mode != "cbc":
        raise crypto_error(2487, "PKCS padding is supported only with CBC ciphers")
    return new_resource(ctx.vm, ciphers.Stream(spec, key, iv, encrypt,
                                               padding and padding.name))


@crypto_nif("crypto_init", 3)
def crypto_init3(ctx: Any, cipher: Any, key: Any, flag: Any) -> Any:
    """``crypto_init(Cipher, Key, <<>>, FlagOrOptions)`` (crypto.erl)."""
    return crypto_init(ctx, cipher, key, b"", flag)


def _stream(ctx: Any, term: Any, line: int, after_final: tuple[int, str]) -> ciphers.Stream:
    stream = _state(ctx, term, ciphers.Stream, line, "Bad State")
    if stream.finalized:
        raise crypto_error(*after_final)
    return stream


@crypto_nif("crypto_update", 2)
def crypto_update(ctx: Any, state: Any, data: Any) -> bytes:
    stream = _stream(ctx, state, 2598, (
        2605, "Bad state: AtomVM does not allow operations after crypto_final"))
    return stream.update(need_iodata(data, 2623, "expected binary"))


@crypto_nif("crypto_final", 1)
def crypto_final(ctx: Any, state: Any) -> bytes:
    stream = _stream(ctx, state, 2684, (
        2691, "Bad state: AtomVM does not allow calling crypto_final more than once"))
    try:
        return stream.final()
    except ciphers.PsaError as e:
        if e.status == "invalid_padding":
            raise crypto_error(2758, "Unexpected error") from None
        if stream.pkcs:
            raise crypto_error(2754, "Unexpected PKCS padding error") from None
        if stream.padding == "none":
            raise crypto_error(2736, "Padding 'none' but unfilled last block", ERROR) from None
        return b""      # default padding: the partial block is dropped


# ----------------------------------------------------------------------------- AEAD



def _aead(ctx: Any, cipher: Any, key: Any, iv: Any, text: Any, aad: Any,
          tag_or_len: Any, enc_flag: Any, arity: int) -> Any:
    params = ciphers.AEADS.get(cipher.name) if cipher.__class__ is Atom else None
    if params is None:
        raise ErlangError(ERROR, (BADARG, str_list("Unknown cipher")))
    if enc_flag is not TRUE and enc_flag is not FALSE:
        raise crypto_error(2841, "EncFlag must be a boolean")
    encrypting = enc_flag is TRUE
    tag_len, tag = ciphers.DEFAULT_TAG, b""
    if arity == 7 and encrypting:
        if tag_or_len.__class__ is not int:
            raise crypto_error(2852, "TagLength must be an integer")
        if tag_or_len < 0:
            raise crypto_error(2856, "Bad tag length")
        tag_len = tag_or_len
    elif arity == 7:
        if tag_or_len.__class__ is not bytes:
            raise crypto_error(2861, "Tag must be a binary")
        tag, tag_len = tag_or_len, len(tag_or_len)
    if key.__class__ is not bytes:
        raise crypto_error(2878, "Bad key")
    if len(key) != params.key_len:
        raise crypto_error(2882, "Bad key size")
    if iv.__class__ is not bytes:
        raise crypto_error(2888, "Bad iv")
    text_b = need_iodata(text, 2926)
    aad_b = need_iodata(aad, 2934)
    invalid_line = 2958 if encrypting else 3022
    if tag_len not in params.tags or not params.nonce_ok(len(iv)):
        raise crypto_error(invalid_line, "Invalid argument")
    if encrypting:
        sealed = params.seal(key, iv, text_b, aad_b, tag_len)
        return (sealed[:len(sealed) - tag_len], sealed[len(sealed) - tag_len:])
    combined = text_b + tag       # PSA reads the tag from the end of the ciphertext
    if len(combined) < tag_len:
        raise crypto_error(invalid_line, "Invalid argument")
    try:
        return params.open(key, iv, combined[:-tag_len], aad_b, combined[-tag_len:])
    except InvalidTag:
        return ERROR


@crypto_nif("crypto_one_time_aead", 6)
def crypto_one_time_aead6(ctx: Any, cipher: Any, key: Any, iv: Any, text: Any, aad: Any,
                          enc_flag: Any) -> Any:
    return _aead(ctx, cipher, key, iv, text, aad, None, enc_flag, 6)


@crypto_nif("crypto_one_time_aead", 7)
def crypto_one_time_aead7(ctx: Any, cipher: Any, key: Any, iv: Any, text: Any, aad: Any,
                          tag_or_len: Any, enc_flag: Any) -> Any:
    return _aead(ctx, cipher, key, iv, text, aad, tag_or_len, enc_flag, 7)


# ----------------------------------------------------------------------------- the rest

@crypto_nif("pbkdf2_hmac", 5)
def pbkdf2_hmac(ctx: Any, digest: Any, password: Any, salt: Any, iterations: Any,
                key_len: Any) -> bytes:
    name = PBKDF2_HASHES.get(digest) if digest.__class__ is Atom else None
    if name is None:
        raise crypto_error(3119, "Unknown digest type")
    password_b = need_iodata(password, 3137)
    salt_b = need_iodata(salt, 3146)
    if iterations.__class__ is not int or not 0 <= iterations < 1 << 32:
        raise crypto_error(3153, "Iterations must be a positive integer")
    if key_len.__class__ is not int or key_len <= 0:
        raise crypto_error(3160, "KeyLen must be a positive integer")
    # Mbed TLS computes U1 and then iterates from 1: a count of 0 gives what 1 gives
    return hashlib.pbkdf2_hmac(name, password_b, salt_b, max(iterations, 1), key_len)


@crypto_nif("hash_equals", 2)
def hash_equals(ctx: Any, mac1: Any, mac2: Any) -> Atom:
    if mac1.__class__ is not bytes:
        raise crypto_error(3061, "Expected a binary")
    if mac2.__class__ is not bytes:
        raise crypto_error(3064, "Expected a binary")
    if len(mac1) != len(mac2):
        raise crypto_error(3072, "Binaries must have the same length")
    return TRUE if hmac.compare_digest(mac1, mac2) else FALSE


@crypto_nif("strong_rand_bytes", 1)
def strong_rand_bytes(ctx: Any, n: Any) -> bytes:
    if n.__class__ is not int or n < 0:
        raise badarg()
    return ctx.vm.random.randbytes(n)


@crypto_nif("info_lib", 0)
def info_lib(ctx: Any) -> Any:
    major, minor, patch = MBEDTLS_VERSION
    number = major << 24 | minor << 16 | patch << 8      # MBEDTLS_VERSION_NUMBER
    return from_list([(b"mbedtls", number, f"Mbed TLS {major}.{minor}.{patch}".encode())])


def _binaries(result: Any, args: tuple, layout: Any) -> int:
    """A new binary, a tuple of new binaries, or an atom (AEAD's ``error``)."""
    if result.__class__ is tuple:
        return whole(result, args, layout)
    return new_binary(result, args, layout)


charge_results("crypto", {
    ("hash", 2): new_binary, ("hash_final", 1): new_binary, ("mac", 4): new_binary,
    ("mac_final", 1): new_binary, ("mac_finalN", 2): new_binary,
    ("crypto_one_time", 4): new_binary, ("crypto_one_time", 5): new_binary,
    ("crypto_update", 2): new_binary, ("crypto_final", 1): new_binary,
    ("crypto_one_time_aead", 6): _binaries, ("crypto_one_time_aead", 7): _binaries,
    ("pbkdf2_hmac", 5): new_binary, ("strong_rand_bytes", 1): new_binary,
    ("info_lib", 0): whole,
    ("hash_init", 1): resource_words, ("hash_update", 2): resource_words,
    ("mac_init", 3): resource_words, ("crypto_init", 4): resource_words,
    ("crypto_init", 3): resource_words,
}, {("crypto_one_time_aead", 6): decoded, ("crypto_one_time_aead", 7): decoded})
