"""ETS (vm/nifs/ets_nifs.py and libs/ets.erl).

(a) Unit tests call the natives directly with a fake process context on a fake VM that has
    the process table, exit hooks and message delivery the ets natives use.
(b) The Erlang programs of ``tests/erlang_ets/`` run under the host OTP and under avmsim
    (with libs/ets.erl compiled next to them, for foldl/foldr); the outputs must be equal.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest

import conformance
from avmsim.vm.errors import ErlangError
from avmsim.vm.natives import NATIVES
from avmsim.vm.nifs import ets_nifs
from avmsim.vm.term_format import format_w
from avmsim.vm.terms import NIL, Pid, Ref, from_list, to_list

from test_nifs_common import A, FakeVM, L

TESTS_DIR = Path(__file__).resolve().parent
ETS_DIR = TESTS_DIR / "erlang_ets"
LIB_SOURCE = TESTS_DIR.parent / "libs" / "ets.erl"
true, false, undefined = A("true"), A("false"), A("undefined")
END = A("$end_of_table")


# ============================================================================ fakes

class FakeProc:
    """A process as the ets natives see it: a pid and a mailbox."""

    def __init__(self, vm: "EtsVM", pid_id: int) -> None:
        self.vm = vm
        self.pid = Pid(pid_id)
        self.pdict: dict = {}
        self.x = [None] * 16
        self.mailbox: list[Any] = []


class EtsVM(FakeVM):
    """FakeVM plus the process table, ``exit_hooks`` and ``deliver``."""

    def __init__(self) -> None:
        super().__init__()
        self.processes: dict[int, FakeProc] = {}
        self.exit_hooks: list = []

    def spawn(self) -> FakeProc:
        proc = FakeProc(self, 100 + len(self.processes))
        self.processes[proc.pid.id] = proc
        return proc

    def process(self, pid: Any) -> FakeProc | None:
        return self.processes.get(pid.id) if pid.__class__ is Pid else None

    def deliver(self, target: FakeProc, msg: Any) -> None:
        target.mailbox.append(msg)

    def kill(self, proc: FakeProc) -> None:
        """What VM.process_exited does for ets: forget the process, run the exit hooks."""
        del self.processes[proc.pid.id]
        for hook in self.exit_hooks:
            hook(proc)


@pytest.fixture
def vm() -> EtsVM:
    return EtsVM()


@pytest.fixture
def owner(vm: EtsVM) -> FakeProc:
    return vm.spawn()


@pytest.fixture
def other(vm: EtsVM) -> FakeProc:
    return vm.spawn()


def ets(ctx: Any, fun: str, *args: Any) -> Any:
    return NATIVES[("ets", fun, len(args))](ctx, *args)


def raises_badarg(ctx: Any, fun: str, *args: Any) -> bool:
    try:
        ets(ctx, fun, *args)
    except ErlangError as e:
        return e.reason is A("badarg")
    return False


def w(t: Any) -> str:
    return format_w(t)


def opts(*items: Any) -> Any:
    """An option list: strings become atoms, as do the first elements of tuples."""
    def conv(item: Any) -> Any:
        if isinstance(item, str):
            return A(item)
        if isinstance(item, tuple) and item and isinstance(item[0], str):
            return (A(item[0]),) + item[1:]
        return item
    return from_list([conv(i) for i in items])


# ============================================================================ (a) unit tests

def test_registration(vm: EtsVM, owner: FakeProc):
    for fun, arity in [("new", 2), ("insert", 2), ("insert_new", 2), ("lookup", 2),
                       ("lookup_element", 3), ("lookup_element", 4), ("member", 2),
                       ("delete", 1), ("delete", 2), ("delete_object", 2), ("take", 2),
                       ("update_counter", 3), ("update_counter", 4), ("update_element", 3),
                       ("tab2list", 1), ("first", 1), ("next", 2), ("last", 1), ("prev", 2),
                       ("info", 1), ("info", 2), ("whereis", 1), ("rename", 2),
                       ("delete_all_objects", 1), ("give_away", 3), ("all", 0)]:
        assert ("ets", fun, arity) in NATIVES


def test_registry_and_hook_created_once(vm: EtsVM, owner: FakeProc):
    assert not hasattr(vm, "ets_registry")
    t1 = ets(owner, "new", A("a"), NIL)
    t2 = ets(owner, "new", A("b"), opts("named_table"))
    assert isinstance(t1, Ref) and t2 is A("b")
    assert len(vm.exit_hooks) == 1
    assert isinstance(vm.ets_registry, ets_nifs.EtsRegistry)


def test_set_semantics(vm: EtsVM, owner: FakeProc):
    t = ets(owner, "new", A("s"), NIL)
    assert ets(owner, "insert", t, (1, A("int"))) is true
    assert ets(owner, "insert", t, (1.0, A("float"))) is true
    assert w(ets(owner, "lookup", t, 1)) == "[{1,int}]"
    assert w(ets(owner, "lookup", t, 1.0)) == "[{1.0,float}]"
    ets(owner, "insert", t, (1, A("again")))
    assert ets(owner, "info", t, A("size")) == 2
    assert w(ets(owner, "tab2list", t)) == "[{1,again},{1.0,float}]"   # insertion order
    assert ets(owner, "first", t) == 1
    assert ets(owner, "next", t, 1) == 1.0
    assert ets(owner, "next", t, 1.0) is END
    assert raises_badarg(owner, "next", t, 2)


def test_ordered_set_equal_keys(vm: EtsVM, owner: FakeProc):
    t = ets(owner, "new", A("o"), opts("ordered_set"))
    ets(owner, "insert", t, L((3, A("c")), (1, A("a")), (A("x"),), (2.5,)))
    ets(owner, "insert", t, (1.0, A("b")))
    assert w(ets(owner, "tab2list", t)) == "[{1.0,b},{2.5},{3,c},{x}]"
    assert w(ets(owner, "lookup", t, 1)) == "[{1.0,b}]"
    assert ets(owner, "member", t, 3.0) is true
    assert ets(owner, "next", t, 1) == 2.5
    assert ets(owner, "next", t, 2) == 2.5          # absent keys are fine in ordered_set
    assert ets(owner, "prev", t, 2.5) == 1.0
    assert ets(owner, "prev", t, 1) is END
    assert ets(owner, "last", t) is A("x")
    ets(owner, "delete_object", t, (1, A("b")))     # not =:= the stored object
    assert ets(owner, "info", t, A("size")) == 4
    assert w(ets(owner, "take", t, 3.0)) == "[{3,c}]"


def test_bags(vm: EtsVM, owner: FakeProc):
    b = ets(owner, "new", A("b"), opts("bag"))
    d = ets(owner, "new", A("d"), opts("duplicate_bag"))
    for t in (b, d):
        for obj in [(A("k"), 1), (A("k"), 2), (A("k"), 1), (A("k"), 1.0)]:
            ets(owner, "insert", t, obj)
    assert w(ets(owner, "lookup", b, A("k"))) == "[{k,1},{k,2},{k,1.0}]"
    assert w(ets(owner, "lookup", d, A("k"))) == "[{k,1},{k,2},{k,1},{k,1.0}]"
    assert w(ets(owner, "lookup_element", d, A("k"), 2)) == "[1,2,1,1.0]"
    ets(owner, "delete_object", d, (A("k"), 1))
    assert w(ets(owner, "lookup", d, A("k"))) == "[{k,2},{k,1.0}]"
    assert ets(owner, "insert_new", b, (A("k"), 99)) is false
    assert ets(owner, "first", b) is A("k") and ets(owner, "next", b, A("k")) is END
    assert raises_badarg(owner, "update_counter", b, A("k"), 1)
    assert raises_badarg(owner, "update_element", d, A("k"), (2, 0))


def test_insert_is_all_or_nothing(vm: EtsVM, owner: FakeProc):
    t = ets(owner, "new", A("t"), opts(("keypos", 2)))
    assert raises_badarg(owner, "insert", t, L((1, 2), (1,)))
    assert raises_badarg(owner, "insert", t, L((1, 2), tail=A("x")))
    assert ets(owner, "tab2list", t) is NIL
    assert ets(owner, "insert_new", t, L((A("a"), 1), (A("b"), 2))) is true
    assert ets(owner, "insert_new", t, L((A("c"), 3), (A("z"), 1))) is false
    assert ets(owner, "member", t, 3) is false
    assert ets(owner, "insert", t, NIL) is true


@pytest.mark.parametrize("op, result, obj", [
    (1, "11", "{k,11,100,x}"),
    ((3, -1), "99", "{k,10,99,x}"),
    ((2, 10, 15, 0), "0", "{k,0,100,x}"),
    ((2, 5, 15, 0), "15", "{k,15,100,x}"),
    ((2, 0, 9, 7), "7", "{k,7,100,x}"),
    ((3, -150, 0, -5), "-5", "{k,10,-5,x}"),
    ((3, -100, 0, -5), "0", "{k,10,0,x}"),
    (L((2, 1), (2, 1), (3, 2 ** 70)), "[11,12,1180591620717411303524]",
     "{k,12,1180591620717411303524,x}"),
    (NIL, "[]", "{k,10,100,x}"),
])
def test_update_counter_forms(vm: EtsVM, owner: FakeProc, op: Any, result: str, obj: str):
    t = ets(owner, "new", A("c"), NIL)
    ets(owner, "insert", t, (A("k"), 10, 100, A("x")))
    assert w(ets(owner, "update_counter", t, A("k"), op)) == result
    assert w(ets(owner, "lookup", t, A("k"))) == f"[{obj}]"


@pytest.mark.parametrize("op", [
    2.0, (1, 1), (4, 1), (5, 1), (0, 1), (2, 1.0), (2, 1, 1), (2, 1, 1, A("x")), L(1),
    L((2, 1), (4, 1)), L((2, 1), tail=A("x")), A("x"),
])
def test_update_counter_badarg_leaves_object(vm: EtsVM, owner: FakeProc, op: Any):
    t = ets(owner, "new", A("c"), NIL)
    ets(owner, "insert", t, (A("k"), 10, 100, A("x")))
    assert raises_badarg(owner, "update_counter", t, A("k"), op)
    assert w(ets(owner, "lookup", t, A("k"))) == "[{k,10,100,x}]"


def test_update_counter_default(vm: EtsVM, owner: FakeProc):
    t = ets(owner, "new", A("c"), opts("ordered_set"))
    assert ets(owner, "update_counter", t, A("n"), 5, (A("ignored"), 1)) == 6
    assert ets(owner, "update_counter", t, A("n"), 5, (A("ignored"), 1)) == 11
    assert raises_badarg(owner, "update_counter", t, A("n"), 1, A("notuple"))
    assert raises_badarg(owner, "update_counter", t, A("m"), 1)
    assert raises_badarg(owner, "update_counter", t, A("m"), 1, ())      # OTP 25 crashes here
    assert raises_badarg(owner, "update_counter", t, A("m"), (3, 1), (A("x"), 1))
    assert ets(owner, "member", t, A("m")) is false
    assert w(ets(owner, "tab2list", t)) == "[{n,11}]"


def test_update_element_and_lookup_element(vm: EtsVM, owner: FakeProc):
    t = ets(owner, "new", A("e"), NIL)
    ets(owner, "insert", t, (A("k"), 1, 2))
    assert ets(owner, "update_element", t, A("k"), L((2, A("a")), (3, A("b")))) is true
    assert ets(owner, "update_element", t, A("none"), A("garbage")) is false
    assert raises_badarg(owner, "update_element", t, A("k"), (1, A("x")))
    assert raises_badarg(owner, "update_element", t, A("k"), L((2, A("y")), (4, A("x"))))
    assert w(ets(owner, "lookup", t, A("k"))) == "[{k,a,b}]"
    assert ets(owner, "lookup_element", t, A("k"), 3) is A("b")
    assert raises_badarg(owner, "lookup_element", t, A("k"), 4)
    assert raises_badarg(owner, "lookup_element", t, A("none"), 2)
    assert ets(owner, "lookup_element", t, A("none"), 2, A("dflt")) is A("dflt")
    assert ets(owner, "lookup_element", t, A("k"), 2, A("dflt")) is A("a")
    assert raises_badarg(owner, "lookup_element", t, A("k"), 9, A("dflt"))


def test_protection(vm: EtsVM, owner: FakeProc, other: FakeProc):
    tabs = {p: ets(owner, "new", A(p), opts(p)) for p in ("public", "protected", "private")}
    for t in tabs.values():
        ets(owner, "insert", t, (A("k"), 1))
    expect = {"public": (True, True), "protected": (True, False), "private": (False, False)}
    for prot, (can_read, can_write) in expect.items():
        t = tabs[prot]
        assert raises_badarg(other, "lookup", t, A("k")) is not can_read
        assert raises_badarg(other, "tab2list", t) is not can_read
        assert raises_badarg(other, "insert", t, (A("j"), 2)) is not can_write
        assert raises_badarg(other, "update_counter", t, A("k"), 1) is not can_write
        assert ets(other, "info", t, A("size")) >= 1                       # info: always
    assert raises_badarg(other, "delete", tabs["protected"])
    assert ets(other, "delete", tabs["public"]) is true
    assert ets(owner, "info", tabs["public"]) is undefined


def test_owner_exit_deletes_tables(vm: EtsVM, owner: FakeProc, other: FakeProc):
    named = ets(owner, "new", A("named"), opts("named_table", "public"))
    anon = ets(owner, "new", A("anon"), NIL)
    kept = ets(other, "new", A("kept"), NIL)
    vm.kill(owner)
    assert ets(other, "info", named) is undefined
    assert ets(other, "info", anon) is undefined
    assert ets(other, "whereis", A("named")) is undefined
    assert raises_badarg(other, "lookup", named, 1)
    assert ets(other, "info", kept, A("size")) == 0
    assert ets(other, "new", A("named"), opts("named_table")) is A("named")


def test_heir_and_give_away(vm: EtsVM, owner: FakeProc, other: FakeProc):
    heir = vm.spawn()
    t = ets(owner, "new", A("h"), from_list([A("named_table"), (A("heir"), heir.pid, 42)]))
    assert ets(owner, "info", t, A("heir")) == heir.pid
    vm.kill(owner)
    assert w(from_list(heir.mailbox)) == f"[{{'ETS-TRANSFER',h,{owner.pid!r},42}}]"
    assert ets(heir, "info", t, A("owner")) == heir.pid
    assert raises_badarg(heir, "give_away", t, heir.pid, 0)
    assert ets(heir, "give_away", t, other.pid, A("gift")) is true
    assert other.mailbox[-1][3] is A("gift")
    assert raises_badarg(heir, "insert", t, (1,))
    vm.kill(other)                                   # the heir inherits it again
    assert ets(heir, "info", t, A("owner")) == heir.pid
    assert heir.mailbox[-1][3] == 42
    vm.kill(heir)                                    # an heir that dies deletes it
    assert ets(vm.spawn(), "info", t) is undefined


def test_info_whereis_rename(vm: EtsVM, owner: FakeProc):
    t = ets(owner, "new", A("n"), opts("named_table", "bag", ("keypos", 2)))
    info = to_list(ets(owner, "info", t))
    keys = [k.name for k, _ in info]
    assert keys == ["id", "decentralized_counters", "read_concurrency", "write_concurrency",
                    "compressed", "memory", "owner", "heir", "name", "size", "node",
                    "named_table", "type", "keypos", "protection"]
    values = {k.name: v for k, v in info}
    assert values["type"] is A("bag") and values["keypos"] == 2
    assert values["owner"] == owner.pid and values["named_table"] is true
    ref = ets(owner, "whereis", A("n"))
    assert isinstance(ref, Ref) and ets(owner, "info", ref, A("id")) == ref
    assert ets(owner, "rename", t, A("m")) is A("m")
    assert ets(owner, "info", A("n")) is undefined
    assert ets(owner, "info", ref, A("name")) is A("m")
    assert raises_badarg(owner, "info", A("m"), A("colour"))
    assert ets(owner, "info", A("nosuch"), A("colour")) is undefined
    assert raises_badarg(owner, "info", 42)


def test_set_traversal_after_deletions(vm: EtsVM, owner: FakeProc):
    t = ets(owner, "new", A("s"), NIL)
    for k in range(10):
        ets(owner, "insert", t, (k,))
    for k in (0, 3, 9):
        ets(owner, "delete", t, k)
    keys, k = [], ets(owner, "first", t)
    while k is not END:
        keys.append(k)
        k = ets(owner, "next", t, k)
    assert keys == [1, 2, 4, 5, 6, 7, 8]
    assert ets(owner, "last", t) == 1 and ets(owner, "prev", t, 1) == 2


def test_new_options(vm: EtsVM, owner: FakeProc):
    assert raises_badarg(owner, "new", from_list([]), NIL)
    for bad in [A("set"), opts("colour"), opts(("keypos", 0)), opts(("heir", 1, 2)),
                opts(("read_concurrency", A("auto"))), L(A("set"), tail=A("bag"))]:
        assert raises_badarg(owner, "new", A("x"), bad)
    t = ets(owner, "new", A("x"), opts("bag", "ordered_set", "private", "public",
                                       ("write_concurrency", A("auto")), "compressed",
                                       ("heir", A("none")), ("decentralized_counters", true)))
    assert ets(owner, "info", t, A("type")) is A("ordered_set")
    assert ets(owner, "info", t, A("protection")) is A("public")
    assert ets(owner, "info", t, A("compressed")) is true
    ets(owner, "new", A("dup"), opts("named_table"))
    assert raises_badarg(owner, "new", A("dup"), opts("named_table"))
    assert isinstance(ets(owner, "new", A("dup"), NIL), Ref)


def test_all(vm: EtsVM, owner: FakeProc):
    assert ets(owner, "all") is NIL
    t = ets(owner, "new", A("x"), NIL)
    ets(owner, "new", A("y"), opts("named_table"))
    assert w(ets(owner, "all")) == f"[{t!r},y]"


# ============================================================================ (b) vs OTP

def _programs() -> list[str]:
    return sorted(p.stem for p in ETS_DIR.glob("*.erl"))


needs_otp = pytest.mark.skipif(not conformance.tools_available(), reason="host erl/erlc missing")


@pytest.fixture(scope="module")
def compiled() -> Iterator[tuple[Path, Path, Path]]:
    """(program beams dir, libs/ets.beam, scratch HOME for erl).

    A private temporary directory, not pytest's tmp_path_factory: pytest prunes old base
    directories of the same user, which breaks runs that overlap with another session's.
    """
    with tempfile.TemporaryDirectory(prefix="avmsim-ets-") as tmp:
        yield _compile_all(Path(tmp))


def _compile_all(root: Path) -> tuple[Path, Path, Path]:
    home, beams, lib = root / "home", root / "beams", root / "lib"
    for d in (home, beams, lib):
        d.mkdir()
    env = conformance.erl_env(home)
    for outdir, sources in ((beams, [ETS_DIR / f"{n}.erl" for n in _programs()]),
                            (lib, [LIB_SOURCE])):
        proc = subprocess.run(["erlc", "-o", str(outdir), *map(str, sources)],
                              capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return beams, lib / "ets.beam", home


@needs_otp
def test_lib_compiles_cleanly_and_defines_no_natives(tmp_path: Path):
    proc = subprocess.run(["erlc", "-Wall", "-o", str(tmp_path), str(LIB_SOURCE)],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and not (proc.stdout + proc.stderr).strip()
    script = (f'{{ok, {{_, [{{exports, E}}]}}}} = beam_lib:chunks("{tmp_path}/ets.beam", '
              f'[exports]), io:format("~w~n", [E]), halt().')
    out = subprocess.run(["erl", "-noshell", "-eval", script], capture_output=True,
                         text=True).stdout
    exported = {(f, int(a)) for f, a in
                (item.split(",") for item in out.strip()[2:-2].split("},{"))}
    natives = {(f, a) for (m, f, a) in NATIVES if m == "ets"}
    assert not exported & natives
    assert {("foldl", 3), ("foldr", 3)} <= exported


@needs_otp
@pytest.mark.parametrize("name", _programs())
def test_program_matches_otp(compiled: tuple[Path, Path, Path], name: str):
    beams, lib_beam, home = compiled
    ref = conformance.run_erl(name, beams, home)
    assert not conformance.check_reference(ref), conformance.check_reference(ref)
    proc = subprocess.run([sys.executable, "-m", "avmsim.cli", "--board", conformance.BOARD,
                           "--lib-extras", str(beams / f"{name}.beam"), str(lib_beam)],
                          capture_output=True, cwd=str(conformance.REPO_DIR),
                          stdin=subprocess.DEVNULL, timeout=conformance.AVMSIM_TIMEOUT)
    run = conformance.VmRun(stdout=proc.stdout, stderr=proc.stderr.decode("utf-8", "replace"),
                            returncode=proc.returncode)
    problem = conformance.compare(ref, run, "ets")
    assert problem is None, problem
