"""The ``binary`` module natively: parts, searching, splitting, replacing, hex and unsigned
encodings. All failures are ``badarg``, as in OTP."""
from __future__ import annotations

from typing import Any

from ..errors import badarg
from ..natives import native
from ..term_size import sub_binary_words
from ..terms import NIL, BitStr, Cons, atom, from_list
from ._util import (bytes_list, cells, charge_results, first_arg, fresh_bytes, iolist_bytes, list_cells,
                    list_items, need_binary, new_binary, new_number, slice_of, sliced)

NOMATCH = atom("nomatch")
GLOBAL = atom("global")
TRIM = atom("trim")
TRIM_ALL = atom("trim_all")
SCOPE = atom("scope")
INSERT_REPLACED = atom("insert_replaced")
BIG = atom("big")
LITTLE = atom("little")
UPPERCASE = atom("uppercase")
LOWERCASE = atom("lowercase")


def _range(size: int, pos: Any, length: Any) -> tuple[int, int]:
    """Validate a (Pos, Len) part of a ``size``-byte binary; negative Len counts back."""
    if pos.__class__ is not int or length.__class__ is not int:
        raise badarg()
    if length < 0:
        pos, length = pos + length, -length
    if pos < 0 or pos + length > size:
        raise badarg()
    return pos, length


def _pos_len(size: int, pl: Any) -> tuple[int, int]:
    if pl.__class__ is not tuple or len(pl) != 2:
        raise badarg()
    return _range(size, pl[0], pl[1])


@native("binary", "at", 2)
def at(ctx, b, pos):
    data = need_binary(b)
    if pos.__class__ is not int or not 0 <= pos < len(data):
        raise badarg()
    return data[pos]


@native("binary", "first", 1)
def first(ctx, b):
    data = need_binary(b)
    if not data:
        raise badarg()
    return data[0]


@native("binary", "last", 1)
def last(ctx, b):
    data = need_binary(b)
    if not data:
        raise badarg()
    return data[-1]


@native("binary", "part", 2)
def part2(ctx, b, pl):
    data = need_binary(b)
    p, n = _pos_len(len(data), pl)
    return slice_of(ctx, data, p, p + n)


@native("binary", "part", 3)
def part3(ctx, b, pos, length):
    data = need_binary(b)
    p, n = _range(len(data), pos, length)
    return slice_of(ctx, data, p, p + n)


@native("binary", "bin_to_list", 1)
def bin_to_list1(ctx, b):
    return bytes_list(need_binary(b))


@native("binary", "bin_to_list", 2)
def bin_to_list2(ctx, b, pl):
    return bytes_list(part2(ctx, b, pl))


@native("binary", "bin_to_list", 3)
def bin_to_list3(ctx, b, pos, length):
    return bytes_list(part3(ctx, b, pos, length))


@native("binary", "copy", 1)
def copy1(ctx, b):
    """A new binary, never the argument (nifs.c ``nif_binary_copy`` copies: a new refc
    binary for a long one)."""
    return fresh_bytes(need_binary(b))


@native("binary", "copy", 2)
def copy2(ctx, b, n):
    if n.__class__ is not int or n < 0 or (b.__class__ is BitStr and n != 0):
        raise badarg()
    if b.__class__ is BitStr:
        return b""
    return need_binary(b) * n if n != 1 else fresh_bytes(b)


@native("binary", "referenced_byte_size", 1)
def referenced_byte_size(ctx, b):
    if b.__class__ is BitStr:
        return len(b.data)
    return len(need_binary(b))


@native("binary", "list_to_bin", 1)
def list_to_bin(ctx, t):
    if t is not NIL and t.__class__ is not Cons:
        raise badarg()
    return iolist_bytes(t)


_HEX = {c: int(chr(c), 16) for c in b"0123456789abcdefABCDEF"}


@native("binary", "decode_hex", 1)
def decode_hex(ctx, b):
    data = need_binary(b)
    if len(data) % 2 or any(c not in _HEX for c in data):
        raise badarg()
    return bytes.fromhex(data.decode("ascii"))


@native("binary", "encode_hex", 1)
def encode_hex1(ctx, b):
    return need_binary(b).hex().upper().encode()


@native("binary", "encode_hex", 2)
def encode_hex2(ctx, b, case):
    data = need_binary(b)
    if case is UPPERCASE:
        return data.hex().upper().encode()
    if case is LOWERCASE:
        return data.hex().encode()
    raise badarg()


def _endian(e: Any) -> str:
    if e is BIG:
        return "big"
    if e is LITTLE:
        return "little"
    raise badarg()


@native("binary", "decode_unsigned", 1)
def decode_unsigned1(ctx, b):
    return int.from_bytes(need_binary(b), "big")


@native("binary", "decode_unsigned", 2)
def decode_unsigned2(ctx, b, e):
    return int.from_bytes(need_binary(b), _endian(e))


@native("binary", "encode_unsigned", 1)
def encode_unsigned1(ctx, n):
    return encode_unsigned2(ctx, n, BIG)


@native("binary", "encode_unsigned", 2)
def encode_unsigned2(ctx, n, e):
    if n.__class__ is not int or n < 0:
        raise badarg()
    return n.to_bytes(max(1, (n.bit_length() + 7) // 8), _endian(e))


def _common_affix(t: Any, suffix: bool) -> int:
    bins = list_items(t)
    if not bins or any(x.__class__ is not bytes for x in bins):
        raise badarg()
    n = min(len(x) for x in bins)
    i = 0
    while i < n:
        c = bins[0][-1 - i] if suffix else bins[0][i]
        if any((x[-1 - i] if suffix else x[i]) != c for x in bins):
            break
        i += 1
    return i


@native("binary", "longest_common_prefix", 1)
def longest_common_prefix(ctx, t):
    return _common_affix(t, False)


@native("binary", "longest_common_suffix", 1)
def longest_common_suffix(ctx, t):
    return _common_affix(t, True)


# ----------------------------------------------------------------------------- searching

def _patterns(p: Any) -> list[bytes]:
    if p.__class__ is bytes:
        pats = [p]
    elif p.__class__ is Cons:
        pats = list_items(p)
    else:
        raise badarg()
    if not pats or any(x.__class__ is not bytes or not x for x in pats):
        raise badarg()
    return pats


def _find_all(data: bytes, pats: list[bytes], start: int, end: int,
              first_only: bool) -> list[tuple[int, int]]:
    """Non-overlapping matches in ``data[start:end]``: leftmost, then longest."""
    found = []
    pos = start
    while pos < end:
        best = None
        for p in pats:
            i = data.find(p, pos, end)
            if i >= 0 and (best is None or i < best[0] or (i == best[0] and len(p) > best[1])):
                best = (i, len(p))
        if best is None:
            break
        found.append(best)
        if first_only:
            break
        pos = best[0] + best[1]
    return found


def _scope(data: bytes, opt: Any) -> tuple[int, int]:
    if opt.__class__ is not tuple or len(opt) != 2 or opt[0] is not SCOPE:
        raise badarg()
    p, n = _pos_len(len(data), opt[1])
    return p, p + n


def _option_items(opts: Any) -> list[Any]:
    """The options of a list, ignoring an improper tail after them as AtomVM (nifs.c
    ``nif_binary_split`` / ``get_binary_scope_slice``, like BEAM): ``[global | foo]`` is
    ``[global]``; a non-list is badarg."""
    if opts is not NIL and opts.__class__ is not Cons:
        raise badarg()
    out = []
    while opts.__class__ is Cons:
        out.append(opts.hd)
        opts = opts.tl
    return out


def _match_opts(data: bytes, opts: Any) -> tuple[int, int]:
    start, end = 0, len(data)
    for o in _option_items(opts):
        start, end = _scope(data, o)
    return start, end


@native("binary", "match", 2)
def match2(ctx, b, p):
    return match3(ctx, b, p, NIL)


@native("binary", "match", 3)
def match3(ctx, b, p, opts):
    data = need_binary(b)
    pats = _patterns(p)
    start, end = _match_opts(data, opts)
    found = _find_all(data, pats, start, end, True)
    return found[0] if found else NOMATCH


@native("binary", "matches", 2)
def matches2(ctx, b, p):
    return matches3(ctx, b, p, NIL)


@native("binary", "matches", 3)
def matches3(ctx, b, p, opts):
    data = need_binary(b)
    pats = _patterns(p)
    start, end = _match_opts(data, opts)
    return from_list(_find_all(data, pats, start, end, False))


@native("binary", "split", 2)
def split2(ctx, b, p):
    return split3(ctx, b, p, NIL)


@native("binary", "split", 3)
def split3(ctx, b, p, opts):
    data = need_binary(b)
    pats = _patterns(p)
    start, end = 0, len(data)
    glob = trim = trim_all = False
    for o in _option_items(opts):
        if o is GLOBAL:
            glob = True
        elif o is TRIM:
            trim = True
        elif o is TRIM_ALL:
            trim_all = True
        else:
            start, end = _scope(data, o)
    parts = []
    pos = 0
    for i, n in _find_all(data, pats, start, end, not glob):
        parts.append(slice_of(ctx, data, pos, i))
        pos = i + n
    parts.append(slice_of(ctx, data, pos, len(data)))
    if trim_all:
        parts = [x for x in parts if x]
    elif trim:
        while parts and not parts[-1]:
            parts.pop()
    return from_list(parts)


@native("binary", "replace", 3)
def replace3(ctx, b, p, r):
    return replace4(ctx, b, p, r, NIL)


@native("binary", "replace", 4)
def replace4(ctx, b, p, r, opts):
    data = need_binary(b)
    pats = _patterns(p)
    repl = need_binary(r)
    start, end = 0, len(data)
    glob = False
    insert: list[int] = []
    for o in list_items(opts):
        if o is GLOBAL:
            glob = True
        elif o.__class__ is tuple and len(o) == 2 and o[0] is INSERT_REPLACED:
            ins = o[1]
            insert = [ins] if ins.__class__ is int else list_items(ins)
            if any(i.__class__ is not int or not 0 <= i <= len(repl) for i in insert):
                raise badarg()
        else:
            start, end = _scope(data, o)
    out = bytearray()
    pos = 0
    for i, n in _find_all(data, pats, start, end, not glob):
        out += data[pos:i]
        matched = data[i:i + n]
        if insert:
            # insert the matched part at each given offset of the replacement
            prev = 0
            for k in sorted(insert):
                out += repl[prev:k] + matched
                prev = k
            out += repl[prev:]
        else:
            out += repl
        pos = i + n
    out += data[pos:]
    return bytes(out)


def _slice_words(source: bytes, part: bytes, layout: Any) -> int:
    """A slice of ``source``: a 4-word sub-binary of a refc binary when long enough, else a
    copy (term.h ``term_maybe_create_sub_binary``)."""
    return sub_binary_words(len(part), len(source) >= layout.refc_threshold_bytes, layout)


def _part_words(result: Any, args: tuple, layout: Any) -> int:
    return _slice_words(args[0], result, layout)


def _split_words(result: Any, args: tuple, layout: Any) -> int:
    """The list's cells and a slice per part; with no match the part is the argument
    itself, in its one cell (nifs.c ``nif_binary_split``: ``LIST_SIZE(1, 0)``)."""
    words = list_cells(result)
    t = result
    while t.__class__ is Cons:
        if t.hd is not args[0]:
            words += _slice_words(args[0], t.hd, layout)
        t = t.tl
    return words


def _found_words(result: Any, args: tuple, layout: Any) -> int:
    """``{Pos, Len}`` tuples: one for match, a list of them for matches."""
    if result.__class__ is tuple:
        return 3
    return list_cells(result) // 2 * 5


def _leading_args(n: int):
    """A NIF that keeps its first ``n`` arguments (``n, argv``), options apart."""
    return lambda args: args[:n]


charge_results("binary", {
    ("part", 2): _part_words, ("part", 3): _part_words, ("bin_to_list", 1): cells,
    ("bin_to_list", 2): cells, ("bin_to_list", 3): cells, ("copy", 1): new_binary,
    ("copy", 2): new_binary, ("list_to_bin", 1): new_binary, ("decode_hex", 1): new_binary,
    ("encode_hex", 1): new_binary, ("encode_hex", 2): new_binary,
    ("decode_unsigned", 1): new_number, ("decode_unsigned", 2): new_number,
    ("encode_unsigned", 1): new_binary, ("encode_unsigned", 2): new_binary,
    ("match", 2): _found_words, ("match", 3): _found_words, ("matches", 2): _found_words,
    ("matches", 3): _found_words, ("split", 2): _split_words, ("split", 3): _split_words,
    ("replace", 3): new_binary, ("replace", 4): new_binary,
}, binaries={
    ("part", 2): sliced, ("part", 3): sliced, ("split", 2): sliced, ("split", 3): sliced,
}, roots={  # nifs.c: the arguments each keeps across its memory_ensure_free_with_roots
    ("copy", 1): first_arg, ("copy", 2): first_arg, ("part", 3): first_arg,
    ("split", 2): _leading_args(2), ("split", 3): _leading_args(2),
    ("replace", 3): _leading_args(3), ("replace", 4): _leading_args(3),
})
