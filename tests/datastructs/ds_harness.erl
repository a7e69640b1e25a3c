%% Test harness for tests/test_datastructs_vs_otp.py: evaluates every case
%% expression twice, once as written (OTP's queue, sets, dict, gb_trees,
%% gb_sets, ordsets, orddict, calendar) and once with the calls to those
%% modules redirected to our renamed copies (avm_queue, ...), and compares
%% the results: the value (=:=) and its printed form (~p), or the
%% exception class and reason.
%%
%% Input file: lines "Id<TAB>Expr" (Expr: Erlang expressions separated by
%% commas, evaluated with erl_eval).  Output: "Id<TAB>ok" or
%% "Id<TAB>diff<TAB>OTP<TAB>AVM" or "Id<TAB>harness_error<TAB>...".
-module(ds_harness).
-export([main/1, ours/1]).

-define(MODS, [queue, sets, dict, gb_trees, gb_sets, ordsets, orddict, calendar]).

main([CasesFile, OutFile]) ->
    {ok, Bin} = file:read_file(CasesFile),
    Lines = [L || L <- binary:split(Bin, <<"\n">>, [global]), L =/= <<>>],
    Out = [run_line(L) || L <- Lines],
    ok = file:write_file(OutFile, unicode:characters_to_binary(Out)),
    halt(0).

run_line(Line) ->
    [Id, Expr] = binary:split(Line, <<"\t">>),
    Res = try
              Exprs = parse(unicode:characters_to_list(Expr)),
              Otp = eval(Exprs),
              Ours = eval(ours(Exprs)),
              case same(Otp, Ours) of
                  true -> "ok";
                  false -> ["diff\t", show(Otp), "\t", show(Ours)]
              end
          catch C:R:St ->
              ["harness_error\t", show({C, R, St})]
          end,
    [Id, "\t", Res, "\n"].

parse(Text) ->
    {ok, Toks, _} = erl_scan:string(Text ++ "."),
    {ok, Exprs} = erl_parse:parse_exprs(Toks),
    Exprs.

%% Redirect remote calls (and fun M:F/A references) to the avm_ copies.
ours({remote, A, {atom, B, M}, F}) ->
    case lists:member(M, ?MODS) of
        true -> {remote, A, {atom, B, list_to_atom("avm_" ++ atom_to_list(M))}, ours(F)};
        false -> {remote, A, {atom, B, M}, ours(F)}
    end;
ours(T) when is_tuple(T) -> list_to_tuple(ours(tuple_to_list(T)));
ours([H | T]) -> [ours(H) | ours(T)];
ours(X) -> X.

eval(Exprs) ->
    try erl_eval:exprs(Exprs, erl_eval:new_bindings()) of
        {value, V, _} -> {value, V}
    catch
        C:R -> {raise, C, R}
    end.

same({value, A}, {value, B}) -> A =:= B andalso pr(A) =:= pr(B);
same(A, B) -> A =:= B.

pr(T) -> lists:flatten(io_lib:format("~p", [T])).

show(T) -> io_lib:format("~ts", [io_lib:print(T, 1, 100000000, -1)]).
