-module(bitstrings_unsupported).
%% AtomVM holds only whole bytes. Building a bitstring that is not (or a binary segment at a
%% position inside a byte) raises unsupported; matching integers at any position works, but
%% taking a binary from inside a byte is badarg (unit 8) or unsupported (another unit); a
%% bitstring literal cannot be decoded, so using it raises out_of_memory. OTP builds all these.
-export([start/0, id/1]).

id(X) -> X.

try_(F) ->
    try F() of V -> V catch C:R -> {C, R} end.

show(Tag, F) -> io:format("~w ~w~n", [Tag, try_(F)]).

start() ->
    A = id(1),
    B = id(5),
    Bin = id(<<7>>),
    N3 = id(3),
    N4 = id(4),
    %% construction
    show(c_3_13, fun() -> <<A:3, B:13>> end),
    show(c_3_5, fun() -> <<A:3, B:5>> end),
    show(c_3, fun() -> <<A:3>> end),
    show(c_1, fun() -> <<A:1>> end),
    show(c_8_4, fun() -> <<A:8, B:4>> end),
    show(c_var_size, fun() -> <<A:N3, B:N4>> end),
    show(c_var_size_ok, fun() -> <<A:N4, B:N4>> end),
    show(c_bin_unaligned, fun() -> <<A:3, Bin/binary, B:5>> end),
    show(c_bin_aligned, fun() -> <<A:4, B:4, Bin/binary>> end),
    show(c_bin_size_bits, fun() -> <<Bin:4/bits, B:4>> end),
    show(c_bin_size_var, fun() -> <<Bin:N4/bits, B:4>> end),
    show(c_bitstring_all, fun() -> <<A:4, Bin/bitstring, B:4>> end),
    show(c_float_unaligned, fun() -> <<A:4, (id(1.5)):32/float, B:4>> end),
    show(c_utf8_unaligned, fun() -> <<A:4, (id($a))/utf8, B:4>> end),
    show(c_badarg_first, fun() -> <<(id(x)):3, B:4>> end),
    show(c_badarg_later, fun() -> <<A:3, (id(x)):4>> end),
    show(c_append, fun() -> X = <<Bin/binary, A:3>>, X end),
    show(c_little, fun() -> <<A:12/little, B:4>> end),
    show(c_guard, fun() -> if is_binary(<<A:N3>>) -> yes; true -> no end end),
    show(c_comprehension, fun() -> << <<X:1>> || X <- id([1, 0, 1, 1, 0, 1, 0, 1]) >> end),
    show(c_float_unit, fun() -> <<(id(2.5)):(id(8))/float-unit:8>> end),
    show(c_float_unit_32, fun() -> <<(id(2.5)):(id(32))/float-unit:8>> end),
    show(c_big_int, fun() -> <<(id(1 bsl 70 + 5)):80>> end),
    show(c_comprehension_short, fun() -> << <<X:1>> || X <- id([1, 0, 1]) >> end),
    %% matching
    X = <<A:3, B:13>>,
    show(m_int_unaligned, fun() -> <<_:3, Y:13>> = X, Y end),
    show(m_int_4, fun() -> <<_:4, Z:4, _/binary>> = id(<<255, 1>>), Z end),
    show(m_int_little, fun() -> <<_:1, Z:12/little, _:3>> = id(<<255, 1>>), Z end),
    show(m_bin_unit1, fun() -> <<_:4, Z:8/binary-unit:1, _/bits>> = id(<<255, 1>>), Z end),
    show(m_bin_unaligned, fun() -> <<_:4, Z:1/binary, _/bits>> = id(<<255, 1, 2>>), Z end),
    show(m_bin_aligned, fun() -> <<_:8, Z:1/binary, _/bits>> = id(<<255, 1, 2>>), Z end),
    show(m_bits_tail, fun() -> <<_:4, Z/bits>> = id(<<255, 1>>), Z end),
    show(m_binary_tail, fun() -> <<_:4, Z/binary>> = id(<<255, 1>>), Z end),
    show(m_bits_3, fun() -> <<Z:3/bits, _/bits>> = id(<<255, 1>>), Z end),
    show(m_float_unaligned, fun() -> <<_:4, F:32/float, _:4>> = id(<<3, 252, 0, 0, 0>>), F end),
    show(m_utf8_unaligned, fun() -> <<_:4, U/utf8, _:4>> = id(<<6, 16>>), U end),
    show(m_skip_unaligned, fun() -> <<_:4, _:8, Z:4>> = id(<<255, 1>>), Z end),
    show(m_size_bin, fun() -> bit_size(id(<<1, 2>>)) end),
    show(m_size_atom, fun() -> dyn_int(id(a), id(<<1, 2>>)) end),
    show(m_size_neg, fun() -> dyn_int(id(-1), id(<<1, 2>>)) end),
    show(m_size_over, fun() -> dyn_int(id(17), id(<<1, 2>>)) end),
    show(m_float_unit, fun() -> dyn_float(id(2), id(<<1.0:16/float>>)) end),
    show(m_float_ok, fun() -> dyn_float(id(16), id(<<1.0:16/float, 0:240>>)) end),
    %% literals
    show(l_bit_size, fun() -> bit_size(<<1:1>>) end),
    show(l_in_list, fun() -> [<<1:3>>] end),
    show(l_is_bitstring, fun() -> is_bitstring(<<5:4>>) end),
    show(l_binary_fine, fun() -> [<<1, 2>>] end),
    show(l_bitstring_to_list, fun() -> bitstring_to_list(<<1, 2, 3:3>>) end),
    show(l_list_to_bitstring, fun() -> list_to_bitstring([<<1>>, 2, <<3:4>>]) end),
    show(l_binary_to_list, fun() -> binary_to_list(id(<<1:3>>)) end),
    %% external terms
    show(b2t_bits, fun() -> binary_to_term(id(<<131, 77, 0, 0, 0, 1, 3, 160>>)) end),
    show(b2t_bin, fun() -> binary_to_term(id(<<131, 109, 0, 0, 0, 1, 160>>)) end),
    ok.

dyn_int(S, Bin) -> case Bin of <<N:S, _/bits>> -> N; _ -> nomatch end.

dyn_float(S, Bin) -> case Bin of <<F:S/float-unit:8, _/bits>> -> F; _ -> nomatch end.
