%% spawn/1,3, spawn_link/1,3, spawn_monitor/1,3, spawn_opt/2,4 with link and
%% monitor options; arguments; self() comparisons; badarg cases.
-module(proc_spawn).
-export([start/0, child/2, add/3]).

child(Parent, Tag) ->
    Parent ! {Tag, self(), self() =:= self(), self() =/= Parent}.

add(Parent, A, B) -> Parent ! {sum, A + B}.

start() ->
    Me = self(),
    io:format("self is pid: ~p, equal: ~p~n", [is_pid(self()), self() =:= Me]),
    P1 = spawn(fun() -> child(Me, s1) end),
    receive {s1, P1b, Eq1, Ne1} -> io:format("spawn/1: ~p ~p ~p~n", [P1 =:= P1b, Eq1, Ne1]) end,
    P2 = spawn(?MODULE, child, [Me, s3]),
    receive {s3, P2b, Eq2, Ne2} -> io:format("spawn/3: ~p ~p ~p~n", [P2 =:= P2b, Eq2, Ne2]) end,
    io:format("distinct pids: ~p~n", [P1 =/= P2]),
    spawn(?MODULE, add, [Me, 40, 2]),
    receive {sum, S} -> io:format("spawn/3 args: ~p~n", [S]) end,
    %% spawned funs capture their environment
    X = {captured, [1, 2, 3]},
    spawn(fun() -> Me ! {env, X} end),
    receive {env, X2} -> io:format("closure: ~p~n", [X2]) end,
    %% spawn_link: links in both directions
    process_flag(trap_exit, true),
    L1 = spawn_link(fun() -> receive go -> Me ! {links, process_info(self(), links)} end end),
    {links, MyLinks} = process_info(self(), links),
    L1 ! go,
    receive {links, {links, TheirLinks}} ->
            io:format("spawn_link/1 links: ~p ~p~n", [lists:member(L1, MyLinks), TheirLinks =:= [Me]])
    end,
    receive {'EXIT', L1, W1} -> io:format("spawn_link/1 exit: ~p~n", [W1]) end,
    L2 = spawn_link(?MODULE, child, [Me, sl3]),
    receive {sl3, L2, _, _} -> ok end,
    receive {'EXIT', L2, W2} -> io:format("spawn_link/3 exit: ~p~n", [W2]) end,
    %% spawn_monitor
    {M1, R1} = spawn_monitor(fun() -> exit(sm1) end),
    receive {'DOWN', R1, process, M1, W3} -> io:format("spawn_monitor/1: ~p~n", [W3]) end,
    {M2, R2} = spawn_monitor(?MODULE, child, [Me, sm3]),
    receive {sm3, M2, _, _} -> ok end,
    receive {'DOWN', R2, process, M2, W4} -> io:format("spawn_monitor/3: ~p~n", [W4]) end,
    io:format("no EXIT from monitors: ~p~n", [drain()]),
    %% spawn_opt
    O1 = spawn_opt(fun() -> exit(o1) end, [link]),
    receive {'EXIT', O1, W5} -> io:format("spawn_opt [link]: ~p~n", [W5]) end,
    {O2, R6} = spawn_opt(fun() -> exit(o2) end, [monitor]),
    receive {'DOWN', R6, process, O2, W6} -> io:format("spawn_opt [monitor]: ~p~n", [W6]) end,
    {O3, R7} = spawn_opt(fun() -> exit(o3) end, [link, monitor]),
    Both = lists:sort([receive {'EXIT', O3, W} -> {exit, W} end,
                       receive {'DOWN', R7, process, O3, W} -> {down, W} end]),
    io:format("spawn_opt [link, monitor]: ~p~n", [Both]),
    {O4, R8} = spawn_opt(?MODULE, child, [Me, so4], [monitor, link]),
    receive {so4, O4, _, _} -> ok end,
    receive {'DOWN', R8, process, O4, W8} -> io:format("spawn_opt/4: ~p~n", [W8]) end,
    receive {'EXIT', O4, W9} -> io:format("spawn_opt/4 link: ~p~n", [W9]) end,
    O5 = spawn_opt(fun() -> Me ! plain end, []),
    receive plain -> io:format("spawn_opt []: ~p~n", [is_pid(O5)]) end,
    process_flag(trap_exit, false),
    %% undefined functions: the child crashes with undef
    {U1, UR1} = spawn_monitor(?MODULE, undefined_function, []),
    receive {'DOWN', UR1, process, U1, {UW1, _}} -> io:format("undef/3: ~p~n", [UW1]) end,
    {U2, UR2} = spawn_monitor(fun() -> (list_to_atom("no_such_mod_abc")):f() end),
    receive {'DOWN', UR2, process, U2, {UW2, _}} -> io:format("undef in fun: ~p~n", [UW2]) end,
    U3 = spawn(?MODULE, add, [Me, 1]),
    UR3 = monitor(process, U3),
    receive {'DOWN', UR3, process, U3, W10} -> io:format("wrong arity: ~p~n", [class(W10)]) end,
    %% badarg
    io:format("badargs: ~p~n",
              [[try F() catch error:E -> E end
                || F <- [fun() -> spawn(not_a_fun) end,
                         fun() -> spawn(?MODULE, child, not_a_list) end,
                         fun() -> spawn("m", f, []) end,
                         fun() -> spawn(?MODULE, "f", []) end,
                         fun() -> spawn_link(42) end]]]),
    %% (spawn_opt with an option it does not know: OTP says badarg, AtomVM ignores the
    %% option; tests/test_lib_and_spawn_opt.py follows AtomVM)
    %% 200 children in a row, each replying with its index
    Kids = [spawn(fun() -> Me ! {kid, I, self()} end) || I <- lists:seq(1, 200)],
    Replies = [receive {kid, I, K} -> I end || {I, K} <- lists:zip(lists:seq(1, 200), Kids)],
    io:format("200 kids: ~p distinct=~p~n",
              [lists:sum(Replies), length(lists:usort(Kids))]),
    %% a child spawning grandchildren
    spawn(fun() ->
                  Mine = self(),
                  Gs = [spawn(fun() -> Mine ! {g, I * I} end) || I <- lists:seq(1, 10)],
                  Me ! {grand, lists:sum([receive {g, V} -> V end || _ <- Gs])}
          end),
    receive {grand, G} -> io:format("grandchildren: ~p~n", [G]) end,
    ok.

class({undef, _}) -> undef;
class({R, _}) when is_atom(R) -> R;
class(R) -> R.

drain() ->
    receive M -> [M | drain()] after 0 -> [] end.
