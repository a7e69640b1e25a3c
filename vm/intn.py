"""Where AtomVM's bitwise operators on big integers differ from exact arithmetic.

bif.c hands ``band``/``bor``/``bxor``/``bnot`` operands beyond int64 to intn.c, which works
in two's complement over W = 32 × (the longer operand's digit count) bits and keeps the sign
apart (``prepare_working_buf``, ``signed_bitwise``, ``cond_neg``). Every result fits in W
bits plus that sign, except one: -2^W, whose W low bits are all zero, so intn returns 0
(``-1 bxor (1 bsl 256 - 1)`` is 0 on AtomVM, ``-(1 bsl 256)`` on OTP). The digit count is
the operand's storage, not its value: an int64-range operand is converted to two digits, a
bigint brings the digits ``term_bigint_size_requirements`` stored (whole 8-byte units, more
words than an int64 takes), so ``-1 bxor (1 bsl 128 - 1)`` is 0 as well.
"""
from __future__ import annotations

from .term_size import BIGINT_DIGIT_BYTES, WordLayout, bigint_words

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
DIGIT_BITS = 8 * BIGINT_DIGIT_BYTES


def digit_bits(n: int, layout: WordLayout) -> int:
    """Bits of the digits intn reads for the integer ``n`` (64 for an int64-range value)."""
    if INT64_MIN <= n <= INT64_MAX:
        return 2 * DIGIT_BITS
    data_words = bigint_words(n, layout) - 1
    return data_words * layout.word_bytes * 8


def bitwise_result(layout: WordLayout, r: int, *operands: int) -> int:
    """AtomVM's value for the exact result ``r`` of a bitwise operator on ``operands``."""
    if r >= INT64_MIN:  # only a result below every int64 can be -2^W
        return r
    width = max(digit_bits(n, layout) for n in operands)
    return 0 if r == -(1 << width) else r
