"""Heap figures step by step, as AtomVM prints them on ``generic-unix`` (64-bit).

``tests/erlang_heap/heap_steps.erl`` spawns ``child/2`` with ``spawn_opt(M, F, [Parent, 100],
Opts)`` under each growth strategy, with and without ``{min_heap_size, 100}``. The child
reads ``process_info(self(), heap_size | total_heap_size | stack_size)`` four times: right
after the spawn, after building a list of 100 cells, after receiving ``{msg, [1..10]}``, and
after ``erlang:garbage_collect()``. The expected figures are not avmsim's: :class:`Oracle`
derives them by playing the child's allocation sequence through AtomVM's rules.

How the expected values are derived
-----------------------------------
Sizes are in words. A process's young block has ``Y`` words: heap used ``h`` (garbage
included) from the bottom, stack ``s`` from the top, free ``F = Y - h - s`` between.
Fragments (received messages, here) add ``frag`` words; ``M = Y + frag``.

*The GC decision* is ``memory_ensure_free_with_roots(need S, mode)`` of memory.c (facts §6):
a GC happens when ``F < S``, on a forced shrink, or — mode "can shrink" only — when the
strategy wants to shrink (bounded_free ``F - S > 2(S + 16)``; minimum ``F - S > 0``;
fibonacci ``F - S > 3M/4``). The new size is bounded_free ``F < S ? M + S + 16 :
M - F + 2(S + 16)``, minimum ``M - F + S``, fibonacci the next table value ≥ ``M - F + S``;
then ``max(min_heap_size, ·)``; equal to ``M`` means no GC. The copy keeps the live heap data
``L`` and the stack, so afterwards ``h = L``, ``frag = 0``. A second pass follows:
bounded_free (unless "no shrink") when ``F' > 2(S + 16)``, to ``Y' - F' + 2(S + 16)``;
minimum (unless "no shrink") when ``F' > 0``, to ``Y' - F' + S``; fibonacci when
``Y' > 10000`` and ``F' ≥ 3Y'/4``; any strategy when forced; again ``max(min_heap_size, ·)``.

*The allocation sequence* of the child, from its BEAM code (checked by
:func:`test_child_code_is_what_the_oracle_plays`, on the host compiler's output):

1. spawn_opt/4 (nifs.c): an 8-word block (context.c); min_heap_size is set, then room is
   ensured ("can shrink") for ``memory_estimate_usage([Parent, 100])`` = 2 list cells = 4
   words, with nothing live; the arguments are immediates (nothing copied).
2. ``allocate 14, 2`` (jit.c ``jit_allocate``): when fragments exist or 15 words do not
   fit, ensure 15 ("can shrink", nothing live on the heap); then ``s = 15``.
3. Each ``process_info(self(), Item)`` (context.c ``context_get_process_info``): ensure 3
   ("no shrink", no X register roots), read the figure, then build the 3-word answer:
   ``h += 3``. The answers stay live (the compiler keeps them in Y registers until the
   end), so the k-th call of a step sees the step's k earlier answers live.
4. ``build(100, [])``: per cell, ``test_heap 2, 3`` (jit.c ``jit_test_heap``): ensure 2
   when ``F < 2``, else ensure 64 when ``F > 128`` (both "can shrink"); live: the cells
   built so far and the three step-1 answers; then ``put_list``: ``h += 2``.
5. ``receive``: ``remove_message`` turns the 23-word message (tuple 3 + 10 cells) into a
   fragment of 23 + 3 words (mailbox.c: the message slot, the heap_end slot and the
   mso-list head come with it). The message tuple stays live in a Y register.
6. ``erlang:garbage_collect()`` (nifs.c): ensure 0, forced shrink, no X register roots.

Live heap data at each GC point is therefore known: 3 words per earlier answer, 2 per
list cell, 23 for the message once received.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from helpers import avmsim

SOURCE = Path(__file__).parent / "erlang_heap" / "heap_steps.erl"
CELLS = 100
MESSAGE_WORDS = 3 + 2 * 10
ANSWER_WORDS = 3

FIBONACCI = (12, 38, 51, 90, 142, 233, 376, 610, 987, 1598, 2586, 4185, 6772, 10958)
"""The fibonacci sizes of facts §6 (enough of them for these heaps)."""

NO_SHRINK, CAN_SHRINK, FORCE_SHRINK = "no shrink", "can shrink", "force shrink"


def next_fibonacci(size: int) -> int:
    return next(v for v in FIBONACCI if v >= size)


class Oracle:
    """One process's young block under AtomVM's rules (see the module docstring)."""

    def __init__(self, strategy: str, min_heap_size: int = 0) -> None:
        self.strategy = strategy
        self.min_heap = min_heap_size
        self.young, self.h, self.s, self.frag = 8, 0, 0, 0

    @property
    def free(self) -> int:
        return self.young - self.h - self.s

    def ensure(self, need: int, mode: str, live: int) -> None:
        free, memory = self.free, self.young + self.frag
        gc = free < need or mode == FORCE_SHRINK
        if not gc and mode == CAN_SHRINK:
            gc = {"bounded_free": free - need > 2 * (need + 16),
                  "minimum": free - need > 0,
                  "fibonacci": free - need > 3 * memory // 4}[self.strategy]
        if not gc:
            return
        if self.strategy == "bounded_free":
            target = memory + need + 16 if free < need else memory - free + 2 * (need + 16)
        elif self.strategy == "minimum":
            target = memory - free + need
        else:
            target = next_fibonacci(memory - free + need)
        target = max(self.min_heap, target)
        if target == memory:
            return
        self.young, self.h, self.frag = target, live, 0
        free = self.free
        if self.strategy == "bounded_free":
            again = mode != NO_SHRINK and free > 2 * (need + 16)
            second = self.young - free + 2 * (need + 16)
        elif self.strategy == "minimum":
            again = mode != NO_SHRINK and free > 0
            second = self.young - free + need
        else:
            again = self.young > 10000 and free >= 3 * self.young // 4
            second = next_fibonacci(self.young - free + need)
        if again or mode == FORCE_SHRINK:
            second = max(self.min_heap, second)
            if second != self.young:
                self.young = second

    def figures(self, live: int) -> list[int]:
        """Three process_info calls: heap_size, total_heap_size, stack_size."""
        out = []
        for item in range(3):
            self.ensure(ANSWER_WORDS, NO_SHRINK, live + ANSWER_WORDS * item)
            out.append([self.young, self.young + self.frag, self.s][item])
            self.h += ANSWER_WORDS
        return out


def expected(strategy: str, min_heap_size: int = 0) -> list[int]:
    """The twelve figures the child sends, derived step by step."""
    p = Oracle(strategy, min_heap_size)
    p.ensure(2 * 2, CAN_SHRINK, 0)                        # spawn_opt/4, [Parent, 100]
    if p.frag or p.free < 15:                             # allocate 14, 2
        p.ensure(15, CAN_SHRINK, 0)
    p.s += 15
    out = p.figures(0)
    answers = 3 * ANSWER_WORDS
    for built in range(CELLS):                            # build/2: test_heap 2, 3; put_list
        live = answers + 2 * built
        if p.free < 2:
            p.ensure(2, CAN_SHRINK, live)
        elif p.free > 2 * 64:
            p.ensure(2 * 32, CAN_SHRINK, live)
        p.h += 2
    live = answers + 2 * CELLS
    out += p.figures(live)
    answers += 3 * ANSWER_WORDS
    p.frag += MESSAGE_WORDS + 3                           # remove_message
    live = answers + 2 * CELLS + MESSAGE_WORDS
    out += p.figures(live)
    answers += 3 * ANSWER_WORDS
    live = answers + 2 * CELLS + MESSAGE_WORDS
    p.ensure(0, FORCE_SHRINK, live)                       # erlang:garbage_collect()
    out += p.figures(live)
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[int]]:
    tmp = tmp_path_factory.mktemp("heap_steps")
    subprocess.run(["erlc", "-o", str(tmp), str(SOURCE)], check=True, capture_output=True)
    r = avmsim("--board", "generic-unix", str(tmp / "heap_steps.beam"))
    assert r.returncode == 0, r.stderr[-3000:]
    out = {}
    for line in r.stdout.splitlines():
        opts, figures = line.split(" ")
        out[opts] = [int(v) for v in figures.strip("[]").split(",")]
    return out


CASES = [("bounded_free", 0), ("minimum", 0), ("fibonacci", 0),
         ("bounded_free", 100), ("minimum", 100), ("fibonacci", 100)]


@pytest.mark.parametrize("strategy,min_heap_size", CASES)
def test_figures_follow_atomvm_rules(printed: dict[str, list[int]], strategy: str,
                                     min_heap_size: int) -> None:
    opts = f"[{{atomvm_heap_growth,{strategy}}}"
    opts += f",{{min_heap_size,{min_heap_size}}}]" if min_heap_size else "]"
    assert printed[opts] == expected(strategy, min_heap_size)


def test_oracle_hand_checked_steps() -> None:
    """A few figures worked out by hand, so the oracle itself is checked."""
    # minimum: spawn shrinks 8 -> 0 - 0 + 4 = 4; allocate grows to 4 - 4 + 15 = 15; the
    # first process_info finds F = 0 < 3: 15 - 0 + 3 = 18; the second 18 + 3 = 21.
    assert expected("minimum")[:3] == [18, 21, 15]
    # bounded_free: allocate: 8 + 15 + 16 = 39, then room for all three answers.
    assert expected("bounded_free")[:3] == [39, 39, 15]
    # fibonacci: no GC at spawn (8 - 4 > 6 is false); allocate: fib(8 - 8 + 15) = 38.
    assert expected("fibonacci")[:3] == [38, 38, 15]
    # min_heap_size 100 applies at the first GC (allocate), not at spawn for bounded_free
    assert expected("bounded_free", 100)[:3] == [100, 100, 15]


def test_child_code_is_what_the_oracle_plays(tmp_path: Path) -> None:
    """The oracle assumes the compiler's instruction sequence: check it on this host."""
    subprocess.run(["erlc", "-S", "-o", str(tmp_path), str(SOURCE)], check=True)
    asm = (tmp_path / "heap_steps.S").read_text()
    child = asm[asm.index("{function, child, 2"):asm.index("{function, build, 2")]
    child = child[:child.index("{test_heap,")]  # what follows builds the reply
    ops = re.findall(r"\{(allocate|allocate_zero|allocate_heap|test_heap|call|call_ext|"
                     r"put_list|put_tuple2)\b[^\n]*|^\s+(remove_message)\.", child, re.M)
    names = [a or b for a, b in ops]
    pi = ["call_ext"] * 3
    assert names == ["allocate"] + pi + ["call"] + pi + ["remove_message"] + pi \
        + ["call_ext"] + pi
    assert "{allocate,14,2}" in child
    assert child.count("{extfunc,erlang,process_info,2}") == 12
    assert "{extfunc,erlang,garbage_collect,0}" in child
    build = asm[asm.index("{function, build, 2"):asm.index("{function, module_info, 0")]
    assert "{test_heap,2,3}" in build and build.count("put_list") == 1
