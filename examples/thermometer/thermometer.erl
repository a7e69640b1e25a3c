%% thermometer -- reads an SHT31 on I2C every second, prints the temperature and
%% humidity, and shows the temperature as the brightness of the board's LED (PWM).
%%
%% Wiring (examples/thermometer/parts.toml): SHT31 at 0x44 on SDA GPIO21 / SCL GPIO22,
%% the DevKitC's blue LED on GPIO2. Runs on esp32-devkit:
%%   avmsim --parts examples/thermometer/parts.toml firmware_images/thermometer.avm
%%
%% Uses AtomVM's own APIs only: i2c (port), ledc (NIFs).
-module(thermometer).
-export([start/0]).

-define(SHT31, 16#44).
-define(MEASURE_HIGH, <<16#24, 16#00>>).   % single shot, high repeatability, no stretching
-define(CONVERSION_MS, 16).                % 15.5 ms at most (datasheet table 4)
-define(LED_PIN, 2).
-define(DUTY_BITS, 13).
-define(LOW_SPEED, 1).

start() ->
    I2C = i2c:open([{scl, 22}, {sda, 21}, {clock_speed_hz, 100000}]),
    ok = ledc:timer_config([{duty_resolution, ?DUTY_BITS}, {freq_hz, 5000},
                            {speed_mode, ?LOW_SPEED}, {timer_num, 0}]),
    ok = ledc:channel_config([{channel, 0}, {duty, 0}, {gpio_num, ?LED_PIN},
                              {speed_mode, ?LOW_SPEED}, {hpoint, 0}, {timer_sel, 0}]),
    loop(I2C).

loop(I2C) ->
    case measure(I2C) of
        {ok, Celsius, Humidity} ->
            io:format("~s C  ~s %RH~n", [one_decimal(Celsius), one_decimal(Humidity)]),
            show(Celsius);
        {error, Reason} ->
            io:format("SHT31 read failed: ~p~n", [Reason])
    end,
    timer:sleep(1000),
    loop(I2C).

%% One single-shot measurement: the command, the conversion time, six bytes with CRCs.
measure(I2C) ->
    case i2c:write_bytes(I2C, ?SHT31, ?MEASURE_HIGH) of
        ok ->
            timer:sleep(?CONVERSION_MS),
            case i2c:read_bytes(I2C, ?SHT31, 6) of
                {ok, <<T:16, TCrc, H:16, HCrc>>} ->
                    check(crc8(<<T:16>>) =:= TCrc andalso crc8(<<H:16>>) =:= HCrc,
                          -45 + 175 * T / 65535, 100 * H / 65535);
                Error ->
                    Error
            end;
        Error ->
            Error
    end.

check(true, Celsius, Humidity) -> {ok, Celsius, Humidity};
check(false, _, _) -> {error, crc}.

%% CRC-8, polynomial 0x31, initial value 0xFF (SHT3x datasheet section 4.12).
crc8(Bytes) ->
    crc8(Bytes, 16#FF).
crc8(<<>>, Crc) -> Crc;
crc8(<<Byte, Rest/binary>>, Crc) -> crc8(Rest, crc_bits(Crc bxor Byte, 8)).
crc_bits(Crc, 0) -> Crc;
crc_bits(Crc, N) when Crc band 16#80 =/= 0 -> crc_bits(((Crc bsl 1) bxor 16#31) band 16#FF, N - 1);
crc_bits(Crc, N) -> crc_bits((Crc bsl 1) band 16#FF, N - 1).

%% 15 C and below: dark; 35 C and above: full brightness.
show(Celsius) ->
    Fraction = min(1.0, max(0.0, (Celsius - 15) / 20)),
    Duty = round(Fraction * ((1 bsl ?DUTY_BITS) - 1)),
    ok = ledc:set_duty(?LOW_SPEED, 0, Duty),
    ok = ledc:update_duty(?LOW_SPEED, 0).

one_decimal(X) ->
    Tenths = round(X * 10),
    Sign = case Tenths < 0 of true -> "-"; false -> "" end,
    A = abs(Tenths),
    io_lib:format("~s~b.~b", [Sign, A div 10, A rem 10]).
