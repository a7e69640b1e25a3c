%% The host OTP node of test_dist.py: answers one board worker, monitors it, reports its
%% exit to {board, BoardNode}, echoes one term by registered name, then halts.
-module(otp_peer).
-export([start/0]).

start() ->
    register(otp_peer, self()),
    io:format("ready~n"),
    receive
        {hello, Worker} ->
            BoardNode = node(Worker),
            io:format("hello from ~p~n", [BoardNode]),
            Ref = monitor(process, Worker),
            Worker ! {welcome, node(), self()},
            receive
                {echo_me, Worker, Term} -> Worker ! {echoed, Term}
            end,
            receive
                {'DOWN', Ref, process, Worker, Reason} ->
                    io:format("down ~p~n", [Reason]),
                    {board, BoardNode} ! {down, Reason}
            end,
            Spawned = spawn(BoardNode, io, format, ["spawned on ~p~n", [BoardNode]]),
            io:format("spawned ~p~n", [node(Spawned) =:= BoardNode]),
            timer:sleep(500),
            {board, BoardNode} ! {echo, {self(), make_ref() =/= make_ref(), "text"}},
            timer:sleep(2000),
            halt()
    after 60000 ->
        io:format("no board~n"),
        halt(1)
    end.
