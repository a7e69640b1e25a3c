"""AtomVM's public-key ``crypto`` NIFs (otp_crypto.c, PSA Crypto without libsodium):
``generate_key/2``, ``compute_key/4`` (ECDH over Weierstrass and Montgomery curves) and
``sign/4``, ``verify/5`` (ECDSA, DER signatures).

Keys are raw material as PSA exports them: a Weierstrass private key is its scalar,
big-endian, ``ceil(bits / 8)`` bytes, its public key the uncompressed point ``04 || X || Y``;
X25519/X448 keys are their raw bytes. Mbed TLS's PSA has no EdDSA, so ``eddsa``/``ed25519``
fails with "Unsupported key type or parameter", and ``sign``/``verify`` with any algorithm but
``ecdsa`` raise AtomVM's ``{error, {File, Line}, "Invalid public key"}``.

Determinism: private keys are drawn from the VM's seeded generator and ECDSA signs with
RFC 6979 nonces, so the same run makes the same keys and signatures (the device's are
random; any valid signature verifies the same).
"""
from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, x448, x25519

from ..errors import badarg
from ..terms import ERROR, FALSE, TRUE, Atom, Cons, atom
from ._util import charge_results, decoded, new_binary, whole
from .crypto_nifs import PSA_HASHES, crypto_error, crypto_nif, need_iodata

A_ECDH, A_EDDH, A_EDDSA, A_ECDSA = atom("ecdh"), atom("eddh"), atom("eddsa"), atom("ecdsa")

WEIERSTRASS = {
    atom("secp256r1"): (ec.SECP256R1, 256), atom("secp384r1"): (ec.SECP384R1, 384),
    atom("secp521r1"): (ec.SECP521R1, 521), atom("secp256k1"): (ec.SECP256K1, 256),
    atom("brainpoolP256r1"): (ec.BrainpoolP256R1, 256),
    atom("brainpoolP384r1"): (ec.BrainpoolP384R1, 384),
    atom("brainpoolP512r1"): (ec.BrainpoolP512R1, 512),
}
"""``psa_ecc_curve_table``: the short-Weierstrass curves and their key bits."""
MONTGOMERY = {atom("x25519"): x25519.X25519PrivateKey, atom("x448"): x448.X448PrivateKey}
MONTGOMERY_PUBLIC = {atom("x25519"): x25519.X25519PublicKey,
                     atom("x448"): x448.X448PublicKey}
EDWARDS = frozenset({atom("ed25519"), atom("ed448")})
FAMILIES = {A_EDDH: lambda c: c in MONTGOMERY, A_EDDSA: lambda c: c in EDWARDS,
            A_ECDH: lambda c: c in MONTGOMERY or c in WEIERSTRASS}
"""Which curves each key type takes (``nif_crypto_generate_key``'s family checks)."""
AGREEMENT = {A_EDDH: FAMILIES[A_EDDH], A_ECDH: FAMILIES[A_ECDH]}
_HASH_CLASSES = {"md5": hashes.MD5, "sha1": hashes.SHA1, "sha224": hashes.SHA224,
                 "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512,
                 "sha3_224": hashes.SHA3_224, "sha3_256": hashes.SHA3_256,
                 "sha3_384": hashes.SHA3_384, "sha3_512": hashes.SHA3_512}
_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _curve(param: Any, allowed: Any) -> Any:
    """``param`` if it names a known curve its key type takes; plain ``badarg`` otherwise."""
    known = param.__class__ is Atom and (param in WEIERSTRASS or param in MONTGOMERY
                                         or param in EDWARDS)
    if not known or allowed is None or not allowed(param):
        raise badarg()
    return param


def _scalar_bytes(bits: int) -> int:
    return (bits + 7) // 8


def _ec_private(curve: Any, scalar: bytes) -> ec.EllipticCurvePrivateKey | None:
    cls, bits = WEIERSTRASS[curve]
    value = int.from_bytes(scalar, "big")
    if len(scalar) != _scalar_bytes(bits) or value == 0:
        return None
    try:
        key = ec.derive_private_key(value, cls())
    except ValueError:
        return None
    return key if key.private_numbers().private_value == value else None


def _ec_point(key: Any) -> bytes:
    return key.public_bytes(serialization.Encoding.X962,
                            serialization.PublicFormat.UncompressedPoint)


def _new_key_pair(ctx: Any, curve: Any) -> tuple[bytes, bytes]:
    """(public, private) from the VM's random source."""
    rand = ctx.vm.random
    if curve in MONTGOMERY:
        size = 32 if curve is atom("x25519") else 56
        key = MONTGOMERY[curve].from_private_bytes(rand.randbytes(size))
        return key.public_key().public_bytes(*_RAW), key.private_bytes_raw()
    _, bits = WEIERSTRASS[curve]
    size = _scalar_bytes(bits)
    while True:                       # rejection sampling below the group order
        scalar = rand.getrandbits(bits).to_bytes(size, "big")
        key = _ec_private(curve, scalar)
        if key is not None:
            return _ec_point(key.public_key()), scalar


@crypto_nif("generate_key", 2)
def generate_key(ctx: Any, kind: Any, param: Any) -> tuple[bytes, bytes]:
    curve = _curve(param, FAMILIES.get(kind))
    if curve in EDWARDS:
        raise crypto_error(1074, "Unsupported key type or parameter")
    return _new_key_pair(ctx, curve)


@crypto_nif("compute_key", 4)
def compute_key(ctx: Any, kind: Any, other_public: Any, my_private: Any, param: Any) -> bytes:
    curve = _curve(param, AGREEMENT.get(kind))
    if other_public.__class__ is not bytes or my_private.__class__ is not bytes:
        raise badarg()
    if curve in MONTGOMERY:
        try:
            mine = MONTGOMERY[curve].from_private_bytes(my_private)
        except ValueError:
            raise crypto_error(1208, "Unexpected error") from None
        try:
            return mine.exchange(MONTGOMERY_PUBLIC[curve].from_public_bytes(other_public))
        except ValueError:
            raise crypto_error(1235, "Unexpected error") from None
    mine = _ec_private(curve, my_private)
    if mine is None:
        raise crypto_error(1208, "Unexpected error")
    try:
        peer = ec.EllipticCurvePublicKey.from_encoded_point(WEIERSTRASS[curve][0](),
                                                            other_public)
        return mine.exchange(ec.ECDH(), peer)
    except ValueError:
        raise crypto_error(1235, "Unexpected error") from None


SIGN_LINES = {"alg": 1297, "digest": 1304, "key": (1312, 1317, 1324, 1336, 1345),
              "import": 1364, "data": 1383, "op": 1401, "what": "private"}
VERIFY_LINES = {"alg": 1475, "digest": 1482, "key": (1495, 1500, 1507, 1519, None),
                "import": 1542, "data": 1560, "op": 1594, "what": "public"}
"""Where ``nif_crypto_sign`` / ``nif_crypto_verify`` raise, check by check."""


def _ecdsa_digest(alg: Any, digest: Any, lines: dict) -> str:
    """The hash of an ECDSA call, after the algorithm and digest checks."""
    if alg is not A_ECDSA:
        raise crypto_error(lines["alg"], "Invalid public key", ERROR)
    name = PSA_HASHES.get(digest) if digest.__class__ is Atom else None
    if name is None:
        raise crypto_error(lines["digest"], "Bad digest type")
    return name


def _ecdsa_key(key: Any, lines: dict) -> tuple[bytes, Any]:
    """(key bytes, curve) of ``[KeyBin, Curve | _]``."""
    bad_key = f"Couldn't get ECDSA {lines['what']} key"
    not_list, not_binary, no_curve, bad_curve, _ = lines["key"]
    if key.__class__ is not Cons:
        raise crypto_error(not_list, bad_key)
    if key.hd.__class__ is not bytes:
        raise crypto_error(not_binary, bad_key)
    if key.tl.__class__ is not Cons:
        raise crypto_error(no_curve, bad_key)
    curve = key.tl.hd
    if curve.__class__ is not Atom or curve not in WEIERSTRASS:
        raise crypto_error(bad_curve, bad_key)
    return key.hd, curve


def _ecdsa(name: str, lines: dict) -> ec.ECDSA:
    """The signature scheme; ripemd160 (accepted by AtomVM's digest table) has no ECDSA in
    ``cryptography``: PSA's NOT_SUPPORTED."""
    hash_cls = _HASH_CLASSES.get(name)
    if hash_cls is None:
        raise crypto_error(lines["op"], "Unsupported key type or parameter")
    return ec.ECDSA(hash_cls(), deterministic_signing=lines is SIGN_LINES)


@crypto_nif("sign", 4)
def sign(ctx: Any, alg: Any, digest: Any, msg: Any, key: Any) -> bytes:
    name = _ecdsa_digest(alg, digest, SIGN_LINES)
    private, curve = _ecdsa_key(key, SIGN_LINES)
    if len(private) != _scalar_bytes(WEIERSTRASS[curve][1]):
        raise crypto_error(SIGN_LINES["key"][4], "Couldn't get ECDSA private key")
    signer = _ec_private(curve, private)
    if signer is None:
        raise crypto_error(SIGN_LINES["import"], "Unexpected error")
    data = need_iodata(msg, SIGN_LINES["data"])
    try:
        return signer.sign(data, _ecdsa(name, SIGN_LINES))
    except UnsupportedAlgorithm:
        raise crypto_error(SIGN_LINES["op"], "Unsupported key type or parameter") from None


@crypto_nif("verify", 5)
def verify(ctx: Any, alg: Any, digest: Any, msg: Any, signature: Any, key: Any) -> Atom:
    name = _ecdsa_digest(alg, digest, VERIFY_LINES)
    if signature.__class__ is not bytes:
        raise badarg()
    public, curve = _ecdsa_key(key, VERIFY_LINES)
    try:
        verifier = ec.EllipticCurvePublicKey.from_encoded_point(WEIERSTRASS[curve][0](),
                                                                public)
    except ValueError:
        raise crypto_error(VERIFY_LINES["import"], "Couldn't get ECDSA public key") from None
    data = need_iodata(msg, VERIFY_LINES["data"])
    try:
        verifier.verify(signature, data, _ecdsa(name, VERIFY_LINES))
    except InvalidSignature:
        return FALSE
    except UnsupportedAlgorithm:
        raise crypto_error(VERIFY_LINES["op"], "Unsupported key type or parameter") from None
    return TRUE


charge_results("crypto", {
    ("generate_key", 2): whole, ("compute_key", 4): new_binary, ("sign", 4): new_binary,
}, {("generate_key", 2): decoded})
