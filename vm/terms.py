"""Erlang terms as Python objects.

The representation is chosen for the speed of the hot paths (the generated code tests
types with ``x.__class__ is Cons`` and compares atoms by identity):

=================  ===============================================================
Erlang             Python
=================  ===============================================================
integer            ``int`` (small and big alike; ``bool`` is never used as a term)
float              ``float``
atom               :class:`Atom`, interned: one object per name, compare with ``is``
tuple              ``tuple``
[] (nil)           :data:`NIL`, the only :class:`Nil`
cons cell          :class:`Cons` (``hd``, ``tl``)
binary             ``bytes`` (whole bytes)
bitstring          :class:`BitStr` (a bit count that is not a multiple of 8)
map                :class:`Map`
fun                :class:`Fun` (local closure) or :class:`ExtFun` (``fun M:F/A``)
pid, port, ref     :class:`Pid`, :class:`Port`, :class:`Ref` (this node's)
remote pid, …      :class:`ExtPid`, :class:`ExtPort`, :class:`ExtRef` (another node's)
=================  ===============================================================

Only ``int``, ``float``, ``bytes`` and ``tuple`` are Python built-ins; everything else is a
class of this module, so ``type(t)`` tells the Erlang type in one look-up.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator


class Atom:
    """An interned atom. Create with :func:`atom`; never instantiate directly."""

    __slots__ = ("name", "index")

    def __init__(self, name: str, index: int) -> None:
        self.name = name
        self.index = index

    def __repr__(self) -> str:
        return f"Atom({self.name!r})"

    def __reduce__(self):
        return (atom, (self.name,))


ATOMS: dict[str, Atom] = {}
"""The global atom table: name -> Atom. Atom indexes are assigned in creation order."""


def atom(name: str) -> Atom:
    """Return the unique atom called ``name``, creating it on first use."""
    a = ATOMS.get(name)
    if a is None:
        a = Atom(name, len(ATOMS))
        ATOMS[name] = a
    return a


FALSE = atom("false")  # atom index 0 and true 1, as in AtomVM's table (a node's pids print it)
TRUE = atom("true")
OK = atom("ok")
UNDEFINED = atom("undefined")
ERROR = atom("error")
EXIT = atom("exit")
THROW = atom("throw")


class Nil:
    """The empty list. There is exactly one instance, :data:`NIL`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NIL"

    def __reduce__(self):
        return (_nil, ())


def _nil() -> "Nil":
    return NIL


NIL = Nil()


class Cons:
    """A list cell. Long lists are chains of cells; walk them iteratively, never recurse.

    ``w``, None until the heap model's collector measures the cell, caches the words of the
    list from this cell on (cells are immutable, so the figure stays true): a GC then walks
    only the cells built since the previous one. (It is set here, not left unset, because
    reading an unset slot is an exception, which costs more than this store.)"""

    __slots__ = ("hd", "tl", "w")

    def __init__(self, hd: Any, tl: Any) -> None:
        self.hd = hd
        self.tl = tl
        self.w = None

    def __repr__(self) -> str:
        items, tail = [], self
        while tail.__class__ is Cons and len(items) < 20:
            items.append(repr(tail.hd))
            tail = tail.tl
        more = "" if tail is NIL else f" | {tail!r}"
        return f"[{', '.join(items)}{more}]"


class BitStr:
    """A bitstring whose length is not a whole number of bytes.

    ``data`` holds ``ceil(bits / 8)`` bytes; the unused low bits of the last byte are zero.
    Whole-byte binaries are always plain ``bytes``: use :func:`make_bits` to build either.
    """

    __slots__ = ("data", "bits")

    def __init__(self, data: bytes, bits: int) -> None:
        self.data = data
        self.bits = bits

    def __repr__(self) -> str:
        return f"BitStr({self.data!r}, {self.bits})"


def make_bits(data: bytes, bits: int) -> "bytes | BitStr":
    """Canonical bitstring term for ``bits`` bits held in ``data`` (extra bits cleared)."""
    if bits & 7 == 0:
        n = bits >> 3
        return data if len(data) == n else bytes(data[:n])
    n = (bits + 7) >> 3
    raw = bytearray(data[:n])
    raw[-1] &= (0xFF << (8 - (bits & 7))) & 0xFF
    return BitStr(bytes(raw), bits)


def bit_size(t: Any) -> int:
    """Bit size of a binary or bitstring term."""
    if t.__class__ is bytes:
        return len(t) << 3
    return t.bits


class Pid:
    """A local process identifier, printed ``<0.N.0>``."""

    __slots__ = ("id",)

    def __init__(self, pid_id: int) -> None:
        self.id = pid_id

    def __eq__(self, other: object) -> bool:
        return other.__class__ is Pid and other.id == self.id

    def __hash__(self) -> int:
        return hash(("pid", self.id))

    def __repr__(self) -> str:
        return f"<0.{self.id}.0>"


class Port:
    """A local port identifier, printed ``#Port<0.N>``."""

    __slots__ = ("id",)

    def __init__(self, port_id: int) -> None:
        self.id = port_id

    def __eq__(self, other: object) -> bool:
        return other.__class__ is Port and other.id == self.id

    def __hash__(self) -> int:
        return hash(("port", self.id))

    def __repr__(self) -> str:
        return f"#Port<0.{self.id}>"


class Ref:
    """A reference, printed as AtomVM's term.c does: ``#Ref<0.Hi.Lo>`` (its 64-bit ticks)."""

    __slots__ = ("id",)

    def __init__(self, ref_id: int) -> None:
        self.id = ref_id

    def __eq__(self, other: object) -> bool:
        return other.__class__ is Ref and other.id == self.id

    def __hash__(self) -> int:
        return hash(("ref", self.id))

    def __repr__(self) -> str:
        return f"#Ref<0.{self.id >> 32}.{self.id & 0xFFFFFFFF}>"


class ExtPid:
    """A process identifier of another node (``NEW_PID_EXT``), printed ``<N.Number.Serial>``
    as AtomVM's term.c does, N being the node atom's index in the atom table."""

    __slots__ = ("node", "number", "serial", "creation")

    def __init__(self, node: Atom, number: int, serial: int, creation: int) -> None:
        self.node = node
        self.number = number
        self.serial = serial
        self.creation = creation

    def __eq__(self, other: object) -> bool:
        return (other.__class__ is ExtPid and other.node is self.node
                and other.number == self.number and other.serial == self.serial
                and other.creation == self.creation)

    def __hash__(self) -> int:
        return hash(("extpid", self.node.name, self.number, self.serial, self.creation))

    def __repr__(self) -> str:
        return f"<{self.node.index}.{self.number}.{self.serial}>"


class ExtPort:
    """A port identifier of another node (``V4_PORT_EXT``), printed ``#Port<N.Number>``."""

    __slots__ = ("node", "number", "creation")

    def __init__(self, node: Atom, number: int, creation: int) -> None:
        self.node = node
        self.number = number
        self.creation = creation

    def __eq__(self, other: object) -> bool:
        return (other.__class__ is ExtPort and other.node is self.node
                and other.number == self.number and other.creation == self.creation)

    def __hash__(self) -> int:
        return hash(("extport", self.node.name, self.number, self.creation))

    def __repr__(self) -> str:
        return f"#Port<{self.node.index}.{self.number}>"


class ExtRef:
    """A reference made by another node (``NEWER_REFERENCE_EXT``): its 32-bit id words in wire
    order (``words[0]`` first), printed ``#Ref<N.w[-1]…w[0]>`` as AtomVM's term.c does."""

    __slots__ = ("node", "words", "creation")

    def __init__(self, node: Atom, words: tuple[int, ...], creation: int) -> None:
        self.node = node
        self.words = words
        self.creation = creation

    def __eq__(self, other: object) -> bool:
        return (other.__class__ is ExtRef and other.node is self.node
                and other.words == self.words and other.creation == self.creation)

    def __hash__(self) -> int:
        return hash(("extref", self.node.name, self.words, self.creation))

    def __repr__(self) -> str:
        return "#Ref<" + ".".join(map(str, (self.node.index, *reversed(self.words)))) + ">"


PID_CLASSES = (Pid, ExtPid)
PORT_CLASSES = (Port, ExtPort)
REF_CLASSES = (Ref, ExtRef)
EXTERNAL_CLASSES = (ExtPid, ExtPort, ExtRef)
"""Classes for ``x.__class__ in …`` tests: local and remote identifiers alike."""


class Fun:
    """A local fun (closure): code entry in a loaded module plus captured free variables.

    ``module`` is the loaded module object (it carries ``name``: Atom and the FunT table),
    ``index`` the FunT index, ``arity`` the number of arguments the caller passes,
    ``free`` the tuple of captured values.
    """

    __slots__ = ("module", "index", "arity", "free")

    def __init__(self, module: Any, index: int, arity: int, free: tuple) -> None:
        self.module = module
        self.index = index
        self.arity = arity
        self.free = free

    def __repr__(self) -> str:
        return f"Fun({self.module.name.name}, {self.index}, {self.arity})"


class ExtFun:
    """An external fun ``fun M:F/A``."""

    __slots__ = ("module", "function", "arity")

    def __init__(self, module: Atom, function: Atom, arity: int) -> None:
        self.module = module
        self.function = function
        self.arity = arity

    def __eq__(self, other: object) -> bool:
        return (other.__class__ is ExtFun and other.module is self.module
                and other.function is self.function and other.arity == self.arity)

    def __hash__(self) -> int:
        return hash((self.module.name, self.function.name, self.arity))

    def __repr__(self) -> str:
        return f"fun {self.module.name}:{self.function.name}/{self.arity}"


class Map:
    """An Erlang map.

    ``d`` maps :func:`map_key` of each key to ``(key, value)``. ``map_key`` makes hashing follow
    Erlang's exact equality (``1`` and ``1.0`` are different keys), which Python's own
    ``1 == 1.0`` would not. Iteration order is Erlang term order of the keys, as AtomVM keeps
    its maps sorted; :meth:`items` sorts on demand and caches the result.
    """

    __slots__ = ("d", "_sorted")

    def __init__(self, d: dict | None = None) -> None:
        self.d = {} if d is None else d
        self._sorted = None

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[Any, Any]]) -> "Map":
        d = {}
        for k, v in pairs:
            d[map_key(k)] = (k, v)
        return cls(d)

    def get(self, key: Any, default: Any = None) -> Any:
        kv = self.d.get(map_key(key))
        return default if kv is None else kv[1]

    def __contains__(self, key: Any) -> bool:
        return map_key(key) in self.d

    def __len__(self) -> int:
        return len(self.d)

    def items(self) -> list[tuple[Any, Any]]:
        """(key, value) pairs in term order of the keys."""
        s = self._sorted
        if s is None:
            from .term_order import map_key_order
            s = sorted(self.d.values(), key=lambda kv: map_key_order(kv[0]))
            self._sorted = s
        return s

    def keys(self) -> list[Any]:
        return [k for k, _ in self.items()]

    def values(self) -> list[Any]:
        return [v for _, v in self.items()]

    def put(self, key: Any, value: Any) -> "Map":
        """A new map with ``key`` set (maps are immutable: never mutate ``d`` in place)."""
        d = dict(self.d)
        d[map_key(key)] = (key, value)
        return Map(d)

    def __repr__(self) -> str:
        return "#{" + ", ".join(f"{k!r} => {v!r}" for k, v in self.items()) + "}"


class _FloatKey:
    """Hash key of a float inside :func:`map_key`: never equal to an integer key."""

    __slots__ = ("f",)

    def __init__(self, f: float) -> None:
        self.f = f

    def __eq__(self, other: object) -> bool:
        return other.__class__ is _FloatKey and other.f == self.f

    def __hash__(self) -> int:
        return hash(self.f) ^ 0x5F5F


_SIMPLE_KEY_TYPES = frozenset((Atom, int, bytes, Pid, Port, Ref, Nil, ExtPid, ExtPort, ExtRef))


def map_key(t: Any) -> Any:
    """Hashable key that is equal for two terms exactly when they are ``=:=``."""
    cls = t.__class__
    if cls in _SIMPLE_KEY_TYPES:
        return t
    if cls is float:
        return _FloatKey(t + 0.0)  # -0.0 and 0.0 are =:= before OTP 27; keep one key
    if cls is tuple or cls is Cons or cls is Map:
        return compound_key(t, map_key)
    if cls is BitStr:
        return ("b", t.data, t.bits)
    if cls is ExtFun:
        return t
    return ("f", id(t))  # local funs: equal only to themselves


def compound_key(t: Any, key: Callable[[Any], Any]) -> Any:
    """The hashable key of a tuple, list or map ``t`` whose parts are keyed by ``key``
    (map keys stay as the map holds them: exact)."""
    cls = t.__class__
    if cls is tuple:
        return ("t",) + tuple(key(e) for e in t)
    if cls is Cons:
        items = []
        while t.__class__ is Cons:
            items.append(key(t.hd))
            t = t.tl
        return ("l", tuple(items), key(t))
    return ("m", frozenset((k, key(v)) for k, (_, v) in t.d.items()))


# ----------------------------------------------------------------------------- lists

def from_list(items: Iterable[Any], tail: Any = NIL) -> Any:
    """Build an Erlang list from a Python iterable (a sequence is walked from its end)."""
    if not isinstance(items, (list, tuple)):
        items = list(items)
    result = tail
    for item in reversed(items):
        result = Cons(item, result)
    return result


def to_list(t: Any) -> list[Any]:
    """Elements of a proper Erlang list. Raises ValueError on an improper list."""
    out = []
    while t.__class__ is Cons:
        out.append(t.hd)
        t = t.tl
    if t is not NIL:
        raise ValueError("improper list")
    return out


def iter_list(t: Any) -> Iterator[Any]:
    """Iterate over the elements of a list; the improper tail (if any) is not yielded."""
    while t.__class__ is Cons:
        yield t.hd
        t = t.tl


def is_proper_list(t: Any) -> bool:
    while t.__class__ is Cons:
        t = t.tl
    return t is NIL


def from_str(s: str) -> Any:
    """An Erlang string (list of code points) from a Python str."""
    return from_list([ord(c) for c in s])


def tuple_of(*items: Any) -> tuple:
    return items
