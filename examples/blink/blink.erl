%% Blink the board's LED once a second, printing each change, as AtomVM's
%% blinky example does. The LED pin is chosen by atomvm:platform():
%%   esp32  GPIO2 (the on-board LED of most ESP32 DevKits)
%%   stm32  {b, 0}, LD1 (green) of the Nucleo-144 boards (LEDs on PB0, PB7, PB14)
%%   pico   GPIO25, the on-board LED of the Raspberry Pi Pico (not the Pico W)
-module(blink).
-export([start/0]).

start() ->
    Platform = atomvm:platform(),
    case led_pin(Platform) of
        undefined ->
            io:format("blink: no LED known on platform ~p~n", [Platform]),
            {error, {unsupported_platform, Platform}};
        Pin ->
            ok = gpio:init(Pin),
            ok = gpio:set_pin_mode(Pin, output),
            loop(Pin, low)
    end.

led_pin(esp32) -> 2;
led_pin(stm32) -> {b, 0};
led_pin(pico) -> 25;
led_pin(_) -> undefined.

loop(Pin, Level) ->
    io:format("Setting pin ~p ~p~n", [Pin, Level]),
    ok = gpio:digital_write(Pin, Level),
    timer:sleep(1000),
    loop(Pin, toggle(Level)).

toggle(low) -> high;
toggle(high) -> low.
