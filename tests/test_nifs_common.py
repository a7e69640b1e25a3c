"""Shared helpers for the NIF tests: a fake process context, Python-term -> Erlang-source
conversion and a runner that evaluates a table of calls in one host ``erl``.

Results are compared as ``~w`` text of ``{ok, Value}`` or ``{Class, Reason}``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import Any, Iterable

import pytest

from avmsim.vm.dist import Dist
from avmsim.vm.errors import ErlangError
from avmsim.vm.natives import NATIVES, load_all
from avmsim.vm.refc_binaries import RefcBinaries
from avmsim.vm.term_size import LAYOUT_64
from avmsim.vm.term_format import atom_text, format_w
from avmsim.vm.terms import (NIL, Atom, BitStr, Cons, ExtFun, Map, Pid, Ref, atom, from_list,
                             from_str)

load_all()

HAVE_ERL = shutil.which("erl") is not None
needs_erl = pytest.mark.skipif(not HAVE_ERL, reason="host erl not installed")


class FakeVM:
    """The parts of the VM a native may use (docs/contracts.md)."""

    word_size = 8
    layout = LAYOUT_64
    charges = None   # no board RAM

    def __init__(self) -> None:
        self.refc = RefcBinaries(LAYOUT_64, None)
        self.console = bytearray()
        self._ref = 0
        self._uniq = -576460752303423486
        self.mono_ns = 5_000_000_123
        self.sys_ns = 1_700_000_000_123_456_789
        self.exported = {("lists", "map", 2)}
        self.platform = atom("generic_unix")
        self.not_on_device: frozenset = frozenset()   # the whole library is callable
        self.dist = Dist(self)   # not alive: nonode@nohost, no connections

    def new_ref(self) -> Ref:
        self._ref += 1
        return Ref(self._ref)

    def unique_integer(self) -> int:
        self._uniq += 1
        return self._uniq

    def console_write(self, data: bytes) -> None:
        self.console += data

    def monotonic_ns(self) -> int:
        return self.mono_ns

    def system_time_ns(self) -> int:
        return self.sys_ns

    def function_exported(self, m: Atom, f: Atom, a: int) -> bool:
        return (m.name, f.name, a) in self.exported

    def get_module(self, m: Atom) -> None:
        return None   # no packs to load a module from


class FakeCtx:
    def __init__(self) -> None:
        self.pid = Pid(42)
        self.pdict: dict = {}
        self.x = [None] * 16
        self.vm = FakeVM()


def call(mod: str, fun: str, *args: Any, ctx: FakeCtx | None = None) -> Any:
    """Call a native directly (raises ErlangError like the VM would see it)."""
    return NATIVES[(mod, fun, len(args))](ctx or FakeCtx(), *args)


def outcome(mod: str, fun: str, args: tuple, ctx: FakeCtx | None = None) -> str:
    """``~w`` text of ``{ok, Result}`` or ``{Class, Reason}`` of a native call."""
    try:
        r = call(mod, fun, *args, ctx=ctx)
    except ErlangError as e:
        return format_w((e.cls, e.reason))
    return format_w((atom("ok"), r))


# ----------------------------------------------------------------------------- terms -> source

def A(name: str) -> Atom:
    return atom(name)


def S(text: str) -> Any:
    """An Erlang string (list of code points)."""
    return from_str(text)


def L(*items: Any, tail: Any = NIL) -> Any:
    return from_list(list(items), tail)


def M(pairs: dict | Iterable) -> Map:
    return Map.from_pairs(pairs.items() if isinstance(pairs, dict) else pairs)


def to_erl(t: Any) -> str:
    """Erlang source text (valid for ``file:consult``) of a Python term."""
    cls = t.__class__
    if cls is int:
        return str(t)
    if cls is float:
        r = repr(t)
        if "e" in r and "." not in r.split("e")[0]:
            m, e = r.split("e")
            r = m + ".0e" + e
        return r
    if cls is Atom:
        return atom_text(t.name)
    if t is NIL:
        return "[]"
    if cls is Cons:
        items = []
        while t.__class__ is Cons:
            items.append(to_erl(t.hd))
            t = t.tl
        tail = "" if t is NIL else "|" + to_erl(t)
        return "[" + ",".join(items) + tail + "]"
    if cls is tuple:
        return "{" + ",".join(to_erl(e) for e in t) + "}"
    if cls is bytes:
        return "<<" + ",".join(str(b) for b in t) + ">>"
    if cls is BitStr:
        whole, rest = divmod(t.bits, 8)
        parts = [str(b) for b in t.data[:whole]]
        parts.append(f"{t.data[whole] >> (8 - rest)}:{rest}")
        return "<<" + ",".join(parts) + ">>"
    if cls is Map:
        return "#{" + ",".join(f"{to_erl(k)}=>{to_erl(v)}" for k, v in t.items()) + "}"
    if cls is ExtFun:
        return f"fun {atom_text(t.module.name)}:{atom_text(t.function.name)}/{t.arity}"
    raise TypeError(f"cannot write {t!r} as Erlang source")


_RUNNER = r"""
-module(nif_runner).
-export([main/1]).
main([In, Out]) ->
    {ok, Cases} = file:consult(In),
    Lines = [line(C) || C <- Cases],
    ok = file:write_file(Out, list_to_binary(Lines)),
    halt(0).
line({M, F, Args}) ->
    R = try erlang:apply(M, F, Args) of V -> {ok, V} catch C:E -> {C, E} end,
    [io_lib:format("~w", [R]), $\n].
"""

_compiled_dir: str | None = None


def _runner_dir() -> str:
    global _compiled_dir
    if _compiled_dir is None:
        d = tempfile.mkdtemp(prefix="nifrun")
        src = os.path.join(d, "nif_runner.erl")
        with open(src, "w") as f:
            f.write(_RUNNER)
        subprocess.run(["erlc", "-o", d, src], check=True, capture_output=True)
        _compiled_dir = d
    return _compiled_dir


def run_otp(cases: list[tuple[str, str, tuple]]) -> list[str]:
    """Evaluate every ``(mod, fun, args)`` in one ``erl``; ``~w`` text of each outcome."""
    d = _runner_dir()
    fd, inp = tempfile.mkstemp(suffix=".terms", dir=d)
    out = inp + ".out"
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for mod, fun, args in cases:
            f.write("{%s,%s,[%s]}.\n" % (atom_text(mod), atom_text(fun),
                                         ",".join(to_erl(a) for a in args)))
    subprocess.run(["erl", "-noshell", "-pa", d, "-run", "nif_runner", "main", inp, out],
                   check=True, capture_output=True, timeout=300)
    with open(out, encoding="latin-1") as f:
        lines = f.read().split("\n")[:-1]
    assert len(lines) == len(cases)
    return lines


def test_to_erl_roundtrip():
    """Sanity: terms written as source read back identically in erl (via ~w)."""
    if not HAVE_ERL:
        pytest.skip("no erl")
    terms = [1, -5, 1.5, 1e-300, A("a b"), L(1, 2, tail=3), (A("x"), b"ab"),
             M({A("k"): 1}), BitStr(b"\xe0", 3), S("hi")]
    got = run_otp([("erlang", "hd", (L(t),)) for t in terms])
    assert got == [format_w((A("ok"), t)) for t in terms]
