%% printable(Term): Term with every improper list [H1, ..., Hn | Tail] replaced by
%% {'|', [H1, ..., Hn], Tail}, in lists and tuples at any depth.
%%
%% AtomVM's io_lib, hence avmsim's (libs/io_lib.erl) and the reference erl's (which loads
%% avmsim's, see tests/conformance.py), fails with badarg on an improper list. Test
%% programs that must print one (a key that is an improper list, a dict's [Key | Value]
%% pairs) print it through printable/1, on both sides alike.

printable(L) when is_list(L) -> printable(L, []);
printable(T) when is_tuple(T) -> list_to_tuple([printable(E) || E <- tuple_to_list(T)]);
printable(X) -> X.

printable([H | T], Acc) -> printable(T, [printable(H) | Acc]);
printable([], Acc) -> lists:reverse(Acc);
printable(Tail, Acc) -> {'|', lists:reverse(Acc), printable(Tail)}.
