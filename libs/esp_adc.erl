%% esp_adc -- AtomVM's ADC module (avm_esp32 esp_adc).
%%
%% Two APIs, as in AtomVM:
%%  - resource NIFs: init/0 -> {ok, Unit}, deinit/1, acquire/2,4 -> {ok, Channel}
%%    (acquire/2 uses bit_max and db_11), release_channel/1, sample/2,3 ->
%%    {ok, {Raw | undefined, MilliVolts | undefined}} (sample/2 reads raw and
%%    voltage averaged over 64 samples). Units and channels are
%%    {'$adc', Resource, Ref} tuples. A bad argument raises badarg; ESP-IDF
%%    failures answer {error, Reason}.
%%  - a gen_server registered as adc_driver that keeps the unit and a channel
%%    per pin: start/0 -> {ok, Pid}; start(Pin[, Options]) -> ok | {error, _}
%%    (Options: {bitwidth, bit_9..bit_13 | bit_max}, {atten, db_0 | db_2_5 |
%%    db_6 | db_11 | db_12}; defaults bit_max and db_11); read(Pin[, ReadOptions])
%%    (ReadOptions: raw, voltage, {samples, 1..100000}); stop(Pin) releases
%%    one pin, stop/0 every pin and the unit, then ends the server. Reading a
%%    pin that was not started makes the server exit with {badkey, Pin}.
%% The NIF stubs below run only when the VM has no native of that name.
-module(esp_adc).

-behaviour(gen_server).

-export([init/0, deinit/1, acquire/2, acquire/4, release_channel/1, sample/2, sample/3]).
-export([start/0, start/1, start/2, read/1, read/2, stop/0, stop/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-type adc_rsrc() :: {'$adc', Resource :: reference(), Ref :: reference()}.
-type adc_pin() :: non_neg_integer().
-type bit_width() :: bit_9 | bit_10 | bit_11 | bit_12 | bit_13 | bit_max.
-type attenuation() :: db_0 | db_2_5 | db_6 | db_11 | db_12.
-type pin_options() :: [{bitwidth, bit_width()} | {atten, attenuation()}].
-type read_options() :: [raw | voltage | {samples, 1..100000}].
-type reading() :: {non_neg_integer() | undefined, non_neg_integer() | undefined}.

-export_type([adc_rsrc/0, adc_pin/0, bit_width/0, attenuation/0, read_options/0, reading/0]).

-define(SERVER, adc_driver).
-define(DEFAULT_READ_OPTIONS, [raw, voltage, {samples, 64}]).

-record(state, {unit, channels = #{}}).

%%-----------------------------------------------------------------------------
%% Resource NIFs (the VM's natives replace these stubs)

-spec init() -> {ok, Unit :: adc_rsrc()} | {error, Reason :: term()}.
init() ->
    erlang:nif_error(undefined).

-spec deinit(Unit :: adc_rsrc()) -> ok | {error, Reason :: term()}.
deinit(_Unit) ->
    erlang:nif_error(undefined).

-spec acquire(Pin :: adc_pin(), Unit :: adc_rsrc(), bit_width(), attenuation()) ->
    {ok, Channel :: adc_rsrc()} | {error, Reason :: term()}.
acquire(_Pin, _Unit, _BitWidth, _Attenuation) ->
    erlang:nif_error(undefined).

-spec release_channel(Channel :: adc_rsrc()) -> ok | {error, Reason :: term()}.
release_channel(_Channel) ->
    erlang:nif_error(undefined).

-spec sample(Channel :: adc_rsrc(), Unit :: adc_rsrc(), read_options()) ->
    {ok, reading()} | {error, Reason :: term()}.
sample(_Channel, _Unit, _ReadOptions) ->
    erlang:nif_error(undefined).

%% acquire/4 with the widest bit width and 11 dB.
-spec acquire(Pin :: adc_pin(), Unit :: adc_rsrc()) ->
    {ok, Channel :: adc_rsrc()} | {error, Reason :: term()}.
acquire(Pin, Unit) ->
    ?MODULE:acquire(Pin, Unit, bit_max, db_11).

%% sample/3 reading raw and voltage over 64 samples.
-spec sample(Channel :: adc_rsrc(), Unit :: adc_rsrc()) ->
    {ok, reading()} | {error, Reason :: term()}.
sample(Channel, Unit) ->
    ?MODULE:sample(Channel, Unit, ?DEFAULT_READ_OPTIONS).

%%-----------------------------------------------------------------------------
%% The adc_driver server

-spec start() -> {ok, pid()}.
start() ->
    {ok, server()}.

-spec start(Pin :: adc_pin()) -> ok | {error, Reason :: term()}.
start(Pin) ->
    start(Pin, []).

-spec start(Pin :: adc_pin(), Options :: pin_options()) -> ok | {error, Reason :: term()}.
start(Pin, Options) ->
    Width = proplists:get_value(bitwidth, Options, bit_max),
    Atten = proplists:get_value(atten, Options, db_11),
    gen_server:call(server(), {acquire, Pin, Width, Atten}).

-spec read(Pin :: adc_pin()) -> {ok, reading()} | {error, Reason :: term()}.
read(Pin) ->
    read(Pin, ?DEFAULT_READ_OPTIONS).

-spec read(Pin :: adc_pin(), read_options()) -> {ok, reading()} | {error, Reason :: term()}.
read(Pin, ReadOptions) ->
    gen_server:call(?SERVER, {read, Pin, ReadOptions}).

-spec stop(Pin :: adc_pin()) -> ok | {error, Reason :: term()}.
stop(Pin) ->
    gen_server:call(?SERVER, {stop, Pin}).

-spec stop() -> ok | {error, Reason :: term()}.
stop() ->
    gen_server:call(?SERVER, stop).

%% The running server, started (and registered) on first use.
server() ->
    case whereis(?SERVER) of
        undefined ->
            case gen_server:start_link({local, ?SERVER}, ?MODULE, [], []) of
                {ok, Pid} -> Pid;
                Error -> throw(Error)
            end;
        Pid ->
            Pid
    end.

%% @private
init([]) ->
    try ?MODULE:init() of
        {ok, Unit} -> {ok, #state{unit = Unit}};
        Error -> Error
    catch
        _:Reason -> {error, Reason}
    end.

%% @private
handle_call({acquire, Pin, Width, Atten}, _From, State) ->
    {Reply, NewState} = acquire_pin(Pin, Width, Atten, State),
    {reply, Reply, NewState};
handle_call({read, Pin, ReadOptions}, _From, #state{unit = Unit, channels = Channels} = State) ->
    Channel = maps:get(Pin, Channels),
    {reply, guarded(fun() -> ?MODULE:sample(Channel, Unit, ReadOptions) end), State};
handle_call({stop, Pin}, _From, State) ->
    {Reply, NewState} = release_pin(Pin, State),
    {reply, Reply, NewState};
handle_call(stop, _From, #state{channels = Channels} = State) ->
    Released = lists:foldl(
        fun(Pin, Acc) ->
            {ok, Next} = release_pin(Pin, Acc),
            Next
        end,
        State,
        maps:keys(Channels)
    ),
    Reply =
        case guarded(fun() -> ?MODULE:deinit(Released#state.unit) end) of
            ok -> ok;
            Error -> {error, Error}
        end,
    {stop, normal, Reply, Released#state{unit = undefined}};
handle_call(Request, _From, State) ->
    {reply, {error, {unknown_request, Request}}, State}.

%% @private
handle_cast(_Msg, State) ->
    {noreply, State}.

%% @private
handle_info(_Info, State) ->
    {noreply, State}.

%% @private
terminate(_Reason, _State) ->
    ok.

%% An error the NIF returns is logged on the console; one it raises is only answered.
acquire_pin(Pin, Width, Atten, #state{unit = Unit, channels = Channels} = State) ->
    try ?MODULE:acquire(Pin, Unit, Width, Atten) of
        {ok, Channel} ->
            {ok, State#state{channels = Channels#{Pin => Channel}}};
        Error ->
            io:format("[~p] adc_driver: failed to acquire pin, error: ~p~n",
                      [erlang:monotonic_time(millisecond), Error]),
            {Error, State}
    catch
        _:Reason -> {{error, Reason}, State}
    end.

%% Release a pin's channel; the pin is forgotten whatever the outcome.
release_pin(Pin, #state{channels = Channels} = State) ->
    Reply = guarded(fun() -> ?MODULE:release_channel(maps:get(Pin, Channels)) end),
    {Reply, State#state{channels = maps:remove(Pin, Channels)}}.

%% F's result, or {error, Reason} when it raises.
guarded(F) ->
    try
        F()
    catch
        _:Reason -> {error, Reason}
    end.
