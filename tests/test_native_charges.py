"""Natives charge the heap words they build, as AtomVM's NIFs do (vm/nifs ``charge_results``).

Each test runs one function that hands its arguments to a native and returns its result,
in a process whose heap cannot collect (a 100000-word block that is also its
min_heap_size: memory.c skips the GC), and reads the words charged to its young block
(``hu``). Every non-immediate argument comes from Python, so no literal fragment (and no
GC point for one) is involved. Expected sizes are facts §5's, on both layouts when they
differ (32-bit: 4-byte words; 64-bit generic_unix: 8-byte words).
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers import compile_erl

from avmsim.clock import VirtualClock
from avmsim.vm.nifs.phash import phash2
from avmsim.vm.term_order import exact_eq
from avmsim.vm.terms import NIL, Cons, ExtFun, Map, atom, from_list, map_key
from avmsim.vm.vm import VM

EXPORTS = ["fun_info/2", "hash/2", "module_info1/0", "module_item/1", "info/1",
           "iterator/1", "next/1", "os_type/0", "getpid/0", "bom/1", "enc_bom/1",
           "random/0", "rand_bytes/1", "mac/1", "default_mac/0", "timer/0", "b64/1",
           "split/2", "split_binary/2"]

SOURCE = f"""-module(ncharges).
-export([{", ".join(EXPORTS)}]).
fun_info(F, Item) -> erlang:fun_info(F, Item).
hash(T, Range) -> erlang:phash2(T, Range).
module_info1() -> erlang:get_module_info(ncharges).
module_item(Item) -> erlang:get_module_info(ncharges, Item).
info(Key) -> erlang:system_info(Key).
iterator(M) -> maps:iterator(M).
next(I) -> maps:next(I).
os_type() -> os:type().
getpid() -> os:getpid().
bom(B) -> unicode:bom_to_encoding(B).
enc_bom(E) -> unicode:encoding_to_bom(E).
random() -> atomvm:random().
rand_bytes(N) -> atomvm:rand_bytes(N).
mac(Interface) -> esp:get_mac(Interface).
default_mac() -> esp:get_default_mac().
timer() -> esp:timer_get_time().
b64(Data) -> base64:encode(Data).
split(B, P) -> binary:split(B, P).
split_binary(B, N) -> erlang:split_binary(B, N).
"""

NO_GC = 100_000
LAYOUTS = pytest.mark.parametrize("word_size", [4, 8])


@pytest.fixture(scope="module")
def beam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_erl(tmp_path_factory.mktemp("ncharges"), "ncharges", SOURCE)


def run(beam: Path, function: str, args: list, word_size: int, esp32: bool = False,
        now_us: int = 0) -> tuple[object, int]:
    """``ncharges:function(args)`` on a heap that never collects: its result and the words
    charged. ``esp32`` gives the VM an ESP32's platform and MAC (for the ``esp`` NIFs);
    ``now_us`` sets the time since boot that ``esp:timer_get_time/0`` reads."""
    vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=word_size,
            platform="esp32" if esp32 else "generic_unix")
    if esp32:
        vm.devices = SimpleNamespace(mac=bytes.fromhex("240ac4000001"))
    if now_us:
        vm.monotonic_ns = lambda: now_us * 1000
    name = vm.add_beam(beam.read_bytes(), str(beam))
    proc = vm.spawn(name, atom(function), args)
    proc.hsize = proc.min_heap = NO_GC
    proc.hu = proc.gcs = 0                       # what copying the arguments took
    value = vm.run(proc)
    assert proc.gcs == 0
    return value, proc.hu


@LAYOUTS
def test_fun_info_builds_its_two_tuple(beam: Path, word_size: int) -> None:
    # nifs.c nif_erlang_fun_info_2: TUPLE_SIZE(2) = 3 words, the value is an immediate
    fun = ExtFun(atom("lists"), atom("reverse"), 1)
    value, words = run(beam, "fun_info", [fun, atom("arity")], word_size)
    assert value == (atom("arity"), 1) and words == 3


@pytest.mark.parametrize("word_size, words", [(4, 3), (8, 0)])
def test_phash2_charges_its_boxed_result(beam: Path, word_size: int, words: int) -> None:
    """A hash in [0, 2^32) passing 2^31 - 1: an int64 on 32-bit boards (header + 2 words),
    a small integer on 64-bit."""
    term = next(t for t in range(100) if phash2(t, 1 << 32) >= 1 << 31)
    value, charged = run(beam, "hash", [term, 1 << 32], word_size)
    assert value == phash2(term, 1 << 32) and charged == words


@LAYOUTS
def test_get_module_info_builds_the_exports_list(beam: Path, word_size: int) -> None:
    exports = len(EXPORTS) + 2                   # and module_info/0,1, added by the compiler
    value, words = run(beam, "module_item", [atom("exports")], word_size)
    assert words == exports * (2 + 3)            # a cell and an {F, A} tuple per export
    value, words = run(beam, "module_info1", [], word_size)
    assert words == exports * 5 + 4 * (3 + 2)    # and 4 {Key, Value} tuples with their cells
    value, words = run(beam, "module_item", [atom("module")], word_size)
    assert value is atom("ncharges") and words == 0


@pytest.mark.parametrize("word_size, version_words", [(4, 2 + 3), (8, 2 + 2)])
def test_system_info_charges_strings_and_binaries(beam: Path, word_size: int,
                                                  version_words: int) -> None:
    value, words = run(beam, "info", [atom("machine")], word_size)
    assert exact_eq(value, from_list([ord(c) for c in "ATOM"])) and words == 2 * 4
    value, words = run(beam, "info", [atom("atomvm_version")], word_size)
    assert len(value) == 9 and words == version_words    # "0.8.0-dev": a 9-byte heap binary
    value, words = run(beam, "info", [atom("wordsize")], word_size)
    assert value == word_size and words == 0


@LAYOUTS
def test_map_iteration_charges_iterator_and_step(beam: Path, word_size: int) -> None:
    m = Map({map_key(atom("a")): (atom("a"), 1)})
    value, words = run(beam, "iterator", [m], word_size)
    assert words == 2                            # [0 | Map]: one cell
    value, words = run(beam, "next", [Cons(0, m)], word_size)
    assert value[:2] == (atom("a"), 1) and words == 4 + 2   # nifs.c nif_maps_next: 6
    value, words = run(beam, "next", [Cons(1, m)], word_size)
    assert value is atom("none") and words == 0


@LAYOUTS
def test_os_type_and_getpid(beam: Path, word_size: int) -> None:
    assert run(beam, "os_type", [], word_size)[1] == 3
    assert run(beam, "getpid", [], word_size)[1] == 2     # "1": one cell


@LAYOUTS
def test_unicode_bom_natives(beam: Path, word_size: int) -> None:
    value, words = run(beam, "bom", [b"\xef\xbb\xbfx"], word_size)
    assert value == (atom("utf8"), 3) and words == 3
    value, words = run(beam, "bom", [b"\xfe\xff"], word_size)
    assert value == ((atom("utf16"), atom("big")), 2) and words == 3 + 3
    value, words = run(beam, "enc_bom", [atom("utf8")], word_size)
    assert value == b"\xef\xbb\xbf" and words == 2 + 1


@LAYOUTS
def test_atomvm_random_is_always_boxed(beam: Path, word_size: int) -> None:
    # esp32 platform_nifs.c nif_esp_random: term_make_boxed_int after BOXED_INT_SIZE
    assert run(beam, "random", [], word_size)[1] == 2


@pytest.mark.parametrize("word_size, words", [(4, 2 + 3), (8, 2 + 2)])
def test_rand_bytes_builds_a_binary(beam: Path, word_size: int, words: int) -> None:
    value, charged = run(beam, "rand_bytes", [10], word_size)
    assert len(value) == 10 and charged == words


@pytest.mark.parametrize("word_size, mac_words", [(4, 2 + 2), (8, 2 + 1)])
def test_esp_mac_natives(beam: Path, word_size: int, mac_words: int) -> None:
    value, words = run(beam, "mac", [atom("wifi_sta")], word_size, esp32=True)
    assert value == bytes.fromhex("240ac4000001") and words == mac_words
    value, words = run(beam, "default_mac", [], word_size, esp32=True)
    assert value[0] is atom("ok") and words == 3 + mac_words


@pytest.mark.parametrize("word_size, words", [(4, 3), (8, 0)])
def test_esp_timer_get_time_boxes_a_large_time(beam: Path, word_size: int,
                                               words: int) -> None:
    # 10^12 µs (11.6 days) is an int64 on 32-bit, small on 64-bit
    value, charged = run(beam, "timer", [], word_size, esp32=True, now_us=10 ** 12)
    assert value == 10 ** 12 and charged == words
    assert run(beam, "timer", [], word_size, esp32=True, now_us=5)[1] == 0


@LAYOUTS
def test_base64_hands_an_empty_binary_back(beam: Path, word_size: int) -> None:
    # nifs.c base64_encode returns an empty binary argument as it is; [] builds <<>>
    assert run(beam, "b64", [b""], word_size) == (b"", 0)
    assert run(beam, "b64", [NIL], word_size) == (b"", 2)
    assert run(beam, "b64", [b"abc"], word_size)[1] == (2 + 1)


@LAYOUTS
def test_split_parts_stay_sub_binaries(beam: Path, word_size: int) -> None:
    """A 100-byte binary is refc on both layouts: parts of 16 bytes and more are 4-word
    sub-binaries (term.h ``term_sub_binary_heap_size``)."""
    data = b"a" * 50 + b"|" + b"b" * 49
    value, words = run(beam, "split", [data, b"|"], word_size)
    assert len(value.hd) == 50 and words == 2 * 2 + 4 + 4
    value, words = run(beam, "split_binary", [data, 50], word_size)
    assert value == (b"a" * 50, data[50:]) and words == 3 + 4 + 4
    # no match: [Bin], one cell around the argument itself
    value, words = run(beam, "split", [data, b"#"], word_size)
    assert value.hd is data and words == 2
