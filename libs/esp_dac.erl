%% esp_dac -- AtomVM's DAC module (avm_esp32 esp_dac): the ESP32's two 8-bit
%% DAC channels (0 on GPIO25, 1 on GPIO26) through ESP-IDF's oneshot driver.
%%
%% The oneshot_* functions are NIFs (ESP32 and S2 builds only: elsewhere the
%% stubs below fail with error:undefined); new_channel/2 is Erlang.
%% new_channel(oneshot, [{chan_id, 0 | 1}]) -> {ok, Channel} | {error, Reason}
%% (Reason badarg for any other option list, invalid_state when the channel
%% is in use); oneshot_output_voltage(Channel, 0..255) -> ok | {error, badarg};
%% oneshot_del_channel(Channel) -> ok | {error, badarg}.
-module(esp_dac).

-export([
    new_channel/2,
    oneshot_output_voltage/2,
    oneshot_del_channel/1,
    oneshot_new_channel_p/1
]).

-type dac_rsrc() :: {'$dac', Resource :: reference(), Ref :: reference()}.
-type oneshot_channel_opts() :: [{chan_id, 0 | 1}].

-export_type([dac_rsrc/0]).

-spec new_channel(oneshot, Opts :: oneshot_channel_opts()) ->
    {ok, Channel :: dac_rsrc()} | {error, Reason :: term()}.
new_channel(oneshot, [{chan_id, Chan}]) when Chan =:= 0; Chan =:= 1 ->
    ?MODULE:oneshot_new_channel_p(Chan);
new_channel(oneshot, _Opts) ->
    {error, badarg}.

-spec oneshot_output_voltage(Channel :: dac_rsrc(), Level :: 0..255) ->
    ok | {error, Reason :: term()}.
oneshot_output_voltage(_Channel, _Level) ->
    erlang:nif_error(undefined).

-spec oneshot_del_channel(Channel :: dac_rsrc()) -> ok | {error, Reason :: term()}.
oneshot_del_channel(_Channel) ->
    erlang:nif_error(undefined).

-spec oneshot_new_channel_p(Chan :: 0 | 1) ->
    {ok, Channel :: dac_rsrc()} | {error, Reason :: term()}.
oneshot_new_channel_p(_Chan) ->
    erlang:nif_error(undefined).
