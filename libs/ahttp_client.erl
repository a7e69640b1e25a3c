%% ahttp_client -- AtomVM's asynchronous HTTP/1.1 client (avm_network).
%%
%% connect(http | https, Host, Port, Options) opens a gen_tcp (http) or ssl
%% (https) connection in binary mode, active unless Options say
%% {active, false}; {parse_headers, [Name]} adds header names to report
%% (Content-Length always is). request/5 sends one request:
%%   Method SP Path " HTTP/1.1" CRLF "Host: " Host CRLF Headers CRLF Body
%% (a binary Body gets a Content-Length header in front of Headers;
%% undefined, nil and stream send no body; stream_request_body/3 sends more).
%%
%% The response comes as a list of, in order:
%%   {status, Ref, Code}, {header, Ref, {Name, Value}},
%%   {header_continuation, Ref, {Name, Value}}, {data, Ref, Bin}, {done, Ref}
%% from stream/2 (active mode: feed it every message; {ok, Conn, closed} on
%% tcp_closed, unknown for a message of another socket, or an ssl_closed, as
%% AtomVM) or recv/2 (passive mode). Only wanted headers are reported, under
%% the caller's spelling of the name, values trimmed of spaces and tabs.
%% {done, Ref} comes when Content-Length bytes of body have arrived; without
%% Content-Length (or with Content-Length: 0) the end of the body is the end
%% of the connection, and a chunked body is passed on undecoded. Errors are
%% {error, {gen_tcp | ssl, Reason}}.
-module(ahttp_client).

-export([connect/4, request/5, stream/2, stream_request_body/3, recv/2, close/1]).

-export_type([connection/0, error_tuple/0, backend/0]).

-type backend() :: gen_tcp | ssl.
-type error_tuple() :: {error, {backend(), term()}}.
-type response() ::
    {status, reference(), 0..999}
    | {header, reference(), {binary(), binary()}}
    | {header_continuation, reference(), {binary(), binary()}}
    | {data, reference(), binary()}
    | {done, reference()}.

%% The response parser. last_header: the wanted header a continuation line
%% extends, ignore after an unwanted one.
-record(parser, {
    state = status :: status | headers | body | done,
    buffer = <<>> :: binary(),
    remaining = undefined :: non_neg_integer() | undefined,
    last_header = undefined :: binary() | ignore | undefined,
    wanted :: [binary()]
}).

-record(conn, {
    backend :: backend(),
    socket :: term(),
    host :: binary(),
    extra_headers :: [binary()],
    ref = undefined :: reference() | undefined,
    parser = undefined :: #parser{} | undefined
}).

-opaque connection() :: #conn{}.

-define(ALWAYS_WANTED, [<<"Content-Length">>]).
-define(IS_BLANK(C), (C =:= $\s orelse C =:= $\t)).

%% Which module carries each protocol, and the active-mode message tags of
%% its data and of its end of stream (AtomVM's client handles no ssl_closed).
-define(BACKENDS, #{http => gen_tcp, https => ssl}).
-define(DATA_TAG, #{gen_tcp => tcp, ssl => ssl}).
-define(CLOSED_TAG, #{gen_tcp => tcp_closed}).

%% @doc Connect to Host:Port (Host a name, a dotted IPv4 string or a binary).
-spec connect(http | https, binary() | string(), inet:port_number(), list()) ->
    {ok, connection()} | error_tuple().
connect(Protocol, Host, Port, Options) when is_binary(Host) ->
    connect(Protocol, binary_to_list(Host), Port, Options);
connect(Protocol, Host, Port, Options) when is_map_key(Protocol, ?BACKENDS) ->
    Backend = maps:get(Protocol, ?BACKENDS),
    {Wanted, SocketOptions} = take_parse_headers(Options),
    case Backend:connect(Host, Port, [binary | with_active(SocketOptions)]) of
        {ok, Socket} ->
            {ok, #conn{
                backend = Backend,
                socket = Socket,
                host = iolist_to_binary(Host),
                extra_headers = Wanted
            }};
        {error, Reason} ->
            {error, {Backend, Reason}}
    end.

with_active(Options) ->
    case proplists:get_value(active, Options) of
        undefined -> [{active, true} | Options];
        _ -> Options
    end.

take_parse_headers(Options) ->
    case proplists:get_value(parse_headers, Options) of
        undefined -> {[], Options};
        Names -> {Names, proplists:delete(parse_headers, Options)}
    end.

%% @doc Send a request; its responses will carry the returned reference.
-spec request(connection(), iodata(), iodata(), [{iodata(), iodata()}],
              binary() | undefined | nil | stream) ->
    {ok, connection(), reference()} | error_tuple().
request(#conn{host = Host} = Conn, Method, Path, Headers, Body) ->
    {BodyBin, AllHeaders} = body_and_headers(Body, Headers),
    Request = iolist_to_binary([
        Method, $\s, Path, <<" HTTP/1.1\r\nHost: ">>, Host, <<"\r\n">>,
        lists:map(fun header_line/1, AllHeaders),
        <<"\r\n">>, BodyBin
    ]),
    case send(Conn, Request) of
        ok ->
            Ref = make_ref(),
            Parser = #parser{wanted = ?ALWAYS_WANTED ++ Conn#conn.extra_headers},
            {ok, Conn#conn{ref = Ref, parser = Parser}, Ref};
        Error ->
            Error
    end.

header_line({Name, Value}) -> [Name, <<": ">>, Value, <<"\r\n">>].

body_and_headers(NoBody, Headers) when NoBody =:= undefined; NoBody =:= nil; NoBody =:= stream ->
    {<<>>, Headers};
body_and_headers(Body, Headers) ->
    {Body, [{<<"Content-Length">>, integer_to_binary(byte_size(Body))} | Headers]}.

%% @doc Send a chunk of a request body announced with Body = stream.
-spec stream_request_body(connection(), reference(), iodata()) ->
    {ok, connection(), reference()} | error_tuple().
stream_request_body(#conn{ref = Ref} = Conn, Ref, Chunk) ->
    case send(Conn, iolist_to_binary(Chunk)) of
        ok -> {ok, Conn, Ref};
        Error -> Error
    end.

send(#conn{backend = Backend, socket = Socket}, Data) ->
    case Backend:send(Socket, Data) of
        ok -> ok;
        {error, Reason} -> {error, {Backend, Reason}}
    end.

%% @doc Parse an active-mode message of this connection's socket.
-spec stream(connection(), term()) ->
    {ok, connection(), [response()] | closed} | unknown | error_tuple().
stream(#conn{backend = Backend, socket = Socket} = Conn, Message) ->
    DataTag = maps:get(Backend, ?DATA_TAG),
    ClosedTag = maps:get(Backend, ?CLOSED_TAG, undefined),
    case Message of
        {DataTag, Socket, Chunk} -> feed(Conn, Chunk);
        {ClosedTag, Socket} when ClosedTag =/= undefined -> {ok, Conn, closed};
        _ -> unknown
    end.

%% @doc Receive Len bytes (0: whatever is there) in passive mode and parse them.
-spec recv(connection(), non_neg_integer()) -> {ok, connection(), [response()]} | error_tuple().
recv(#conn{backend = Backend, socket = Socket} = Conn, Len) ->
    case Backend:recv(Socket, Len) of
        {ok, Chunk} -> feed(Conn, Chunk);
        {error, Reason} -> {error, {Backend, Reason}}
    end.

%% @doc Close the connection.
-spec close(connection()) -> ok | error_tuple().
close(#conn{backend = Backend, socket = Socket}) ->
    case Backend:close(Socket) of
        ok -> ok;
        Other -> {error, {Backend, Other}}
    end.

%% A malformed response (a status line other than HTTP/1.0 or HTTP/1.1 with a
%% three-digit code, or bytes after the end) is a badmatch, as on AtomVM.
feed(#conn{parser = Parser, ref = Ref} = Conn, Chunk) ->
    Buffered = Parser#parser{buffer = <<(Parser#parser.buffer)/binary, Chunk/binary>>},
    {ok, Parser1, Found} = parse(Buffered, []),
    {ok, Conn#conn{parser = Parser1}, [tag(Item, Ref) || Item <- lists:reverse(Found)]}.

tag(done, Ref) -> {done, Ref};
tag({Kind, Value}, Ref) -> {Kind, Ref, Value}.

%% Found collects parsed items, the latest first.
parse(#parser{state = body, buffer = <<>>} = Parser, Found) ->
    {ok, Parser, Found};
parse(#parser{state = body, buffer = Data, remaining = Remaining} = Parser, Found) ->
    Left = case Remaining of undefined -> undefined; _ -> Remaining - byte_size(Data) end,
    Parser1 = Parser#parser{buffer = <<>>, remaining = Left},
    case Left of
        0 -> {ok, Parser1#parser{state = done}, [done, {data, Data} | Found]};
        _ -> {ok, Parser1, [{data, Data} | Found]}
    end;
parse(#parser{buffer = Buffer} = Parser, Found) ->
    case binary:split(Buffer, <<"\r\n">>) of
        [_Partial] ->
            {ok, Parser, Found};
        [Line, Rest] ->
            case line(Line, Parser#parser{buffer = Rest}) of
                {ok, Parser1} -> parse(Parser1, Found);
                {ok, Parser1, Item} -> parse(Parser1, [Item | Found]);
                {error, _} = Error -> Error
            end
    end.

line(<<"HTTP/1.", Minor, " ", Code:3/binary, " ", _Reason/binary>>, #parser{state = status} = P)
        when Minor =:= $0; Minor =:= $1 ->
    {ok, P#parser{state = headers}, {status, binary_to_integer(Code)}};
line(<<>>, #parser{state = headers} = P) ->
    {ok, P#parser{state = body}};
line(<<C, _/binary>>, #parser{state = headers, last_header = ignore} = P) when ?IS_BLANK(C) ->
    {ok, P};
line(<<C, More/binary>>, #parser{state = headers, last_header = Name} = P)
        when ?IS_BLANK(C), is_binary(Name) ->
    {ok, P, {header_continuation, {Name, trim(More)}}};
line(Line, #parser{state = headers, wanted = Wanted} = P) ->
    case wanted_header(Wanted, Line) of
        {Name, RawValue} ->
            Value = trim(RawValue),
            {ok, with_length(Name, Value, P#parser{last_header = Name}), {header, {Name, Value}}};
        ignore ->
            {ok, P#parser{last_header = ignore}}
    end;
line(Line, _Parser) ->
    {error, {unexpected_line, Line}}.

with_length(<<"Content-Length">>, Value, P) -> P#parser{remaining = binary_to_integer(Value)};
with_length(_Name, _Value, P) -> P.

%% "Name:value" where Name is a wanted name in any case; the wanted spelling is kept.
wanted_header([], _Line) ->
    ignore;
wanted_header([Name | Names], Line) ->
    Size = byte_size(Name),
    case Line of
        <<Candidate:Size/binary, $:, Value/binary>> ->
            case lower(Candidate) =:= lower(Name) of
                true -> {Name, Value};
                false -> wanted_header(Names, Line)
            end;
        _ ->
            wanted_header(Names, Line)
    end.

lower(Bin) -> <<<<(ascii_lower(C))>> || <<C>> <= Bin>>.

ascii_lower(C) when C >= $A, C =< $Z -> C + 32;
ascii_lower(C) -> C.

trim(Bin) -> trim_end(trim_start(Bin)).

trim_start(<<C, Rest/binary>>) when ?IS_BLANK(C) -> trim_start(Rest);
trim_start(Bin) -> Bin.

trim_end(Bin) ->
    Keep = byte_size(Bin) - 1,
    case Bin of
        <<Start:Keep/binary, C>> when ?IS_BLANK(C) -> trim_end(Start);
        _ -> Bin
    end.
