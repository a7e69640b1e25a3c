"""NIF resources: the opaque states AtomVM's NIFs hand to Erlang (``enif_alloc_resource``).

On AtomVM such a term is a reference that carries a pointer to a C object (``is_reference``
is true, it prints as a reference and takes ``TERM_BOXED_REFERENCE_RESOURCE_SIZE`` words).
avmsim has no such term: a resource is a plain reference whose id this module maps to the
Python object behind it, one table per VM (a reboot starts with none). ``lookup`` checks the
object's class, as ``enif_get_resource`` checks the resource type: a hash state handed to a
MAC function is not found.
"""
from __future__ import annotations

import weakref
from typing import Any, TypeVar

from ..term_size import RESOURCE_REF_WORDS
from ..terms import Ref

T = TypeVar("T")

_TABLES: "weakref.WeakKeyDictionary[Any, dict[int, Any]]" = weakref.WeakKeyDictionary()
_TYPE_NUMBERS: "weakref.WeakKeyDictionary[Any, dict[type, int]]" = weakref.WeakKeyDictionary()
_WORD = 0xFFFFFFFF


def new_resource(vm: Any, obj: Any) -> Ref:
    """A new resource term standing for ``obj``."""
    ref = vm.new_ref()
    _TABLES.setdefault(vm, {})[ref.id] = obj
    return ref


def lookup(vm: Any, term: Any, cls: type[T]) -> T | None:
    """The ``cls`` object behind resource ``term``; None when ``term`` is not one."""
    if term.__class__ is not Ref:
        return None
    obj = _TABLES.get(vm, {}).get(term.id)
    return obj if isinstance(obj, cls) else None


class ResourceCodec:
    """The :class:`~..ext_term.Resources` of one VM for term_to_binary/binary_to_term.

    AtomVM's words are the resource type's address and the resource's serialisation key;
    here the type is numbered by the Python class behind the resource (1, 2… in the order
    first encoded, per VM) and the key is the reference's id."""

    def __init__(self, vm: Any) -> None:
        self.vm = vm
        self.types: dict[type, int] = _TYPE_NUMBERS.setdefault(vm, {})

    def words(self, ref: Ref) -> tuple[int, int, int, int] | None:
        obj = _TABLES.get(self.vm, {}).get(ref.id)
        if obj is None:
            return None
        number = self.types.setdefault(obj.__class__, len(self.types) + 1)
        return (number >> 32, number & _WORD, ref.id >> 32 & _WORD, ref.id & _WORD)

    def find(self, words: tuple[int, ...]) -> Ref:
        number, key = words[0] << 32 | words[1], words[2] << 32 | words[3]
        obj = _TABLES.get(self.vm, {}).get(key)
        if obj is not None and self.types.get(obj.__class__) == number:
            return Ref(key)
        return self.vm.new_ref()   # a stale resource: a new reference (term.c)


def resource_words(result: Any, args: tuple, layout: Any) -> int:
    """Heap words of a NIF result that is a new resource term."""
    return RESOURCE_REF_WORDS if result.__class__ is Ref else 0
