"""Stack traces as AtomVM builds them (``stacktrace.c``), not as OTP does.

AtomVM does not keep OTP's precise trace; it reads the process stack when the exception is
raised, and apps that print or match ``S`` in ``catch C:R:S`` see exactly that:

- the first frame is where the error was raised: the current function with the line in effect;
  a NIF that fails in a non-tail ``call_ext`` replaces it with ``{M, F, Arity, []}`` (BIFs do
  not: their error belongs to the caller); a ``func_info`` (``function_clause``) names the
  function with its arguments and its head's line;
- then, walking the stack from the top, every saved return address *and every catch tag*
  is a frame (so a function inside a ``try`` appears twice: once for its handler, once for
  where it returns), skipping an entry equal to the one just before it (recursion through the
  same call site shows once) and the return address of the process's first call;
- a function that has not allocated a frame leaves no return address on the stack: its caller
  is missing (tail calls, ``apply_last``, leaf functions), as on the device;
- ``undef`` names no missing function: the frame is the caller's.
"""
from __future__ import annotations

from typing import Any

from .errors import ErlangError
from .runtime import CatchTag
from .terms import NIL, Atom, atom, from_list, from_str

A_FILE = atom("file")
A_LINE = atom("line")

ATOMVM_BIFS = frozenset(
    ("erlang", name, arity) for name, arity in (
        ("self", 0), ("node", 0), ("node", 1), ("length", 1), ("byte_size", 1),
        ("bit_size", 1), ("binary_part", 3), ("get", 1), ("is_atom", 1), ("is_bitstring", 1),
        ("is_binary", 1), ("is_boolean", 1), ("is_float", 1), ("is_function", 1),
        ("is_function", 2), ("is_integer", 1), ("is_integer", 3), ("is_list", 1),
        ("is_number", 1), ("is_pid", 1), ("is_port", 1), ("is_reference", 1), ("is_tuple", 1),
        ("is_record", 2), ("is_map", 1), ("is_map_key", 2), ("not", 1), ("and", 2), ("or", 2),
        ("xor", 2), ("==", 2), ("/=", 2), ("=:=", 2), ("=/=", 2), (">", 2), ("<", 2),
        ("=<", 2), (">=", 2), ("+", 2), ("-", 2), ("*", 2), ("/", 2), ("div", 2), ("rem", 2),
        ("-", 1), ("+", 1), ("abs", 1), ("ceil", 1), ("floor", 1), ("round", 1), ("trunc", 1),
        ("float", 1), ("bor", 2), ("band", 2), ("bxor", 2), ("bsl", 2), ("bsr", 2),
        ("bnot", 1), ("hd", 1), ("tl", 1), ("element", 2), ("tuple_size", 1), ("map_size", 1),
        ("map_get", 2), ("unique_integer", 0), ("unique_integer", 1), ("min", 2), ("max", 2),
        ("size", 1), ("list_to_atom", 1), ("list_to_existing_atom", 1), ("binary_to_atom", 2),
        ("binary_to_existing_atom", 2)))
"""AtomVM's BIF table (``bifs.gperf``): called through ``call_ext`` they add no frame of their
own, unlike the NIFs (``nifs.gperf`` and the platform's), whose failing call does."""


def build(vm: Any, c: Any, e: ErlangError, pc: int) -> Any:
    """The stack trace term of exception ``e`` raised in block ``pc`` of process ``c``."""
    entries = [_raising_frame(vm, e, pc)]
    entries += _stack_frames(vm, c)
    return from_list([entry for entry in entries if entry is not None])


def _raising_frame(vm: Any, e: ErlangError, pc: int) -> tuple | None:
    """The first frame: where the exception was raised."""
    info = vm.block_info[pc] if pc < len(vm.block_info) else None
    if info is None:
        return None
    module, py_line = _failing_py_line(vm, e)
    line_ref = module.py_line_refs[py_line - 1] if module is info.module else info.line_ref
    native = module.native_calls.get(py_line) if module is info.module else None
    if native is not None and (native[0].name, native[1].name, native[2]) not in ATOMVM_BIFS:
        m, f, arity = native  # a NIF called at this line failed: it names itself
        return (m, f, e.call_args[2] if e.call_args is not None else arity, NIL)
    if e.call_args is not None and native is None:
        m, f, args = e.call_args
        if m is info.module.name and f is info.function:  # its func_info: function_clause
            own = (m.name, f.name, info.arity) not in vm.natives
            return (m, f, args, _location(info.module, line_ref) if own else NIL)
    return _frame(info.module, info.function, info.arity, line_ref)


def _stack_frames(vm: Any, c: Any) -> list[tuple]:
    """A frame for each catch tag and saved return address, from the top of the stack down.

    An entry equal to the one just before is skipped. A return address is never equal to a
    catch label even when the handler follows the call at once (AtomVM's label offsets point
    past the label instruction), hence the kind in the key."""
    entries = []
    previous = None
    for frame in c.frames():
        for slot in frame[:-3]:
            if slot.__class__ is CatchTag:
                previous = _add_frame(vm, entries, previous, ("catch", slot.block))
        cp = frame[-3]
        if cp.__class__ is int and vm.block_info[cp] is not None:
            previous = _add_frame(vm, entries, previous, ("cp", cp))
    return entries


def _add_frame(vm: Any, entries: list, previous: tuple | None, key: tuple) -> tuple:
    if key != previous:
        info = vm.block_info[key[1]]
        entries.append(_frame(info.module, info.function, info.arity, info.line_ref))
    return key


def _frame(module: Any, function: Atom, arity: int, line_ref: int) -> tuple:
    return (module.name, function, arity, _location(module, line_ref))


def _location(module: Any, line_ref: int) -> Any:
    """``[{file, F}, {line, L}]`` of a ``line`` operand, or ``[]`` when the module has none."""
    loc = module.location(line_ref)
    return NIL if loc is None else from_list([(A_FILE, from_str(loc[0])), (A_LINE, loc[1])])


def _failing_py_line(vm: Any, e: ErlangError) -> tuple[Any, int]:
    """The loaded module and generated-code line that raised ``e`` (innermost one)."""
    tb = e.__traceback__
    found: tuple[Any, int] = (None, 0)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith("<beam:"):
            module = vm.modules.get(atom(name[6:-1]))
            if module is not None and 0 < tb.tb_lineno <= len(module.py_line_refs):
                found = (module, tb.tb_lineno)
        tb = tb.tb_next
    return found
