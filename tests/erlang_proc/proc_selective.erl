%% Selective receive: messages taken out of order, the rest keep their
%% order; guards in receive; message_queue_len; a single sender's order.
-module(proc_selective).
-export([start/0]).

start() ->
    Me = self(),
    [Me ! {msg, I} || I <- lists:seq(1, 10)],
    Me ! {other, a},
    Me ! {other, b},
    Even = [receive {msg, I} when I rem 2 =:= 0 -> I end || _ <- lists:seq(1, 5)],
    io:format("evens first: ~p~n", [Even]),
    io:format("queue len: ~p~n", [process_info(self(), message_queue_len)]),
    Other = receive {other, X} -> X end,
    io:format("first other: ~p~n", [Other]),
    io:format("rest: ~p~n", [drain()]),
    %% receiving the last message first
    [Me ! N || N <- [a, b, c, d, e]],
    Last = receive e -> e end,
    Mid = receive c -> c end,
    io:format("picked ~p ~p, rest ~p~n", [Last, Mid, drain()]),
    %% no match: the timeout fires and every message is still there
    [Me ! {x, N} || N <- lists:seq(1, 5)],
    R = receive {y, _} -> y after 0 -> none end,
    io:format("no match: ~p, len ~p, msgs ~p~n",
              [R, element(2, process_info(self(), message_queue_len)), drain()]),
    %% priority receive: urgent messages first, then normal ones
    [Me ! M || M <- [{n, 1}, {u, 1}, {n, 2}, {u, 2}, {n, 3}]],
    io:format("priority: ~p~n", [priority()]),
    %% a child sends 1000 messages; they arrive in order
    spawn(fun() -> [Me ! {seq, I} || I <- lists:seq(1, 1000)], Me ! seq_done end),
    receive seq_done -> ok end,
    Seq = [receive {seq, I} -> I end || _ <- lists:seq(1, 1000)],
    io:format("ordered: ~p~n", [Seq =:= lists:seq(1, 1000)]),
    %% messages from two senders: each sender's order is kept
    A = spawn(fun() -> receive go -> [Me ! {a, I} || I <- lists:seq(1, 50)], Me ! a_done end end),
    B = spawn(fun() -> receive go -> [Me ! {b, I} || I <- lists:seq(1, 50)], Me ! b_done end end),
    A ! go, B ! go,
    receive a_done -> ok end,
    receive b_done -> ok end,
    All = drain(),
    io:format("per sender: ~p ~p ~p~n",
              [[I || {a, I} <- All] =:= lists:seq(1, 50),
               [I || {b, I} <- All] =:= lists:seq(1, 50), length(All)]),
    %% receive with a bound variable pattern
    Ref = make_ref(),
    Me ! {reply, make_ref(), wrong},
    Me ! {reply, Ref, right},
    Got = receive {reply, Ref, V} -> V end,
    io:format("ref match: ~p, left ~p~n", [Got, length(drain())]),
    %% nested receives
    [Me ! M || M <- [3, 1, 2]],
    Nested = receive 1 -> receive 2 -> receive 3 -> nested_ok end end end,
    io:format("nested: ~p ~p~n", [Nested, drain()]),
    %% messages of every type
    Terms = [1, 2.5, atom, "str", <<"bin">>, {t, 1}, [1 | 2], #{k => v}, fun() -> ok end],
    [Me ! T || T <- Terms],
    Back = drain(),
    io:format("types: ~p~n", [length(Back) =:= length(Terms) andalso
                               lists:sublist(Back, 8) =:= lists:sublist(Terms, 8)]),
    %% a big mailbox, consumed from the end
    [Me ! {big, I} || I <- lists:seq(1, 2000)],
    Tail = [receive {big, I} when I > 1995 -> I end || _ <- lists:seq(1, 5)],
    {message_queue_len, Len} = process_info(self(), message_queue_len),
    First = receive {big, F} -> F end,
    drain(),
    io:format("big: ~p ~p ~p~n", [Tail, Len, First]),
    ok.

priority() ->
    receive
        {u, I} -> [{u, I} | priority()]
    after 0 ->
            receive
                {n, I} -> [{n, I} | priority()]
            after 0 -> []
            end
    end.

drain() ->
    receive M -> [M | drain()] after 0 -> [] end.
