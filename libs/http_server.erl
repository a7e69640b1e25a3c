%% http_server -- AtomVM's tiny HTTP/1.1 server (avm_network http_server).
%%
%% start_server(Port, Router) listens with gen_tcp:listen(Port, []) (list
%% mode, active) and returns the pid of the first acceptor; when listening
%% fails, the error is shown with erlang:display/1 and start_server returns
%% what display returns (true), as AtomVM's does. Each accepted connection
%% is served by the process that accepted it (a new acceptor is spawned
%% first): it reads one request, calls the handler, and ends.
%%
%% Router is a list of {Target, Module, Opts}: Target is the whole request
%% URI as a string ("/", "/a?x=1") or "*" for any. The first match gets
%%   Module:handle_req(Method, PathSegments, Conn) -> {ok, Conn1}
%% with Method a string ("GET"), PathSegments the URI split at "/" without
%% the part before the first slash and without one trailing empty segment
%% ("/" -> [], "/system/info" -> ["system", "info"]; the query string stays
%% in the last segment), and Conn a proplist
%%   [{socket, S}, {body_chunk, Body}?, {header, "Name: value"}...,
%%    {http_version, "HTTP/1.1"}, {uri, Uri}, {method, Method}]
%% (the most recent field first). As on AtomVM, the body is what arrived in
%% the same TCP segment as the end of the headers; a URI no route matches
%% makes the connection's process exit with {badmatch, {error, 404}}; bytes
%% the parser cannot place (a CR not followed by LF) are shown as
%% {consume, [Char]} and the connection waits until the peer closes.
%%
%% reply/4 sends "HTTP/1.1 <status>", the header lines (iodata, each ending in
%% CRLF), an empty line and the body: a binary, or a list whose elements are
%% sent one gen_tcp:send each (from the first element that is neither a list
%% nor a binary, the rest goes in one send). Status text: "200 OK", else
%% "<code> NotOK" (AtomVM's). reply/3 adds "Content-Type: text/html" and
%% "Connection: close" and closes the socket; both return {ok, Conn}, with
%% {closed, true} in front once the socket is closed.
-module(http_server).

-export([start_server/2, reply/3, reply/4, parse_query_string/1]).

-type route() :: {string(), module(), term()}.
-type conn() :: [{atom(), term()}].
-export_type([conn/0]).

-define(REPLY3_HEADERS, <<"Content-Type: text/html\r\nConnection: close\r\n">>).
%% States waiting for the first character of a part, and the state it starts.
-define(FIRST_CHAR_STATES, #{
    request_line => method,
    uri_start => uri,
    version_start => version,
    header_start => header,
    body_start => body
}).

%% @doc Listen on Port and serve each connection with the first matching route.
-spec start_server(inet:port_number(), [route()]) -> pid() | true.
start_server(Port, Router) ->
    case gen_tcp:listen(Port, []) of
        {ok, Listener} -> spawn(fun() -> accept(Listener, Router) end);
        Error -> erlang:display(Error)
    end.

accept(Listener, Router) ->
    case gen_tcp:accept(Listener) of
        {ok, _Socket} ->
            spawn(fun() -> accept(Listener, Router) end),
            serve(Router, {request_line, [], []});
        Error ->
            erlang:display(Error)
    end.

%% Packets arrive as {tcp, S, Chars} in this (the owning) process.
serve(Router, Parser) ->
    receive
        {tcp_closed, _Socket} ->
            ok;
        {tcp, Socket, Chars} ->
            case parse(Chars, Parser) of
                {request, Fields} -> dispatch(Router, [{socket, Socket} | Fields]);
                {incomplete, Parser1} -> serve(Router, Parser1)
            end
    end.

dispatch(Router, Conn) ->
    Method = proplists:get_value(method, Conn),
    Uri = proplists:get_value(uri, Conn),
    {ok, Handler} = route(Uri, Router),
    {ok, _Conn1} = Handler:handle_req(Method, path_segments(Uri), Conn),
    ok.

route(_Uri, []) -> {error, 404};
route(Uri, [{Uri, Handler, _Opts} | _]) -> {ok, Handler};
route(_Uri, [{"*", Handler, _Opts} | _]) -> {ok, Handler};
route(Uri, [_ | Routes]) -> route(Uri, Routes).

%% "/a/b/" -> ["a", "b"]; what precedes the first "/" is dropped too.
path_segments(Uri) ->
    [_BeforeFirstSlash | Segments] = without_trailing_empty(split_at_slashes(Uri)),
    Segments.

split_at_slashes(Chars) ->
    case lists:splitwith(fun(C) -> C =/= $/ end, Chars) of
        {Segment, [$/ | Rest]} -> [Segment | split_at_slashes(Rest)];
        {Segment, []} -> [Segment]
    end.

without_trailing_empty(Segments) ->
    case lists:last(Segments) of
        [] -> lists:droplast(Segments);
        _ -> Segments
    end.

%% The request parser: {State, ReversedChars, Fields} fed one segment at a
%% time. A request is complete when a segment ends after the empty line.
parse([], {body_start, [], Fields}) -> {request, Fields};
parse([], {body, Acc, Fields}) -> {request, [{body_chunk, lists:reverse(Acc)} | Fields]};
parse([], Parser) -> {incomplete, Parser};
parse([C | Rest], Parser) -> parse(Rest, step(C, Parser)).

%% One character: the states of a request line, headers and body.
step($\s, {method, Acc, Fields}) -> {uri_start, [], [{method, lists:reverse(Acc)} | Fields]};
step($\s, {uri, Acc, Fields}) -> {version_start, [], [{uri, lists:reverse(Acc)} | Fields]};
step($\r, {version, Acc, Fields}) ->
    {{lf, header_start}, [], [{http_version, lists:reverse(Acc)} | Fields]};
step($\r, {header, Acc, Fields}) ->
    {{lf, header_start}, [], [{header, lists:reverse(Acc)} | Fields]};
step($\r, {header_start, [], Fields}) -> {{lf, body_start}, [], Fields};
step($\n, {{lf, Next}, [], Fields}) -> {Next, [], Fields};
step(C, {{lf, _Next}, _, Fields}) -> consume(C, Fields);
step(C, {consume, _, Fields}) -> consume(C, Fields);
step(C, {Start, [], Fields}) when is_map_key(Start, ?FIRST_CHAR_STATES) ->
    {maps:get(Start, ?FIRST_CHAR_STATES), [C], Fields};
step(C, {State, Acc, Fields}) -> {State, [C | Acc], Fields}.

consume(C, Fields) ->
    erlang:display({consume, [C]}),
    {consume, [], Fields}.

%% @doc Send a status line, the given header lines and a body on Conn's socket.
-spec reply(non_neg_integer(), iodata(), iodata(), conn()) -> {ok, conn()}.
reply(StatusCode, ReplyBody, ReplyHeaders, Conn) ->
    Socket = proplists:get_value(socket, Conn),
    Head = [<<"HTTP/1.1 ">>, status_text(StatusCode), <<"\r\n">>, ReplyHeaders, <<"\r\n">>],
    case send_chunks(Socket, [Head | body_chunks(ReplyBody)]) of
        ok ->
            {ok, Conn};
        {error, _} ->
            gen_tcp:close(Socket),
            {ok, [{closed, true} | Conn]}
    end.

%% @doc Reply as an HTML page and close the connection.
-spec reply(non_neg_integer(), iodata(), conn()) -> {ok, conn()}.
reply(StatusCode, ReplyBody, Conn) ->
    {ok, Sent} = reply(StatusCode, ReplyBody, [?REPLY3_HEADERS], Conn),
    gen_tcp:close(proplists:get_value(socket, Sent)),
    case proplists:get_value(closed, Sent) of
        true -> {ok, Sent};
        undefined -> {ok, [{closed, true} | Sent]}
    end.

status_text(200) -> <<"200 OK">>;
status_text(Code) -> [integer_to_binary(Code), <<" NotOK">>].

body_chunks(Body) when is_list(Body) -> Body;
body_chunks(Body) -> [Body].

send_chunks(_Socket, []) ->
    ok;
send_chunks(Socket, [Chunk | Rest]) when is_list(Chunk); is_binary(Chunk) ->
    case gen_tcp:send(Socket, Chunk) of
        ok -> send_chunks(Socket, Rest);
        {error, _} = Error -> Error
    end;
send_chunks(Socket, IoData) ->
    gen_tcp:send(Socket, IoData).

%% @doc "a=1&b=x+y" -> [{"b", "x y"}, {"a", "1"}] (the last pair first).
%% As AtomVM's, a %XX escape is decoded back into the input, so "%26" splits
%% pairs like "&" and "%2B" becomes a space; a query ending inside a key
%% (or empty) is a function_clause error.
-spec parse_query_string(string()) -> [{string(), string()}].
parse_query_string(Query) ->
    query_pairs(Query, key, [], []).

query_pairs([$+ | Rest], Part, Acc, Pairs) ->
    query_pairs([$\s | Rest], Part, Acc, Pairs);
query_pairs([$%, High, Low | Rest], Part, Acc, Pairs) ->
    query_pairs([hex_digit(High) * 16 + hex_digit(Low) | Rest], Part, Acc, Pairs);
query_pairs([$= | Rest], key, Acc, Pairs) ->
    query_pairs(Rest, {value, lists:reverse(Acc)}, [], Pairs);
query_pairs([$& | Rest], {value, Key}, Acc, Pairs) ->
    query_pairs(Rest, key, [], [{Key, lists:reverse(Acc)} | Pairs]);
query_pairs([], {value, Key}, Acc, Pairs) ->
    [{Key, lists:reverse(Acc)} | Pairs];
query_pairs([C | Rest], Part, Acc, Pairs) ->
    query_pairs(Rest, Part, [C | Acc], Pairs).

hex_digit(C) when C >= $0, C =< $9 -> C - $0;
hex_digit(C) when C >= $a, C =< $f -> C - $a + 10;
hex_digit(C) when C >= $A, C =< $F -> C - $A + 10.
