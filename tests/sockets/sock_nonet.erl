%% A board without a network (STM32, Pico): the socket and net NIFs do not exist, and
%% the library's stubs fail with error:undefined, as on AtomVM's builds for them.
-module(sock_nonet).
-export([start/0]).
-import(sock_try, [catch_error/1]).

start() ->
    show(socket_open, catch_error(fun() -> socket:open(inet, stream, tcp) end)),
    show(getaddrinfo, catch_error(fun() -> net:getaddrinfo("localhost") end)),
    show(gen_tcp, catch_error(fun() -> gen_tcp:connect({127, 0, 0, 1}, 80, [{inet_backend, socket}]) end)),
    show(gen_udp, catch_error(fun() -> gen_udp:open(0, [{inet_backend, socket}]) end)),
    ok.

show(Step, Value) ->
    io:format("~p: ~p~n", [Step, Value]).
