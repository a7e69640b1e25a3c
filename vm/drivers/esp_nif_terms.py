"""Terms AtomVM's ESP32 peripheral NIFs (ledc, esp_adc, esp_dac) share.

- Integers: the NIFs accept only immediate (small) integers (``VALIDATE_VALUE(t,
  term_is_integer)`` is true for immediates only) and hand them to ESP-IDF's ``uint32_t``
  parameters, so a negative value arrives as a large one (:func:`u32`).
- Proplists: ``interop_proplist_get_value`` takes the *first* ``{Key, Value}`` (a bare atom
  ``Key`` means ``true``), ignores an improper tail and answers ``[]`` when the key is missing
  (``avmsim.vm.nifs._util.proplist_value``); ``vm.ports.proplist`` keeps the last and
  refuses improper lists.
- Resources: ``{'$adc', Resource, Ref}`` / ``{'$dac', Resource, Ref}``, whose middle element is
  a NIF resource in AtomVM. avmsim has no resource term: it is a reference whose id this
  module maps to the driver's object, one table per VM (a reboot starts with none).
- :func:`platform_blocks`: the model of a block, ``undef`` off the ESP32 platform (AtomVM has
  no such module there) and ``error:undefined`` on an ESP32 chip without the block (the
  module's stub, ``erlang:nif_error(undefined)``, runs).
"""
from __future__ import annotations

import weakref
from typing import Any

from ..errors import ErlangError, badarg
from ..term_size import RESOURCE_REF_WORDS
from ..terms import ERROR, OK, Atom, Ref, atom

A_ESP32 = atom("esp32")
A_BADARG = atom("badarg")
A_UNDEF = atom("undef")
A_UNDEFINED = atom("undefined")
U32 = 0xFFFFFFFF

_TABLES: "weakref.WeakKeyDictionary[Any, dict[int, Any]]" = weakref.WeakKeyDictionary()


def block_of(vm: Any, name: str) -> Any:
    """The board's model ``name`` (``vm.devices.<name>``), or the error AtomVM gives."""
    devices = vm.devices
    if vm.platform is not A_ESP32 or devices is None:
        raise ErlangError(ERROR, A_UNDEF)
    model = getattr(devices, name, None)
    if model is None:
        raise ErlangError(ERROR, A_UNDEFINED)
    return model


def small_int(vm: Any, t: Any) -> int:
    """``t`` if it is an immediate integer of this VM, else ``badarg``."""
    if t.__class__ is not int or not vm.layout.small_min <= t <= vm.layout.small_max:
        raise badarg()
    return t


def u32(vm: Any, t: Any) -> int:
    """An immediate integer as ESP-IDF's ``uint32_t`` parameter receives it."""
    return small_int(vm, t) & U32


def new_resource(vm: Any, tag: Atom, obj: Any) -> tuple:
    """``{Tag, Resource, Ref}`` for ``obj``."""
    resource = vm.new_ref()
    _TABLES.setdefault(vm, {})[resource.id] = obj
    return (tag, resource, vm.new_ref())


def resource(vm: Any, tag: Atom, term: Any, cls: type) -> Any:
    """The ``cls`` object behind a ``{Tag, Resource, Ref}`` term, None when it is not one."""
    if (term.__class__ is not tuple or len(term) != 3 or term[0] is not tag
            or term[1].__class__ is not Ref or term[2].__class__ is not Ref):
        return None
    obj = _TABLES.get(vm, {}).get(term[1].id)
    return obj if isinstance(obj, cls) else None


def error_tuple(reason: Any) -> tuple:
    return (ERROR, reason)


def ok_resource_words(result: Any, args: tuple, layout: Any) -> int:
    """``{ok, {Tag, Resource, Ref}}``: two tuples, a reference and a resource reference;
    ``{error, Reason}`` is one tuple."""
    if result.__class__ is not tuple:
        return 0
    if result[0] is OK:
        return 3 + 4 + layout.ref_words + RESOURCE_REF_WORDS
    return 3


def tuple_words(result: Any, args: tuple, layout: Any) -> int:
    """A result that is a flat tuple (``{error, Reason}``) or an atom."""
    return len(result) + 1 if result.__class__ is tuple else 0
