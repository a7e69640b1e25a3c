"""A process: registers, stack frames, mailbox, dictionary and its place among processes.

Attribute names are short where generated code touches them on every block: ``x`` (X
registers), ``y`` (current frame), ``cp`` (return block), ``n`` (instructions executed),
``reds`` (reductions left in this slice), ``pc`` (block to resume at).
"""
from __future__ import annotations

from typing import Any

from .terms import Pid

X_REGISTERS = 1024
FLOAT_REGISTERS = 16


class Process:
    __slots__ = ("x", "y", "cp", "fr", "n", "reds", "pc", "vm", "pid", "pdict", "mailbox",
                 "msg_pos", "timer", "waiting", "result", "group_leader", "trap_exit",
                 "links", "monitors", "monitored_by", "registered_name", "spawn_options",
                 "ready_at", "start", "alive", "timer_refs", "ram_blocks", "msg_blocks",
                 "msg_words",
                 "hsize", "hu", "frag", "gcs", "peak_heap", "heap_strategy", "min_heap",
                 "max_heap", "refc", "dict_blocks")

    def __init__(self, vm: Any, pid_id: int) -> None:
        self.vm = vm
        self.pid = Pid(pid_id)
        self.x: list[Any] = [None] * X_REGISTERS
        self.fr: list[float] = [0.0] * FLOAT_REGISTERS
        self.y: list[Any] | None = None
        self.cp = 1          # block 1 ends the process normally
        self.n = 0
        self.reds = 0
        self.pc = 0
        self.pdict: dict[Any, tuple[Any, Any]] = {}
        self.mailbox: list[Any] = []
        self.msg_pos = 0
        self.timer: Any = None            # the armed `receive ... after` timer, if any
        self.waiting = False
        self.result: Any = None
        self.group_leader: Any = None
        self.trap_exit = False
        self.links: set[int] = set()      # pid ids
        self.monitors: dict[Any, int] = {}      # Ref -> pid id this process monitors
        self.monitored_by: dict[Any, tuple[int, Any]] = {}  # Ref -> (watcher pid id, target term)
        self.registered_name: Any = None
        self.spawn_options: dict[str, Any] = {}
        self.ready_at = 0
        self.start: Any = None            # (callee, function or None, args) until first run
        self.alive = True
        self.timer_refs: set[Any] = set()  # send_after/start_timer timers aimed at this pid
        self.ram_blocks: list[int] = []    # board RAM of the Context and the heap
        self.msg_blocks: list[int] = []    # board RAM of each queued message (parallel to mailbox)
        self.msg_words: list[int] = []     # heap words of each queued message (parallel too)
        # heap model (vm/heap.py): young block size, words used in it, fragment words
        self.hsize = self.hu = self.frag = self.gcs = self.peak_heap = 0
        self.heap_strategy: Any = None
        self.min_heap: int | None = None
        self.max_heap: int | None = None
        self.refc: dict[int, Any] = {}      # refc binaries referred to (vm/refc_binaries.py)
        self.dict_blocks: dict[Any, int] = {}   # board RAM of each dictionary entry, by key

    def frames(self):
        """Walk the stack frames from the top (the current function) down."""
        f = self.y
        while f is not None:
            yield f
            f = f[-2]
