-module(ports_links_raise).
%% AtomVM's answers where avmsim used to differ: erlang:raise/3 with a class other than
%% error, exit or throw returns badarg (the compiler inlines it as raw_raise, which then
%% falls through); a process links to a port and gets {'EXIT', Port, killed} when
%% exit(Port, kill) closes it; open_port/2 wants a list or a map of options; the node
%% becomes nonode@nohost again when the net_kernel that setnode/2 found dies;
%% ets:update_element/4 starts from the default object; code:load_binary/3 of a loaded
%% module replaces it; code_server:is_loaded/1 says whether a module is there.
-export([start/0, id/1, raiser/1]).

id(X) -> X.

err(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

raiser(Class) ->
    try ?MODULE:id(ciao) + 1 of
        X -> X
    catch
        error:Reason:ST -> erlang:raise(?MODULE:id(Class), {Reason, again}, ST)
    end.

start() ->
    erlang:display({raise, ?MODULE:raiser(not_a_class),
                    err(fun() -> ?MODULE:raiser(throw) end)}),
    Old = process_flag(trap_exit, true),
    Port = open_port({spawn, "echo"}, []),
    true = link(Port),
    {links, Links} = process_info(self(), links),
    erlang:display({linked, lists:member(Port, Links)}),
    true = exit(Port, kill),
    Got = receive {'EXIT', Port, Reason} -> Reason after 1000 -> timeout end,
    {links, After} = process_info(self(), links),
    erlang:display({port_exit, Got, lists:member(Port, After)}),
    process_flag(trap_exit, Old),
    erlang:display({open_port_opts,
                    err(fun() -> open_port({spawn, "echo"}, nil) end),
                    is_port(open_port({spawn, "echo"}, #{}))}),
    {Kernel, Mon} = spawn_opt(fun() -> receive quit -> ok end end, [monitor]),
    register(net_kernel, Kernel),
    true = erlang:setnode('b@host', 7),
    Alive = node(),
    Kernel ! quit,
    receive {'DOWN', Mon, process, Kernel, normal} -> ok end,
    erlang:display({node, Alive, node()}),
    T = ets:new(t, [set]),
    true = ets:update_element(T, k, [{2, b}, {3, c}], {x, y, z}),
    true = ets:update_element(T, k, {2, bb}, {x, y, z}),
    erlang:display({update_element4, ets:lookup(T, k),
                    err(fun() -> ets:update_element(T, m, {2, b}, {x}) end),
                    err(fun() -> ets:update_element(T, m, {1, b}, {x, y}) end)}),
    {?MODULE, Bin, _} = code:get_object_code(?MODULE),
    erlang:display({load_binary, code:load_binary(?MODULE, "ports_links_raise.beam", Bin),
                    code:load_binary(?MODULE, "ports_links_raise.beam", Bin)}),
    erlang:display({is_loaded, code_server:is_loaded(?MODULE),
                    code_server:is_loaded(no_such_module_here)}),
    0.
