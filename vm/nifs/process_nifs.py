"""Processes, links, monitors, registration, timers and the scheduler, as AtomVM's NIFs.

Signals are handled at once (only one process runs at a time in the simulation); a signal
that ends the calling process takes effect when the native returns.
"""
from __future__ import annotations

from typing import Any

from .. import heap, signals
from ..errors import ErlangError, Halt, ProcessExit, badarg
from ..natives import control_native, native
from ..term_size import term_words
from ._util import cells, charge_results, proplist_value, whole
from .dist_nifs import lookup_connection, spawn_requested
from ..runtime import preempt
from ..terms import (ERROR, FALSE, NIL, TRUE, UNDEFINED, Atom, Cons, ExtFun, ExtPid, Fun, Pid,
                     Port, ATOMS, Ref, atom, from_list, from_str, to_list)

A_LINK = atom("link")
A_MONITOR = atom("monitor")
A_PROCESS = atom("process")
A_PORT = atom("port")
A_TRAP_EXIT = atom("trap_exit")
A_FLUSH = atom("flush")
A_INFO = atom("info")
A_ABS = atom("abs")
A_ASYNC = atom("async")
A_TIMEOUT = atom("timeout")
A_NOPROC = atom("noproc")
A_SCHEDULERS_ONLINE = atom("schedulers_online")
SPAWN_OPTION_KEYS = {atom(k): k for k in
                     ("min_heap_size", "max_heap_size", "atomvm_heap_growth", "priority",
                      "fullsweep_after", "message_queue_data")}


def _proper_list(t: Any) -> list:
    try:
        return to_list(t)
    except ValueError:
        raise badarg() from None


# ---------------------------------------------------------------------------- spawning

HEAP_GROWTH_STRATEGIES = frozenset(atom(s) for s in ("bounded_free", "minimum", "fibonacci"))
A_REQUEST = atom("request")


def _spawn_options(opts: Any) -> tuple[bool, bool, dict[str, Any]]:
    """Link, monitor and the stored options of a spawn_opt option list, as nifs.c
    ``do_spawn`` reads it: only the keys it knows, so unknown options are ignored; still
    badarg are a non-list, a heap size that is not an integer, min above max, an unknown
    ``atomvm_heap_growth`` strategy and a ``request`` that is not a tuple of 5 or more."""
    if opts is not NIL and opts.__class__ is not Cons:
        raise badarg()
    stored: dict[str, Any] = {}
    for key, name in SPAWN_OPTION_KEYS.items():
        value = proplist_value(opts, key)
        if value is not None and value is not NIL:   # [] reads as absent (the default)
            stored[name] = value
    lo, hi = stored.get("min_heap_size"), stored.get("max_heap_size")
    if any(v is not None and v.__class__ is not int for v in (lo, hi)):
        raise badarg()
    if lo is not None and hi is not None and lo > hi:
        raise badarg()
    growth = stored.get("atomvm_heap_growth")
    if growth is not None and growth not in HEAP_GROWTH_STRATEGIES:
        raise badarg()
    request = proplist_value(opts, A_REQUEST)
    if request is not None and (request.__class__ is not tuple or len(request) < 5):
        raise badarg()
    return proplist_value(opts, A_LINK) is TRUE, proplist_value(opts, A_MONITOR) is TRUE, stored


def _spawn(ctx: Any, callee: Any, function: Any, args: list, opts: Any = NIL) -> Any:
    link, monitor, stored = _spawn_options(opts)
    request = proplist_value(opts, A_REQUEST)   # another node's spawn_request
    conn = lookup_connection(ctx, request[0]) if request is not None else None
    child = ctx.vm.spawn(callee, function, args, parent=ctx, options=stored)
    if conn is not None:
        spawn_requested(ctx, conn, child, request)
    if link:
        child.links.add(ctx.pid.id)
        ctx.links.add(child.pid.id)
    if monitor:
        return (child.pid, _add_monitor(ctx, child, child.pid))
    return child.pid


def _check_fun(f: Any, zero_arity: bool = True) -> None:
    """spawn/1 and spawn_link/1 take any fun (a wrong arity crashes the child with
    badarity, as in OTP); the monitor and option variants insist on arity 0."""
    if f.__class__ is not Fun and f.__class__ is not ExtFun:
        raise badarg()
    if zero_arity and f.arity != 0:
        raise badarg()


def _check_mfa(m: Any, f: Any, args: Any) -> list:
    if m.__class__ is not Atom or f.__class__ is not Atom:
        raise badarg()
    return _proper_list(args)


@native("erlang", "spawn", 1)
def spawn1(ctx: Any, f: Any) -> Any:
    _check_fun(f, zero_arity=False)
    return _spawn(ctx, f, None, [])


@native("erlang", "spawn", 3)
def spawn3(ctx: Any, m: Any, f: Any, args: Any) -> Any:
    return _spawn(ctx, m, f, _check_mfa(m, f, args))


@native("erlang", "spawn_link", 1)
def spawn_link1(ctx: Any, f: Any) -> Any:
    _check_fun(f, zero_arity=False)
    return _spawn(ctx, f, None, [], from_list([A_LINK]))


@native("erlang", "spawn_link", 3)
def spawn_link3(ctx: Any, m: Any, f: Any, args: Any) -> Any:
    return _spawn(ctx, m, f, _check_mfa(m, f, args), from_list([A_LINK]))


@native("erlang", "spawn_monitor", 1)
def spawn_monitor1(ctx: Any, f: Any) -> Any:
    _check_fun(f)
    return _spawn(ctx, f, None, [], from_list([A_MONITOR]))


@native("erlang", "spawn_monitor", 3)
def spawn_monitor3(ctx: Any, m: Any, f: Any, args: Any) -> Any:
    return _spawn(ctx, m, f, _check_mfa(m, f, args), from_list([A_MONITOR]))


@native("erlang", "spawn_opt", 2)
def spawn_opt2(ctx: Any, f: Any, opts: Any) -> Any:
    _check_fun(f)
    return _spawn(ctx, f, None, [], opts)


@native("erlang", "spawn_opt", 4)
def spawn_opt4(ctx: Any, m: Any, f: Any, args: Any, opts: Any) -> Any:
    return _spawn(ctx, m, f, _check_mfa(m, f, args), opts)


# ---------------------------------------------------------------------------- links and exits

def _pid_arg(t: Any) -> Any:
    if t.__class__ is not Pid and t.__class__ is not Port:
        raise badarg()
    return t


def _peer(vm: Any, ident: Any) -> Any:
    """The live process or the open port (both have ``links``) behind a local pid or port."""
    return vm.process(ident) if ident.__class__ is Pid else vm.port(ident)


def _linked(vm: Any, proc: Any) -> list[Any]:
    """The pids and ports ``proc`` is linked to, by number."""
    found = []
    for i in sorted(proc.links):
        if i in vm.processes:
            found.append(vm.processes[i].pid)
        elif i in vm.ports:
            found.append(vm.ports[i].port)
    return found


@native("erlang", "link", 1)
def link(ctx: Any, pid: Any) -> Any:
    if pid.__class__ is ExtPid:
        ctx.vm.dist.link(ctx, pid)
        return TRUE
    _pid_arg(pid)
    if pid == ctx.pid:
        return TRUE
    other = _peer(ctx.vm, pid)
    if other is None:
        if ctx.trap_exit:
            ctx.vm.deliver(ctx, (signals.A_EXIT, pid, A_NOPROC))
            return TRUE
        raise ErlangError(ERROR, A_NOPROC)
    ctx.links.add(pid.id)
    other.links.add(ctx.pid.id)
    return TRUE


@native("erlang", "unlink", 1)
def unlink(ctx: Any, pid: Any) -> Any:
    if pid.__class__ is ExtPid:
        ctx.vm.dist.unlink(ctx, pid)
        return TRUE
    _pid_arg(pid)
    ctx.links.discard(pid.id)
    other = _peer(ctx.vm, pid)
    if other is not None:
        other.links.discard(ctx.pid.id)
    return TRUE


@native("erlang", "exit", 2)
def exit2(ctx: Any, pid: Any, reason: Any) -> Any:
    _pid_arg(pid)
    vm = ctx.vm
    if pid == ctx.pid:
        if reason is signals.A_KILL:
            raise ProcessExit(signals.A_KILLED)
        if ctx.trap_exit:
            vm.deliver(ctx, (signals.A_EXIT, ctx.pid, reason))
            return TRUE
        raise ProcessExit(reason)
    if pid.__class__ is Port:
        port = vm.port(pid)
        if port is not None:
            port.exit_signal(reason)
    else:
        target = vm.process(pid)
        if target is not None:
            signals.exit_signal(vm, target, ctx.pid, reason, from_link=False)
    signals.raise_pending_self_exit(vm)
    return TRUE


@native("erlang", "process_flag", 2)
def process_flag(ctx: Any, flag: Any, value: Any) -> Any:
    if flag is A_TRAP_EXIT:
        if value is not TRUE and value is not FALSE:
            raise badarg()
        old = TRUE if ctx.trap_exit else FALSE
        ctx.trap_exit = value is TRUE
        return old
    if flag.__class__ is Atom and flag.name in ("priority", "message_queue_data",
                                                "min_heap_size", "max_heap_size"):
        old = ctx.spawn_options.get(flag.name, atom("normal") if flag.name == "priority" else 0)
        ctx.spawn_options[flag.name] = value
        return old
    raise badarg()


# ---------------------------------------------------------------------------- monitors

def _add_monitor(ctx: Any, target: Any, target_term: Any) -> Ref:
    ref = ctx.vm.new_ref()
    ctx.monitors[ref] = target.pid.id
    target.monitored_by[ref] = (ctx.pid.id, target_term)
    return ref


def _monitor_port(ctx: Any, target: Any) -> Ref:
    """``monitor(port, Port)``: DOWN when the port closes, or at once if it is not open."""
    vm = ctx.vm
    port = vm.port(target) if target.__class__ in (Port, Atom) else None
    if port is None and target.__class__ is not Port and target.__class__ is not Atom:
        raise badarg()
    ref = vm.new_ref()
    if port is None:
        vm.deliver(ctx, (signals.A_DOWN, ref, A_PORT, target, A_NOPROC))
    else:
        ctx.monitors[ref] = port.port.id
        port.monitored_by[ref] = ctx.pid.id
    return ref


@native("erlang", "monitor", 2)
def monitor(ctx: Any, kind: Any, target: Any) -> Any:
    if kind is A_PORT:
        return _monitor_port(ctx, target)
    if kind is not A_PROCESS:
        raise badarg()
    vm = ctx.vm
    if target.__class__ is Pid:
        term, proc = target, vm.process(target)
    elif target.__class__ is Atom:
        term, proc = (target, vm.dist.node), vm.process(target)
    elif (target.__class__ is tuple and len(target) == 2 and target[0].__class__ is Atom
          and target[1] is vm.dist.node):
        term, proc = target, vm.process(target[0])
    else:
        raise badarg()
    if proc is None:
        ref = vm.new_ref()
        vm.deliver(ctx, (signals.A_DOWN, ref, A_PROCESS, term, A_NOPROC))
        return ref
    if proc is ctx:  # OTP makes no monitor on oneself
        return vm.new_ref()
    return _add_monitor(ctx, proc, term)


def _demonitor(ctx: Any, ref: Any) -> bool:
    if ref.__class__ is not Ref:
        raise badarg()
    target_id = ctx.monitors.pop(ref, None)
    if target_id is None:
        return False
    target = ctx.vm.processes.get(target_id) or ctx.vm.ports.get(target_id)
    if target is not None:
        target.monitored_by.pop(ref, None)
    return True


@native("erlang", "demonitor", 1)
def demonitor1(ctx: Any, ref: Any) -> Any:
    _demonitor(ctx, ref)
    return TRUE


@native("erlang", "demonitor", 2)
def demonitor2(ctx: Any, ref: Any, opts: Any) -> Any:
    options = _proper_list(opts)
    if any(o is not A_FLUSH and o is not A_INFO for o in options):
        raise badarg()
    removed = _demonitor(ctx, ref)
    if A_FLUSH in options:
        if ctx.vm.drop_messages(ctx, lambda m: (m.__class__ is tuple and len(m) == 5
                                               and m[0] is signals.A_DOWN and m[1] == ref)):
            ctx.msg_pos = 0
    if A_INFO in options:
        return TRUE if removed else FALSE
    return TRUE


# ---------------------------------------------------------------------------- registry

@native("erlang", "register", 2)
def register(ctx: Any, name: Any, pid: Any) -> Any:
    vm = ctx.vm
    if name.__class__ is not Atom or name is UNDEFINED or name in vm.registered:
        raise badarg()
    proc = vm.process(_pid_arg(pid)) or vm.port(pid)
    if proc is None or proc.registered_name is not None:
        raise badarg()
    vm.registered[name] = pid.id
    proc.registered_name = name
    return TRUE


@native("erlang", "unregister", 1)
def unregister(ctx: Any, name: Any) -> Any:
    vm = ctx.vm
    pid_id = vm.registered.pop(name, None) if name.__class__ is Atom else None
    if pid_id is None:
        raise badarg()
    proc = vm.processes.get(pid_id) or vm.ports.get(pid_id)
    if proc is not None:
        proc.registered_name = None
    return TRUE


@native("erlang", "whereis", 1)
def whereis(ctx: Any, name: Any) -> Any:
    if name.__class__ is not Atom:
        raise badarg()
    proc = ctx.vm.process(name)
    if proc is not None:
        return proc.pid
    port = ctx.vm.port(name)
    return UNDEFINED if port is None else port.port


@native("erlang", "registered", 0)
def registered(ctx: Any) -> Any:
    return from_list(sorted(ctx.vm.registered, key=lambda a: a.name))


# ---------------------------------------------------------------------------- introspection

@native("erlang", "is_process_alive", 1)
def is_process_alive(ctx: Any, pid: Any) -> Any:
    if pid.__class__ is not Pid:
        raise badarg()
    return TRUE if ctx.vm.process(pid) is not None else FALSE


@native("erlang", "processes", 0)
def processes(ctx: Any) -> Any:
    return from_list([p.pid for _, p in sorted(ctx.vm.processes.items())])


def _group_leader(proc: Any) -> Any:
    """The process's group leader; itself when none is set, AtomVM's sign for "print through
    the console" (nifs.c nif_erlang_group_leader)."""
    return proc.pid if proc.group_leader is None else proc.group_leader


@native("erlang", "group_leader", 0)
def group_leader0(ctx: Any) -> Any:
    return _group_leader(ctx)


@native("erlang", "group_leader", 2)
def group_leader2(ctx: Any, leader: Any, pid: Any) -> Any:
    proc = ctx.vm.process(_pid_arg(pid))
    if (leader.__class__ is not Pid and leader.__class__ is not ExtPid) or proc is None:
        raise badarg()  # a leader on another node is fine (nifs.c: term_is_pid)
    proc.group_leader = leader
    return TRUE


def _status(vm: Any, proc: Any) -> Atom:
    if proc is vm.scheduler.current:
        return atom("running")
    return atom("waiting") if proc.waiting else atom("runnable")


def _current_function(vm: Any, proc: Any) -> Any:
    info = vm.block_info[proc.pc] if 0 <= proc.pc < len(vm.block_info) else None
    if info is None:
        return UNDEFINED
    return (info.module.name, info.function, info.arity)


PROCESS_INFO_ITEMS = {
    "registered_name": lambda vm, p: p.registered_name if p.registered_name is not None else NIL,
    "message_queue_len": lambda vm, p: len(p.mailbox),
    "messages": lambda vm, p: from_list(p.mailbox),
    "links": lambda vm, p: from_list(_linked(vm, p)),
    "monitors": lambda vm, p: from_list([(A_PROCESS, vm.processes[i].pid)
                                         for _, i in sorted(p.monitors.items(),
                                                            key=lambda kv: kv[0].id)
                                         if i in vm.processes]),
    "monitored_by": lambda vm, p: from_list([vm.processes[w].pid
                                             for _, (w, _) in sorted(p.monitored_by.items(),
                                                                     key=lambda kv: kv[0].id)
                                             if w in vm.processes]),
    "trap_exit": lambda vm, p: TRUE if p.trap_exit else FALSE,
    "dictionary": lambda vm, p: from_list(list(p.pdict.values())),
    "group_leader": lambda vm, p: _group_leader(p),
    "status": _status,
    "current_function": _current_function,
    "reductions": lambda vm, p: p.n,
    "heap_size": lambda vm, p: vm.memory_stats(p)["heap_size"],
    "total_heap_size": lambda vm, p: vm.memory_stats(p)["total_heap_size"],
    "stack_size": lambda vm, p: vm.memory_stats(p)["stack_size"],
    "memory": lambda vm, p: vm.memory_stats(p)["memory"],
}
"""process_info/2 items, with the heap figures of the memory model (vm/heap.py)."""


def _info_item(vm: Any, proc: Any, key: Any) -> Any:
    item = PROCESS_INFO_ITEMS.get(key.name) if key.__class__ is Atom else None
    if item is None:
        raise badarg()
    value = item(vm, proc)
    if key.name == "registered_name" and value is NIL:
        return NIL
    return (key, value)


def _answer(ctx: Any, proc: Any, key: Any) -> Any:
    """One item, built as nifs.c ``nif_erlang_process_info`` builds it. About itself, a
    process makes room for the answer first (``memory_ensure_free_opt``, may shrink, no
    roots), then reads the figure — so a heap size read is the size after that GC — and
    builds it on its heap. Another process answers on a heap of its own that it frees
    after sending (context.c): its heap is untouched, and the answer reaches the caller as
    a trap-answer signal, a heap fragment of the caller's (``mailbox_message_dispose``)."""
    vm = ctx.vm
    words = term_words(_info_item(vm, proc, key), vm.layout)
    if proc is ctx:
        heap.ensure(proc, words, 0, heap.CAN_SHRINK)
        answer = _info_item(vm, proc, key)
        proc.hu += words
    else:
        answer = _info_item(vm, proc, key)
        ctx.frag += words + heap.MESSAGE_FRAGMENT_EXTRA
    return answer


TUPLE3_WORDS = 3
"""A 2-tuple: header and two elements."""


@native("erlang", "process_info", 2)
def process_info2(ctx: Any, pid: Any, what: Any) -> Any:
    if pid.__class__ is not Pid:
        raise badarg()
    vm = ctx.vm
    proc = vm.process(pid)
    if what.__class__ is Cons or what is NIL:
        keys = _proper_list(what)
        if proc is None:
            return UNDEFINED
        return from_list([_info_item(vm, proc, k) for k in keys])
    if what.__class__ is not Atom or what.name not in PROCESS_INFO_ITEMS:
        raise badarg()
    if proc is None:
        return UNDEFINED
    return _answer(ctx, proc, what)


@native("erlang", "process_info", 1)
def process_info1(ctx: Any, pid: Any) -> Any:
    if pid.__class__ is not Pid:
        raise badarg()
    vm = ctx.vm
    proc = vm.process(pid)
    if proc is None:
        return UNDEFINED
    keys = ["registered_name", "current_function", "status", "message_queue_len", "links",
            "dictionary", "trap_exit", "group_leader", "reductions"]
    items = [_info_item(vm, proc, atom(k)) for k in keys]
    return from_list([i for i in items if i is not NIL])


# ---------------------------------------------------------------------------- messages and timers

@native("erlang", "send", 2)
def send2(ctx: Any, dest: Any, msg: Any) -> Any:
    ctx.vm.send(ctx, dest, msg)
    return msg


@native("erlang", "send", 3)
def send3(ctx: Any, dest: Any, msg: Any, opts: Any) -> Any:
    _proper_list(opts)
    ctx.vm.send(ctx, dest, msg)
    return atom("ok")


def _timer_time(ctx: Any, time_ms: Any, opts: Any) -> int:
    """Due time in virtual ns of a send_after/start_timer."""
    absolute = False
    for opt in _proper_list(opts):
        if opt.__class__ is tuple and len(opt) == 2 and opt[0] is A_ABS and opt[1] in (TRUE, FALSE):
            absolute = opt[1] is TRUE
        else:
            raise badarg()
    if time_ms.__class__ is not int or (time_ms < 0 and not absolute):
        raise badarg()
    now = ctx.vm.scheduler.now_ns()
    if absolute:   # an absolute time is on the monotonic clock, which counts from boot
        return max(time_ms * 1_000_000 + ctx.vm.boot_ns, now)
    return now + time_ms * 1_000_000


def _arm(ctx: Any, due_ns: int, dest: Any, make_msg: Any) -> Ref:
    if dest.__class__ is not Pid and dest.__class__ is not Atom:
        raise badarg()
    vm = ctx.vm
    ref = vm.new_ref()
    owner = vm.process(dest) if dest.__class__ is Pid else None
    if dest.__class__ is Pid and owner is None:
        return ref  # OTP: a timer for a dead pid never fires and reads as expired

    def fire() -> None:
        vm.timers.pop(ref, None)
        if owner is not None:
            owner.timer_refs.discard(ref)
        target = vm.process(dest)
        if target is not None:
            vm.deliver(target, make_msg(ref))

    vm.timers[ref] = vm.scheduler.schedule(due_ns, fire)
    if owner is not None:
        owner.timer_refs.add(ref)
    return ref


@native("erlang", "send_after", 3)
def send_after3(ctx: Any, time_ms: Any, dest: Any, msg: Any) -> Any:
    return _arm(ctx, _timer_time(ctx, time_ms, NIL), dest, lambda ref: msg)


@native("erlang", "send_after", 4)
def send_after4(ctx: Any, time_ms: Any, dest: Any, msg: Any, opts: Any) -> Any:
    return _arm(ctx, _timer_time(ctx, time_ms, opts), dest, lambda ref: msg)


@native("erlang", "start_timer", 3)
def start_timer3(ctx: Any, time_ms: Any, dest: Any, msg: Any) -> Any:
    return _arm(ctx, _timer_time(ctx, time_ms, NIL), dest, lambda ref: (A_TIMEOUT, ref, msg))


@native("erlang", "start_timer", 4)
def start_timer4(ctx: Any, time_ms: Any, dest: Any, msg: Any, opts: Any) -> Any:
    return _arm(ctx, _timer_time(ctx, time_ms, opts), dest, lambda ref: (A_TIMEOUT, ref, msg))


def _remaining_ms(ctx: Any, event: Any) -> int:
    return max(0, -(-(event.due_ns - ctx.vm.scheduler.now_ns()) // 1_000_000))


@native("erlang", "cancel_timer", 1)
def cancel_timer1(ctx: Any, ref: Any) -> Any:
    return cancel_timer2(ctx, ref, NIL)


@native("erlang", "cancel_timer", 2)
def cancel_timer2(ctx: Any, ref: Any, opts: Any) -> Any:
    if ref.__class__ is not Ref:
        raise badarg()
    options = _proper_list(opts)
    event = ctx.vm.timers.pop(ref, None)
    result = FALSE if event is None else _remaining_ms(ctx, event)
    if event is not None:
        event.cancel()
    info, asynchronous = TRUE, FALSE
    for opt in options:
        if opt.__class__ is tuple and len(opt) == 2 and opt[0] in (A_INFO, A_ASYNC):
            if opt[0] is A_INFO:
                info = opt[1]
            else:
                asynchronous = opt[1]
        else:
            raise badarg()
    if asynchronous is TRUE:
        if info is TRUE:
            ctx.vm.deliver(ctx, (atom("cancel_timer"), ref, result))
        return atom("ok")
    return result if info is TRUE else atom("ok")


@native("erlang", "read_timer", 1)
def read_timer(ctx: Any, ref: Any) -> Any:
    if ref.__class__ is not Ref:
        raise badarg()
    event = ctx.vm.timers.get(ref)
    return FALSE if event is None else _remaining_ms(ctx, event)


# ---------------------------------------------------------------------------- scheduler and VM

@control_native("erlang", "yield", 0)
def yield_(c: Any, cont: int) -> int:
    c.x[0] = TRUE
    return preempt(c, cont)


@native("erlang", "halt", 0)
def halt0(ctx: Any) -> Any:
    raise Halt(0)


@native("erlang", "halt", 1)
def halt1(ctx: Any, status: Any) -> Any:
    if status.__class__ is int and status >= 0:
        raise Halt(status)
    if status.__class__ is Cons or status is NIL or status is atom("abort"):
        raise Halt(1)
    raise badarg()


@native("erlang", "halt", 2)
def halt2(ctx: Any, status: Any, opts: Any) -> Any:
    _proper_list(opts)
    return halt1(ctx, status)


@native("erlang", "system_flag", 2)
def system_flag(ctx: Any, flag: Any, value: Any) -> Any:
    sched = ctx.vm.scheduler
    if flag is A_SCHEDULERS_ONLINE:
        if value.__class__ is not int or not 1 <= value <= sched.cores:
            raise badarg()
        return sched.set_online(value)
    raise badarg()


def _ram_figure(name: str) -> Any:
    """An ESP32 heap figure from the board's allocator (badarg on other platforms)."""
    def read(vm: Any) -> Any:
        ram = vm.charges.ram if vm.charges is not None else None
        if vm.platform.name != "esp32" or ram is None:
            raise badarg()
        return getattr(ram, name)
    return read


SYSTEM_INFO = {
    "esp32_free_heap_size": _ram_figure("free_bytes"),
    "esp32_largest_free_block": _ram_figure("largest_free_block"),
    "esp32_minimum_free_size": _ram_figure("minimum_free_ever"),
    "schedulers": lambda vm: vm.scheduler.cores,
    "schedulers_online": lambda vm: vm.scheduler.online,
    "process_count": lambda vm: len(vm.processes),
    "port_count": lambda vm: len(vm.ports),
    "atom_count": lambda vm: len(ATOMS),
    "wordsize": lambda vm: vm.word_size,
    "machine": lambda vm: from_str("ATOM"),
    "avm_floatsize": lambda vm: (vm.layout.float_words - 1) * vm.layout.word_bytes,
    "system_architecture": lambda vm: vm.system_architecture.encode(),
    "atomvm_version": lambda vm: ATOMVM_VERSION.encode(),
    "system_version": lambda vm: from_str(_system_version(vm)),
    "otp_release": lambda vm: from_str(DIST_OTP_RELEASE),
    "break_ignored": lambda vm: TRUE,
    "emu_flavor": lambda vm: atom("emu"),
    "refc_binary_info": lambda vm: _refc_binary_info(vm),
}
"""erlang:system_info/1 items AtomVM answers on every platform (nifs.c
``nif_erlang_system_info``; device-specific items such as esp32_free_heap_size come with the
memory model and the board). Any other atom is ``undefined`` (the platforms' ``sys_get_info``
fallback), where OTP raises badarg; a non-atom is badarg. ``avm_floatsize`` is
``sizeof(avm_float_t)``: 8, or 4 on a build with 32-bit floats (one word less per float)."""

ATOMVM_VERSION = "0.8.0-dev"
"""ATOMVM_BASE_VERSION (version.cmake) of the AtomVM revision avmsim follows."""

DIST_OTP_RELEASE = "27"
"""dist_nifs.h: the OTP release AtomVM reports (for distribution) whatever compiled the app."""

REFC_INFO_WARNING = (b"WARNING: The refc_binary_info system info tag is deprecated.  "
                     b"Use erlang:memory(binary) instead.\n")


def _system_version(vm: Any) -> str:
    """AtomVM's banner: an SMP build names the online and total cores. AtomVM builds
    without SMP for single-core chips (the STM32 port, ESP32-C3 and the other one-core
    ESP32s); generic_unix and the dual-core ESP32 and RP2 are SMP builds."""
    cores = vm.scheduler.cores
    is_smp = cores > 1 or vm.platform.name == "generic_unix"
    smp = f"[smp:{vm.scheduler.online}:{cores}]" if is_smp else "[nosmp]"
    return f"AtomVM {ATOMVM_VERSION} [{vm.layout.word_bits}-bit] {smp}\n"


def _refc_binary_info(vm: Any) -> Any:
    """``[{Size, RefCount}]`` per live refc binary, after AtomVM's deprecation warning."""
    vm.console_write(REFC_INFO_WARNING)
    return from_list([(len(r.data), r.holders) for r in reversed(vm.refc.table.values())])


@native("erlang", "system_info", 1)
def system_info(ctx: Any, key: Any) -> Any:
    if key.__class__ is not Atom:
        raise badarg()
    item = SYSTEM_INFO.get(key.name)
    return UNDEFINED if item is None else item(ctx.vm)


A_BINARY = atom("binary")


@native("erlang", "memory", 1)
def memory(ctx: Any, kind: Any) -> Any:
    """AtomVM answers only ``binary``: the bytes of every refc binary (off-heap)."""
    if kind is not A_BINARY:
        raise badarg()
    total = ctx.vm.refc.total_bytes()
    words = term_words(total, ctx.vm.layout)
    if words:
        heap.build(ctx, words)
    return total


@native("erlang", "garbage_collect", 0)
def garbage_collect0(ctx: Any) -> Any:
    """A full collection of the caller (nifs.c: need 0, force shrink, no X register)."""
    heap.ensure(ctx, 0, 0, heap.FORCE_SHRINK)
    return TRUE


@native("erlang", "garbage_collect", 1)
def garbage_collect1(ctx: Any, pid: Any) -> Any:
    proc = ctx.vm.process(_pid_arg(pid))
    if proc is None:
        return FALSE
    heap.ensure(proc, 0, 0, heap.FORCE_SHRINK)  # AtomVM: a GC signal, handled without roots
    return TRUE


@native("erlang", "get_module_info", 1)
def get_module_info1(ctx: Any, module: Any) -> Any:
    return _module_info(ctx, module, None)


@native("erlang", "get_module_info", 2)
def get_module_info2(ctx: Any, module: Any, item: Any) -> Any:
    return _module_info(ctx, module, item)


def _module_info(ctx: Any, module: Any, item: Any) -> Any:
    mod = ctx.vm.get_module(module) if module.__class__ is Atom else None
    if mod is None:
        raise badarg()
    exports = from_list([(atom(f), a) for (f, a) in sorted(mod.exports, key=lambda fa: (fa[0], fa[1]))])
    items = {"module": module, "exports": exports, "attributes": NIL, "compile": NIL,
             "md5": NIL}
    if item is None:
        return from_list([(atom(k), v) for k, v in items.items() if k != "md5"])
    if item.__class__ is not Atom or item.name not in items:
        raise badarg()
    return items[item.name]


charge_results("erlang", {
    ("spawn_monitor", 1): whole, ("spawn_monitor", 3): whole, ("spawn_opt", 2): whole,
    ("spawn_opt", 4): whole, ("monitor", 2): whole, ("registered", 0): cells,
    ("processes", 0): cells, ("send_after", 3): whole, ("send_after", 4): whole,
    ("start_timer", 3): whole, ("start_timer", 4): whole,
    # nifs.c nif_erlang_system_info: strings of cells, a binary, numbers (sys.c the rest)
    ("system_info", 1): whole,
    # nifs.c nif_erlang_get_module_info: {F, A} + cell per export, 4 × (tuple + cell) more
    # for get_module_info/1; module, attributes and compile build nothing
    ("get_module_info", 1): whole, ("get_module_info", 2): whole,
})
