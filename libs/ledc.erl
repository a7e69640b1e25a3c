%% ledc -- AtomVM's LED PWM controller module (avm_esp32 ledc).
%%
%% Every function is a NIF of the ESP32 VM and maps one-to-one onto the
%% ESP-IDF function of the same name (ledc_timer_config, ledc_set_duty...).
%% The stubs below only run when the VM has no native of that name: on a
%% chip without the function (fade_stop/2 needs SOC_LEDC_SUPPORT_FADE_STOP,
%% which the ESP32 lacks) they fail with error:undefined, as in AtomVM.
%%
%% Integers as ESP-IDF takes them (include AtomVM's ledc.hrl for the names):
%% speed mode 0 = high speed, 1 = low speed on the ESP32 (chips without high
%% speed channels, such as the ESP32-C3, have only mode 0, low speed);
%% timers 0..3; channels 0..7 (0..5 on the C3); fade mode 0 = no wait,
%% 1 = wait until done. Results: ok, the duty, or the frequency; a
%% non-integer argument raises badarg; an ESP-IDF error raises
%% error:Code with its esp_err_t (258 invalid argument, 259 invalid state,
%% -1 ESP_FAIL, e.g. a frequency the resolution cannot reach); get_duty/2
%% raises error:-1 and get_freq/2 error:0 when they cannot answer.
-module(ledc).

-export([
    timer_config/1,
    channel_config/1,
    fade_func_install/1,
    fade_func_uninstall/0,
    set_fade_with_time/4,
    set_fade_with_step/5,
    set_fade_time_and_start/5,
    set_fade_step_and_start/6,
    fade_start/3,
    fade_stop/2,
    get_duty/2,
    set_duty/3,
    update_duty/2,
    set_duty_and_update/4,
    get_freq/2,
    set_freq/3,
    stop/3
]).

-type speed_mode() :: 0 | 1.
-type timer_num() :: 0..3.
-type channel() :: 0..7.
-type fade_mode() :: 0 | 1.
-type timer_config() :: [
    {duty_resolution, pos_integer()}
    | {freq_hz, pos_integer()}
    | {speed_mode, speed_mode()}
    | {timer_num, timer_num()}
].
-type channel_config() :: [
    {channel, channel()}
    | {duty, non_neg_integer()}
    | {gpio_num, non_neg_integer()}
    | {speed_mode, speed_mode()}
    | {hpoint, non_neg_integer()}
    | {timer_sel, timer_num()}
].

-export_type([speed_mode/0, timer_num/0, channel/0, fade_mode/0, timer_config/0,
              channel_config/0]).

%% Configure a timer: resolution (bits), frequency, speed mode and number.
-spec timer_config(Config :: timer_config()) -> ok.
timer_config(_Config) ->
    erlang:nif_error(undefined).

%% Configure a channel: its timer, the GPIO it drives, its duty and hpoint.
-spec channel_config(Config :: channel_config()) -> ok.
channel_config(_Config) ->
    erlang:nif_error(undefined).

%% Install the fade service (Flags: ESP_INTR_FLAG_* bits, usually 0).
-spec fade_func_install(Flags :: non_neg_integer()) -> ok.
fade_func_install(_Flags) ->
    erlang:nif_error(undefined).

-spec fade_func_uninstall() -> ok.
fade_func_uninstall() ->
    erlang:nif_error(undefined).

%% Prepare a fade to TargetDuty taking about MaxFadeTimeMs; fade_start/3 starts it.
-spec set_fade_with_time(speed_mode(), channel(), non_neg_integer(), non_neg_integer()) -> ok.
set_fade_with_time(_SpeedMode, _Channel, _TargetDuty, _MaxFadeTimeMs) ->
    erlang:nif_error(undefined).

%% Prepare a fade to TargetDuty by Scale every CycleNum PWM periods.
-spec set_fade_with_step(speed_mode(), channel(), non_neg_integer(), pos_integer(),
                         pos_integer()) -> ok.
set_fade_with_step(_SpeedMode, _Channel, _TargetDuty, _Scale, _CycleNum) ->
    erlang:nif_error(undefined).

-spec set_fade_time_and_start(speed_mode(), channel(), non_neg_integer(), non_neg_integer(),
                              fade_mode()) -> ok.
set_fade_time_and_start(_SpeedMode, _Channel, _TargetDuty, _MaxFadeTimeMs, _FadeMode) ->
    erlang:nif_error(undefined).

-spec set_fade_step_and_start(speed_mode(), channel(), non_neg_integer(), pos_integer(),
                              pos_integer(), fade_mode()) -> ok.
set_fade_step_and_start(_SpeedMode, _Channel, _TargetDuty, _Scale, _CycleNum, _FadeMode) ->
    erlang:nif_error(undefined).

%% Start the prepared fade; FadeMode 1 returns when it is done.
-spec fade_start(speed_mode(), channel(), fade_mode()) -> ok.
fade_start(_SpeedMode, _Channel, _FadeMode) ->
    erlang:nif_error(undefined).

-spec fade_stop(speed_mode(), channel()) -> ok.
fade_stop(_SpeedMode, _Channel) ->
    erlang:nif_error(undefined).

%% The duty the channel outputs now (mid-fade: where the fade is).
-spec get_duty(speed_mode(), channel()) -> non_neg_integer().
get_duty(_SpeedMode, _Channel) ->
    erlang:nif_error(undefined).

%% Stage a new duty; update_duty/2 applies it.
-spec set_duty(speed_mode(), channel(), non_neg_integer()) -> ok.
set_duty(_SpeedMode, _Channel, _Duty) ->
    erlang:nif_error(undefined).

-spec update_duty(speed_mode(), channel()) -> ok.
update_duty(_SpeedMode, _Channel) ->
    erlang:nif_error(undefined).

-spec set_duty_and_update(speed_mode(), channel(), non_neg_integer(), non_neg_integer()) -> ok.
set_duty_and_update(_SpeedMode, _Channel, _Duty, _HPoint) ->
    erlang:nif_error(undefined).

-spec get_freq(speed_mode(), timer_num()) -> pos_integer().
get_freq(_SpeedMode, _TimerNum) ->
    erlang:nif_error(undefined).

-spec set_freq(speed_mode(), timer_num(), pos_integer()) -> ok.
set_freq(_SpeedMode, _TimerNum, _FreqHz) ->
    erlang:nif_error(undefined).

%% Stop the channel's output and hold its pin at IdleLevel (0 or 1).
-spec stop(speed_mode(), channel(), 0 | 1) -> ok.
stop(_SpeedMode, _Channel, _IdleLevel) ->
    erlang:nif_error(undefined).
