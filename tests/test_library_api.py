"""Library functions AtomVM's standard library has and avmsim lacked (issue 12): OTP 27's
``json`` (checked against OTP 27's own answers, recorded in tests/fixtures/json_otp27.txt by
scripts/build_json_fixtures.sh, since CI's OTP 25 has no json), and the smaller ones
(filename, file, code, erlang, sets, string, gen, io, timestamp_util, avm_pubsub), whose
expected output is what AtomVM's generic_unix build prints for the same program.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from helpers import avmsim, compile_erl

TESTS = Path(__file__).resolve().parent
JSON_CASES = TESTS / "library_api" / "json_cases.erl"
JSON_FIXTURE = TESTS / "fixtures" / "json_otp27.txt"


def run_lines(beam: Path, *options: str) -> list[str]:
    """Run a program headless; the lines it printed (without the final return value)."""
    result = avmsim("--headless", *options, str(beam), timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_json_fixture_matches_its_source():
    first = JSON_FIXTURE.read_text().splitlines()[0]
    assert first == f"% sha256 {hashlib.sha256(JSON_CASES.read_bytes()).hexdigest()}", \
        "tests/library_api/json_cases.erl changed: rerun scripts/build_json_fixtures.sh"


def test_json_answers_as_otp27(tmp_path):
    """Encoding (as iolist_to_binary), decoding, callbacks, streaming and every error term."""
    beam = compile_erl(tmp_path, "json_cases", JSON_CASES.read_text())
    expected = JSON_FIXTURE.read_text().splitlines()[1:]
    got = run_lines(beam)
    assert len(got) == len(expected)
    mismatches = [(i, e, g) for i, (e, g) in enumerate(zip(expected, got)) if e != g]
    assert mismatches == []


SMALL = r"""
-module(small_api).
-export([start/0, leader/0, server/0]).

start() ->
    show([
        filename:join(["a", "b//c", "/d", "e/"]),
        filename:join(["usr", "local", "bin"]),
        filename:join(["only//one"]),
        err(fun() -> filename:join([]) end),
        filename:split("/a//b/c/"),
        filename:split("rel/x"),
        filename:split(""),
        filename:split("/"),
        file:native_name_encoding(),
        code:is_loaded(lists),
        code:is_loaded(no_such_module),
        code:which(lists),
        code:which(no_such_module),
        err(fun() -> code:which("lists") end),
        (fun erlang:apply/2)(fun lists:reverse/1, [[1, 2]]),
        (fun erlang:apply/3)(lists, reverse, [[3, 4]]),
        apply(erlang, apply, [lists, reverse, [[5, 6]]]),
        (fun erlang:fun_info/1)(fun lists:map/2),
        sets:is_equal(sets:from_list([1, 2, 3], [{version, 2}]),
                      sets:from_list([3, 2, 1], [{version, 2}])),
        sets:is_equal(sets:from_list([1, 2], [{version, 2}]), sets:from_list([1, 3], [{version, 2}])),
        sets:is_equal(sets:from_list([1], [{version, 2}]), sets:from_list([1, 2], [{version, 2}])),
        lists:sort(sets:to_list(sets:map(fun(X) -> X * 10 end,
                                         sets:from_list([1, 2], [{version, 2}])))),
        err(fun() -> sets:map(nofun, sets:from_list([1], [{version, 2}])) end),
        string:jaro_similarity("martha", "marhta"),
        io:getopts(),
        err(fun() -> io:getopts(standard_error) end),
        io:setopts([{binary, true}]),
        io:setopts(standard_io, [{echo, false}]),
        catch io:get_line("prompt> "),
        timestamp_util:delta({1, 2, 3}, {1, 1, 0}),
        timestamp_util:delta({2, 0, 0}, {1, 999999, 1}),
        timestamp_util:delta_ms({1, 2, 3000}, {1, 1, 500000}),
        timestamp_util:delta_ms({0, 0, 0}, {0, 1, 0})
    ]),
    %% gen's call protocol, against a server that answers as gen_server does
    S = spawn(?MODULE, server, []),
    show([gen:call(S, '$gen_call', ping, 1000)]),
    gen:cast(S, {note, self()}),
    show([receive {noted, N} -> N after 1000 -> none end]),
    show([gen:cast(no_such_name, x), gen:reply({self(), tag}, hello),
          receive {tag, R} -> R after 0 -> none end]),
    show([catch gen:call(no_such_name, '$gen_call', ping, 100)]),
    show([catch gen:call(S, '$gen_call', silent, 50)]),
    %% io:get_line through a group leader that answers
    L = spawn(?MODULE, leader, []),
    Me = self(),
    spawn(fun() -> group_leader(L, self()), Me ! {line, io:get_line("name? ")} end),
    show([receive {line, Line} -> Line after 1000 -> none end]),
    pubsub().

pubsub() ->
    {ok, P} = avm_pubsub:start(),
    Me = self(),
    ok = avm_pubsub:sub(P, [sensor, '+', temp]),
    ok = avm_pubsub:sub(P, [sensor, '#']),
    ok = avm_pubsub:sub(P, [sensor, '#']),
    Other = spawn(fun() -> receive {pub, T, _, V} -> Me ! {other, T, V} end end),
    ok = avm_pubsub:sub(P, [sensor, kitchen, temp], Other),
    show([avm_pubsub:pub(P, [sensor, kitchen, temp], 21), drain()]),
    receive {other, T, V} -> show([{T, V}]) after 1000 -> show([no_other]) end,
    show([avm_pubsub:pub(P, [sensor], 1), avm_pubsub:pub(P, [sensor, hall], 2), drain()]),
    ok = avm_pubsub:unsub(P, [sensor, '#']),
    show([avm_pubsub:pub(P, [sensor, hall], 3), avm_pubsub:pub(P, [sensor, x, temp], 4), drain()]),
    ok = avm_pubsub:unsub(P, [never, subscribed]),
    show([avm_pubsub:pub(P, [never, subscribed], 5), drain()]),
    {ok, _} = avm_pubsub:start(named_pubsub),
    show([avm_pubsub:sub(named_pubsub, [a]), avm_pubsub:pub(named_pubsub, [a], x), drain()]).

drain() ->
    receive {pub, Topic, From, Term} when From =:= self() -> [{Topic, Term} | drain()]
    after 0 -> []
    end.

server() ->
    receive
        {'$gen_call', {From, Tag}, ping} -> From ! {Tag, pong};
        {'$gen_call', _, silent} -> ok;
        {'$gen_cast', {note, Pid}} -> Pid ! {noted, cast_seen}
    end,
    server().

leader() ->
    receive
        {io_request, From, Ref, {get_line, unicode, Prompt}} ->
            From ! {io_reply, Ref, "got " ++ Prompt},
            leader()
    end.

err(F) -> try F() catch error:Reason -> {error, Reason} end.

show(Terms) -> [erlang:display(T) || T <- Terms], ok.
"""

# AtomVM's generic_unix build (the oracle of ../shared/design/atomvm-oracle.md, with its
# atomvmlib.avm) prints these for the program above.
SMALL_EXPECTED = """\
"/d/e/"
"usr/local/bin"
"only/one"
{error,function_clause}
["/","a","b","c"]
["rel","x"]
[]
["/"]
utf8
{file,preloaded}
false
preloaded
non_existing
{error,badarg}
[2,1]
[4,3]
[6,5]
[{module,lists},{name,map},{arity,2},{type,external},{env,[]}]
true
false
false
[10,20]
{error,function_clause}
0.000000
[{echo,true},{binary,false},{encoding,unicode},{terminal,true},{stdout,true},{stderr,true},{stdin,true}]
{error,function_clause}
ok
ok
no_group_leader
{0,1,3}
{0,0,999999}
503
-1000
{ok,pong}
cast_seen
ok
ok
hello
{EXIT,noproc}
{EXIT,timeout}
"got name? "
{ok,3}
[{[sensor,kitchen,temp],21},{[sensor,kitchen,temp],21}]
{[sensor,kitchen,temp],21}
{ok,0}
{ok,1}
[{[sensor,hall],2}]
{ok,0}
{ok,1}
[{[sensor,x,temp],4}]
{ok,1}
[{[never,subscribed],5}]
ok
{ok,1}
[{[a],x}]
"""


def test_small_functions_answer_as_atomvm(tmp_path):
    beam = compile_erl(tmp_path, "small_api", SMALL)
    assert run_lines(beam, "--board", "generic-unix") == SMALL_EXPECTED.splitlines()


CWD = r"""
-module(cwd).
-export([start/0]).
start() -> erlang:display(try file:get_cwd() catch error:R -> {error, R} end), ok.
"""


def test_get_cwd_only_where_there_is_a_file_system(tmp_path):
    """generic_unix: the directory the VM runs in; RP2 (no getcwd NIF): estdlib's undefined."""
    beam = compile_erl(tmp_path, "cwd", CWD)
    assert os.getcwd().isascii()
    assert run_lines(beam, "--board", "generic-unix") == [f'{{ok,"{os.getcwd()}"}}']
    assert run_lines(beam, "--board", "pico") == ["{error,undefined}"]


# Every function this issue added, as module:function/arity.
ADDED = [
    ("json", f, a) for f, a in [
        ("encode", 1), ("encode", 2), ("decode", 1), ("decode", 3), ("decode_start", 3),
        ("decode_continue", 2), ("encode_value", 2), ("encode_atom", 2), ("encode_binary", 1),
        ("encode_binary_escape_all", 1), ("encode_float", 1), ("encode_integer", 1),
        ("encode_list", 2), ("encode_map", 2), ("encode_map_checked", 2),
        ("encode_key_value_list", 2), ("encode_key_value_list_checked", 2)]
] + [
    ("filename", "join", 1), ("filename", "split", 1), ("file", "get_cwd", 0),
    ("file", "native_name_encoding", 0), ("code", "is_loaded", 1), ("code", "which", 1),
    ("erlang", "apply", 2), ("erlang", "apply", 3), ("erlang", "fun_info", 1),
    ("sets", "is_equal", 2), ("sets", "map", 2), ("string", "jaro_similarity", 2),
    ("gen", "call", 4), ("gen", "cast", 2), ("gen", "reply", 2), ("io", "getopts", 0),
    ("io", "getopts", 1), ("io", "setopts", 1), ("io", "setopts", 2), ("io", "get_line", 1),
    ("timestamp_util", "delta", 2), ("timestamp_util", "delta_ms", 2),
] + [
    ("avm_pubsub", f, a) for f, a in [
        ("start", 0), ("start", 1), ("sub", 2), ("sub", 3), ("unsub", 2), ("unsub", 3),
        ("pub", 3), ("init", 1), ("handle_call", 3), ("handle_info", 2), ("terminate", 2)]
]

EXPORTED = r"""
-module(exported).
-export([start/0]).
start() ->
    [erlang:display({M, F, A}) || {M, F, A} <- %s,
        not (element(1, code:ensure_loaded(M)) =:= module
             andalso erlang:function_exported(M, F, A))],
    ok.
"""


def test_every_added_function_is_callable(tmp_path):
    """Each module loads (as on AtomVM, where all of them are in the library) and each function
    is exported from it or answered by a native: none is undef. The program prints those
    that are not."""
    mfas = "[" + ", ".join(f"{{{m}, {f}, {a}}}" for m, f, a in ADDED) + "]"
    beam = compile_erl(tmp_path, "exported", EXPORTED % mfas)
    assert run_lines(beam, "--board", "generic-unix") == []
