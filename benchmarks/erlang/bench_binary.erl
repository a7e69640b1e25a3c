%% Binary matching: parse a 64 KiB binary of length-prefixed records, 10 times.
-module(bench_binary).
-export([start/0]).
start() ->
    Bin = make(4000, <<>>),
    loop(10, Bin, 0).
make(0, Acc) -> Acc;
make(N, Acc) -> make(N - 1, <<Acc/binary, 12:8, N:32/little, "payload", N:8>>).
loop(0, _, Acc) -> Acc;
loop(N, Bin, Acc) -> loop(N - 1, Bin, Acc + parse(Bin, 0)).
parse(<<Len:8, Rest/binary>>, Acc) ->
    <<Rec:Len/binary, Tail/binary>> = Rest,
    <<Id:32/little, _Name:7/binary, Tag:8>> = Rec,
    parse(Tail, Acc + Id + Tag);
parse(<<>>, Acc) -> Acc.
