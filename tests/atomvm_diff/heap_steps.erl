%% Heap figures step by step under each growth strategy, with and without min_heap_size:
%% heap_size, total_heap_size and stack_size right after spawn_opt, after building a list of
%% 100 cells, after receiving a message (a heap fragment) and after erlang:garbage_collect().
%% OTP has no such strategies; these are AtomVM's own figures (memory.c, nifs.c do_spawn).
-module(heap_steps).
-export([start/0, child/2, build/2]).

-define(CELLS, 100).

start() ->
    run([{atomvm_heap_growth, bounded_free}]),
    run([{atomvm_heap_growth, minimum}]),
    run([{atomvm_heap_growth, fibonacci}]),
    run([{atomvm_heap_growth, bounded_free}, {min_heap_size, 100}]),
    run([{atomvm_heap_growth, minimum}, {min_heap_size, 100}]),
    run([{atomvm_heap_growth, fibonacci}, {min_heap_size, 100}]),
    ok.

run(Opts) ->
    Pid = spawn_opt(?MODULE, child, [self(), ?CELLS], Opts),
    Pid ! {msg, lists:seq(1, 10)},
    receive
        {figures, Pid, Figures, _, _} -> io:format("~w ~w~n", [Opts, Figures])
    end.

child(Parent, N) ->
    {heap_size, H0} = process_info(self(), heap_size),
    {total_heap_size, T0} = process_info(self(), total_heap_size),
    {stack_size, S0} = process_info(self(), stack_size),
    L = build(N, []),
    {heap_size, H1} = process_info(self(), heap_size),
    {total_heap_size, T1} = process_info(self(), total_heap_size),
    {stack_size, S1} = process_info(self(), stack_size),
    M = receive {msg, Payload} -> Payload end,
    {heap_size, H2} = process_info(self(), heap_size),
    {total_heap_size, T2} = process_info(self(), total_heap_size),
    {stack_size, S2} = process_info(self(), stack_size),
    erlang:garbage_collect(),
    {heap_size, H3} = process_info(self(), heap_size),
    {total_heap_size, T3} = process_info(self(), total_heap_size),
    {stack_size, S3} = process_info(self(), stack_size),
    Parent ! {figures, self(), [H0, T0, S0, H1, T1, S1, H2, T2, S2, H3, T3, S3],
              length(L), length(M)}.

build(0, Acc) -> Acc;
build(K, Acc) -> build(K - 1, [K | Acc]).
