"""AES as AtomVM's crypto NIFs see it through Mbed TLS, computed by ``cryptography``.

The block cipher itself is OpenSSL's (through ``cryptography``); what this module adds is
how Mbed TLS frames it, which is where AtomVM differs from OTP:

- ``one_time``: ``mbedtls_cipher_crypt`` (``crypto:crypto_one_time/4,5``). ECB takes exactly
  one block per call (``mbedtls_cipher_update`` answers ``FULL_BLOCK_EXPECTED`` otherwise,
  which AtomVM tolerates: the result is then empty); CBC drops a trailing partial block
  unless PKCS#7 padding was asked for; a padding option on any mode but CBC, a key or IV of
  the wrong length are ``MBEDTLS_ERR_CIPHER_BAD_INPUT_DATA``, bad padding on decryption
  ``MBEDTLS_ERR_CIPHER_INVALID_PADDING`` (:class:`MbedError`).
- :data:`AEADS`: the AEAD ciphers of PSA's ``psa_aead_encrypt``/``decrypt`` with their
  nonce and tag limits (``crypto_one_time_aead``).
- :class:`Stream`: a PSA multi-part cipher operation (``crypto_init/update/final``). Block
  modes buffer the bytes short of a block; CBC with PKCS#7 padding keeps the last block back
  when decrypting, as ``mbedtls_cipher_update`` does; ``final`` with an unfilled block is
  PSA's ``INVALID_ARGUMENT`` (:class:`PsaError`).
"""
from __future__ import annotations

from dataclasses import dataclass

from typing import Callable

from cryptography.hazmat.decrepit.ciphers.modes import CFB, OFB
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESCCM, ChaCha20Poly1305

BLOCK = 16
MAX_IV = 16
"""MBEDTLS_MAX_IV_LENGTH."""
ERR_BAD_INPUT_DATA = 0x6100
ERR_INVALID_PADDING = 0x6200


class MbedError(Exception):
    """An Mbed TLS cipher error: ``code`` (positive, as AtomVM prints ``-result``) and
    ``step``, the call that failed (``setkey``, ``padding``, ``crypt``)."""

    def __init__(self, code: int, step: str) -> None:
        super().__init__(f"Error {code:x}")
        self.code = code
        self.step = step


class PsaError(Exception):
    """A PSA status: ``invalid_argument`` (unfilled last block) or ``invalid_padding``."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class Spec:
    mode: str        # "ecb" | "cbc" | "ctr" | "cfb128" | "ofb"
    key_len: int     # bytes

    @property
    def block_mode(self) -> bool:
        return self.mode in ("ecb", "cbc")

    @property
    def iv_len(self) -> int:
        return 0 if self.mode == "ecb" else BLOCK


def _specs(modes_: tuple[str, ...]) -> dict[str, Spec]:
    return {f"aes_{bits}_{mode}": Spec(mode, bits // 8)
            for mode in modes_ for bits in (128, 192, 256)}


ONE_TIME = _specs(("ecb", "cbc", "cfb128", "ctr"))
"""otp_crypto.c ``cipher_table``: the ciphers of ``crypto_one_time/4,5``."""
STREAMING = _specs(("ecb", "cbc", "cfb128", "ctr", "ofb"))
"""otp_crypto.c ``psa_cipher_table``: the ciphers of ``crypto_init/4``."""

_MODES = {"ecb": lambda iv: modes.ECB(), "cbc": modes.CBC, "ctr": modes.CTR,
          "cfb128": CFB, "ofb": OFB}


def _context(spec: Spec, key: bytes, iv: bytes, encrypt: bool):
    cipher = Cipher(algorithms.AES(key), _MODES[spec.mode](iv))
    return cipher.encryptor() if encrypt else cipher.decryptor()


def _pkcs7_pad(data: bytes) -> bytes:
    n = BLOCK - len(data) % BLOCK
    return data + bytes([n]) * n


def _pkcs7_unpad(block_data: bytes) -> bytes | None:
    """The data without its padding; None when the padding is not PKCS#7's."""
    n = block_data[-1]
    if n == 0 or n > BLOCK or block_data[-n:] != bytes([n]) * n:
        return None
    return block_data[:-n]


def one_time(spec: Spec, key: bytes, iv: bytes, data: bytes, encrypt: bool,
             padding: str | None) -> bytes:
    """``mbedtls_cipher_crypt`` as AtomVM calls it; ``padding`` is None when not given."""
    if len(key) != spec.key_len:
        raise MbedError(ERR_BAD_INPUT_DATA, "setkey")
    if padding is not None and spec.mode != "cbc":
        raise MbedError(ERR_BAD_INPUT_DATA, "padding")
    if len(iv) > MAX_IV or len(iv) < spec.iv_len:
        raise MbedError(ERR_BAD_INPUT_DATA, "crypt")
    ctx = _context(spec, key, iv, encrypt)
    if spec.mode == "ecb":
        return ctx.update(data) if len(data) == BLOCK else b""
    if spec.mode != "cbc":
        return ctx.update(data) + ctx.finalize()
    whole = len(data) - len(data) % BLOCK
    if padding != "pkcs_padding":
        return ctx.update(data[:whole])
    if encrypt:
        return ctx.update(_pkcs7_pad(data))
    if whole == 0 or whole != len(data):
        return ctx.update(data[:whole])   # FULL_BLOCK_EXPECTED, tolerated: blocks as they are
    plain = _pkcs7_unpad(ctx.update(data))
    if plain is None:
        raise MbedError(ERR_INVALID_PADDING, "crypt")
    return plain


class Stream:
    """One PSA cipher operation (``crypto_init``): ``update`` and ``final``."""

    def __init__(self, spec: Spec, key: bytes, iv: bytes, encrypt: bool,
                 padding: str | None) -> None:
        self.spec = spec
        self.encrypt = encrypt
        self.padding = padding      # "none", "pkcs_padding", or None when not given
        self.pkcs = padding == "pkcs_padding"
        self.finalized = False
        self._ctx = _context(spec, key, iv, encrypt)
        self._pending = b""

    def update(self, data: bytes) -> bytes:
        if not self.spec.block_mode:
            return self._ctx.update(data)
        pending = self._pending + data
        hold = len(pending) % BLOCK
        if hold == 0 and pending and self.pkcs and not self.encrypt:
            hold = BLOCK     # the block that may carry the padding waits for final
        ready = len(pending) - hold
        self._pending = pending[ready:]
        return self._ctx.update(pending[:ready])

    def final(self) -> bytes:
        """The last bytes; the operation is over whatever happens (AtomVM marks it first)."""
        self.finalized = True
        pending, self._pending = self._pending, b""
        if not self.spec.block_mode:
            return self._ctx.finalize()
        if self.pkcs and self.encrypt:
            return self._ctx.update(_pkcs7_pad(pending))
        if self.pkcs:
            if len(pending) != BLOCK:
                raise PsaError("invalid_argument")
            plain = _pkcs7_unpad(self._ctx.update(pending))
            if plain is None:
                raise PsaError("invalid_padding")
            return plain
        if pending:
            raise PsaError("invalid_argument")
        return b""


class Aead:
    """One AEAD cipher of ``psa_aead_table``: key size, and PSA's nonce and tag limits."""

    def __init__(self, key_len: int, nonces: Callable[[int], bool], tags: frozenset[int],
                 seal: Callable, open_: Callable) -> None:
        self.key_len, self.nonce_ok, self.tags = key_len, nonces, tags
        self.seal, self.open = seal, open_


def _gcm_seal(key: bytes, iv: bytes, data: bytes, aad: bytes, tag_len: int) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.GCM(iv)).encryptor()
    enc.authenticate_additional_data(aad)
    return enc.update(data) + enc.finalize() + enc.tag[:tag_len]


def _gcm_open(key: bytes, iv: bytes, data: bytes, aad: bytes, tag: bytes) -> bytes:
    dec = Cipher(algorithms.AES(key), modes.GCM(iv, tag, min_tag_length=len(tag))).decryptor()
    dec.authenticate_additional_data(aad)
    return dec.update(data) + dec.finalize()


def _ccm_seal(key: bytes, iv: bytes, data: bytes, aad: bytes, tag_len: int) -> bytes:
    return AESCCM(key, tag_len).encrypt(iv, data, aad)


def _ccm_open(key: bytes, iv: bytes, data: bytes, aad: bytes, tag: bytes) -> bytes:
    return AESCCM(key, len(tag)).decrypt(iv, data + tag, aad)


def _chacha_seal(key: bytes, iv: bytes, data: bytes, aad: bytes, tag_len: int) -> bytes:
    return ChaCha20Poly1305(key).encrypt(iv, data, aad)


def _chacha_open(key: bytes, iv: bytes, data: bytes, aad: bytes, tag: bytes) -> bytes:
    return ChaCha20Poly1305(key).decrypt(iv, data + tag, aad)


_GCM_TAGS = frozenset({4, 8, 12, 13, 14, 15, 16})
_CCM_TAGS = frozenset({4, 6, 8, 10, 12, 14, 16})
AEADS: dict[str, Aead] = {
    **{f"aes_{bits}_gcm": Aead(bits // 8, lambda n: 8 <= n <= 128, _GCM_TAGS,
                               _gcm_seal, _gcm_open) for bits in (128, 192, 256)},
    **{f"aes_{bits}_ccm": Aead(bits // 8, lambda n: 7 <= n <= 13, _CCM_TAGS,
                               _ccm_seal, _ccm_open) for bits in (128, 192, 256)},
    "chacha20_poly1305": Aead(32, lambda n: n == 12, frozenset({16}),
                              _chacha_seal, _chacha_open),
}
"""``psa_aead_table`` (default tag 16 bytes), with PSA's accepted nonce and tag lengths
(Mbed TLS 3.6 psa_crypto.c ``psa_aead_check_nonce_length`` / ``psa_aead_check_algorithm``).
One narrowing: PSA takes GCM nonces of any non-zero length, ``cryptography`` 8 to 128 bytes;
shorter ones are refused here as PSA refuses an empty one."""
DEFAULT_TAG = 16
