%% epmd and erl_epmd on one board: registrations, lookups, names, and a registration
%% ending with its connection. "beta" registers by hand, to check the bytes on the wire.
%% Each line is "what: ok", or the value when it is not the expected one (from the EPMD
%% protocol, OTP's epmd and AtomVM's epmd and erl_epmd).
-module(epmd_local).
-export([start/0]).

start() ->
    {ok, _} = epmd:start_link([]),
    {ok, Client} = erl_epmd:start_link(),
    true = unlink(Client),
    % AtomVM's epmd: the first creation is 42
    check("register alpha", {ok, 42}, erl_epmd:register_node("alpha", 40000)),
    check("register again", {error, already_registered}, erl_epmd:register_node("alpha", 40000)),
    Beta = raw_alive2(<<"beta">>, 40001),
    % ALIVE2_X_RESP, result 0, the next creation
    check("beta reply", {ok, <<118, 0, 43:32>>}, socket:recv(Beta, 6, 1000)),
    Dup = raw_alive2(<<"alpha">>, 40002),
    % OTP's epmd refuses a name in use: result 1
    check("duplicate alpha reply", {ok, <<118, 1, 0:32>>}, socket:recv(Dup, 6, 1000)),
    check("port alpha", {port, 40000, 6}, erl_epmd:port_please("alpha", {127, 0, 0, 1})),
    check("port beta", {port, 40001, 6}, erl_epmd:port_please(<<"beta">>, "127.0.0.1")),
    check("port nobody", noport, erl_epmd:port_please("nobody", {127, 0, 0, 1})),
    % newest first, as AtomVM's epmd lists them
    check("names", {ok, [{"beta", 40001}, {"alpha", 40000}]}, erl_epmd:names({127, 0, 0, 1})),
    ok = socket:close(Beta),
    timer:sleep(50),
    check("names after beta left", {ok, [{"alpha", 40000}]}, erl_epmd:names("localhost")),
    check("port beta after", noport, erl_epmd:port_please("beta", {127, 0, 0, 1})),
    ok = erl_epmd:stop(),
    timer:sleep(50),
    check("names after stop", {ok, []}, erl_epmd:names({127, 0, 0, 1})).

raw_alive2(Name, Port) ->
    {ok, S} = socket:open(inet, stream, tcp),
    ok = socket:connect(S, #{family => inet, addr => {127, 0, 0, 1}, port => 4369}),
    Req = <<120, Port:16, 77, 0, 6:16, 6:16, (byte_size(Name)):16, Name/binary, 0:16>>,
    ok = socket:send(S, <<(byte_size(Req)):16, Req/binary>>),
    S.

check(What, Expected, Expected) -> io:format("~s: ok~n", [What]);
check(What, _Expected, Actual) -> io:format("~s: ~w~n", [What, Actual]).
