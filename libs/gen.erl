%% What the generic behaviours share: registering a server under the name it was started
%% with (self, {local, Name} or {via, Module, Name}), and the name it reports itself by.
-module(gen).
-export([register_name/1, unregister_name/1, report_name/1]).

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
