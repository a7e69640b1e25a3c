%% Runs every case of io_lib_cases against OTP's io_lib and avm_io_lib
%% (our libs/io_lib.erl compiled under another name).  One line per case:
%%   Group <TAB> Index <TAB> ok|fail|atomvm <TAB> hex(utf8(description))
%% atomvm names a case that is not compared: it writes a term with ~p or
%% ~w (or io_lib:write/1), where avmsim follows AtomVM's io_lib, not OTP's
%% (libs/io_lib.erl section 5a; tests/atomvm_diff/io_lib_terms.erl pins it
%% against AtomVM).
-module(io_lib_compare).
-export([main/0]).

main() ->
    lists:foreach(fun({Group, Cases}) -> run(atom_to_list(Group), Cases, 1) end,
                  io_lib_cases:groups()),
    halt(0).

run(_Group, [], _) -> ok;
run(Group, [Case | Cs], I) ->
    {Exp, Got} = both(Case),
    Status = case {atomvm_writer(Case), Exp =:= Got} of
                 {true, _} -> "atomvm";
                 {false, true} -> "ok";
                 {false, false} -> "fail"
             end,
    Desc = io_lib:format("case:     ~tp~nexpected: ~tp~ngot:      ~tp~n", [Case, Exp, Got]),
    Bin = unicode:characters_to_binary(Desc),
    io:put_chars([Group, $\t, integer_to_list(I), $\t, Status, $\t,
                  binary:encode_hex(Bin), $\n]),
    run(Group, Cs, I + 1).

both({call, F, A}) ->
    {eval(fun() -> apply(io_lib, F, A) end), eval(fun() -> apply(avm_io_lib, F, A) end)};
both({F, A}) ->
    {eval(fun() -> io_lib:format(F, A) end), eval(fun() -> avm_io_lib:format(F, A) end)}.

atomvm_writer({call, write, [_]}) -> true;
atomvm_writer({call, _, _}) -> false;
atomvm_writer({F, _}) when is_atom(F) -> uses_writer(atom_to_list(F));
atomvm_writer({F, _}) when is_binary(F) -> uses_writer(binary_to_list(F));
atomvm_writer({F, _}) when is_list(F) -> uses_writer(lists:flatten(F));
atomvm_writer(_) -> false.

%% Whether a format string has a ~p or ~w directive (~F.P.Pad, then t/l/k modifiers).
uses_writer([$~ | S]) ->
    case control(S) of
        {C, More} -> lists:member(C, "pw") orelse uses_writer(More);
        none -> false
    end;
uses_writer([_ | S]) -> uses_writer(S);
uses_writer([]) -> false.

control(S0) ->
    case skip_field(S0) of
        [$. | S1] ->
            case skip_field(S1) of
                [$., _Pad | S2] -> modifiers(S2);
                S2 -> modifiers(S2)
            end;
        S1 -> modifiers(S1)
    end.

skip_field([$- | S]) -> skip_digits(S);
skip_field(S) -> skip_digits(S).

skip_digits([$* | S]) -> S;
skip_digits([C | S]) when C >= $0, C =< $9 -> skip_digits(S);
skip_digits(S) -> S.

modifiers([C | S]) when C =:= $t; C =:= $l; C =:= $k -> modifiers(S);
modifiers([C | S]) -> {C, S};
modifiers([]) -> none.

eval(Fun) ->
    try normalize(Fun())
    catch C:R -> {exception, C, R}
    end.

%% Deep character lists are compared flattened.
normalize(L) when is_list(L) ->
    try lists:flatten(L) catch _:_ -> L end;
normalize({L, Rest}) when is_list(L) -> {normalize(L), Rest};
normalize(X) -> X.
