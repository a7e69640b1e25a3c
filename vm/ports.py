"""Ports: AtomVM's native drivers that Erlang code talks to by message.

``open_port({spawn, Name}, Opts)`` starts the driver registered under ``Name`` (the board
wiring supplies them: ``gpio``, ``uart``…) and returns a port. A process talks to it with
AtomVM's call protocol — ``Port ! {'$call', {From, Ref}, Request}``, answered by
``From ! {Ref, Reply}`` — which ``port:call/2,3`` wraps. A driver may answer at once or
later (a UART read waits for bytes); it may also send messages of its own (GPIO
interrupts). Ports share the pid number space, can be registered and monitored, and send
``{'DOWN', Ref, port, Port, Reason}`` to their monitors when they close.
"""
from __future__ import annotations

from typing import Any, Callable, Protocol

from . import signals
from .errors import ErlangError
from .nifs._util import badarg
from .terms import ERROR, NIL, Atom, Cons, Port, atom

A_CALL = atom("$call")
A_DOWN = atom("DOWN")
A_PORT = atom("port")
A_NORMAL = atom("normal")
A_KILL = atom("kill")
A_KILLED = atom("killed")
A_OUT_OF_MEMORY = atom("out_of_memory")

NO_REPLY = object()
"""What a driver's ``call`` returns when it will answer later with :meth:`PortInstance.reply`."""


class Driver(Protocol):
    def call(self, port: "PortInstance", caller: Any, ref: Any, request: Any) -> Any:
        """Handle one request; the reply term, or :data:`NO_REPLY` to answer later."""

    def closed(self, port: "PortInstance") -> None:
        """The port closed: release what the driver holds."""

    # optional: ``message(port, msg)`` takes every message that is not a call (the console's
    # io requests and ``{Pid, close}``); drivers without it ignore them, as AtomVM's do.


DriverFactory = Callable[["PortInstance", Any], Driver]
"""``factory(port, options)`` builds a driver; raises ``ErlangError`` (badarg) on bad options."""


class PortInstance:
    """One open port: its identity, owner and driver."""

    def __init__(self, vm: Any, port: Port, owner: Any) -> None:
        self.vm = vm
        self.port = port
        self.owner = owner            # the pid that opened it
        self.driver: Driver | None = None
        self.registered_name: Atom | None = None
        self.monitored_by: dict[Any, int] = {}   # Ref -> watcher pid id
        self.links: set[int] = set()              # linked pid ids
        self.open = True
        self.block: int | None = None            # its Context in the board's RAM

    def receive(self, msg: Any) -> None:
        """A message sent to the port: a call request, or any other message for a driver that
        takes them (``message``), else ignored as AtomVM's drivers do."""
        if not (msg.__class__ is tuple and len(msg) == 3 and msg[0] is A_CALL
                and msg[1].__class__ is tuple and len(msg[1]) == 2):
            handler = getattr(self.driver, "message", None)
            if handler is not None:
                handler(self, msg)
            return
        caller, ref = msg[1]
        reply = self.driver.call(self, caller, ref, msg[2])
        if reply is not NO_REPLY:
            self.reply(caller, ref, reply)

    def reply(self, caller: Any, ref: Any, value: Any) -> None:
        """Answer a call: ``{Ref, Value}`` to the caller."""
        self.send(caller, (ref, value))

    def send(self, pid: Any, msg: Any) -> None:
        """A message from the driver (replies, interrupts); dropped if the pid is gone."""
        target = self.vm.process(pid)
        if target is not None:
            self.vm.deliver(target, msg)

    def exit_signal(self, reason: Any) -> None:
        """An exit signal reached the port (``exit(Port, R)``, a linked process died): a port
        does not trap exits, so any reason but ``normal`` closes it (``kill`` as ``killed``)."""
        if reason is A_KILL:
            self.close(A_KILLED)
        elif reason is not A_NORMAL:
            self.close(reason)

    def close(self, reason: Any = A_NORMAL) -> None:
        """Close the port: the driver lets go, monitors get their DOWN message and linked
        processes the exit signal."""
        if not self.open:
            return
        self.open = False
        self.driver.closed(self)
        vm = self.vm
        vm.ports.pop(self.port.id, None)
        if self.block is not None:
            vm.charges.release(self.block)
            self.block = None
        if self.registered_name is not None:
            vm.registered.pop(self.registered_name, None)
        for ref, watcher_id in self.monitored_by.items():
            watcher = vm.processes.get(watcher_id)
            if watcher is not None:
                watcher.monitors.pop(ref, None)
                vm.deliver(watcher, (A_DOWN, ref, A_PORT, self.port, reason))
        self.monitored_by.clear()
        for linked_id in sorted(self.links):
            linked = vm.processes.get(linked_id)
            if linked is not None:
                linked.links.discard(self.port.id)
                signals.exit_signal(vm, linked, self.port, reason, from_link=True)
        self.links.clear()


def open_port(vm: Any, owner: Any, name: str, options: Any) -> Port:
    """Start the driver ``name`` for ``owner``; KeyError when no such driver exists."""
    factory = vm.port_drivers[name]
    port = Port(vm.next_pid)
    vm.next_pid += 1
    instance = PortInstance(vm, port, owner)
    instance.driver = factory(instance, options)
    if vm.charges is not None:  # a port is a Context with a native handler
        try:
            instance.block = vm.charges.port(name)
        except MemoryError:
            instance.driver.closed(instance)
            raise ErlangError(ERROR, A_OUT_OF_MEMORY) from None
    vm.ports[port.id] = instance
    return port


def proplist(options: Any) -> dict[Atom, Any]:
    """An options list as a dict (``{Key, Value}`` pairs; a bare atom means ``true``)."""
    out: dict[Atom, Any] = {}
    while options.__class__ is Cons:
        item = options.hd
        if item.__class__ is tuple and len(item) == 2 and item[0].__class__ is Atom:
            out[item[0]] = item[1]
        elif item.__class__ is Atom:
            out[item] = atom("true")
        options = options.tl
    if options is not NIL:
        raise badarg()
    return out
