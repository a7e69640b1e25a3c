%% i2c_hal -- the behaviour every platform's i2c module implements (AtomVM
%% eavmlib i2c_hal): one API over the ESP32 port/NIFs, the STM32 HAL and the
%% Pico SDK, so that drivers for I2C chips take any of them.
%%
%% A handle is what open/1 returns: a port (ESP32 port driver), a pid (the
%% STM32 and Pico libraries' owner process) or a term ({'$i2c', Res, Ref},
%% the ESP32 NIF resource). Addresses are 7-bit.
-module(i2c_hal).

-type i2c() :: port() | pid() | term().
-type address() :: 0..127.
-type register() :: non_neg_integer().
-type params() :: [term()].

-export_type([i2c/0, address/0, register/0, params/0]).

-callback open(Params :: params()) -> i2c().
-callback close(I2C :: i2c()) -> ok | {error, Reason :: term()}.

%% A write queued between begin_transmission/2 and end_transmission/1.
-callback begin_transmission(I2C :: i2c(), Address :: address()) ->
    ok | {error, Reason :: term()}.
-callback write_byte(I2C :: i2c(), Byte :: byte()) -> ok | {error, Reason :: term()}.
-callback write_bytes(I2C :: i2c(), Bytes :: binary()) -> ok | {error, Reason :: term()}.
-callback end_transmission(I2C :: i2c()) -> ok | {error, Reason :: term()}.

%% Whole transfers, optionally at a register of the device.
-callback read_bytes(I2C :: i2c(), Address :: address(), Count :: non_neg_integer()) ->
    {ok, Data :: binary()} | {error, Reason :: term()}.
-callback read_bytes(
    I2C :: i2c(), Address :: address(), Register :: register(), Count :: non_neg_integer()
) -> {ok, Data :: binary()} | {error, Reason :: term()}.
-callback write_bytes(I2C :: i2c(), Address :: address(), BinOrInt :: binary() | byte()) ->
    ok | {error, Reason :: term()}.
-callback write_bytes(
    I2C :: i2c(), Address :: address(), Register :: register(), BinOrInt :: binary() | byte()
) -> ok | {error, Reason :: term()}.
