%% net_kernel's options and state on one board (generic-unix, 10.0.2.15), without a peer.
%% Each line is "what: ok", or the value when it is not the one AtomVM's net_kernel gives.
-module(dist_options).
-export([start/0]).

start() ->
    check("state before", #{started => no}, net_kernel:get_state()),
    check("erlang:get_cookie before", nocookie, erlang:get_cookie()),
    % RFC 1321's test vector for "abc"
    check("erlang:md5", <<16#900150983cd24fb0d6963f7d28e17f72:128>>, erlang:md5(<<"abc">>)),
    check("bad option", {error, {invalid_option, colour, red}}, try_start(foo@bar, #{colour => red})),
    check("long name without dot", {error, invalid_name},
          try_start('a@nodots', #{name_domain => longnames})),
    check("short name with dot", {error, invalid_name},
          try_start('a@b.c', #{name_domain => shortnames})),
    check("name not an atom", {error, invalid_name}, try_start("a@b.c", #{})),
    check("options not a map", {error, invalid_options}, try_start('a@b.c', [])),
    {ok, _} = epmd:start_link([]),
    {ok, Taken} = socket:open(inet, stream, tcp),
    ok = socket:bind(Taken, #{family => inet, port => 9100, addr => {0, 0, 0, 0}}),
    Range = #{listen_port_min => 9100, listen_port_max => 9110},
    {ok, Sup} = net_kernel:start('opt@10.0.2.15', #{avm_dist_opts => Range}),
    check("supervisor", true, is_pid(Sup)),
    check("node", 'opt@10.0.2.15', node()),
    check("creation", 42, atomvm:get_creation()),
    check("state", #{started => dynamic, name_type => static, name => 'opt@10.0.2.15',
                     name_domain => longnames}, net_kernel:get_state()),
    % 9100 is taken: the next port of the range
    check("port", {port, 9101, 6}, erl_epmd:port_please("opt", {127, 0, 0, 1})),
    check("random cookie", 16, byte_size(net_kernel:get_cookie())),
    ok = net_kernel:set_cookie(<<"c">>),
    ok = net_kernel:set_cookie('x@y.z', <<"d">>),
    check("cookies", {<<"c">>, <<"d">>, <<"c">>},
          {net_kernel:get_cookie(), net_kernel:get_cookie('x@y.z'), net_kernel:get_cookie('w@y.z')}),
    ok = erlang:set_cookie(e),
    ok = erlang:set_cookie('x@y.z', f),
    check("erlang cookies", {e, f, <<"f">>},
          {erlang:get_cookie(), erlang:get_cookie('x@y.z'), net_kernel:get_cookie('x@y.z')}),
    check("stop", ok, net_kernel:stop()),
    check("state after", #{started => no}, net_kernel:get_state()),
    timer:sleep(20),
    % stopping erl_epmd ended the registration
    check("names after", {ok, []}, erl_epmd:names({127, 0, 0, 1})),
    check("stop again", {error, not_found}, net_kernel:stop()).

try_start(Name, Options) ->
    try net_kernel:start(Name, Options) catch error:Reason -> {error, Reason} end.

check(What, Expected, Expected) -> io:format("~s: ok~n", [What]);
check(What, _Expected, Actual) -> io:format("~s: ~w~n", [What, Actual]).
