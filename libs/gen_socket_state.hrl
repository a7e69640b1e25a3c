%% The state of a `gen_tcp_socket' or `gen_udp_socket' server, so that
%% `gen_socket_common' can run what the two do alike. `pending_selects' maps each armed
%% select's ref to `active' or to the call it answers.
-record(state, {
    socket,
    controlling_process = undefined,
    monitor_ref = undefined,
    active,
    options,
    pending_selects = #{}
}).
