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

columns() -> {error, enotsup}.

columns(_Dev) -> {error, enotsup}.

%% Strings are recognised in the latin1 range (the OTP default).
printable_range() -> latin1.

%%--------------------------------------------------------------------

format_out(Dev, Format, Args, CallArgs) ->
    Chars = try io_lib:format(Format, Args)
            catch _:_ -> erlang:error(badarg, CallArgs)
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
    Ref = watch(Server),
    Server ! {io_request, self(), Ref, {put_chars, unicode, Bin}},
    receive
        {io_reply, Ref, Reply} ->
            erlang:demonitor(Ref, [flush]),
            reply(Reply, CallArgs);
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
