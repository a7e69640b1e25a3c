-module(call_exits).
%% The exit reasons of failed gen_server and gen_statem calls, as AtomVM's estdlib builds them:
%% gen_server:call/2 is call/3 with 5000 ms, so the reason names the timeout too (OTP's
%% leaves it out); gen_statem:call/2,3 name the server and the request only (OTP's add the
%% timeout; AtomVM's call/2 is call/3 with 5000 ms too, where OTP's waits forever).
-export([start/0]).

show(Tag, F) ->
    R = try F() of V -> {value, V} catch C:E -> {C, E} end,
    erlang:display({Tag, R}).

start() ->
    show(gs_noproc_2, fun() -> gen_server:call(call_exits_nobody, hello) end),
    show(gs_noproc_3, fun() -> gen_server:call(call_exits_nobody, hello, 100) end),
    show(statem_noproc_2, fun() -> gen_statem:call(call_exits_nobody, hello) end),
    show(statem_noproc_3, fun() -> gen_statem:call(call_exits_nobody, hello, 100) end),
    ok.
