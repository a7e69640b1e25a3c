"""Pids, ports and references of other nodes: wire encoding (against the host OTP), the
local node's own identifiers once it is alive, order, printing and heap size (AtomVM's
term.c / term.h)."""
from __future__ import annotations

import subprocess

import pytest

from avmsim.vm.ext_term import decode_ext, encode_ext
from avmsim.vm.term_format import format_w
from avmsim.vm.term_order import exact_eq, sort_key
from avmsim.vm.term_size import LAYOUT_32, LAYOUT_64, term_words
from avmsim.vm.terms import ExtPid, ExtPort, ExtRef, Map, Pid, Port, Ref, atom

A = atom


def _atom(name: str) -> bytes:
    raw = name.encode()
    return bytes([119, len(raw)]) + raw          # SMALL_ATOM_UTF8_EXT


def pid_bytes(node: str, number: int, serial: int, creation: int) -> bytes:
    """NEW_PID_EXT written from the external term format spec."""
    return (bytes([131, 88]) + _atom(node) + number.to_bytes(4, "big")
            + serial.to_bytes(4, "big") + creation.to_bytes(4, "big"))


def port_bytes(node: str, number: int, creation: int) -> bytes:
    """V4_PORT_EXT (64-bit number) from the spec."""
    return (bytes([131, 120]) + _atom(node) + number.to_bytes(8, "big")
            + creation.to_bytes(4, "big"))


def ref_bytes(node: str, words: tuple[int, ...], creation: int) -> bytes:
    """NEWER_REFERENCE_EXT from the spec."""
    return (bytes([131, 90]) + len(words).to_bytes(2, "big") + _atom(node)
            + creation.to_bytes(4, "big") + b"".join(w.to_bytes(4, "big") for w in words))


REMOTE: list[tuple[bytes, object]] = [
    (pid_bytes("n2@host", 85, 3, 7), ExtPid(A("n2@host"), 85, 3, 7)),
    (pid_bytes("a@h", 1, 0, 1), ExtPid(A("a@h"), 1, 0, 1)),
    (pid_bytes("b@h", 1, 0, 1), ExtPid(A("b@h"), 1, 0, 1)),
    (pid_bytes("a@h", 2, 0, 1), ExtPid(A("a@h"), 2, 0, 1)),
    (pid_bytes("a@h", 1, 1, 1), ExtPid(A("a@h"), 1, 1, 1)),
    (pid_bytes("a@h", 1, 0, 2), ExtPid(A("a@h"), 1, 0, 2)),
    (pid_bytes("z@h", 0, 0, 5), ExtPid(A("z@h"), 0, 0, 5)),
    (pid_bytes("n@h", 2**32 - 1, 2**32 - 1, 2**32 - 1),
     ExtPid(A("n@h"), 2**32 - 1, 2**32 - 1, 2**32 - 1)),
    (port_bytes("n2@host", 7, 3), ExtPort(A("n2@host"), 7, 3)),
    (port_bytes("a@h", 7, 1), ExtPort(A("a@h"), 7, 1)),
    (port_bytes("a@h", 2**40, 1), ExtPort(A("a@h"), 2**40, 1)),
    (ref_bytes("n2@host", (1, 2, 3), 7), ExtRef(A("n2@host"), (1, 2, 3), 7)),
    (ref_bytes("a@h", (5,), 1), ExtRef(A("a@h"), (5,), 1)),
    (ref_bytes("a@h", (1, 2, 3, 4, 5), 1), ExtRef(A("a@h"), (1, 2, 3, 4, 5), 1)),
    (ref_bytes("b@h", (9, 2, 3), 0), ExtRef(A("b@h"), (9, 2, 3), 0)),
]


def otp(script: str) -> list[str]:
    """Lines an ``erl -noshell`` script prints (the host OTP is the reference)."""
    run = subprocess.run(["erl", "-noshell", "-eval", script + ", halt()."],
                         capture_output=True, text=True, timeout=120, check=True)
    return run.stdout.splitlines()


def _erl_bin(data: bytes) -> str:
    return "<<" + ",".join(map(str, data)) + ">>"


@pytest.fixture(scope="module")
def otp_encodings() -> list[bytes]:
    """OTP's ``term_to_binary(binary_to_term(B), [{minor_version, 2}])`` of every sample."""
    terms = ",".join(_erl_bin(b) for b, _ in REMOTE)
    lines = otp(f"lists:foreach(fun(B) -> io:format(\"~w~n\", [binary_to_list(term_to_binary("
                f"binary_to_term(B), [{{minor_version, 2}}]))]) end, [{terms}])")
    return [bytes(eval(line)) for line in lines]  # a list of byte values, as ~w writes it


@pytest.mark.parametrize("i", range(len(REMOTE)))
def test_decodes_another_nodes_identifier(i: int) -> None:
    data, term = REMOTE[i]
    decoded = decode_ext(data)
    assert decoded.__class__ is term.__class__
    assert decoded == term and hash(decoded) == hash(term)


@pytest.mark.parametrize("i", range(len(REMOTE)))
def test_encodes_as_otp_does(i: int, otp_encodings: list[bytes]) -> None:
    """As OTP, except that AtomVM writes every port as V4_PORT_EXT (external_term.c), where
    OTP 25 uses NEW_PORT_EXT for a number that fits 32 bits."""
    data, term = REMOTE[i]
    assert encode_ext(term) == (data if term.__class__ is ExtPort else otp_encodings[i])


def _same_order_in_otp(t: object) -> bool:
    """OTP compares pids' serials before their numbers, term.c after: only pids of serial 0
    sort the same in both (references are ordered apart, below)."""
    return t.__class__ is ExtPort or (t.__class__ is ExtPid and t.serial == 0)


def test_order_is_otps() -> None:
    """Remote pids sort by number, node, creation; ports by node, creation, number (OTP and
    AtomVM's term.c agree); local ones count as nonode@nohost's."""
    samples = [t for _, t in REMOTE if _same_order_in_otp(t)] + [Pid(5), Port(3)]
    exprs = [_erl_bin(b) for b, t in REMOTE if _same_order_in_otp(t)]
    exprs += ["term_to_binary(list_to_pid(\"<0.5.0>\"))",
              "term_to_binary(list_to_port(\"#Port<0.3>\"))"]
    lines = otp(f"Ts = [binary_to_term(B) || B <- [{','.join(exprs)}]], "
                "S = lists:sort(Ts), "
                "io:format(\"~w~n\", [[string:str(S, [T]) || T <- Ts]])")
    otp_rank = eval(lines[0].replace("[", "(").replace("]", ")"))
    ours = sorted(samples, key=sort_key)
    assert tuple(ours.index(t) + 1 for t in samples) == otp_rank


def test_pid_serial_counts_after_number_as_in_term_c() -> None:
    """AtomVM (term.c) compares the number first; OTP would put <a.1.1> after <a.2.0>."""
    p = [ExtPid(A("a@h"), 1, 1, 1), ExtPid(A("a@h"), 2, 0, 1), ExtPid(A("a@h"), 1, 0, 1)]
    assert sorted(p, key=sort_key) == [p[2], p[0], p[1]]


def test_reference_order_follows_term_c() -> None:
    """term.c: references by node, creation, word count, then words from the last."""
    r = [ExtRef(A("b@h"), (1, 2, 3), 1), ExtRef(A("a@h"), (9, 9, 9), 2),
         ExtRef(A("a@h"), (9, 9, 9), 1), ExtRef(A("a@h"), (1, 2), 1),
         ExtRef(A("a@h"), (2, 1, 3), 1), ExtRef(A("a@h"), (1, 2, 3), 1)]
    expected = [r[3], r[4], r[5], r[2], r[1], r[0]]
    assert sorted(r, key=sort_key) == expected
    # a local reference is nonode@nohost's: after a@h's, before z@h's
    local = Ref(7)
    assert sorted([ExtRef(A("z@h"), (1,), 0), local, r[0]], key=sort_key)[1] is local


def test_identifiers_are_values() -> None:
    p = ExtPid(A("n@h"), 1, 2, 3)
    m = Map.from_pairs([(p, 1), (Pid(1), 2)])
    assert m.get(ExtPid(A("n@h"), 1, 2, 3)) == 1 and m.get(Pid(1)) == 2
    assert exact_eq(p, ExtPid(A("n@h"), 1, 2, 3))
    assert not exact_eq(p, ExtPid(A("n@h"), 1, 2, 4))
    assert not exact_eq(Pid(1), ExtPid(A("nonode@nohost"), 1, 0, 0))


# The bytes OTP 25 wrote on a node started as `erl -sname d1test` (host vm, creation
# 0x6b164eb5): its own self() <0.9.0>, a port #Port<0.0> and a reference (default
# minor version 1, so atoms are ATOM_EXT).
OTP_NODE = (A("d1test@vm"), 0x6B164EB5)
OTP_SELF = bytes([131, 88, 100, 0, 9, 100, 49, 116, 101, 115, 116, 64, 118, 109,
                  0, 0, 0, 9, 0, 0, 0, 0, 107, 22, 78, 181])
OTP_PORT = bytes([131, 89, 100, 0, 9, 100, 49, 116, 101, 115, 116, 64, 118, 109,
                  0, 0, 0, 0, 107, 22, 78, 181])
OTP_REF = bytes([131, 90, 0, 3, 100, 0, 9, 100, 49, 116, 101, 115, 116, 64, 118, 109,
                 107, 22, 78, 181, 0, 0, 243, 95, 190, 20, 0, 1, 15, 54, 20, 3])


def test_an_alive_node_writes_and_reads_its_own_as_otp() -> None:
    assert encode_ext(Pid(9), minor_version=1, local=OTP_NODE) == OTP_SELF
    assert decode_ext(OTP_SELF, local=OTP_NODE) == Pid(9)
    assert decode_ext(OTP_PORT, local=OTP_NODE) == Port(0)


def test_an_alive_node_writes_ports_and_references_as_atomvm() -> None:
    """external_term.c: a local port as V4_PORT_EXT, a local reference as its 64-bit tick
    count in two words, high word first; only a two-word reference of this node and
    creation reads back as local (OTP's three-word one stays external)."""
    node = bytes([100, 0, 9]) + b"d1test@vm"
    creation = OTP_NODE[1].to_bytes(4, "big")
    assert encode_ext(Port(7), minor_version=1, local=OTP_NODE) == (
        bytes([131, 120]) + node + (7).to_bytes(8, "big") + creation)
    ref = Ref(5 << 32 | 7)
    data = bytes([131, 90, 0, 2]) + node + creation + bytes([0, 0, 0, 5, 0, 0, 0, 7])
    assert encode_ext(ref, minor_version=1, local=OTP_NODE) == data
    assert decode_ext(data, local=OTP_NODE) == ref
    assert decode_ext(OTP_REF, local=OTP_NODE).__class__ is ExtRef


def test_other_incarnations_and_other_nodes_stay_external() -> None:
    later = (OTP_NODE[0], OTP_NODE[1] + 1)
    assert decode_ext(OTP_SELF, local=later) == ExtPid(OTP_NODE[0], 9, 0, OTP_NODE[1])
    assert decode_ext(OTP_SELF) == ExtPid(OTP_NODE[0], 9, 0, OTP_NODE[1])
    assert decode_ext(OTP_REF).__class__ is ExtRef
    assert decode_ext(OTP_PORT) == ExtPort(OTP_NODE[0], 0, OTP_NODE[1])


def test_before_setnode_locals_are_nonodes() -> None:
    assert encode_ext(Pid(9)) == pid_bytes("nonode@nohost", 9, 0, 0)
    assert decode_ext(pid_bytes("nonode@nohost", 9, 0, 0), local=OTP_NODE) == Pid(9)


@pytest.mark.parametrize("data", [
    pid_bytes("nonode@nohost", 9, 1, 0), pid_bytes("nonode@nohost", 9, 0, 1),
    port_bytes("nonode@nohost", 1, 4), ref_bytes("n@h", (1, 2, 3, 4, 5, 6), 1),
])
def test_rejects_what_atomvm_rejects(data: bytes) -> None:
    """external_term.c: a nonode@nohost pid or port with a serial or creation, a reference
    longer than five words."""
    with pytest.raises(ValueError):
        decode_ext(data)


def test_prints_as_term_c() -> None:
    """``<N.Number.Serial>``, ``#Port<N.Number>``, ``#Ref<N.w2.w1.w0>``: N is the node
    atom's index in the atom table, the creation is not printed."""
    n = A("n2@host").index
    assert format_w(ExtPid(A("n2@host"), 85, 3, 7)) == f"<{n}.85.3>"
    assert format_w(ExtPort(A("n2@host"), 7, 3)) == f"#Port<{n}.7>"
    assert format_w(ExtRef(A("n2@host"), (1, 2, 3), 7)) == f"#Ref<{n}.3.2.1>"


@pytest.mark.parametrize("layout, pid_words, ref3_words", [(LAYOUT_32, 5, 6),
                                                             (LAYOUT_64, 3, 4)])
def test_heap_words_are_term_h(layout, pid_words: int, ref3_words: int) -> None:
    """EXTERNAL_PID_SIZE / EXTERNAL_PORT_SIZE: 5 words on 32-bit, 3 on 64-bit;
    EXTERNAL_REF_SIZE(3): 3 + 3 on 32-bit, 3 + 3/2 on 64-bit."""
    assert term_words(ExtPid(A("n@h"), 1, 0, 1), layout) == pid_words
    assert term_words(ExtPort(A("n@h"), 1, 1), layout) == pid_words
    assert term_words(ExtRef(A("n@h"), (1, 2, 3), 1), layout) == ref3_words
    assert term_words((ExtPid(A("n@h"), 1, 0, 1),), layout) == pid_words + 2
