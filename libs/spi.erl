%% spi -- AtomVM's SPI module, one module for every platform (the API of
%% avm_esp32, avm_stm32 and avm_rp2 spi; the spi_hal behaviour).
%%
%% open(Params), Params a proplist or map:
%%   {bus_config, [{sclk, Pin}, {mosi, Pin}, {miso, Pin}, {peripheral, P}]}
%%   {device_config, [{Name, [{cs, Pin}, {clock_speed_hz, Hz}, {mode, 0..3},
%%                            {address_len_bits, 0..64}, {command_len_bits, 0..16}]}]}
%%  - esp32: the "spi" port. The options are checked here as AtomVM does (sclk,
%%    and each device's clock_speed_hz, mode, cs and address_len_bits are
%%    required; a bad value is thrown) and passed to the port as a map;
%%    peripheral "spi2" (default) | "spi3" | <<"spi2">> | hspi | vspi (the last
%%    two with a warning). The old keys miso_io_num, mosi_io_num,
%%    sclk_io_num, spi_cs_io_num, spi_clock_hz, spi_peripheral are renamed
%%    with a warning; poci and pico are miso and mosi.
%%  - pico: pins are integers, peripheral 0 | 1 (0); the pins are muxed with
%%    gpio:set_function/2, chip selects are GPIOs driven by this module.
%%    Device defaults: clock 1000000, mode 0, address 8 bits, command 0 bits.
%%  - stm32: pins are {Bank, N}, peripheral 1..6 (1), bus clock_speed_hz
%%    (1000000), send_timeout_ms (1000); chip selects are GPIOs.
%% On the Pico and STM32 an owner process holds the SPI block; each request is
%% one full-duplex exchange with its device's chip select held low.
%%
%% Lengths of read_at/write_at are in bits. write_at/5 sets bit 7 of the
%% address (the write flag of the usual register protocol; STM32: the top bit
%% of an address_len_bits-wide address).
-module(spi).

-behaviour(spi_hal).

-export([open/1, close/1, read_at/4, write_at/5, write/3, write_read/3]).
%% Pico SDK NIFs (deinit/1 and init/2 are STM32's too)
-export([
    init/2,
    deinit/1,
    set_baudrate/2,
    get_baudrate/1,
    set_format/4,
    is_writable/1,
    is_readable/1,
    is_busy/1,
    write_blocking/2,
    read_blocking/3,
    write_read_blocking/2
]).
%% STM32 HAL NIFs
-export([transmit/3, receive_/3, transmit_receive/3]).

-define(DEFAULT_CLOCK_SPEED_HZ, 1000000).
-define(DEFAULT_STM32_TIMEOUT_MS, 1000).

-type spi() :: port() | pid().
-type device_name() :: atom().
-type address() :: non_neg_integer().

-export_type([spi/0, device_name/0, address/0]).

%%-----------------------------------------------------------------------------
%% The spi_hal API

-spec open(Params :: [{atom(), term()}] | map()) -> spi() | {error, term()}.
open(Params) ->
    case atomvm:platform() of
        stm32 -> open_owner(stm32, Params);
        pico -> open_owner(pico, Params);
        _ -> open_port({spawn, "spi"}, esp32_params(Params))
    end.

-spec close(SPI :: spi()) -> ok.
close(SPI) -> request(SPI, {close}).

-spec read_at(SPI :: spi(), DeviceName :: device_name(), Address :: address(),
              Len :: non_neg_integer()) -> {ok, integer()} | {error, term()}.
read_at(SPI, DeviceName, Address, Len) ->
    request(SPI, {read_at, DeviceName, Address, Len}).

-spec write_at(SPI :: spi(), DeviceName :: device_name(), Address :: address(),
               Len :: non_neg_integer(), Data :: integer()) -> {ok, integer()} | {error, term()}.
write_at(SPI, DeviceName, Address, Len, Data) when is_port(SPI) ->
    request(SPI, {write_at, DeviceName, Address bor 16#80, Len, Data});
write_at(SPI, DeviceName, Address, Len, Data) ->
    request(SPI, {write_at, DeviceName, Address, Len, Data}).

-spec write(SPI :: spi(), DeviceName :: device_name(), Transaction :: map()) ->
    ok | {error, term()}.
write(SPI, DeviceName, Transaction) when is_atom(DeviceName), is_map(Transaction) ->
    request(SPI, {write, DeviceName, Transaction}).

-spec write_read(SPI :: spi(), DeviceName :: device_name(), Transaction :: map()) ->
    {ok, binary()} | {error, term()}.
write_read(SPI, DeviceName, Transaction) when is_atom(DeviceName), is_map(Transaction) ->
    request(SPI, {write_read, DeviceName, Transaction}).

request(SPI, Request) when is_port(SPI) -> port:call(SPI, Request);
request(SPI, Request) when is_pid(SPI) -> owner_call(SPI, Request).

%%-----------------------------------------------------------------------------
%% NIFs (the VM's natives replace these stubs)

init(_Peripheral, _BaudrateOrConfig) -> erlang:nif_error(undefined).
deinit(_Resource) -> erlang:nif_error(undefined).
set_baudrate(_Resource, _Baudrate) -> erlang:nif_error(undefined).
get_baudrate(_Resource) -> erlang:nif_error(undefined).
set_format(_Resource, _DataBits, _CPOL, _CPHA) -> erlang:nif_error(undefined).
is_writable(_Resource) -> erlang:nif_error(undefined).
is_readable(_Resource) -> erlang:nif_error(undefined).
is_busy(_Resource) -> erlang:nif_error(undefined).
write_blocking(_Resource, _Data) -> erlang:nif_error(undefined).
read_blocking(_Resource, _RepeatedTxByte, _Count) -> erlang:nif_error(undefined).
write_read_blocking(_Resource, _Data) -> erlang:nif_error(undefined).
transmit(_Resource, _Data, _TimeoutMs) -> erlang:nif_error(undefined).
receive_(_Resource, _Count, _TimeoutMs) -> erlang:nif_error(undefined).
transmit_receive(_Resource, _Data, _TimeoutMs) -> erlang:nif_error(undefined).

%%-----------------------------------------------------------------------------
%% ESP32: AtomVM's checks, and the map the port driver reads

esp32_params(Params) when is_map(Params); is_list(Params) ->
    #{
        bus_config => esp32_bus(value(bus_config, Params, undefined)),
        device_config => esp32_devices(value(device_config, Params, []))
    };
esp32_params(Params) ->
    throw({error, {not_a_map_or_list, Params}}).

esp32_bus(undefined) ->
    throw({badarg, missing_bus_config});
esp32_bus(Config0) when is_map(Config0); is_list(Config0) ->
    Config = renamed(Config0),
    Required = #{
        peripheral => esp32_peripheral(value(peripheral, Config, <<"spi2">>)),
        sclk => integer_value(sclk, Config)
    },
    lists:foldl(
        fun(Key, Acc) ->
            case value(Key, Config, undefined) of
                undefined -> Acc;
                _ -> Acc#{Key => integer_value(Key, Config)}
            end
        end,
        Required,
        [miso, mosi]
    );
esp32_bus(Config) ->
    throw({badarg, {not_a_map_or_list, Config}}).

esp32_devices(Devices) when is_map(Devices) ->
    esp32_devices(maps:to_list(Devices));
esp32_devices(Devices) when is_list(Devices) ->
    lists:foldl(fun esp32_device/2, #{}, Devices);
esp32_devices(Devices) ->
    throw({bardarg, {not_a_map_or_list, Devices}}).

esp32_device({Name, Config0}, Acc) when is_atom(Name), (is_map(Config0) orelse is_list(Config0)) ->
    Config = renamed(Config0),
    Acc#{Name => #{
        clock_speed_hz => integer_value(clock_speed_hz, Config),
        mode => in_range(mode, Config, undefined, 3),
        cs => integer_value(cs, Config),
        address_len_bits => in_range(address_len_bits, Config, undefined, 64),
        command_len_bits => in_range(command_len_bits, Config, 0, 16)
    }};
esp32_device({Name, Config}, _Acc) when is_atom(Name) ->
    throw({bardarg, {not_a_map_or_list, Config}});
esp32_device({Name, _Config}, _Acc) ->
    throw({bardarg, {not_an_atom, Name}});
esp32_device(Entry, _Acc) ->
    throw({bardarg, {not_proplist_entry, Entry}}).

esp32_peripheral(Name) when Name =:= hspi; Name =:= vspi ->
    io:format("SPI: deprecated peripheral name!!!~n"),
    Name;
esp32_peripheral(Name) when is_list(Name) -> list_to_atom(Name);
esp32_peripheral(Name) when is_binary(Name) -> binary_to_atom(Name, latin1);
esp32_peripheral(Name) -> throw({bardarg, {peripheral, Name}}).

%% Old key names, as a proplist (a map stays a map).
renamed(Config) when is_map(Config) ->
    maps:from_list([{new_key(K), V} || {K, V} <- maps:to_list(Config)]);
renamed(Config) ->
    [renamed_entry(Entry) || Entry <- Config].

renamed_entry({Key, Value}) -> {new_key(Key), Value};
renamed_entry(Entry) -> Entry.

new_key(pico) -> mosi;
new_key(poci) -> miso;
new_key(Key) ->
    case deprecated_key(Key) of
        Key -> Key;
        New ->
            io:format("SPI: found deprecated ~p, use ~p instead!!!~n", [Key, New]),
            New
    end.

deprecated_key(miso_io_num) -> miso;
deprecated_key(mosi_io_num) -> mosi;
deprecated_key(sclk_io_num) -> sclk;
deprecated_key(spi_cs_io_num) -> cs;
deprecated_key(spi_clock_hz) -> clock_speed_hz;
deprecated_key(spi_peripheral) -> peripheral;
deprecated_key(Key) -> Key.

integer_value(Key, Config) ->
    case value(Key, Config, undefined) of
        N when is_integer(N) -> N;
        Other -> throw({badarg, {not_an_integer_value, {Key, Other}}})
    end.

in_range(Key, Config, Default, Max) ->
    case value(Key, Config, Default) of
        N when is_integer(N), N >= 0, N =< Max -> N;
        Other -> throw({bardarg, {Key, Other}})
    end.

value(Key, Config, Default) when is_map(Config) -> maps:get(Key, Config, Default);
value(Key, Config, Default) when is_list(Config) -> proplists:get_value(Key, Config, Default).

%%-----------------------------------------------------------------------------
%% Pico and STM32: an owner process holds the SPI block; chip selects are GPIOs

open_owner(Platform, Params) ->
    case value(bus_config, Params, undefined) of
        undefined ->
            {error, {missing_param, bus_config}};
        Bus ->
            case value(sclk, Bus, undefined) of
                undefined -> {error, {missing_param, sclk}};
                SCLK -> start_owner(Platform, Bus, SCLK, value(device_config, Params, []))
            end
    end.

start_owner(Platform, Bus, SCLK, DeviceConfig) ->
    Pins = [Pin || Pin <- [SCLK, value(mosi, Bus, undefined), value(miso, Bus, undefined)],
                   Pin =/= undefined],
    case init_block(Platform, Bus, Pins) of
        {ok, {_ActualHz, Resource}} ->
            Devices = maps:from_list([device(Platform, Entry) || Entry <- entries(DeviceConfig)]),
            Timeout = value(send_timeout_ms, Bus, ?DEFAULT_STM32_TIMEOUT_MS),
            spawn_link(fun() -> owner_loop({Platform, Resource, Timeout}, Devices) end);
        {error, _} = Error ->
            Error
    end.

init_block(pico, Bus, Pins) ->
    [gpio:set_function(Pin, spi) || Pin <- Pins],
    spi:init(value(peripheral, Bus, 0), ?DEFAULT_CLOCK_SPEED_HZ);
init_block(stm32, Bus, _Pins) ->
    %% AtomVM also sets the pins to their alternate function with
    %% gpio:set_pin_mode(Pin, {af, 5}); the block's pins are its own here.
    spi:init(value(peripheral, Bus, 1),
             #{baudrate => value(clock_speed_hz, Bus, ?DEFAULT_CLOCK_SPEED_HZ)}).

entries(Config) when is_map(Config) -> maps:to_list(Config);
entries(Config) when is_list(Config) -> Config.

device(Platform, {Name, Config}) ->
    CS = value(cs, Config, undefined),
    CS =:= undefined orelse deselected(Platform, CS),
    {Name, #{
        cs => CS,
        clock_speed_hz => value(clock_speed_hz, Config, ?DEFAULT_CLOCK_SPEED_HZ),
        mode => value(mode, Config, 0),
        address_len_bits => value(address_len_bits, Config, 8),
        command_len_bits => value(command_len_bits, Config, 0)
    }}.

deselected(pico, CS) ->
    gpio:set_function(CS, sio),
    deselected(stm32, CS);
deselected(_Platform, CS) ->
    gpio:set_pin_mode(CS, output),
    gpio:digital_write(CS, 1).

owner_call(Pid, Request) ->
    Monitor = erlang:monitor(process, Pid),
    Pid ! {spi_request, self(), Monitor, Request},
    receive
        {Monitor, Reply} ->
            erlang:demonitor(Monitor, [flush]),
            Reply;
        {'DOWN', Monitor, process, Pid, Reason} ->
            {error, {server_died, Reason}}
    end.

owner_loop({_Platform, Resource, _Timeout} = Block, Devices) ->
    receive
        {spi_request, From, Tag, {close}} ->
            spi:deinit(Resource),
            From ! {Tag, ok};
        {spi_request, From, Tag, Request} ->
            Name = element(2, Request),
            Reply =
                case Devices of
                    #{Name := Device} -> with_device(Block, Device, Request);
                    _ -> {error, {unknown_device, Name}}
                end,
            From ! {Tag, Reply},
            owner_loop(Block, Devices)
    end.

%% One exchange with the device selected: Tx out, as many bytes in.
with_device(Block, #{cs := CS} = Device, Request) ->
    configure(Block, Device),
    CS =:= undefined orelse gpio:digital_write(CS, 0),
    Reply = device_request(Block, Device, Request),
    CS =:= undefined orelse gpio:digital_write(CS, 1),
    Reply.

configure({pico, Resource, _}, #{clock_speed_hz := Hz, mode := Mode}) ->
    spi:set_baudrate(Resource, Hz),
    spi:set_format(Resource, 8, Mode bsr 1, Mode band 1);
configure({stm32, _, _}, _Device) ->
    ok.

device_request(Block, #{address_len_bits := AddrBits}, {read_at, _, Address, Bits}) ->
    Bytes = (Bits + 7) div 8,
    case exchange(Block, <<Address:AddrBits, 0:(Bytes * 8)>>) of
        {ok, <<_:AddrBits, Value:Bits, _/bitstring>>} -> {ok, Value};
        {error, _} = Error -> Error
    end;
device_request(Block, #{address_len_bits := AddrBits}, {write_at, _, Address, Bits, Data}) ->
    case (AddrBits + Bits) rem 8 of
        0 ->
            Flagged = write_flag(element(1, Block), Address, AddrBits),
            case exchange(Block, <<Flagged:AddrBits, Data:Bits>>) of
                {ok, <<_:AddrBits, Value:Bits>>} -> {ok, Value};
                {error, _} = Error -> Error
            end;
        _ ->
            {error, bad_bit_length}
    end;
device_request(Block, Device, {write, _, Transaction}) ->
    {Prefix, Data, _ReadBytes} = framing(Device, Transaction),
    case exchange(Block, <<Prefix/binary, Data/binary>>) of
        {ok, _} -> ok;
        {error, _} = Error -> Error
    end;
device_request(Block, Device, {write_read, _, Transaction}) ->
    {Prefix, Data, ReadBytes} = framing(Device, Transaction),
    Padded = pad(Data, ReadBytes),
    case exchange(Block, <<Prefix/binary, Padded/binary>>) of
        {ok, Rx} -> {ok, binary:part(Rx, byte_size(Prefix), ReadBytes)};
        {error, _} = Error -> Error
    end;
device_request(_Block, _Device, _Unknown) ->
    {error, badarg}.

%% The command and address bytes, the bytes to write, the bytes to read.
framing(#{command_len_bits := CmdBits, address_len_bits := AddrBits}, Transaction) ->
    Command = maps:get(command, Transaction, 0),
    Address = maps:get(address, Transaction, 0),
    WriteData = maps:get(write_data, Transaction, <<>>),
    WriteBits = maps:get(write_bits, Transaction, byte_size(WriteData) * 8),
    WriteBytes = min((WriteBits + 7) div 8, byte_size(WriteData)),
    ReadBits = maps:get(read_bits, Transaction, WriteBits),
    {<<Command:CmdBits, Address:AddrBits>>, binary:part(WriteData, 0, WriteBytes),
        (ReadBits + 7) div 8}.

pad(Data, Size) when byte_size(Data) >= Size -> Data;
pad(Data, Size) -> <<Data/binary, 0:((Size - byte_size(Data)) * 8)>>.

write_flag(stm32, Address, 0) -> Address;
write_flag(stm32, Address, AddrBits) -> Address bor (1 bsl (AddrBits - 1));
write_flag(pico, Address, _AddrBits) -> Address bor 16#80.

exchange({pico, Resource, _}, Tx) -> spi:write_read_blocking(Resource, Tx);
exchange({stm32, Resource, Timeout}, Tx) -> spi:transmit_receive(Resource, Tx, Timeout).
