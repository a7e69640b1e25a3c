"""The distribution NIFs, with the test program acting as both sides: it plays net_kernel
and the connection's controller, feeds packets of another node in with
``dist_ctrl_put_data`` and reads what local processes send out with ``dist_ctrl_get_data``.

The behaviour expected is AtomVM's (nifs.c, dist_nifs.c; the same operations were run on
AtomVM's generic_unix build while writing these): the operations it performs, its badargs,
the packets it builds. The one deliberate difference: when a controller dies, avmsim
disconnects the node as OTP does (links to its processes break with ``noconnection``), where
AtomVM keeps the dead connection.
"""
from __future__ import annotations

import re
from pathlib import Path

from avmsim.vm.ext_term import encode_ext
from avmsim.vm.terms import NIL, ExtPid, ExtRef, Pid, atom

from helpers import avmsim, compile_erl

A = atom
HERE = (A("n1@host"), 42)             # the node the programs make alive
P = ExtPid(A("n2@host"), 85, 3, 7)    # a process of the other node
R = ExtRef(A("n2@host"), (1, 2, 3), 7)

HELPERS = r"""
epid(N, Num, Ser, Cr) ->
    B = atom_to_binary(N, latin1),
    binary_to_term(<<131,88,119,(byte_size(B)),B/binary,Num:32,Ser:32,Cr:32>>).
eref(N, Ws, Cr) ->
    B = atom_to_binary(N, latin1), WB = << <<W:32>> || W <- Ws >>,
    binary_to_term(<<131,90,(length(Ws)):16,119,(byte_size(B)),B/binary,Cr:32,WB/binary>>).
p() -> epid('n2@host', 85, 3, 7).
r() -> eref('n2@host', [1,2,3], 7).
nk() -> receive {connect, N, _} -> erlang:display({net_kernel_got, connect, N}), nk() end.
alive() ->
    register(net_kernel, spawn(fun nk/0)),
    true = erlang:setnode('n1@host', 42).
connect() ->
    alive(),
    Ctl = spawn(fun() -> receive stop -> ok end end),
    {Ctl, erlang:setnode('n2@host', Ctl, {0, 7})}.
dput(DH, C) -> erlang:dist_ctrl_put_data(DH, <<112, (term_to_binary(C))/binary>>).
dput(DH, C, Pl) ->
    erlang:dist_ctrl_put_data(DH, <<112, (term_to_binary(C))/binary, (term_to_binary(Pl))/binary>>).
show_packet(DH) ->
    case erlang:dist_ctrl_get_data(DH) of
        none -> erlang:display(none);
        Bin -> erlang:display({packet, binary_to_list(Bin)})
    end.
settle() -> receive after 20 -> ok end.
echo(Tag) -> receive M -> erlang:display({Tag, M}), echo(Tag) end.
"""


def run(tmp_path: Path, body: str) -> list[str]:
    """Run ``start() -> BODY.`` under avmsim; the lines it printed."""
    source = f"-module(case_prog).\n-export([start/0, child/1]).\n{HELPERS}\n" \
             "child(X) -> erlang:display({child, X, group_leader() =:= p()}),\n" \
             "    receive stop -> exit(done) end.\n" \
             f"start() ->\n{body},\n    ok.\n"
    beam = compile_erl(tmp_path, "case_prog", source)
    done = avmsim("--board", "generic-unix", str(beam), timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.splitlines()


def packet(control: tuple, *payload: object) -> str:
    """How ``show_packet`` prints the packet AtomVM builds: 112, the control message, then
    the payload if any, every term written with this node's identity."""
    data = bytes([112]) + encode_ext(control, local=HERE)
    data += b"".join(encode_ext(p, local=HERE) for p in payload)
    return "{packet,[" + ",".join(map(str, data)) + "]}"


def pid_of(line: str) -> Pid:
    return Pid(int(re.fullmatch(r"\{\w+,<0\.(\d+)\.0>\}", line).group(1)))


def test_node_identity(tmp_path: Path) -> None:
    lines = run(tmp_path, r"""
    erlang:display({node(), erlang:is_alive(), atomvm:get_creation()}),
    erlang:display(catch erlang:setnode('n1@host', 42)),
    alive(),
    erlang:display({node(), erlang:is_alive(), atomvm:get_creation(), node(self()),
                    node(make_ref()), node(p()), node(r())}),
    erlang:display(catch erlang:setnode('again@host', 1)),
    erlang:display({self(), binary_to_list(term_to_binary(self()))}),
    erlang:display(binary_to_term(term_to_binary({self(), make_ref()})) =/= 0)""")
    assert lines[0] == "{nonode@nohost,false,0}"
    assert lines[1].startswith("{EXIT,{badarg,")     # net_kernel is not running
    assert lines[2] == "{n1@host,true,42,n1@host,n1@host,n2@host,n2@host}"
    assert lines[3].startswith("{EXIT,{badarg,")     # alive already
    me = Pid(int(re.match(r"\{<0\.(\d+)\.0>", lines[4]).group(1)))
    assert lines[4].endswith(",[" + ",".join(map(str, encode_ext(me, local=HERE))) + "]}")
    assert lines[5] == "true"


def test_packets_in_reach_local_processes(tmp_path: Path) -> None:
    lines = run(tmp_path, r"""
    {_, DH} = connect(),
    Foo = spawn(fun() -> receive hello -> erlang:display(got_hello) end,
                         receive {hello, X} -> erlang:display(X =:= p()) end,
                         echo(foo) end),
    register(foo, Foo),
    erlang:display(dput(DH, {6, p(), [], foo}, hello)),
    erlang:display(dput(DH, {22, p(), Foo}, {hello, p()})),
    erlang:display(dput(DH, {6, p(), [], nobody}, lost)),
    settle(),
    erlang:display(catch dput(DH, {22, p(), p()}, x)),
    erlang:display(catch dput(DH, {6, p(), foo}, x)),
    erlang:display(catch erlang:dist_ctrl_put_data(DH, <<131, 1>>)),
    erlang:display(catch erlang:dist_ctrl_put_data(make_ref(), <<112>>))""")
    assert lines[:5] == ["ok", "ok", "ok", "got_hello", "true"]
    assert all(line.startswith("{EXIT,{badarg,") for line in lines[5:9])


def test_sending_to_a_node_queues_packets(tmp_path: Path) -> None:
    lines = run(tmp_path, r"""
    {_, DH} = connect(),
    erlang:display({me, self()}),
    show_packet(DH),
    ok = erlang:dist_ctrl_get_data_notification(DH),
    {foo, 'n2@host'} ! {hi, self()},
    receive dist_data -> erlang:display(dist_data) after 10 -> erlang:display(no_data) end,
    p() ! there,
    epid('n2@host', 85, 3, 8) ! other_incarnation,
    ok = erlang:dist_ctrl_get_data_notification(DH),
    receive dist_data -> erlang:display(dist_data) after 10 -> erlang:display(no_data) end,
    show_packet(DH), show_packet(DH), show_packet(DH)""")
    me = pid_of(lines[0])
    assert lines[1:] == [
        "none", "dist_data", "dist_data",
        packet((6, me, NIL, A("foo")), (A("hi"), me)),
        packet((22, me, P), A("there")),
        "none"]


def test_autoconnect_asks_net_kernel(tmp_path: Path) -> None:
    lines = run(tmp_path, r"""
    erlang:display(catch {foo, 'n3@host'} ! early),
    alive(),
    erlang:display({me, self()}),
    {foo, 'n3@host'} ! hello,
    settle(),
    DH = erlang:setnode('n3@host', self(), {0, 5}),
    show_packet(DH),
    erlang:display(catch erlang:setnode('n3@host', self(), {0, 5})),
    DH2 = erlang:setnode('n3@host', self(), {0, 6}),
    erlang:display(DH2 =/= DH)""")
    assert lines[0].startswith("{EXIT,{noproc,")     # no net_kernel to connect
    me = pid_of(lines[1])
    assert lines[2:] == [
        "{net_kernel_got,connect,n3@host}",
        packet((6, me, NIL, A("foo")), A("hello")),
        lines[4], "true"]
    assert lines[4].startswith("{EXIT,{badarg,")     # connected already, same creation


def test_links_across_nodes(tmp_path: Path) -> None:
    lines = run(tmp_path, r"""
    {_, DH} = connect(),
    Me = self(),
    L = spawn(fun() -> process_flag(trap_exit, true), link(p()), Me ! linked,
                       receive M -> erlang:display(M =:= {'EXIT', p(), boom}) end end),
    receive linked -> ok end,
    erlang:display({l, L}),
    show_packet(DH),
    dput(DH, {24, p(), L}, boom),
    settle(),
    L2 = spawn(fun() -> receive stop -> exit(bye) end end),
    erlang:display({l2, L2}),
    ok = dput(DH, {1, p(), L2}),
    L2 ! stop,
    settle(),
    show_packet(DH),
    L3 = spawn(fun() -> link(p()), unlink(p()), receive stop -> ok end end),
    erlang:display({l3, L3}),
    settle(),
    show_packet(DH),
    <<112, Unlink/binary>> = erlang:dist_ctrl_get_data(DH),
    {{35, Id, L3, To}, _} = binary_to_term(Unlink, [used]),
    erlang:display(is_integer(Id) andalso To =:= p()),
    L4 = spawn(fun() -> receive stop -> ok end end),
    ok = dput(DH, {1, p(), L4}),
    ok = dput(DH, {35, 77, p(), L4}),
    erlang:display({l4, L4}),
    show_packet(DH),
    ok = dput(DH, {36, 77, p(), L4}),
    erlang:display(catch dput(DH, {36, 77, p(), p()}))""")
    l1, l2, l3, l4 = (pid_of(lines[i]) for i in (0, 3, 5, 8))
    assert lines[1] == packet((1, l1, P))
    assert lines[2] == "true"
    assert lines[4] == packet((24, l2, P), A("bye"))
    assert lines[6] == packet((1, l3, P))
    assert lines[7] == "true"
    assert lines[9] == packet((36, 77, l4, P))
    assert lines[10].startswith("{EXIT,{badarg,")


def test_monitors_from_another_node(tmp_path: Path) -> None:
    lines = run(tmp_path, r"""
    {_, DH} = connect(),
    Foo = spawn(fun() -> receive stop -> exit(stopped) end end), register(foo, Foo),
    Bar = spawn(fun() -> receive stop -> exit(stopped) end end),
    erlang:display({bar, Bar}),
    ok = dput(DH, {19, p(), foo, r()}),
    ok = dput(DH, {19, p(), Bar, r()}),
    ok = dput(DH, {20, p(), Bar, r()}),
    erlang:display(catch dput(DH, {19, p(), nobody, r()})),
    Dead = spawn(fun() -> ok end), settle(),
    erlang:display({dead, Dead}),
    ok = dput(DH, {19, p(), Dead, r()}),
    show_packet(DH),
    Foo ! stop, Bar ! stop, settle(),
    show_packet(DH), show_packet(DH)""")
    dead = pid_of(lines[2])
    assert lines[1].startswith("{EXIT,{badarg,")
    assert lines[3:] == [packet((28, dead, P, R), A("noproc")),
                         packet((28, A("foo"), P, R), A("stopped")),
                         "none"]


def test_spawn_request(tmp_path: Path) -> None:
    lines = run(tmp_path, r"""
    {_, DH} = connect(),
    ok = dput(DH, {29, r(), p(), p(), {case_prog, child, 1}, [monitor]}, [arg1]),
    show_packet(DH),
    settle(),
    [Child] = [P || P <- processes(), P =/= self(), {current_function, {case_prog, child, 1}}
                                                      =:= process_info(P, current_function)],
    erlang:display({child, Child}),
    Child ! stop, settle(),
    show_packet(DH),
    erlang:display(catch dput(DH, {29, r(), p(), p(), nomfa, []}, [])),
    erlang:display(catch dput(DH, {29, r(), p(), p(), {case_prog, child, 1}, []}, notalist))""")
    child = pid_of(lines[2])
    assert lines[0] == packet((31, R, P, 2, child))
    assert lines[1] == "{child,arg1,true}"
    assert lines[3] == packet((28, child, P, R), A("done"))
    assert all(line.startswith("{EXIT,{badarg,") for line in lines[4:6])


def test_what_atomvm_does_not_support(tmp_path: Path) -> None:
    lines = run(tmp_path, r"""
    {_, DH} = connect(),
    erlang:display(catch dput(DH, {7, p(), self()})),
    erlang:display(catch dput(DH, {31, r(), self(), 0, p()})),
    erlang:display(catch monitor(process, p())),
    erlang:display(catch monitor(process, {foo, 'n2@host'})),
    erlang:display(catch exit(p(), kill)),
    erlang:display(catch demonitor(r()))""")
    assert lines[0] == "Unknown distribution protocol operation id 7"
    assert lines[2] == "Unknown distribution protocol operation id 31"
    assert all(lines[i].startswith("{EXIT,{badarg,") for i in (1, 3, 4, 5, 6, 7))
    assert len(lines) == 8


def test_a_dead_controller_disconnects_the_node(tmp_path: Path) -> None:
    lines = run(tmp_path, r"""
    {Ctl, _} = connect(),
    Me = self(),
    L = spawn(fun() -> process_flag(trap_exit, true), link(p()), Me ! linked,
                       receive M -> erlang:display(M =:= {'EXIT', p(), noconnection}) end end),
    receive linked -> ok end,
    Ctl ! stop, settle(),
    {foo, 'n2@host'} ! again, settle(),
    erlang:display(is_process_alive(L))""")
    assert lines == ["true", "{net_kernel_got,connect,n2@host}", "false"]
