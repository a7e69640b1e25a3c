%% The first element of a gen_tcp / gen_udp socket, `{Moniker, Impl, Module}': inet and
%% the back ends dispatch on it (AtomVM's inet-priv.hrl names).
-define(GEN_TCP_MONIKER, '$avm_gen_tcp').
-define(GEN_UDP_MONIKER, '$avm_gen_udp').
