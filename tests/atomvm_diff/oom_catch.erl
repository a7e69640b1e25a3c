-module(oom_catch).
%% Catching out_of_memory, as AtomVM does it. generic_unix has no RAM limit, so a
%% max_heap_size stands in for the board's RAM: both make memory_ensure_free_with_roots fail
%% and leave the heap as it was. Raising, AtomVM builds the raw stack trace on that heap; when
%% the heap is full that fails too ("WARNING: Unable to allocate heap space for raw
%% stacktrace" on stderr) and the stack trace is the atom out_of_memory. A handler that needs
%% no heap runs (full/1, which then ends normally); one that needs heap raises again,
%% uncaught (spare/1, at garbage_collect). After one large request that failed (big/1) the
%% heap has room: the trace is a list, the process goes on, and a GC frees its garbage.
%% The stderr side (the record of what ran out) is tests/test_oom_record.py's.
-export([start/0, full/1, big/1, spare/1]).
full(Parent) ->
    try build([], 0) catch error:out_of_memory:ST -> Parent ! ST end,
    Parent ! survived.
big(Parent) ->
    L = lists:seq(1, 2000),
    R = try erlang:make_tuple(100000, x) catch error:out_of_memory:ST -> {caught, is_list(ST)} end,
    Parent ! R,
    Parent ! {before_gc, length(L)},
    erlang:garbage_collect(),
    Parent ! {after_gc, erlang:process_info(self(), heap_size)}.
spare(Parent) ->
    try build([], 0) catch error:out_of_memory -> ok end,
    Parent ! survived,
    Parent ! erlang:garbage_collect().
build(L, N) -> build([N | L], N + 1).
flush() -> receive M -> erlang:display(M), flush() after 0 -> ok end.
%% no monitor: AtomVM aborts when it cannot build the 'DOWN' message on a full heap
wait(P, 0) -> erlang:display({P, still_alive});
wait(P, N) ->
    case is_process_alive(P) of
        true -> timer:sleep(50), wait(P, N - 1);
        false -> ok
    end.
start() ->
    [begin
         P = spawn_opt(?MODULE, F, [self()], [{max_heap_size, 20000}]),
         wait(P, 200),
         flush(),
         erlang:display({F, is_process_alive(P)})
     end || F <- [full, big, spare]],
    ok.
