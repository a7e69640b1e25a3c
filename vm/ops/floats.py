"""Float register instructions (``fr`` registers hold unboxed floats)."""
from __future__ import annotations

from ..codegen import Gen, op
from ..operands import FR, Label


@op("fmove")
def fmove(g: Gen, src, dst) -> None:
    g.dst(dst, g.src(src))
    if dst.__class__ is not FR:  # leaving a float register boxes the float on the heap
        g.built(g.layout.float_words)


@op("fconv")
def fconv(g: Gen, src, dst) -> None:
    g.dst(dst, f"FCONV({g.src(src)})")


def _arith(name: str, symbol: str) -> None:
    def gen(g: Gen, fail: Label, a, b, dst) -> None:
        g.dst(dst, f"FCHECK({g.src(a)} {symbol} {g.src(b)})")
    op(name)(gen)


_arith("fadd", "+")
_arith("fsub", "-")
_arith("fmul", "*")


@op("fdiv")
def fdiv(g: Gen, fail: Label, a, b, dst) -> None:
    g.dst(dst, f"FDIV({g.src(a)}, {g.src(b)})")


@op("fnegate")
def fnegate(g: Gen, fail: Label, a, dst) -> None:
    g.dst(dst, f"-{g.src(a)}")
