%% gpio -- AtomVM's GPIO module (eavmlib gpio, with the per-platform
%% behaviour of avm_esp32, avm_stm32 and avm_rp2).
%%
%% Two APIs, as in AtomVM:
%%  - the port API: start/0 or open/0 give a handle, then read/2,
%%    set_direction/3, set_level/3, set_int/3,4, remove_int/2, close/1, stop/0.
%%    On esp32 and stm32 the handle is the "gpio" port (the driver registers
%%    itself as `gpio'; only one can be open). On the Pico (platform `pico')
%%    AtomVM has no gpio port: the handle is a small registered process and
%%    read/set_direction/set_level go straight to the NIFs; interrupts are not
%%    supported there and answer {error, not_supported}.
%%  - the NIF API: set_pin_mode/2, set_pin_pull/2, digital_write/2,
%%    digital_read/1, hold_en/1, hold_dis/1, deep_sleep_hold_en/0,
%%    deep_sleep_hold_dis/0, wakeup_enable/2 (ESP32), init/1, deinit/1 and
%%    set_function/2 (NIFs on the Pico only). The VM's natives take precedence over the stubs below
%%    on external calls, so this module calls them as gpio:F(...).
%%
%% Pins: an integer on esp32 and the Pico ({wl, N} for the Pico W's extra
%% pins); {Bank, N}, {Bank, [N, ...]} or {Bank, all} on stm32. Levels: high,
%% low, 1 or 0. Interrupt messages: {gpio_interrupt, Pin} (Pin as an integer
%% on esp32, as {Bank, N} on stm32), sent to the process that set the
%% interrupt, or to the pid or registered name given to set_int/4.
-module(gpio).

-export([
    start/0,
    open/0,
    close/1,
    stop/0,
    read/2,
    set_direction/3,
    set_level/3,
    set_int/3,
    set_int/4,
    remove_int/2
]).
-export([
    init/1,
    deinit/1,
    set_pin_mode/2,
    set_pin_pull/2,
    hold_en/1,
    hold_dis/1,
    deep_sleep_hold_en/0,
    deep_sleep_hold_dis/0,
    digital_write/2,
    digital_read/1,
    attach_interrupt/2,
    detach_interrupt/1,
    wakeup_enable/2,
    set_function/2
]).

-type gpio() :: port() | pid().
-type bank() :: a | b | c | d | e | f | g | h | i | j | k | wl.
-type pin() :: non_neg_integer() | {bank(), non_neg_integer() | [non_neg_integer()] | all}.
-type pull() :: up | down | up_down | floating.
-type output_speed() :: mhz_2 | mhz_25 | mhz_50 | mhz_100.
-type direction() ::
    input
    | output
    | output_od
    | {input | output | output_od, pull()}
    | {output | output_od, pull(), output_speed()}.
-type level() :: high | low | 0 | 1.
-type trigger() :: none | rising | falling | both | low | high.

-export_type([gpio/0, pin/0, direction/0, pull/0, level/0, trigger/0]).

%%-----------------------------------------------------------------------------
%% Port API

%% The registered gpio handle, opening it first when there is none.
-spec start() -> gpio() | {error, term()} | error.
start() ->
    case whereis(gpio) of
        undefined -> open();
        GPIO -> GPIO
    end.

%% Open the gpio handle and register it as `gpio'.
-spec open() -> gpio() | {error, term()} | error.
open() ->
    case atomvm:platform() of
        pico -> open_pico();
        _ -> open_driver()
    end.

%% Disable every interrupt the handle set and close it.
-spec close(GPIO :: gpio()) -> ok | {error, term()} | error.
close(GPIO) when is_pid(GPIO) ->
    pico_call(GPIO, {close});
close(GPIO) ->
    port:call(GPIO, {close}).

%% Close the registered handle, if there is one.
-spec stop() -> ok | {error, term()} | error.
stop() ->
    case whereis(gpio) of
        undefined -> ok;
        GPIO -> close(GPIO)
    end.

-spec read(GPIO :: gpio(), Pin :: pin()) -> high | low | {error, term()} | error.
read(GPIO, Pin) when is_pid(GPIO) ->
    gpio:digital_read(Pin);
read(GPIO, Pin) ->
    port:call(GPIO, {read, Pin}).

-spec set_direction(GPIO :: gpio(), Pin :: pin(), Direction :: direction()) ->
    ok | {error, term()} | error.
set_direction(GPIO, Pin, Direction) when is_pid(GPIO) ->
    gpio:init(Pin),
    gpio:set_pin_mode(Pin, Direction);
set_direction(GPIO, Pin, Direction) ->
    port:call(GPIO, {set_direction, Pin, Direction}).

-spec set_level(GPIO :: gpio(), Pin :: pin(), Level :: level()) ->
    ok | {error, term()} | error.
set_level(GPIO, Pin, Level) when is_pid(GPIO) ->
    gpio:digital_write(Pin, Level);
set_level(GPIO, Pin, Level) ->
    port:call(GPIO, {set_level, Pin, Level}).

%% Interrupts go to the caller as {gpio_interrupt, Pin}.
-spec set_int(GPIO :: gpio(), Pin :: pin(), Trigger :: trigger()) ->
    ok | {error, term()} | error.
set_int(GPIO, _Pin, _Trigger) when is_pid(GPIO) ->
    {error, not_supported};
set_int(GPIO, Pin, Trigger) ->
    port:call(GPIO, {set_int, Pin, Trigger}).

%% Interrupts go to Listener (a pid or a registered name).
-spec set_int(GPIO :: gpio(), Pin :: pin(), Trigger :: trigger(), Listener :: pid() | atom()) ->
    ok | {error, term()} | error.
set_int(GPIO, _Pin, _Trigger, _Listener) when is_pid(GPIO) ->
    {error, not_supported};
set_int(GPIO, Pin, Trigger, Listener) ->
    port:call(GPIO, {set_int, Pin, Trigger, Listener}).

-spec remove_int(GPIO :: gpio(), Pin :: pin()) -> ok | {error, term()} | error.
remove_int(GPIO, _Pin) when is_pid(GPIO) ->
    {error, not_supported};
remove_int(GPIO, Pin) ->
    port:call(GPIO, {remove_int, Pin}).

%%-----------------------------------------------------------------------------
%% Convenience functions written in Erlang in AtomVM

%% set_int/3 on the registered handle (opened if needed).
-spec attach_interrupt(Pin :: pin(), Trigger :: trigger()) -> ok | {error, term()} | error.
attach_interrupt(Pin, Trigger) ->
    set_int(start(), Pin, Trigger).

%% remove_int/2 on the registered handle.
-spec detach_interrupt(Pin :: pin()) -> ok | {error, term()} | error.
detach_interrupt(Pin) ->
    remove_int(whereis(gpio), Pin).

%% A NIF on the Pico (gpio_init); nothing to do elsewhere.
-spec init(Pin :: pin()) -> ok.
init(_Pin) ->
    ok.

%% A NIF on the Pico (gpio_deinit); nothing to do elsewhere.
-spec deinit(Pin :: pin()) -> ok.
deinit(_Pin) ->
    ok.

%%-----------------------------------------------------------------------------
%% NIFs (the VM's natives replace these stubs)

-spec set_pin_mode(Pin :: pin(), Direction :: direction()) -> ok | {error, term()} | error.
set_pin_mode(_Pin, _Direction) ->
    erlang:nif_error(undefined).

-spec set_pin_pull(Pin :: pin(), Pull :: pull()) -> ok | error.
set_pin_pull(_Pin, _Pull) ->
    erlang:nif_error(undefined).

%% Pico only (gpio_set_function): the peripheral that drives the pin, e.g. i2c or spi.
-spec set_function(Pin :: non_neg_integer(), Function :: atom()) -> ok.
set_function(_Pin, _Function) ->
    erlang:nif_error(undefined).

-spec hold_en(Pin :: pin()) -> ok | error.
hold_en(_Pin) ->
    erlang:nif_error(undefined).

-spec hold_dis(Pin :: pin()) -> ok | error.
hold_dis(_Pin) ->
    erlang:nif_error(undefined).

-spec deep_sleep_hold_en() -> ok.
deep_sleep_hold_en() ->
    erlang:nif_error(undefined).

-spec deep_sleep_hold_dis() -> ok.
deep_sleep_hold_dis() ->
    erlang:nif_error(undefined).

-spec digital_write(Pin :: pin(), Level :: level()) -> ok | {error, term()} | error.
digital_write(_Pin, _Level) ->
    erlang:nif_error(undefined).

-spec digital_read(Pin :: pin()) -> high | low | {error, term()} | error.
digital_read(_Pin) ->
    erlang:nif_error(undefined).

%% ESP32: the level (low | high) at which Pin wakes the chip from light sleep.
-spec wakeup_enable(Pin :: non_neg_integer(), Level :: low | high) -> ok | error.
wakeup_enable(_Pin, _Level) ->
    erlang:nif_error(undefined).

%%-----------------------------------------------------------------------------
%% Internal

open_driver() ->
    GPIO = open_port({spawn, "gpio"}, []),
    %% AtomVM's driver registers itself as `gpio' when it starts; do it here
    %% when the VM's driver has not.
    case whereis(gpio) of
        undefined -> register(gpio, GPIO);
        _ -> ok
    end,
    GPIO.

open_pico() ->
    Pid = spawn(fun pico_loop/0),
    try register(gpio, Pid) of
        true -> Pid
    catch
        error:badarg ->
            exit(Pid, kill),
            erlang:error(badarg)
    end.

%% The call protocol, to the Pico's stand-in process.
pico_call(Pid, Request) ->
    Ref = erlang:monitor(process, Pid),
    Pid ! {'$call', {self(), Ref}, Request},
    Result =
        receive
            {Ref, Reply} -> Reply;
            {'DOWN', Ref, process, _, _} -> {error, noproc}
        end,
    erlang:demonitor(Ref, [flush]),
    Result.

%% The Pico's stand-in for the port, registered as `gpio': it only answers
%% {close}; the other requests are served by the NIFs in the caller.
pico_loop() ->
    receive
        {'$call', {From, Ref}, {close}} ->
            unregister(gpio),
            From ! {Ref, ok};
        {'$call', {From, Ref}, _Other} ->
            From ! {Ref, {error, not_supported}},
            pico_loop();
        _Ignored ->
            pico_loop()
    end.
