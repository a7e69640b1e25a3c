"""send and receive: the mailbox is ``c.mailbox`` (a list), ``c.msg_pos`` the scan position."""
from __future__ import annotations

from ..codegen import Gen, op
from ..operands import Label


@op("send")
def send(g: Gen) -> None:
    g.emit("x[0] = SEND(c, x[0], x[1])")


@op("loop_rec")
def loop_rec(g: Gen, empty: Label, dst) -> None:
    g.emit("p = c.msg_pos")
    g.fail_if("p >= len(c.mailbox)", empty)
    g.dst(dst, "c.mailbox[p]")


@op("loop_rec_end", ends_block=True)
def loop_rec_end(g: Gen, target: Label) -> None:
    g.emit("c.msg_pos += 1")
    g.goto_label(target)


@op("remove_message")
def remove_message(g: Gen) -> None:
    g.emit("REMOVE_MESSAGE(c)")


@op("timeout")
def timeout(g: Gen) -> None:
    g.emit("c.msg_pos = 0")
    g.emit("c.timer = None")


@op("wait", ends_block=True)
def wait(g: Gen, target: Label) -> None:
    g.counted()
    g.emit(f"return WAIT(c, {g.block_of(target)}, None, 0)")


@op("wait_timeout", ends_block=True)
def wait_timeout(g: Gen, target: Label, time) -> None:
    g.counted()
    g.emit(f"return WAIT(c, {g.block_of(target)}, {g.src(time)}, {g.new_block_after()})")


@op("recv_marker_reserve")
def recv_marker_reserve(g: Gen, dst) -> None:
    g.dst(dst, "c.vm.new_ref()")


@op("recv_marker_bind")
def recv_marker_bind(g: Gen, marker, ref) -> None:
    pass


@op("recv_marker_clear")
def recv_marker_clear(g: Gen, ref) -> None:
    pass


@op("recv_marker_use")
def recv_marker_use(g: Gen, ref) -> None:
    pass

