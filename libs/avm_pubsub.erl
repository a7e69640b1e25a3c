%% @doc eavmlib's publish/subscribe server. Topics are lists of levels (e.g.
%% `[sensor, kitchen, temp]'); a subscription pattern matches a topic level by level, where
%% `+' stands for any one level and a final `#' for one or more remaining levels.
%% pub/3 sends `{pub, Topic, Publisher, Term}' to each subscriber of each matching pattern
%% and answers `{ok, Deliveries}'.
%%
%% The state maps each pattern to its subscribers, newest first. As AtomVM's, unsubscribing
%% from a pattern nobody subscribed to subscribes the caller to it (kept so that an app
%% behaves here as on the device).
-module(avm_pubsub).

-export([start/0, start/1, pub/3, sub/2, sub/3, unsub/2, unsub/3]).
-export([init/1, handle_call/3, handle_info/2, terminate/2]).

start() -> gen_server:start(?MODULE, [], []).

start(LocalName) -> gen_server:start({local, LocalName}, ?MODULE, [], []).

pub(PubSub, Topic, Term) -> gen_server:call(PubSub, {pub, Topic, Term}).

%% The caller, or Pid, subscribes to (unsubscribes from) a pattern.
sub(PubSub, Pattern) -> gen_server:call(PubSub, {sub, Pattern}).

sub(PubSub, Pattern, Pid) -> gen_server:call(PubSub, {sub, Pattern, Pid}).

unsub(PubSub, Pattern) -> gen_server:call(PubSub, {unsub, Pattern}).

unsub(PubSub, Pattern, Pid) -> gen_server:call(PubSub, {unsub, Pattern, Pid}).

init(_) -> {ok, #{}}.

handle_call({pub, Topic, Term}, {From, _}, Subs) ->
    Receivers = lists:append([Pids || {Pattern, Pids} <- maps:to_list(Subs),
                                      matches(Pattern, Topic)]),
    [Pid ! {pub, Topic, From, Term} || Pid <- Receivers],
    {reply, {ok, length(Receivers)}, Subs};
handle_call({sub, Pattern}, {From, _}, Subs) ->
    {reply, ok, subscribe(Pattern, From, Subs)};
handle_call({sub, Pattern, Pid}, _From, Subs) ->
    {reply, ok, subscribe(Pattern, Pid, Subs)};
handle_call({unsub, Pattern}, {From, _}, Subs) ->
    {reply, ok, unsubscribe(Pattern, From, Subs)};
handle_call({unsub, Pattern, Pid}, _From, Subs) ->
    {reply, ok, unsubscribe(Pattern, Pid, Subs)}.

handle_info(_Info, Subs) -> {noreply, Subs}.

terminate(_Reason, _Subs) -> ok.

subscribe(Pattern, Pid, Subs) ->
    Pids = maps:get(Pattern, Subs, []),
    case lists:member(Pid, Pids) of
        true -> Subs;
        false -> Subs#{Pattern => [Pid | Pids]}
    end.

unsubscribe(Pattern, Pid, Subs) ->
    case Subs of
        #{Pattern := Pids} -> Subs#{Pattern := lists:delete(Pid, Pids)};
        _ -> Subs#{Pattern => [Pid]}
    end.

matches([Level | Pattern], [Level | Topic]) -> matches(Pattern, Topic);
matches(['+' | Pattern], [_ | Topic]) -> matches(Pattern, Topic);
matches(['#'], [_ | _]) -> true;
matches([], []) -> true;
matches(_, _) -> false.
