"""What the VM takes from the board's RAM, and when it gives it back.

Charged here: each loaded module's tables (facts §2, one allocation per table as AtomVM
mallocs them), each atom new to the atom table (a module's, or one made at run time with
its text copied), each process's Context and first heap
block, each message sent (``sizeof(Message)`` + word·(size + 1) bytes: 16 + 4·(size+1) on
32-bit boards, facts §6) and each literal use's heap fragment (the generated code asks, see
``codegen.literal_fragments``). ``vm/heap.py`` replaces the heap block at every GC and keeps a
received message's block, now a heap fragment, and the literal fragments until the next GC.

The allocator is the board's (``sim/ram.py``), seen only through ``allocate``/``free``;
running out raises ``MemoryError`` from it.
"""
from __future__ import annotations

from typing import Any

from .beam_file import BeamModule
from .errors import VMAbort
from .heap_growth import block_bytes, first_block_words
from .module_ram import module_ram

CONTEXT_WORDS = 64
"""sizeof(Context) in words: ≈256 B on 32-bit boards (facts §6)."""

MESSAGE_HEADER_WORDS = 4
"""``sizeof(Message)`` in words: next, type, message, heap_end (mailbox.h)."""

ATOM_NODE_WORDS = 3
"""atom_table.c ``struct HNode``: next, key, index and length (12 bytes on 32-bit boards)."""

DICT_ENTRY_WORDS = 4
"""dictionary.c: a malloc'ed entry holds its list links, the key and the value (16 bytes on
32-bit boards, facts §6)."""


class OutOfMemoryAbort(VMAbort):
    """The board ran out of RAM where AtomVM aborts (loading a module)."""

    def __init__(self, message: str, usage: dict[str, int]) -> None:
        super().__init__(message)
        self.usage = usage


class RamCharges:
    """Allocations the VM makes from the board's RAM allocator."""

    def __init__(self, ram: Any, word_size: int) -> None:
        self.ram = ram
        self.word_size = word_size
        self.known_atoms: set[str] = set()

    def _allocate(self, size: int, tag: str) -> int:
        return self.ram.allocate(max(size, 1), tag)

    def module(self, beam: BeamModule) -> None:
        """Charge a module's tables when it loads; modules are never unloaded."""
        cost = module_ram(beam, self.word_size, self.known_atoms)
        tag = f"module:{beam.name.name}"
        try:
            for size in (cost.module_struct, cost.atom_index, cost.imports, cost.labels,
                         cost.literals, cost.line_refs):
                if size:
                    self._allocate(size, tag)
            per_atom = ATOM_NODE_WORDS * self.word_size
            for _ in range(cost.new_atoms // per_atom):
                self._allocate(per_atom, "atoms")
            per_import = 4 * self.word_size
            for _ in range(cost.unresolved_imports // per_import):
                self._allocate(per_import, tag)
        except MemoryError as exc:
            raise OutOfMemoryAbort(f"out of memory loading module {beam.name.name}: {exc}",
                                   self.ram.used_by_tag()) from None

    def runtime_atom(self, name: str) -> None:
        """An atom made at run time (``list_to_atom``, ``binary_to_atom``): new to the atom
        table, it takes a node (3 words; atom_table.c mallocs them eight at a time, charged
        here one by one as for modules) and a malloc'ed copy of its text
        (``AtomTableCopyAtom``). An app making atoms without end runs out, as on the device
        (raises MemoryError)."""
        if name in self.known_atoms:
            return
        self._allocate(ATOM_NODE_WORDS * self.word_size, "atoms")
        text = len(name.encode())
        if text:
            self._allocate(text, "atoms")
        self.known_atoms.add(name)

    def process(self, pid_text: str) -> list[int]:
        """Context and first heap block of a new process (raises MemoryError)."""
        context = self._allocate(CONTEXT_WORDS * self.word_size, f"process:{pid_text}")
        try:
            heap = self._allocate(first_block_words() * self.word_size, f"heap:{pid_text}")
        except MemoryError:
            self.ram.free(context)
            raise
        return [context, heap]

    def message(self, words: int) -> int:
        """The block a sent message of ``words`` words is copied into (raises MemoryError)."""
        return self._allocate(self.word_size * (MESSAGE_HEADER_WORDS + words + 1), "message")

    def literal_fragment(self, words: int) -> int:
        """The heap fragment one use of a literal of ``words`` words is decoded into:
        ``sizeof(HeapFragment)`` + its words, malloc'ed at every use (externalterm.c
        ``externalterm_to_term_internal`` with ``ExternalTermToHeapFragment``; raises
        MemoryError)."""
        return self.ram.allocate(block_bytes(words, self.word_size), "literal")

    def dictionary_entry(self) -> int:
        """A process dictionary entry: list links, key and value, 4 words (raises MemoryError)."""
        return self._allocate(DICT_ENTRY_WORDS * self.word_size, "dictionary")

    def port(self, name: str) -> int:
        """A port's Context: a port is a process with a native handler (raises MemoryError)."""
        return self._allocate(CONTEXT_WORDS * self.word_size, f"port:{name}")

    def release(self, address: int) -> None:
        self.ram.free(address)
