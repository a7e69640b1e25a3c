%% Toggle the board's LED each time its button is pressed.
%%
%%   esp32  BOOT button on GPIO0 (active low, pulled up): falling-edge interrupt;
%%          LED on GPIO2
%%   stm32  Nucleo-144 user button B1 on PC13 (active high): rising-edge interrupt;
%%          LED LD2 (blue) on PB7
%%   pico   a button from GPIO15 to GND (internal pull-up); AtomVM has no GPIO
%%          interrupts on the Pico, so the pin is polled every 10 ms; LED on GPIO25
%%
%% Interrupts are set through the gpio port (gpio:start/0, gpio:set_int/3) and
%% arrive as {gpio_interrupt, Pin}. Edges less than 50 ms after a toggle are
%% ignored (contact bounce).
-module(button).
-export([start/0]).

-define(DEBOUNCE_MS, 50).
-define(POLL_MS, 10).

start() ->
    Platform = atomvm:platform(),
    case board(Platform) of
        undefined ->
            io:format("button: no button known on platform ~p~n", [Platform]),
            {error, {unsupported_platform, Platform}};
        {Button, Trigger, Led} ->
            ok = gpio:init(Led),
            ok = gpio:set_pin_mode(Led, output),
            ok = gpio:digital_write(Led, low),
            ok = setup_button(Platform, Button),
            io:format("Press the button (pin ~p) to toggle the LED (pin ~p)~n", [Button, Led]),
            Since = erlang:monotonic_time(millisecond) - ?DEBOUNCE_MS,
            case Platform of
                pico ->
                    poll(Button, Led, off, released, Since);
                _ ->
                    ok = gpio:set_int(gpio:start(), Button, Trigger),
                    wait(Button, Led, off, Since)
            end
    end.

%% {Button, Trigger, Led}
board(esp32) -> {0, falling, 2};
board(stm32) -> {{c, 13}, rising, {b, 7}};
board(pico) -> {15, falling, 25};
board(_) -> undefined.

setup_button(esp32, Pin) ->
    ok = gpio:set_pin_mode(Pin, input),
    gpio:set_pin_pull(Pin, up);
setup_button(stm32, Pin) ->
    %% B1 has its own pull-down resistor on the board.
    gpio:set_pin_mode(Pin, input);
setup_button(pico, Pin) ->
    ok = gpio:init(Pin),
    ok = gpio:set_pin_mode(Pin, input),
    gpio:set_pin_pull(Pin, up).

wait(Button, Led, State, Since) ->
    receive
        {gpio_interrupt, Button} ->
            case pressed_after_bounce(Since) of
                {true, Now} -> wait(Button, Led, toggle(Led, State), Now);
                false -> wait(Button, Led, State, Since)
            end
    end.

poll(Button, Led, State, Was, Since) ->
    timer:sleep(?POLL_MS),
    Is =
        case gpio:digital_read(Button) of
            low -> pressed;
            high -> released
        end,
    case {Was, Is} of
        {released, pressed} ->
            case pressed_after_bounce(Since) of
                {true, Now} -> poll(Button, Led, toggle(Led, State), Is, Now);
                false -> poll(Button, Led, State, Is, Since)
            end;
        _ ->
            poll(Button, Led, State, Is, Since)
    end.

pressed_after_bounce(Since) ->
    Now = erlang:monotonic_time(millisecond),
    case Now - Since >= ?DEBOUNCE_MS of
        true -> {true, Now};
        false -> false
    end.

toggle(Led, off) ->
    ok = gpio:digital_write(Led, high),
    io:format("LED on~n"),
    on;
toggle(Led, on) ->
    ok = gpio:digital_write(Led, low),
    io:format("LED off~n"),
    off.
