%% erlang:send_after/3, start_timer/3, cancel_timer/1,2, read_timer/1.
%% Remaining times are printed only as "integer > 0" or false.
-module(proc_timers).
-export([start/0]).

start() ->
    Me = self(),
    R1 = erlang:send_after(20, self(), ping),
    io:format("send_after ref: ~p~n", [is_reference(R1)]),
    io:format("send_after msg: ~p~n", [receive ping -> ping after 2000 -> timeout end]),
    R2 = erlang:start_timer(20, self(), tick),
    receive {timeout, Ref2, Msg2} ->
            io:format("start_timer msg: ~p ref_match=~p~n", [Msg2, Ref2 =:= R2])
    after 2000 -> io:format("start_timer: timeout~n")
    end,
    %% cancel before it fires: remaining time > 0, and no message
    R3 = erlang:send_after(5000, self(), never),
    Left = erlang:read_timer(R3),
    C3 = erlang:cancel_timer(R3),
    io:format("read_timer: ~p cancel: ~p~n", [pos(Left), pos(C3)]),
    io:format("read after cancel: ~p cancel again: ~p~n",
              [erlang:read_timer(R3), erlang:cancel_timer(R3)]),
    io:format("cancelled msg: ~p~n", [receive never -> came after 50 -> none end]),
    %% cancel after it fired: false, the message is there
    R4 = erlang:send_after(10, self(), fired),
    receive after 50 -> ok end,
    io:format("cancel fired: ~p ~p msg=~p~n",
              [erlang:cancel_timer(R4), erlang:read_timer(R4),
               receive fired -> yes after 0 -> no end]),
    %% cancel_timer/2 with info false returns ok
    R5 = erlang:start_timer(5000, self(), x),
    io:format("cancel info false: ~p~n", [erlang:cancel_timer(R5, [{info, false}])]),
    R6 = erlang:start_timer(5000, self(), y),
    io:format("cancel async info: ~p~n", [erlang:cancel_timer(R6, [{async, true}, {info, true}])]),
    receive {cancel_timer, R6, Res6} -> io:format("async result: ~p~n", [pos(Res6)]) end,
    %% timers fire in time order, whatever the order they were started in
    [erlang:send_after(T, self(), {t, T}) || T <- [80, 20, 60, 40, 100]],
    io:format("fire order: ~p~n", [[receive {t, T} -> T end || _ <- [1, 2, 3, 4, 5]]]),
    %% a timer to a registered name
    register(proc_timers_main, self()),
    erlang:send_after(10, proc_timers_main, by_name),
    io:format("by name: ~p~n", [receive by_name -> ok after 2000 -> timeout end]),
    unregister(proc_timers_main),
    %% a timer to a dead process: nothing happens
    {Dead, DR} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', DR, process, Dead, _} -> ok end,
    R7 = erlang:send_after(10, Dead, lost),
    receive after 30 -> ok end,
    io:format("to dead pid: ~p~n", [erlang:read_timer(R7)]),
    %% a timer started by another process that then exits still fires
    spawn(fun() -> erlang:send_after(20, Me, from_gone) end),
    io:format("owner gone: ~p~n", [receive from_gone -> fired after 2000 -> timeout end]),
    %% start_timer with 0
    R8 = erlang:start_timer(0, self(), zero),
    io:format("zero: ~p~n", [receive {timeout, R8, zero} -> ok after 1000 -> timeout end]),
    %% badarg
    io:format("badargs: ~p~n",
              [[try F() catch error:E -> E end
                || F <- [fun() -> erlang:send_after(-1, self(), x) end,
                         fun() -> erlang:send_after(foo, self(), x) end,
                         fun() -> erlang:start_timer(10, 42, x) end,
                         fun() -> erlang:cancel_timer(foo) end,
                         fun() -> erlang:read_timer(42) end]]]),
    %% many timers, half cancelled
    Refs = [{I, erlang:send_after(10 + I, self(), {many, I})} || I <- lists:seq(1, 100)],
    Cancelled = [pos(erlang:cancel_timer(R)) || {I, R} <- Refs, I rem 2 =:= 0],
    receive after 200 -> ok end,
    Got = drain(),
    io:format("many: cancelled=~p got=~p first=~p last=~p~n",
              [length([C || C <- Cancelled, C =:= positive]), length(Got),
               hd(Got), lists:last(Got)]),
    %% a timer whose message is a big term
    Big = lists:seq(1, 100),
    erlang:send_after(5, self(), {big, Big}),
    io:format("big: ~p~n", [receive {big, B} -> B =:= Big end]),
    ok.

pos(N) when is_integer(N), N > 0 -> positive;
pos(false) -> false;
pos(Other) -> {unexpected, Other}.

drain() ->
    receive M -> [M | drain()] after 0 -> [] end.
