%% io -- console output for avmsim.
%%
%% Every output function formats to chardata, converts it to a UTF-8
%% binary and hands it to the single output primitive console:print/1.
%% Devices: standard_io, standard_error and user, or a pid, are all
%% accepted and written to the same console; any other device is badarg.
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
    case valid_device(Dev) of
        true -> ok;
        false -> erlang:error(badarg, CallArgs)
    end,
    Bin = try unicode:characters_to_binary(Chars) of
              B when is_binary(B) -> B;
              _ -> erlang:error(badarg, CallArgs)
          catch
              _:_ -> erlang:error(badarg, CallArgs)
          end,
    console:print(Bin),
    ok.

valid_device(standard_io) -> true;
valid_device(standard_error) -> true;
valid_device(user) -> true;
valid_device(Pid) when is_pid(Pid) -> true;
valid_device(_) -> false.
