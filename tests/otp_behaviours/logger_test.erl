%% logger: the function API returns ok at every level, configuration of
%% the primary and module levels.  (What is printed goes to standard
%% error and is not compared.)
-module(logger_test).

-export([start/0]).

start() ->
    p("primary", logger:get_primary_config()),
    p("error/1", logger:error("plain string")),
    p("error/2", logger:error("format ~p", [1])),
    p("error/2 report", logger:error(#{what => report, value => 42}, #{})),
    p("error/3", logger:error("format ~p with meta", [2], #{meta => data})),
    p("warning", logger:warning("warning ~p", [x])),
    p("notice", logger:notice("notice")),
    p("info (filtered)", logger:info("info ~p", [y])),
    p("debug (filtered)", logger:debug("debug")),
    p("critical", logger:critical("critical ~s", ["c"])),
    p("alert", logger:alert([{key, value}])),
    p("emergency", logger:emergency("emergency")),
    p("log/2", logger:log(error, "log/2")),
    p("log/3", logger:log(warning, "log ~p", [3])),
    p("log/4", logger:log(notice, "log ~p", [4], #{})),
    p("fun", logger:error(fun(A) -> {"from fun ~p", [A]} end, arg)),
    p("set level debug", logger:set_primary_config(level, debug)),
    p("level", maps:get(level, logger:get_primary_config())),
    p("debug now", logger:debug("now visible")),
    p("bad level", logger:set_primary_config(level, loud)),
    p("set level none", logger:set_primary_config(level, none)),
    p("error (filtered)", logger:error("invisible")),
    p("set level all", logger:set_primary_config(level, all)),
    p("level", maps:get(level, logger:get_primary_config())),
    p("set level error", logger:set_primary_config(level, error)),
    p("set_module_level", logger:set_module_level(logger_test, debug)),
    p("get_module_level", logger:get_module_level(logger_test)),
    p("get_module_level all", logger:get_module_level()),
    p("unset_module_level", logger:unset_module_level(logger_test)),
    p("get_module_level", logger:get_module_level(logger_test)),
    p("compare", [logger:compare_levels(error, info), logger:compare_levels(info, error),
                  logger:compare_levels(notice, notice)]),
    p("set level notice", logger:set_primary_config(level, notice)),
    p("primary", logger:get_primary_config()),
    io:format("done~n").

p(Label, Term) -> io:format("~s: ~p~n", [Label, Term]).
