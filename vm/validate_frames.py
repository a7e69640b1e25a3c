"""Stack frames at load time: every path through the code agrees on the frame it has.

Why: generated code indexes the current frame directly — ``y[n]``, and ``deallocate N``
reads the saved CP and the frame below from slots N and N+1 (``vm/ops/control.py``). A
corrupt module that uses a Y register without a frame or past its end, or pops a size it did
not push, would make that code overwrite the saved CP or install a catch tag as the caller's
frame, and fail much later with a Python exception. So the loader follows the frame size
along every path, a much reduced form of OTP's ``beam_validator``: where paths with
different frames meet, only Y registers all of them have may be used, and nothing may
push, pop or trim the frame.
"""
from __future__ import annotations

from .beam_file import BeamModule
from .operands import Instr, Label, Y

Frame = tuple[int, int]
"""The frame sizes (Y registers) control may have at a point: (fewest, most), -1 meaning
no frame. Exact when both are equal; a range where paths with different frames meet."""

NO_FRAME: Frame = (-1, -1)

FLOW_ENDS = frozenset((
    "return", "call_last", "call_only", "call_ext_last", "call_ext_only", "apply_last",
    "jump", "select_val", "select_tuple_arity", "func_info", "int_code_end", "badmatch",
    "case_end", "if_end", "try_case_end", "badrecord", "raise", "loop_rec_end", "wait",
    "on_load"))
"""Instructions after which control never falls through to the next one."""

CALLS = frozenset(("call", "call_last", "call_only"))
"""Their label is a function entry (entered without a frame), not a jump."""

ALLOCATES = frozenset(("allocate", "allocate_zero", "allocate_heap", "allocate_heap_zero"))
POPS: dict[str, int] = {"deallocate": 0, "call_last": 2, "call_ext_last": 2, "apply_last": 1}
"""Instructions that pop the frame -> the operand holding its size."""
NEED_NO_FRAME = frozenset(("return", "call_only", "call_ext_only"))
"""They leave the function: its frame must be gone already."""

FRAME_CHANGES = ALLOCATES | set(POPS) | NEED_NO_FRAME | {"trim"}
"""Every instruction whose frame rules go beyond its Y operands."""

NEVER_RETURN = frozenset((("erlang", "error", 1), ("erlang", "error", 2), ("erlang", "error", 3),
                          ("erlang", "exit", 1), ("erlang", "throw", 1), ("erlang", "raise", 3)))
"""BIFs that always raise: the compiler tail-calls them with any frame size (OTP 25's
beam_trim leaves the size of the frame before a trim), as the frame is never popped."""


def _frame_text(frame: Frame) -> str:
    low, high = frame
    if low != high:
        return (f"paths with frames of {max(low, 0)} to {high} Y registers meet before it"
                if low >= 0 else "paths with and without a frame meet before it")
    return "there is no frame" if low < 0 else f"the frame has {low} Y registers"


class _Flow:
    """The frames at each label, found by following jumps from the function entries."""

    def __init__(self, beam: BeamModule) -> None:
        self.code = beam.instructions
        self.imports = beam.imports
        self.label_at = {ins.args[0]: i for i, ins in enumerate(self.code)
                         if ins.name == "label"}
        self.at_label: dict[int, Frame] = {}
        self.pending: list[int] = []

    def reach(self, label: int, frame: Frame) -> None:
        """Control reaches ``label`` with ``frame``: merge, and walk on from it if that is new."""
        old = self.at_label.get(label)
        new = frame if old is None else (min(old[0], frame[0]), max(old[1], frame[1]))
        if new != old:
            self.at_label[label] = new
            self.pending.append(label)

    def walk(self, label: int) -> tuple[int, str] | None:
        """Follow the code after ``label`` to the next label or the end of the flow; returns
        (instruction index, what is wrong) at the first instruction its frame does not fit."""
        frame = self.at_label[label]
        code = self.code
        i = self.label_at[label] + 1
        while i < len(code):
            ins = code[i]
            if ins.name == "label":
                self.reach(ins.args[0], frame)
                return None
            after, problem = self._step(ins, frame)
            if problem is not None:
                return i, problem
            if ins.name in FLOW_ENDS:
                return None
            frame = after
            i += 1
        return None

    def _step(self, ins: Instr, frame: Frame) -> tuple[Frame, str | None]:
        """The frame after ``ins``, or why ``ins`` cannot run with ``frame``."""
        name = ins.name
        for operand in ins.args:
            cls = operand.__class__
            if cls is Y or cls is Label or cls is list:  # (the rest is most operands)
                problem = self._operand(operand, frame, name)
                if problem is not None:
                    return frame, problem
        if name not in FRAME_CHANGES:
            return frame, None
        if name in ALLOCATES:
            if frame != NO_FRAME:
                return frame, f"it allocates a frame, but {_frame_text(frame)}"
            return (ins.args[0], ins.args[0]), None
        if self._never_returns(ins):
            return frame, None
        if name in POPS:
            size = ins.args[POPS[name]]
            if frame != (size, size):
                return frame, f"it pops a frame of {size} Y registers, but {_frame_text(frame)}"
            return NO_FRAME, None
        if name == "trim":
            drop, remaining = ins.args
            if frame != (drop + remaining, drop + remaining):
                return frame, (f"it trims {drop} of {drop + remaining} Y registers, but "
                               f"{_frame_text(frame)}")
            return (remaining, remaining), None
        if name in NEED_NO_FRAME and frame != NO_FRAME:
            return frame, f"it leaves the function, but {_frame_text(frame)}"
        return frame, None

    def _never_returns(self, ins: Instr) -> bool:
        if ins.name not in ("call_ext_last", "call_ext_only"):
            return False
        m, f, a = self.imports[ins.args[1]]
        return (m.name, f.name, a) in NEVER_RETURN

    def _operand(self, operand: object, frame: Frame, name: str) -> str | None:
        cls = operand.__class__
        if cls is Y:
            if operand.n >= frame[0]:
                return f"it uses y{operand.n}, but {_frame_text(frame)}"
        elif cls is Label:
            # operands checked as labels are defined; a label elsewhere (an operand the
            # generators ignore, e.g. call_fun2's tag) is no jump
            if operand.n in self.label_at and name not in CALLS:
                self.reach(operand.n, frame)
        elif cls is list:
            for item in operand:
                problem = self._operand(item, frame, name)
                if problem is not None:
                    return problem
        return None


def frame_problem(beam: BeamModule) -> tuple[int, str] | None:
    """(instruction index, what is wrong) for the first instruction found whose frame does
    not fit, or None. Code no entry reaches is not checked (it never runs)."""
    code = beam.instructions
    flow = _Flow(beam)
    entries = {label for _f, _a, label in beam.exports}
    entries.update(fun.label for fun in beam.funs)
    entries.update(ins.args[1].n for ins in code if ins.name in CALLS)
    entries.update(code[i + 1].args[0] for i, ins in enumerate(code[:-1])
                   if ins.name == "func_info" and code[i + 1].name == "label")
    for label in entries:
        flow.reach(label, NO_FRAME)
    while flow.pending:
        problem = flow.walk(flow.pending.pop())
        if problem is not None:
            return problem
    return None
