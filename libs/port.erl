%% port -- the client side of AtomVM's port call protocol (eavmlib's `port').
%%
%% A port driver (gpio, uart, ...) is opened with open_port({spawn, Name}, Opts)
%% and then spoken to with call/2,3:
%%   request:  Port ! {'$call', {self(), Ref}, Request}
%%   reply:    {Ref, Reply} sent back to the caller.
%% Ref is the monitor reference on the port, so a port that closes (or never
%% existed) is noticed: its 'DOWN' message turns into {error, noproc} for a
%% normal close and {error, Reason} otherwise. A driver short of memory
%% answers the bare atom out_of_memory, which is returned as is. After
%% Timeout milliseconds without a reply the result is {error, timeout}; a
%% reply that comes later stays in the caller's mailbox, as in AtomVM.
-module(port).

-export([call/2, call/3]).

-spec call(Port :: port() | pid(), Request :: term()) -> term().
call(Port, Request) ->
    call(Port, Request, infinity).

-spec call(Port :: port() | pid(), Request :: term(), Timeout :: timeout()) ->
    term() | {error, term()}.
call(Port, Request, Timeout) ->
    Ref = erlang:monitor(port, Port),
    Port ! {'$call', {self(), Ref}, Request},
    Result =
        receive
            {Ref, Reply} -> Reply;
            {'DOWN', Ref, port, _, normal} -> {error, noproc};
            {'DOWN', Ref, port, _, Reason} -> {error, Reason};
            out_of_memory -> out_of_memory
        after Timeout ->
            {error, timeout}
        end,
    erlang:demonitor(Ref, [flush]),
    Result.
