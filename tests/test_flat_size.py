"""erts_debug:flat_size/1 on both word layouts, as an app sees it."""
from __future__ import annotations

from pathlib import Path

from helpers import avmsim, compile_erl

APP = """-module(sizes).
-export([start/0]).
start() ->
    Terms = [[], 42, 1 bsl 40, 1.5, [1,2,3], {a, b}, "abc", <<"short">>,
             binary:copy(<<"x">>, 100), #{k => v}, {[1], {2}}],
    io:format("~w~n", [[erts_debug:flat_size(T) || T <- Terms]]).
"""


def test_flat_size_32_bit_board(tmp_path: Path) -> None:
    r = avmsim("--board", "esp32-devkit", str(compile_erl(tmp_path, "sizes", APP)))
    # [] 0; small 0; 2^40 boxed int64 3; float 3; 3 cells 6; {a,b} 3; "abc" 6;
    # the literal <<"short">> a 6-word const binary (facts §2: binaries inside literals
    # point into flash); 100-byte refc binary 6; map 3+2; {[1],{2}} 3+2+2
    assert r.stdout == "[0,0,3,3,6,3,6,6,6,5,7]\n", r.stderr


def test_flat_size_64_bit_board(tmp_path: Path) -> None:
    r = avmsim("--board", "generic-unix", str(compile_erl(tmp_path, "sizes", APP)))
    # 64-bit: 2^40 is a small int (60 bits); float 2 words; the literal binary still 6
    assert r.stdout == "[0,0,0,2,6,3,6,6,6,5,7]\n", r.stderr
