"""OTP's ``math`` module: results are floats; domain errors and overflow raise ``badarith``,
non-numeric arguments ``badarg``."""
from __future__ import annotations

import math
from typing import Any, Callable

from ..errors import badarg, badarith
from ..natives import native
from ._util import charge_results, new_number


def _arg(x: Any) -> float:
    if x.__class__ is float:
        return x
    if x.__class__ is int:
        try:
            return float(x)
        except OverflowError:
            raise badarith() from None
    raise badarg()


def _checked(f: Callable[..., float], *args: float) -> float:
    try:
        r = f(*args)
    except (ValueError, OverflowError, ZeroDivisionError):
        raise badarith() from None
    if r != r or r in (math.inf, -math.inf):
        raise badarith()
    return float(r)


def _pow(x: float, y: float) -> float:
    if x == 0.0 and y < 0:
        raise ValueError
    return math.pow(x, y)


def _log(f: Callable[[float], float]) -> Callable[[float], float]:
    def g(x: float) -> float:
        if x <= 0.0:
            raise ValueError
        return f(x)
    return g


_UNARY: dict[str, Callable[[float], float]] = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "asin": math.asin,
    "acos": math.acos, "atan": math.atan, "sinh": math.sinh, "cosh": math.cosh,
    "tanh": math.tanh, "asinh": math.asinh, "acosh": math.acosh, "atanh": math.atanh,
    "exp": math.exp, "log": _log(math.log), "log2": _log(math.log2),
    "log10": _log(math.log10), "sqrt": math.sqrt, "erf": math.erf, "erfc": math.erfc,
    "ceil": lambda x: math.copysign(float(math.ceil(x)), x),
    "floor": lambda x: math.copysign(float(math.floor(x)), x),
}

_BINARY: dict[str, Callable[[float, float], float]] = {
    "pow": _pow, "atan2": math.atan2, "fmod": math.fmod,
}


def _register_unary(name: str, f: Callable[[float], float]) -> None:
    @native("math", name, 1)
    def unary(ctx, x):
        return _checked(f, _arg(x))


def _register_binary(name: str, f: Callable[[float, float], float]) -> None:
    @native("math", name, 2)
    def binary(ctx, x, y):
        return _checked(f, _arg(x), _arg(y))


for _name, _f in _UNARY.items():
    _register_unary(_name, _f)
for _name, _g in _BINARY.items():
    _register_binary(_name, _g)


@native("math", "pi", 0)
def pi(ctx):
    return math.pi


charge_results("math", {**{(name, 1): new_number for name in _UNARY},
                        **{(name, 2): new_number for name in _BINARY}, ("pi", 0): new_number})
