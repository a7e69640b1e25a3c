"""Compare our Erlang standard library modules (libs/*.erl) with OTP.

The modules are compiled under the host OTP with their names rewritten
(lists -> avm_lists, ...).  Calls between our modules are rewritten too,
while calls to functions that are natives on avmsim (lists:reverse/1,
maps:get/2, ...) keep pointing at OTP, which provides them.  One `erl`
run evaluates every case of tests/stdlib/cases_*.py with both OTP's
module and ours (tests/stdlib/stdlib_harness.erl); each case is then a
separate pytest item.
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
sys.path.insert(0, HERE)

from stdlib import cases_lists, cases_maps, cases_proplists, cases_string  # noqa: E402

MODULES = ["lists", "maps", "proplists", "string", "erlang"]
RENAMED = ["lists", "maps", "proplists", "string"]

# Functions the VM implements natively: never defined in libs/, calls to
# them stay on OTP's module when testing.
NATIVES = {
    "lists": {"reverse", "keyfind", "keymember", "member", "flatten"},
    "maps": {"get", "find", "put", "remove", "update", "is_key", "keys", "values",
             "to_list", "from_list", "merge", "take", "next", "from_keys"},
}
NATIVE_ARITIES = {
    "lists": {("reverse", 1), ("reverse", 2), ("keyfind", 3), ("keymember", 3),
              ("member", 2), ("flatten", 1)},
    "maps": {("get", 2), ("find", 2), ("put", 3), ("remove", 2), ("update", 3),
             ("is_key", 2), ("keys", 1), ("values", 1), ("to_list", 1),
             ("from_list", 1), ("merge", 2), ("take", 2), ("next", 1), ("from_keys", 2)},
}
# Other modules our libs may call (natives of the VM).
ALLOWED_EXTERNAL = {
    ("unicode", "characters_to_list", 1), ("unicode", "characters_to_binary", 1),
    # erlang's cookie functions and md5/1 delegate as AtomVM's estdlib does
    ("net_kernel", "get_cookie", 0), ("net_kernel", "get_cookie", 1),
    ("net_kernel", "set_cookie", 1), ("net_kernel", "set_cookie", 2), ("crypto", "hash", 2),
}

ALL_CASES = []
for mod in (cases_lists, cases_maps, cases_proplists, cases_string):
    for c in mod.CASES:
        mode, expr = ("exact", c) if isinstance(c, str) else c
        ALL_CASES.append((mode, expr))


def have_erl():
    return shutil.which("erl") and shutil.which("erlc")


pytestmark = pytest.mark.skipif(not have_erl(), reason="host erl/erlc not installed")


def rename_source(src):
    def repl(m):
        mod, fun = m.group(1), m.group(2)
        if fun in NATIVES.get(mod, ()):
            return m.group(0)
        return "avm_%s:%s" % (mod, fun)

    src = re.sub(r"^-module\((\w+)\)\.", lambda m: "-module(avm_%s)." % m.group(1), src,
                 flags=re.M)
    return re.sub(r"\b(lists|maps|string|proplists):(\w+)\b", repl, src)


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stdlib_vs_otp")
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
    files.append(os.path.join(HERE, "stdlib", "stdlib_harness.erl"))
    r = subprocess.run(["erlc", "-o", str(tmp)] + files, capture_output=True, text=True)
    assert r.returncode == 0, "compiling renamed modules failed:\n" + r.stdout + r.stderr
    # The real-named modules too (for the static checks), in another dir.
    r = subprocess.run(["erlc", "-Wall", "-o", str(plain)] +
                       [os.path.join(LIBS, m + ".erl") for m in MODULES],
                       capture_output=True, text=True)
    assert r.returncode == 0, "compiling libs failed:\n" + r.stdout + r.stderr
    return tmp, plain, r.stdout + r.stderr


@pytest.fixture(scope="session")
def results(build):
    tmp = build[0]
    cases_file = tmp / "cases.txt"
    out_file = tmp / "results.txt"
    with open(cases_file, "w", encoding="utf-8") as f:
        for i, (mode, expr) in enumerate(ALL_CASES):
            assert "\t" not in expr and "\n" not in expr
            f.write("%d\t%s\t%s\n" % (i, mode, expr))
    r = subprocess.run(["erl", "-noshell", "-pa", str(tmp), "-run", "stdlib_harness", "main",
                        str(cases_file), str(out_file)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0 and out_file.exists(), "harness failed:\n" + r.stdout + r.stderr
    res = {}
    with open(out_file, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            res[int(parts[0])] = parts[1:]
    return res


def test_compiles_without_warnings(build):
    assert build[2].strip() == "", "erlc -Wall warnings:\n" + build[2]


def test_no_natives_defined_and_only_known_calls(build):
    """Natives must not be defined in libs/, and remote calls must go to
    our own modules, to natives, or to erlang."""
    plain = build[1]
    script = (
        "Ms = [%s], "
        "lists:foreach(fun(M) -> "
        "  {ok, {_, [{exports, E}, {imports, I}]}} = "
        "    beam_lib:chunks(filename:join(\"%s\", atom_to_list(M)), [exports, imports]), "
        "  io:format(\"~p.~n\", [{M, E, I}]) end, Ms), halt()."
    ) % (",".join(MODULES), plain)
    r = subprocess.run(["erl", "-noshell", "-eval", script], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    exports = {}
    imports = {}
    text = r.stdout
    for block in re.finditer(r"\{(\w+),\s*\[(.*?)\],\s*\[(.*?)\]\}\.", text, re.S):
        mod = block.group(1)
        exports[mod] = set(re.findall(r"\{(\w+),(\d+)\}", block.group(2)))
        imports[mod] = set(re.findall(r"\{(\w+),(\w+),(\d+)\}", block.group(3)))
    assert set(exports) == set(MODULES)
    problems = []
    for mod, natives in NATIVE_ARITIES.items():
        for (f, a) in natives:
            if (f, str(a)) in exports[mod]:
                problems.append("%s:%s/%d is a native and must not be defined" % (mod, f, a))
    if ("apply", "2") in exports["erlang"]:
        problems.append("erlang:apply/2 must not be defined in erlang.erl")
    for mod, imps in imports.items():
        for (m, f, a) in imps:
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
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("idx", range(len(ALL_CASES)),
                         ids=["%s-%d" % (e.split(":")[0], i) for i, (_, e) in enumerate(ALL_CASES)])
def test_case(results, idx):
    mode, expr = ALL_CASES[idx]
    assert idx in results, "no result for case %d: %s" % (idx, expr)
    r = results[idx]
    if r[0] == "ok":
        return
    if r[0] == "diff":
        pytest.fail("%s  [mode %s]\n  OTP:  %s\n  ours: %s" % (expr, mode, r[1], r[2]))
    pytest.fail("%s: harness error %s" % (expr, r[1:]))


def test_sort_fuzz_vs_otp(build):
    """Thousands of random lists of mixed 1/1.0 style numbers through the
    sorts and merges (tests/stdlib/sort_fuzz.erl)."""
    tmp = build[0]
    r = subprocess.run(["erlc", "-o", str(tmp), os.path.join(HERE, "stdlib", "sort_fuzz.erl")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run(["erl", "-noshell", "-pa", str(tmp), "-run", "sort_fuzz", "main", "3000"],
                       capture_output=True, text=True, timeout=600)
    assert r.stdout.strip() == "ok", r.stdout + r.stderr
