%% esp -- AtomVM's ESP32-specific module (avm_esp32 esp).
%%
%% Nearly every function is a NIF of the ESP32 VM; the stubs below only run
%% when the VM has no native of that name (another platform, or a NIF avmsim
%% does not model) and then fail with error:undefined, as in AtomVM. Written
%% in Erlang, as in AtomVM: the nvs_get_binary/1,2,3, nvs_set_binary/2,3,
%% nvs_erase_key/1 and nvs_erase_all/0 wrappers (namespace `atomvm' when none
%% is given). They call the NIFs as esp:F(...) so that the natives are used.
%%
%% Return forms: restart() -> ok (does not return on a device);
%% reset_reason() -> esp_rst_unknown | esp_rst_poweron | esp_rst_ext |
%% esp_rst_sw | esp_rst_panic | esp_rst_int_wdt | esp_rst_task_wdt | esp_rst_wdt
%% | esp_rst_deepsleep | esp_rst_brownout | esp_rst_sdio | undefined;
%% freq_hz() -> integer (AtomVM returns APB_CLK_FREQ, 80000000 on the ESP32);
%% get_mac(wifi_sta | wifi_softap) -> <<_:48>>; get_default_mac() ->
%% {ok, <<_:48>>} | {error, Reason}; timer_get_time() -> microseconds.
-module(esp).

-export([
    restart/0,
    reset_reason/0,
    sleep_get_wakeup_cause/0,
    sleep_enable_ext0_wakeup/2,
    sleep_enable_ext1_wakeup/2,
    sleep_enable_ext1_wakeup_io/2,
    sleep_disable_ext1_wakeup_io/1,
    deep_sleep_enable_gpio_wakeup/2,
    sleep_enable_ulp_wakeup/0,
    deep_sleep/0,
    deep_sleep/1,
    light_sleep/0,
    sleep_enable_gpio_wakeup/0,
    sleep_enable_timer_wakeup/1,
    mount/4,
    umount/1,
    nvs_fetch_binary/2,
    nvs_get_binary/1, nvs_get_binary/2, nvs_get_binary/3,
    nvs_set_binary/2, nvs_set_binary/3,
    nvs_put_binary/3,
    nvs_erase_key/1, nvs_erase_key/2,
    nvs_erase_all/0, nvs_erase_all/1,
    nvs_reformat/0,
    partition_erase_range/2, partition_erase_range/3,
    partition_list/0,
    partition_read/3,
    partition_mmap/3,
    partition_write/3,
    rtc_slow_get_binary/0,
    rtc_slow_set_binary/1,
    freq_hz/0,
    get_mac/1,
    get_default_mac/0,
    task_wdt_init/1,
    task_wdt_reconfigure/1,
    task_wdt_deinit/0,
    task_wdt_add_user/1,
    task_wdt_reset_user/1,
    task_wdt_delete_user/1,
    timer_get_time/0
]).

-deprecated([
    {nvs_get_binary, 1, next_version},
    {nvs_erase_key, 1, next_version},
    {nvs_erase_all, 0, next_version},
    {nvs_set_binary, 2, next_version},
    {nvs_set_binary, 3, next_version}
]).

-type esp_reset_reason() ::
    esp_rst_unknown
    | esp_rst_poweron
    | esp_rst_ext
    | esp_rst_sw
    | esp_rst_panic
    | esp_rst_int_wdt
    | esp_rst_task_wdt
    | esp_rst_wdt
    | esp_rst_deepsleep
    | esp_rst_brownout
    | esp_rst_sdio.
-type esp_wakeup_cause() ::
    sleep_wakeup_ext0
    | sleep_wakeup_ext1
    | sleep_wakeup_timer
    | sleep_wakeup_touchpad
    | sleep_wakeup_ulp
    | sleep_wakeup_gpio
    | sleep_wakeup_uart
    | sleep_wakeup_wifi
    | sleep_wakeup_cocpu
    | sleep_wakeup_cocpu_trap_trig
    | sleep_wakeup_bt.
%% {Name, Type, Subtype, Address, Size, Props}
-type esp_partition() :: {binary(), 0..254, 0..254, non_neg_integer(), non_neg_integer(), []}.
-type interface() :: wifi_sta | wifi_softap.
-type mac() :: binary().
%% {TimeoutMs, IdleCoreMask, TriggerPanic}
-type task_wdt_config() :: {pos_integer(), non_neg_integer(), boolean()}.

-export_type([esp_reset_reason/0, esp_wakeup_cause/0, esp_partition/0, interface/0, mac/0,
              task_wdt_config/0]).

-define(DEFAULT_NVS_NAMESPACE, atomvm).

%%-----------------------------------------------------------------------------
%% Functions written in Erlang

%% The value of Key in the `atomvm' namespace, or undefined.
-spec nvs_get_binary(Key :: atom()) -> binary() | undefined.
nvs_get_binary(Key) when is_atom(Key) ->
    esp:nvs_get_binary(?DEFAULT_NVS_NAMESPACE, Key).

%% The value of Key in Namespace, or undefined; other NVS errors are thrown.
-spec nvs_get_binary(Namespace :: atom(), Key :: atom()) -> binary() | undefined.
nvs_get_binary(Namespace, Key) when is_atom(Namespace), is_atom(Key) ->
    case esp:nvs_fetch_binary(Namespace, Key) of
        {ok, Value} -> Value;
        {error, not_found} -> undefined;
        {error, namespace_not_found} -> undefined;
        {error, Reason} -> throw(Reason)
    end.

%% The value of Key in Namespace, or Default.
-spec nvs_get_binary(Namespace :: atom(), Key :: atom(), Default :: binary()) -> binary().
nvs_get_binary(Namespace, Key, Default) when
    is_atom(Namespace), is_atom(Key), is_binary(Default)
->
    case esp:nvs_get_binary(Namespace, Key) of
        undefined -> Default;
        Value -> Value
    end.

-spec nvs_set_binary(Key :: atom(), Value :: binary()) -> ok.
nvs_set_binary(Key, Value) when is_atom(Key), is_binary(Value) ->
    esp:nvs_set_binary(?DEFAULT_NVS_NAMESPACE, Key, Value).

-spec nvs_set_binary(Namespace :: atom(), Key :: atom(), Value :: binary()) -> ok.
nvs_set_binary(Namespace, Key, Value) when is_atom(Namespace), is_atom(Key), is_binary(Value) ->
    esp:nvs_put_binary(Namespace, Key, Value).

-spec nvs_erase_key(Key :: atom()) -> ok.
nvs_erase_key(Key) when is_atom(Key) ->
    esp:nvs_erase_key(?DEFAULT_NVS_NAMESPACE, Key).

-spec nvs_erase_all() -> ok.
nvs_erase_all() ->
    esp:nvs_erase_all(?DEFAULT_NVS_NAMESPACE).

%%-----------------------------------------------------------------------------
%% NIFs (the VM's natives replace these stubs)

-spec restart() -> ok.
restart() ->
    erlang:nif_error(undefined).

-spec reset_reason() -> esp_reset_reason() | undefined.
reset_reason() ->
    erlang:nif_error(undefined).

-spec sleep_get_wakeup_cause() -> undefined | esp_wakeup_cause() | error.
sleep_get_wakeup_cause() ->
    erlang:nif_error(undefined).

-spec sleep_enable_ext0_wakeup(Pin :: non_neg_integer(), Level :: 0..1) -> ok | error.
sleep_enable_ext0_wakeup(_Pin, _Level) ->
    erlang:nif_error(undefined).

-spec sleep_enable_ext1_wakeup(Mask :: pos_integer(), Mode :: 0..3) -> ok | error.
sleep_enable_ext1_wakeup(_Mask, _Mode) ->
    erlang:nif_error(undefined).

-spec sleep_enable_ext1_wakeup_io(Mask :: pos_integer(), Mode :: 0..3) -> ok | error.
sleep_enable_ext1_wakeup_io(_Mask, _Mode) ->
    erlang:nif_error(undefined).

-spec sleep_disable_ext1_wakeup_io(Mask :: pos_integer()) -> ok | error.
sleep_disable_ext1_wakeup_io(_Mask) ->
    erlang:nif_error(undefined).

-spec deep_sleep_enable_gpio_wakeup(Mask :: pos_integer(), Mode :: 0..1) -> ok | error.
deep_sleep_enable_gpio_wakeup(_Mask, _Mode) ->
    erlang:nif_error(undefined).

-spec sleep_enable_ulp_wakeup() -> ok | error.
sleep_enable_ulp_wakeup() ->
    erlang:nif_error(undefined).

-spec deep_sleep() -> no_return().
deep_sleep() ->
    erlang:nif_error(undefined).

%% Sleep SleepMs milliseconds, then reboot.
-spec deep_sleep(SleepMs :: non_neg_integer()) -> no_return().
deep_sleep(_SleepMs) ->
    erlang:nif_error(undefined).

-spec light_sleep() -> ok | error.
light_sleep() ->
    erlang:nif_error(undefined).

-spec sleep_enable_gpio_wakeup() -> ok | error.
sleep_enable_gpio_wakeup() ->
    erlang:nif_error(undefined).

%% Light-sleep wakeup after SleepUs microseconds.
-spec sleep_enable_timer_wakeup(SleepUs :: non_neg_integer()) -> ok | error.
sleep_enable_timer_wakeup(_SleepUs) ->
    erlang:nif_error(undefined).

-spec mount(Source :: unicode:chardata(), Target :: unicode:chardata(), FS :: fat,
            Opts :: list() | map()) -> {ok, binary()} | {error, term()}.
mount(_Source, _Target, _FS, _Opts) ->
    erlang:nif_error(undefined).

-spec umount(MountedFs :: binary()) -> ok | {error, term()}.
umount(_MountedFs) ->
    erlang:nif_error(undefined).

-spec nvs_fetch_binary(Namespace :: atom(), Key :: atom()) ->
    {ok, binary()} | {error, not_found} | {error, atom()}.
nvs_fetch_binary(Namespace, Key) when is_atom(Namespace), is_atom(Key) ->
    erlang:nif_error(undefined).

-spec nvs_put_binary(Namespace :: atom(), Key :: atom(), Value :: binary()) -> ok.
nvs_put_binary(Namespace, Key, Value) when is_atom(Namespace), is_atom(Key), is_binary(Value) ->
    erlang:nif_error(undefined).

-spec nvs_erase_key(Namespace :: atom(), Key :: atom()) -> ok.
nvs_erase_key(Namespace, Key) when is_atom(Namespace), is_atom(Key) ->
    erlang:nif_error(undefined).

-spec nvs_erase_all(Namespace :: atom()) -> ok.
nvs_erase_all(Namespace) when is_atom(Namespace) ->
    erlang:nif_error(undefined).

-spec nvs_reformat() -> ok.
nvs_reformat() ->
    erlang:nif_error(undefined).

-spec partition_erase_range(Partition :: iodata(), Offset :: non_neg_integer()) -> ok | error.
partition_erase_range(_Partition, _Offset) ->
    erlang:nif_error(undefined).

-spec partition_erase_range(Partition :: iodata(), Offset :: non_neg_integer(),
                            Size :: pos_integer()) -> ok | error.
partition_erase_range(_Partition, _Offset, _Size) ->
    erlang:nif_error(undefined).

-spec partition_list() -> [esp_partition()].
partition_list() ->
    erlang:nif_error(undefined).

-spec partition_read(Partition :: iodata(), Offset :: non_neg_integer(),
                     Size :: non_neg_integer()) -> {ok, binary()} | error.
partition_read(_Partition, _Offset, _Size) ->
    erlang:nif_error(undefined).

-spec partition_mmap(Partition :: iodata(), Offset :: non_neg_integer(),
                     Size :: non_neg_integer()) -> {ok, binary()} | error.
partition_mmap(_Partition, _Offset, _Size) ->
    erlang:nif_error(undefined).

-spec partition_write(Partition :: iodata(), Offset :: non_neg_integer(), Data :: binary()) ->
    ok | error.
partition_write(_Partition, _Offset, _Data) ->
    erlang:nif_error(undefined).

-spec rtc_slow_get_binary() -> binary().
rtc_slow_get_binary() ->
    erlang:nif_error(undefined).

-spec rtc_slow_set_binary(Bin :: binary()) -> ok.
rtc_slow_set_binary(Bin) when is_binary(Bin) ->
    erlang:nif_error(undefined).

-spec freq_hz() -> non_neg_integer().
freq_hz() ->
    erlang:nif_error(undefined).

-spec get_mac(Interface :: interface()) -> mac().
get_mac(_Interface) ->
    erlang:nif_error(undefined).

-spec get_default_mac() -> {ok, mac()} | {error, atom()}.
get_default_mac() ->
    erlang:nif_error(undefined).

-spec task_wdt_init(Config :: task_wdt_config()) -> ok | {error, term()}.
task_wdt_init(_Config) ->
    erlang:nif_error(undefined).

-spec task_wdt_reconfigure(Config :: task_wdt_config()) -> ok | {error, term()}.
task_wdt_reconfigure(_Config) ->
    erlang:nif_error(undefined).

-spec task_wdt_deinit() -> ok | {error, term()}.
task_wdt_deinit() ->
    erlang:nif_error(undefined).

-spec task_wdt_add_user(Username :: iodata()) -> {ok, binary()} | {error, term()}.
task_wdt_add_user(_Username) ->
    erlang:nif_error(undefined).

-spec task_wdt_reset_user(UserHandle :: binary()) -> ok | {error, term()}.
task_wdt_reset_user(_UserHandle) ->
    erlang:nif_error(undefined).

-spec task_wdt_delete_user(UserHandle :: binary()) -> ok | {error, term()}.
task_wdt_delete_user(_UserHandle) ->
    erlang:nif_error(undefined).

%% Microseconds since boot (or since the wakeup from deep sleep).
-spec timer_get_time() -> integer().
timer_get_time() ->
    erlang:nif_error(undefined).
