"""What the TCP round-trip benchmarks (``bench_net_host``, ``bench_world``) share: the board
apps, an echo server and a client that times N round trips of 32 bytes, and compiling them.

Each app first runs its benchmark's own setup (joining a network, connecting), so the two
benchmarks time the same Erlang loop whatever links the boards.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

ECHO_SERVER = """-module(%(module)s).
-export([start/0]).
start() ->
    %(setup)s
    {ok, L} = gen_tcp:listen(7, [binary, {active, false}]),
    {ok, S} = gen_tcp:accept(L),
    loop(S).
loop(S) ->
    case gen_tcp:recv(S, 0) of
        {ok, Data} -> ok = gen_tcp:send(S, Data), loop(S);
        {error, closed} -> ok
    end.
"""

ROUND_TRIPS = """-module(%(module)s).
-export([start/0]).
start() ->
    %(setup)s
    T0 = erlang:monotonic_time(microsecond),
    ok = loop(S, %(n)d),
    T1 = erlang:monotonic_time(microsecond),
    io:format("~p~n", [T1 - T0]),
    gen_tcp:close(S).
loop(_S, 0) -> ok;
loop(S, N) ->
    ok = gen_tcp:send(S, <<0:256>>),
    {ok, <<_:256>>} = recv(S, 32, <<>>),
    loop(S, N - 1).
recv(_S, Size, Acc) when byte_size(Acc) >= Size -> {ok, Acc};
recv(S, Size, Acc) -> {ok, More} = gen_tcp:recv(S, 0), recv(S, Size, <<Acc/binary, More/binary>>).
"""


def echo_server(module: str, setup: str = "") -> str:
    """An app that runs ``setup`` (expressions, each ending with a comma), then echoes what
    the first client of port 7 sends until it closes."""
    return ECHO_SERVER % {"module": module, "setup": setup}


def round_trips(module: str, setup: str, n: int) -> str:
    """An app that runs ``setup`` (which binds ``S`` to a connected passive binary socket),
    then sends 32 bytes and waits for them back ``n`` times, and prints the virtual µs taken."""
    return ROUND_TRIPS % {"module": module, "setup": setup, "n": n}


def beam(tmp: Path, name: str, source: str) -> Path:
    """Compile ``source`` as ``tmp/name.erl`` with the host erlc; the .beam's path."""
    (tmp / f"{name}.erl").write_text(source)
    subprocess.run(["erlc", "-o", str(tmp), str(tmp / f"{name}.erl")], check=True)
    return tmp / f"{name}.beam"
