%% Test harness: evaluates every case both with OTP's module (e.g. lists)
%% and with our renamed copy (e.g. avm_lists) and writes one result line
%% per case.  Used by tests/test_stdlib_vs_otp.py.
%%
%% Input file: lines "Id<TAB>Mode<TAB>Expr" where Expr is a remote call
%% such as  lists:nth(2, [a,b])  (arguments are any Erlang expressions).
%% Output file: lines "Id<TAB>ok" or "Id<TAB>diff<TAB>OTP<TAB>AVM".
-module(stdlib_harness).
-export([main/1]).

main([CasesFile, OutFile]) ->
    {ok, Bin} = file:read_file(CasesFile),
    Lines = [L || L <- binary:split(Bin, <<"\n">>, [global]), L =/= <<>>],
    Out = [run_line(L) || L <- Lines],
    ok = file:write_file(OutFile, unicode:characters_to_binary(Out)),
    halt(0).

run_line(Line) ->
    [Id, Mode, Expr] = binary:split(Line, <<"\t">>, [global]),
    Res = try
              {M, F, Args} = parse_call(unicode:characters_to_list(Expr)),
              Avm = list_to_atom("avm_" ++ atom_to_list(M)),
              Otp = norm(binary_to_atom(Mode), call(M, F, Args)),
              Ours = norm(binary_to_atom(Mode), call(Avm, F, Args)),
              case Otp =:= Ours of
                  true -> "ok";
                  false -> ["diff\t", show(Otp), "\t", show(Ours)]
              end
          catch C:R:St ->
              ["harness_error\t", show({C, R, St})]
          end,
    [Id, "\t", Res, "\n"].

parse_call(Text) ->
    {ok, Toks, _} = erl_scan:string(Text ++ "."),
    {ok, [{call, _, {remote, _, {atom, _, M}, {atom, _, F}}, ArgExprs}]} =
        erl_parse:parse_exprs(Toks),
    Args = [begin {value, V, _} = erl_eval:expr(A, erl_eval:new_bindings()), V end
            || A <- ArgExprs],
    {M, F, Args}.

call(M, F, Args) ->
    try apply(M, F, Args) of
        V -> {value, V}
    catch
        C:R -> {raise, C, R}
    end.

%% Result normalisation modes:
%%   exact - compare terms exactly
%%   cd    - the value is chardata: compare binary-ness and characters
%%   cdl   - the value is a list of chardata
%%   cdt   - the value is a tuple of chardata
%%   cdtail - the value is [Head | ChardataTail] (or [] / an error tuple)
%%   sort  - the value is a list compared after sorting
norm(_, {raise, _, _} = E) -> E;
norm(exact, V) -> V;
norm(cd, {value, V}) -> {value, cd(V)};
norm(cdl, {value, V}) when is_list(V) -> {value, [cd(X) || X <- V]};
norm(cdt, {value, V}) when is_tuple(V) -> {value, list_to_tuple([cd(X) || X <- tuple_to_list(V)])};
norm(cdtail, {value, [H | T]}) -> {value, [H | cd(T)]};
norm(sort, {value, V}) when is_list(V) -> {value, lists:sort(V)};
norm(_, V) -> V.

cd(B) when is_binary(B) -> {bin, B};
cd(L) when is_list(L) ->
    case catch unicode:characters_to_list(L) of
        R when is_list(R) -> {chars, R};
        _ -> L
    end;
cd(X) -> X.

show(T) -> io_lib:format("~ts", [io_lib:print(T, 1, 100000000, -1)]).
