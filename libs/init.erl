%% Boot entry of the standard library, as AtomVM's firmware uses it: the VM spawns
%% init:boot([<<"-s">>, StartModule]) and boot/1 runs the app's start module. Only the
%% subset of OTP's init interface that makes sense on a device is provided.
-module(init).
-export([boot/1, get_argument/1, get_plain_arguments/0, notify_when_started/1,
         stop/0, stop/1]).

%% Run the app: its start/0 return value is the boot process's result.
boot([<<"-s">>, StartModule]) when is_atom(StartModule) ->
    StartModule:start();
boot(Args) ->
    erlang:error(badarg, [Args]).

%% There is no command line on a device.
get_argument(_Flag) -> error.

get_plain_arguments() -> [].

notify_when_started(_Pid) -> started.

stop() -> erlang:halt(0).

stop(Status) -> erlang:halt(Status).
