-module(stacktraces).
%% Stack traces as AtomVM builds them (stacktrace.c), not as OTP does: a NIF failing in a
%% non-tail call names itself ({erlang,binary_to_integer,1,[]}) in place of its caller, a BIF
%% does not; every catch tag on the stack is a frame of its own (a function inside a try shows
%% twice); an entry equal to the one before it shows once (recursion); functions without a
%% frame (tail calls, apply_last, leaf functions) leave their caller out; function_clause
%% carries the arguments and the head's line; undef names the caller; integer_to_list of a
%% non-integer carries its arguments; erlang:raise/3 takes any list as the trace unchecked
%% and builds one for any other term. File names are cut to their base name (the path
%% depends on where the file was compiled).
-export([start/0, id/1, nif_mid/1, nif_tail/1, bif_mid/1, fc/1, undef_mid/0, leaf_badmatch/1,
         apply_last/2, apply_mid/2, nested/0, thrower/0, exiter/0, errorer/1, deep/1,
         fun_err/0, i2l/1, i2b/2, with_frame/1, raise_given/0, raise_bad/0, raise_tail/1,
         fun_nif/1, mutual_a/1, mutual_b/1, rethrow/0]).

id(X) -> X.
nif_mid(X) -> Y = binary_to_integer(X), ?MODULE:id(Y) + 1.
nif_tail(X) -> binary_to_integer(X).
bif_mid(X) -> Y = element(5, X), ?MODULE:id(Y) + 1.
fc(a) -> 1.
undef_mid() -> Y = nomod:nofun(1), ?MODULE:id(Y).
leaf_badmatch(X) -> {ok, Y} = X, Y.
apply_last(M, A) -> M:nofun(A).
apply_mid(M, A) -> Y = M:nofun(A), ?MODULE:id(Y).
nested() ->
    try ?MODULE:nif_mid(<<"q">>) catch error:R -> ?MODULE:id(R), erlang:error(again) end.
thrower() -> throw(t), ok.
exiter() -> exit(e), ok.
errorer(X) -> erlang:error(X, [X]), ok.
deep(0) -> ?MODULE:nif_tail(<<"x">>);
deep(N) -> 1 + deep(N - 1).
fun_err() -> F = fun(a) -> 1 end, Y = F(?MODULE:id(b)), ?MODULE:id(Y).
i2l(X) -> Y = integer_to_list(X), ?MODULE:id(Y).
i2b(X, B) -> Y = integer_to_binary(X, B), ?MODULE:id(Y).
with_frame(X) -> Y = ?MODULE:fc(X), ?MODULE:id(Y).
raise_given() -> erlang:raise(error, r, [{a, b, 1, []}, foo]), ok.
raise_bad() -> X = erlang:raise(error, r, notalist), {returned, X}.
raise_tail(S) -> erlang:raise(throw, r, S).
fun_nif(B) -> F = fun(X) -> Y = binary_to_integer(X), ?MODULE:id(Y) end, Z = F(B), ?MODULE:id(Z).
mutual_a(0) -> element(1, ?MODULE:id(no_tuple));
mutual_a(N) -> 1 + ?MODULE:mutual_b(N - 1).
mutual_b(N) -> 1 + ?MODULE:mutual_a(N).
rethrow() ->
    try ?MODULE:nif_mid(<<"r">>)
    catch C:R:S -> erlang:raise(C, {again, R}, S)
    end.

base([]) -> [];
base([$/ | T]) -> base(T);
base(Path) ->
    case lists:member($/, Path) of
        true -> base(tl(Path));
        false -> Path
    end.

clean(Frames) when is_list(Frames) ->
    [case Frame of
         {M, F, A, Loc} when is_list(Loc) ->
             {M, F, A, [case P of {file, Path} -> {file, base(Path)}; _ -> P end || P <- Loc]};
         Other -> Other
     end || Frame <- Frames];
clean(Other) -> Other.

run(Tag, F) ->
    try F() of V -> io:format("~w value ~w~n", [Tag, V])
    catch C:R:S -> io:format("~w ~w ~w~n  ~w~n", [Tag, C, R, clean(S)])
    end.

start() ->
    run(nif_mid, fun() -> ?MODULE:nif_mid(<<"zz">>) end),
    run(nif_tail, fun() -> ?MODULE:nif_tail(<<"zz">>) end),
    run(bif_mid, fun() -> ?MODULE:bif_mid({1}) end),
    run(fc, fun() -> ?MODULE:fc(b) end),
    run(with_frame, fun() -> ?MODULE:with_frame(b) end),
    run(undef_mid, fun() -> ?MODULE:undef_mid() end),
    run(leaf_badmatch, fun() -> ?MODULE:leaf_badmatch(nope) end),
    run(apply_last, fun() -> ?MODULE:apply_last(lists, 1) end),
    run(apply_mid, fun() -> ?MODULE:apply_mid(lists, 1) end),
    run(apply_last_nomod, fun() -> ?MODULE:apply_last(nomod, 1) end),
    run(nested, fun() -> ?MODULE:nested() end),
    run(thrower, fun() -> ?MODULE:thrower() end),
    run(exiter, fun() -> ?MODULE:exiter() end),
    run(errorer, fun() -> ?MODULE:errorer(x) end),
    run(deep, fun() -> ?MODULE:deep(3) end),
    run(mutual, fun() -> ?MODULE:mutual_a(2) end),
    run(fun_err, fun() -> ?MODULE:fun_err() end),
    run(fun_nif, fun() -> ?MODULE:fun_nif(<<"y">>) end),
    run(i2l, fun() -> ?MODULE:i2l(foo) end),
    run(i2b_base, fun() -> ?MODULE:i2b(10, foo) end),
    run(i2b_value, fun() -> ?MODULE:i2b(foo, 16) end),
    run(raise_given, fun() -> ?MODULE:raise_given() end),
    run(raise_bad, fun() -> ?MODULE:raise_bad() end),
    run(raise_tail, fun() -> ?MODULE:raise_tail([]) end),
    run(raise_tail_bad, fun() -> ?MODULE:raise_tail(bad) end),
    run(rethrow, fun() -> ?MODULE:rethrow() end),
    run(old_catch, fun() -> {caught, R} = {caught, catch ?MODULE:nif_mid(<<"zz">>)}, {'EXIT', {Reason, S}} = R, {Reason, clean(S)} end),
    run(apply3, fun() -> apply(?MODULE, nif_tail, [<<"zz">>]) end),
    run(apply3_mid, fun() -> X = apply(erlang, binary_to_integer, [?MODULE:id(<<"zz">>)]), ?MODULE:id(X) end),
    {Pid, Ref} = spawn_monitor(fun() -> ?MODULE:nif_mid(<<"p">>) end),
    receive {'DOWN', Ref, process, Pid, {Why, Trace}} -> io:format("down ~w~n  ~w~n", [Why, clean(Trace)]) end,
    ok.
