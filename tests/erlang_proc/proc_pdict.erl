%% The process dictionary is per process: children start empty, their
%% writes are invisible to the parent; process_info(P, dictionary).
-module(proc_pdict).
-export([start/0]).

start() ->
    Me = self(),
    put(parent_key, parent_value),
    put(shared, from_parent),
    spawn(fun() ->
                  Before = {get(parent_key), get(shared), get()},
                  put(shared, from_child),
                  put(child_key, 42),
                  Me ! {child, Before, lists:sort(get()), get_keys(42)}
          end),
    receive {child, B, After, Keys} ->
            io:format("child saw: ~p~nchild has: ~p~nchild keys for 42: ~p~n", [B, After, Keys])
    end,
    io:format("parent still: ~p ~p ~p~n", [get(parent_key), get(shared), get(child_key)]),
    %% inspect another process's dictionary
    P = spawn(fun() ->
                      put(a, 1), put(b, [x, y]), put({t, 1}, "str"),
                      Me ! ready,
                      receive go -> put(a, 2), erase(b), Me ! changed end,
                      receive stop -> ok end
              end),
    receive ready -> ok end,
    {dictionary, D1} = process_info(P, dictionary),
    io:format("other dict: ~p~n", [lists:sort(D1)]),
    P ! go,
    receive changed -> ok end,
    {dictionary, D2} = process_info(P, dictionary),
    io:format("other dict changed: ~p~n", [lists:sort(D2)]),
    P ! stop,
    %% many processes, each with its own counter in the dictionary
    Ws = [spawn(fun() -> worker(Me, I) end) || I <- lists:seq(1, 20)],
    [W ! {bump, K} || W <- Ws, K <- lists:seq(1, 10)],
    [W ! report || W <- Ws],
    Counts = [receive {count, W, C} -> C end || W <- Ws],
    io:format("counters: ~p~n", [Counts]),
    %% put/erase return values in a child
    spawn(fun() ->
                  R = [put(k, 1), put(k, 2), get(k), erase(k), erase(k), get(k), erase()],
                  Me ! {rets, R}
          end),
    receive {rets, R} -> io:format("returns: ~p~n", [R]) end,
    %% the parent's dictionary is unchanged by all of this
    io:format("parent dict: ~p~n", [lists:sort([KV || {K, _} = KV <- get(),
                                                      lists:member(K, [parent_key, shared])])]),
    erase(parent_key),
    erase(shared),
    ok.

worker(Parent, I) ->
    put(count, I * 100),
    worker_loop(Parent).

worker_loop(Parent) ->
    receive
        {bump, K} -> put(count, get(count) + K), worker_loop(Parent);
        report -> Parent ! {count, self(), get(count)}
    end.
