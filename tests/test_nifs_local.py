"""Natives whose results depend on the VM (time, refs, console, dictionary, exceptions)
and the formatting helpers, checked without a host erl."""
from __future__ import annotations

import pytest

from avmsim.vm.errors import ErlangError
from avmsim.vm.natives import GUARD_BIFS, NATIVES
from avmsim.vm.nifs.phash import atom_hash
from avmsim.vm.term_format import float_short, format_display, format_w
from avmsim.vm.terms import NIL, ExtFun, Map, Ref, to_list

from test_nifs_common import A, FakeCtx, L, M, S, call

UNDEFINED = A("undefined")


def test_bif_registry_has_the_73_bifs():
    assert len(GUARD_BIFS) >= 73
    for name, arity in [("+", 2), ("-", 1), ("=<", 2), ("is_record", 3), ("map_get", 2),
                        ("binary_part", 2), ("unique_integer", 1), ("node", 1), ("self", 0)]:
        assert ("erlang", name, arity) in GUARD_BIFS


def test_process_dictionary():
    ctx = FakeCtx()
    assert call("erlang", "put", A("k"), 1, ctx=ctx) is UNDEFINED
    assert call("erlang", "put", A("k"), 2, ctx=ctx) == 1
    assert call("erlang", "put", 1.0, A("f"), ctx=ctx) is UNDEFINED
    assert call("erlang", "get", 1, ctx=ctx) is UNDEFINED      # 1 and 1.0 are different keys
    assert call("erlang", "get", 1.0, ctx=ctx) is A("f")
    assert call("erlang", "get", A("k"), ctx=ctx) == 2
    assert format_w(call("erlang", "get_keys", 2, ctx=ctx)) == "[k]"
    assert len(to_list(call("erlang", "get", ctx=ctx))) == 2
    assert call("erlang", "erase", A("k"), ctx=ctx) == 2
    assert call("erlang", "erase", A("k"), ctx=ctx) is UNDEFINED
    assert format_w(call("erlang", "erase", ctx=ctx)) == "[{1.0,f}]"
    assert call("erlang", "get", ctx=ctx) is NIL


def test_time_units():
    ctx = FakeCtx()
    ctx.vm.mono_ns = 5_000_000_123
    assert call("erlang", "monotonic_time", ctx=ctx) == 5_000_000_123      # native = ns
    assert call("erlang", "monotonic_time", A("millisecond"), ctx=ctx) == 5000
    assert call("erlang", "monotonic_time", A("second"), ctx=ctx) == 5
    assert call("erlang", "monotonic_time", A("microsecond"), ctx=ctx) == 5_000_000
    assert call("erlang", "system_time", A("second"), ctx=ctx) == 1_700_000_000
    assert call("erlang", "timestamp", ctx=ctx) == (1700, 0, 123456)
    assert call("erlang", "universaltime", ctx=ctx) == ((2023, 11, 14), (22, 13, 20))
    assert call("erlang", "localtime", ctx=ctx) == ((2023, 11, 14), (22, 13, 20))
    with pytest.raises(ErlangError):
        call("erlang", "monotonic_time", A("fortnight"), ctx=ctx)


def test_refs_self_unique_node():
    ctx = FakeCtx()
    r1, r2 = call("erlang", "make_ref", ctx=ctx), call("erlang", "make_ref", ctx=ctx)
    assert isinstance(r1, Ref) and r1 != r2
    assert call("erlang", "self", ctx=ctx) is ctx.pid
    a, b = call("erlang", "unique_integer", ctx=ctx), call("erlang", "unique_integer", ctx=ctx)
    assert a != b
    assert call("erlang", "unique_integer", L(A("positive")), ctx=ctx) > 0
    assert call("erlang", "node", ctx=ctx) is A("nonode@nohost")
    assert call("erlang", "node", ctx.pid, ctx=ctx) is A("nonode@nohost")


def test_display_and_console_print():
    ctx = FakeCtx()
    assert call("erlang", "display", (A("ok"), S("hi"), b"ab", 1.5), ctx=ctx) is A("true")
    assert call("console", "print", L(b"x", 10, L(b"yz")), ctx=ctx) is A("ok")
    assert bytes(ctx.vm.console) == b'{ok,"hi",<<"ab">>,1.500000}\nx\nyz'


# as AtomVM 7b282159's term_funprint writes them (tests/atomvm_diff/display_terms)
@pytest.mark.parametrize("term, text", [
    (S("a string"), '"a string"'), (L(1, 2, 3), "[1,2,3]"), (b"text", '<<"text">>'),
    (b"", '<<"">>'), (b"a\nb", "<<97,10,98>>"), (S("a\nb"), "[97,10,98]"), (L(9), "[9]"),
    (M({A("a"): 1}), "#{a=>1}"), (S('q"q'), '"q"q"'), (L(), "[]"), (A("A b"), "A b"),
    ((A("a"), (A("b"), L(A("c"), S("d"))), 1), '{a,{b,[c,"d"]},1}'),
])
def test_display_format(term, text):
    assert format_display(term) == text


def test_console_print_rejects_non_iodata():
    with pytest.raises(ErlangError):
        call("console", "print", A("nope"))


def test_exceptions_carry_class_reason_args_and_trace():
    with pytest.raises(ErlangError) as e:
        call("erlang", "error", A("r"), L(1, 2))
    assert e.value.cls is A("error") and e.value.reason is A("r")
    trace = L((A("m"), A("f"), 0, NIL))
    with pytest.raises(ErlangError) as e:
        call("erlang", "raise", A("throw"), A("x"), trace)
    assert e.value.cls is A("throw") and e.value.stacktrace is trace
    assert call("erlang", "raise", A("nope"), 1, NIL) is A("badarg")
    for fun, cls in (("exit", "exit"), ("throw", "throw")):
        with pytest.raises(ErlangError) as e:
            call("erlang", fun, 7)
        assert e.value.cls is A(cls) and e.value.reason == 7


def test_funs():
    ctx = FakeCtx()
    f = call("erlang", "make_fun", A("lists"), A("map"), 2)
    assert f == ExtFun(A("lists"), A("map"), 2)
    assert call("erlang", "fun_info", f, A("arity")) == (A("arity"), 2)
    assert call("erlang", "function_exported", A("lists"), A("map"), 2, ctx=ctx) is A("true")
    assert call("erlang", "function_exported", A("lists"), A("map"), 3, ctx=ctx) is A("false")
    assert format_w(f) == "fun lists:map/2"


def test_maps_iterator_walks_keys_in_order():
    m = Map.from_pairs([(A("b"), 2), (A("a"), 1), (3, 0)])
    it = call("maps", "iterator", m)
    seen = []
    while True:
        r = call("maps", "next", it)
        if r is A("none"):
            break
        k, v, it = r
        seen.append((k, v))
    assert [format_w(k) for k, _ in seen] == ["3", "a", "b"]
    assert call("maps", "next", it) is A("none")


def test_bsl_beyond_atomvms_256_bits_overflows():
    assert call("erlang", "bsl", 1, 255).bit_length() == 256
    assert call("erlang", "bsl", 0, 10 ** 20) == 0
    for shift in (256, 100_000, 10 ** 20):
        with pytest.raises(ErlangError) as e:
            call("erlang", "bsl", 1, shift)
        assert e.value.reason is A("overflow")


@pytest.mark.parametrize("f, text", [
    (0.1, "0.1"), (1.0e22, "1.0e22"), (1.0e-7, "1.0e-7"), (5.0e-324, "5.0e-324"),
    (1.7976931348623157e308, "1.7976931348623157e308"), (123456.0, "123456.0"),
    (1.0e15, "1.0e15"), (1.0e16, "1.0e16"), (100.0, "100.0"), (1000.0, "1.0e3"),
    (9007199254740990.0, "9007199254740990.0"), (9007199254740992.0, "9.007199254740992e15"),
    (-0.0, "-0.0"), (0.0001, "0.0001"), (1.2345e-4, "1.2345e-4"),
])
def test_float_short(f, text):
    assert float_short(f) == text


def test_atom_hash_known_values():
    # hashpjw over the atom text; 'a' is 97 and phash2(a) equals it (checked vs OTP)
    assert atom_hash("a") == 97
    assert atom_hash("") == 0


def test_all_modules_registered():
    mods = {m for m, _, _ in NATIVES}
    assert {"erlang", "lists", "maps", "binary", "math", "unicode", "base64",
            "console"} <= mods
