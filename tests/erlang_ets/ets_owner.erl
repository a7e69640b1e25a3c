%% Ownership: access rights by protection, owner death, give_away and heir.
-module(ets_owner).
-export([start/0]).

t(F) -> try F() catch C:R -> {C, R} end.
show(Label, V) -> io:format("~s: ~w~n", [Label, V]).

%% Run F in another process and return its result (or the exception).
other(F) ->
    Me = self(),
    Pid = spawn(fun() -> Me ! {self(), t(F)} end),
    receive {Pid, R} -> R end.

start() ->
    access(),
    death(),
    transfer(),
    ok.

access() ->
    lists:foreach(
      fun(Prot) ->
              io:format("== ~w~n", [Prot]),
              T = ets:new(t, [Prot]),
              ets:insert(T, {k, 1}),
              show("owner read/write", {ets:lookup(T, k), ets:insert(T, {j, 2})}),
              show("other lookup", other(fun() -> ets:lookup(T, k) end)),
              show("other member", other(fun() -> ets:member(T, k) end)),
              show("other lookup_element", other(fun() -> ets:lookup_element(T, k, 2) end)),
              show("other first", other(fun() -> lists:member(ets:first(T), [j, k]) end)),
              show("other tab2list", other(fun() -> lists:sort(ets:tab2list(T)) end)),
              show("other info", other(fun() -> ets:info(T, size) end)),
              show("other insert", other(fun() -> ets:insert(T, {o, 3}) end)),
              show("other insert_new", other(fun() -> ets:insert_new(T, {p, 3}) end)),
              show("other update_counter", other(fun() -> ets:update_counter(T, k, 1) end)),
              show("other update_element", other(fun() -> ets:update_element(T, k, {2, 9}) end)),
              show("other delete key", other(fun() -> ets:delete(T, o) end)),
              show("other take", other(fun() -> ets:take(T, p) end)),
              show("other delete_object", other(fun() -> ets:delete_object(T, {j, 2}) end)),
              show("now", lists:sort(ets:tab2list(T))),
              show("other give_away", other(fun() -> ets:give_away(T, self(), x) end)),
              show("other delete_all", other(fun() -> ets:delete_all_objects(T) end)),
              show("other delete", other(fun() -> ets:delete(T) end)),
              show("exists", ets:info(T, size))
      end, [public, protected, private]).

death() ->
    io:format("== owner death~n"),
    Me = self(),
    {Pid, Ref} = spawn_monitor(fun() ->
                                      ets:new(doomed, [named_table, public]),
                                      ets:insert(doomed, {a, 1}),
                                      Me ! {made, self()},
                                      receive go -> ok end
                              end),
    receive {made, Pid} -> ok end,
    show("while alive", {ets:lookup(doomed, a), ets:info(doomed, owner) =:= Pid}),
    ets:insert(doomed, {b, 2}),
    Pid ! go,
    receive {'DOWN', Ref, process, Pid, Why} -> show("exit", Why) end,
    show("info after", ets:info(doomed)),
    show("whereis after", ets:whereis(doomed)),
    show("lookup after", t(fun() -> ets:lookup(doomed, a) end)),
    show("name free", ets:new(doomed, [named_table])),
    %% an unnamed table of a crashing process
    {Pid2, Ref2} = spawn_monitor(fun() ->
                                        T = ets:new(anon, [public]),
                                        Me ! {table, T},
                                        receive go -> exit(boom) end
                                end),
    T2 = receive {table, X} -> X end,
    show("anon alive", ets:info(T2, size)),
    Pid2 ! go,
    receive {'DOWN', Ref2, process, Pid2, Why2} -> show("exit", Why2) end,
    show("anon after", {ets:info(T2), t(fun() -> ets:insert(T2, {a}) end)}).

transfer() ->
    io:format("== give_away~n"),
    Me = self(),
    {Receiver, RRef} = spawn_monitor(fun() -> receive M -> Me ! {got, M} end,
                                               receive stop -> ok end end),
    T = ets:new(gift, [named_table]),
    ets:insert(T, {a, 1}),
    show("to self", t(fun() -> ets:give_away(T, self(), x) end)),
    show("give_away", ets:give_away(T, Receiver, present)),
    receive {got, {'ETS-TRANSFER', Tab, From, Data}} ->
            show("message", {Tab, From =:= Me, Data})
    end,
    show("new owner", ets:info(gift, owner) =:= Receiver),
    show("old owner write", t(fun() -> ets:insert(gift, {b, 2}) end)),
    show("old owner read", ets:lookup(gift, a)),
    show("again", t(fun() -> ets:give_away(T, Me, x) end)),
    {Dead, DRef} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', DRef, process, Dead, _} -> ok end,
    Mine = ets:new(mine, []),
    show("to dead", t(fun() -> ets:give_away(Mine, Dead, x) end)),
    Receiver ! stop,
    receive {'DOWN', RRef, process, Receiver, _} -> ok end,
    show("receiver gone", ets:info(gift)),
    io:format("== heir~n"),
    {Heir, HRef} = spawn_monitor(fun() -> heir_loop(Me) end),
    Owner = spawn(fun() ->
                          ets:new(inherited, [named_table, {heir, Heir, legacy}]),
                          ets:insert(inherited, {k, v}),
                          Me ! ready
                  end),
    receive ready -> ok end,
    receive {heir_got, {'ETS-TRANSFER', HTab, HFrom, HData}} ->
            show("heir message", {HTab, HFrom =:= Owner, HData})
    end,
    show("heir owns", {ets:info(inherited, owner) =:= Heir, ets:lookup(inherited, k)}),
    show("heir of table", ets:info(inherited, heir) =:= Heir),
    Heir ! stop,
    receive {'DOWN', HRef, process, Heir, _} -> ok end,
    show("heir gone", ets:info(inherited)),
    {Orphan, ORef} = spawn_monitor(fun() -> ets:new(orphan, [named_table, {heir, Dead, x}]) end),
    receive {'DOWN', ORef, process, Orphan, _} -> ok end,
    show("dead heir", ets:info(orphan)).

heir_loop(Parent) ->
    receive
        stop -> ok;
        M -> Parent ! {heir_got, M}, heir_loop(Parent)
    end.
