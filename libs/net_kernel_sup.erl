%% @doc The supervisor of distribution (AtomVM's estdlib `net_kernel_sup'): erl_epmd
%% (unless the carrier is serial_dist, which needs no epmd) and net_kernel, one for all.
%%
%% AtomVM starts it as a child of `kernel_sup', the kernel application's supervisor.
%% avmsim's init does not start a kernel application, so when no `kernel_sup' is
%% registered this supervisor runs on its own, not linked to the caller (an app that
%% starts distribution and returns leaves it running, as on the device).
-module(net_kernel_sup).

-behaviour(supervisor).

-export([start/1, stop/0]).
-export([start_link/1]).
-export([init/1]).

-spec start(map()) -> {ok, pid()} | {error, term()}.
start(Options) ->
    case whereis(kernel_sup) of
        undefined ->
            case start_link(Options) of
                {ok, Pid} = Ok ->
                    unlink(Pid),
                    Ok;
                Error ->
                    Error
            end;
        _KernelSup ->
            supervisor:start_child(kernel_sup, #{
                id => ?MODULE,
                start => {?MODULE, start_link, [Options]},
                restart => permanent,
                shutdown => 1000,
                type => supervisor,
                modules => [?MODULE]
            })
    end.

-spec stop() -> ok | {error, term()}.
stop() ->
    case whereis(kernel_sup) of
        undefined ->
            case whereis(?MODULE) of
                undefined -> {error, not_found};
                _Pid -> gen_server:stop(?MODULE)
            end;
        _KernelSup ->
            case supervisor:terminate_child(kernel_sup, ?MODULE) of
                ok -> supervisor:delete_child(kernel_sup, ?MODULE);
                Error -> Error
            end
    end.

start_link(Options) ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, Options).

init(Options) ->
    Epmd =
        case maps:get(proto_dist, Options, socket_dist) of
            serial_dist -> [];
            _ -> [worker(erl_epmd, {erl_epmd, start_link, []})]
        end,
    Children = Epmd ++ [worker(net_kernel, {net_kernel, start_link, [Options]})],
    {ok, {#{strategy => one_for_all}, Children}}.

worker(Id, Start) ->
    #{id => Id, start => Start, restart => permanent, shutdown => 2000, type => worker,
        modules => [Id]}.
