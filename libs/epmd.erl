%% @doc A small epmd, the Erlang port mapper daemon, in Erlang (AtomVM's avm_network
%% `epmd'): a board runs it so that nodes can find each other without a host.
%%
%% start_link/1 listens on port 4369 (or `{port, Port}'), every address. It answers the
%% requests a node makes (EPMD protocol, erts/doc "epmd"): ALIVE2_REQ registers a name
%% for as long as the registering connection stays open (ALIVE2_X_RESP with a creation:
%% 42 for the first registration, one more for each next, as AtomVM's), PORT_PLEASE2_REQ
%% gives a name's entry (PORT2_RESP, result 1 when unknown), NAMES_REQ lists the names,
%% newest first, as `name N at port P' lines. A name already registered is refused
%% (result 1), as OTP's epmd refuses it. Each client connection is served by a process
%% of its own; the gen_server holds the table.
-module(epmd).

-behaviour(gen_server).

-export([start_link/1]).

-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-define(DEFAULT_PORT, 4369).
-define(FIRST_CREATION, 42).

-define(NAMES_REQ, 110).
-define(ALIVE2_X_RESP, 118).
-define(PORT2_RESP, 119).
-define(ALIVE2_REQ, 120).
-define(PORT_PLEASE2_REQ, 122).

-record(node, {
    name :: binary(),
    port :: non_neg_integer(),
    monitor :: reference(),
    %% the PORT2_RESP body after the result byte, as the node sent it in ALIVE2_REQ
    entry :: binary()
}).

-record(state, {
    listen :: term(),
    port :: non_neg_integer(),
    creation :: non_neg_integer(),
    nodes = [] :: [#node{}]
}).

-type config() :: [{port, non_neg_integer()}].

-spec start_link(config()) -> {ok, pid()} | {error, term()}.
start_link(Config) ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, Config, []).

%%-----------------------------------------------------------------------------
%% gen_server: the table of registered nodes

init(Config) ->
    Port = proplists:get_value(port, Config, ?DEFAULT_PORT),
    {ok, Listen} = socket:open(inet, stream, tcp),
    ok = socket:setopt(Listen, {socket, reuseaddr}, true),
    ok = socket:bind(Listen, #{family => inet, port => Port, addr => {0, 0, 0, 0}}),
    ok = socket:listen(Listen),
    Server = self(),
    spawn_link(fun() -> accept_loop(Server, Listen) end),
    {ok, #state{listen = Listen, port = Port, creation = ?FIRST_CREATION}}.

handle_call({register, Name, Port, Entry, Client}, _From, #state{nodes = Nodes} = State) ->
    case lists:keymember(Name, #node.name, Nodes) of
        true ->
            {reply, taken, State};
        false ->
            Creation = State#state.creation,
            Node = #node{name = Name, port = Port, monitor = monitor(process, Client), entry = Entry},
            {reply, {ok, Creation}, State#state{
                nodes = [Node | Nodes], creation = (Creation + 1) rem 16#ffffffff
            }}
    end;
handle_call({lookup, Name}, _From, #state{nodes = Nodes} = State) ->
    case lists:keyfind(Name, #node.name, Nodes) of
        #node{entry = Entry} -> {reply, {ok, Entry}, State};
        false -> {reply, error, State}
    end;
handle_call(names, _From, #state{nodes = Nodes, port = Port} = State) ->
    {reply, {Port, [{Name, NodePort} || #node{name = Name, port = NodePort} <- Nodes]}, State}.

handle_cast(_Message, State) ->
    {noreply, State}.

%% A registration ends with the connection that made it.
handle_info({'DOWN', Ref, process, _Pid, _Reason}, #state{nodes = Nodes} = State) ->
    {noreply, State#state{nodes = lists:keydelete(Ref, #node.monitor, Nodes)}};
handle_info(_Message, State) ->
    {noreply, State}.

terminate(_Reason, #state{listen = Listen}) ->
    socket:close(Listen),
    ok.

%%-----------------------------------------------------------------------------
%% Connections

accept_loop(Server, Listen) ->
    case socket:accept(Listen) of
        {ok, Socket} ->
            spawn(fun() -> serve(Server, Socket) end),
            accept_loop(Server, Listen);
        {error, closed} ->
            ok
    end.

%% One request per connection: <<Length:16, Request:Length/binary>>.
serve(Server, Socket) ->
    case socket:recv(Socket, 2) of
        {ok, <<Length:16>>} when Length > 0 ->
            case socket:recv(Socket, Length) of
                {ok, Request} -> answer(Request, Server, Socket);
                {error, _} -> ok
            end;
        _ ->
            ok
    end,
    socket:close(Socket).

answer(
    <<?ALIVE2_REQ, Port:16, _Type, _Protocol, _High:16, _Low:16, NameLen:16,
        Name:NameLen/binary, ExtraLen:16, _Extra:ExtraLen/binary>> = Request,
    Server,
    Socket
) ->
    <<?ALIVE2_REQ, Entry/binary>> = Request,
    case gen_server:call(Server, {register, Name, Port, Entry, self()}) of
        {ok, Creation} ->
            ok = socket:send(Socket, <<?ALIVE2_X_RESP, 0, Creation:32>>),
            % registered until the node closes the connection (or sends anything more)
            _ = socket:recv(Socket, 0, infinity),
            ok;
        taken ->
            socket:send(Socket, <<?ALIVE2_X_RESP, 1, 0:32>>)
    end;
answer(<<?PORT_PLEASE2_REQ, Name/binary>>, Server, Socket) ->
    case gen_server:call(Server, {lookup, Name}) of
        {ok, Entry} -> socket:send(Socket, <<?PORT2_RESP, 0, Entry/binary>>);
        error -> socket:send(Socket, <<?PORT2_RESP, 1>>)
    end;
answer(<<?NAMES_REQ>>, Server, Socket) ->
    {EpmdPort, Nodes} = gen_server:call(Server, names),
    Lines = [io_lib:format("name ~ts at port ~p~n", [Name, Port]) || {Name, Port} <- Nodes],
    socket:send(Socket, [<<EpmdPort:32>> | Lines]);
answer(_Unknown, _Server, _Socket) ->
    ok.
