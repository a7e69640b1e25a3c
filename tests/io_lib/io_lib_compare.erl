%% Runs every case of io_lib_cases against OTP's io_lib and avm_io_lib
%% (our libs/io_lib.erl compiled under another name).  One line per case:
%%   Group <TAB> Index <TAB> ok|fail <TAB> hex(utf8(description))
-module(io_lib_compare).
-export([main/0]).

main() ->
    lists:foreach(fun({Group, Cases}) -> run(atom_to_list(Group), Cases, 1) end,
                  io_lib_cases:groups()),
    halt(0).

run(_Group, [], _) -> ok;
run(Group, [Case | Cs], I) ->
    {Exp, Got} = both(Case),
    Status = case Exp =:= Got of true -> "ok"; false -> "fail" end,
    Desc = io_lib:format("case:     ~tp~nexpected: ~tp~ngot:      ~tp~n", [Case, Exp, Got]),
    Bin = unicode:characters_to_binary(Desc),
    io:put_chars([Group, $\t, integer_to_list(I), $\t, Status, $\t,
                  binary:encode_hex(Bin), $\n]),
    run(Group, Cs, I + 1).

both({call, F, A}) ->
    {eval(fun() -> apply(io_lib, F, A) end), eval(fun() -> apply(avm_io_lib, F, A) end)};
both({F, A}) ->
    {eval(fun() -> io_lib:format(F, A) end), eval(fun() -> avm_io_lib:format(F, A) end)}.

eval(Fun) ->
    try normalize(Fun())
    catch C:R -> {exception, C, R}
    end.

%% Deep character lists are compared flattened.
normalize(L) when is_list(L) ->
    try lists:flatten(L) catch _:_ -> L end;
normalize({L, Rest}) when is_list(L) -> {normalize(L), Rest};
normalize(X) -> X.
