%% spi_hal -- the behaviour every platform's spi module implements (AtomVM
%% eavmlib spi_hal): devices named by atoms in the open parameters, reads and
%% writes at an address, and transactions described by a map.
%%
%% Transaction map keys: command (the device's command_len_bits of it),
%% address (its address_len_bits), write_data (a binary), write_bits (how many
%% bits of write_data; all by default), read_bits (how many bits to read back).
-module(spi_hal).

-type spi() :: port() | pid() | term().
-type device_name() :: atom().
-type address() :: non_neg_integer().
-type params() :: [term()] | map().
-type transaction() :: #{
    command => integer(),
    address => non_neg_integer(),
    write_data => binary(),
    write_bits => non_neg_integer(),
    read_bits => non_neg_integer()
}.

-export_type([spi/0, device_name/0, address/0, params/0, transaction/0]).

-callback open(Params :: params()) -> spi().
-callback close(SPI :: spi()) -> ok.
-callback read_at(
    SPI :: spi(), DeviceName :: device_name(), Address :: address(), Len :: non_neg_integer()
) -> {ok, integer()} | {error, Reason :: term()}.
-callback write_at(
    SPI :: spi(),
    DeviceName :: device_name(),
    Address :: address(),
    Len :: non_neg_integer(),
    Data :: integer()
) -> {ok, integer()} | {error, Reason :: term()}.
-callback write(SPI :: spi(), DeviceName :: device_name(), Transaction :: transaction()) ->
    ok | {error, Reason :: term()}.
-callback write_read(SPI :: spi(), DeviceName :: device_name(), Transaction :: transaction()) ->
    {ok, ReadData :: binary()} | {error, Reason :: term()}.
