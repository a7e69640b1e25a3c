"""Turn a parsed :class:`BeamModule` into executable blocks registered with the VM.

Each module is compiled once, on first use (AtomVM also loads modules lazily from the pack),
into one Python source text holding a function per basic block (see ``codegen``).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import ops  # noqa: F401  (registers the opcode generators)
from .beam_file import BeamModule
from .codegen import NOT_EXECUTED, OP_GENERATORS, Gen, split_blocks
from .natives import CONTROL_NATIVES
from .runtime import BASE_NAMESPACE, undef
from .terms import Atom, Fun
from .validate import validate

OP_MODULES = ("control", "tests", "data", "exceptions", "floats", "messages", "binaries")


class BlockInfo:
    """Where a block lives: for stack traces and crash reports."""

    __slots__ = ("module", "function", "arity", "line_ref")

    def __init__(self, module: "LoadedModule", function: Atom, arity: int, line_ref: int) -> None:
        self.module = module
        self.function = function
        self.arity = arity
        self.line_ref = line_ref


class LoadedModule:
    """A module ready to run: export table, fun entries and the map back to source lines."""

    def __init__(self, beam: BeamModule) -> None:
        self.beam = beam
        self.name: Atom = beam.name
        self.exports: dict[tuple[str, int], int] = {}
        self.fun_blocks: list[int] = []
        self.py_line_refs: list[int] = []
        self.native_calls: dict[int, tuple[Atom, Atom, int]] = {}  # see Gen.native_calls
        self.filename = f"<beam:{beam.name.name}>"

    def location(self, line_ref: int) -> tuple[str, int] | None:
        """(file, line) of a ``line`` operand, or None when unknown."""
        refs = self.beam.line_refs
        if 0 < line_ref < len(refs):
            file_index, line = refs[line_ref]
            files = self.beam.files
            name = files[file_index] if file_index < len(files) else f"{self.name.name}.erl"
            return name, line
        return None


def _import_ops() -> None:
    import importlib
    for name in OP_MODULES:
        importlib.import_module(f"avmsim.vm.ops.{name}")


_import_ops()


def compile_module(vm: Any, beam: BeamModule) -> LoadedModule:
    """Validate ``beam``, then generate, compile and register its blocks; returns the loaded
    module."""
    validate(beam)  # corrupt code never reaches the generators
    module = LoadedModule(beam)
    blocks, label_index = split_blocks(beam.instructions)
    base = len(vm.blocks)
    label_block = {label: base + i for label, i in label_index.items()}
    ns = dict(BASE_NAMESPACE)
    imp_cache: list[int | None] = [None] * len(beam.imports)
    ns["IMP"] = imp_cache
    ns["RESOLVE"] = _resolver(vm, beam, imp_cache)
    ns["MAKE_FUN"] = lambda index, x: _make_fun(module, index, x)
    ns["MAKE_FUN_FREE"] = lambda index, free: Fun(module, index, _fun_arity(beam, index), free)
    g = Gen(beam.name.name, ns, label_block, base, beam.imports, vm.natives, CONTROL_NATIVES,
            vm.layout, [f.num_free for f in beam.funs], charges=vm.charges)
    g.strings = beam.strings  # the StrT chunk: bs_match_string, bs_put_string, string segments
    infos: list[BlockInfo] = []
    function, arity = beam.name, 0
    for i, block in enumerate(blocks):
        block_id = base + i
        g.next_block_id = block_id + 1
        g.start_block(block_id)
        start_line = g.line_ref
        for ins in block:
            if ins.name == "func_info":
                function, arity = ins.args[1].term, ins.args[2]
            if ins.name not in NOT_EXECUTED:
                g.count += 1
            OP_GENERATORS[ins.name](g, *ins.args)  # validate() refused opcodes without one
        g.finish_block(block_id + 1 if i + 1 < len(blocks) else None)
        infos.append(BlockInfo(module, function, arity, start_line))
    source = "\n".join(g.lines) + "\n"
    dump_dir = os.environ.get("AVMSIM_DUMP_CODE")
    if dump_dir:  # a developer's window into the generated code
        Path(dump_dir, f"{beam.name.name}.py").write_text(source)
    code = compile(source, module.filename, "exec")
    exec(code, ns)
    vm.blocks.extend(ns[f"b{base + i}"] for i in range(len(blocks)))
    vm.block_info.extend(infos)
    module.py_line_refs = g.py_line_erl_line
    module.native_calls = g.native_calls
    for fname, farity, label in beam.exports:
        module.exports[(fname.name, farity)] = label_block[label]
    module.fun_blocks = [label_block[f.label] for f in beam.funs]
    return module


def _fun_arity(beam: BeamModule, index: int) -> int:
    entry = beam.funs[index]
    return entry.arity - entry.num_free


def _make_fun(module: LoadedModule, index: int, x: list) -> Fun:
    entry = module.beam.funs[index]
    return Fun(module, index, entry.arity - entry.num_free, tuple(x[:entry.num_free]))


def _resolver(vm: Any, beam: BeamModule, cache: list):
    """RESOLVE(c, k): find the block of import k (loading its module), cache it, or raise undef."""
    def resolve(c: Any, index: int) -> int:
        m, f, a = beam.imports[index]
        target = None if vm.off_device(beam.name, m, f, a) else vm.export_block(m, f, a)
        if target is None:
            raise undef()
        cache[index] = target
        return target
    return resolve
