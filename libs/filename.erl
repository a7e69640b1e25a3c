%% @doc filename:join/1 and split/1 as AtomVM's estdlib has them: strings with "/" as the
%% only separator. As there (and unlike OTP), join keeps a trailing "/" and only runs of "/"
%% are collapsed.
-module(filename).

-export([join/1, split/1]).

%% The components joined by "/"; an absolute component drops the ones before it.
-spec join([string(), ...]) -> string().
join([First | Rest]) ->
    single_slashes(lists:foldl(fun append/2, First, Rest)).

append([$/ | _] = Absolute, _Path) -> Absolute;
append(Relative, Path) -> Path ++ [$/ | Relative].

single_slashes([$/, $/ | Rest]) -> single_slashes([$/ | Rest]);
single_slashes([C | Rest]) -> [C | single_slashes(Rest)];
single_slashes([]) -> [].

%% The components of a path, "/" first when it is absolute; empty ones are dropped.
-spec split(string()) -> [string()].
split([$/ | Rest]) -> ["/" | string:lexemes(Rest, "/")];
split(Name) -> string:lexemes(Name, "/").
