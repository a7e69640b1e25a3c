"""Every sequential BIF/NIF against the host OTP 25: same value, or same exception
class and reason, for a large table of calls evaluated in one ``erl``."""
from __future__ import annotations

import math
import random

import pytest

from avmsim.vm.terms import BitStr, ExtFun, make_bits

from test_nifs_common import A, L, M, S, needs_erl, outcome, run_otp

ok, error, true, false = A("ok"), A("error"), A("true"), A("false")
NUMS = [0, 1, -1, 7, -7, 3, 2 ** 27, -(2 ** 27) - 1, 2 ** 59, 2 ** 64 + 5, -(2 ** 70), 10 ** 40,
        0.0, 1.5, -2.5, 0.1, 1e308, 5e-324, 2.0, 3.0]
ODD = [A("a"), L(), L(1), b"x", (1,), M({})]
TERMS = [0, 1, -1, 255, 256, 2 ** 27 - 1, 2 ** 27, -(2 ** 27), -(2 ** 27) - 1, 2 ** 32,
         2 ** 59 - 1, 2 ** 60, 2 ** 64 - 1, 2 ** 64, 2 ** 128 + 3, -(2 ** 100), 10 ** 50,
         0.0, -0.0, 1.0, -1.5, 0.1, 1e300, 5e-324, A("a"), A("hello"), A(""), A("é"),
         A("a longer atom name"), L(), S("abc"), S("abcd"), S("abcde"), L(1, 2, tail=3),
         L(A("a"), 1, 2, 300, 4), L(L(1, 2), L()), L(1, A("x"), 2, 3, 4, 5, 6), (), (1,),
         (A("a"), A("b"), (1, L())), b"", b"a", b"abcdefghijkl", b"abcdefghijklm",
         bytes(range(256)), BitStr(b"\xe0", 3), make_bits(b"abc\xff", 30), M({}),
         M({A("a"): 1}), M([(A("a"), 1), (A("b"), 2), (1, 1.0), (1.0, 1)]),
         M({i: i * i for i in range(40)}), M({L(1): M({A("x"): b"y"})}),
         ExtFun(A("lists"), A("map"), 2), ExtFun(A("erlang"), A("+"), 2)]


def c(mod: str, fun: str, *args):
    return (mod, fun, args)


def _has_atom(t) -> bool:
    from avmsim.vm.terms import Atom, Cons, ExtFun, Map
    if t.__class__ is Atom or t.__class__ is ExtFun:
        return True
    if t.__class__ is Map:
        return any(_has_atom(k) or _has_atom(v) for k, v in t.items())
    if t.__class__ is tuple:
        return any(_has_atom(e) for e in t)
    if t.__class__ is Cons:
        return _has_atom(t.hd) or _has_atom(t.tl)
    return False


def _cases() -> list[tuple[str, str, tuple]]:
    cs = []
    e = "erlang"
    # arithmetic
    for op in ("+", "-", "*", "/", "div", "rem", "band", "bor", "bxor", "bsl", "bsr"):
        for a, b in [(7, 2), (-7, 2), (7, -2), (2 ** 64, 3), (1.5, 2), (3, 0), (3.0, 0),
                     (0, 0.0), (1e308, 10), (A("a"), 1), (1, L()), (2 ** 100, 2 ** 100),
                     (-1, 70), (1, -3), (-(2 ** 80), 5), (5, 1.0), (10 ** 400, 1.0)]:
            cs.append(c(e, op, a, b))
    for op in ("-", "+", "bnot", "abs", "float", "trunc", "round", "ceil", "floor"):
        for a in [0, 5, -5, 2.5, -2.5, 0.5, -0.5, 1.4999999999999998, 2 ** 70, -1e20, 1e300,
                  A("a"), b"1", 10 ** 400, 4503599627370497.0, -0.0]:
            cs.append(c(e, op, a))
    # comparisons, min/max, booleans
    pairs = [(1, 1.0), (1.0, 1), (1, 2), (A("a"), 1), (L(), (1,)), ((1, 2), (1, 1)),
             (b"a", S("a")), (M({1: 1}), M({1.0: 1})), (M({A("a"): 1}), M({A("b"): 0})),
             (2 ** 70, 1e21), (L(1, tail=2), L(1, 2)), (b"ab", BitStr(b"\x80", 1)),
             (S("abc"), S("abd")), (ExtFun(A("a"), A("b"), 1), (1,))]
    for op in ("==", "/=", "=:=", "=/=", "<", ">", "=<", ">=", "max", "min"):
        for a, b in pairs:
            cs.append(c(e, op, a, b))
    for op in ("and", "or", "xor"):
        for a, b in [(true, false), (true, true), (false, false), (true, A("x")), (1, true)]:
            cs.append(c(e, op, a, b))
    for a in (true, false, 1):
        cs.append(c(e, "not", a))
    # type tests
    samples = TERMS[:12] + ODD + [1.5, BitStr(b"\x80", 1), true, ExtFun(A("m"), A("f"), 1)]
    for fn in ("is_atom", "is_binary", "is_bitstring", "is_boolean", "is_float",
               "is_function", "is_integer", "is_list", "is_map", "is_number", "is_pid",
               "is_port", "is_reference", "is_tuple"):
        for t in samples:
            cs.append(c(e, fn, t))
    cs += [c(e, "is_function", ExtFun(A("m"), A("f"), 1), 1),
           c(e, "is_function", ExtFun(A("m"), A("f"), 1), 2),
           c(e, "is_function", 1, -1), c(e, "is_function", 1, A("a")),
           c(e, "is_record", (A("r"), 1), A("r")), c(e, "is_record", (A("r"),), A("s")),
           c(e, "is_record", (), A("r")), c(e, "is_record", (A("r"), 1), 1),
           c(e, "is_record", (A("r"), 1), A("r"), 2), c(e, "is_record", (A("r"), 1), A("r"), 3),
           c(e, "is_record", (A("r"), 1), A("r"), A("x")),
           c(e, "is_map_key", 1, M({1: 2})), c(e, "is_map_key", 1.0, M({1: 2})),
           c(e, "is_map_key", 1, L())]
    # element access and sizes
    tup = (A("a"), A("b"), A("c"))
    for i in (0, 1, 3, 4, -1, A("x"), 1.0):
        cs += [c(e, "element", i, tup), c(e, "setelement", i, tup, 9),
               c(e, "insert_element", i, tup, 9), c(e, "delete_element", i, tup)]
    cs += [c(e, "element", 1, L(1)), c(e, "setelement", 1, (), 1),
           c(e, "insert_element", 1, (), 1), c(e, "append_element", tup, 1),
           c(e, "append_element", L(), 1)]
    for t in [L(), L(1, 2), L(1, tail=2), S("hello"), b"abc", tup, (), A("a"), 5,
              BitStr(b"\xe0", 3), make_bits(b"\x01\x02\x03", 20)]:
        for fn in ("hd", "tl", "length", "size", "tuple_size", "byte_size", "bit_size",
                   "tuple_to_list", "list_to_tuple"):
            cs.append(c(e, fn, t))
    for b in [b"hello", BitStr(b"\x01\x02\x80", 17), S("x")]:
        for pos, ln in [(0, 0), (1, 2), (5, 0), (0, 5), (5, -5), (3, -4), (-1, 1), (2, 4),
                        (1, A("a")), (1, 2 ** 70)]:
            cs += [c(e, "binary_part", b, pos, ln), c(e, "binary_part", b, (pos, ln))]
    cs += [c(e, "binary_part", b"abc", (1,)), c(e, "binary_part", b"abc", L(1, 1))]
    # maps
    m = M([(A("a"), 1), (A("b"), 2), (1, A("int")), (1.0, A("float"))])
    cs += [c(e, "map_get", A("a"), m), c(e, "map_get", A("z"), m), c(e, "map_get", 1.0, m),
           c(e, "map_get", A("a"), L()), c(e, "map_size", m), c(e, "map_size", (1,))]
    mp = "maps"
    for k in (A("a"), A("z"), 1, 1.0):
        for t in (m, L(), A("nomap")):
            cs += [c(mp, "get", k, t), c(mp, "find", k, t), c(mp, "is_key", k, t),
                   c(mp, "remove", k, t), c(mp, "take", k, t), c(mp, "update", k, 9, t),
                   c(mp, "put", k, 9, t), c(mp, "get", k, t, A("dflt"))]
    for t in (m, M({}), L(), 3):
        cs += [c(mp, "keys", t), c(mp, "values", t), c(mp, "to_list", t), c(mp, "size", t)]
    cs += [c(mp, "from_list", L((1, 2), (A("a"), 3), (1, 4))), c(mp, "from_list", L(1)),
           c(mp, "from_list", A("x")), c(mp, "from_list", L((1, 2), tail=3)),
           c(mp, "from_keys", L(1, 2, 1.0), A("v")), c(mp, "from_keys", A("x"), 1),
           c(mp, "merge", m, M({A("a"): 99, 7: 7})), c(mp, "merge", A("x"), m),
           c(mp, "merge", m, A("y")), c(mp, "merge", A("x"), A("y")),
           c(mp, "next", A("none")), c(mp, "next", A("bad")), c(mp, "new")]
    # lists
    ls = "lists"
    kl = L((A("a"), 1), (A("b"), 2), (1.0, A("f")), (3,))
    for k, n in [(A("a"), 1), (A("b"), 1), (2, 2), (1, 1), (A("z"), 1), (3, 1), (1, 5), (1, 0),
                 (1, A("x"))]:
        cs += [c(ls, "keyfind", k, n, kl), c(ls, "keymember", k, n, kl)]
    cs += [c(ls, "keyfind", 1, 1, A("x")), c(ls, "keyfind", 1, 1, L((2,), tail=3)),
           c(ls, "keyfind", 2, 1, L((2,), tail=3))]
    for x, t in [(1, L(1, 2)), (1.0, L(1, 2)), (3, L(1, 2)), (1, L(1, tail=2)), (3, L(1, tail=2)),
                 (1, A("x")), (L(), L(L()))]:
        cs.append(c(ls, "member", x, t))
    for t in [L(), L(1, 2, 3), L(1, tail=2), A("x"), L(L(1, L(2)), 3, L(), S("ab"))]:
        cs += [c(ls, "reverse", t), c(ls, "reverse", t, L(9)), c(ls, "flatten", t),
               c(ls, "flatten", t, L(A("t")))]
    # conversions: atoms
    for a in [A("abc"), A("é"), A("日本"), A(""), 1, S("a")]:
        cs += [c(e, "atom_to_list", a), c(e, "atom_to_binary", a),
               c(e, "atom_to_binary", a, A("latin1")), c(e, "atom_to_binary", a, A("utf8")),
               c(e, "atom_to_binary", a, A("foo"))]
    for b in [b"abc", "é".encode(), b"\xe9", b"\xff\xfe", b"", S("ab"), b"a" * 256,
              "é".encode() * 200]:
        for enc in (A("latin1"), A("utf8"), A("unicode"), A("bad")):
            cs.append(c(e, "binary_to_atom", b, enc))
        cs.append(c(e, "binary_to_atom", b))
    for t in [S("abc"), S("日本"), L(), L(-1), L(0x110000), L(A("a")), S("a" * 256),
              L(97, tail=98), b"abc"]:
        cs.append(c(e, "list_to_atom", t))
    cs += [c(e, "list_to_existing_atom", S("ok")), c(e, "binary_to_existing_atom", b"ok"),
           c(e, "binary_to_existing_atom", b"ok", A("latin1")),
           c(e, "list_to_existing_atom", S("no_such_atom_hopefully_xyzzy")),
           c(e, "binary_to_existing_atom", b"no_such_atom_hopefully_xyzzy", A("utf8"))]
    # integers
    for n in [0, 7, -255, 2 ** 64, -(10 ** 30), 123456789, 1.0, A("a")]:
        cs += [c(e, "integer_to_list", n), c(e, "integer_to_binary", n)]
        for base in (2, 8, 16, 36, 1, 37, A("x")):
            cs += [c(e, "integer_to_list", n, base), c(e, "integer_to_binary", n, base)]
    for s in ["123", "-123", "+5", "", "-", "+", "1_000", " 1", "1.0", "99999999999999999999999",
              "0x10", "ff", "FF", "zz", "Zz", "-0", "00012", "1 "]:
        cs += [c(e, "list_to_integer", S(s)), c(e, "binary_to_integer", s.encode()),
               c(e, "list_to_integer", S(s), 16), c(e, "binary_to_integer", s.encode(), 36),
               c(e, "list_to_integer", S(s), 2)]
    cs += [c(e, "list_to_integer", L(49, tail=50)), c(e, "list_to_integer", b"1"),
           c(e, "binary_to_integer", S("1")), c(e, "list_to_integer", L(A("a"))),
           c(e, "list_to_integer", S("1"), 37)]
    # floats
    for f in [1.0, 0.1, -2.5, 1e22, 1e-7, 5e-324, 1.7976931348623157e308, 123456.0, 1e15,
              1e16, 0.0, -0.0, 1.0 / 3, 2.5, 0.125, 100.0, 1e100]:
        cs += [c(e, "float_to_list", f), c(e, "float_to_binary", f)]
        for opts in [L(A("short")), L((A("decimals"), 0)), L((A("decimals"), 2)),
                     L((A("decimals"), 10), A("compact")), L((A("scientific"), 3)),
                     L((A("scientific"), 0)), L(A("compact")), L((A("decimals"), 253)),
                     L((A("decimals"), 254)), L((A("scientific"), 249)),
                     L((A("scientific"), 250)), L(A("bad")), L((A("decimals"), -1)),
                     L((A("decimals"), 2), A("short")), L(A("short"), (A("decimals"), 2)),
                     L((A("decimals"), 30), A("compact")), A("x"), L()]:
            cs += [c(e, "float_to_list", f, opts), c(e, "float_to_binary", f, opts)]
    cs += [c(e, "float_to_list", 1), c(e, "float_to_list", 1, L())]
    for s in ["1.0", "-1.5", "+1.5", "1", "1.", ".5", "1.0e5", "1.0E5", "1.0e+5", "1.0e-5",
              "1e5", "1.5 ", " 1.5", "1.0e400", "0.1", "1.0e", "--1.0", "123.456e-2", ""]:
        cs += [c(e, "list_to_float", S(s)), c(e, "binary_to_float", s.encode())]
    # binaries / iolists
    io = [L(1, b"ab", L(2, L(3)), tail=b"cd"), L(), b"xyz", L(256), L(-1), L(A("a")),
          L(BitStr(b"\x80", 1)), L(1, tail=2), 5, L(L(), L(L()))]
    for t in io:
        cs += [c(e, "list_to_binary", t), c(e, "iolist_to_binary", t), c(e, "iolist_size", t)]
    for b in [b"hello", b"", S("x"), BitStr(b"\x80", 1)]:
        cs += [c(e, "binary_to_list", b), c(e, "split_binary", b, 2),
               c(e, "split_binary", b, 0), c(e, "split_binary", b, 6)]
        for s1, s2 in [(1, 5), (2, 3), (0, 1), (3, 2), (1, 6), (5, 5)]:
            cs.append(c(e, "binary_to_list", b, s1, s2))
    # tuples
    cs += [c(e, "make_tuple", 3, A("x")), c(e, "make_tuple", 0, 1), c(e, "make_tuple", -1, 1),
           c(e, "make_tuple", A("a"), 1), c(e, "make_tuple", 3, 0, L((1, A("a")), (3, A("c")))),
           c(e, "make_tuple", 3, 0, L((4, A("a")))), c(e, "make_tuple", 3, 0, L((1, A("a")), 5)),
           c(e, "make_tuple", 2, 0, L((1, A("a")), (1, A("b")))),
           c(e, "list_to_tuple", L(1, tail=2)), c(e, "tuple_to_list", L())]
    # hashing
    for t in TERMS:
        cs += [c(e, "phash2", t), c(e, "phash2", t, 7), c(e, "phash2", t, 2 ** 32)]
    cs += [c(e, "phash2", 1, 0), c(e, "phash2", 1, 2 ** 32 + 1), c(e, "phash2", 1, A("a"))]
    rnd = random.Random(7)
    for _ in range(60):
        cs.append(c(e, "phash2", _random_term(rnd, 3)))
    # exceptions, funs
    cs += [c(e, "error", A("boom")), c(e, "error", (A("x"), 1), L(1)), c(e, "exit", A("bye")),
           c(e, "throw", L(1)), c(e, "raise", A("foo"), A("r"), L()),
           c(e, "raise", A("error"), A("r"), A("notalist")), c(e, "raise", A("throw"), 1, L()),
           c(e, "raise", A("exit"), 1, L((A("m"), A("f"), 1, L()))),
           c(e, "make_fun", A("lists"), A("map"), 2), c(e, "make_fun", 1, A("map"), 2),
           c(e, "make_fun", A("m"), A("f"), -1), c(e, "make_fun", A("m"), A("f"), 256)]
    for item in ("arity", "module", "name", "env", "type", "bogus"):
        cs.append(c(e, "fun_info", ExtFun(A("lists"), A("map"), 2), A(item)))
    cs += [c(e, "fun_info", 1, A("arity")), c(e, "function_exported", 1, A("f"), 1)]
    # time unit conversion
    units = [A("second"), A("millisecond"), A("microsecond"), A("nanosecond"), A("native"),
             1000, 3, 0, A("bad")]
    for v in (0, 1, -1, 1500, -1500, 123456789, 1.0):
        for fu in units:
            for tu in units[:4] + [7, A("bad")]:
                cs.append(c(e, "convert_time_unit", v, fu, tu))
    # list operators and bitstring lists
    for a, b in [(L(1, 2), L(3)), (L(), A("x")), (L(1, tail=2), L()), (A("x"), L()),
                 (L(1, 2, 1, 1.0), L(1, 1.0, 5)), (L(1, 2), L(2, tail=3)), (L(1), A("y"))]:
        cs += [c(e, "++", a, b), c(e, "--", a, b)]
    for t in [L(1, BitStr(b"\x80", 1), b"ab", tail=BitStr(b"\xc0", 2)), L(), L(256), A("x"),
              L(L(BitStr(b"\xe0", 3)), 7)]:
        cs.append(c(e, "list_to_bitstring", t))
    for t in [b"ab", make_bits(b"ab\xe0", 19), BitStr(b"\x80", 1), A("x")]:
        cs.append(c(e, "bitstring_to_list", t))
    # utf16/utf32
    for d in [b"\x00h\x00\xe9\x20\xac", "h€😀".encode("utf-16-le"), L(104, 0x20AC, 0x1F600),
              b"\x00h\x00", "h€".encode("utf-32-be")]:
        for enc in (A("utf16"), (A("utf16"), A("little")), A("utf32"), (A("utf32"), A("big"))):
            cs += [c("unicode", "characters_to_list", d, enc),
                   c("unicode", "characters_to_binary", d, enc),
                   c("unicode", "characters_to_binary", d, A("unicode"), enc)]
    for bom in [b"\xef\xbb\xbfx", b"\xff\xfe\x00\x00", b"\xff\xfea", b"\xfe\xff", b"ab", b"", A("x")]:
        cs.append(c("unicode", "bom_to_encoding", bom))
    for enc in [A("utf8"), A("unicode"), A("latin1"), A("utf16"), (A("utf16"), A("little")),
                A("utf32"), (A("utf32"), A("little")), A("bad")]:
        cs.append(c("unicode", "encoding_to_bom", enc))
    # ~w formatting (the runner prints {ok, T} with ~w; we print it with format_w)
    fmt = TERMS + [A("Abc"), A("a-b"), A("if"), A("maybe"), A("a@b"), A("_x"), A("é"),
                   A("a\nb"), A("it's"), A("back\\slash"), A("\x7f"), A("ünïcödé"),
                   A("日本"), A("9a"), 1e-7, 123456.0, 1e15, 1e16, -0.0, 0.1 + 0.2,
                   L(1.5, L(), M({A("k"): L()})), (L(), ()), make_bits(b"\xff", 7)]
    cs += [c(e, "hd", L(t)) for t in fmt]
    rnd2 = random.Random(11)
    cs += [c(e, "hd", L(_random_term(rnd2, 3))) for _ in range(40)]
    # external term format: AtomVM writes atoms as OTP 26+ does (tests/test_ext_term.py and
    # tests/atomvm_diff/term_format.erl hold those), so only atom-free terms compare with OTP 25
    for t in TERMS + [S("日本"), 2 ** 255, -(2 ** 31), 2 ** 31]:
        if not _has_atom(t):
            cs.append(c(e, "term_to_binary", t))
    cs += [c(e, "binary_to_term", b"\x83a\x01"), c(e, "binary_to_term", b"\x83a"),
           c(e, "binary_to_term", b"\x83a\x01xyz", L(A("used"))),
           c(e, "binary_to_term", b"\x83a\x01", L(A("safe"))),
           c(e, "binary_to_term", b"\x83a\x01", L(A("bogus"))),
           c(e, "binary_to_term", b"junk"), c(e, "binary_to_term", S("x"))]
    cs += _binary_cases() + _math_cases() + _unicode_cases() + _base64_cases()
    return cs


def _random_term(rnd: random.Random, depth: int):
    k = rnd.randrange(12 if depth > 0 else 6)
    if k == 0:
        return rnd.randint(-2 ** 70, 2 ** 70) >> rnd.randrange(70)
    if k == 1:
        return rnd.uniform(-1e10, 1e10)
    if k == 2:
        return A(rnd.choice(["a", "ok", "error", "undefined", "x_y", "Zed"]))
    if k == 3:
        return bytes(rnd.randrange(256) for _ in range(rnd.randrange(30)))
    if k == 4:
        return make_bits(bytes(rnd.randrange(256) for _ in range(5)), rnd.randrange(1, 40))
    if k == 5:
        return L(*[rnd.randrange(300) for _ in range(rnd.randrange(10))])
    if k in (6, 7):
        return tuple(_random_term(rnd, depth - 1) for _ in range(rnd.randrange(5)))
    if k in (8, 9):
        return L(*[_random_term(rnd, depth - 1) for _ in range(rnd.randrange(5))])
    return M([(_random_term(rnd, depth - 1), _random_term(rnd, depth - 1))
              for _ in range(rnd.randrange(6))])


def _binary_cases():
    b = "binary"
    subj = b"the cat sat on the mat"
    cs = []
    for p in [b"at", b"the", L(b"at", b"the"), L(b"a", b"at"), b"", L(), L(b""), b"zz", S("at"),
              L(b"t", b"th")]:
        cs += [c(b, "match", subj, p), c(b, "matches", subj, p), c(b, "split", subj, p)]
        for opts in [L(A("global")), L(A("global"), A("trim")), L(A("trim_all"), A("global")),
                     L((A("scope"), (4, 10))), L((A("scope"), (10, -6)), A("global")),
                     L((A("scope"), (20, 10))), L(A("bad"))]:
            cs += [c(b, "split", subj, p, opts), c(b, "match", subj, p, opts),
                   c(b, "matches", subj, p, opts)]
        for opts in [L(), L(A("global")), L(A("global"), (A("insert_replaced"), 1)),
                     L((A("insert_replaced"), L(0, 2)), A("global")),
                     L((A("insert_replaced"), 9))]:
            cs.append(c(b, "replace", subj, p, b"[]", opts))
        cs.append(c(b, "replace", subj, p, b"X"))
    cs += [c(b, "split", b",a,,b,", b",", L(A("global"), A("trim"))),
           c(b, "split", b",a,,b,,", b",", L(A("global"), A("trim_all"))),
           c(b, "split", b"", b","), c(b, "split", b"", b",", L(A("trim"))),
           c(b, "split", b",,", b",", L(A("global"), A("trim")))]
    for d in [b"hello", b"", S("x"), BitStr(b"\x80", 1)]:
        for fn in ("first", "last", "copy", "bin_to_list", "referenced_byte_size",
                   "encode_hex", "decode_unsigned"):
            cs.append(c(b, fn, d))
        for pos in (0, 4, 5, -1):
            cs.append(c(b, "at", d, pos))
        for pos, ln in [(0, 2), (5, -2), (4, 2), (-1, 1), (5, 0)]:
            cs += [c(b, "part", d, pos, ln), c(b, "part", d, (pos, ln)),
                   c(b, "bin_to_list", d, pos, ln), c(b, "bin_to_list", d, (pos, ln))]
        cs += [c(b, "copy", d, 3), c(b, "copy", d, 0), c(b, "copy", d, -1)]
    for h in [b"0aFf", b"abc", b"zz", b"", S("00")]:
        cs.append(c(b, "decode_hex", h))
    for n in [0, 1, 255, 256, 2 ** 64 + 1, -1, 1.0]:
        cs += [c(b, "encode_unsigned", n), c(b, "encode_unsigned", n, A("little")),
               c(b, "encode_unsigned", n, A("big")), c(b, "encode_unsigned", n, A("x"))]
    for d in [b"\x01\x02", b"", b"\x00\x00\x01"]:
        cs += [c(b, "decode_unsigned", d, A("little")), c(b, "decode_unsigned", d, A("big"))]
    for l in [L(b"abcd", b"abxy", b"ab"), L(b"abc"), L(), L(b"x", b""), L(b"ab", 1),
              L(b"xyz", b"ayz", b"yz"), A("x")]:
        cs += [c(b, "longest_common_prefix", l), c(b, "longest_common_suffix", l)]
    cs += [c(b, "list_to_bin", L(1, b"a", L(2))), c(b, "list_to_bin", b"a"),
           c(b, "list_to_bin", L(256))]
    return cs


def _math_cases():
    cs = []
    vals = [0, 1, -1, 0.5, 2.0, -0.5, 100, 1e300, 1000, 2 ** 2000, A("a")]
    for fn in ("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
               "acosh", "atanh", "exp", "log", "log2", "log10", "sqrt", "ceil", "floor",
               "erf", "erfc"):
        for v in vals:
            cs.append(c("math", fn, v))
    for fn in ("pow", "atan2", "fmod"):
        for x, y in [(2, 10), (2.0, 0.5), (0, -1), (-8, 1 / 3), (0, 0), (10, 3), (-10, 3),
                     (1, 0), (2, 1024), (1e308, 2), (A("a"), 1), (5.5, 2)]:
            cs.append(c("math", fn, x, y))
    cs.append(c("math", "pi"))
    return cs


def _unicode_cases():
    u = "unicode"
    cs = []
    datas = [b"abc", "日本".encode(), b"a\xffb", b"a\xe2\x82", L(97, "é".encode(), 0x65E5),
             L(97, L(b"b", L(99)), tail=b"d"), L(97, -1, 98), L(97, 0x110000),
             L(97, b"b\xffc", 100), L(L(97, L(b"\xe2\x82")), 98), L(A("a")), A("x"),
             L(97, 300, 98), L(0xD800), b"\xe9t\xe9", L(b"\xe2\x82", b"\xac")]
    for d in datas:
        cs += [c(u, "characters_to_list", d), c(u, "characters_to_binary", d)]
        for enc in (A("latin1"), A("utf8"), A("unicode"), A("bad")):
            cs += [c(u, "characters_to_list", d, enc), c(u, "characters_to_binary", d, enc),
                   c(u, "characters_to_binary", d, A("unicode"), enc),
                   c(u, "characters_to_binary", d, enc, A("latin1"))]
    return cs


def _base64_cases():
    """Only inputs on which AtomVM's strict, iolist-taking base64 and OTP 25's agree; the
    others (whitespace, missing padding, iolists, bad characters) are in
    tests/atomvm_diff/base64_strict.erl with AtomVM's own answers."""
    b = "base64"
    cs = []
    for d in [b"", b"A", b"AB", b"ABC", b"hello world", bytes(range(256)), S("abc")]:
        cs += [c(b, "encode", d), c(b, "encode_to_string", d)]
    for d in [b"QUJD", b"QQ==", b"QUI=", S("QUJD"), b"", S("aGVsbG8gd29ybGQ=")]:
        cs += [c(b, "decode", d), c(b, "decode_to_string", d)]
    return cs


CASES = _cases()


@pytest.fixture(scope="module")
def otp_results():
    return run_otp(CASES)


def _id(case):
    mod, fun, args = case
    text = f"{mod}:{fun}/{len(args)}"
    return text


def _has_big_map(t) -> bool:
    from avmsim.vm.terms import Cons, Map
    if t.__class__ is Map:
        return len(t) > 32 or any(_has_big_map(k) or _has_big_map(v) for k, v in t.items())
    if t.__class__ is tuple:
        return any(_has_big_map(e) for e in t)
    if t.__class__ is Cons:
        return _has_big_map(t.hd) or _has_big_map(t.tl)
    return False


def _mixed_number_keys(t) -> bool:
    """A map (at any depth) with both integer and float keys."""
    from avmsim.vm.terms import Cons, Map
    if t.__class__ is Map:
        kinds = {k.__class__ for k in t.keys()}
        return (int in kinds and float in kinds) or any(
            _mixed_number_keys(k) or _mixed_number_keys(v) for k, v in t.items())
    if t.__class__ is tuple:
        return any(_mixed_number_keys(e) for e in t)
    if t.__class__ is Cons:
        return _mixed_number_keys(t.hd) or _mixed_number_keys(t.tl)
    return False


def _beyond_atomvm_ints(fun: str, args: tuple) -> bool:
    """Whether OTP's result is an integer wider than AtomVM's 256 bits (or, for a shift,
    OTP's own system_limit): AtomVM raises overflow instead."""
    if fun == "bsl":
        a, n = args
        return a.__class__ is int and n.__class__ is int and a != 0 and a.bit_length() + n > 256
    x = args[0]
    return fun in ("trunc", "round", "ceil", "floor") and x.__class__ is float \
        and abs(x) >= 2.0 ** 256


def _byte_tail(t) -> bool:
    from avmsim.vm.terms import Cons
    while t.__class__ is Cons:
        t = t.tl
    return t.__class__ is int and 0 <= t <= 255


def _cut_utf8_in_list(t) -> bool:
    """A binary inside a list that ends in the middle of a UTF-8 sequence."""
    from avmsim.vm.terms import Cons
    if t.__class__ is Cons:
        return _cut_utf8_in_list(t.hd) or _cut_utf8_in_list(t.tl)
    if t.__class__ is not bytes:
        return False
    try:
        t.decode()
    except UnicodeDecodeError as exc:
        return exc.reason == "unexpected end of data"
    return False


def known_deviation(mod: str, fun: str, args: tuple) -> str | None:
    """Why a case is expected to differ from OTP 25 (see the report), or None."""
    if mod == "erlang" and _beyond_atomvm_ints(fun, args):
        return "AtomVM's integers stop at 256 bits: overflow where OTP goes on"
    if fun in ("list_to_binary", "iolist_to_binary", "iolist_size") and _byte_tail(args[0]):
        return "AtomVM's iolists may end in a byte ([1 | 2] is <<1, 2>>), OTP's may not"
    if mod == "erlang" and fun in ("hd", "term_to_binary") and _has_big_map(args[0]):
        return "maps over 32 keys: OTP iterates them in hash order, AtomVM/avmsim in key order"
    if (mod == "maps" and fun == "from_keys" and args[0] is not A("x")) \
            or any(_mixed_number_keys(a) for a in args):
        return "map key order: OTP sorts all integer keys before float keys"
    if mod == "erlang" and fun == "raise" and args[0] in (A("error"), A("exit"), A("throw")):
        return ("AtomVM's raise/3 never checks the trace: a list is kept as it is, any other "
                "term makes the VM build one (tests/atomvm_diff/stacktraces.erl); OTP: badarg")
    if mod == "lists" and (fun, len(args)) in (("reverse", 1), ("flatten", 1)):
        return ("AtomVM's NIFs raise badarg on what is not a proper list "
                "(tests/atomvm_diff/lists_nif_errors.erl); OTP: function_clause")
    if mod == "unicode" and len(args) == 3 and args[2] is A("latin1") \
            and args[0].__class__ is not bytes:
        return "shape of Rest in {error, _, Rest} for some latin1-output failures"
    if mod == "unicode" and args[0].__class__ is not bytes and _cut_utf8_in_list(args[0]):
        return ("AtomVM never joins a UTF-8 sequence split across binaries: error, or "
                "incomplete when nothing follows (tests/atomvm_diff/unicode_rest.erl)")
    return None


@needs_erl
@pytest.mark.parametrize("index", range(len(CASES)), ids=[_id(x) for x in CASES])
def test_native_matches_otp(index, otp_results):
    mod, fun, args = CASES[index]
    got = outcome(mod, fun, args)
    why = known_deviation(mod, fun, args)
    if why and got != otp_results[index]:
        pytest.xfail(why)
    assert got == otp_results[index], (mod, fun, args)


def test_case_count():
    assert len(CASES) > 1000
    assert not math.isnan(len(CASES))
