%% A generic-unix board (10.0.2.15) talking to a host OTP node named avmsim_otp_*@10.0.2.2:
%% the board's gateway is the host, so the board finds the node in the host's epmd (names
%% through the gateway) and dials it. The OTP node greets a worker pid, monitors it,
%% reports its exit to {board, Node}, spawns a process here and echoes a term. Each line
%% is "what: ok", or the value when it is not the expected one.
-module(dist_otp_board).
-export([start/0]).

-define(GATEWAY, {10, 0, 2, 2}).

start() ->
    {ok, _} = epmd:start_link([]),
    {ok, _} = net_kernel:start('board@10.0.2.15', #{name_domain => longnames}),
    ok = net_kernel:set_cookie(<<"avmsim-otp">>),
    true = register(board, self()),
    {ok, Names} = erl_epmd:names(?GATEWAY),
    [OtpNode] = [list_to_atom(Name ++ "@10.0.2.2") || {"avmsim_otp_" ++ _ = Name, _} <- Names],
    io:format("host epmd has ~p~n", [OtpNode]),
    Main = self(),
    Worker = spawn(fun() -> worker(Main) end),
    {otp_peer, OtpNode} ! {hello, Worker},
    Term = [1.5, <<"bin">>, {tuple, OtpNode}, #{k => v}],
    check("worker's term echoed", {OtpNode, Term}, wait(worker_done)),
    check("otp saw the worker exit", bye, wait(down)),
    {Pid, true, "text"} = wait(echo),
    check("otp pid", {true, OtpNode}, {is_pid(Pid), node(Pid)}),
    check("stop", ok, net_kernel:stop()).

worker(Main) ->
    receive
        {welcome, Node, Pid} ->
            Pid ! {echo_me, self(), [1.5, <<"bin">>, {tuple, Node}, #{k => v}]},
            receive
                {echoed, Term} -> Main ! {worker_done, {Node, Term}}
            end,
            exit(bye)
    end.

wait(Tag) ->
    receive
        {Tag, Value} -> Value
    after 10000 -> {no, Tag}
    end.

check(What, Expected, Expected) -> io:format("~s: ok~n", [What]);
check(What, _Expected, Actual) -> io:format("~s: ~w~n", [What, Actual]).
