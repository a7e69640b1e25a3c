"""catch, try, raise: catch tags live in Y registers, as in BEAM.

When an exception is caught (see ``runtime.find_catch``) x0 holds the non-value marker,
x1 the class, x2 the reason and x3 the raw stack trace; the handler label's first
instruction (catch_end or try_case) turns those into what the Erlang code expects.
"""
from __future__ import annotations

from ..codegen import Gen, op
from ..operands import Label, Y


@op("catch")
def catch(g: Gen, reg: Y, handler: Label) -> None:
    g.dst(reg, f"CatchTag({g.block_of(handler)})")


@op("try")
def try_(g: Gen, reg: Y, handler: Label) -> None:
    catch(g, reg, handler)


@op("catch_end")
def catch_end(g: Gen, reg: Y) -> None:
    g.dst(reg, "None")
    g.begin_if("x[0] is NONVALUE")
    g.emit("x[0] = CATCH_VALUE(x[1], x[2], x[3])")
    g.end_if()


@op("try_end")
def try_end(g: Gen, reg: Y) -> None:
    g.dst(reg, "None")


@op("try_case")
def try_case(g: Gen, reg: Y) -> None:
    g.dst(reg, "None")
    g.emit("x[0] = x[1]")
    g.emit("x[1] = x[2]")
    g.emit("x[2] = x[3]")


@op("raise", ends_block=True)
def raise_(g: Gen, trace, value) -> None:
    g.raise_(f"RERAISE({g.src(value)}, {g.src(trace)})")


@op("raw_raise")
def raw_raise(g: Gen) -> None:
    """``erlang:raise(C, R, S)`` as the compiler inlines it. A class other than error, exit
    or throw raises nothing: x0 becomes ``badarg`` and the next instruction runs
    (opcodesswitch.h), which is how ``erlang:raise/3`` returns ``badarg``."""
    g.begin_if("x[0] is A_error_ or x[0] is A_exit_ or x[0] is A_throw_")
    g.raise_("RAW_RAISE(x[0], x[1], x[2])")
    g.end_if()
    g.emit("x[0] = A_badarg_")


@op("build_stacktrace")
def build_stacktrace(g: Gen) -> None:
    g.emit("x[0] = STACKTRACE_TERM(x[0])")
