%% mdns -- AtomVM's mDNS responder (avm_network mdns): answers A queries for
%% <hostname>.local with the interface's address.
%%
%% start_link(#{hostname := iodata(), interface := {A, B, C, D}, ttl => Secs})
%% starts a gen_server that opens a UDP socket (socket module), sets
%% reuseaddr, joins 224.0.0.251 on the interface and binds 0.0.0.0:5353 (as
%% AtomVM does for ESP-IDF 5.4). A standard query (QR = 0, opcode 0) whose
%% question is the class IN, type A name [Hostname, "local"] (either compared
%% without case) is answered with a message that keeps the query's id, sets
%% QR and AA, repeats the question and carries one A record
%% <configured hostname>.local, TTL (default 900), the interface's address.
%% The answer goes to the asker when the question's unicast-response bit is
%% set, else to 224.0.0.251:5353. Datagrams from the interface's own address
%% and port are ignored; malformed ones too. stop/1 stops it.
%%
%% parse_dns_message/1, parse_dns_name/2, serialize_dns_message/1 and
%% serialize_dns_name/1 are exported as on AtomVM (its unit tests use them);
%% messages are the tuples of the records below, errors AtomVM's terms. One
%% difference: a name whose compression pointers loop is {error,
%% {invalid_name, Data}} here, where AtomVM recurses until memory runs out.
-module(mdns).

-behaviour(gen_server).

-export([start_link/1, stop/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).
-export([parse_dns_message/1, parse_dns_name/2, serialize_dns_message/1, serialize_dns_name/1]).

-define(MDNS_PORT, 5353).
-define(MDNS_GROUP, {224, 0, 0, 251}).
-define(DEFAULT_TTL, 900).
-define(TYPE_A, 1).
-define(CLASS_IN, 1).
-define(QR_QUERY, 0).
-define(QR_REPLY, 1).
-define(OPCODE_QUERY, 0).
%% A DNS name is at most 255 bytes, so more pointer hops than this is a loop.
-define(MAX_POINTER_HOPS, 128).

-record(dns_question, {
    qname :: [binary()],
    qtype :: non_neg_integer(),
    unicast_response :: 0 | 1,
    qclass :: non_neg_integer()
}).

-record(dns_rrecord, {
    name :: [binary()],
    type :: non_neg_integer(),
    class :: non_neg_integer(),
    ttl :: non_neg_integer(),
    rdata :: binary()
}).

-record(dns_message, {
    id :: non_neg_integer(),
    qr :: 0 | 1,
    opcode :: 0..15,
    aa :: 0 | 1,
    questions = [] :: [#dns_question{}],
    answers = [] :: [#dns_rrecord{}],
    authority_rr = [] :: [#dns_rrecord{}],
    additional_rr = [] :: [#dns_rrecord{}]
}).

-record(state, {
    socket :: term(),
    hostname :: binary(),
    self_addr :: map(),
    ttl :: pos_integer(),
    select_ref = undefined :: reference() | undefined
}).

-type config() :: #{hostname := iodata(), interface := inet:ip4_address(), ttl => pos_integer()}.

%% @doc Start a responder for Hostname.local on the given interface address.
-spec start_link(config()) -> {ok, pid()} | {error, term()}.
start_link(Config) ->
    gen_server:start_link(?MODULE, Config, []).

%% @doc Stop a responder.
-spec stop(pid()) -> ok.
stop(Pid) ->
    gen_server:stop(Pid).

%% @hidden
init(Config) ->
    Interface = maps:get(interface, Config),
    {ok, Socket} = socket:open(inet, dgram, udp),
    ok = socket:setopt(Socket, {socket, reuseaddr}, true),
    ok = socket:setopt(Socket, {ip, add_membership},
                       #{multiaddr => ?MDNS_GROUP, interface => Interface}),
    ok = socket:bind(Socket, #{family => inet, addr => {0, 0, 0, 0}, port => ?MDNS_PORT}),
    State = #state{
        socket = Socket,
        hostname = iolist_to_binary(maps:get(hostname, Config)),
        self_addr = #{family => inet, addr => Interface, port => ?MDNS_PORT},
        ttl = maps:get(ttl, Config, ?DEFAULT_TTL)
    },
    {ok, receive_all(State)}.

%% @hidden
handle_call(_Request, _From, State) ->
    {noreply, State}.

%% @hidden
handle_cast(_Request, State) ->
    {noreply, State}.

%% @hidden The socket said a datagram is waiting (the only message expected).
handle_info({'$socket', Socket, select, Ref}, #state{socket = Socket, select_ref = Ref} = State) ->
    {noreply, receive_all(State)}.

%% @hidden
terminate(_Reason, #state{socket = Socket}) ->
    socket:close(Socket),
    ok.

%% Answer every datagram already queued, then wait for a select message.
receive_all(#state{socket = Socket} = State) ->
    case socket:recvfrom(Socket, 0, nowait) of
        {ok, {From, Datagram}} ->
            answer(State, From, Datagram),
            receive_all(State);
        {select, {select_info, recvfrom, Ref}} ->
            State#state{select_ref = Ref}
    end.

answer(#state{self_addr = Self}, Self, _Datagram) ->
    ok;
answer(State, From, Datagram) ->
    case parse_dns_message(Datagram) of
        {ok, #dns_message{qr = ?QR_QUERY, opcode = ?OPCODE_QUERY, id = Id, questions = Qs}} ->
            lists:foreach(fun(Q) -> answer_question(State, From, Id, Q) end, Qs);
        _NotAQuery ->
            ok
    end.

answer_question(State, From, Id, #dns_question{qname = [Host, Domain], qtype = ?TYPE_A,
                                               qclass = ?CLASS_IN} = Question) ->
    case same_name(Domain, <<"local">>) andalso same_name(Host, State#state.hostname) of
        true -> send_answer(State, From, Id, Question);
        false -> ok
    end;
answer_question(_State, _From, _Id, _Question) ->
    ok.

same_name(A, B) ->
    string:to_lower(binary_to_list(A)) =:= string:to_lower(binary_to_list(B)).

send_answer(#state{socket = Socket, hostname = Name, ttl = TTL, self_addr = Self}, From, Id,
            Question) ->
    {A, B, C, D} = maps:get(addr, Self),
    Record = #dns_rrecord{name = [Name, <<"local">>], type = ?TYPE_A, class = ?CLASS_IN,
                          ttl = TTL, rdata = <<A, B, C, D>>},
    Reply = #dns_message{id = Id, qr = ?QR_REPLY, opcode = ?OPCODE_QUERY, aa = 1,
                         questions = [Question], answers = [Record]},
    socket:sendto(Socket, serialize_dns_message(Reply), reply_destination(Question, From)).

reply_destination(#dns_question{unicast_response = 1}, From) -> From;
reply_destination(_Question, _From) ->
    #{family => inet, addr => ?MDNS_GROUP, port => ?MDNS_PORT}.

%% @doc Decode a DNS message (RFC 1035 section 4.1); Z bits must be zero.
-spec parse_dns_message(binary()) -> {ok, #dns_message{}} | {error, term()}.
parse_dns_message(<<Id:16, QR:1, Opcode:4, AA:1, _TC:1, _RD:1, _RA:1, 0:3, _RCode:4,
                    QDCount:16, ANCount:16, NSCount:16, ARCount:16, Body/binary>> = Message) ->
    maybe_message(Message, Body, {QDCount, ANCount, NSCount, ARCount},
                  #dns_message{id = Id, qr = QR, opcode = Opcode, aa = AA});
parse_dns_message(Other) ->
    {error, {invalid_dns_header, Other}}.

maybe_message(Message, Body, {QDCount, ANCount, NSCount, ARCount}, Header) ->
    case parse_many(fun parse_question/2, Message, QDCount, Body) of
        {ok, Questions, Records} ->
            case parse_many(fun parse_rrecord/2, Message, ANCount + NSCount + ARCount, Records) of
                {ok, RRs, <<>>} ->
                    {Answers, Others} = lists:split(ANCount, RRs),
                    {Authority, Additional} = lists:split(NSCount, Others),
                    {ok, Header#dns_message{questions = Questions, answers = Answers,
                                            authority_rr = Authority, additional_rr = Additional}};
                {ok, _RRs, Extra} ->
                    {error, {extra_bytes_in_dns_message, Extra}};
                Error ->
                    Error
            end;
        Error ->
            Error
    end.

%% Parse Count items in a row; {ok, Items, Rest} or the first item's error.
parse_many(ParseOne, Message, Count, Data) ->
    parse_many(ParseOne, Message, Count, Data, []).

parse_many(_ParseOne, _Message, 0, Data, Items) ->
    {ok, lists:reverse(Items), Data};
parse_many(ParseOne, Message, Count, Data, Items) ->
    case ParseOne(Message, Data) of
        {ok, Item, Rest} -> parse_many(ParseOne, Message, Count - 1, Rest, [Item | Items]);
        Error -> Error
    end.

parse_question(Message, Data) ->
    case parse_dns_name(Message, Data) of
        {ok, {Name, <<QType:16, Unicast:1, QClass:15, Rest/binary>>}} ->
            {ok, #dns_question{qname = Name, qtype = QType, unicast_response = Unicast,
                               qclass = QClass}, Rest};
        {ok, _Short} ->
            {error, {invalid_question, Data}};
        Error ->
            Error
    end.

parse_rrecord(Message, Data) ->
    case parse_dns_name(Message, Data) of
        {ok, {Name, <<Type:16, _CacheFlush:1, Class:15, TTL:32, Len:16, RData:Len/binary,
                      Rest/binary>>}} ->
            {ok, #dns_rrecord{name = Name, type = Type, class = Class, ttl = TTL, rdata = RData},
             Rest};
        {ok, _Short} ->
            {error, {invalid_rrecord, Data}};
        Error ->
            Error
    end.

%% @doc Decode the name at the start of Data (compression pointers index
%% Message): {ok, {Labels, Rest}} or {error, {invalid_name, Data}}.
-spec parse_dns_name(binary(), binary()) ->
    {ok, {[binary()], binary()}} | {error, {invalid_name, binary()}}.
parse_dns_name(Message, Data) ->
    labels(Message, Data, [], ?MAX_POINTER_HOPS).

labels(_Message, <<0, Rest/binary>>, Labels, _Hops) ->
    {ok, {lists:reverse(Labels), Rest}};
labels(Message, <<3:2, Offset:14, Rest/binary>> = Data, Labels, Hops)
        when Offset < byte_size(Message) ->
    {_Before, Target} = split_binary(Message, Offset),
    case Hops > 0 andalso labels(Message, Target, Labels, Hops - 1) of
        {ok, {Name, _AfterTarget}} -> {ok, {Name, Rest}};
        false -> {error, {invalid_name, Data}};
        Error -> Error
    end;
labels(Message, <<Len, Label:Len/binary, Rest/binary>>, Labels, Hops) when Len < 64 ->
    labels(Message, Rest, [Label | Labels], Hops);
labels(_Message, Data, _Labels, _Hops) ->
    {error, {invalid_name, Data}}.

%% @doc Encode a DNS message (no name compression; TC, RD, RA, RCODE zero).
-spec serialize_dns_message(#dns_message{}) -> binary().
serialize_dns_message(#dns_message{id = Id, qr = QR, opcode = Opcode, aa = AA,
                                   questions = Qs, answers = An, authority_rr = Ns,
                                   additional_rr = Ar}) ->
    Header = <<Id:16, QR:1, Opcode:4, AA:1, 0:1, 0:1, 0:1, 0:3, 0:4, (length(Qs)):16,
               (length(An)):16, (length(Ns)):16, (length(Ar)):16>>,
    iolist_to_binary([Header, [question_bytes(Q) || Q <- Qs],
                      [rrecord_bytes(R) || R <- An ++ Ns ++ Ar]]).

question_bytes(#dns_question{qname = Name, qtype = QType, qclass = QClass}) ->
    <<(serialize_dns_name(Name))/binary, QType:16, QClass:16>>.

rrecord_bytes(#dns_rrecord{name = Name, type = Type, class = Class, ttl = TTL, rdata = RData}) ->
    <<(serialize_dns_name(Name))/binary, Type:16, Class:16, TTL:32, (byte_size(RData)):16,
      RData/binary>>.

%% @doc [<<"atomvm">>, <<"local">>] -> <<6, "atomvm", 5, "local", 0>>.
-spec serialize_dns_name([binary()]) -> binary().
serialize_dns_name(Labels) ->
    iolist_to_binary([[<<(byte_size(L))>>, L] || L <- Labels] ++ [<<0>>]).
