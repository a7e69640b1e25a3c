-module(io_lib_improper).
%% AtomVM's io_lib walks a list with a comprehension, so ~p/~w of an improper list fails with
%% error:{bad_generator, Tail} (OTP's prints it; a bad format is badarg in both).
-export([start/0, id/1]).
id(X) -> X.
t(F) -> erlang:display(try F() catch C:R -> {C, R} end).
start() ->
    t(fun() -> io_lib:format("~p", [id([1 | 2])]) end),
    t(fun() -> io_lib:format("~w", [id([a, b | c])]) end),
    t(fun() -> io_lib:format("~p", [{x, [y | z]}]) end),
    t(fun() -> io:format("~w~n", [id([1 | 2])]) end),
    t(fun() -> io_lib:format("~p ~p", id([only_one])) end),
    ok.
