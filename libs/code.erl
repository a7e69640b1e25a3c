%% @doc The code functions AtomVM's estdlib writes in Erlang; the others (ensure_loaded/1,
%% all_loaded/0, load_binary/3, ...) are natives (vm/nifs/code_nifs.py).
%%
%% Both ask ensure_loaded/1, so, as on AtomVM, asking about a module the packs hold loads it,
%% and a module loaded from a binary cannot be told from one loaded at start-up.
-module(code).

-export([is_loaded/1, which/1]).

-spec is_loaded(module()) -> {file, preloaded} | false.
is_loaded(Module) ->
    case code:ensure_loaded(Module) of
        {module, _} -> {file, preloaded};
        {error, _} -> false
    end.

-spec which(module()) -> preloaded | non_existing.
which(Module) ->
    case code:ensure_loaded(Module) of
        {module, _} -> preloaded;
        {error, _} -> non_existing
    end.
