"""``crypto`` as AtomVM offers it (libAtomVM otp_crypto.c, estdlib crypto.erl).

- tests/crypto/crypto_vs_otp.erl runs on the host's OTP and on the board: hashes (one-shot
  and streaming), HMAC, CMAC, AES-CBC/CTR/CFB128/ECB/OFB (one-shot and streaming, PKCS#7),
  AES-GCM/CCM and ChaCha20-Poly1305, PBKDF2, ECDH/ECDSA round trips and the RFC 7748 X25519
  vector must print the same lines, byte for byte.
- tests/crypto/crypto_atomvm.erl: where AtomVM is not OTP. The expected lines below come
  from AtomVM's sources at 7b282159: the line and text of each ``make_crypto_error`` in
  otp_crypto.c, Mbed TLS's error codes (``MBEDTLS_ERR_CIPHER_BAD_INPUT_DATA`` -0x6100,
  ``INVALID_PADDING`` -0x6200, printed by AtomVM as ``"Error %x"``), the CBC vector of
  AtomVM's tests/erlang_tests/test_crypto.erl, and the behaviours crypto.erl documents.
- the platforms AtomVM builds crypto into (esp32, rp2, generic_unix; not stm32), and
  ``strong_rand_bytes`` drawn from the seeded random source.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import avmsim

HERE = Path(__file__).resolve().parent / "crypto"
SRC = "src/libAtomVM/otp_crypto.c"
needs_erl = pytest.mark.skipif(shutil.which("erl") is None, reason="host erl not installed")


def build(tmp: Path, name: str) -> Path:
    subprocess.run(["erlc", "-o", str(tmp), str(HERE / f"{name}.erl")], check=True,
                   capture_output=True)
    return tmp / f"{name}.beam"


def board_output(beam: Path, board: str = "esp32-devkit") -> list[str]:
    result = avmsim("--board", board, "--headless", "--timeout", "60s", str(beam), timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@needs_erl
@pytest.mark.parametrize("board", ["esp32-devkit", "generic-unix"])
def test_results_match_otp(tmp_path, board):
    beam = build(tmp_path, "crypto_vs_otp")
    otp = subprocess.run(["erl", "-noshell", "-pa", str(tmp_path), "-eval",
                          "crypto_vs_otp:start(), halt()."], capture_output=True, text=True,
                         timeout=120, check=True).stdout.splitlines()
    assert len(otp) == 71
    assert board_output(beam, board) == otp


def err(line: int, text: str, tag: str = "badarg") -> str:
    return f"{tag} {SRC}:{line} {text}"


ATOMVM = {
    # nif_crypto_hash: VALIDATE_VALUE / interop_chardata_fold / the Mbed TLS hash table
    "hash type": "{error,badarg}",
    "hash data": "{error,badarg}",
    "hash byte": "{error,badarg}",
    "hash sha3": "{error,badarg}",
    # nif_crypto_crypto_one_time: Mbed TLS's cipher layer
    "one_time cipher": err(476, "Unknown cipher"),
    "one_time key": err(561, "Error 6100"),              # mbedtls_cipher_setkey
    "one_time iv": err(591, "Error 6100"),               # mbedtls_cipher_crypt (set_iv)
    "one_time opts": err(539, "Options are not a boolean or a proper list"),
    "one_time no encrypt": "{error,badarg}",
    "one_time data": "{error,badarg}",
    "one_time ctr padding": err(571, "Error 6100"),      # set_padding_mode: CBC only
    "one_time cbc no iv": err(591, "Error 6100"),
    "ecb two blocks": "<<>>",                            # ECB: one block per update
    "cbc truncated": "<<231,108,83,104,188,131,182,65,2,128,78,162,210,149,128,248>>",
    "cbc bad padding": err(591, "Error 6200"),
    # nif_crypto_crypto_init / update / final (PSA)
    "init ecb pkcs": err(2487, "PKCS padding is supported only with CBC ciphers"),
    "init key": err(2450, "Bad key"),
    "init key size": err(2454, "Bad key size"),
    "init iv type": err(2463, "Bad iv type"),
    "init iv size": err(2467, "Bad iv size"),
    "init option": err(2419, "Unknown option"),
    "init format": err(2394, "Bad option format"),
    "update ref": err(2598, "Bad State"),
    "update data": err(2623, "expected binary"),
    "update partial": "0",
    "final dropped": "<<>>",
    "final twice": err(2691, "Bad state: AtomVM does not allow calling crypto_final more "
                             "than once"),
    "update after final": err(2605, "Bad state: AtomVM does not allow operations after "
                                    "crypto_final"),
    "final padding none": err(2736, "Padding 'none' but unfilled last block", "error"),
    # nif_crypto_mac and the streaming MAC (PSA; an empty HMAC key fails psa_import_key)
    "mac key": err(1667, "Expected a binary or a list"),
    "mac digest": err(1694, "Bad digest algorithm for HMAC"),
    "mac cmac cipher": err(1680, "Unknown cipher"),
    "mac cmac size": err(1685, "Bad key size"),
    "mac type": err(1701, "Unknown mac algorithm"),
    "mac empty key": err(1720, "Unexpected error"),
    "mac data": err(1729, "Expected a binary or a list"),
    "cmac ecb is cbc": "true",                           # both are PSA_ALG_CMAC
    "mac_update same state": "true",
    "mac_update ref": err(1963, "Bad ref"),
    "mac_update text": err(1974, "Bad text"),
    "mac_finalN length": err(2058, "Bad length"),
    "mac_final": "true",
    "mac_final twice": err(2022, "Unexpected error"),
    "mac_update after final": err(1982, "Unexpected error"),
    "hash_init type": err(2116, "Bad digest type"),
    "hash_update ref": err(2159, "Bad state"),
    "hash_update data": "{error,badarg}",
    "hash_final mac state": err(2231, "Bad state"),
    "hash_equals length": err(3072, "Binaries must have the same length"),
    "hash_equals type": err(3061, "Expected a binary"),
    "pbkdf2 digest": err(3119, "Unknown digest type"),
    "pbkdf2 iterations": err(3153, "Iterations must be a positive integer"),
    "pbkdf2 keylen": err(3160, "KeyLen must be a positive integer"),
    "pbkdf2 iodata": "true",
    "rand negative": "{error,badarg}",
    "aead cipher": "badarg Unknown cipher",              # a 2-tuple, no file and line
    "aead flag": err(2841, "EncFlag must be a boolean"),
    "aead tag": err(2861, "Tag must be a binary"),
    "aead ccm default tag": "16",                        # psa_aead_table (OTP: 12)
    # public keys: PSA without libsodium
    "generate eddsa": err(1074, "Unsupported key type or parameter"),
    "generate ecdh ed25519": "{error,badarg}",
    "sign eddsa": err(1297, "Invalid public key", "error"),
    "sign key size": err(1345, "Couldn't get ECDSA private key"),
    "sign digest": err(1304, "Bad digest type"),
    "verify bad der": "false",
    # MBEDTLS_VERSION_NUMBER 0x03060200 of the modelled Mbed TLS 3.6.2
    "info_lib": "[{<<109,98,101,100,116,108,115>>,50725376,"
                "<<77,98,101,100,32,84,76,83,32,51,46,54,46,50>>}]",
}


def test_atomvm_behaviour_and_errors(tmp_path):
    lines = board_output(build(tmp_path, "crypto_atomvm"), "generic-unix")
    got = dict(line.split(": ", 1) for line in lines)
    assert list(got) == list(ATOMVM)
    for label, expected in ATOMVM.items():
        assert got[label] == expected, label


PLATFORMS = """-module(crypto_platform).
-export([start/0]).
start() ->
    R = try crypto:hash(sha256, <<"abc">>) catch C:E -> {C, E} end,
    io:format("~w~n", [R]).
"""
SHA256_ABC = ("<<186,120,22,191,143,1,207,234,65,65,64,222,93,174,34,35,176,3,97,163,150,"
              "23,122,156,180,16,255,97,242,0,21,173>>")   # FIPS 180-2 example


@pytest.mark.parametrize("board, expected", [
    ("pico", SHA256_ABC), ("esp32-c3-devkitm", SHA256_ABC),
    ("nucleo-f429zi", "{error,undefined}"),    # no otp_crypto on stm32: the stub runs
])
def test_platforms(tmp_path, board, expected):
    src = tmp_path / "crypto_platform.erl"
    src.write_text(PLATFORMS)
    subprocess.run(["erlc", "-o", str(tmp_path), str(src)], check=True)
    assert board_output(tmp_path / "crypto_platform.beam", board) == [expected]


RANDOM = """-module(crypto_rand).
-export([start/0]).
start() ->
    A = crypto:strong_rand_bytes(16), B = crypto:strong_rand_bytes(16),
    io:format("~w ~w ~w~n", [A, A =/= B, byte_size(crypto:strong_rand_bytes(1000))]).
"""


def test_strong_rand_bytes_are_seeded(tmp_path):
    """Two calls differ; two runs of the same app give the same bytes."""
    src = tmp_path / "crypto_rand.erl"
    src.write_text(RANDOM)
    subprocess.run(["erlc", "-o", str(tmp_path), str(src)], check=True)
    runs = [board_output(tmp_path / "crypto_rand.beam") for _ in range(2)]
    assert runs[0] == runs[1]
    assert runs[0][0].endswith(" true 1000")
