%% @doc AtomVM's `net' module: name resolution (otp_net.c). `getaddrinfo/1,2' check their
%% arguments here (a function_clause otherwise) and resolve in the NIF.
-module(net).

-export([getaddrinfo/1, getaddrinfo/2, gethostname/0]).
-export([getaddrinfo_nif/2]).

getaddrinfo(Host) when is_list(Host) ->
    ?MODULE:getaddrinfo(Host, undefined).

%% Host and Service are strings or `undefined', not both `undefined'.
getaddrinfo(Host, Service) when
    (is_list(Host) orelse Host =:= undefined) andalso
        (is_list(Service) orelse Service =:= undefined) andalso
        not (Host =:= undefined andalso Service =:= undefined)
->
    ?MODULE:getaddrinfo_nif(Host, Service).

getaddrinfo_nif(_Host, _Service) ->
    erlang:nif_error(undefined).

gethostname() ->
    erlang:nif_error(undefined).
