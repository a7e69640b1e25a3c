"""Erlang distribution, the VM's side: this node's name, its connections and their packets.

AtomVM keeps the distribution protocol in Erlang (net_kernel, dist_util, the controller
process that owns the socket) and only the parts that touch processes in C (dist_nifs.c).
This module is that C part: every connection to another node holds the packets waiting for
its controller (``dist_ctrl_get_data``), the monitors the other node placed on local
processes, and is found by node name when a local process sends to, links to or unlinks a
process of that node. A packet is what dist_nifs.c builds: the pass-through byte 112, the
control message and, for some operations, a payload, each in the external term format.

Where AtomVM does nothing when a controller dies (its connection just stays), avmsim
disconnects the node as OTP does and the contract asks: the connection is dropped and local
processes linked to that node's processes get a ``noconnection`` exit signal.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from . import signals
from .errors import ErlangError
from .ext_term import NodeId, encode_ext
from .nifs.resources import new_resource
from .terms import ERROR, NIL, Atom, ExtPid, ExtRef, Pid, atom

A_NONODE = atom("nonode@nohost")
A_NET_KERNEL = atom("net_kernel")
A_CONNECT = atom("connect")
A_DIST_DATA = atom("dist_data")
A_NOPROC = atom("noproc")
A_NOCONNECTION = atom("noconnection")
PASS_THROUGH = 112

# Control message operations (OTP's distribution protocol), those AtomVM builds or performs.
LINK = 1
REG_SEND = 6
MONITOR_P = 19
DEMONITOR_P = 20
SEND_SENDER = 22
PAYLOAD_EXIT = 24
PAYLOAD_MONITOR_P_EXIT = 28
SPAWN_REQUEST = 29
SPAWN_REPLY = 31
UNLINK_ID = 35
UNLINK_ID_ACK = 36
SPAWN_REPLY_MONITOR_CREATED = 2


@dataclass(eq=False)
class RemoteMonitor:
    """A monitor another node's process (``watcher``) placed on a local process."""

    target_proc: Any          # the atom or local pid the monitor was asked for
    target_id: int            # the local process it watches
    watcher: ExtPid
    ref: ExtRef


@dataclass(eq=False)
class DistConnection:
    """AtomVM's ``struct DistConnection``: one other node and the packets waiting for it."""

    node: Any                            # the other node's name (Atom)
    creation: int = 0                    # 0 until setnode/3 (an autoconnect does not know it)
    controller_id: int | None = None     # the controller process (setnode/3's ConnPid)
    selecting_id: int | None = None      # who asked for a dist_data notification
    handle: Any = None                   # the resource term (DHandle)
    pending: deque = field(default_factory=deque)
    remote_monitors: list[RemoteMonitor] = field(default_factory=list)


class Dist:
    """The distribution state of one VM (AtomVM's ``GlobalContext`` node fields and list of
    connections). Connections are searched newest first, as AtomVM prepends them."""

    def __init__(self, vm: Any) -> None:
        self.vm = vm
        self.node = A_NONODE
        self.creation = 0
        self.kernel_id: int | None = None   # net_kernel's pid id while the node is alive
        self.connections: list[DistConnection] = []
        self.remote_links: dict[int, list[ExtPid]] = {}   # local pid id -> linked remote pids

    # ------------------------------------------------------------------ identity
    @property
    def alive(self) -> bool:
        return self.node is not A_NONODE

    def local_id(self) -> NodeId | None:
        """This node's name and creation for the external term format, None before setnode."""
        return (self.node, self.creation) if self.alive else None

    def encode(self, term: Any) -> bytes:
        return encode_ext(term, local=self.local_id())

    # ------------------------------------------------------------------ connections
    def find(self, node: Any) -> DistConnection | None:
        for conn in self.connections:
            if conn.node is node:
                return conn
        return None

    def add(self, conn: DistConnection) -> DistConnection:
        conn.handle = new_resource(self.vm, conn)
        self.connections.insert(0, conn)
        return conn

    def enqueue(self, conn: DistConnection, control: tuple, payload: Any = None) -> None:
        """Queue one packet and wake the process waiting for data (dist_enqueue_message).
        ``payload`` None (never a term) is a control message without one."""
        packet = bytes([PASS_THROUGH]) + self.encode(control)
        if payload is not None:
            packet += self.encode(payload)
        conn.pending.append(packet)
        selecting, conn.selecting_id = conn.selecting_id, None
        if selecting is not None:
            self.deliver_to(selecting, A_DIST_DATA)

    def deliver_to(self, pid_id: int, msg: Any) -> None:
        proc = self.vm.processes.get(pid_id)
        if proc is not None:
            self.vm.deliver(proc, msg)

    def autoconnect(self, node: Any) -> DistConnection:
        """A connection to a node not known yet; ``net_kernel`` is told to set it up once the
        caller has queued its packet (:meth:`notify_net_kernel`). noproc without net_kernel."""
        if self.vm.process(A_NET_KERNEL) is None:
            raise ErlangError(ERROR, A_NOPROC)
        return self.add(DistConnection(node))

    def notify_net_kernel(self, conn: DistConnection) -> None:
        self.vm.send(None, A_NET_KERNEL, (A_CONNECT, conn.node, conn.handle))

    # ------------------------------------------------------------------ sending
    def send(self, sender: Any, target: Any, payload: Any) -> None:
        """``Target ! Payload`` for a remote pid or ``{Name, Node}`` (dist_send_message)."""
        if target.__class__ is ExtPid:
            node, name = target.node, None
            control = (SEND_SENDER, self._sender_pid(sender), target)
        else:
            name, node = target
            control = (REG_SEND, self._sender_pid(sender), NIL, name)
        conn = self.find(node)
        if conn is None:
            conn = self.autoconnect(node)
            self.enqueue(conn, control, payload)
            self.notify_net_kernel(conn)
        elif name is not None or conn.creation == target.creation:
            self.enqueue(conn, control, payload)
        # else: that pid belongs to an earlier incarnation of the node: dropped

    @staticmethod
    def _sender_pid(sender: Any) -> Pid:
        return sender.pid if sender is not None else Pid(0)

    # ------------------------------------------------------------------ links
    def link(self, proc: Any, target: ExtPid) -> None:
        """``link(RemotePid)`` (nifs.c + dist_send_link): noproc when the node's known
        connection has another creation."""
        links = self.remote_links.setdefault(proc.pid.id, [])
        if target in links:
            return
        links.append(target)
        control = (LINK, proc.pid, target)
        conn = self.find(target.node)
        if conn is None:
            conn = self.autoconnect(target.node)
            self.enqueue(conn, control)
            self.notify_net_kernel(conn)
        elif conn.creation == target.creation:
            self.enqueue(conn, control)
        else:
            raise ErlangError(ERROR, A_NOPROC)

    def unlink(self, proc: Any, target: ExtPid) -> None:
        """``unlink(RemotePid)``: UNLINK_ID to the node if it is connected."""
        links = self.remote_links.get(proc.pid.id, [])
        if target not in links:
            return
        links.remove(target)
        conn = self.find(target.node)
        if conn is not None and conn.creation == target.creation:
            self.enqueue(conn, (UNLINK_ID, self.vm.new_ref().id, proc.pid, target))

    def remote_link_from(self, local_id: int, remote: ExtPid) -> None:
        """A LINK from another node to a live local process."""
        links = self.remote_links.setdefault(local_id, [])
        if remote not in links:
            links.append(remote)

    def remote_unlink_from(self, conn: DistConnection, unlink_id: Any, local: Pid,
                           remote: Any) -> None:
        """An UNLINK_ID from another node: drop the link and acknowledge it."""
        links = self.remote_links.get(local.id, [])
        if remote in links:
            links.remove(remote)
            self.enqueue(conn, (UNLINK_ID_ACK, unlink_id, local, remote))

    def remote_exit(self, target: Any, sender: Any, reason: Any) -> None:
        """A PAYLOAD_EXIT: the linked remote process ended with ``reason``."""
        links = self.remote_links.get(target.pid.id, [])
        if sender in links:
            links.remove(sender)
        signals.exit_signal(self.vm, target, sender, reason, from_link=True)

    # ------------------------------------------------------------------ monitors
    def remote_monitor(self, conn: DistConnection, watcher: ExtPid, target_proc: Any,
                       ref: ExtRef) -> None:
        """A MONITOR_P (or a spawn request's monitor) from ``watcher`` (dist_monitor)."""
        if target_proc.__class__ is Pid:
            pid = target_proc.id
        else:
            pid = self.vm.registered.get(target_proc, -1)
        monitor = RemoteMonitor(target_proc, pid, watcher, ref)
        if self.vm.processes.get(pid) is None:
            self.monitor_exit(conn, monitor, A_NOPROC)
        else:
            conn.remote_monitors.append(monitor)

    def monitor_exit(self, conn: DistConnection, monitor: RemoteMonitor, reason: Any) -> None:
        self.enqueue(conn, (PAYLOAD_MONITOR_P_EXIT, monitor.target_proc, monitor.watcher,
                            monitor.ref), reason)

    def remote_demonitor(self, conn: DistConnection, target_proc: Any, ref: Any) -> None:
        for monitor in conn.remote_monitors:
            if monitor.target_proc == target_proc and monitor.ref == ref:
                conn.remote_monitors.remove(monitor)
                return

    def spawn_reply(self, conn: DistConnection, req_id: Any, requester: Any, monitor: bool,
                    child: Pid) -> None:
        """Answer a SPAWN_REQUEST; with ``monitor`` the requester now monitors ``child``,
        the request id serving as the monitor's reference (dist_spawn_reply)."""
        flags = SPAWN_REPLY_MONITOR_CREATED if monitor else 0
        self.enqueue(conn, (SPAWN_REPLY, req_id, requester, flags, child))
        if monitor:
            self.remote_monitor(conn, requester, child, req_id)

    # ------------------------------------------------------------------ process exits
    def come_alive(self, node: Atom, creation: int, kernel_id: int) -> None:
        """``setnode/2``: the node is alive for as long as net_kernel (``kernel_id``) runs."""
        self.node, self.creation, self.kernel_id = node, creation, kernel_id

    def process_exited(self, proc: Any, reason: Any) -> None:
        """Tell other nodes a local process ended; a dead controller takes its node down, a
        dead net_kernel this node's name (context.c: ``context_distribution_handle_terminate``)."""
        if proc.pid.id == self.kernel_id:
            self.node, self.creation, self.kernel_id = A_NONODE, 0, None
        for remote in self.remote_links.pop(proc.pid.id, []):
            conn = self.find(remote.node)
            if conn is not None and conn.creation == remote.creation:
                self.enqueue(conn, (PAYLOAD_EXIT, proc.pid, remote), reason)
        for conn in list(self.connections):
            for monitor in [m for m in conn.remote_monitors if m.target_id == proc.pid.id]:
                conn.remote_monitors.remove(monitor)
                self.monitor_exit(conn, monitor, reason)
            if conn.controller_id == proc.pid.id:
                self.disconnect(conn)

    def disconnect(self, conn: DistConnection) -> None:
        """The controller of ``conn`` died: forget the node; links to it break."""
        self.connections.remove(conn)
        for local_id in sorted(self.remote_links):
            links = self.remote_links[local_id]
            broken = [r for r in links if r.node is conn.node and r.creation == conn.creation]
            target = self.vm.processes.get(local_id)
            for remote in broken:
                links.remove(remote)
                if target is not None and target.alive:
                    signals.exit_signal(self.vm, target, remote, A_NOCONNECTION,
                                        from_link=True)

