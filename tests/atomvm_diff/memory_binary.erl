-module(memory_binary).
%% erlang:memory(binary) as AtomVM counts it: the bytes of every live refc binary (64 bytes
%% and more), whoever holds them. A sub-binary (matching, binary:part/split, split_binary:
%% 16 bytes or more of a refc or sub binary) keeps its whole source alive; a shorter slice
%% is a copy on the heap; binary:copy, appending, list_to_binary and term_to_binary make new
%% refc binaries; a binary sent to another process is shared, not copied.
-export([start/0, id/1, keep/2, mk/1]).
id(X) -> X.
keep(Parent, X) -> Parent ! {kept, byte_size(X)}, receive stop -> X end.
mk(N) -> binary:copy(<<"0123456789">>, N).
m(Tag) -> io:format("~w ~w~n", [Tag, erlang:memory(binary)]).
gc(Tag) -> erlang:garbage_collect(), m(Tag).
start() ->
    m(start),
    Big = binary:copy(<<"abcdefgh">>, ?MODULE:id(100)),
    m(big),
    <<_:10/binary, Sub:20/binary, _/binary>> = Big,
    m(match_sub),
    Part = binary:part(Big, 100, 300),
    m(part),
    Small = binary:copy(<<"x">>, ?MODULE:id(10)),
    m(small_copy),
    Big2 = <<Big/binary, "more">>,
    m(append),
    Copied = binary:copy(Part),
    m(copy_of_sub),
    B64 = binary:copy(<<1>>, ?MODULE:id(64)),
    B63 = binary:copy(<<1>>, ?MODULE:id(63)),
    m(b64_b63),
    Back = list_to_binary(binary_to_list(?MODULE:id(Big))),
    m(list_to_binary),
    T = term_to_binary(binary_to_list(Small)),
    m(term_to_binary),
    ?MODULE:id({Big, Sub, Part, Small, Big2, Copied, B64, B63, Back, T}),
    gc(all_dropped),
    Short = begin B1 = ?MODULE:mk(?MODULE:id(50)), binary:part(B1, 3, 5) end,
    gc(short_part_is_a_copy),
    Long = begin B2 = ?MODULE:mk(?MODULE:id(40)), binary:part(B2, 3, 50) end,
    gc(long_part_keeps_source),
    <<_:2/binary, Sub2:100/binary, _/binary>> = ?MODULE:mk(?MODULE:id(30)),
    gc(match_keeps_source),
    Split = binary:split(?MODULE:mk(?MODULE:id(20)), <<"5">>),
    gc(split_keeps_source),
    {SplitA, _} = split_binary(?MODULE:mk(?MODULE:id(15)), 70),
    gc(split_binary_keeps_source),
    SubOfSub = binary:part(Sub2, 10, 40),
    P = spawn(?MODULE, keep, [self(), SubOfSub]),
    receive {kept, _} -> ok end,
    m(sent_sub_of_sub),
    ?MODULE:id({Short, Long, Split, SplitA}),
    gc(sub_of_sub_kept_by_receiver),
    P ! stop, timer:sleep(10),
    gc(receiver_gone),
    Copy = binary:copy(Sub2),
    gc(copy_then_drop_sub),
    ?MODULE:id(Copy),
    gc(nothing_left),
    ok.
