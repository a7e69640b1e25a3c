"""Compare our data structure and calendar modules (libs/queue.erl,
sets, dict, gb_trees, gb_sets, ordsets, orddict, calendar) with OTP 25.

As in tests/test_stdlib_vs_otp.py the modules are compiled under the host
OTP with renamed module names (queue -> avm_queue, ...), calls between
our library modules renamed too, while calls to avmsim natives
(lists:reverse/2, maps:from_keys/2, ...) keep pointing at OTP.  One `erl`
run (with TZ=UTC, since local time is UTC on the device) evaluates every
case of tests/datastructs/cases.py with OTP's modules and with ours and
compares the values, their ~p forms, or the exception class and reason
(tests/datastructs/ds_harness.erl); each case is a pytest item.  A
random-sequence fuzzer (tests/datastructs/ds_fuzz.erl) then checks
thousands of operation sequences step by step.
"""
import os
import re
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LIBS = os.path.join(ROOT, "libs")
DS = os.path.join(HERE, "datastructs")
sys.path.insert(0, HERE)

from datastructs.cases import CASES  # noqa: E402
from test_stdlib_vs_otp import NATIVES, NATIVE_ARITIES  # noqa: E402
from conformance import avmsim_io_lib_dir  # noqa: E402

NEW = ["queue", "sets", "dict", "gb_trees", "gb_sets", "ordsets", "orddict", "calendar"]
# Library modules our new modules may call (compiled renamed as well).
SUPPORT = ["lists", "maps", "proplists", "string"]
RENAMED = NEW + SUPPORT
# Remote calls allowed besides natives and our own modules.
ALLOWED_EXTERNAL = {("math", "log", 1)}


def have_erl():
    return shutil.which("erl") and shutil.which("erlc")


pytestmark = pytest.mark.skipif(not have_erl(), reason="host erl/erlc not installed")


# maps:iterator/1 goes with the native maps:next/1 (their iterator format
# must match), so it stays on OTP too.
KEEP = dict(NATIVES, maps=set(NATIVES["maps"]) | {"iterator"})


def rename_source(src):
    def repl(m):
        mod, fun = m.group(1), m.group(2)
        if fun in KEEP.get(mod, ()):
            return m.group(0)
        return "avm_%s:%s" % (mod, fun)

    src = re.sub(r"^-module\((\w+)\)\.", lambda m: "-module(avm_%s)." % m.group(1), src,
                 flags=re.M)
    return re.sub(r"\b(%s):(\w+)\b" % "|".join(RENAMED), repl, src)


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("datastructs_vs_otp")
    src_dir = tmp / "src"
    plain = tmp / "plain"
    src_dir.mkdir()
    plain.mkdir()
    files = []
    for m in RENAMED:
        with open(os.path.join(LIBS, m + ".erl"), encoding="utf-8") as f:
            text = rename_source(f.read())
        p = src_dir / ("avm_%s.erl" % m)
        p.write_text(text, encoding="utf-8")
        files.append(str(p))
    files += [os.path.join(DS, "ds_harness.erl"), os.path.join(DS, "ds_fuzz.erl")]
    r = subprocess.run(["erlc", "-o", str(tmp)] + files, capture_output=True, text=True)
    assert r.returncode == 0, "compiling renamed modules failed:\n" + r.stdout + r.stderr
    r = subprocess.run(["erlc", "-Wall", "-o", str(plain)] +
                       [os.path.join(LIBS, m + ".erl") for m in RENAMED],
                       capture_output=True, text=True)
    assert r.returncode == 0, "compiling libs failed:\n" + r.stdout + r.stderr
    return tmp, plain, r.stdout + r.stderr


def erl_env():
    env = dict(os.environ)
    env["TZ"] = "UTC"
    return env


@pytest.fixture(scope="session")
def results(build):
    tmp = build[0]
    cases_file = tmp / "cases.txt"
    out_file = tmp / "results.txt"
    with open(cases_file, "w", encoding="utf-8") as f:
        for i, expr in enumerate(CASES):
            assert "\t" not in expr and "\n" not in expr
            f.write("%d\t%s\n" % (i, expr))
    r = subprocess.run(["erl", "-noshell", "-pa", str(tmp), "-run", "ds_harness", "main",
                        str(cases_file), str(out_file)],
                       capture_output=True, text=True, timeout=900, env=erl_env())
    assert r.returncode == 0 and out_file.exists(), "harness failed:\n" + r.stdout + r.stderr
    res = {}
    with open(out_file, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            res[int(parts[0])] = parts[1:]
    return res


def test_compiles_without_warnings(build):
    new_warnings = [l for l in build[2].splitlines()
                    if any(os.path.basename(l).startswith(m + ".erl:") for m in NEW)]
    assert not new_warnings, "erlc -Wall warnings:\n" + "\n".join(new_warnings)


def test_only_known_calls(build):
    """Our modules may only call erlang, avmsim natives, exported
    functions of the library modules, and math:log/1."""
    plain = build[1]
    script = (
        "Ms = [%s], "
        "lists:foreach(fun(M) -> "
        "  {ok, {_, [{exports, E}, {imports, I}]}} = "
        "    beam_lib:chunks(filename:join(\"%s\", atom_to_list(M)), [exports, imports]), "
        "  io:format(\"~p.~n\", [{M, E, I}]) end, Ms), halt()."
    ) % (",".join(RENAMED), plain)
    r = subprocess.run(["erl", "-noshell", "-eval", script], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    exports, imports = {}, {}
    for block in re.finditer(r"\{(\w+),\s*\[(.*?)\],\s*\[(.*?)\]\}\.", r.stdout, re.S):
        mod = block.group(1)
        exports[mod] = set(re.findall(r"\{(\w+),(\d+)\}", block.group(2)))
        imports[mod] = set(re.findall(r"\{(\w+),(\w+),(\d+)\}", block.group(3)))
    assert set(exports) == set(RENAMED)
    problems = []
    for mod in NEW:
        for (m, f, a) in imports[mod]:
            a = int(a)
            if m == "erlang":
                continue
            if m in NATIVE_ARITIES and (f, a) in NATIVE_ARITIES[m]:
                continue
            if (m, f, a) in ALLOWED_EXTERNAL:
                continue
            if m in exports and (f, str(a)) in exports[m]:
                continue
            problems.append("%s calls unknown %s:%s/%d" % (mod, m, f, a))
        if ("on_load", "0") in exports[mod]:
            problems.append("%s has on_load" % mod)
    assert not problems, "\n".join(problems)


def test_exports_match_otp25(build):
    """Every function OTP 25 exports from these modules is exported by ours
    (sets additionally has filtermap/2, is_equal/2 and map/2 from OTP 27)."""
    plain = build[1]
    script = (
        "lists:foreach(fun(M) -> "
        "  {ok, {_, [{exports, E}]}} = beam_lib:chunks(filename:join(\"%s\", atom_to_list(M)), [exports]), "
        "  Otp = M:module_info(exports), "
        "  io:format(\"~p.~n\", [{M, Otp -- E, E -- Otp}]) end, [%s]), halt()."
    ) % (plain, ",".join(NEW))
    r = subprocess.run(["erl", "-noshell", "-eval", script], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    missing = re.findall(r"\{(\w+),\s*(\[.*?\]),\s*(\[.*?\])\}\.", r.stdout, re.S)
    assert len(missing) == len(NEW), r.stdout
    bad = []
    for mod, lacking, extra in missing:
        if lacking.strip() != "[]":
            bad.append("%s lacks %s" % (mod, lacking))
        allowed_extra = "[{filtermap,2},{is_equal,2},{map,2}]" if mod == "sets" else "[]"
        if re.sub(r"\s", "", extra) != allowed_extra:
            bad.append("%s has extra exports %s" % (mod, extra))
    assert not bad, "\n".join(bad)


def case_module(expr):
    m = re.search(r"\b(%s):" % "|".join(NEW), expr)
    return m.group(1) if m else "misc"


@pytest.mark.parametrize("idx", range(len(CASES)),
                         ids=["%s-%d" % (case_module(e), i) for i, e in enumerate(CASES)])
def test_case(results, idx):
    expr = CASES[idx]
    assert idx in results, "no result for case %d: %s" % (idx, expr)
    r = results[idx]
    if r[0] == "ok":
        return
    if r[0] == "diff":
        pytest.fail("%s\n  OTP:  %s\n  ours: %s" % (expr, r[1][:3000], r[2][:3000]))
    pytest.fail("%s: harness error %s" % (expr, r[1:]))


@pytest.mark.parametrize("what", ["queue", "sets", "dict", "gb_trees", "gb_sets",
                                  "ordsets", "orddict", "calendar"])
def test_random_sequences_vs_otp(build, what):
    """Thousands of random operation sequences (fixed seed), comparing the
    results and the full data structure after every step."""
    tmp = build[0]
    r = subprocess.run(["erl", "-noshell", "-pa", str(tmp), "-run", "ds_fuzz", "main", what, "400"],
                       capture_output=True, text=True, timeout=900, env=erl_env())
    assert r.stdout.strip() == "ok", r.stdout[-5000:] + r.stderr[-3000:]


def test_sets_filtermap(build):
    """sets:filtermap/2 is not in OTP 25; check it against its OTP 27
    definition (fold adding into a new set of the same version)."""
    tmp = build[0]
    script = (
        "F = fun(X) when X rem 3 =:= 0 -> {true, X * 10}; (X) -> X rem 2 =:= 0 end, "
        "Res = [begin S = avm_sets:from_list(L, [{version, V}]), "
        "  Exp = case V of 1 -> lists:foldl(fun(E, A) -> avm_sets:add_element(E, A) end, avm_sets:new(), "
        "                     lists:filtermap(F, lists:reverse(avm_sets:to_list(S)))); "
        "                2 -> maps:from_keys(lists:filtermap(F, sets:to_list(S)), []) end, "
        "  avm_sets:filtermap(F, S) =:= Exp end "
        "  || V <- [1, 2], L <- [[], [1, 2, 3], lists:seq(1, 300)]], "
        "Err = (catch avm_sets:filtermap(x, avm_sets:new())), "
        "io:format(\"~p~n\", [{Res, element(1, Err)}]), halt()."
    )
    r = subprocess.run(["erl", "-noshell", "-pa", str(tmp), "-eval", script],
                       capture_output=True, text=True)
    assert r.stdout.strip() == "{[true,true,true,true,true,true],'EXIT'}", r.stdout + r.stderr


def test_same_output_on_avmsim(tmp_path):
    """tests/datastructs/ds_on_avmsim.erl prints queues, sets, dicts, trees
    and calendar results: with our modules on avmsim, the output is the
    same as with OTP's modules on OTP, where terms are formatted by avmsim's
    io_lib too (AtomVM's ~p, conformance.avmsim_io_lib_dir)."""
    from helpers import avmsim
    src = os.path.join(DS, "ds_on_avmsim.erl")
    otp_dir = tmp_path / "otp"
    otp_dir.mkdir()
    subprocess.run(["erlc", "-o", str(otp_dir), src], check=True, capture_output=True)
    expected = subprocess.run(["erl", "-noshell", "-nostick", "-pa", str(avmsim_io_lib_dir()),
                               "-pa", str(otp_dir), "-eval",
                               "ds_on_avmsim:start(), halt()."],
                              capture_output=True, text=True, env=erl_env(), check=True).stdout
    subprocess.run(["erlc", "-o", str(tmp_path), src] + [os.path.join(LIBS, m + ".erl") for m in NEW],
                   check=True, capture_output=True)
    beams = [str(tmp_path / "ds_on_avmsim.beam")] + [str(tmp_path / (m + ".beam")) for m in NEW]
    r = avmsim("--board", "generic-unix", "--lib-extras", *beams, timeout=600)   # OTP API
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout == expected
