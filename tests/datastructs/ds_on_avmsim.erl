%% Run on avmsim with our libs (tests/test_datastructs_vs_otp.py) and on
%% OTP with OTP's modules (terms formatted by avmsim's io_lib on both sides):
%% the printed output must be identical.
-module(ds_on_avmsim).
-export([start/0]).
%% Dicts and sets hold improper lists ([Key | Value] pairs, the element [x | y]).
-include("../include/printable.hrl").

start() ->
    Q = lists:foldl(fun(X, Q0) -> queue:in(X, Q0) end, queue:new(), lists:seq(1, 7)),
    {_, Q2} = queue:out(Q),
    S1 = sets:from_list([1, a, "s", {t, 1.5}, <<"b">>, 1 bsl 40, -3, 2.5, [x | y]]),
    S2 = sets:from_list(lists:seq(1, 100)),
    D = dict:from_list([{K, K * 2} || K <- lists:seq(1, 90)]),
    D2 = dict:append(a, 1, dict:store("k", v, D)),
    T = lists:foldl(fun(K, T0) -> gb_trees:enter(K, K, T0) end, gb_trees:empty(), [5, 3, 8, 1, 4, 7, 9, 2, 6, 10, 11, 12]),
    GS = lists:foldl(fun(K, T0) -> gb_sets:add(K, T0) end, gb_sets:new(), lists:seq(20, 1, -1)),
    Out = [Q2, queue:to_list(Q2), queue:split(3, Q), S1, sets:del_element(a, S1), S2,
           sets:filter(fun(X) -> X rem 2 =:= 0 end, S2), sets:from_list([1, 2], [{version, 2}]),
           D2, dict:erase(5, D2), dict:fetch(7, D), T, gb_trees:delete(5, T), GS,
           gb_sets:union(GS, gb_sets:from_list([0, 5.0, 30])),
           ordsets:union([1, 3], [2.0, 3.0]), orddict:store(b, 2, orddict:from_list([{a, 1}, {c, 3}])),
           calendar:gregorian_days_to_date(738000), calendar:iso_week_number({2021, 1, 3}),
           calendar:system_time_to_rfc3339(1700000000123, [{unit, millisecond}]),
           calendar:rfc3339_to_system_time("2018-02-01T16:17:58.5+01:00", [{unit, millisecond}]),
           calendar:day_of_the_week({2024, 2, 29}), calendar:now_to_datetime({1700, 123456, 0}),
           queue:filter(fun(X) -> [X, X] end, Q), queue:delete_r(3, Q), queue:liat(Q),
           sets:union(S1, sets:from_list([a, b, 1.0])), sets:intersection(S2, sets:from_list(lists:seq(90, 120))),
           sets:is_subset(sets:from_list([1, 2]), S2), lists:sort(sets:to_list(S1)),
           dict:filter(fun(K, _) -> K > 80 end, D), dict:update_counter(z, 3, dict:new()),
           dict:merge(fun(_, A, B) -> A + B end, dict:from_list([{1, 1}, {2, 2}]), dict:from_list([{2, 10}])),
           lists:sort(dict:to_list(dict:from_list([{{k, I}, [I]} || I <- lists:seq(1, 20)]))),
           gb_trees:balance(T), gb_trees:take(8, T), gb_trees:to_list(gb_trees:map(fun(K, V) -> K * V end, T)),
           gb_sets:intersection(GS, gb_sets:from_list([2.0, 3, 40])), gb_sets:difference(GS, gb_sets:from_list(lists:seq(1, 15))),
           calendar:time_difference({{2024, 1, 1}, {0, 0, 0}}, {{2024, 3, 1}, {12, 0, 1}}),
           calendar:system_time_to_rfc3339(-1500, [{unit, millisecond}, {offset, "Z"}]),
           calendar:gregorian_seconds_to_datetime(63871545600), calendar:valid_date(2023, 2, 29)],
    lists:foreach(fun(X) -> io:format("~p~n", [printable(X)]) end, Out),
    ok.

