"""The built-in ``console`` and ``echo`` ports (AtomVM's libAtomVM nifs.c, every platform).

Expected values are AtomVM's console driver's: ``{puts, Chars}`` -> ``ok`` (text printed up
to its first NUL, C's ``printf("%s")``), ``{error, badarg}`` for chars that are not iodata;
``flush`` -> ``ok``; any other call -> ``{error, badarg}``; ``{io_request, Pid, Ref,
{put_chars, Enc, Chars}}`` -> printed and ``{io_reply, Ref, ok}``, other io requests
unanswered; ``{Pid, close}`` -> ``{Port, closed}`` and the port is gone. The echo port sends
``Val`` back for every ``{Pid, Val}``. eavmlib's console API (``console:puts/1,2``,
``flush/0,1``, the port registered as ``console``) is libs/console.erl.

Run: ``python3 -m pytest -q tests/test_console_port.py``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import avmsim, compile_erl

APP = r"""
-module(console_app).
-export([start/0]).

reply(Ref) -> receive {io_reply, Ref, R} -> R after 100 -> no_reply end.

start() ->
    ok = console:puts("charlist "),
    ok = console:puts(<<"binary ">>),
    ok = console:puts([<<"io">>, $l, ["ist"], <<"\n">>]),
    Port = whereis(console),
    ok = console:puts(Port, <<"stops at NUL", 0, "hidden">>),
    ok = console:puts(Port, "\n"),
    io:format("registered port: ~p~n", [is_port(Port)]),
    io:format("flush: ~p ~p~n", [console:flush(), console:flush(Port)]),
    io:format("bad puts: ~p ~p ~p~n", [console:puts(foo), console:puts([256]), console:puts(1)]),
    io:format("bad calls: ~p ~p~n", [port:call(Port, bogus), port:call(Port, {puts, "a", "b"})]),

    R1 = make_ref(),
    Port ! {io_request, self(), R1, {put_chars, unicode, "io request\n"}},
    io:format("put_chars: ~p~n", [reply(R1)]),
    R2 = make_ref(),
    Port ! {io_request, self(), R2, {get_line, unicode, "> "}},
    R3 = make_ref(),
    Port ! {io_request, self(), R3, {put_chars, unicode, [bad]}},
    io:format("unanswered: ~p ~p~n", [reply(R2), reply(R3)]),
    Port ! not_a_request,

    Port ! {self(), close},
    Closed = receive {Port, closed} -> closed after 100 -> still_open end,
    io:format("close: ~p ~p ~p~n", [Closed, whereis(console), port:call(Port, flush)]),
    ok = console:puts("reopened\n"),
    io:format("new port: ~p~n", [whereis(console) =/= Port]),

    Echo = open_port({spawn, "echo"}, []),
    Echo ! {self(), {hello, [1, 2]}},
    Echoed = receive {hello, _} = M -> M after 100 -> none end,
    Echo ! {self(), close},
    EchoClosed = receive {Echo, closed} -> closed after 100 -> still_open end,
    io:format("echo: ~p ~p~n", [Echoed, EchoClosed]),
    ok.
"""

EXPECTED = """charlist binary iolist
stops at NUL
registered port: true
flush: ok ok
bad puts: {error,badarg} {error,badarg} {error,badarg}
bad calls: {error,badarg} {error,badarg}
io request
put_chars: ok
unanswered: no_reply no_reply
close: closed undefined {error,noproc}
reopened
new port: true
echo: {hello,[1,2]} closed
"""

BOARDS = ("esp32-devkit", "pico", "nucleo-f429zi", "generic-unix")


@pytest.fixture(scope="module")
def beam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_erl(tmp_path_factory.mktemp("console"), "console_app", APP)


@pytest.mark.parametrize("board", BOARDS)
def test_console_and_echo_ports(beam: Path, board: str) -> None:
    """Both ports exist on every platform and speak AtomVM's protocol."""
    r = avmsim("--board", board, "--timeout", "10s", str(beam), timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout == EXPECTED
