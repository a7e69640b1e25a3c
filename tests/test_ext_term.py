"""External term format: byte-exactness against the host OTP, decoding, and bad input."""
from __future__ import annotations

import subprocess

import pytest

from avmsim.vm.ext_term import decode_ext, decode_ext_used, encode_ext
from avmsim.vm.term_order import exact_eq
from avmsim.vm.terms import (NIL, Cons, ExtFun, Map, Pid, Port, Ref, atom, from_list,
                             from_str)

A = atom

# (Erlang expression, the same term in Python)
TERMS: list[tuple[str, object]] = [
    ("0", 0), ("255", 255), ("256", 256), ("-1", -1),
    ("2147483647", 2**31 - 1), ("-2147483648", -2**31),
    ("2147483648", 2**31), ("-2147483649", -2**31 - 1),
    ("1 bsl 64", 1 << 64), ("-(1 bsl 64)", -(1 << 64)),
    ("1 bsl 255", 1 << 255), ("-(1 bsl 256) + 7", -(1 << 256) + 7),
    ("1.5", 1.5), ("0.0", 0.0), ("-2.5e-300", -2.5e-300), ("1.0e300", 1.0e300),
    ("abc", A("abc")), ("''", A("")), ("'hello world'", A("hello world")),
    ("list_to_atom([104,233])", A("h\u00e9")), ("list_to_atom([16#3b1])", A("\u03b1")),
    ("list_to_atom(lists:duplicate(255,$a))", A("a" * 255)),
    ("list_to_atom(lists:duplicate(200,16#3b1))", A("\u03b1" * 200)),
    ("{}", ()), ("{1,a}", (1, A("a"))),
    ("list_to_tuple(lists:seq(1,300))", tuple(range(1, 301))),
    ("[]", NIL), ("\"abc\"", from_str("abc")), ("[1,2,300]", from_list([1, 2, 300])),
    ("[a|b]", Cons(A("a"), A("b"))), ("[1,2|3]", from_list([1, 2], 3)),
    ("lists:duplicate(70000, 1)", from_list([1] * 70000)),
    ("lists:duplicate(65535, 7)", from_list([7] * 65535)),
    ("[[]]", from_list([NIL])), ("[\"ab\"|<<1>>]", Cons(from_str("ab"), b"\x01")),
    ("[-1]", from_list([-1])),
    ("<<>>", b""), ("<<1,2,3>>", b"\x01\x02\x03"),
    ("#{}", Map()),
    ("#{a=>1, 1=>2, 1.0=>3, {x}=>4, [] => 5, <<\"b\">> => 6, \"s\" => 7}",
     Map.from_pairs([(A("a"), 1), (1, 2), (1.0, 3), ((A("x"),), 4), (NIL, 5),
                     (b"b", 6), (from_str("s"), 7)])),
    ("#{k => #{2 => [1.5]}, z => -3}",
     Map.from_pairs([(A("k"), Map.from_pairs([(2, from_list([1.5]))])), (A("z"), -3)])),
    ("list_to_pid(\"<0.5.0>\")", Pid(5)), ("list_to_pid(\"<0.12345.0>\")", Pid(12345)),
    ("fun lists:map/2", ExtFun(A("lists"), A("map"), 2)),
    ("fun erlang:'+'/2", ExtFun(A("erlang"), A("+"), 2)),
    ("{[{a,<<1>>}], #{k => [1.5]}, true, false}",
     (from_list([(A("a"), b"\x01")]), Map.from_pairs([(A("k"), from_list([1.5]))]),
      A("true"), A("false"))),
]


def erl_encode(exprs: list[str], options: str) -> list[bytes]:
    """term_to_binary of each expression as the host OTP writes it (one erl run)."""
    body = ",".join(exprs)
    script = (
        f"Ts = [{body}], "
        f"lists:foreach(fun(T) -> io:format(\"~s~n\", "
        f"[binary:encode_hex(term_to_binary(T, {options}))]) end, Ts), halt().")
    out = subprocess.run(["erl", "-noshell", "-eval", script], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    lines = out.split()
    assert len(lines) == len(exprs)
    return [bytes.fromhex(line) for line in lines]


@pytest.fixture(scope="module")
def erl_v2() -> list[bytes]:
    return erl_encode([e for e, _ in TERMS], "[{minor_version, 2}]")


@pytest.fixture(scope="module")
def erl_default() -> list[bytes]:
    return erl_encode([e for e, _ in TERMS], "[]")


@pytest.mark.parametrize("i", range(len(TERMS)), ids=[e[:40] for e, _ in TERMS])
def test_encode_matches_otp_minor_version_2(erl_v2: list[bytes], i: int) -> None:
    assert encode_ext(TERMS[i][1], minor_version=2) == erl_v2[i]


@pytest.mark.parametrize("i", range(len(TERMS)), ids=[e[:40] for e, _ in TERMS])
def test_encode_matches_otp_default_minor_version_1(erl_default: list[bytes], i: int) -> None:
    assert encode_ext(TERMS[i][1], minor_version=1) == erl_default[i]


@pytest.mark.parametrize("i", range(len(TERMS)), ids=[e[:40] for e, _ in TERMS])
def test_decode_otp_output(erl_v2: list[bytes], erl_default: list[bytes], i: int) -> None:
    expected = TERMS[i][1]
    for data in (erl_v2[i], erl_default[i]):
        assert exact_eq(decode_ext(data), expected)


def test_integers_wider_than_atomvms_256_bits_are_refused() -> None:
    """AtomVM differs from OTP: its integers stop at a 256-bit magnitude, so OTP's encoding
    of a wider one (SMALL_BIG_EXT of 33 bytes, LARGE_BIG_EXT) is not a term it decodes."""
    for data in erl_encode(["1 bsl 256", "-(1 bsl 256)", "1 bsl 2100"], "[]"):
        with pytest.raises(ValueError, match="wider than 256 bits"):
            decode_ext(data)
    assert decode_ext(erl_encode(["(1 bsl 256) - 1"], "[]")[0]) == (1 << 256) - 1


def test_minor_version_0_floats_and_compression_match_otp() -> None:
    exprs = ["1.5", "-2.5e-300", "[1.0, abc]"]
    terms = [1.5, -2.5e-300, from_list([1.0, A("abc")])]
    for got, want in zip([encode_ext(t, minor_version=0) for t in terms],
                         erl_encode(exprs, "[{minor_version, 0}]")):
        assert got == want
    exprs = [f"lists:duplicate({n}, $a)" for n in (10, 14, 15, 20, 500)] + [
        "lists:seq(1, 300)", "{<<0:8000>>, abc}"]
    terms = [from_list([97] * n) for n in (10, 14, 15, 20, 500)] + [
        from_list(list(range(1, 301))), (bytes(1000), A("abc"))]
    want = erl_encode(exprs, "[compressed, {minor_version, 2}]")
    for t, w in zip(terms, want):
        assert encode_ext(t, compressed=6) == w
        assert exact_eq(decode_ext(w), t)
    assert any(w[1] == 80 for w in want) and any(w[1] != 80 for w in want)


def test_decodes_otp_local_fun_with_resolver() -> None:
    data = erl_encode(["(fun() -> X = 42, fun(Y) -> X + Y end end)()"], "[]")[0]
    seen = []

    def resolve(module, index, arity, old_index, old_uniq, free):
        seen.append((module, arity, free))
        return ("fun", module.name, arity, free)

    term = decode_ext(data, "t", resolver=resolve)
    assert term == ("fun", "erl_eval", 1, term[3])
    assert seen and seen[0][1] == 1
    with pytest.raises(ValueError):
        decode_ext(data)  # no resolver: local funs are refused


def test_decode_ignores_trailing_bytes_and_reports_used() -> None:
    assert decode_ext(b"\x83\x61\x01\x00") == 1
    assert decode_ext_used(b"\x83\x61\x01\xff\xff") == (1, 3)
    packed = encode_ext(from_list([97] * 100), compressed=6)
    assert packed[1] == 80
    assert decode_ext_used(packed + b"tail")[1] == len(packed)


def test_old_formats_decode() -> None:
    assert decode_ext(b"\x83s\x03abc") is A("abc")                      # SMALL_ATOM_EXT
    assert decode_ext(b"\x83c" + b"1.5".ljust(31, b"\0")) == 1.5       # FLOAT_EXT
    node = b"d\x00\x0dnonode@nohost"
    assert decode_ext(b"\x83g" + node + bytes([0, 0, 0, 9, 0, 0, 0, 0, 0])) == Pid(9)
    assert decode_ext(b"\x83f" + node + bytes([0, 0, 0, 4, 0])) == Port(4)
    assert decode_ext(b"\x83x" + node + bytes(7) + b"\x05" + bytes(4)) == Port(5)


@pytest.mark.parametrize("bad", [
    b"", b"\x84\x61\x01", b"\x83", b"\x83\xff", b"\x83\x68\x02\x61\x01",
    b"\x83l\x00\x00\x00\x05\x61\x01j", b"\x83m\xff\xff\xff\xff",
    b"\x83P\x00\x00\x00\x05garbage", b"\x83w\x02\xff\xfe",
    b"\x83M\x00\x00\x00\x01\x09\x00",
])
def test_bad_data_raises_value_error(bad: bytes) -> None:
    with pytest.raises(ValueError):
        decode_ext(bad)


def test_every_truncation_raises_value_error() -> None:
    for _, term in TERMS[:40]:
        data = encode_ext(term)
        if len(data) > 2000:
            continue
        for n in range(len(data)):
            with pytest.raises(ValueError):
                decode_ext(data[:n])


def test_bitstrings_do_not_decode_as_on_atomvm() -> None:
    """AtomVM's externalterm.c has no BIT_BINARY_EXT: binary_to_term of OTP's <<1:3>> and
    <<1,2:4>> is badarg there (tests/atomvm_diff/bitstrings_unsupported.erl, b2t_bits)."""
    for data in (bytes([131, 77, 0, 0, 0, 1, 3, 32]), bytes([131, 77, 0, 0, 0, 2, 4, 1, 32])):
        with pytest.raises(ValueError):
            decode_ext(data)


def test_roundtrip_and_unencodable() -> None:
    for _, term in TERMS:
        assert exact_eq(decode_ext(encode_ext(term)), term)
    with pytest.raises(ValueError):
        encode_ext(True)  # Python bools are not terms
    with pytest.raises(ValueError):
        encode_ext(1, minor_version=3)


def test_deeply_nested_terms_round_trip() -> None:
    """A list nested thousands deep (AtomVM's own json tests decode 500 levels) is coded as
    OTP codes it: 108 (LIST_EXT) with length 1, the inner list, then NIL, at every level."""
    depth = 5000
    term = NIL
    for _ in range(depth):
        term = Cons(term, NIL)
    data = encode_ext(term)
    assert data == bytes([131]) + (bytes([108, 0, 0, 0, 1]) * depth) + bytes([106]) * (depth + 1)
    back = decode_ext(data)
    for _ in range(depth):
        assert back.tl is NIL
        back = back.hd
    assert back is NIL
