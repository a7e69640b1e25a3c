"""TCP in flight: what happens to one side of a connection when a segment, an ACK, a FIN or
a RST arrives, and what it sends back — the half of :class:`~avmsim.peripherals.net.SimSocket`
that runs in timed events rather than in the app's calls.

Each side keeps byte counts as TCP's sequence numbers would (nothing is lost or reordered,
so there is no retransmission): ``snd_nxt`` sent, ``snd_una`` acknowledged, ``snd_edge`` the
peer's acknowledged bytes plus the window it advertised; ``rcv_nxt`` received, ``rcv_read``
read by the app. Figures (ESP-IDF v5, components/lwip/Kconfig; lwIP 2.1 ``opt.h``):

- ``TCP_MSS`` 1440 (``CONFIG_LWIP_TCP_MSS``): the largest segment.
- ``TCP_SND_BUF`` 5760 (``CONFIG_LWIP_TCP_SND_BUF_DEFAULT``): unsent plus unacknowledged
  bytes; ``send`` takes no more (ESP-IDF 4.x: 5744, four segments of 1436).
- ``TCP_WND`` 5760 (``CONFIG_LWIP_TCP_WND_DEFAULT``): what a receiver buffers unread; the
  sender never has more in flight than the window the peer advertised.
- ``TCP_WND_UPDATE_THRESHOLD`` = min(WND / 4, 4 × MSS) (lwIP ``tcp_recved``): the receiver
  sends a window update once the app's reads widened the window by that much.
- ``TCP_FIN_WAIT_TIMEOUT`` 20 s (``CONFIG_LWIP_TCP_FIN_WAIT_TIMEOUT``): a connection the app
  closed, whose peer never sends its FIN, is dropped then.
- 40 bytes of IPv4 and TCP headers go on the wire with every segment.

Every method here runs on the stack of the side it belongs to (the caller schedules it
there), so ``on_ready`` may reach that board's VM.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TCP_MSS = 1440
TCP_SND_BUF = 5760
TCP_WND = 5760
TCP_WND_UPDATE_THRESHOLD = min(TCP_WND // 4, 4 * TCP_MSS)
TCP_HEADER = 40
FIN_WAIT_TIMEOUT_NS = 20_000_000_000


@dataclass
class TcpState:
    """One side of a TCP connection: sequence counts, buffers and the close handshake."""
    peer: Any                 # the other side's SimSocket
    rx: bytearray = field(default_factory=bytearray)       # received, not yet read
    unsent: bytearray = field(default_factory=bytearray)   # taken by send, not yet sent
    rcv_nxt: int = 0          # bytes received in order
    rcv_read: int = 0         # bytes the app has read
    rcv_adv_edge: int = TCP_WND   # right edge of the window last advertised
    snd_nxt: int = 0          # bytes sent
    snd_una: int = 0          # bytes acknowledged
    snd_edge: int = TCP_WND   # peer's acknowledged bytes + its window
    fin_wanted: bool = False  # shutdown(write)/close: FIN after the unsent bytes
    fin_sent: bool = False
    fin_acked: bool = False
    fin_received: bool = False
    closed_first: bool = False   # our FIN left before the peer's arrived: TIME_WAIT
    reset: bool = False


class TcpEvents:
    """The TCP events of a socket (mixed into SimSocket, whose state they read and set)."""

    stack: Any                # the NetStack the socket belongs to
    state: str
    dead: bool
    rd_shut: bool
    tcp: TcpState | None
    listener: Any

    def _established(self, server: Any) -> None:
        """(Client) the SYN-ACK arrives: connected; our ACK completes the server's side."""
        if self.state != "connecting" or self.dead:
            self.stack.send_frame(server.stack, TCP_HEADER, server._reset)
            return
        self.tcp = TcpState(server)
        self.state = "connected"
        self._trace("established")
        self.stack.send_frame(server.stack, TCP_HEADER, server._ack_of_syn)
        self._finish_connect(None)
        self._notify()

    def _ack_of_syn(self) -> None:
        """(Server) the client's ACK arrives: the connection waits in the accept queue."""
        if self.dead or self.state != "syn_rcvd":
            return
        self.state = "connected"
        listener = self.listener
        if listener is not None:
            if listener.state != "listening" or not self.stack.room():
                self._drop(None)     # lwIP's accept_function finds no netconn: tcp_abort
                return
            self.stack.held += 1
            listener.accept_q.append(self)
            listener._notify()
        self._notify()

    def _refused(self) -> None:
        """(Client) a RST answers the SYN: nothing listens there, or its queue is full."""
        if not self.dead and self.state == "connecting":
            self._finish_connect("econnrefused")

    def _send_space(self) -> int:
        tcp = self.tcp
        return TCP_SND_BUF - len(tcp.unsent) - (tcp.snd_nxt - tcp.snd_una)

    def _output(self) -> None:
        """Send what the peer's window allows, in segments of at most one MSS; the FIN
        follows the last byte."""
        tcp = self.tcp
        if tcp is None or tcp.reset or self.state not in ("connected", "closed"):
            return
        peer, stack = tcp.peer, self.stack
        while tcp.unsent and tcp.snd_edge - tcp.snd_nxt > 0:
            size = min(TCP_MSS, len(tcp.unsent), tcp.snd_edge - tcp.snd_nxt)
            segment = bytes(tcp.unsent[:size])
            del tcp.unsent[:size]
            tcp.snd_nxt += size
            stack.send_frame(peer.stack, size + TCP_HEADER, lambda s=segment: peer._segment(s))
        if tcp.fin_wanted and not tcp.unsent and not tcp.fin_sent:
            tcp.fin_sent = True
            tcp.closed_first = not tcp.fin_received
            stack.send_frame(peer.stack, TCP_HEADER, peer._fin)

    def _segment(self, data: bytes) -> None:
        """(Here) data arrives; ACK it. A connection the app closed or shut for reading
        (lwIP's ``TF_RXCLOSED``: "received data although already closed"), or one the stack
        forgot, aborts with a RST."""
        tcp = self.tcp
        if tcp is None or tcp.reset:
            return
        if self.dead or self.state == "closed":
            self._send_reset()
            self._forget()
            return
        if self.rd_shut:
            self._drop("econnaborted")
            return
        tcp.rcv_nxt += len(data)
        tcp.rx += data
        self._send_ack()
        self._notify()

    def _consumed(self, nbytes: int) -> None:
        """The app took ``nbytes``: open the window, and tell the peer once it grew by the
        update threshold (lwIP ``tcp_recved``)."""
        tcp = self.tcp
        tcp.rcv_read += nbytes
        edge = tcp.rcv_read + TCP_WND
        if edge - tcp.rcv_adv_edge >= TCP_WND_UPDATE_THRESHOLD and not tcp.reset:
            tcp.rcv_adv_edge = edge
            self._send_ack()

    def _send_ack(self) -> None:
        tcp = self.tcp
        peer, ack, edge = tcp.peer, tcp.rcv_nxt, tcp.rcv_read + TCP_WND
        tcp.rcv_adv_edge = edge
        self.stack.send_frame(peer.stack, TCP_HEADER, lambda: peer._ack(ack, edge))

    def _ack(self, ack: int, edge: int) -> None:
        """(Here) the peer acknowledged ``ack`` bytes and opened its window to ``edge``."""
        if self.dead or self.tcp is None or self.tcp.reset:
            return
        tcp = self.tcp
        tcp.snd_una = max(tcp.snd_una, ack)
        tcp.snd_edge = max(tcp.snd_edge, edge)
        self._output()
        self._notify()

    def _fin(self) -> None:
        """(Here) the peer's FIN arrives after its last byte: end of stream."""
        tcp = self.tcp
        if tcp is None or tcp.reset:
            return
        if self.dead:
            self._send_reset()
            return
        tcp.fin_received = True
        peer = tcp.peer
        self.stack.send_frame(peer.stack, TCP_HEADER, peer._fin_ack)
        self._maybe_finished()
        self._notify()

    def _fin_ack(self) -> None:
        if self.dead or self.tcp is None:
            return
        self.tcp.fin_acked = True
        self._maybe_finished()

    def _maybe_finished(self) -> None:
        """Both FINs are through and the app closed it: the connection leaves the stack.
        Closed with our FIN acknowledged but none from the peer (FIN_WAIT_2), it leaves
        after the FIN_WAIT timeout."""
        tcp = self.tcp
        if self.state != "closed" or not tcp.fin_acked:
            return
        if tcp.fin_received:
            self._forget()
        else:
            self.stack.at(self.stack.now_ns() + FIN_WAIT_TIMEOUT_NS, self._fin_wait_expired)

    def _fin_wait_expired(self) -> None:
        if not self.dead:
            self._forget()

    def _send_reset(self) -> None:
        tcp = self.tcp
        peer = tcp.peer if tcp is not None else None
        if tcp is not None:
            tcp.reset = True
        if peer is None:
            return
        self.stack.trace_event({"op": "reset", "sock": self.serial})
        self.stack.send_frame(peer.stack, TCP_HEADER, peer._reset)

    def _reset(self) -> None:
        """(Here) a RST arrives: the connection is gone (``econnreset``)."""
        if self.dead:
            return
        if self.tcp is not None:
            self.tcp.reset = True
            self.tcp.unsent.clear()
        if self.state == "closed":
            self._forget()
            return
        if self.state == "connecting":
            self._finish_connect("econnreset")
            return
        self.error = "econnreset"
        self._forget()
        self._notify()
