-module(io_columns).
%% AtomVM's io:columns/0,1 answer {ok, 80} whatever the device (OTP without a terminal:
%% {error, enotsup}).
-export([start/0]).
start() ->
    erlang:display({io:columns(), io:columns(standard_io), io:columns(standard_error)}),
    ok.
