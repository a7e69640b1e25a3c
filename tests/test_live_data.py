"""What a collection keeps: the live-data measure of vm/heap.py against AtomVM's copying GC.

AtomVM's collector (memory.c ``memory_gc``) copies each live term once, leaving a forwarding
pointer behind, so a term reached twice stays shared: the words it keeps are those of the
live terms as a graph (each boxed term once). Messages, spawn arguments and literals are
copied as trees (``memory_copy_term_tree``): sharing inside them is not kept.

The oracle below measures a graph of terms independently of vm/heap.py: every boxed term
reachable from the roots once, by identity, with facts §5's sizes; numbers at each
reference (avmsim does not keep the identity of numbers). For terms no earlier GC measured,
``heap._walk`` must give the same figure; ``tests/erlang`` programs then check the boundaries
(a message duplicates what the sender shared).
"""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import compile_erl

from avmsim.clock import VirtualClock
from avmsim.vm import heap
from avmsim.vm.term_copy import copy_term
from avmsim.vm.term_size import LAYOUT_32, LAYOUT_64, WordLayout, binary_words, int_words, term_words
from avmsim.vm.term_order import exact_eq
from avmsim.vm.terms import NIL, Cons, Fun, Map, atom, from_list
from avmsim.vm.vm import VM

LAYOUTS = [LAYOUT_32, LAYOUT_64]


def oracle(roots: list[Any], layout: WordLayout) -> int:
    """Words of the terms reachable from ``roots``, each boxed term counted once."""
    seen: set[int] = set()
    total = 0
    todo = list(roots)
    while todo:
        t = todo.pop()
        if isinstance(t, bool) or t is NIL or t.__class__.__name__ in ("Atom", "Pid", "Port"):
            continue
        if isinstance(t, int):
            small = layout.small_min <= t <= layout.small_max
            total += 0 if small else int_words(t, layout)
            continue
        if isinstance(t, float):
            total += layout.float_words
            continue
        if id(t) in seen:
            continue
        seen.add(id(t))
        if isinstance(t, Cons):
            total += 2
            todo += [t.hd, t.tl]
        elif isinstance(t, tuple):
            total += len(t) + 1
            todo += list(t)
        elif isinstance(t, bytes):
            total += binary_words(len(t), layout)
        elif isinstance(t, Map):
            total += 3 + 2 * len(t)
            for k, v in t.d.values():
                todo += [k, v]
        elif isinstance(t, Fun):
            total += 3 + len(t.free)
            todo += list(t.free)
        else:
            raise AssertionError(f"oracle has no size for {t!r}")
    return total


@pytest.fixture(autouse=True)
def fresh_tuple_sizes() -> None:
    """Each test measures terms no earlier walk cached (Python folds constant tuples into
    one object, and the cache is per object, not per word size)."""
    heap._TUPLE_SIZES.clear()


def shared_cases() -> dict[str, list[Any]]:
    """Fresh terms (never measured) with sharing in every place a term can be shared."""
    x = tuple(range(1, 4))
    tail = from_list([10, 20, 30])
    return {
        "tuple holding one tuple twice": [(x, x)],
        "list holding one tuple twice": [from_list([x, x, x])],
        "list whose head is its own tail": [Cons(tail, tail)],
        "two roots, one the other's tail": [Cons(5, tail), tail],
        "the tail root first": [tail, Cons(5, tail)],
        "a root inside a list": [from_list([x, 1]), x],
        "map values shared": [Map.from_pairs([(atom("a"), x), (atom("b"), x)])],
        "binary twice": [(b"abcdef", b"abcdef"[0:6])],
        "improper list": [Cons(x, Cons(x, x))],
        "numbers at each reference": [tuple([2 ** 62, 2 ** 62, 1.5, 1.5])],
    }


def random_shared_term(rng: random.Random, pool: list[Any], depth: int) -> Any:
    """A term built from fresh parts and parts of ``pool`` (terms already built, shared)."""
    if depth == 0 or rng.random() < 0.2:
        return rng.choice([rng.randint(-5, 5), 2 ** 50, 0.5, atom("a"), NIL,
                           rng.choice(pool) if pool else 7])
    kind = rng.randrange(3)
    parts = [random_shared_term(rng, pool, depth - 1) for _ in range(rng.randint(0, 4))]
    if kind == 0:
        term = tuple(parts)
    elif kind == 1:
        term = from_list(parts)
    else:
        term = Map.from_pairs((i, p) for i, p in enumerate(parts))
    pool.append(term)
    return term


@pytest.mark.parametrize("layout", LAYOUTS, ids=["32-bit", "64-bit"])
@pytest.mark.parametrize("case", list(shared_cases()))
def test_sharing_is_counted_once(case: str, layout: WordLayout) -> None:
    roots = shared_cases()[case]
    assert heap._walk(list(roots), layout, {}) == oracle(roots, layout)


@pytest.mark.parametrize("seed", range(40))
def test_random_graphs_measure_as_the_oracle(seed: int) -> None:
    rng = random.Random(seed)
    pool: list[Any] = []
    roots = [random_shared_term(rng, pool, 5) for _ in range(3)]
    for layout in LAYOUTS:
        assert heap._walk(list(roots), layout, {}) == oracle(roots, layout)
        for term in pool:   # forget what this walk cached: the next layout starts fresh
            t = term
            while t.__class__ is Cons:
                t.w, t = None, t.tl
        heap._TUPLE_SIZES.clear()


def test_measured_lists_cache_their_size_as_a_tree() -> None:
    """A GC leaves each measured cell with the size of its suffix as a tree: the next GC
    counts that figure without walking it (docs/memory-model.md, "Sharing")."""
    x = tuple([1, 2])
    lst = from_list([x, x, 5])
    assert heap._walk([lst], LAYOUT_64, {}) == 6 + 3
    assert lst.w == term_words(lst, LAYOUT_64) == 6 + 3 + 3
    longer = Cons(0, lst)
    assert heap._walk([longer], LAYOUT_64, {}) == 2 + lst.w


def test_deep_terms_do_not_recurse() -> None:
    nested = NIL
    for _ in range(200_000):
        nested = Cons(nested, NIL)
    deep_tuple: Any = ()
    for i in range(200_000):
        deep_tuple = (deep_tuple, i)
    assert heap._walk([nested], LAYOUT_32, {}) == 400_000
    assert heap._walk([deep_tuple], LAYOUT_32, {}) == 3 * 200_000 + 1


def test_a_copy_shares_nothing_with_its_original() -> None:
    x = tuple([1, from_list([2, 3])])
    original = (x, x, Map.from_pairs([(atom("k"), x)]), Fun(None, 0, 0, (x,)), b"bin")
    copy = copy_term(original)
    assert copy[0] is not x and copy[0] is not copy[1] and exact_eq(copy[0], x)
    assert copy[3].free[0] is not x and copy[2].get(atom("k")) is not x
    assert copy[4] is original[4]   # binaries keep their identity (refc counting)
    assert oracle([copy], LAYOUT_64) == term_words(original, LAYOUT_64)
    assert oracle([original], LAYOUT_64) < term_words(original, LAYOUT_64)


SOURCE = """-module(live).
-export([shared/1, copied/1, tail_shared/1, sub/1, same_literal/1, literal_bins/1,
         compared/1, equal/1]).
compared(X) -> case X of {a, "bc"} -> same; _ -> other end.
equal(X) -> X =:= {a, "bc"}.
same_literal(N) -> L = lit(N, []), erlang:garbage_collect(), L.
lit(0, Acc) -> Acc;
lit(N, Acc) -> lit(N - 1, [{a, "bc"} | Acc]).
literal_bins(N) -> L = bins(N, []), erlang:garbage_collect(), L.
bins(0, Acc) -> Acc;
bins(N, Acc) -> bins(N - 1, [<<"const">> | Acc]).
sub(B) -> <<_:10/binary, R:40/binary, _/binary>> = B, erlang:garbage_collect(), R.
shared(N) -> X = seq(N, []), T = {X, X}, erlang:garbage_collect(), T.
copied(N) -> X = seq(N, []), self() ! {X, X}, receive T -> erlang:garbage_collect(), T end.
tail_shared(N) -> X = seq(N, []), T = {[0 | X], X}, erlang:garbage_collect(), T.
seq(0, Acc) -> Acc;
seq(N, Acc) -> seq(N - 1, [N | Acc]).
"""


@pytest.fixture(scope="module")
def beam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_erl(tmp_path_factory.mktemp("live"), "live", SOURCE)


def words_after_gc(beam: Path, function: str, n: int) -> int:
    """``hu`` when ``live:function(n)`` returns: its forced GC kept only the result (the
    frame that held it is gone), and nothing is built after it."""
    vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=8)
    name = vm.add_beam(beam.read_bytes(), str(beam))
    proc = vm.spawn(name, atom(function), [n])
    vm.run(proc)
    return proc.hu


@pytest.mark.parametrize("n", [10, 40])
def test_a_collection_keeps_sharing_a_message_copy_does_not(beam: Path, n: int) -> None:
    seq = 2 * n                                   # n cells of small integers
    assert words_after_gc(beam, "shared", n) == 3 + seq
    assert words_after_gc(beam, "tail_shared", n) == 3 + 2 + seq
    assert words_after_gc(beam, "copied", n) == 3 + 2 * seq


@pytest.mark.parametrize("n", [10, 40])
def test_each_use_of_a_literal_is_its_own_copy(beam: Path, n: int) -> None:
    """Every use decodes the literal anew (facts §2): n uses of {a, "bc"} kept in a list are
    n tuples of 3 words and n strings of 2 cells, not one shared; a literal binary is a
    6-word const refc binary at each use, whatever its size."""
    assert words_after_gc(beam, "same_literal", n) == n * (2 + 3 + 4)
    assert words_after_gc(beam, "literal_bins", n) == n * (2 + 6)


def test_a_live_sub_binary_keeps_its_refc_binary(beam: Path) -> None:
    """64-bit: a 40-byte slice of a 100-byte refc binary is a 4-word sub-binary (slices of
    refc binaries from 16 bytes); after the GC it is all that is live, and it keeps the
    6-word refc binary it points into (a copy would be a 2 + 5-word heap binary)."""
    vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=8)
    name = vm.add_beam(beam.read_bytes(), str(beam))
    source = bytes(range(100))
    proc = vm.spawn(name, atom("sub"), [source])
    assert vm.run(proc) == source[10:50]
    assert proc.hu == 4 + 6


def test_a_live_sub_binary_keeps_its_source_block(tmp_path: Path) -> None:
    """esp32-devkit: the 100-byte refc binary built by the process keeps its off-heap block
    (erlang:memory(binary)) while a 40-byte sub-binary of it lives, after the source itself
    is dead and collected; once the sub-binary is dropped too, the block goes."""
    source = """-module(subkeep).
-export([start/0]).
start() ->
    B = list_to_binary(lists:duplicate(100, $a)),
    <<_:10/binary, R:40/binary, _/binary>> = B,
    erlang:garbage_collect(),
    Held = erlang:memory(binary),
    io:format("~p ~p~n", [byte_size(R), Held]),
    erlang:garbage_collect(),
    io:format("~p~n", [erlang:memory(binary)]).
"""
    beam = compile_erl(tmp_path, "subkeep", source)
    out = subprocess.run([sys.executable, "-m", "avmsim.cli", "--board", "esp32-devkit",
                          str(beam)], capture_output=True, text=True, timeout=120)
    assert out.stdout.splitlines()[:2] == ["40 100", "0"], out.stderr


def test_a_compared_literal_is_charged_but_not_copied(beam: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Matching ``{a, "bc"}`` (``is_eq_exact`` with the literal) or ``X =:= {a, "bc"}``
    decodes the literal into a fragment as any use does (3 + 4 words on 64-bit), but nothing
    can keep it: the generated code compares the literal itself instead of building a copy
    only to drop it."""
    monkeypatch.setenv("AVMSIM_DUMP_CODE", str(tmp_path))   # the loader writes the code there
    vm = VM(lambda data: None, VirtualClock(240_000_000, 1), word_size=8)
    name = vm.add_beam(beam.read_bytes(), str(beam))
    proc = vm.spawn(name, atom("compared"), [(atom("a"), from_list([98, 99]))])
    assert vm.run(proc) is atom("same")
    assert proc.frag == 3 + 4
    proc = vm.spawn(name, atom("equal"), [(atom("a"), from_list([98, 99]))])
    assert vm.run(proc) is atom("true") and proc.frag == 3 + 4
    # of the module's three uses of {a, "bc"}, only same_literal's (kept in a list) copies
    code = (tmp_path / "live.py").read_text()
    copies = [line.strip() for line in code.splitlines() if "LITERAL_COPY" in line]
    assert len(copies) == 1 and copies[0].startswith("x[1] = Cons(LITERAL_COPY(")


def test_the_tuple_size_cache_forgets_garbage_and_keeps_live_tuples():
    """A long run must not grow the host: tuples that only the collector's size cache still
    holds are dropped when it outgrows its limit; tuples some process still holds stay."""
    from avmsim.vm import heap
    cache: dict = {}
    live = []
    for i in range(1000):
        t = tuple([i, "x" * (i % 7)])
        cache[id(t)] = (t, 3)
        if i % 4 == 0:
            live.append(t)
    del t
    heap._drop_dead_tuples(cache)
    assert sorted(entry[0][0] for entry in cache.values()) == list(range(0, 1000, 4))
