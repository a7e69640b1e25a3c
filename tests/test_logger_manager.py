"""AtomVM's logging as apps reach it: logger_manager, logger's ?LOG_* entry points, logger_std_h.

The programs include OTP's ``kernel/include/logger.hrl`` from the host, as apps do: a
``?LOG_INFO(A, B, C)`` there expands to ``case logger:allow(info, ?MODULE) of true ->
logger:macro_log(#{mfa => {?MODULE, ?FUNCTION_NAME, ?FUNCTION_ARITY}, line => ?LINE,
file => ?FILE}, info, A, B, C); false -> ok end``.

Expected values come from AtomVM's sources (main at 7b282159), not from our libs:

- eavmlib/src/logger_manager.erl: ``start_link/1`` (l.66) starts a gen_server registered as
  logger_manager; ``log_level`` defaults to notice (l.61, 105); the default handler
  ``{handler, default, logger_std_h, #{}}`` is put first unless the list has one (l.60,
  189-206), and ``{handler, default, undefined}`` keeps only the other handler entries
  (l.191-196, so module_level entries go too); each handler's config is its map plus
  ``id``, ``module`` and ``level`` (default ``all``) (l.216-227); a second default handler
  is ``error(badarg)`` in init (l.244-250); ``do_allow`` takes the module's level, else
  log_level, and allows lt/eq (l.300-303); handlers are listed default first, then
  ``maps:values`` of the others (l.305-312); ``allow/2`` is false with no manager
  (l.82-94).
- estdlib/src/logger.erl: the macros' location goes under the meta key ``location``, merged
  into the macro's metadata map (l.417-432); the event is ``#{level, msg, meta, pid =>
  self(), timestamp => erlang:system_time(microsecond)}`` with ``msg`` ``{report, Map}``
  for a map and ``{Format, Args}`` otherwise (l.520-534); a handler gets the event when
  its level allows it (l.476-482, 491) and its crash prints "An error occurred logging
  event ~p with config ~p.  type: ~p error=~p stacktrace=~p" and the others still run
  (l.494-506); ``logger:error(F, A)`` with no location has no module (l.514-517).
- estdlib/src/logger_std_h.erl: one line ``"~s [~p] ~p ~s~s~s~n"`` (l.43): the timestamp as
  UTC ``Y-MM-DDTHH:MM:SS.mmmZ`` (l.53-65), level, pid, ``"M:F/A "`` (l.81-85) and
  ``"(File:Line) "`` (l.87-91) when the location is there, then the text: a report
  ``~p``, a format formatted (l.29-32).
- The first process of the app is ``<0.1.0>`` (src/libAtomVM/globalcontext.c l.90, 561:
  process ids count from 1).

The timestamp is the virtual clock's: ``--epoch`` plus the virtual time of the call, so it
lies in the first second after the epoch, grows from event to event, and the default
handler's line shows the same instant as the event map the test handler receives.
The handlers print events with ``~p``, which writes any term on one line as AtomVM's io_lib
does (``[]`` as ``""``).
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from helpers import avmsim, compile_erl

EPOCH = 1_700_000_000          # 2023-11-14T22:13:20Z
PID = "<0.1.0>"

HANDLER_PROGRAM = r"""
-module(logdemo).
-export([start/0, log/2]).
-include_lib("kernel/include/logger.hrl").

start() ->
    {ok, _} = logger_manager:start_link(#{
        log_level => info,
        logger => [{handler, mine, ?MODULE, #{config => #{foo => bar}}},
                   {handler, severe, ?MODULE, #{level => warning}}]}),
    ?LOG_INFO("info ~p", [one], #{bar => tapas}),  %% L_INFO
    ?LOG_DEBUG("dropped at info"),
    ?LOG_WARNING(#{this => is, a => report}),  %% L_WARNING
    ok = logger_manager:stop(),
    io:format("after stop ~p ~p~n", [whereis(logger_manager),
                                     logger_manager:allow(error, ?MODULE)]),
    ok.

log(Event, Config) ->
    io:format("EVENT ~p~nCONFIG ~p~n", [Event, Config]).
"""

DEFAULT_PROGRAM = r"""
-module(logplain).
-export([start/0, log/2]).
-include_lib("kernel/include/logger.hrl").

start() ->
    {ok, _} = logger_manager:start_link(#{}),
    ?LOG_INFO("not shown at notice"),
    ?LOG_NOTICE("notice ~s", ["shown"]),  %% L_NOTICE
    logger:error("no location ~p", [42]),
    logger:warning(#{key => value}),
    {_, Handlers} = logger_manager:get_handlers(),
    io:format("handlers ~p~n", [Handlers]),
    ok = logger_manager:stop(),

    {ok, _} = logger_manager:start_link(#{log_level => error,
                                          logger => [{module_level, debug, [?MODULE]}]}),
    ?LOG_DEBUG("module level ~p", [debug]),  %% L_DEBUG
    logger:info("no module: log_level error applies"),
    ok = logger_manager:stop(),

    {ok, _} = logger_manager:start_link(#{logger => [{handler, default, undefined},
                                                     {handler, bad, ?MODULE, #{}},
                                                     {handler, good, ?MODULE, #{}},
                                                     {module_level, debug, [?MODULE]}]}),
    {_, Only} = logger_manager:get_handlers(),
    io:format("handlers ~p~n", [Only]),
    ?LOG_DEBUG("module_level went with the default handler"),
    ?LOG_NOTICE("to bad and good"),
    ok = logger_manager:stop(),

    Twice = logger_manager:start_link(#{logger => [{handler, default, logger_std_h, #{}},
                                                   {handler, default, ?MODULE, #{}}]}),
    io:format("two defaults ~p ~p~n", [element(1, Twice), whereis(logger_manager)]),
    ok.

log(_Event, #{id := bad}) -> erlang:error(boom);
log(#{msg := Msg}, #{id := Id}) -> io:format("~p got ~p~n", [Id, Msg]).
"""


def run(tmp: Path, name: str, source: str) -> tuple[str, str]:
    """Run the program on esp32-devkit; its console output and its source file's path."""
    beam = compile_erl(tmp, name, source)
    r = avmsim("--board", "esp32-devkit", "--epoch", str(EPOCH), str(beam), timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout, str(tmp / f"{name}.erl")


def line_of(source: str, marker: str) -> int:
    """The ?LINE of the macro call marked ``%% marker`` (erlc numbers lines from 1)."""
    return next(i for i, text in enumerate(source.splitlines(), 1) if f"%% {marker}" in text)


def std_h_time(micros: int) -> str:
    """logger_std_h's timestamp: UTC, milliseconds, a Z."""
    t = datetime.fromtimestamp(micros // 1_000_000, timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{micros % 1_000_000 // 1000:03d}Z"


def event_times(out: str) -> list[int]:
    return [int(t) for t in re.findall(r"timestamp => (\d+)\}", out)]


def test_handler_gets_event_map_and_its_config(tmp_path: Path) -> None:
    """start_link with two handlers of the app: the default handler prints first, then the
    app's handlers in id order get the event map and their filled config; debug is dropped
    at log_level info and the warning-level handler sees only the warning."""
    out, file = run(tmp_path, "logdemo", HANDLER_PROGRAM)
    times = event_times(out)
    assert len(times) == 3, out          # info to mine, warning to mine and severe
    t_info, t_warn = times[0], times[1]
    assert times[1] == times[2]          # one event, two handlers
    assert EPOCH * 10**6 <= t_info < t_warn < (EPOCH + 1) * 10**6
    l_info = line_of(HANDLER_PROGRAM, "L_INFO")
    l_warn = line_of(HANDLER_PROGRAM, "L_WARNING")
    loc = '#{file => "%s",line => %d,mfa => {logdemo,start,0}}'
    warn_event = ('EVENT #{level => warning,meta => #{location => %s},'
                  'msg => {report,#{a => report,this => is}},pid => %s,timestamp => %d}'
                  % (loc % (file, l_warn), PID, t_warn))
    mine = "CONFIG #{config => #{foo => bar},id => mine,level => all,module => logdemo}"
    expected = [
        f"{std_h_time(t_info)} [info] {PID} logdemo:start/0 ({file}:{l_info}) info one",
        'EVENT #{level => info,meta => #{bar => tapas,location => %s},'
        'msg => {"info ~p",[one]},pid => %s,timestamp => %d}' % (loc % (file, l_info), PID, t_info),
        mine,
        f"{std_h_time(t_warn)} [warning] {PID} logdemo:start/0 ({file}:{l_warn}) "
        "#{a => report,this => is}",
        warn_event, mine,
        warn_event, "CONFIG #{id => severe,level => warning,module => logdemo}",
        "after stop undefined false",
    ]
    assert out.splitlines() == expected


def test_default_handler_module_levels_and_errors(tmp_path: Path) -> None:
    """With no handler configured only logger_std_h prints, at notice by default; calls
    without a location print no "M:F/A (File:Line) "; module_level lets debug through for
    the module only; {handler, default, undefined} drops the default handler and the
    module_level entries; a crashing handler is reported and the next one still runs; a
    second default handler fails the start."""
    out, file = run(tmp_path, "logplain", DEFAULT_PROGRAM)
    lines = out.splitlines()
    stamps = [m.group(1) for m in re.finditer(r"^(\S+Z) \[", out, re.M)]
    assert len(stamps) == 4, out
    assert all(s.startswith("2023-11-14T22:13:20.") for s in stamps)
    assert stamps == sorted(stamps)
    l_notice = line_of(DEFAULT_PROGRAM, "L_NOTICE")
    l_debug = line_of(DEFAULT_PROGRAM, "L_DEBUG")
    std_h = "[{logger_std_h,#{id => default,level => all,module => logger_std_h}}]"
    assert lines[:5] == [
        f"{stamps[0]} [notice] {PID} logplain:start/0 ({file}:{l_notice}) notice shown",
        f"{stamps[1]} [error] {PID} no location 42",
        f"{stamps[2]} [warning] {PID} #{{key => value}}",
        f"handlers {std_h}",
        f"{stamps[3]} [debug] {PID} logplain:start/0 ({file}:{l_debug}) module level debug",
    ]
    assert lines[5] == ("handlers [{logplain,#{id => bad,level => all,module => logplain}},"
                        "{logplain,#{id => good,level => all,module => logplain}}]")
    rest = "\n".join(lines[6:])
    crash = re.fullmatch(r"An error occurred logging event (#\{level => notice,.*?) with config "
                         r"(#\{.*?\})\.  type: error error=boom stacktrace=.*?\n"
                         r'good got \{"to bad and good",""\}\n'
                         r"two defaults error undefined", rest, re.S)
    assert crash, rest
    assert crash.group(2) == "#{id => bad,level => all,module => logplain}"
    assert "module_level went" not in out


NO_MANAGER_PROGRAM = r"""
-module(nomanager).
-export([start/0]).
-include_lib("kernel/include/logger.hrl").

start() ->
    ?LOG_INFO("below notice"),
    ?LOG_ERROR("error ~p", [1]),
    ?LOG_WARNING(#{key => value}),
    io:format("allow ~p ~p~n", [logger_manager:allow(error, ?MODULE),
                                logger:allow(error, ?MODULE)]),
    ok.
"""


def test_macros_without_a_manager_print_otp_reports(tmp_path: Path) -> None:
    """With no logger_manager, AtomVM's logger_manager:allow/2 says false (logger_manager.erl
    l.82-94), while logger keeps OTP's behaviour: the macros print OTP 25's legacy reports
    (primary level notice), "=LEVEL REPORT==== D-Mon-YYYY::HH:MM:SS.micro ===" then the text,
    a report map as "    Key: Value" lines (OTP's logger_formatter)."""
    out, _ = run(tmp_path, "nomanager", NO_MANAGER_PROGRAM)
    header = r"=%s REPORT==== 14-Nov-2023::22:13:20\.\d{6} ===\n"
    assert re.fullmatch(header % "ERROR" + r"error 1\n" + header % "WARNING"
                        + r"    key: value\nallow false true\n", out), out
