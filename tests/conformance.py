"""Conformance corpus helpers: compile the Erlang programs of ``tests/erlang``,
get the reference output from the host's OTP (``erl``), run avmsim on a
``.beam`` and compare the two byte for byte.

The reference is what ``erl -noshell`` prints for ``M:start()``. To keep it
stable from machine to machine:

* erl runs with a fixed environment: ``LANG``/``LC_ALL`` = ``C.UTF-8``,
  ``HOME`` pointing at a scratch directory (no ``~/.erlang``), and none of
  ``ERL_FLAGS``/``ERL_AFLAGS``/``ERL_ZFLAGS``/``ERL_LIBS`` from the caller;
  no crash dumps are written.
* The printable range is OTP's default (latin1) and every program prints
  ASCII only, so neither the locale nor the io device's encoding (latin1 under
  OTP 25's ``-noshell``, unicode from OTP 26) can change a byte.
  :func:`check_reference` enforces this.
* ``erlang:display/1`` writes straight to the terminal driver, which under
  ``erl -noshell`` ends lines with ``\\r\\n``. AtomVM ends them with ``\\n``.
  The programs never print ``\\r`` themselves, so ``\\r\\n`` is turned into
  ``\\n`` in the reference (:func:`normalize_reference`). Nothing else is
  rewritten.
* ``~p`` and ``~w`` print as AtomVM's io_lib prints them, not as OTP's (one
  line, ``""`` for ``[]``, floats as ``float_to_list/1``...: the cases are
  listed in ``libs/io_lib.erl`` section 5a and pinned against AtomVM by
  ``tests/atomvm_diff/io_lib_terms.erl``). So the reference erl formats with
  avmsim's own ``libs/io_lib.erl``, compiled for the host and loaded in place
  of OTP's (``-nostick``, :func:`avmsim_io_lib_dir`): the corpus compares the
  VM, while ``tests/test_io_lib_vs_otp.py`` compares the formatter with OTP's
  wherever AtomVM agrees with OTP. AtomVM's io_lib fails on an improper list,
  so the programs print one as ``{'|', Heads, Tail}``.

Each reference is computed once per test session: :class:`ReferenceOutputs`
compiles the sources with ``erlc`` into a scratch directory and runs one
``erl`` per program, several at a time in threads.

Two corpora use these helpers: the sequential one (``tests/erlang``, fixtures
in ``tests/fixtures/otpNN``, :mod:`test_corpus`) and the concurrency one
(``tests/erlang_proc``, fixtures in ``tests/fixtures/proc_otpNN``,
:mod:`test_proc_corpus`). The functions take the source directory (and the
fixture directory prefix) as optional arguments defaulting to the sequential
corpus. The concurrency corpus runs erl with ``-kernel logger_level none``
(:data:`PROC_ERL_ARGS`): OTP's logger prints an ``=ERROR REPORT====`` for
every process that dies of an uncaught error, on *stdout* under
``-noshell`` and racing with ``halt/0``; AtomVM (and avmsim) write crash
reports to stderr, which is not compared.
"""
from __future__ import annotations

import difflib
import hashlib
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
ERLANG_DIR = TESTS_DIR / "erlang"
#: Sources of the concurrency corpus (processes, scheduler, virtual time).
PROC_DIR = TESTS_DIR / "erlang_proc"
FIXTURES_DIR = TESTS_DIR / "fixtures"
#: Fixture directory prefix of the concurrency corpus (``tests/fixtures/proc_otpNN``).
PROC_FIXTURE_PREFIX = "proc_otp"
#: Extra erl arguments for the concurrency corpus (see the module docstring).
PROC_ERL_ARGS: tuple[str, ...] = ("-kernel", "logger_level", "none")
#: OTP releases whose compiled beams are committed under ``tests/fixtures/otpNN``.
FIXTURE_RELEASES: tuple[int, ...] = (27, 29)
#: File in each fixture directory recording the sha256 of the sources it was built from.
FIXTURE_MANIFEST = "sources.sha256"

BOARD = "generic-unix"
#: Seconds allowed for one erl reference run.
ERL_TIMEOUT = 60.0
#: Seconds allowed for one avmsim run (a Python VM is far slower than BEAM).
AVMSIM_TIMEOUT = float(os.environ.get("AVMSIM_CORPUS_TIMEOUT", "600"))

_STRIPPED_ENV = ("ERL_FLAGS", "ERL_AFLAGS", "ERL_ZFLAGS", "ERL_LIBS", "ERL_CRASH_DUMP")


def programs(src_dir: Path = ERLANG_DIR) -> list[str]:
    """Module names of the corpus programs (``tests/erlang/*.erl``), sorted."""
    return sorted(p.stem for p in src_dir.glob("*.erl"))


def source_path(name: str, src_dir: Path = ERLANG_DIR) -> Path:
    """Path of the corpus program ``name``."""
    return src_dir / f"{name}.erl"


def fixture_dir(release: int, prefix: str = "otp") -> Path:
    """Directory of the committed OTP ``release`` beams (``tests/fixtures/<prefix><release>``)."""
    return FIXTURES_DIR / f"{prefix}{release}"


def fixture_path(release: int, name: str, prefix: str = "otp") -> Path:
    """Path of the committed OTP ``release`` beam of program ``name``."""
    return fixture_dir(release, prefix) / f"{name}.beam"


def source_digest(name: str, src_dir: Path = ERLANG_DIR) -> str:
    """sha256 (hex) of the program's source, as recorded in fixture manifests."""
    return hashlib.sha256(source_path(name, src_dir).read_bytes()).hexdigest()


def read_manifest(release: int, prefix: str = "otp") -> dict[str, str]:
    """``{program: sha256}`` recorded by ``scripts/build_fixtures.sh`` for ``release``.

    The manifest has ``sha256sum`` format (``<hex>  <name>.erl`` per line).
    Returns an empty dict when it does not exist.
    """
    path = fixture_dir(release, prefix) / FIXTURE_MANIFEST
    if not path.exists():
        return {}
    digests: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        digest, _, fname = line.partition("  ")
        digests[Path(fname.strip()).stem] = digest.strip()
    return digests


def tools_available() -> bool:
    """True when the host has both ``erl`` and ``erlc`` on PATH."""
    return shutil.which("erl") is not None and shutil.which("erlc") is not None


def erl_env(home: Path) -> dict[str, str]:
    """The fixed environment erl and erlc run with (see the module docstring)."""
    env = {k: v for k, v in os.environ.items() if k not in _STRIPPED_ENV}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", HOME=str(home), ERL_CRASH_DUMP_SECONDS="0")
    return env


def compile_program(name: str, outdir: Path, env: Mapping[str, str] | None = None,
                    src_dir: Path = ERLANG_DIR) -> Path:
    """Compile ``<src_dir>/<name>.erl`` (default ``tests/erlang``) with the host erlc into ``outdir``.

    Returns the ``.beam`` path; raises :class:`RuntimeError` with erlc's
    output when compilation fails.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["erlc", "-o", str(outdir), str(source_path(name, src_dir))],
                          capture_output=True, text=True, env=dict(env) if env else None,
                          stdin=subprocess.DEVNULL, timeout=ERL_TIMEOUT)
    beam = outdir / f"{name}.beam"
    if proc.returncode != 0 or not beam.exists():
        raise RuntimeError(f"erlc failed for {name}.erl:\n{proc.stdout}{proc.stderr}")
    return beam


def normalize_reference(raw: bytes) -> bytes:
    """Turn erl's ``\\r\\n`` line ends (from erlang:display/1) into ``\\n``."""
    return raw.replace(b"\r\n", b"\n")


@dataclass(frozen=True)
class Reference:
    """The outcome of running one program under the host's erl."""

    name: str
    beam: Path
    stdout: bytes
    stderr: str
    returncode: int


_io_lib_lock = threading.Lock()
_io_lib_dirs: list[Path] = []


def avmsim_io_lib_dir() -> Path:
    """``libs/io_lib.erl`` compiled for the host, once per process (see the module docstring)."""
    with _io_lib_lock:
        if not _io_lib_dirs:
            out = Path(tempfile.mkdtemp(prefix="avmsim_io_lib_"))
            atexit.register(shutil.rmtree, out, True)
            proc = subprocess.run(["erlc", "-o", str(out), str(REPO_DIR / "libs" / "io_lib.erl")],
                                  capture_output=True, text=True, stdin=subprocess.DEVNULL,
                                  timeout=ERL_TIMEOUT)
            if proc.returncode != 0:
                raise RuntimeError(f"erlc failed for libs/io_lib.erl:\n{proc.stdout}{proc.stderr}")
            _io_lib_dirs.append(out)
        return _io_lib_dirs[0]


def run_erl(name: str, beam_dir: Path, home: Path, erl_args: Iterable[str] = ()) -> Reference:
    """Run ``name:start()`` under ``erl -noshell`` with ``beam_dir`` on the path.

    erl exits 0 when start/0 returns and 1 when it raises (the exception is
    written to stderr, never stdout). ``erl_args`` go before ``-eval``. Terms are
    formatted by avmsim's io_lib (:func:`avmsim_io_lib_dir`).
    """
    expr = (f"try {name}:start() of _ -> halt(0) "
            f"catch C:R -> io:format(standard_error, \"start/0 raised ~p:~p~n\", [C, R]), halt(1) end.")
    proc = subprocess.run(["erl", "-noshell", "-nostick", "-pa", str(avmsim_io_lib_dir()),
                           *erl_args, "-pa", str(beam_dir), "-eval", expr],
                          capture_output=True, env=erl_env(home), cwd=str(home),
                          stdin=subprocess.DEVNULL, timeout=ERL_TIMEOUT)
    return Reference(name=name, beam=beam_dir / f"{name}.beam",
                     stdout=normalize_reference(proc.stdout),
                     stderr=proc.stderr.decode("utf-8", "replace"), returncode=proc.returncode)


def check_reference(ref: Reference) -> list[str]:
    """Problems that make ``ref`` unusable as a reference (empty when it is fine)."""
    problems = []
    if ref.returncode != 0:
        problems.append(f"erl exited {ref.returncode}: {ref.stderr.strip()}")
    if not ref.stdout:
        problems.append("erl printed nothing")
    bad = sorted({b for b in ref.stdout if b > 127 or (b < 32 and b not in (9, 10))})
    if bad:
        problems.append(f"output has bytes outside printable ASCII: {bad[:10]}")
    return problems


class ReferenceOutputs:
    """Reference outputs of the corpus, computed at most once per program.

    ``workdir`` receives the compiled beams and a scratch HOME for erl.
    :meth:`prefetch` compiles the given programs with a single erlc (falling
    back to one erlc per program when that fails, so errors name their source)
    and starts one erl per program in background threads; :meth:`get` waits
    for (or starts) one.
    """

    def __init__(self, workdir: Path, jobs: int | None = None, src_dir: Path = ERLANG_DIR,
                 erl_args: Iterable[str] = ()) -> None:
        self.workdir = workdir
        self.src_dir = src_dir
        self.erl_args = tuple(erl_args)
        self.home = workdir / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self._pool = ThreadPoolExecutor(max_workers=jobs or max(2, os.cpu_count() or 2))
        self._futures: dict[str, Future[Reference]] = {}
        self._batches = 0
        self._lock = threading.Lock()

    def _compile_batch(self, names: list[str], outdir: Path) -> bool:
        """Compile ``names`` with one erlc run; False when erlc failed."""
        outdir.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(["erlc", "-o", str(outdir),
                               *(str(source_path(n, self.src_dir)) for n in names)],
                              capture_output=True, env=erl_env(self.home), stdin=subprocess.DEVNULL,
                              timeout=ERL_TIMEOUT * 4)
        return proc.returncode == 0

    def _compute(self, name: str, batch: Future[bool], batch_dir: Path) -> Reference:
        beam_dir = batch_dir
        if not (batch.result() and (batch_dir / f"{name}.beam").exists()):
            beam_dir = self.workdir / name
            compile_program(name, beam_dir, erl_env(self.home), self.src_dir)
        return run_erl(name, beam_dir, self.home, self.erl_args)

    def prefetch(self, names: Iterable[str]) -> None:
        """Start computing the references of ``names`` that are not yet started."""
        with self._lock:
            new = list(dict.fromkeys(n for n in names if n not in self._futures))
            if not new:
                return
            self._batches += 1
            batch_dir = self.workdir / f"beams{self._batches}"
            # Submitted first, so a worker takes it before any run waiting on it.
            batch = self._pool.submit(self._compile_batch, new, batch_dir)
            for name in new:
                self._futures[name] = self._pool.submit(self._compute, name, batch, batch_dir)

    def get(self, name: str) -> Reference:
        """The reference of ``name`` (raises what compilation raised)."""
        self.prefetch([name])
        return self._futures[name].result()

    def close(self) -> None:
        """Stop the worker threads (waiting for runs in progress)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class VmRun:
    """The outcome of running one beam under avmsim."""

    stdout: bytes
    stderr: str
    returncode: int


def run_avmsim(beam: Path, board: str = BOARD, timeout: float = AVMSIM_TIMEOUT) -> VmRun:
    """Run ``python -m avmsim.cli --board BOARD --lib-extras BEAM`` and capture its output.

    The corpus compares the VM with OTP, so its programs may call what avmsim's library has
    beyond AtomVM's (``--lib-extras``; ``tests/test_device_api.py`` checks the default)."""
    proc = subprocess.run([sys.executable, "-m", "avmsim.cli", "--board", board, "--lib-extras",
                           str(beam)],
                          capture_output=True, cwd=str(REPO_DIR), stdin=subprocess.DEVNULL,
                          timeout=timeout)
    return VmRun(stdout=proc.stdout, stderr=proc.stderr.decode("utf-8", "replace"),
                 returncode=proc.returncode)


def unified_diff(expected: bytes, actual: bytes, expected_label: str, actual_label: str,
                 limit: int = 200) -> str:
    """A unified diff of two outputs (bytes shown with backslash escapes), at most ``limit`` lines."""
    a = expected.decode("utf-8", "backslashreplace").splitlines(keepends=True)
    b = actual.decode("utf-8", "backslashreplace").splitlines(keepends=True)
    lines = list(difflib.unified_diff(a, b, expected_label, actual_label))
    lines = [ln if ln.endswith("\n") else ln + "\n\\ No newline at end of output\n" for ln in lines]
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more diff lines)\n"]
    return "".join(lines)


def compare(ref: Reference, run: VmRun, vm_label: str) -> str | None:
    """None when avmsim reproduced the reference exactly, else a failure report."""
    if run.returncode == 0 and run.stdout == ref.stdout:
        return None
    parts = [f"{ref.name}: avmsim ({vm_label}) differs from erl (host OTP)"]
    if run.returncode != 0:
        parts.append(f"avmsim exited {run.returncode}")
    if run.stdout != ref.stdout:
        parts.append(unified_diff(ref.stdout, run.stdout, f"erl/{ref.name}", f"avmsim/{vm_label}/{ref.name}"))
    if run.stderr.strip():
        tail = run.stderr.strip().splitlines()[-30:]
        parts.append("avmsim stderr (last lines):\n" + "\n".join(tail))
    return "\n".join(parts)
