%% What the generic behaviours share: registering a server under the name it was started
%% with (self, {local, Name} or {via, Module, Name}), and the name it reports itself by.
-module(gen).
-export([register_name/1, unregister_name/1, report_name/1, start_register/3, parent/2,
         call_init/2, init_failed/4, opt/3]).
%% OTP's and AtomVM's client side of the call protocol; gen_server holds it.
-export([call/4, cast/2, reply/2]).

register_name(self) -> true;
register_name({local, Name}) ->
    try erlang:register(Name, self()) of
        true -> true
    catch
        error:_ -> {false, whereis(Name)}
    end;
register_name({via, Mod, Name}) ->
    case Mod:register_name(Name, self()) of
        yes -> true;
        _ -> {false, Mod:whereis_name(Name)}
    end.

unregister_name(self) -> ok;
unregister_name({local, Name}) ->
    try erlang:unregister(Name) catch _:_ -> ok end,
    ok;
unregister_name({via, Mod, Name}) ->
    try Mod:unregister_name(Name) catch _:_ -> ok end,
    ok.

report_name(self) -> self();
report_name({local, Name}) -> Name;
report_name({via, _, Name}) -> Name.

%% In a server starting up: register it, or tell the starter the name is taken.
start_register(Starter, Name, Mod) ->
    case register_name(Name) of
        true ->
            put('$initial_call', {Mod, init, 1}),
            true;
        {false, Pid} ->
            proc_lib:init_ack(Starter, {error, {already_started, Pid}}),
            false
    end.

%% The process a server answers to: its starter when linked, else itself.
parent(Starter, link) -> Starter;
parent(_Starter, _LinkMode) -> self().

%% Mod:init(Args), with a throw taken as the return value and a crash caught.
call_init(Mod, Args) ->
    try
        {ok, Mod:init(Args)}
    catch
        throw:R -> {ok, R};
        C:R:St -> {'EXIT', C, R, St}
    end.

%% Init did not start the server: free the name, answer the starter, exit.
init_failed(Starter, Name, Ack, ExitReason) ->
    unregister_name(Name),
    proc_lib:init_ack(Starter, Ack),
    exit(ExitReason).

%% An option's value from a proplist of start options.
opt(Key, Options, Default) ->
    case lists:keyfind(Key, 1, Options) of
        {Key, V} -> V;
        false -> Default
    end.

%% {ok, Reply}, or an exit with noproc, timeout, calling_self or the server's exit reason.
call(Server, Label, Request, Timeout) -> gen_server:'$call'(Server, Label, Request, Timeout).

cast(Server, Message) -> gen_server:cast(Server, Message).

reply(From, Reply) -> gen_server:reply(From, Reply).
