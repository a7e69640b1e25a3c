%% uart -- AtomVM's UART module (avm_esp32 uart; eavmlib uart before it).
%%
%% open/1,2 start the "uart" port driver and return the port; the other
%% functions speak the port call protocol (see port.erl) with the requests
%%   read | cancel_read | {write, IoData} | close.
%%
%% Options (a proplist; defaults are the driver's):
%%   {peripheral, "UART0" | "UART1" | "UART2"}  also as a binary; required
%%                                 (STM32: an integer 1..9; RP2: 0 | 1 also)
%%   {speed, Baud}                 default 115200
%%   {data_bits, 5..8}             default 8
%%   {stop_bits, 1 | 2}            default 1
%%   {parity, none | even | odd}   default none
%%   {flow_control, none | hardware | software}   default none
%%   {tx, Pin} {rx, Pin} {rts, Pin} {cts, Pin}    GPIO numbers ({Bank, N} on
%%                                 STM32); default: unchanged
%%   {event_queue_len, N}          default 16
%% The old keys tx_pin, rx_pin, rts_pin and cts_pin are renamed (with a
%% warning on the console); on the ESP32 an integer peripheral is passed on
%% with a warning.
%%
%% read/1 waits for data: it answers at once with what the driver has
%% buffered, else when bytes arrive; {error, ealready} while another read is
%% pending. read/2 gives up after Timeout ms with {error, timeout}, after
%% withdrawing the pending read (cancel_read).
-module(uart).

-export([open/1, open/2, close/1, read/1, read/2, write/2]).

-type peripheral() :: string() | binary() | non_neg_integer().
-type uart_opts() :: [
    {tx | rx | rts | cts, non_neg_integer() | {atom(), non_neg_integer()}}
    | {speed, pos_integer()}
    | {data_bits, 5..8}
    | {stop_bits, 1 | 2}
    | {parity, none | even | odd}
    | {flow_control, none | hardware | software}
    | {event_queue_len, pos_integer()}
    | {peripheral, peripheral()}
].

-export_type([peripheral/0, uart_opts/0]).

-spec open(Name :: peripheral(), Opts :: uart_opts()) -> port() | {error, term()}.
open(Name, Opts) ->
    open([{peripheral, Name} | Opts]).

-spec open(Opts :: uart_opts()) -> port() | {error, term()}.
open(Opts) ->
    open_port({spawn, "uart"}, [normalize_option(Opt) || Opt <- Opts]).

-spec close(Port :: port()) -> ok | {error, term()}.
close(Port) when is_port(Port) ->
    port:call(Port, close).

-spec read(Port :: port()) -> {ok, binary()} | {error, term()}.
read(Port) when is_port(Port) ->
    port:call(Port, read).

-spec read(Port :: port(), Timeout :: pos_integer()) -> {ok, binary()} | {error, term()}.
read(Port, Timeout) when is_port(Port) ->
    case port:call(Port, read, Timeout) of
        {error, timeout} ->
            _ = port:call(Port, cancel_read),
            {error, timeout};
        Result ->
            Result
    end.

-spec write(Port :: port(), Data :: iodata()) -> ok | {error, term()}.
write(Port, Data) ->
    case is_port(Port) andalso is_iodata(Data) of
        true -> port:call(Port, {write, Data});
        false -> erlang:error(badarg)
    end.

%%-----------------------------------------------------------------------------
%% Internal

normalize_option({Key, Value}) ->
    NewKey = current_key(Key),
    case NewKey of
        Key -> ok;
        _ -> io:format("UART: found deprecated ~p, use ~p instead!!!~n", [Key, NewKey])
    end,
    case NewKey of
        peripheral -> {peripheral, check_peripheral(Value)};
        _ -> {NewKey, Value}
    end.

current_key(tx_pin) -> tx;
current_key(rx_pin) -> rx;
current_key(rts_pin) -> rts;
current_key(cts_pin) -> cts;
current_key(Key) -> Key.

%% "UARTn" as a string or a binary. Integers are accepted too: deprecated on
%% the ESP32 (with a warning), the usual form on STM32 (1..9) and RP2 (0, 1).
%% Anything else is thrown as {bardarg, {peripheral, Value}} (AtomVM's spelling).
check_peripheral(N) when is_integer(N) ->
    case atomvm:platform() of
        esp32 -> io:format("UART: deprecated integer peripheral is used.~n");
        _ -> ok
    end,
    N;
check_peripheral([$U, $A, $R, $T | Digits] = Name) ->
    check_digits(Digits, Name);
check_peripheral(<<"UART", Digits/binary>> = Name) ->
    check_digits(binary_to_list(Digits), Name);
check_peripheral(Other) ->
    throw({bardarg, {peripheral, Other}}).

check_digits([_ | _] = Digits, Name) ->
    case all_digits(Digits) of
        true -> Name;
        false -> throw({bardarg, {peripheral, Name}})
    end;
check_digits(_, Name) ->
    throw({bardarg, {peripheral, Name}}).

all_digits([]) -> true;
all_digits([C | T]) when is_integer(C), C >= $0, C =< $9 -> all_digits(T);
all_digits(_) -> false.

is_iodata(B) when is_binary(B) -> true;
is_iodata(L) when is_list(L) -> is_iolist(L);
is_iodata(_) -> false.

is_iolist([]) -> true;
is_iolist([H | T]) when is_binary(H) -> is_iolist(T);
is_iolist([H | T]) when is_integer(H), H >= 0, H =< 255 -> is_iolist(T);
is_iolist([H | T]) when is_list(H) -> is_iolist(H) andalso is_iolist(T);
is_iolist(B) when is_binary(B) -> true;
is_iolist(_) -> false.
