%% The parts of the `erlang' module that are written in Erlang. Nearly every function of
%% `erlang' is a BIF or NIF of the VM and must not be defined here (natives win over
%% Erlang code of the same name, as in AtomVM).
-module(erlang).

-export([phash/2]).
-export([fun_info/1]).
-export([md5/1, get_cookie/0, get_cookie/1, set_cookie/1, set_cookie/2]).

%% erlang:md5/1 as AtomVM's estdlib writes it: the MD5 (RFC 1321) of a binary.
md5(Data) when is_binary(Data) -> crypto:hash(md5, Data).

%% Cookies as atoms, as OTP has them, over net_kernel's binary cookies (AtomVM's
%% estdlib): `nocookie' while distribution is not started.
get_cookie() -> cookie_atom(fun() -> net_kernel:get_cookie() end).

get_cookie(Node) -> cookie_atom(fun() -> net_kernel:get_cookie(Node) end).

set_cookie(Cookie) -> net_kernel:set_cookie(atom_to_binary(Cookie, latin1)).

set_cookie(Node, Cookie) -> net_kernel:set_cookie(Node, atom_to_binary(Cookie, latin1)).

cookie_atom(Get) ->
    try
        binary_to_atom(Get(), latin1)
    catch
        exit:{Reason, _} when Reason =:= noproc; Reason =:= shutdown; Reason =:= killed ->
            nocookie
    end.

%%-----------------------------------------------------------------------
%% erlang:phash/2 (OTP's "old" portable hash, result in 1..Range),
%% written in Erlang.  All arithmetic is modulo 2^32.
%%-----------------------------------------------------------------------

-define(M32, 16#FFFFFFFF).
-define(P1, 268440163).
-define(P2, 268439161).
-define(P3, 268435459).
-define(P4, 268436141).
-define(P6, 268437017).
-define(P8, 268437511).
-define(P9, 268439627).
-define(P12, 268440581).
-define(P13, 268440593).
-define(P14, 268440611).

phash(Term, Range) when is_integer(Range), Range > 0 -> hash(Term, 0) rem Range + 1.

hash([], H) -> (H * ?P3 + 1) band ?M32;
hash([_ | _] = L, H) -> hash_list(L, H);
hash(A, H) when is_atom(A) -> (H * ?P1 + atom_hash(atom_to_binary(A, utf8), 0)) band ?M32;
hash(I, H) when is_integer(I), I >= 0 -> (int_bytes(I, 0, H) * ?P3) band ?M32;
hash(I, H) when is_integer(I) -> (int_bytes(-I, 0, H) * ?P4) band ?M32;
hash(F, H) when is_float(F) ->
    %% -0.0 hashes as 0.0
    <<Hi:32, Lo:32>> = <<(F + 0.0):64/float>>,
    (H * ?P6 + (Hi bxor Lo)) band ?M32;
hash(B, H) when is_bitstring(B) ->
    (bin_bytes(B, H) * ?P4 + bit_size(B) div 8) band ?M32;
hash(T, H) when is_tuple(T) ->
    N = tuple_size(T),
    (hash_elements(T, 1, N, H) * ?P9 + N) band ?M32;
hash(M, H) when is_map(M) ->
    (H * ?P13 + ?P14 + erlang:phash2(M, 16#100000000)) band ?M32;
hash(Other, H) ->
    %% pid, port, reference, fun: no portable hash available
    (H * ?P1 + erlang:phash2(Other, 16#100000000)) band ?M32.

%% Bytes (0..255) of a list are mixed in directly; the tail (normally
%% []) is hashed last and closes the list.
hash_list([X | T], H) when is_integer(X), X >= 0, X =< 255 ->
    hash_list(T, (H * ?P2 + X) band ?M32);
hash_list([X | T], H) -> hash_list(T, hash(X, H));
hash_list(Tail, H) -> (hash(Tail, H) * ?P8) band ?M32.

hash_elements(_, I, N, H) when I > N -> H;
hash_elements(T, I, N, H) -> hash_elements(T, I + 1, N, hash(element(I, T), H)).

%% Magnitude bytes, least significant first, in groups of four.
int_bytes(0, K, H) when K > 0, K band 3 =:= 0 -> H;
int_bytes(M, K, H) -> int_bytes(M bsr 8, K + 1, (H * ?P2 + (M band 255)) band ?M32).

bin_bytes(<<B:8, Rest/bitstring>>, H) -> bin_bytes(Rest, (H * ?P1 + B) band ?M32);
bin_bytes(<<>>, H) -> H;
bin_bytes(Bits, H) ->
    Size = bit_size(Bits),
    <<V:Size>> = Bits,
    ((H * ?P1 + V) * ?P12 + Size) band ?M32.

%% hashpjw over the UTF-8 name, a latin-1 character counting as one byte.
atom_hash(<<C, D, Rest/binary>>, H) when C band 16#FE =:= 16#C2, D band 16#C0 =:= 16#80 ->
    atom_hash(Rest, pjw((C band 3) bsl 6 bor (D band 16#3F), H));
atom_hash(<<C, Rest/binary>>, H) -> atom_hash(Rest, pjw(C, H));
atom_hash(<<>>, H) -> H.

pjw(C, H0) ->
    H = ((H0 bsl 4) + C) band ?M32,
    case H band 16#F0000000 of
        0 -> H;
        G -> H bxor (G bsr 24) bxor G
    end.

%% AtomVM's fun_info/1: the items fun_info/2 knows, in this order (OTP adds a closure's
%% index, uniq and pid).
fun_info(Fun) ->
    [erlang:fun_info(Fun, Item) || Item <- [module, name, arity, type, env]].
