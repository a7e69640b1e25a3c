"""Translate a decoded BEAM module into Python functions, one per basic block.

Why: an interpreter loop over decoded tuples spends most of its time dispatching and
decoding operands (see ``performance.md``). Here every basic block — the straight-line run of
instructions from a label or a call's return point up to a jump, call or return — becomes one
Python function whose operands are already spelled out (``x[3]``, ``y[1]``, a constant's name),
generated once at load time. The run loop is then just ``pc = blocks[pc](proc)``: a block
returns the global block id to run next.

Generated code conventions (what opcode generators in ``vm/ops`` may rely on):

- ``c`` is the running :class:`~avmsim.vm.process.Process`, ``x`` is ``c.x`` (X registers),
  ``y`` the current stack frame (a list ``[y0 .. yN-1, saved_cp, previous_frame]``).
- Constants live in the module's namespace under names given by :meth:`Gen.const`.
- ``c.n`` counts executed BEAM instructions; each block exit adds what ran in that block.
- ``c.hu`` counts the heap and stack words used in the process's young block and ``c.frag``
  its heap-fragment words (``vm/heap.py``); block exits add what the block built. GC points
  call the collector only when a size test says it may collect (``ALLOC_GC``, ``TEST_HEAP``,
  ``RETURN_GC``, ``BOX``), so code that does not collect pays one comparison.
- On a VM with board RAM (``vm.charges``), the literal fragments are also malloc'ed from the
  board's allocator, one block per use (``LITERAL_FRAGMENTS``); a VM without generates the
  plain ``c.frag += N``.
- ``c.reds`` counts down reductions; a call that exhausts them returns block 0 with the real
  target saved in ``c.pc``, which hands control back to the scheduler.
"""
from __future__ import annotations

from typing import Any, Callable

from . import heap
from .heap_growth import SHRINK_THRESHOLD_COEFF
from .operands import FR, Alloc, Const, Instr, Label, UndecodableLiteral, X, Y
from .term_size import literal_words
from .terms import NIL, Atom, BitStr, Cons, Map

Generator = Callable[..., None]
OP_GENERATORS: dict[str, Generator] = {}
"""Opcode name -> generator ``gen(g: Gen, *args)`` that emits its Python statements."""

BLOCK_ENDERS: set[str] = set()
"""Opcodes after which control never falls through: the next instruction starts a block."""

NOT_EXECUTED = frozenset(("label", "line", "func_info", "int_code_end", "executable_line",
                          "debug_line", "nif_start"))
"""Instructions that are bookkeeping only: they do not count as executed instructions."""


SPELLED_INT = 1 << 64
"""Integers below this magnitude appear as digits in generated code; larger ones by name
(Python refuses to spell an int of more than 4300 digits)."""

_FRAGMENT_LITERALS = frozenset((tuple, Cons, bytes, BitStr, Map, float))
"""Literal terms that are not immediates: each use decodes them into a new heap fragment."""
_COPIED_LITERALS = frozenset((tuple, Cons, Map))
"""Of those, the ones a use copies (``term_copy``: numbers and binaries keep their identity)."""


def literal_fragments(charges: Any) -> Callable[[Any, tuple[int, ...]], None]:
    """The run-time side of literal uses on a VM with board RAM (``charges``, a
    :class:`~avmsim.vm.ram_charges.RamCharges`): ``f(c, sizes)`` mallocs one fragment block
    per use, in use order, as AtomVM does at each decode (externalterm.c ``memory_init_heap``).

    Each block joins the process's ``ram_blocks``, which the next GC frees (``heap._copy_into``)
    and so does the process's exit; its words join ``c.frag`` only once it exists. A failed
    malloc raises ``error:out_of_memory`` (opcodesswitch.h raises it when
    ``module_load_literal`` gives no term).
    """
    fragment = charges.literal_fragment

    def allocate(c: Any, sizes: tuple[int, ...]) -> None:
        blocks = c.ram_blocks
        for words in sizes:
            try:
                blocks.append(fragment(words))
            except MemoryError:
                raise heap.out_of_memory() from None
            c.frag += words
    return allocate


def literal_out_of_memory() -> None:
    """A use of an :class:`~avmsim.vm.operands.UndecodableLiteral`: the decoder gives no
    term and opcodesswitch.h raises ``error:out_of_memory``."""
    raise heap.out_of_memory()


def op(name: str, *, ends_block: bool = False) -> Callable[[Generator], Generator]:
    """Decorator: register the code generator of opcode ``name``."""
    def register(f: Generator) -> Generator:
        OP_GENERATORS[name] = f
        if ends_block:
            BLOCK_ENDERS.add(name)
        return f
    return register


class Gen:
    """Emits the Python source of one module's blocks; passed to every opcode generator."""

    def __init__(self, module_name: str, namespace: dict[str, Any], label_block: dict[int, int],
                 first_block: int, imports: list[tuple[Atom, Atom, int]],
                 natives: dict, control_natives: dict, layout: Any = None,
                 fun_free: list[int] | None = None, charges: Any = None) -> None:
        self.module_name = module_name
        self.layout = layout
        self.heap_model = heap.MODEL and layout is not None
        # decided here, once per module and VM: without board RAM a literal use costs only
        # its words in c.frag
        self.literal_ram = self.heap_model and charges is not None
        if self.literal_ram:
            namespace["LITERAL_FRAGMENTS"] = literal_fragments(charges)
        self.fun_free = fun_free or []
        self.imports = imports
        self.natives = natives
        self.control_natives = control_natives
        self.ns = namespace
        self.label_block = label_block
        self.lines: list[str] = []
        self.py_line_erl_line: list[int] = []  # generated line number -> line ref in effect
        # generated line number -> import a non-tail native call makes there: AtomVM names
        # that NIF in the stack trace when it fails (vm/stacktrace.py)
        self.native_calls: dict[int, tuple[Atom, Atom, int]] = {}
        self._block_native_calls: list[tuple[int, tuple[Atom, Atom, int]]] = []
        self.indent = 1
        self.count = 0           # instructions executed so far in the current block
        self.heap = 0            # heap words built so far in the block (load-time sizes)
        self.heap_flushed = 0    # of those, already added to c.hu on the straight path
        self.literals: list[int] = []  # words of each literal use so far in the block
        self.literals_flushed = 0      # of those uses, how many are charged on the straight path
        self.line_ref = 0        # current `line` operand
        self.block_id = first_block
        self.needs_y = False
        self.y_local = False
        self._const_names: dict[Any, str] = {}
        self._bound: dict[tuple[str, int], str] = {}
        self._block_start = 0
        self.open = False        # inside a block function whose end is reachable
        self.next_block_id = first_block

    # ------------------------------------------------------------------ emitting
    def emit(self, text: str) -> None:
        """Append one statement (or ``if ...:`` header) at the current indentation."""
        self.lines.append("    " * self.indent + text)
        self.py_line_erl_line.append(self.line_ref)

    def begin_if(self, condition: str) -> None:
        self.emit(f"if {condition}:")
        self.indent += 1

    def end_if(self) -> None:
        self.indent -= 1

    # ------------------------------------------------------------------ operands
    def src(self, operand: Any, kept: bool = True) -> str:
        """Python expression that reads ``operand``. A literal the instruction only compares
        (``kept`` false) is charged its fragment but not copied: nothing can keep it."""
        cls = operand.__class__
        if cls is X:
            return f"x[{operand.n}]"
        if cls is Y:
            self.use_y()
            return f"y[{operand.n}]"
        if cls is Const:
            term = operand.term
            if term.__class__ is UndecodableLiteral:
                return f"{self.bind('LITFAIL', literal_out_of_memory)}()"
            if self.heap_model and term.__class__ in _FRAGMENT_LITERALS:
                # AtomVM decodes a literal into a fresh heap fragment at every use (facts §2);
                # total_heap_size counts its storage, not the 2-word fragment header. Each use
                # is a new term (the collector counts two live uses twice, as AtomVM does)
                self.literals.append(literal_words(term, self.layout))
                if kept and term.__class__ in _COPIED_LITERALS:
                    return f"LITERAL_COPY({self.const(term)})"
            return self.const(term)
        if cls is FR:
            return f"c.fr[{operand.n}]"
        if cls is int:
            return repr(operand)
        raise ValueError(f"cannot read operand {operand!r}")

    def dst(self, operand: Any, expr: str) -> None:
        """Emit ``operand = expr``."""
        cls = operand.__class__
        if cls is X:
            self.emit(f"x[{operand.n}] = {expr}")
        elif cls is Y:
            self.use_y()
            self.emit(f"y[{operand.n}] = {expr}")
        elif cls is FR:
            self.emit(f"c.fr[{operand.n}] = {expr}")
        else:
            raise ValueError(f"cannot write operand {operand!r}")

    def int_operand(self, operand: Any, local: str) -> tuple[str, bool]:
        """Expression for an operand read once, and whether it is an integer known at load
        time (then the generated code needs neither a local copy nor a class check)."""
        if operand.__class__ is Const and operand.term.__class__ is int:
            return self.src(operand), True
        self.emit(f"{local} = {self.src(operand)}")
        return local, False

    def use_y(self) -> None:
        """The block reads the current frame: load ``y`` in its prologue unless already set."""
        if not self.y_local:
            self.needs_y = True
            self.y_local = True

    def set_y_local(self) -> None:
        """The generated code has just assigned the local ``y`` itself (allocate)."""
        self.y_local = True

    def const(self, term: Any) -> str:
        """Name (or literal text) under which ``term`` is visible to generated code.

        Small integers are spelled out; every other term gets a generated name ``K<n>``.
        Atom text never becomes part of a name: Python normalises identifiers (NFKC, so a
        micro sign ``µ`` would read the namespace entry of a Greek ``μ``), and an atom like
        ``all_`` could take a name the generators use themselves."""
        cls = term.__class__
        if cls is int and -SPELLED_INT < term < SPELLED_INT:
            return repr(term)
        if term is NIL:
            return "NIL"
        key = (cls, id(term)) if cls not in (Atom, float, bytes) else (cls, term)
        name = self._const_names.get(key)
        if name is None:
            name = f"K{len(self._const_names)}"
            self._const_names[key] = name
            self.ns[name] = term
        return name

    def bind(self, prefix: str, value: Any) -> str:
        """Make ``value`` (a helper function, table…) visible to generated code; returns its name."""
        key = (prefix, id(value))
        name = self._bound.get(key)
        if name is None:
            name = f"{prefix}{len(self.ns)}"
            self.ns[name] = value
            self._bound[key] = name
        return name

    def import_mfa(self, index: int) -> tuple[Atom, Atom, int]:
        return self.imports[index]

    def import_name(self, index: int) -> str:
        """Function name of import ``index`` when it is an ``erlang`` BIF, else ''."""
        m, f, _ = self.imports[index]
        return f.name if m.name == "erlang" else ""

    def resolve_import(self, index: int) -> tuple[str, str | None]:
        """How to call import ``index``: ('native', name), ('control', name) or ('erlang', None).

        Natives win over Erlang code, as in AtomVM, where NIFs are looked up before exports.
        """
        m, f, a = self.imports[index]
        key = (m.name, f.name, a)
        fn = self.control_natives.get(key)
        if fn is not None:
            return "control", self.bind("CN", fn)
        fn = self.natives.get(key)
        if fn is not None:
            return "native", self.bind("N", fn)
        return "erlang", None

    def stack_words(self, delta: int) -> None:
        """The stack grows (or, negative, shrinks) by ``delta`` words in the young block."""
        if self.heap_model:
            self.emit(f"c.hu += {delta}" if delta > 0 else f"c.hu -= {-delta}")

    def heap_words(self, need: Any) -> int:
        """Words an allocation operand asks for: a plain count or an allocation list."""
        if need.__class__ is Alloc:
            return need.words + need.floats * self.layout.float_words + need.funs * 3
        return need

    def emit_allocate_check(self, heap: Any, stack: int, live: int) -> None:
        """allocate*'s GC point: collect when heap fragments exist or the young block lacks
        ``heap + stack`` free words (jit.c ``jit_allocate``)."""
        if not self.heap_model:
            return
        need = self.heap_words(heap) + stack
        self.flush_heap()
        self.begin_if(f"c.hsize - c.hu < {need} or c.frag")
        self.emit(f"ALLOC_GC(c, {need}, {live})")
        self.end_if()

    def emit_test_heap(self, heap: Any, live: int) -> None:
        """test_heap's GC point: collect when ``heap`` words do not fit, or shrink when more
        than 64 times that is free (jit.c ``jit_test_heap``)."""
        if not self.heap_model:
            return
        need = self.heap_words(heap)
        self.flush_heap()
        self.emit("f = c.hsize - c.hu")
        self.begin_if(f"f < {need} or f > {need * SHRINK_THRESHOLD_COEFF}")
        self.emit(f"TEST_HEAP(c, {need}, {live})")
        self.end_if()

    def unsupported(self, what: str) -> Exception:
        from .errors import UnsupportedOpcodeError
        return UnsupportedOpcodeError(f"module {self.module_name}: {what}")

    def block_of(self, label: Label | int) -> int:
        n = label.n if label.__class__ is Label else label
        return self.label_block[n]

    # ------------------------------------------------------------------ control flow
    def counted(self) -> None:
        """Emit what this block did up to here: instructions executed, heap words built
        and literal-fragment words (each summed at load time)."""
        if self.count:
            self.emit(f"c.n += {self.count}")
        self._charge_heap()

    def _charge_heap(self) -> None:
        if not self.heap_model:
            return
        if self.heap > self.heap_flushed:
            self.emit(f"c.hu += {self.heap - self.heap_flushed}")
        uses = self.literals[self.literals_flushed:]
        if not uses:
            return
        if self.literal_ram:
            self.emit(f"LITERAL_FRAGMENTS(c, ({''.join(f'{w}, ' for w in uses)}))")
        else:
            self.emit(f"c.frag += {sum(uses)}")

    def flush_heap(self) -> None:
        """Charge the heap built so far before a GC point (on the straight-line path)."""
        self._charge_heap()
        self.heap_flushed, self.literals_flushed = self.heap, len(self.literals)

    def built(self, words: int) -> None:
        """The instruction builds ``words`` heap words (known at load time)."""
        self.heap += words

    def _left_block(self) -> None:
        if self.indent == 1:
            self.open = False  # an unconditional exit: the rest of the block is unreachable

    def goto(self, target: int | str) -> None:
        """Leave the block towards block id ``target`` (an int or an expression)."""
        self.counted()
        self.emit(f"return {target}")
        self._left_block()

    def goto_label(self, label: Label) -> None:
        self.goto(self.block_of(label))

    def fail_if(self, condition: str, fail: Label) -> None:
        """Jump to ``fail`` when ``condition`` holds."""
        self.begin_if(condition)
        self.goto_label(fail)
        self.end_if()

    def begin_try(self, fail: Any) -> None:
        """Start a region whose Erlang errors jump to ``fail`` (nothing when there is no label)."""
        if fail.__class__ is Label and fail.n:
            self.emit("try:")
            self.indent += 1

    def end_try(self, fail: Any) -> None:
        if fail.__class__ is Label and fail.n:
            self.indent -= 1
            self.emit("except ErlangError:")
            self.indent += 1
            self.goto_label(fail)
            self.indent -= 1

    def raise_(self, expr: str) -> None:
        self.counted()
        self.emit(f"raise {expr}")
        self._left_block()

    def new_block_after(self) -> int:
        """Id of the block that starts right after the current instruction (a return point)."""
        return self.next_block_id

    # ------------------------------------------------------------------ block lifecycle
    def start_block(self, block_id: int) -> None:
        self.block_id = block_id
        self.indent = 1
        self.count = 0
        self.heap = self.heap_flushed = self.literals_flushed = 0
        self.literals = []
        self.needs_y = False
        self.y_local = False
        self._block_native_calls = []
        self._block_start = len(self.lines)
        self.lines.append(f"def b{block_id}(c):")
        self.py_line_erl_line.append(self.line_ref)
        self.emit("x = c.x")
        self.open = True

    def finish_block(self, fallthrough: int | None) -> None:
        """Close the current block; ``fallthrough`` is the block id to continue with."""
        if self.open and fallthrough is not None:
            self.goto(fallthrough)
        if self.needs_y:
            self.lines.insert(self._block_start + 2, "    y = c.y")
            self.py_line_erl_line.insert(self._block_start + 2, self.line_ref)
        shift = 1 if self.needs_y else 0  # the line inserted above moves the block's lines
        for line, mfa in self._block_native_calls:
            self.native_calls[line + shift] = mfa
        self.open = False

    def note_native_call(self, index: int) -> None:
        """The next line emitted calls the native of import ``index`` (not as a tail call)."""
        self._block_native_calls.append((len(self.lines) + 1, self.imports[index]))


def split_blocks(instructions: list[Instr]) -> tuple[list[list[Instr]], dict[int, int]]:
    """Cut a module's instructions into basic blocks.

    A block starts at a label (consecutive labels share a block) and right after any
    instruction in :data:`BLOCK_ENDERS`. Returns the blocks (their instructions) and
    label number -> block index.
    """
    blocks: list[list[Instr]] = []
    label_index: dict[int, int] = {}
    current: list[Instr] | None = None
    for ins in instructions:
        name = ins.name
        if name == "label":
            if current is None or any(i.name not in ("label", "line") for i in current):
                current = []
                blocks.append(current)
            label_index[ins.args[0]] = len(blocks) - 1
            current.append(ins)
            continue
        if current is None:
            current = []
            blocks.append(current)
        current.append(ins)
        if name in BLOCK_ENDERS:
            current = None
    return blocks, label_index
