"""Compare our OTP behaviour and process libraries (libs/gen_server.erl,
supervisor, gen_statem, gen_event, proc_lib, sys, timer, application,
logger) with OTP 25's.

Every program tests/otp_behaviours/<name>.erl (except the runner) is a
self-contained module with start/0 that prints its results with
io:format.  It is written against the real module names (gen_server:call,
-behaviour(supervisor), ...), so it runs unchanged on avmsim.  On the host
it is run twice under `erl`:

  * as is, with OTP's modules;
  * rewritten so that calls to the library modules go to our renamed
    copies (gen_server:call -> avm_gen_server:call), compiled in another
    directory together with our libs, renamed the same way.

Both runs must print exactly the same standard output.  Error, crash and
supervisor reports go to standard error in both runs and are not
compared (only that our run printed some of the same kinds of report).
"""
import os
import re
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LIBS = os.path.join(ROOT, "libs")
PROGS = os.path.join(HERE, "otp_behaviours")
RUNNER = "otp_behaviours_runner"

# Our modules, renamed to avm_<name> on the host.
RENAMED = [m for m in ["gen", "gen_server", "gen_statem", "gen_event", "supervisor", "proc_lib",
                       "sys", "application", "timer", "logger"]
           if os.path.exists(os.path.join(LIBS, m + ".erl"))]
# Other library modules they may call (OTP's are used on the host).
ALLOWED_MODULES = {"ets", "erlang", "lists", "maps", "proplists", "string", "io", "io_lib",
                   "unicode"}

_CALL_RE = re.compile(r"(?<![\w'$])(%s):(?=[\w'])" % "|".join(RENAMED))
_BEHAVIOUR_RE = re.compile(r"^-(behaviour|behavior)\((%s)\)\." % "|".join(RENAMED), re.M)


def rename_source(src):
    src = re.sub(r"^-module\((%s)\)\." % "|".join(RENAMED),
                 lambda m: "-module(avm_%s)." % m.group(1), src, flags=re.M)
    src = _BEHAVIOUR_RE.sub(lambda m: "-%s(avm_%s)." % (m.group(1), m.group(2)), src)
    return _CALL_RE.sub(lambda m: "avm_%s:" % m.group(1), src)


def programs():
    return sorted(f[:-4] for f in os.listdir(PROGS)
                  if f.endswith(".erl") and f[:-4] != RUNNER)


def have_erl():
    return shutil.which("erl") and shutil.which("erlc")


pytestmark = pytest.mark.skipif(not have_erl(), reason="host erl/erlc not installed")


def _erlc(outdir, files):
    r = subprocess.run(["erlc", "-o", str(outdir)] + [str(f) for f in files],
                       capture_output=True, text=True)
    assert r.returncode == 0, "erlc failed:\n" + r.stdout + r.stderr
    return r.stdout + r.stderr


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("otp_behaviours")
    otp, ours, src = tmp / "otp", tmp / "ours", tmp / "src"
    for d in (otp, ours, src):
        d.mkdir()
    files = []
    for m in RENAMED:
        with open(os.path.join(LIBS, m + ".erl"), encoding="utf-8") as f:
            text = rename_source(f.read())
        p = src / ("avm_%s.erl" % m)
        p.write_text(text, encoding="utf-8")
        files.append(p)
    for name in programs():
        with open(os.path.join(PROGS, name + ".erl"), encoding="utf-8") as f:
            text = rename_source(f.read())
        p = src / (name + ".erl")
        p.write_text(text, encoding="utf-8")
        files.append(p)
    runner = os.path.join(PROGS, RUNNER + ".erl")
    _erlc(ours, files + [runner])
    _erlc(otp, [os.path.join(PROGS, n + ".erl") for n in programs()] + [runner])
    return otp, ours


def run_prog(ebin, name):
    r = subprocess.run(["erl", "-noshell", "-pa", str(ebin), "-run", RUNNER, "main", name],
                       capture_output=True, text=True, timeout=120)
    return r.stdout, r.stderr


def test_libs_compile_without_warnings(tmp_path):
    r = subprocess.run(["erlc", "-Wall", "-o", str(tmp_path)] +
                       [os.path.join(LIBS, m + ".erl") for m in RENAMED],
                       capture_output=True, text=True)
    assert r.returncode == 0 and (r.stdout + r.stderr).strip() == "", r.stdout + r.stderr


def test_libs_only_call_known_modules(tmp_path):
    """Our libs may only call each other and the modules avmsim provides."""
    _erlc(tmp_path, [os.path.join(LIBS, m + ".erl") for m in RENAMED])
    script = ("lists:foreach(fun(M) -> {ok, {_, [{imports, I}]}} = "
              "beam_lib:chunks(filename:join(\"%s\", atom_to_list(M)), [imports]), "
              "io:format(\"~p.~n\", [{M, I}]) end, [%s]), halt()."
              % (tmp_path, ",".join(RENAMED)))
    r = subprocess.run(["erl", "-noshell", "-eval", script], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    bad = set()
    for mod, imp in re.findall(r"\{(\w+),\s*\[(.*?)\]\}\.", r.stdout, re.S):
        for m, f, a in re.findall(r"\{(\w+),(\w+|'[^']*'),(\d+)\}", imp):
            if m not in ALLOWED_MODULES and m not in RENAMED:
                bad.add("%s calls %s:%s/%s" % (mod, m, f, a))
    assert not bad, "\n".join(sorted(bad))


REPORT_RE = re.compile(r"^=([A-Z ]+) REPORT==== \d+-\w{3}-\d{4}::\d\d:\d\d:\d\d\.\d{6} ===$",
                       re.M)


@pytest.mark.parametrize("name", programs())
def test_program_same_output(build, name):
    otp, ours = build
    out_otp, err_otp = run_prog(otp, name)
    out_ours, err_ours = run_prog(ours, name)
    assert "***" not in out_otp, "program fails under OTP:\n" + out_otp + err_otp
    assert out_otp.strip(), "no output under OTP"
    if out_ours != out_otp:
        import difflib
        diff = "\n".join(difflib.unified_diff(out_otp.splitlines(), out_ours.splitlines(),
                                              "otp", "ours", lineterm=""))
        pytest.fail("output differs:\n" + diff + "\n--- our stderr:\n" + err_ours[-3000:])
    # Reports: the kinds printed by OTP are printed by us too.
    kinds_otp = set(REPORT_RE.findall(err_otp)) - {"PROGRESS", "INFO"}
    kinds_ours = set(REPORT_RE.findall(err_ours))
    assert kinds_otp <= kinds_ours, (kinds_otp, kinds_ours, err_ours[-3000:])
