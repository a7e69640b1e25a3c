%% io -- console output for avmsim.
%%
%% Every output function formats to chardata and converts it to a UTF-8
%% binary, then writes it where AtomVM's io would:
%%  * standard_io, standard_error and user go to the group leader;
%%  * a process whose group leader is itself has none (AtomVM's first
%%    process and every process it spawns, see erlang:group_leader/0),
%%    so its output goes straight to the console (console:print/1);
%%  * any other leader, set with group_leader/2 as OTP programs do, or a
%%    pid device, is an io server: it gets {io_request, From, Ref,
%%    {put_chars, unicode, Bin}} and answers {io_reply, Ref, Reply}.
%% Any other device is badarg; an io server that dies before answering
%% raises terminated, one that answers {error, _} badarg, as OTP's io.
-module(io).

-export([format/1, format/2, format/3,
         fwrite/1, fwrite/2, fwrite/3,
         put_chars/1, put_chars/2,
         nl/0, nl/1,
         write/1, write/2,
         columns/0, columns/1,
         printable_range/0]).
-export([getopts/0, getopts/1, setopts/1, setopts/2, get_line/1]).

format(Format) -> format_out(standard_io, Format, [], [Format]).

format(Format, Args) -> format_out(standard_io, Format, Args, [Format, Args]).

format(Dev, Format, Args) -> format_out(Dev, Format, Args, [Dev, Format, Args]).

fwrite(Format) -> format_out(standard_io, Format, [], [Format]).

fwrite(Format, Args) -> format_out(standard_io, Format, Args, [Format, Args]).

fwrite(Dev, Format, Args) -> format_out(Dev, Format, Args, [Dev, Format, Args]).

put_chars(Chars) -> emit(standard_io, Chars, [Chars]).

put_chars(Dev, Chars) -> emit(Dev, Chars, [Dev, Chars]).

nl() -> emit(standard_io, "\n", []).

nl(Dev) -> emit(Dev, "\n", [Dev]).

write(Term) -> emit(standard_io, io_lib:write(Term), [Term]).

write(Dev, Term) -> emit(Dev, io_lib:write(Term), [Dev, Term]).

%% AtomVM's console is always 80 columns wide (OTP without a terminal: {error, enotsup}).
columns() -> {ok, 80}.

columns(_Dev) -> {ok, 80}.

%% Strings are recognised in the latin1 range (the OTP default).
printable_range() -> latin1.

%% The options AtomVM's io reports for standard_io (the only device it knows here);
%% setting options is accepted and changes nothing, as there.
getopts() -> getopts(standard_io).

getopts(standard_io) ->
    [{echo, true}, {binary, false}, {encoding, unicode}, {terminal, true}, {stdout, true},
     {stderr, true}, {stdin, true}].

setopts(Opts) -> setopts(standard_io, Opts).

setopts(_Dev, _Opts) -> ok.

%% A line from the group leader (eof or {error, _} as it answers); a process that is its
%% own group leader, as an app's first process is, has no one to ask: AtomVM throws.
get_line(Prompt) ->
    case device(standard_io) of
        console -> throw(no_group_leader);
        Leader -> request(Leader, {get_line, unicode, Prompt}, [Prompt])
    end.

%%--------------------------------------------------------------------

format_out(Dev, Format, Args, CallArgs) ->
    Chars = try io_lib:format(Format, Args)
            catch
                error:{bad_generator, _} = Improper -> erlang:error(Improper);   % AtomVM's
                _:_ -> erlang:error(badarg, CallArgs)
            end,
    emit(Dev, Chars, CallArgs).

emit(Dev, Chars, CallArgs) ->
    Target = case device(Dev) of
                 badarg -> erlang:error(badarg, CallArgs);
                 T -> T
             end,
    Bin = try unicode:characters_to_binary(Chars) of
              B when is_binary(B) -> B;
              _ -> erlang:error(badarg, CallArgs)
          catch
              _:_ -> erlang:error(badarg, CallArgs)
          end,
    write(Target, Bin, CallArgs).

device(standard_io) -> device(erlang:group_leader());
device(standard_error) -> device(standard_io);
device(user) -> device(standard_io);
device(Pid) when is_pid(Pid) ->
    case self() of
        Pid -> console;
        _ -> Pid
    end;
device(_) -> badarg.

write(console, Bin, _CallArgs) ->
    console:print(Bin),
    ok;
write(Server, Bin, CallArgs) ->
    reply(request(Server, {put_chars, unicode, Bin}, CallArgs), CallArgs).

%% One io request to a leader process: its reply, or `terminated' if it ends first.
request(Server, Request, CallArgs) ->
    Ref = watch(Server),
    Server ! {io_request, self(), Ref, Request},
    receive
        {io_reply, Ref, Reply} ->
            erlang:demonitor(Ref, [flush]),
            Reply;
        {'DOWN', Ref, process, _, _} ->
            erlang:error(terminated, CallArgs)
    end.

%% A local leader is monitored, so that its end is noticed; a leader on another node (a
%% process spawned there by spawn_request) cannot be, as AtomVM's monitor/2 takes local
%% pids only: its reply is awaited as AtomVM's io does.
watch(Server) when node(Server) =:= node() -> erlang:monitor(process, Server);
watch(_RemoteServer) -> erlang:make_ref().

reply({error, _}, CallArgs) -> erlang:error(badarg, CallArgs);
reply(Reply, _CallArgs) -> Reply.
