%% What the programs that check calls which raise share (sock_atomvm, sock_nonet).
-module(sock_try).
-export([catch_error/1]).

%% F()'s value, or {error_raised, Reason} when it raises error:Reason.
catch_error(F) ->
    try F() of
        Value -> Value
    catch
        error:Reason -> {error_raised, Reason}
    end.
