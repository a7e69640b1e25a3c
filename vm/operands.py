"""Decoded instruction operands: what the BEAM loader hands to the code generator.

The compact term encoding of the Code chunk decodes into these (see ``beam_file``):

===========================  ===============================================
compact tag                  operand
===========================  ===============================================
u (literal unsigned)         plain ``int``
i (integer)                  ``Const(int)``
a (atom; index 0 is nil)     ``Const(Atom)`` or ``Const(NIL)``
x, y                         ``X(n)``, ``Y(n)``
f (label; 0 = no label)      ``Label(n)``
z1 extended list             ``list`` of operands
z2 float register            ``FR(n)``
z3 allocation list           ``Alloc(words, floats, funs)``
z4 extended literal          ``Const(term)`` (term from the literal table)
z5 typed register            ``X(n)`` / ``Y(n)`` with ``type_index`` set
===========================  ===============================================
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class X:
    n: int
    type_index: int = -1


@dataclass(frozen=True, slots=True)
class Y:
    n: int
    type_index: int = -1


@dataclass(frozen=True, slots=True)
class FR:
    n: int


@dataclass(frozen=True, slots=True)
class Label:
    n: int


@dataclass(frozen=True, slots=True)
class Const:
    """A constant term: small/big integer, atom, nil or a literal-table term."""
    term: Any


@dataclass(frozen=True, slots=True)
class UndecodableLiteral:
    """The term of a ``Const`` whose literal AtomVM cannot decode (an integer wider than 256
    bits, a bitstring that is not whole bytes, or a term holding one). AtomVM decodes a literal when an instruction uses it (module.c
    ``module_load_literal``), so the module loads and each use raises
    ``error:out_of_memory`` (opcodesswitch.h, an invalid term from the decoder)."""
    index: int


@dataclass(frozen=True, slots=True)
class Alloc:
    """An allocation list: heap words, float words and fun words to reserve."""
    words: int
    floats: int = 0
    funs: int = 0


@dataclass(frozen=True, slots=True)
class Instr:
    """One decoded instruction: its genop name, number and operands."""
    name: str
    opcode: int
    args: tuple
