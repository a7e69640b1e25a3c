-module(ext_funs_refs).
%% The external term format as AtomVM writes and reads local funs, references and ports
%% (external_term.c), where OTP differs: a fun is written with a zero MD5 and its FunT
%% entry's old index and old uniq, and reads back bound to the loaded code only when module,
%% index, arity, old index and old uniq match, otherwise as a fun that encodes back to the
%% same bytes and is undef when called; funs compare by module, index, old uniq, number of
%% free variables and then the free variables; a local reference is two words (its ticks,
%% high word first) and only a two-word reference of this node reads back as local; a port
%% is V4_PORT_EXT; a resource is a four-word reference that reads back as itself.
-export([start/0, id/1]).

id(X) -> X.

start() ->
    X = ?MODULE:id(2),
    F = fun(A) -> A * X end,
    Bin = term_to_binary(F),
    <<131, 112, Size:32, Arity, MD5:16/binary, Index:32, NumFree:32, Rest/binary>> = Bin,
    erlang:display({fun_header, Size =:= byte_size(Bin) - 2, Arity, MD5, Index, NumFree}),
    F2 = binary_to_term(Bin),
    erlang:display({fun_roundtrip, F2 =:= F, F2(21)}),
    <<119, 13, "ext_funs_refs", 97, OldIndex, 98, _OldUniq:32, _/binary>> = Rest,
    erlang:display({old_index, OldIndex =:= Index}),
    %% a fun without free variables: AtomVM writes an unbound fun with free variables with
    %% the free-variable count subtracted from its arity twice
    G = fun(A) -> A * 2 end,
    <<131, 112, GSize:32, 1, _:16/binary, GIndex:32, 0:32, 119, 13, "ext_funs_refs", 97,
      GIndex, 98, GUniq:32, GRest/binary>> = term_to_binary(G),
    Bad = <<131, 112, GSize:32, 1, 0:128, GIndex:32, 0:32, 119, 13, "ext_funs_refs", 97,
            (GIndex bxor 42), 98, (GUniq bxor 42):32, GRest/binary>>,
    Unbound = binary_to_term(Bad),
    erlang:display({unbound, is_function(Unbound), term_to_binary(Unbound) =:= Bad,
                    err(fun() -> Unbound(21) end)}),
    F3 = binary_to_term(increase_last_byte(Bin)),
    erlang:display({free_order, F < F3, F3 > F, F == F3, F3(21)}),
    erlang:display({local_before_external, F < fun erlang:abs/1}),
    Ref = make_ref(),
    RefBin = term_to_binary(Ref),
    <<131, 90, 0, Words, 119, 13, "nonode@nohost", 0:32, _/binary>> = RefBin,
    erlang:display({ref, Words, byte_size(RefBin), binary_to_term(RefBin) =:= Ref}),
    R3 = binary_to_term(<<131, 90, 0, 3, 119, 13, "nonode@nohost", 0:32, 1:32, 2:32, 3:32>>),
    erlang:display({three_words, is_reference(R3), term_to_binary(R3) =:= term_to_binary(R3)}),
    R2 = binary_to_term(<<131, 90, 0, 2, 119, 13, "nonode@nohost", 0:32, 0:32, 5:32>>),
    erlang:display({two_words, term_to_binary(R2)}),
    Port = open_port({spawn, "echo"}, []),
    PortBin = term_to_binary(Port),
    <<131, PortTag, _/binary>> = PortBin,
    erlang:display({port, PortTag, byte_size(PortBin), binary_to_term(PortBin) =:= Port}),
    erlang:display({pids, pid_to_list(binary_to_term(<<131, 88, 119, 4, "true", 1:32, 0:32, 0:32>>)),
                    pid_to_list(binary_to_term(<<131, 88, 119, 5, "false", 1:32, 0:32, 0:32>>))}),
    {ok, {Resource, _}} = socket:open(inet, stream, tcp),
    ResBin = term_to_binary(Resource),
    <<131, 90, 0, ResWords, _/binary>> = ResBin,
    <<Head:(byte_size(ResBin) - 1)/binary, Last>> = ResBin,
    erlang:display({resource, ResWords, binary_to_term(ResBin) =:= Resource,
                    binary_to_term(<<Head/binary, (Last bxor 4)>>) =:= Resource}),
    0.

err(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

increase_last_byte(Binary) ->
    Size = byte_size(Binary) - 1,
    <<Prefix:Size/binary, V:8>> = Binary,
    <<Prefix/binary, (V + 1):8>>.
