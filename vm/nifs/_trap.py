"""A native that makes its caller wait for an event, as AtomVM's trapping NIFs do
(``context_update_flags(ctx, ~NoFlags, Trap)``: the process leaves its scheduler and a
callback later hands it its return value).

The caller waits off its core and ignores messages meanwhile: until the event it resumes
at a block that only goes back to waiting. :func:`trap` is called from a
``@control_native`` and returns the resume function the event calls with the value.
"""
from __future__ import annotations

import weakref
from typing import Any, Callable

_WAIT_BLOCKS: "weakref.WeakKeyDictionary[Any, int]" = weakref.WeakKeyDictionary()


def trap(c: Any, cont: int) -> Callable[[Any], None]:
    """Park process ``c``; the returned ``resume(value)`` puts ``value`` in x0 and moves it
    on to ``cont`` (once; later calls, or a dead process, do nothing). The control native
    returns ``0`` after calling this, to give the core back."""
    vm = c.vm
    c.pc = _wait_block(vm)
    c.waiting = True
    done = False

    def resume(value: Any) -> None:
        nonlocal done
        if done or not c.alive:
            return
        done = True
        c.x[0] = value
        c.pc = cont
        if c.waiting:
            c.waiting = False
            if c is not vm.scheduler.current:   # the scheduler requeues its own process
                vm.scheduler.make_ready(c, vm.scheduler.now_ns())

    return resume


def _wait_block(vm: Any) -> int:
    """The block a trapped process resumes at (one per VM, added on first use)."""
    block = _WAIT_BLOCKS.get(vm)
    if block is None:
        vm.blocks.append(_go_on_waiting)
        block = _WAIT_BLOCKS[vm] = len(vm.blocks) - 1
    return block


def _go_on_waiting(c: Any) -> int:
    c.waiting = True
    return 0
