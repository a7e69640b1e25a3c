%% @doc AtomVM's `inet': calls on any gen_tcp / gen_udp socket, dispatched to the back end
%% the socket names, and IPv4 address helpers. Only what AtomVM's inet offers is here
%% (no `setopts/2' or `getopts/2': AtomVM has none).
-module(inet).

-export([port/1, close/1, sockname/1, peername/1, getaddr/2]).
-export([ntoa/1, parse_address/1, parse_ipv4_address/1, parse_ipv4strict_address/1]).

-include("inet-priv.hrl").

-define(IS_MONIKER(M), (M =:= ?GEN_TCP_MONIKER orelse M =:= ?GEN_UDP_MONIKER)).
-define(IS_BYTE(B), (is_integer(B) andalso B >= 0 andalso B < 256)).

port({Moniker, Impl, Module}) when ?IS_MONIKER(Moniker) ->
    Module:port(Impl).

close({Moniker, Impl, Module}) when ?IS_MONIKER(Moniker) ->
    Module:close(Impl).

sockname({Moniker, Impl, Module}) when ?IS_MONIKER(Moniker) ->
    Module:sockname(Impl).

peername({?GEN_TCP_MONIKER, Impl, Module}) ->
    Module:peername(Impl).

%% An address is itself; a name (atom or string) goes to net:getaddrinfo/1 and the first
%% address of Family wins. A short name the resolver does not know is tried again with
%% `.local', keeping only a loopback answer (AtomVM's work-around for distribution).
getaddr({A, B, C, D} = Address, _Family) when
    ?IS_BYTE(A) andalso ?IS_BYTE(B) andalso ?IS_BYTE(C) andalso ?IS_BYTE(D)
->
    {ok, Address};
getaddr(Name, Family) when is_atom(Name) ->
    getaddr(atom_to_list(Name), Family);
getaddr(Name, Family) when is_list(Name) ->
    try net:getaddrinfo(Name) of
        {ok, Infos} ->
            first_address(Infos, Family, fun(_) -> true end);
        {error, eainoname} ->
            try_local(Name, Family);
        {error, -5} ->
            {error, nxdomain};
        {error, _} = Error ->
            Error
    catch
        error:function_clause -> {error, einval}
    end;
getaddr(_Name, _Family) ->
    {error, einval}.

try_local(Name, Family) ->
    case string:split(Name, ".") of
        [Name] ->
            case net:getaddrinfo(Name ++ ".local") of
                {ok, Infos} -> first_address(Infos, Family, fun is_loopback/1);
                _ -> {error, nxdomain}
            end;
        _ ->
            {error, nxdomain}
    end.

first_address(Infos, Family, Keep) ->
    case [A || #{family := F, addr := #{addr := A}} <- Infos, F =:= Family, Keep(A)] of
        [] -> {error, nxdomain};
        [Address | _] -> {ok, Address}
    end.

is_loopback(Address) ->
    Address =:= {127, 0, 0, 1} orelse Address =:= {0, 0, 0, 0, 0, 0, 0, 1}.

ntoa({A, B, C, D}) when
    ?IS_BYTE(A) andalso ?IS_BYTE(B) andalso ?IS_BYTE(C) andalso ?IS_BYTE(D)
->
    lists:flatten([integer_to_list(A), $., integer_to_list(B), $., integer_to_list(C), $.,
        integer_to_list(D)]);
ntoa(_) ->
    {error, einval}.

parse_address(String) ->
    parse_ipv4_address(String).

parse_ipv4_address(String) ->
    parse_ipv4strict_address(String).

%% Four decimal numbers 0..255 joined by dots, none with a leading zero.
parse_ipv4strict_address(String) ->
    case string:split(String, ".", all) of
        [_, _, _, _] = Parts ->
            try [octet(P) || P <- Parts] of
                [A, B, C, D] -> {ok, {A, B, C, D}}
            catch
                error:badarg -> {error, einval}
            end;
        _ ->
            {error, einval}
    end.

octet([$0, _ | _]) ->
    error(badarg);
octet(Digits) ->
    case list_to_integer(Digits) of
        N when ?IS_BYTE(N) -> N;
        _ -> error(badarg)
    end.
