%% i2c -- AtomVM's I2C module, one module for every platform (the API of
%% avm_esp32, avm_stm32 and avm_rp2 i2c; the i2c_hal behaviour).
%%
%% open/1 by atomvm:platform():
%%  - esp32: the "i2c" port, or with {use_nif, true} the NIF resource
%%    {'$i2c', Resource, Ref}. Options: {scl, Pin}, {sda, Pin},
%%    {clock_speed_hz, Hz} (all three required), {peripheral, "i2c0" |
%%    <<"i2c1">> | N}, {send_timeout_ms, Ms | infinity} (NIF). The old keys
%%    scl_io_num, sda_io_num, i2c_clock_hz and i2c_num are renamed with a
%%    warning on the console.
%%  - stm32: {scl, {Bank, N}}, {sda, {Bank, N}} (required), {clock_speed_hz,
%%    Hz} (100000), {peripheral, 1..3} (1), {af, N} (4), {send_timeout_ms, T}
%%    (500); the HAL NIFs init/1, master_transmit/4... behind an owner process.
%%  - pico: {scl, N}, {sda, N} (required, different), {clock_speed_hz, Hz}
%%    (100000), {peripheral, 0 | 1} (0), {send_timeout_ms, T} (500); the pins
%%    are muxed with gpio:set_function/2 and pulled up; the SDK NIFs init/2,
%%    write_blocking/4... behind an owner process.
%% The other functions take the handle open/1 returned (a port, a resource
%% tuple or a pid) and answer as that platform's driver does: ok, {ok, Data}
%% or {error, Reason} (a byte not acknowledged: esp_fail on ESP32, eio on
%% STM32 and the Pico).
-module(i2c).

-behaviour(i2c_hal).

-export([
    open/1,
    close/1,
    begin_transmission/2,
    write_byte/2,
    end_transmission/1,
    read_bytes/3,
    read_bytes/4,
    write_bytes/2,
    write_bytes/3,
    write_bytes/4
]).
%% ESP32 NIFs
-export([
    open_nif/1,
    close_nif/1,
    read_bytes_nif/2,
    write_bytes_nif/2,
    begin_transmission_nif/2,
    enqueue_write_bytes_nif/2,
    end_transmission_nif/1
]).
%% STM32 HAL NIFs (deinit/1 is the Pico's too)
-export([
    init/1,
    deinit/1,
    master_transmit/4,
    master_receive/4,
    mem_read/6,
    mem_write/6,
    is_device_ready/4
]).
%% Pico SDK NIFs
-export([
    init/2,
    set_baudrate/2,
    write_blocking/4,
    read_blocking/4,
    write_timeout_us/5,
    read_timeout_us/5,
    write_blocking_until/5,
    read_blocking_until/5
]).

-define(IS_RESOURCE(I2C), (is_tuple(I2C) andalso element(1, I2C) =:= '$i2c')).
-define(DEFAULT_SEND_TIMEOUT_MS, 500).

-type i2c() :: port() | pid() | {'$i2c', term(), reference()}.
-type address() :: 0..127.
-type register() :: non_neg_integer().

-export_type([i2c/0, address/0, register/0]).

%%-----------------------------------------------------------------------------
%% The i2c_hal API

-spec open(Params :: [{atom(), term()}]) -> i2c().
open(Params) ->
    case atomvm:platform() of
        stm32 -> open_stm32(Params);
        pico -> open_pico(Params);
        _ -> open_esp32(Params)
    end.

-spec close(I2C :: i2c()) -> ok | {error, term()}.
close(I2C) when ?IS_RESOURCE(I2C) -> i2c:close_nif(I2C);
close(I2C) when is_port(I2C) -> port:call(I2C, {close});
close(I2C) -> owner_call(I2C, close).

-spec begin_transmission(I2C :: i2c(), Address :: address()) -> ok | {error, term()}.
begin_transmission(I2C, Address) when ?IS_RESOURCE(I2C) ->
    i2c:begin_transmission_nif(I2C, Address);
begin_transmission(I2C, Address) when is_port(I2C) ->
    port:call(I2C, {begin_transmission, Address});
begin_transmission(I2C, Address) ->
    owner_call(I2C, {begin_transmission, Address}).

-spec write_byte(I2C :: i2c(), Byte :: byte()) -> ok | {error, term()}.
write_byte(I2C, Byte) when ?IS_RESOURCE(I2C), is_integer(Byte), Byte >= 0, Byte =< 255 ->
    write_bytes(I2C, <<Byte:8>>);
write_byte(I2C, Byte) when is_port(I2C), is_integer(Byte), Byte >= 0, Byte =< 255 ->
    port:call(I2C, {write_byte, Byte});
write_byte(I2C, Byte) when is_pid(I2C) ->
    owner_call(I2C, {queue, <<Byte:8>>}).

-spec write_bytes(I2C :: i2c(), Bytes :: binary()) -> ok | {error, term()}.
write_bytes(I2C, Bytes) when ?IS_RESOURCE(I2C) -> i2c:enqueue_write_bytes_nif(I2C, Bytes);
write_bytes(I2C, Bytes) when is_port(I2C) -> port:call(I2C, {write_bytes, Bytes});
write_bytes(I2C, Bytes) -> owner_call(I2C, {queue, Bytes}).

-spec end_transmission(I2C :: i2c()) -> ok | {error, term()}.
end_transmission(I2C) when ?IS_RESOURCE(I2C) -> i2c:end_transmission_nif(I2C);
end_transmission(I2C) when is_port(I2C) -> port:call(I2C, {end_transmission});
end_transmission(I2C) -> owner_call(I2C, end_transmission).

-spec read_bytes(I2C :: i2c(), Address :: address(), Count :: non_neg_integer()) ->
    {ok, binary()} | {error, term()}.
read_bytes(I2C, Address, Count) when ?IS_RESOURCE(I2C) ->
    i2c:read_bytes_nif(I2C, {Address, Count});
read_bytes(I2C, Address, Count) when is_port(I2C) ->
    port:call(I2C, {read_bytes, Address, Count});
read_bytes(I2C, Address, Count) ->
    owner_call(I2C, {read, Address, none, Count}).

-spec read_bytes(I2C :: i2c(), Address :: address(), Register :: register(),
                 Count :: non_neg_integer()) -> {ok, binary()} | {error, term()}.
read_bytes(I2C, Address, Register, Count) when ?IS_RESOURCE(I2C) ->
    i2c:read_bytes_nif(I2C, {Address, Count, Register});
read_bytes(I2C, Address, Register, Count) when is_port(I2C) ->
    port:call(I2C, {read_bytes, Address, Count, Register});
read_bytes(I2C, Address, Register, Count) ->
    owner_call(I2C, {read, Address, Register, Count}).

-spec write_bytes(I2C :: i2c(), Address :: address(), BinOrInt :: binary() | byte()) ->
    ok | {error, term()}.
write_bytes(I2C, Address, BinOrInt) when ?IS_RESOURCE(I2C) ->
    i2c:write_bytes_nif(I2C, {Address, BinOrInt});
write_bytes(I2C, Address, BinOrInt) when is_port(I2C) ->
    port:call(I2C, {write_bytes, Address, BinOrInt});
write_bytes(I2C, Address, BinOrInt) ->
    owner_call(I2C, {write, Address, none, as_binary(BinOrInt)}).

-spec write_bytes(I2C :: i2c(), Address :: address(), Register :: register(),
                  BinOrInt :: binary() | byte()) -> ok | {error, term()}.
write_bytes(I2C, Address, Register, BinOrInt) when ?IS_RESOURCE(I2C) ->
    i2c:write_bytes_nif(I2C, {Address, BinOrInt, Register});
write_bytes(I2C, Address, Register, BinOrInt) when is_port(I2C) ->
    port:call(I2C, {write_bytes, Address, BinOrInt, Register});
write_bytes(I2C, Address, Register, BinOrInt) ->
    owner_call(I2C, {write, Address, Register, as_binary(BinOrInt)}).

%%-----------------------------------------------------------------------------
%% NIFs (the VM's natives replace these stubs)

open_nif(_Params) -> erlang:nif_error(undefined).
close_nif(_I2C) -> erlang:nif_error(undefined).
read_bytes_nif(_I2C, _Request) -> erlang:nif_error(undefined).
write_bytes_nif(_I2C, _Request) -> erlang:nif_error(undefined).
begin_transmission_nif(_I2C, _Address) -> erlang:nif_error(undefined).
enqueue_write_bytes_nif(_I2C, _Bytes) -> erlang:nif_error(undefined).
end_transmission_nif(_I2C) -> erlang:nif_error(undefined).

init(_Opts) -> erlang:nif_error(undefined).
deinit(_Resource) -> erlang:nif_error(undefined).
master_transmit(_Resource, _Address, _Data, _TimeoutMs) -> erlang:nif_error(undefined).
master_receive(_Resource, _Address, _Count, _TimeoutMs) -> erlang:nif_error(undefined).
mem_read(_Resource, _Address, _MemAddr, _MemAddSize, _Count, _TimeoutMs) ->
    erlang:nif_error(undefined).
mem_write(_Resource, _Address, _MemAddr, _MemAddSize, _Data, _TimeoutMs) ->
    erlang:nif_error(undefined).
is_device_ready(_Resource, _Address, _Trials, _TimeoutMs) -> erlang:nif_error(undefined).

init(_Peripheral, _Baudrate) -> erlang:nif_error(undefined).
set_baudrate(_Resource, _Baudrate) -> erlang:nif_error(undefined).
write_blocking(_Resource, _Address, _Data, _Nostop) -> erlang:nif_error(undefined).
read_blocking(_Resource, _Address, _Count, _Nostop) -> erlang:nif_error(undefined).
write_timeout_us(_Resource, _Address, _Data, _Nostop, _Us) -> erlang:nif_error(undefined).
read_timeout_us(_Resource, _Address, _Count, _Nostop, _Us) -> erlang:nif_error(undefined).
write_blocking_until(_Resource, _Address, _Data, _Nostop, _UntilUs) ->
    erlang:nif_error(undefined).
read_blocking_until(_Resource, _Address, _Count, _Nostop, _UntilUs) ->
    erlang:nif_error(undefined).

%%-----------------------------------------------------------------------------
%% ESP32: the port or the resource, with AtomVM's option renaming

open_esp32(Params) ->
    Options = [esp32_option(Option) || Option <- Params],
    case proplists:get_value(use_nif, Params) of
        true -> i2c:open_nif(Options);
        _ -> open_port({spawn, "i2c"}, Options)
    end.

esp32_option({Key, Value}) ->
    NewKey = esp32_key(Key),
    NewKey =:= Key orelse
        io:format("I2C: found deprecated ~p, use ~p instead!!!~n", [Key, NewKey]),
    case NewKey of
        peripheral -> {peripheral, esp32_peripheral(Value)};
        _ -> {NewKey, Value}
    end.

esp32_key(scl_io_num) -> scl;
esp32_key(sda_io_num) -> sda;
esp32_key(i2c_clock_hz) -> clock_speed_hz;
esp32_key(i2c_num) -> peripheral;
esp32_key(Key) -> Key.

%% "i2cN" or <<"i2cN">> is controller N; an integer is passed on with a
%% warning; a malformed "i2c..." name becomes {bardarg, ...} (which the driver
%% refuses), anything else is thrown (AtomVM's spelling, bardarg).
esp32_peripheral(N) when is_integer(N) ->
    io:format("I2C: deprecated integer peripheral is used.~n"),
    N;
esp32_peripheral(<<"i2c", Digits/binary>> = Name) ->
    controller_number(binary_to_list(Digits), Name);
esp32_peripheral([$i, $2, $c | Digits] = Name) ->
    controller_number(Digits, Name);
esp32_peripheral(Name) ->
    throw({bardarg, {peripheral, Name}}).

controller_number(Digits, Name) ->
    try list_to_integer(Digits) of
        N -> N
    catch
        error:_ -> {bardarg, {peripheral, Name}}
    end.

%%-----------------------------------------------------------------------------
%% STM32 and the Pico: an owner process holds the resource and queues the
%% begin/write/end transmission for whoever began it.

open_stm32(Params) ->
    {ok, Resource} = i2c:init(Params),
    start_owner(stm32, Resource, Params).

open_pico(Params) ->
    SCL = proplists:get_value(scl, Params),
    SDA = proplists:get_value(sda, Params),
    (is_integer(SCL) andalso is_integer(SDA) andalso SCL =/= SDA) orelse erlang:error(badarg),
    [begin gpio:set_function(Pin, i2c), gpio:set_pin_pull(Pin, up) end || Pin <- [SCL, SDA]],
    Hz = proplists:get_value(clock_speed_hz, Params, 100000),
    {ok, {_ActualHz, Resource}} = i2c:init(proplists:get_value(peripheral, Params, 0), Hz),
    start_owner(pico, Resource, Params).

start_owner(Platform, Resource, Params) ->
    Timeout = proplists:get_value(send_timeout_ms, Params, ?DEFAULT_SEND_TIMEOUT_MS),
    spawn_link(fun() -> owner_loop({Platform, Resource, Timeout}, undefined) end).

owner_call(Pid, Request) ->
    Monitor = erlang:monitor(process, Pid),
    Pid ! {i2c_request, self(), Monitor, Request},
    receive
        {Monitor, Reply} ->
            erlang:demonitor(Monitor, [flush]),
            Reply;
        {'DOWN', Monitor, process, Pid, Reason} ->
            {error, {server_died, Reason}}
    end.

owner_loop(Bus, Queued) ->
    receive
        {i2c_request, From, Tag, close} ->
            i2c:deinit(element(2, Bus)),
            From ! {Tag, ok};
        {i2c_request, From, Tag, Request} ->
            {Reply, NewQueued} = owner_request(Bus, Queued, Request),
            From ! {Tag, Reply},
            owner_loop(Bus, NewQueued)
    end.

%% The queued transmission is {Address, [Bytes]} (newest first) or undefined.
owner_request(_Bus, undefined, {begin_transmission, Address}) ->
    {ok, {Address, []}};
owner_request(_Bus, Queued, {begin_transmission, _Address}) ->
    {{error, transaction_already_in_progress}, Queued};
owner_request(_Bus, undefined, Request) when Request =:= end_transmission;
                                             element(1, Request) =:= queue ->
    {{error, no_transaction}, undefined};
owner_request(_Bus, {Address, Bytes}, {queue, More}) ->
    {ok, {Address, [More | Bytes]}};
owner_request(Bus, {Address, Bytes}, end_transmission) ->
    Data = erlang:iolist_to_binary(lists:reverse(Bytes)),
    {written(transmit(Bus, Address, none, Data)), undefined};
owner_request(Bus, Queued, {read, Address, Register, Count}) ->
    {receive_bytes(Bus, Address, Register, Count), Queued};
owner_request(Bus, Queued, {write, Address, Register, Data}) ->
    {written(transmit(Bus, Address, Register, Data)), Queued};
owner_request(_Bus, Queued, _Unknown) ->
    {{error, badarg}, Queued}.

written({error, _} = Error) -> Error;
written(_Count) -> ok.

%% A write, at a register (STM32: HAL_I2C_Mem_Write; Pico: the register byte first).
transmit({stm32, Resource, Timeout}, Address, none, Data) ->
    i2c:master_transmit(Resource, Address, Data, Timeout);
transmit({stm32, Resource, Timeout}, Address, Register, Data) ->
    i2c:mem_write(Resource, Address, Register, register_size(Register), Data, Timeout);
transmit({pico, _, _} = Bus, Address, none, Data) ->
    pico_write(Bus, Address, Data, false);
transmit({pico, _, _} = Bus, Address, Register, Data) ->
    pico_write(Bus, Address, <<Register:8, Data/binary>>, false).

%% A read, from a register (STM32: HAL_I2C_Mem_Read; Pico: write it, no stop, read).
receive_bytes({stm32, Resource, Timeout}, Address, none, Count) ->
    i2c:master_receive(Resource, Address, Count, Timeout);
receive_bytes({stm32, Resource, Timeout}, Address, Register, Count) ->
    i2c:mem_read(Resource, Address, Register, register_size(Register), Count, Timeout);
receive_bytes({pico, _, _} = Bus, Address, none, Count) ->
    pico_read(Bus, Address, Count);
receive_bytes({pico, _, _} = Bus, Address, Register, Count) ->
    case pico_write(Bus, Address, <<Register:8>>, true) of
        {error, _} = Error -> Error;
        _ -> pico_read(Bus, Address, Count)
    end.

pico_write({pico, Resource, infinity}, Address, Data, Nostop) ->
    i2c:write_blocking(Resource, Address, Data, Nostop);
pico_write({pico, Resource, Ms}, Address, Data, Nostop) ->
    i2c:write_timeout_us(Resource, Address, Data, Nostop, Ms * 1000).

pico_read({pico, Resource, infinity}, Address, Count) ->
    i2c:read_blocking(Resource, Address, Count, false);
pico_read({pico, Resource, Ms}, Address, Count) ->
    i2c:read_timeout_us(Resource, Address, Count, false, Ms * 1000).

register_size(Register) when Register > 16#FF -> 16;
register_size(_Register) -> 8.

as_binary(Byte) when is_integer(Byte) -> <<Byte:8>>;
as_binary(Data) -> Data.
