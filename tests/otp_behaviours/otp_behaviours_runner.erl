%% Host-only runner for the programs in tests/otp_behaviours/ (used by
%% tests/test_otp_behaviours.py; not part of the programs themselves).
%%
%% Sends OTP's logger output to standard_error, so that crash and error
%% reports never mix with the programs' standard output (our logger
%% writes there too), runs Mod:start/0 in a fresh process, waits for it
%% and halts.  A program that crashes or hangs prints a marker line.
-module(otp_behaviours_runner).
-export([main/1]).

main([ModName]) ->
    Mod = list_to_atom(ModName),
    _ = logger:remove_handler(default),
    ok = logger:add_handler(default, logger_std_h,
                            #{config => #{type => standard_error},
                              formatter => {logger_formatter,
                                            #{legacy_header => true,
                                              single_line => false}}}),
    {Pid, Ref} = spawn_monitor(Mod, start, []),
    receive
        {'DOWN', Ref, process, Pid, normal} ->
            ok;
        {'DOWN', Ref, process, Pid, Reason} ->
            io:format("*** ~p:start/0 exited: ~p~n", [Mod, Reason])
    after 60000 ->
        io:format("*** ~p:start/0 timed out~n", [Mod])
    end,
    %% Let the logger write pending reports.
    timer:sleep(50),
    halt(0).
