"""The distribution NIFs AtomVM's net_kernel, dist_util and socket_dist_controller call
(nifs.c ``setnode/2``, ``atomvm:get_creation/0``; dist_nifs.c the rest).

``setnode/3`` hands the controller a connection handle (a resource); the controller then
waits for ``dist_data`` (``dist_ctrl_get_data_notification/1``), takes the packets local
processes queued for the node (``dist_ctrl_get_data/1``) and feeds the node's packets in
(``dist_ctrl_put_data/2``), which perform the operation their control message names. The
operations are those dist_nifs.c performs; any other is ``badarg`` after AtomVM's
"Unknown distribution protocol operation id" line on the console.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..dist import (A_NET_KERNEL, DEMONITOR_P, LINK, MONITOR_P, PASS_THROUGH, PAYLOAD_EXIT,
                    REG_SEND, SEND_SENDER, SPAWN_REQUEST, UNLINK_ID, UNLINK_ID_ACK,
                    DistConnection)
from ..errors import badarg
from ..ext_term import decode_ext_used
from ..natives import native
from ..terms import NIL, OK, TRUE, Atom, Cons, ExtPid, ExtRef, Pid, Port, atom
from ._util import charge_results, proplist_value, whole
from .resources import lookup, resource_words

A_NONE = atom("none")
A_REQUEST = atom("request")
MAX_CREATION = 1 << 32


def lookup_connection(ctx: Any, handle: Any) -> DistConnection:
    """The connection behind a DHandle; badarg for anything else."""
    conn = lookup(ctx.vm, handle, DistConnection)
    if conn is None:
        raise badarg()
    return conn


# ---------------------------------------------------------------------------- node identity

@native("erlang", "setnode", 2)
def setnode2(ctx: Any, node: Any, creation: Any) -> Any:
    """The node becomes alive: badarg unless net_kernel runs and the node is not alive yet."""
    dist = ctx.vm.dist
    if node.__class__ is not Atom or creation.__class__ is not int:
        raise badarg()
    kernel = ctx.vm.process(A_NET_KERNEL)
    if not 0 <= creation <= MAX_CREATION or kernel is None:
        raise badarg()
    if dist.alive:
        raise badarg()
    dist.come_alive(node, creation & 0xFFFFFFFF, kernel.pid.id)
    return TRUE


@native("atomvm", "get_creation", 0)
def get_creation(ctx: Any) -> Any:
    return ctx.vm.dist.creation


# ---------------------------------------------------------------------------- the connection

@native("erlang", "setnode", 3)
def setnode3(ctx: Any, node: Any, controller: Any, flags_creation: Any) -> Any:
    """A connection to ``node`` run by ``controller``: the one an autoconnect made if there is
    one, else a new one; badarg if the node is connected already with that creation."""
    if (node.__class__ is not Atom or controller.__class__ not in (Pid, Port)
            or flags_creation.__class__ is not tuple or len(flags_creation) != 2
            or any(v.__class__ is not int for v in flags_creation)):
        raise badarg()
    creation = flags_creation[1] & 0xFFFFFFFF      # the flags are ignored, as in AtomVM
    dist = ctx.vm.dist
    conn = None
    for known in dist.connections:
        if known.node is node:
            if known.controller_id is None:
                conn = known
                break
            if known.creation == creation:
                raise badarg()
    target = ctx.vm.processes.get(controller.id) or ctx.vm.ports.get(controller.id)
    if target is None:
        raise badarg()   # enif_monitor_process fails on a dead process
    if conn is None:
        conn = dist.add(DistConnection(node))
    conn.creation = creation
    conn.controller_id = controller.id
    return conn.handle


@native("erlang", "dist_ctrl_get_data_notification", 1)
def get_data_notification(ctx: Any, handle: Any) -> Any:
    """``dist_data`` now if packets wait, else as soon as one is queued."""
    conn = lookup_connection(ctx, handle)
    if conn.pending:
        ctx.vm.deliver(ctx, atom("dist_data"))
    else:
        conn.selecting_id = ctx.pid.id
    return OK


@native("erlang", "dist_ctrl_get_data", 1)
def get_data(ctx: Any, handle: Any) -> Any:
    conn = lookup_connection(ctx, handle)
    return conn.pending.popleft() if conn.pending else A_NONE


@native("erlang", "dist_ctrl_put_data", 2)
def put_data(ctx: Any, handle: Any, packet: Any) -> Any:
    """Perform the operation of one packet from the other node."""
    if packet.__class__ is not bytes or not packet or packet[0] != PASS_THROUGH:
        raise badarg()
    conn = lookup_connection(ctx, handle)
    local = ctx.vm.dist.local_id()
    try:
        control, end = decode_ext_used(packet, local=local, start=1)
    except ValueError:
        raise badarg() from None
    if control.__class__ is not tuple or not control or control[0].__class__ is not int:
        raise badarg()
    operation = _OPERATIONS.get(control[0])
    if operation is None:
        ctx.vm.console_write(
            f"Unknown distribution protocol operation id {control[0]}\n".encode())
        raise badarg()
    arity, perform = operation
    if len(control) != arity:
        raise badarg()

    def payload() -> Any:
        try:
            return decode_ext_used(packet, local=local, start=end)[0]
        except ValueError:
            raise badarg() from None

    perform(ctx, conn, control, payload)
    return OK


# ---------------------------------------------------------------------------- operations

Payload = Callable[[], Any]


def _local_pid(t: Any) -> Pid:
    if t.__class__ is not Pid:
        raise badarg()
    return t


def _link(ctx: Any, conn: DistConnection, control: tuple, payload: Payload) -> None:
    to = _local_pid(control[2])
    if control[1].__class__ is not ExtPid:
        raise badarg()
    if ctx.vm.process(to) is not None:
        ctx.vm.dist.remote_link_from(to.id, control[1])


def _reg_send(ctx: Any, conn: DistConnection, control: tuple, payload: Payload) -> None:
    name = control[3]
    if name.__class__ is not Atom:
        raise badarg()
    target = ctx.vm.process(name)
    if target is not None:
        ctx.vm.deliver(target, payload())


def _send_sender(ctx: Any, conn: DistConnection, control: tuple, payload: Payload) -> None:
    target = ctx.vm.process(_local_pid(control[2]))
    message = payload()
    if target is not None:
        ctx.vm.deliver(target, message)


def _monitor(ctx: Any, conn: DistConnection, control: tuple, payload: Payload) -> None:
    _, watcher, target_proc, ref = control
    if watcher.__class__ is not ExtPid or ref.__class__ is not ExtRef:
        raise badarg()
    if target_proc.__class__ is Atom:
        if target_proc not in ctx.vm.registered:
            raise badarg()   # dist_monitor: a name nobody holds is not a local pid
    else:
        _local_pid(target_proc)
    ctx.vm.dist.remote_monitor(conn, watcher, target_proc, ref)


def _demonitor(ctx: Any, conn: DistConnection, control: tuple, payload: Payload) -> None:
    if control[3].__class__ is not ExtRef:
        raise badarg()
    ctx.vm.dist.remote_demonitor(conn, control[2], control[3])


def _exit(ctx: Any, conn: DistConnection, control: tuple, payload: Payload) -> None:
    to = _local_pid(control[2])
    reason = payload()
    target = ctx.vm.process(to)
    if target is not None:
        ctx.vm.dist.remote_exit(target, control[1], reason)


def _unlink_id(ctx: Any, conn: DistConnection, control: tuple, payload: Payload) -> None:
    to = _local_pid(control[3])
    if ctx.vm.process(to) is not None:
        ctx.vm.dist.remote_unlink_from(conn, control[1], to, control[2])


def _unlink_id_ack(ctx: Any, conn: DistConnection, control: tuple, payload: Payload) -> None:
    """avmsim's unlink/1 drops the link at once, so the acknowledgement has nothing left to
    do; the target must still be a local pid (dist_nifs.c)."""
    _local_pid(control[3])


def _spawn_request(ctx: Any, conn: DistConnection, control: tuple, payload: Payload) -> None:
    """``{29, ReqId, From, GroupLeader, {M, F, A}, Opts}`` with the argument list as payload:
    ``spawn_opt(M, F, Args, [{request, {DHandle, ReqId, From, GroupLeader, Opts}}])``."""
    from .process_nifs import spawn_opt4
    _, req_id, requester, leader, mfa, opts = control
    args = payload()
    if mfa.__class__ is not tuple or len(mfa) != 3:
        raise badarg()
    if args is not NIL and args.__class__ is not Cons:
        raise badarg()
    if requester.__class__ not in (Pid, ExtPid) or leader.__class__ not in (Pid, ExtPid):
        raise badarg()
    request = (conn.handle, req_id, requester, leader, opts)
    spawn_opt4(ctx, mfa[0], mfa[1], args, Cons((A_REQUEST, request), NIL))


def spawn_requested(ctx: Any, conn: DistConnection, child: Any, request: tuple) -> None:
    """After spawn_opt made ``child`` for a ``{request, {DHandle, …}}`` (``conn`` is the
    DHandle's connection): its group leader is the requester's, the SPAWN_REPLY goes out
    before the child can send anything, and a ``monitor`` request option makes the requester
    monitor it (nifs.c do_spawn)."""
    _, req_id, requester, leader, opts = request[:5]
    child.group_leader = leader
    monitor = proplist_value(opts, atom("monitor")) is not None
    ctx.vm.dist.spawn_reply(conn, req_id, requester, monitor, child.pid)


_OPERATIONS: dict[int, tuple[int, Callable[[Any, DistConnection, tuple, Payload], None]]] = {
    LINK: (3, _link),
    REG_SEND: (4, _reg_send),
    MONITOR_P: (4, _monitor),
    DEMONITOR_P: (4, _demonitor),
    SEND_SENDER: (3, _send_sender),
    SPAWN_REQUEST: (6, _spawn_request),
    PAYLOAD_EXIT: (3, _exit),
    UNLINK_ID: (4, _unlink_id),
    UNLINK_ID_ACK: (4, _unlink_id_ack),
}
"""Operation -> (control tuple size, handler): what dist_nifs.c ``put_data`` performs."""


charge_results("erlang", {
    ("setnode", 3): resource_words,
    ("dist_ctrl_get_data", 1): whole,
})
charge_results("atomvm", {("get_creation", 0): whole})
