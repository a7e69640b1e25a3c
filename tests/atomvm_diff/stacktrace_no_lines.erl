-module(stacktrace_no_lines).
%% A module compiled without line information: AtomVM's frames of it carry no file or line
%% ([]), the NIF frame stays, and catch tags still make frames of their own.
-compile([no_line_info]).
-export([start/0, f/1, g/1]).
f(X) -> Y = element(2, X), ?MODULE:f(Y).
g(X) -> Y = binary_to_integer(X), ?MODULE:id(Y).
start() ->
    try ?MODULE:f({a}) catch C:R:S -> io:format("~w ~w ~w~n", [C, R, S]) end,
    try ?MODULE:g(<<"a">>) catch C2:R2:S2 -> io:format("~w ~w ~w~n", [C2, R2, S2]) end,
    try [?MODULE:f({a, b})] catch C3:R3:S3 -> io:format("~w ~w ~w~n", [C3, R3, S3]) end,
    ok.
