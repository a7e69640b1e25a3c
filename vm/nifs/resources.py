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


def resource_words(result: Any, args: tuple, layout: Any) -> int:
    """Heap words of a NIF result that is a new resource term."""
    return RESOURCE_REF_WORDS if result.__class__ is Ref else 0
