"""``float_to_list/binary(F, [short])`` as AtomVM writes it (float_utils.c), not as OTP does.

OTP prints the shortest round-tripping digits (Ryu). AtomVM runs Grisu3 (Loitsch, "Printing
Floating-Point Numbers Quickly and Accurately with Integers", PLDI 2010) with 64-bit
integers; for about 0.5% of doubles Grisu3 cannot prove its digits shortest and AtomVM falls
back to C's ``%.17g`` (``%.16e`` from 2^53 up), so 1.0e23 prints ``9.9999999999999992e22``.
Which doubles fall back depends on the exact 64-bit arithmetic (the cached powers of ten, the
rounded product, the weeding bounds), so it is reproduced here bit for bit: Python integers
with explicit 64-bit wrap-around where the C code could wrap.

AtomVM also places the decimal point by its own rule rather than OTP's "shorter text wins":
plain notation while the point falls inside the digits or at most three zeros follow "0.",
trailing zeros for up to two more places (``1200.0``, OTP ``1.2e3``), scientific otherwise
and always from 2^53 up.
"""
from __future__ import annotations

import math
import struct

__all__ = ["short_text"]

M64 = (1 << 64) - 1
TWO_53 = 2.0 ** 53
FRACT_BITS = 52
HIDDEN = 1 << FRACT_BITS
EXP_BIAS = 1075          # the exponent of the significand read as an integer
TARGET_MIN = -60         # scaled exponents land in [-60, -32]: digits fit 32-bit words
CACHE_FIRST = -348       # decimal exponents of the cached powers: -348, -340, ... 340
CACHE_STEP = 8
LOG10_2 = 0.30102999566398114


def _normalize(f: int, e: int) -> tuple[int, int]:
    """Shift so bit 63 is set (a "diy_fp" of 64-bit significand and binary exponent)."""
    shift = 64 - f.bit_length()
    return f << shift, e - shift


def _cached_power(d: int) -> tuple[int, int]:
    """10^d as a normalized 64-bit significand, rounded to nearest, and its exponent."""
    if d >= 0:
        exact_num, exact_den = 10 ** d, 1
    else:
        exact_num, exact_den = 1, 10 ** -d
    # binary exponent b with 2^63 <= 10^d / 2^b < 2^64
    b = exact_num.bit_length() - exact_den.bit_length() - 64
    while True:
        num, den = (exact_num, exact_den << b) if b >= 0 else (exact_num << -b, exact_den)
        q, r = divmod(num, den)
        if q >= 1 << 64:
            b += 1
        elif q < 1 << 63:
            b -= 1
        else:
            break
    q += 2 * r >= den
    if q > M64:  # rounding carried out of 64 bits
        q, b = q >> 1, b + 1
    return q, b


_POWERS = {d: _cached_power(d) for d in range(CACHE_FIRST, 341, CACHE_STEP)}


def _power_for(w_exp: int) -> tuple[int, int, int]:
    """The cached power bringing a product's exponent into the target range: (f, e, d)."""
    k = math.ceil((TARGET_MIN - 64 - w_exp + 63) * LOG10_2)
    i = int((k - CACHE_FIRST - 1) / CACHE_STEP) + 1  # C's truncating division
    d = CACHE_FIRST + CACHE_STEP * i
    f, e = _POWERS[d]
    return f, e, d


def _times(f: int, e: int, cf: int, ce: int) -> tuple[int, int]:
    """The 64x64-bit product's upper half, rounded half up, as Grisu's multiply does."""
    return ((f * cf + (1 << 63)) >> 64) & M64, e + ce + 64


def _weed(digits: list[int], wp_w: int, delta: int, rest: int, ten_kappa: int,
          ulp: int) -> bool:
    """Move the last digit toward the exact value while still inside the safe interval;
    False when the result cannot be proven the closest (Grisu3's failure)."""
    up = (wp_w - ulp) & M64
    down = (wp_w + ulp) & M64

    def closer(target: int, strict: bool) -> bool:
        nxt = (rest + ten_kappa) & M64
        if not (rest < target and ((delta - rest) & M64) >= ten_kappa):
            return False
        if nxt < target:
            return True
        below, above = (target - rest) & M64, (nxt - target) & M64
        return below > above if strict else below >= above

    while closer(up, False):
        digits[-1] -= 1
        rest = (rest + ten_kappa) & M64
    if closer(down, True):
        return False
    return 2 * ulp <= rest <= ((delta - 4 * ulp) & M64)


def _largest_pow10(n: int, bits: int) -> tuple[int, int]:
    """(kappa, 10^(kappa-1)) for the integral part ``n`` of ``bits`` bits, estimating the
    digit count from the bit count and correcting once (0 for kappa 0)."""
    kappa = ((bits + 1) * 1233 >> 12) + 1
    if n < (10 ** (kappa - 1) if kappa else 0):
        kappa -= 1
    return kappa, (10 ** (kappa - 1) if kappa else 0)


def _digits(low: int, w: int, high: int, e: int) -> tuple[list[int], int] | None:
    """Generate the digits of the scaled value from the unsafe interval (low-1, high+1):
    (digits, kappa), or None when Grisu3 gives up."""
    unit = 1
    too_high = high + unit
    unsafe = too_high - (low - unit)
    one = 1 << -e
    p1, p2 = too_high >> -e, too_high & (one - 1)
    kappa, div = _largest_pow10(p1, 64 + e)
    digits: list[int] = []
    while kappa > 0:
        digits.append(p1 // div)
        p1 %= div
        kappa -= 1
        rest = (p1 << -e) + p2
        if rest < unsafe:
            ok = _weed(digits, too_high - w, unsafe, rest, div << -e, unit)
            return (digits, kappa) if ok else None
        div //= 10
    while True:
        p2 *= 10
        unit *= 10
        unsafe *= 10
        digits.append(p2 >> -e)
        p2 &= one - 1
        kappa -= 1
        if p2 < unsafe:
            ok = _weed(digits, ((too_high - w) * unit) & M64, unsafe, p2, one, unit)
            return (digits, kappa) if ok else None


def grisu3(v: float) -> tuple[str, int] | None:
    """Shortest digits D and exponent X with D * 10^X reading back as the positive finite
    ``v``, or None when Grisu3 cannot guarantee them."""
    bits = struct.unpack("<Q", struct.pack("<d", v))[0]
    raw_exp = bits >> FRACT_BITS
    fract = bits & (HIDDEN - 1)
    f, e = (fract, 1 - EXP_BIAS) if raw_exp == 0 else (fract + HIDDEN, raw_exp - EXP_BIAS)
    wf, we = _normalize(f, e)
    plus_f, plus_e = _normalize((f << 1) + 1, e - 1)
    if fract == 0 and raw_exp != 0:  # the lower neighbour is closer: half the gap
        minus_f, minus_e = (f << 2) - 1, e - 2
    else:
        minus_f, minus_e = (f << 1) - 1, e - 1
    minus_f <<= minus_e - plus_e
    cf, ce, d = _power_for(we)
    w, scaled_e = _times(wf, we, cf, ce)
    low, _ = _times(minus_f, plus_e, cf, ce)
    high, _ = _times(plus_f, plus_e, cf, ce)
    found = _digits(low, w, high, scaled_e)
    if found is None:
        return None
    digits, kappa = found
    return "".join(map(str, digits)), kappa - d


def _fallback(v: float) -> str:
    """C's ``%.17g`` (``%.16e`` from 2^53 up) made Erlang-like: a point with a digit after
    it before any exponent, which loses its ``+`` and leading zeros."""
    text = ("%.16e" if v >= TWO_53 else "%.17g") % v
    mantissa, e, exp = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    if not e:
        return mantissa
    sign = "-" if exp.startswith("-") else ""
    return f"{mantissa}e{sign}{int(exp.lstrip('+-'))}"


def _place_point(digits: str, exp: int, force_scientific: bool) -> str:
    """Write ``digits`` * 10^``exp`` with AtomVM's choice of notation."""
    n = len(digits)
    if exp < 0 and not force_scientific:
        if n + exp > 0:
            return digits[:n + exp] + "." + digits[n + exp:]
        if n + exp >= -3:
            return "0." + "0" * -(n + exp) + digits
    if exp < 0 or exp > 2 or force_scientific:
        return f"{digits[0]}.{digits[1:] or '0'}e{exp + n - 1}"
    return digits + "0" * exp + ".0"


def short_text(f: float) -> str:
    """``float_to_list(F, [short])`` on AtomVM with 64-bit doubles."""
    sign = "-" if math.copysign(1.0, f) < 0 else ""
    v = abs(f)
    if v == 0.0:
        return sign + "0.0"
    found = grisu3(v)
    if found is None:
        return sign + _fallback(v)
    return sign + _place_point(*found, v >= TWO_53)
