%% web_led -- joins WiFi and serves a page on port 80 that shows the board's uptime and
%% lets a browser switch the DevKitC's blue LED (GPIO2).
%%
%% The credentials are placeholders, as in AtomVM's examples: point them at avmsim's open
%% access point and forward a host port to the board's port 80:
%%   avmsim --wifi 'ssid=my_network,default' --forward tcp:8080:80 firmware_images/web_led.avm
%%   curl http://127.0.0.1:8080/            curl http://127.0.0.1:8080/led/on
%%
%% Uses AtomVM's own APIs only: network, http_server, gpio.
-module(web_led).
-export([start/0, handle_req/3]).

-define(LED_PIN, 2).

start() ->
    gpio:set_pin_mode(?LED_PIN, output),
    gpio:digital_write(?LED_PIN, low),
    case network:wait_for_sta([{ssid, "my_network"}, {psk, "my_password"}], 30000) of
        {ok, {Address, _Netmask, _Gateway}} ->
            io:format("web_led: serving http://~s/~n", [inet:ntoa(Address)]),
            register(web_led, self()),
            Router = [{"*", ?MODULE, []}],
            http_server:start_server(80, Router),
            keep_led("off");
        Error ->
            io:format("web_led: no network: ~p~n", [Error]),
            Error
    end.

%% The LED's state lives here: an output pin does not read back on the ESP32.
keep_led(State) ->
    receive
        {set, New} ->
            gpio:digital_write(?LED_PIN, level(New)),
            io:format("web_led: LED ~s~n", [New]),
            keep_led(New);
        {get, From} ->
            From ! {led, State},
            keep_led(State)
    end.

%% http_server calls this in a process of its own for every request, with the path split
%% into its segments.
handle_req("GET", ["led", State], Conn) when State =:= "on"; State =:= "off" ->
    web_led ! {set, State},
    http_server:reply(200, page(State), Conn);
handle_req("GET", [], Conn) ->
    web_led ! {get, self()},
    State = receive {led, S} -> S end,
    http_server:reply(200, page(State), Conn);
handle_req(_Method, _Path, Conn) ->
    http_server:reply(404, <<"not found">>, Conn).

level("on") -> high;
level("off") -> low.

page(State) ->
    Uptime = erlang:monotonic_time(millisecond) div 1000,
    {{Y, Mo, D}, {H, Mi, S}} = erlang:universaltime(),
    Now = io_lib:format("~4..0b-~2..0b-~2..0b ~2..0b:~2..0b:~2..0b UTC", [Y, Mo, D, H, Mi, S]),
    [<<"<html><body><h1>web_led</h1><p>LED is ">>, State,
     <<"</p><p><a href=\"/led/on\">on</a> | <a href=\"/led/off\">off</a></p><p>up ">>,
     integer_to_list(Uptime), <<" s; board time ">>, Now, <<"</p></body></html>">>].
