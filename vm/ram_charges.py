"""What the VM takes from the board's RAM, and when it gives it back.

Charged here: each loaded module's tables (facts §2, one allocation per table as AtomVM
mallocs them), each atom new to the atom table (a module's, or one made at run time with
its text copied), each process's Context and first heap
block, each message sent (``sizeof(Message)`` + word·(size + 1) bytes: 16 + 4·(size+1) on
32-bit boards, facts §6) and each literal use's heap fragment (the generated code asks, see
``codegen.literal_fragments``). ``vm/heap.py`` replaces the heap block at every GC and keeps a
received message's block, now a heap fragment, and the literal fragments until the next GC.

The allocator is the board's (``sim/ram.py``), seen only through ``allocate``/``free``;
running out raises ``MemoryError`` from it. Each time it does, the allocator's record of the
failed request (what for, free bytes, largest free block, each region) is printed on stderr
as one line (:meth:`RamCharges.report`): AtomVM prints nothing, but a user whose app got
``out_of_memory`` wants to know why, and stdout stays the device's console.
"""
from __future__ import annotations

import sys
from typing import Any, Callable

from .beam_file import BeamModule
from .errors import VMAbort
from .heap_growth import block_bytes, first_block_words
from .module_ram import module_ram
from .terms import Atom, Cons, ExtFun, ExtPid, ExtPort, ExtRef, Fun, Map

CONTEXT_WORDS = 64
"""sizeof(Context) in words: ≈256 B on 32-bit boards (facts §6)."""

MESSAGE_HEADER_WORDS = 4
"""``sizeof(Message)`` in words: next, type, message, heap_end (mailbox.h)."""

ATOM_NODE_WORDS = 3
"""atom_table.c ``struct HNode``: next, key, index and length (12 bytes on 32-bit boards)."""

BOOT_ATOMS = frozenset("""
false true ok error badarg badarith badfun function_clause try_clause out_of_memory badmatch
case_clause if_clause throw unsupported all exit badrecord undefined badarity system_limit
overflow flush heap_size latin1 max_heap_size memory message_queue_len puts stdout stderr
stack_size min_heap_size process_count port_count atom_count system_architecture wordsize
decimals scientific compact short low_entropy used start undef vm_abort link monitor normal
DOWN process nocatch refc_binary_info noproc trap_exit EXIT badmap badkey none io_request
io_reply put_chars atomvm_version second millisecond microsecond nanosecond infinity
timeout_value schedulers schedulers_online append private_append binary integer little native
string utf8 utf16 utf32 float copy reuse ensure_at_least ensure_exactly skip get_tail =:=
signed machine avm_floatsize close closed port info module select ready_input ready_output
attributes compile exports incomplete kill killed links total_heap_size atomvm_heap_growth
bounded_free minimum fibonacci $call $cast unicode global trim trim_all type name arity
external local env registered_name shutdown nonode@nohost net_kernel $socket abort family inet
timeout dist_data request connect system_version otp_release break_ignored scope nomatch init
monitored_by current_stacktrace key value emu jit emu_flavor code_server load jit_x86_64
jit_aarch64 jit_arm32 jit_armv6m jit_riscv32 jit_riscv64 jit_wasm32
""".split())
"""The atoms AtomVM puts in its atom table at boot (``defaultatoms.def`` at 7b282159): they
exist before any module loads, so neither a module nor ``list_to_atom`` makes them anew."""

DICT_ENTRY_WORDS = 4
"""dictionary.c: a malloc'ed entry holds its list links, the key and the value (16 bytes on
32-bit boards, facts §6)."""


_NODE_HOLDERS = (ExtPid, ExtPort, ExtRef)
"""Identifiers of another node: their node name is an atom."""


class OutOfMemoryAbort(VMAbort):
    """The board ran out of RAM where AtomVM aborts (loading a module)."""

    def __init__(self, message: str, usage: dict[str, int]) -> None:
        super().__init__(message)
        self.usage = usage


def _to_stderr(line: str) -> None:
    sys.stderr.write(line + "\n")


class RamCharges:
    """Allocations the VM makes from the board's RAM allocator, and the diagnostics about
    them: ``write`` takes each line meant for stderr (replace it to capture them)."""

    def __init__(self, ram: Any, word_size: int) -> None:
        self.ram = ram
        self.word_size = word_size
        self.known_atoms: set[str] = set(BOOT_ATOMS)
        self.write: Callable[[str], None] = _to_stderr
        hooks = getattr(ram, "exhaustion_hooks", None)
        if hooks is not None:
            hooks.append(self.report)

    def report(self, record: Any) -> None:
        """Print the record of a request the board's RAM could not satisfy."""
        self.write(f"avmsim: {record.sentence()}")

    def _allocate(self, size: int, tag: str, detail: str | None = None) -> int:
        return self.ram.allocate(max(size, 1), tag, detail)

    def module(self, beam: BeamModule) -> None:
        """Charge a module's tables when it loads; modules are never unloaded."""
        cost = module_ram(beam, self.word_size, self.known_atoms)
        tag = f"module:{beam.name.name}"
        try:
            with self.ram.unreported():   # the abort's message is the record
                for size in (cost.module_struct, cost.atom_index, cost.imports, cost.labels,
                             cost.literals, cost.line_refs):
                    if size:
                        self._allocate(size, tag)
                per_atom = ATOM_NODE_WORDS * self.word_size
                for _ in range(cost.new_atoms // per_atom):
                    self._allocate(per_atom, "atoms", f"loading module {beam.name.name}")
                per_import = 4 * self.word_size
                for _ in range(cost.unresolved_imports // per_import):
                    self._allocate(per_import, tag)
        except MemoryError as exc:
            record = getattr(exc, "record", None)
            why = record.reason() if record is not None else str(exc)
            raise OutOfMemoryAbort(f"out of memory loading module {beam.name.name}: {why}",
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

    def decoded_atoms(self, term: Any) -> None:
        """The atoms of a term ``binary_to_term`` decoded: external_term.c inserts each into
        the atom table with a copy of its text (``AtomTableCopyAtom``), as ``list_to_atom``
        does, so each new one takes RAM as :meth:`runtime_atom` (raises MemoryError; AtomVM
        then fails the decoding, ``badarg``)."""
        todo = [term]
        while todo:
            t = todo.pop()
            cls = t.__class__
            if cls is Atom:
                if t.name not in self.known_atoms:
                    self.runtime_atom(t.name)
            elif cls is tuple:
                todo.extend(t)
            elif cls is Cons:
                while t.__class__ is Cons:
                    todo.append(t.hd)
                    t = t.tl
                todo.append(t)
            elif cls is Map:
                for kv in t.d.values():
                    todo.extend(kv)
            elif cls in _NODE_HOLDERS:
                todo.append(t.node)
            elif cls is ExtFun:
                todo += (t.module, t.function)
            elif cls is Fun:
                todo.extend(t.free)

    def process(self, pid_text: str) -> list[int]:
        """Context and first heap block of a new process (raises MemoryError)."""
        context = self._allocate(CONTEXT_WORDS * self.word_size, f"process:{pid_text}")
        try:
            heap = self._allocate(first_block_words() * self.word_size, f"heap:{pid_text}")
        except MemoryError:
            self.ram.free(context)
            raise
        return [context, heap]

    def message(self, words: int, to: str | None = None) -> int:
        """The block a sent message of ``words`` words is copied into, for process ``to``
        (its pid's text; raises MemoryError)."""
        return self._allocate(self.word_size * (MESSAGE_HEADER_WORDS + words + 1), "message",
                              f"to {to}" if to else None)

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
