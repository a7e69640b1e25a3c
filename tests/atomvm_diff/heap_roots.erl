-module(heap_roots).
%% Heap figures around NIFs that keep their arguments as GC roots (list_to_tuple keeps its
%% list while it collects: nifs.c memory_ensure_free_with_roots), under each strategy and
%% with min_heap_size; process_info about oneself collects before it reads the figure;
%% spawn_opt ensures room under the default strategy, so min_heap_size waits for a GC.
-export([start/0, id/1, probe/1]).
id(X) -> X.
hs() -> {process_info(self(), heap_size), process_info(self(), total_heap_size)}.
probe(Parent) ->
    A = hs(),
    L = lists:seq(1, ?MODULE:id(1000)),
    B = hs(),
    T = list_to_tuple(L),
    C = hs(),
    _ = ?MODULE:id(T),
    Parent ! {self(), [A, B, C, hs()]}.
start() ->
    [begin
         P = spawn_opt(?MODULE, probe, [self()], Opts),
         receive {P, R} -> io:format("~w ~w~n", [Opts, R]) end
     end || Opts <- [[], [{atomvm_heap_growth, minimum}], [{atomvm_heap_growth, bounded_free}], [{atomvm_heap_growth, fibonacci}], [{min_heap_size, 1000}], [{min_heap_size, 1000}, {atomvm_heap_growth, minimum}]]],
    P2 = spawn_opt(fun() -> Self = self(), Self ! {hs, hs()}, receive {hs, X} -> io:format("init ~w~n", [X]) end end, [{min_heap_size, 1000}]),
    timer:sleep(10), P2,
    ok.
