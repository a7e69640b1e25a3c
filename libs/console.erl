%% console -- the board console, as eavmlib's console module offers it.
%%
%% print(Text) writes iodata straight to the console (a NIF of the VM;
%% this stub fails with error:undefined only if the VM has none, as in
%% AtomVM). puts/1,2 and flush/0,1 go through the built-in "console" port
%% (open_port({spawn, "console"}, [])) with port:call/2: {puts, Text} and
%% flush answer ok, text that is not iodata {error, badarg}. The /1 and /0
%% forms use the port registered as console, opening and registering it
%% on first use (start/0).
-module(console).

-export([start/0, puts/1, puts/2, flush/0, flush/1, print/1]).

-spec puts(iodata()) -> ok | {error, term()}.
puts(Text) -> puts(port(), Text).

-spec puts(port() | pid(), iodata()) -> ok | {error, term()}.
puts(Console, Text) -> port:call(Console, {puts, Text}).

-spec flush() -> ok | {error, term()}.
flush() -> flush(port()).

-spec flush(port() | pid()) -> ok | {error, term()}.
flush(Console) -> port:call(Console, flush).

-spec print(iodata()) -> ok.
print(_Text) -> erlang:nif_error(undefined).

%% Opens a console port and registers it as console.
-spec start() -> port().
start() ->
    Port = erlang:open_port({spawn, "console"}, []),
    true = erlang:register(console, Port),
    Port.

port() ->
    case erlang:whereis(console) of
        undefined -> start();
        Port when is_port(Port) -> Port
    end.
