"""Group leaders as AtomVM has them, and io routed by them.

AtomVM (libAtomVM nifs.c, context.c): the first process has no group leader, a spawned
process inherits its parent's, "none" included, and ``erlang:group_leader()`` answers
``self()`` for a process without one, which AtomVM's io takes as "write to the console".
Here OTP differs: every process has a group leader, and a child's is its parent's, so
``group_leader() =:= self()`` is false in OTP and true in AtomVM (``test_no_group_leader``).

A leader set with ``group_leader/2`` is an io server, as in OTP: io sends it
``{io_request, From, Ref, {put_chars, unicode, Bin}}`` and returns its ``io_reply``; a dead
server raises ``terminated``, an ``{error, _}`` reply ``badarg`` (OTP's io).

Run: ``python3 -m pytest -q tests/test_group_leader.py``.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from helpers import avmsim, compile_erl

APP = r"""
-module(gl_app).
-export([start/0]).

%% An io server that acknowledges put_chars with Reply and reports the
%% characters it got to Owner (OTP's io also sends the format request).
server(Owner, Reply) ->
    receive
        {io_request, From, Ref, Request} ->
            Owner ! {served, self(), unicode:characters_to_binary(chars(Request))},
            From ! {io_reply, Ref, Reply},
            server(Owner, Reply)
    end.

chars({put_chars, unicode, Chars}) -> Chars;
chars({put_chars, unicode, M, F, A}) -> apply(M, F, A).

reason({'EXIT', {Reason, _Stack}}) -> Reason;
reason(Other) -> Other.

served(Server) ->
    receive {served, Server, Bin} -> Bin after 1000 -> none end.

start() ->
    Me = self(),
    GL0 = group_leader(),
    io:format("main has none: ~p~n", [group_leader() =:= Me]),
    io:format("main info: ~p~n", [process_info(Me, group_leader) =:= {group_leader, Me}]),
    spawn(fun() ->
              io:format("child prints to the console~n"),
              Me ! {child, self(), group_leader()}
          end),
    receive {child, C, CGL} -> io:format("child has none: ~p~n", [CGL =:= C]) end,

    S = spawn(fun() -> server(Me, ok) end),
    true = group_leader(S, Me),
    R1 = io:format("to the leader ~p~n", [1]),
    R2 = io:put_chars(standard_error, <<"stderr too">>),
    spawn(fun() -> io:format("from a grandchild~n"), Me ! {gc, group_leader()} end),
    GC = receive {gc, G} -> G =:= S end,
    true = group_leader(GL0, Me),   % on avmsim: itself, the console again
    io:format("leader served: ~p ~p ~p~n", [served(S), served(S), served(S)]),
    io:format("leader replies: ~p ~p, grandchild inherits: ~p~n", [R1, R2, GC]),

    R3 = io:format(S, "to a pid~n", []),
    io:format("pid device: ~p ~p~n", [R3, served(S)]),
    io:format("~p~n", [reason(catch io:format(Me, "self as device is the console~n", []))]),

    Dead = spawn(fun() -> ok end),
    receive after 10 -> ok end,
    io:format("dead server: ~p~n", [reason(catch io:format(Dead, "x", []))]),
    Bad = spawn(fun() -> server(Me, {error, enospc}) end),
    io:format("error reply: ~p~n", [reason(catch io:format(Bad, "x", []))]),
    io:format("group_leader/2 on a dead pid: ~p~n", [reason(catch group_leader(Me, Dead))]),
    ok.
"""

EXPECTED = [
    "main has none: true",
    "main info: true",
    "child prints to the console",
    "child has none: true",
    "leader served: <<\"to the leader 1\\n\">> <<\"stderr too\">> <<\"from a grandchild\\n\">>",
    "leader replies: ok ok, grandchild inherits: true",
    "pid device: ok <<\"to a pid\\n\">>",
    "self as device is the console",
    "ok",
    "dead server: terminated",
    "error reply: badarg",
    "group_leader/2 on a dead pid: badarg",
]


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    beam = compile_erl(tmp_path_factory.mktemp("gl"), "gl_app", APP)
    r = avmsim("--board", "esp32-devkit", "--timeout", "10s", str(beam), timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout.splitlines()


def test_no_group_leader(output: list[str]) -> None:
    """AtomVM: group_leader() is self() in the first process and in its children (OTP: not)."""
    assert output[:4] == EXPECTED[:4]


def test_io_goes_to_a_leader_set_with_group_leader2(output: list[str]) -> None:
    """standard_io and standard_error reach the leader; a child inherits it."""
    assert output[4:6] == EXPECTED[4:6]


def test_pid_devices(output: list[str]) -> None:
    """A pid device is an io server; the process's own pid is the console."""
    assert output[6:9] == EXPECTED[6:9]


def test_io_errors_as_otp(output: list[str]) -> None:
    """A dead server: terminated; an {error, _} reply: badarg; group_leader/2 on a dead pid:
    badarg (AtomVM's nifs.c)."""
    assert output[9:] == EXPECTED[9:]


@pytest.mark.skipif(subprocess.run(["which", "erl"], capture_output=True).returncode != 0,
                    reason="erl not installed")
def test_otp_differs_only_where_named(tmp_path: Path) -> None:
    """Under OTP the same program prints the same lines, except that its processes do have
    a group leader (the first, second and fourth lines), standard_error is not the group
    leader (AtomVM's io: it is standard_io) and its own pid as io device is an error
    (calling_self) rather than the console."""
    compile_erl(tmp_path, "gl_app", APP)
    r = subprocess.run(["erl", "-noshell", "-pa", str(tmp_path), "-eval",
                        "gl_app:start(), halt()."], capture_output=True, text=True, timeout=60)
    lines = r.stdout.splitlines()
    assert lines[0:2] == ["main has none: false", "main info: false"]
    assert lines[3] == "child has none: false"
    assert lines[4] == EXPECTED[4].replace(' <<"stderr too">>', "") + " none"
    assert lines[2] == EXPECTED[2] and lines[5:7] == EXPECTED[5:7]
    assert lines[7:] == ["calling_self"] + EXPECTED[9:]
