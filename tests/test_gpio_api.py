"""GPIO mode terms as AtomVM's STM32 driver takes them (gpio_driver.c, pin_mode_table):
``{af, N}`` hands the pin to a peripheral (AtomVM's own spi.erl does this), N in 0..15;
a mode outside the table raises ``error:invalid_mode``."""
from __future__ import annotations

from helpers import avmsim, compile_erl

PROGRAM = r"""
-module(af_modes).
-export([start/0]).
start() ->
    io:format("~p~n", [gpio:set_pin_mode({a, 5}, {af, 5})]),
    io:format("~p~n", [error_of(fun() -> gpio:set_pin_mode({a, 5}, {af, 16}) end)]),
    io:format("~p~n", [error_of(fun() -> gpio:set_pin_mode({a, 5}, spi) end)]),
    ok.
error_of(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.
"""


def test_stm32_alternate_function_modes(tmp_path):
    beam = compile_erl(tmp_path, "af_modes", PROGRAM)
    result = avmsim("--board", "nucleo-f429zi", "--headless", str(beam))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ok"
    assert lines[1:] == ["{error,invalid_mode}", "{error,invalid_mode}"]
