"""The task watchdog through ``esp:task_wdt_*``, against AtomVM's platform_nifs.c returns and
ESP-IDF's esp_task_wdt: started at boot with the Kconfig defaults (so reconfigure works and
init answers ``{error, already_started}``), ``{error, noproc}`` from reconfigure once
deinitialised, ESP_ERR_INVALID_STATE (0x103 = 259) and ESP_ERR_NOT_FOUND (0x105 = 261) as
``{error, Code}``; a user that is not reset within the timeout gets ESP-IDF's report
("E (ms) task_wdt: Task watchdog got triggered. The following tasks/users did not reset the
watchdog in time:", then " - name"), and with trigger_panic the chip resets with
``esp_rst_task_wdt``.
"""
from __future__ import annotations

from avmsim.boards import get_board
from avmsim.simulation import Simulation

from helpers import compile_erl

S = 1_000_000_000
RED, RESET = "\x1b[0;31m", "\x1b[0m"   # ESP-IDF's LOG_COLOR_E and LOG_RESET_COLOR


def run_app(tmp_path, name: str, source: str, until_ns: int = 30 * S) -> tuple[str, object]:
    beam = compile_erl(tmp_path, name, source)
    sim = Simulation(get_board("esp32-devkit"), [str(beam)])
    console: list[bytes] = []
    sim.devices.console.add_sink(console.append)
    outcome = sim.run(until_ns=until_ns)
    return b"".join(console).decode(), outcome


def log_e(ms: int, text: str) -> str:
    return f"{RED}E ({ms}) task_wdt: {text}{RESET}\n"


CALLS = r"""
-module(wdt_calls).
-export([start/0]).
start() ->
    Bad = [config, {-1, 0, false}, {0, 0, false}, {5000, -1, false}, {5000, 512, false},
           {5000, 0, 0}, {5000, 0}],
    io:format("~p~n", [[element(1, element(2, catch esp:task_wdt_reconfigure(C))) || C <- Bad]]),
    io:format("~p~n", [element(1, element(2, catch esp:task_wdt_add_user(42)))]),
    io:format("~p~n", [element(1, element(2, catch esp:task_wdt_reset_user(<<1, 2>>)))]),
    ok = esp:task_wdt_reconfigure({5000, 3, false}),
    {ok, H} = esp:task_wdt_add_user(<<"worker">>),
    io:format("~p~n", [{is_binary(H), byte_size(H)}]),
    ok = esp:task_wdt_reset_user(H),
    io:format("~p~n", [esp:task_wdt_deinit()]),
    ok = esp:task_wdt_delete_user(H),
    io:format("~p~n", [[esp:task_wdt_reset_user(H), esp:task_wdt_delete_user(H)]]),
    ok = esp:task_wdt_deinit(),
    io:format("~p~n", [[esp:task_wdt_deinit(), esp:task_wdt_reconfigure({5000, 0, false}),
                        esp:task_wdt_add_user("late")]]),
    ok = esp:task_wdt_init({5000, 0, false}),
    io:format("~p~n", [esp:task_wdt_init({5000, 0, false})]),
    ok.
"""


def test_task_wdt_calls_return_what_atomvm_returns(tmp_path):
    text, outcome = run_app(tmp_path, "wdt_calls", CALLS)
    assert outcome.why == "returned", text
    assert text.splitlines() == [
        "[badarg,badarg,badarg,badarg,badarg,badarg,badarg]",
        "badarg", "badarg",
        "{true,8}",                          # two pointers on the 32-bit ESP32
        "{error,259}",                       # a user is still subscribed
        "[{error,261},{error,261}]",
        "[{error,259},{error,noproc},{error,259}]",
        "{error,already_started}",
    ]


STARVED = r"""
-module(starved).
-export([start/0]).
start() ->
    ok = esp:task_wdt_reconfigure({1000, 0, false}),
    {ok, Fed} = esp:task_wdt_add_user("fed"),
    {ok, Late} = esp:task_wdt_add_user("late"),
    feed(Fed, 5),
    io:format("late is still subscribed: ~p~n", [esp:task_wdt_delete_user(Late)]),
    ok.
feed(_, 0) -> ok;
feed(H, N) -> timer:sleep(400), ok = esp:task_wdt_reset_user(H), feed(H, N - 1).
"""


def test_a_user_not_reset_in_time_is_reported_every_timeout(tmp_path):
    text, outcome = run_app(tmp_path, "starved", STARVED)
    assert outcome.why == "returned", text
    report = [log_e(ms, "Task watchdog got triggered. The following tasks/users did not "
                        "reset the watchdog in time:") + log_e(ms, " - late")
              for ms in (1000, 2000)]
    assert text == "".join(report) + "late is still subscribed: ok\n"


def test_a_user_reset_in_time_is_never_reported(tmp_path):
    text, outcome = run_app(tmp_path, "fed", r"""
-module(fed).
-export([start/0]).
start() ->
    ok = esp:task_wdt_reconfigure({1000, 0, true}),
    {ok, H} = esp:task_wdt_add_user("fed"),
    [begin timer:sleep(900), ok = esp:task_wdt_reset_user(H) end || _ <- lists:seq(1, 10)],
    esp:task_wdt_delete_user(H).
""")
    assert outcome.why == "returned"
    assert text == ""


PANIC = r"""
-module(panic).
-export([start/0]).
start() ->
    io:format("~p~n", [esp:reset_reason()]),
    case esp:reset_reason() of
        esp_rst_poweron ->
            ok = esp:task_wdt_reconfigure({2000, 0, true}),
            {ok, _} = esp:task_wdt_add_user(<<"stuck">>),
            timer:sleep(10000),
            io:format("not reached~n");
        _ ->
            ok
    end.
"""


def test_trigger_panic_resets_the_chip_with_task_wdt_reason(tmp_path):
    text, outcome = run_app(tmp_path, "panic", PANIC)
    assert outcome.why == "returned", text
    assert text == ("esp_rst_poweron\n"
                    + log_e(2000, "Task watchdog got triggered. The following tasks/users did "
                                  "not reset the watchdog in time:")
                    + log_e(2000, " - stuck") + log_e(2000, "Aborting.")
                    + "esp_rst_task_wdt\n")
