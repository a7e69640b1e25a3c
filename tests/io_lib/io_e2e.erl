%% End-to-end output script: run(io) uses OTP's io, run(avm_io) our
%% libs/io.erl (renamed) whose console:print/1 is a stub writing to
%% standard_io.  The test compares the two stdout streams byte for byte.
%% The terms written with ~p/~w are ones AtomVM's io_lib (which avmsim
%% follows) and OTP's write alike: short, proper lists, no floats, no [].
-module(io_e2e).
-export([main/1]).

main([ModS]) ->
    ok = io:setopts(standard_io, [{encoding, unicode}]),
    M = list_to_atom(ModS),
    run(M),
    halt(0).

show(X) -> io:format("=> ~tp~n", [X]).

try_call(F) ->
    try F() catch C:R -> {C, R} end.

run(M) ->
    show(M:format("hello world~n")),
    show(M:format("~p~n", [{a, "b", <<"c">>, 15, [1, 2, 3]}])),
    show(M:format("~s and ~w and ~10.3f|~n", ["str", 'Atom', 3.14159])),
    show(M:fwrite("fwrite/1~n")),
    show(M:fwrite("~p ~p~n", [x, y])),
    show(M:fwrite(standard_io, "fwrite/3 ~b~n", [255])),
    show(M:format(standard_io, "~ts|~s~n", ["\x{20ac} \x{e9}", "\x{e9}"])),
    show(M:format(group_leader(), "to a pid ~p~n", [self() =:= self()])),
    show(M:format("~w~n", [[{I, lists:seq(1, I)} || I <- lists:seq(1, 14)]])),
    show(M:format("~w~n", [#{key => lists:seq(1, 40), other => "a string value"}])),
    show(M:format("tab\t~w~n", [lists:duplicate(30, abc)])),
    show(M:format('atom format~n')),
    show(M:format(<<"binary format ~p~n">>, [ok])),
    show(M:put_chars("put_chars/1\n")),
    show(M:put_chars(<<"binary put_chars\n">>)),
    show(M:put_chars(standard_io, ["deep ", [<<"iolist">>, $\n]])),
    show(M:put_chars([1024, 8364, $\n])),
    show(M:nl()),
    show(M:nl(standard_io)),
    show(M:write({x, [1, 2], "str", <<"bin">>})),
    show(M:nl()),
    show(M:write(standard_io, 'quoted atom')),
    show(M:nl()),
    show(try_call(fun() -> M:format("~d", [a]) end)),
    show(try_call(fun() -> M:format("~p", []) end)),
    show(try_call(fun() -> M:format("~p~p", [a]) end)),
    show(try_call(fun() -> M:format(standard_io, "~s", [1]) end)),
    show(try_call(fun() -> M:fwrite("~e", [1]) end)),
    show(try_call(fun() -> M:put_chars(an_atom) end)),
    show(try_call(fun() -> M:format(no_such_device, "x", []) end)),
    ok.   % io:columns/0 is AtomVM's {ok, 80}: tests/atomvm_diff/io_columns.erl
