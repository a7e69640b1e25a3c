%% erlang:display/1 (the runtime's own term printer, written straight to
%% stdout). This program prints with erlang:display/1 only: mixing it with
%% io:format would make the order of lines depend on io buffering.
%% Floats are left out: OTP 25 prints them as 1.500000e+00, later releases
%% in shortest form.
-module(display).
-export([start/0]).

start() ->
    erlang:display(hello),
    erlang:display('Quoted Atom'),
    erlang:display(42),
    erlang:display(-7),
    erlang:display(1 bsl 80),
    erlang:display(-(1 bsl 64)),
    erlang:display("a string"),
    erlang:display([1, 2, 3]),
    erlang:display([a | b]),
    erlang:display([]),
    erlang:display({}),
    erlang:display({a, {b, [c, "d"]}, 1}),
    erlang:display(<<1, 2, 3>>),
    erlang:display(<<"text">>),
    erlang:display(<<>>),
    erlang:display(<<5:3>>),
    erlang:display([1000, 2000]),
    erlang:display(#{a => 1}),
    erlang:display(lists:seq(1, 40)),
    erlang:display(true),
    ok.
