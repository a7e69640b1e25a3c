"""Natives where avmsim follows AtomVM (libAtomVM nifs.c, estdlib) rather than OTP: map
iterators, ``erlang:system_info/1``, improper option lists of ``binary:split/match``, and
natives of nifs.gperf avmsim lacked (crc32, zlib, display_string, cmp_term, the loaded
modules and ``code``, ``base64`` with options). Each runs an Erlang program on a board and
compares what it prints; expected values come from AtomVM's sources (and OTP where the two
agree, checked with the host erl), never from avmsim.

Programs pass some arguments through ``?MODULE:id/1``: OTP 25's compiler knows e.g. that
``maps:to_list/1`` wants a map and would drop the code after a call it proves fails.
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers import avmsim, compile_erl

ID = ("id(X) -> X.\np(T) -> io:format(\"~p~n\", [T]).\n"
      "err(F) -> try F() catch error:Reason -> Reason end.\n")


def run(tmp: Path, name: str, body: str, board: str = "generic-unix") -> str:
    """Compile ``-module(name)`` with ``start/0`` = ``body``, run it, return its output."""
    beam = compile_erl(tmp, name, f"-module({name}).\n-export([start/0, id/1]).\n{ID}"
                       f"start() ->\n{body}.\n")
    result = avmsim("--board", board, "--headless", "--timeout", "10s", str(beam), timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def lines(text: str) -> list[str]:
    return text.strip().splitlines()


# ----------------------------------------------------------------------------- B2: maps

MAPS = r"""
    M = ?MODULE:id(#{b => 2, a => 1, c => 3}),
    p(maps:to_list(?MODULE:id([0 | M]))),
    p(maps:to_list(maps:iterator(M, undefined))),
    O = maps:iterator(M, ordered),
    Split = fun([Keys | Map]) -> {Keys, Map} end,
    p(Split(O)),
    {K1, V1, O1} = maps:next(O),
    p({K1, V1, Split(O1)}),
    p(maps:to_list(maps:iterator(M, reversed))),
    p(maps:to_list(maps:iterator(M, fun(X, Y) -> X >= Y end))),
    {K2, V2, I2} = maps:next(?MODULE:id([1 | M])),
    p({K2, V2, Split(I2)}),
    p(maps:next(?MODULE:id([3 | M]))),
    p(maps:next(?MODULE:id([[] | M]))),
    p(maps:next(?MODULE:id([[zz, a] | M]))),
    p(maps:fold(fun(K, V, A) -> [{K, V} | A] end, [], maps:iterator(M, reversed))),
    p(err(fun() -> maps:next(?MODULE:id([foo | M])) end)),
    p(err(fun() -> maps:to_list(?MODULE:id([foo | M])) end)),
    p(err(fun() -> maps:to_list(?MODULE:id(foo)) end)),
    p(M)"""


def test_map_iterators_as_atomvm(tmp_path):
    """AtomVM's maps.erl: iterator(M, undefined) is [0 | M]; any other order is [Keys | M]
    (OTP 26+ makes opaque tuples); to_list/1 takes an iterator (AtomVM's io_lib formats
    every map through maps:to_list(maps:iterator(M, undefined))). nif_maps_next answers
    none at the end, for [] keys and for a key no longer in the map. An iterator is an
    improper list, which AtomVM's io_lib refuses to print, so it is printed as {Keys, Map}."""
    out = run(tmp_path, "h13maps", MAPS)
    assert lines(out) == [
        "[{a,1},{b,2},{c,3}]",
        "[{a,1},{b,2},{c,3}]",
        "{[a,b,c],#{a => 1,b => 2,c => 3}}",
        "{a,1,{[b,c],#{a => 1,b => 2,c => 3}}}",
        "[{c,3},{b,2},{a,1}]",
        "[{c,3},{b,2},{a,1}]",
        "{b,2,{2,#{a => 1,b => 2,c => 3}}}",
        "none",
        "none",
        "none",
        "[{a,1},{b,2},{c,3}]",
        "badarg", "badarg", "{badmap,foo}",
        "#{a => 1,b => 2,c => 3}",
    ]


# ----------------------------------------------------------------------------- B5: system_info

SYSTEM_INFO = r"""
    [p(erlang:system_info(K)) || K <- [avm_floatsize, system_version, emu_flavor,
        break_ignored, otp_release, atomvm_version, no_such_key]],
    p(is_binary(erlang:system_info(system_architecture))),
    p(err(fun() -> erlang:system_info(?MODULE:id("wordsize")) end)),
    B = binary:copy(?MODULE:id(<<1:800>>)),
    p(lists:member({100, 1}, erlang:system_info(refc_binary_info))),
    p(byte_size(B))"""


@pytest.mark.parametrize("board, banner", [
    # SMP builds name online:total cores; AtomVM builds without SMP for one-core chips
    ("generic-unix", "[64-bit] [smp:1:1]"),
    ("esp32-devkit", "[32-bit] [smp:2:2]"),
    ("esp32-c3-devkitm", "[32-bit] [nosmp]"),
    ("nucleo-f429zi", "[32-bit] [nosmp]"),
    ("pico", "[32-bit] [smp:2:2]"),
])
def test_system_info_keys_as_atomvm(tmp_path, board, banner):
    """nif_erlang_system_info: avm_floatsize is sizeof(avm_float_t) (8: every modelled board
    is built with double floats), the version banner, emu, true, otp_release "27"
    (dist_nifs.h DIST_OTP_RELEASE) and atomvm_version <<"0.8.0-dev">> (version.cmake) as
    binaries; an unknown atom is undefined (sys_get_info's fallback; OTP raises badarg), a
    non-atom badarg. refc_binary_info lists {Size, RefCount} after a deprecation warning."""
    out = run(tmp_path, "h13si", SYSTEM_INFO, board)
    assert lines(out) == [
        "8", f'"AtomVM 0.8.0-dev {banner}\\n"', "emu", "true", '"27"', '<<"0.8.0-dev">>',
        "undefined",
        "true",
        "badarg",
        "WARNING: The refc_binary_info system info tag is deprecated.  "
        "Use erlang:memory(binary) instead.",
        "true",
        "100",
    ]


# ----------------------------------------------------------------------------- B6: binary

BINARY = r"""
    p(binary:split(<<"a">>, <<":">>, ?MODULE:id([global | foo]))),
    p(binary:split(<<"a:b:c">>, <<":">>, ?MODULE:id([global | foo]))),
    p(binary:split(<<"a::b:c">>, <<":">>, ?MODULE:id([trim_all, global | <<>>]))),
    p(binary:match(<<"abcabc">>, <<"c">>, ?MODULE:id([{scope, {3, 3}} | foo]))),
    p(err(fun() -> binary:split(<<"a:b">>, <<":">>, ?MODULE:id(global)) end)),
    p(err(fun() -> binary:split(<<"a:b">>, <<":">>, ?MODULE:id([global, foo])) end)),
    p(err(fun() -> binary:match(<<"abc">>, <<"c">>, ?MODULE:id(foo)) end)),
    p(err(fun() -> binary:match(<<"abc">>, <<"c">>, ?MODULE:id([foo | bar])) end))"""


def test_binary_options_ignore_an_improper_tail(tmp_path):
    """nif_binary_split / get_binary_scope_slice read the options up to the first non-cons
    (as BEAM does: OTP 25 prints the same); a non-list or an unknown option is badarg."""
    out = run(tmp_path, "h13bin", BINARY)
    assert lines(out) == [
        '[<<"a">>]',
        '[<<"a">>,<<"b">>,<<"c">>]',
        '[<<"a">>,<<"b">>,<<"c">>]',
        "{5,1}",
        "badarg", "badarg", "badarg", "badarg",
    ]


# ----------------------------------------------------------------------------- B7: natives

CHECKSUMS = r"""
    p(erlang:crc32(<<"123456789">>)),
    p(erlang:crc32(erlang:crc32(<<"1234">>), ["56", [<<"7">>], "89"])),
    p(erlang:crc32_combine(erlang:crc32("1234"), erlang:crc32("56789"), 5)),
    p(erlang:crc32_combine(1, 2, 0)),
    p(zlib:compress(<<"hello hello hello">>)),
    p(zlib:compress(["hello ", <<"hello">>, " hello"])),
    p([erts_internal:cmp_term(A, B) || {A, B} <- [{1, 1.0}, {2, 1.0}, {1.0, 2}, {a, a}]]),
    p([err(fun() -> erlang:crc32(?MODULE:id(-1), <<"a">>) end),
       err(fun() -> erlang:crc32(?MODULE:id(foo)) end),
       err(fun() -> zlib:compress(?MODULE:id(foo)) end),
       err(fun() -> erlang:crc32_combine(0, 0, ?MODULE:id(-1)) end)])"""


def test_crc32_zlib_and_cmp_term(tmp_path):
    """CRC-32 check value 0xCBF43926 of "123456789"; combine = CRC of the concatenation;
    zlib:compress/1 is zlib's compress() (OTP prints the same bytes); cmp_term/2 orders
    exactly: integers before floats. A CRC outside uint32, a non-iolist, a negative length:
    badarg."""
    out = run(tmp_path, "h13sum", CHECKSUMS)
    stream = "<<120,156,203,72,205,201,201,87,200,64,144,0,58,46,6,125>>"
    assert lines(out) == ["3421780262", "3421780262", "3421780262", "3", stream, stream,
                          "[-1,-1,1,0]", "[badarg,badarg,badarg,badarg]"]


DISPLAY = r"""
    p(erlang:display_string(<<"to stderr\n">>)),
    p(erlang:display_string(stdout, [104, 233, 10])),
    p(erlang:display_string(stdout, [])),
    p(err(fun() -> erlang:display_string(?MODULE:id(tty), "x") end)),
    p(err(fun() -> erlang:display_string(stdout, ?MODULE:id([-1])) end))"""


def test_display_string(tmp_path):
    """nif_erlang_display_string: a binary's bytes or a code point list as UTF-8, unformatted,
    to stdout/stderr (the console), true; another device or a bad list: badarg."""
    out = run(tmp_path, "h13disp", DISPLAY)
    assert out == "to stderr\ntrue\nh\u00e9\ntrue\ntrue\nbadarg\nbadarg\n"


def _code_program(extra_beam: bytes) -> str:
    return r"""
    p(hd(erlang:loaded())),
    p(lists:member(gen_server, erlang:loaded())),
    p(erlang:function_exported(gen_server, start_link, 3)),
    p(lists:member(gen_server, erlang:loaded())),
    p(erlang:function_exported(gen_server, no_such_function, 3)),
    p(erlang:function_exported(erlang, crc32, 1)),
    p(erlang:module_loaded(proplists)),
    p(hd(erlang:loaded())),
    p(erlang:module_loaded(no_such_module_h13)),
    p(code:ensure_loaded(orddict)),
    p(code:ensure_loaded(no_such_module_h13)),
    p(hd(code:all_loaded())),
    Bin = <<%s>>,
    p(code:load_binary(h13extra, "h13extra.beam", Bin)),
    p(h13extra:hello()),
    p(code:load_binary(h13extra, "h13extra.beam", Bin)),
    p(err(fun() -> code:load_binary(h13junk, "h13junk.beam", <<"not a beam">>) end)),
    {h13extra, Obj, Name} = code:get_object_code(h13extra),
    p({Obj =:= Bin, Name}),
    p(code:get_object_code(no_such_module_h13)),
    p(err(fun() -> code:load_abs("/tmp/h13extra") end)),
    p(err(fun() -> code:load_abs(?MODULE:id(not_a_path)) end)),
    All = code:all_available(),
    p([lists:keyfind(M, 1, All) || M <- [<<"h13code">>, <<"h13extra">>, <<"orddict">>]])
""" % ",".join(str(b) for b in extra_beam)


def test_loaded_modules_and_code(tmp_path):
    """AtomVM loads a module from the packs when asked about it (globalcontext_get_module):
    module_loaded/1, function_exported/3 and ensure_loaded/1 answer true / {module, M} for a
    library module not loaded yet (OTP: false / loads it too); listings are newest first;
    load_binary/3 loads a BEAM ({module, M}, again for a loaded name), a non-BEAM raises
    out_of_memory, get_object_code/1 hands the BEAM back with "M.beam"; load_abs/1 of a file
    that is not there raises out_of_memory (reading files: tests/test_host_files.py)."""
    extra = compile_erl(tmp_path, "h13extra",
                        "-module(h13extra).\n-export([hello/0]).\nhello() -> from_binary.\n")
    out = run(tmp_path, "h13code", _code_program(extra.read_bytes()))
    assert lines(out) == [
        "h13code", "false", "true", "true", "false", "true", "true", "proplists", "false",
        "{module,orddict}", "{error,embedded}", "{orddict,undefined}",
        "{module,h13extra}", "from_binary", "{module,h13extra}", "out_of_memory",
        '{true,"h13extra.beam"}', "error", "out_of_memory", "badarg",
        '[{<<"h13code">>,undefined,true},{<<"h13extra">>,undefined,true},'
        '{<<"orddict">>,undefined,true}]',
    ]


BASE64 = r"""
    U = #{mode => urlsafe},
    NP = #{padding => false},
    UNP = #{mode => urlsafe, padding => false},
    p(base64:encode(<<255, 255, 254>>, #{})),
    p(base64:encode(<<255, 255, 254>>, U)),
    p(base64:encode(<<255, 255>>, UNP)),
    p(base64:encode(<<255, 255>>, U)),
    p(base64:encode_to_string("ab", NP)),
    p(base64:encode_to_string([<<"a">>, $b], #{padding => true})),
    p(base64:decode(<<"__8">>, UNP)),
    p(base64:decode(<<"QQ">>, NP)),
    p(base64:decode(<<"QQ==">>, NP)),
    p(base64:decode_to_string([<<"YW">>, "I="], #{})),
    p(base64:decode(<<"///+">>, #{mode => standard})),
    p([base64:decode(<<>>, #{}), base64:encode([], #{}), base64:encode_to_string(<<>>, #{})]),
    p([err(fun() -> base64:decode(<<"__8">>, U) end),
       err(fun() -> base64:decode(<<"//8=">>, U) end),
       err(fun() -> base64:decode(<<"YW I=">>, #{}) end),
       err(fun() -> base64:decode(<<"QUJDQ">>, NP) end),
       err(fun() -> base64:encode(<<"a">>, ?MODULE:id([padding])) end),
       err(fun() -> base64:encode(?MODULE:id(foo), #{}) end)])"""


def test_base64_with_options_as_atomvm(tmp_path):
    """nifs.c base64_encode/decode with an options map: padding (default true), mode
    urlsafe (-_ alphabet); iolists accepted (an AtomVM extension); empty data handed back.
    Decoding is strict: a missing padding when required, a 4n+1 length, whitespace (which
    OTP 25's decode/1 skips) or the other alphabet's characters are badarg, as is an
    options list (OTP 26 takes only a map too) or a non-iodata."""
    out = run(tmp_path, "h13b64", BASE64)
    assert lines(out) == [
        '<<"///+">>', '<<"___-">>', '<<"__8">>', '<<"__8=">>', '"YWI"', '"YWI="',
        '<<"\u00ff\u00ff">>', '<<"A">>', '<<"A">>', '"ab"', '<<"\u00ff\u00ff\u00fe">>',
        '[<<"">>,<<"">>,""]', "[badarg,badarg,badarg,badarg,badarg,badarg]",
    ]


def test_float_size_follows_the_float_layout():
    """sizeof(avm_float_t): 8 with double floats (a float is 3 words on 32-bit, 2 on 64-bit),
    4 on a 32-bit build with AVM_USE_32BIT_FLOAT (the STM32 port's default; 2 words)."""
    from avmsim.vm.nifs.process_nifs import SYSTEM_INFO
    from avmsim.vm.term_size import LAYOUT_32, LAYOUT_32_FLOAT32, LAYOUT_64
    sizes = [SYSTEM_INFO["avm_floatsize"](SimpleNamespace(layout=layout))
             for layout in (LAYOUT_32, LAYOUT_64, LAYOUT_32_FLOAT32)]
    assert sizes == [8, 8, 4]
