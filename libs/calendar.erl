%% @doc Local and universal time, day of the week, date and time
%% conversions, for avmsim (AtomVM compatible), OTP 25 API.
%%
%% Dates are proleptic Gregorian, counted from year 0 ({0,1,1} is day 0
%% and a Saturday).  The device has no time zone: local time is
%% universal time, so the local/universal conversion functions only
%% check their argument, and RFC 3339 strings get the offset "+00:00"
%% unless an offset option is given.  Results and errors follow OTP 25
%% (function_clause for out of range arguments, if_clause for a day past
%% the end of its month, {badarg, [Arg, Options]} from the RFC 3339
%% functions for times outside years 0..9999).
-module(calendar).

-export([date_to_gregorian_days/1, date_to_gregorian_days/3,
         datetime_to_gregorian_seconds/1, day_of_the_week/1, day_of_the_week/3,
         gregorian_days_to_date/1, gregorian_seconds_to_datetime/1,
         is_leap_year/1, iso_week_number/0, iso_week_number/1,
         last_day_of_the_month/2, local_time/0, local_time_to_universal_time/1,
         local_time_to_universal_time/2, local_time_to_universal_time_dst/1,
         now_to_datetime/1, now_to_local_time/1, now_to_universal_time/1,
         rfc3339_to_system_time/1, rfc3339_to_system_time/2,
         seconds_to_daystime/1, seconds_to_time/1, system_time_to_local_time/2,
         system_time_to_rfc3339/1, system_time_to_rfc3339/2,
         system_time_to_universal_time/2, time_difference/2, time_to_seconds/1,
         universal_time/0, universal_time_to_local_time/1,
         valid_date/1, valid_date/3]).

-define(SECONDS_PER_DAY, 86400).
%% Days from 0000-01-01 to 1970-01-01, and from 1970-01-01 to 10000-01-01.
-define(DAYS_TO_1970, 719528).
-define(DAYS_1970_TO_10000, 2932897).
-define(SECONDS_TO_1970, (?DAYS_TO_1970 * ?SECONDS_PER_DAY)).

%%-----------------------------------------------------------------------
%% Days and dates
%%-----------------------------------------------------------------------

date_to_gregorian_days({Y, M, D}) -> date_to_gregorian_days(Y, M, D).

date_to_gregorian_days(Y, M, D) when is_integer(D), D > 0 ->
    Last = last_day_of_the_month(Y, M),
    if
        D =< Last -> days_before_year(Y) + days_before_month(Y, M) + D - 1
    end.

%% Days in the years 0 .. Y-1 (year 0 is a leap year).
days_before_year(Y) when Y =< 0 -> 0;
days_before_year(Y) ->
    P = Y - 1,
    366 + P * 365 + P div 4 - P div 100 + P div 400.

days_before_month(Y, M) ->
    Leap = case M > 2 andalso is_leap_year(Y) of
               true -> 1;
               false -> 0
           end,
    element(M, {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}) + Leap.

gregorian_days_to_date(Days) when Days >= 0 ->
    Y = year_of_day(Days),
    {M, D} = month_day(Y, Days - days_before_year(Y)),
    {Y, M, D}.

%% The year holding day Days: estimate from the 400-year cycle, then fix.
year_of_day(Days) ->
    Guess = Days * 400 div 146097,
    fix_year(Guess, Days).

fix_year(Y, Days) ->
    case days_before_year(Y) > Days of
        true -> fix_year(Y - 1, Days);
        false ->
            case days_before_year(Y + 1) =< Days of
                true -> fix_year(Y + 1, Days);
                false -> Y
            end
    end.

%% Month and day from the 0-based day of the year.
month_day(Y, YDay) ->
    Leap = case is_leap_year(Y) of
               true -> 1;
               false -> 0
           end,
    month_day(YDay, Leap, 12).

month_day(YDay, Leap, M) ->
    Start = element(M, {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334})
        + case M > 2 of true -> Leap; false -> 0 end,
    case YDay >= Start of
        true -> {M, YDay - Start + 1};
        false -> month_day(YDay, Leap, M - 1)
    end.

day_of_the_week({Y, M, D}) -> day_of_the_week(Y, M, D).

%% 1 = Monday .. 7 = Sunday
day_of_the_week(Y, M, D) ->
    (date_to_gregorian_days(Y, M, D) + 5) rem 7 + 1.

is_leap_year(Y) when is_integer(Y), Y >= 0 ->
    (Y rem 4 =:= 0 andalso Y rem 100 =/= 0) orelse Y rem 400 =:= 0.

last_day_of_the_month(Y, M) when is_integer(Y), Y >= 0 -> month_length(Y, M).

month_length(Y, 2) ->
    case is_leap_year(Y) of
        true -> 29;
        false -> 28
    end;
month_length(_, M) when M =:= 4; M =:= 6; M =:= 9; M =:= 11 -> 30;
month_length(_, M) when is_integer(M), M > 0, M < 13 -> 31.

valid_date({Y, M, D}) -> valid_date(Y, M, D).

valid_date(Y, M, D) when is_integer(Y), is_integer(M), is_integer(D) ->
    if
        Y >= 0, M > 0, M < 13, D > 0 -> D =< last_day_of_the_month(Y, M);
        true -> false
    end.

iso_week_number() ->
    {Date, _} = local_time(),
    iso_week_number(Date).

iso_week_number({Y, M, D}) ->
    Day = date_to_gregorian_days({Y, M, D}),
    Week1 = iso_week1_start(Y),
    NextWeek1 = iso_week1_start(Y + 1),
    if
        Week1 =< Day, Day < NextWeek1 ->
            {Y, (Day - Week1) div 7 + 1};
        Day < Week1 ->
            %% Last week of the previous year: 53 when that year starts
            %% or ends on a Thursday.
            case day_of_the_week(Y - 1, 1, 1) =:= 4 orelse
                 day_of_the_week(Y - 1, 12, 31) =:= 4 of
                true -> {Y - 1, 53};
                false -> {Y - 1, 52}
            end;
        NextWeek1 =< Day ->
            {Y + 1, 1}
    end.

%% Day number of the Monday starting ISO week 1 of year Y (the week
%% holding the year's first Thursday).
iso_week1_start(Y) ->
    Jan1 = date_to_gregorian_days(Y, 1, 1),
    case day_of_the_week(Y, 1, 1) of
        Dow when Dow =< 4 -> Jan1 - Dow + 1;
        Dow -> Jan1 + 8 - Dow
    end.

%%-----------------------------------------------------------------------
%% Seconds and times
%%-----------------------------------------------------------------------

datetime_to_gregorian_seconds({Date, Time}) ->
    ?SECONDS_PER_DAY * date_to_gregorian_days(Date) + time_to_seconds(Time).

gregorian_seconds_to_datetime(Secs) when Secs >= 0 ->
    Days = Secs div ?SECONDS_PER_DAY,
    {gregorian_days_to_date(Days), seconds_to_time(Secs rem ?SECONDS_PER_DAY)}.

seconds_to_daystime(Secs) ->
    Days = Secs div ?SECONDS_PER_DAY,
    case Secs rem ?SECONDS_PER_DAY of
        R when R < 0 -> {Days - 1, seconds_to_time(R + ?SECONDS_PER_DAY)};
        R -> {Days, seconds_to_time(R)}
    end.

seconds_to_time(Secs) when Secs >= 0, Secs < ?SECONDS_PER_DAY ->
    S = Secs rem ?SECONDS_PER_DAY,
    {S div 3600, S rem 3600 div 60, S rem 60}.

time_to_seconds({H, M, S}) when is_integer(H), is_integer(M), is_integer(S) ->
    H * 3600 + M * 60 + S.

time_difference({{_, _, _} = Date1, {_, _, _} = Time1}, {{_, _, _} = Date2, {_, _, _} = Time2}) ->
    seconds_to_daystime(datetime_to_gregorian_seconds({Date2, Time2}) -
                            datetime_to_gregorian_seconds({Date1, Time1})).

%%-----------------------------------------------------------------------
%% Clock, now() and system time.  Local time is universal time.
%%-----------------------------------------------------------------------

universal_time() -> erlang:universaltime().

local_time() -> erlang:localtime().

universal_time_to_local_time(DateTime) -> checked_datetime(DateTime).

local_time_to_universal_time(DateTime) -> checked_datetime(DateTime).

local_time_to_universal_time(DateTime, IsDst)
  when IsDst =:= true; IsDst =:= false; IsDst =:= undefined ->
    checked_datetime(DateTime);
local_time_to_universal_time(DateTime, IsDst) ->
    erlang:error(badarg, [DateTime, IsDst]).

local_time_to_universal_time_dst(DateTime) -> [checked_datetime(DateTime)].

%% Like OTP's local/universal time BIFs: a valid date and time from 1902.
checked_datetime({{Y, Mo, D}, {H, Mi, S}} = DateTime)
  when is_integer(Y), Y >= 1902, is_integer(Mo), is_integer(D),
       is_integer(H), H >= 0, H < 24, is_integer(Mi), Mi >= 0, Mi < 60,
       is_integer(S), S >= 0, S < 60 ->
    case valid_date(Y, Mo, D) of
        true -> DateTime;
        false -> erlang:error(badarg, [DateTime])
    end;
checked_datetime(DateTime) ->
    erlang:error(badarg, [DateTime]).

now_to_datetime({MegaSecs, Secs, _MicroSecs}) ->
    unix_to_datetime(MegaSecs * 1000000 + Secs).

now_to_universal_time(Now) -> now_to_datetime(Now).

now_to_local_time(Now) -> now_to_datetime(Now).

%% An external call reaches the VM's NIF instead (AtomVM's, see
%% vm/nifs/calendar_nifs.py: C truncation, five units); this OTP version
%% serves this module's own calls.
system_time_to_universal_time(Time, Unit) ->
    unix_to_datetime(erlang:convert_time_unit(Time, Unit, second)).

system_time_to_local_time(Time, Unit) -> system_time_to_universal_time(Time, Unit).

unix_to_datetime(Secs) -> gregorian_seconds_to_datetime(Secs + ?SECONDS_TO_1970).

datetime_to_unix(DateTime) -> datetime_to_gregorian_seconds(DateTime) - ?SECONDS_TO_1970.

%%-----------------------------------------------------------------------
%% RFC 3339
%%-----------------------------------------------------------------------

system_time_to_rfc3339(Time) -> system_time_to_rfc3339(Time, []).

system_time_to_rfc3339(Time, Options) ->
    Unit = proplists:get_value(unit, Options, second),
    Offset = proplists:get_value(offset, Options, ""),
    case Unit of
        native ->
            %% native times are printed with millisecond precision
            Offset1 = case is_integer(Offset) of
                          true -> erlang:convert_time_unit(Offset, native, millisecond);
                          false -> Offset
                      end,
            format_rfc3339(erlang:convert_time_unit(Time, native, millisecond),
                           Options, millisecond, Offset1);
        _ ->
            format_rfc3339(Time, Options, Unit, Offset)
    end.

format_rfc3339(Time, Options, Unit, OffsetOpt) ->
    Designator = proplists:get_value(time_designator, Options, $T),
    OffsetSecs = offset_seconds(Time, Unit, OffsetOpt),
    OffsetStr = offset_string(OffsetOpt, OffsetSecs),
    Local = Time + erlang:convert_time_unit(OffsetSecs, second, Unit),
    Factor = factor(Unit),
    Secs = Local div Factor,
    check_range(Time, Options, Secs),
    {{Y, Mo, D}, {H, Mi, S}} = unix_to_datetime(Secs),
    lists:append([pad(4, Y), "-", pad(2, Mo), "-", pad(2, D), [Designator],
                  pad(2, H), ":", pad(2, Mi), ":", pad(2, S),
                  fraction_string(Factor, Local), OffsetStr]).

%% "" (local time, i.e. UTC here) or an integer in Unit: printed as
%% +HH:MM / -HH:MM.  A string is printed as given.
offset_string(Opt, Secs) when Opt =:= ""; is_integer(Opt) ->
    Sign = case Secs < 0 of
               true -> $-;
               false -> $+
           end,
    A = abs(Secs),
    [Sign | pad(2, A div 3600) ++ [$: | pad(2, A rem 3600 div 60)]];
offset_string(Opt, _) -> Opt.

offset_seconds(Time, Unit, "") ->
    %% local time minus universal time: none on the device (the time is
    %% still converted, failing like on OTP before 1902)
    _ = universal_time_to_local_time(system_time_to_universal_time(Time, Unit)),
    0;
offset_seconds(_, _, Opt) when is_list(Opt) -> parse_offset(Opt);
offset_seconds(_, Unit, Opt) when is_integer(Opt) -> erlang:convert_time_unit(Opt, Unit, second).

parse_offset("Z") -> 0;
parse_offset("z") -> 0;
parse_offset(Str) ->
    [Sign, H1, H2 | Rest] = Str,
    H = list_to_integer([H1, H2]),
    M = case Rest of
            [$:, M1, M2] -> list_to_integer([M1, M2]);
            [] -> 0
        end,
    Secs = H * 3600 + M * 60,
    case Sign of
        $- -> -Secs;
        $+ -> Secs
    end.

fraction_string(1, _) -> "";
fraction_string(Factor, Time) ->
    [$. | pad(decimals(Factor), abs(Time rem Factor))].

factor(second) -> 1;
factor(millisecond) -> 1000;
factor(microsecond) -> 1000000;
factor(nanosecond) -> 1000000000;
factor(native) -> erlang:convert_time_unit(1, second, native).

decimals(1000) -> 3;
decimals(1000000) -> 6;
decimals(1000000000) -> 9.

check_range(_, _, Secs)
  when Secs >= -?DAYS_TO_1970 * ?SECONDS_PER_DAY,
       Secs < ?DAYS_1970_TO_10000 * ?SECONDS_PER_DAY ->
    ok;
check_range(Arg, Options, _) ->
    erlang:error({badarg, [Arg, Options]}).

%% At least Width digits.
pad(Width, N) ->
    S = integer_to_list(N),
    case Width - length(S) of
        Zeros when Zeros > 0 -> lists:duplicate(Zeros, $0) ++ S;
        _ -> S
    end.

rfc3339_to_system_time(Str) -> rfc3339_to_system_time(Str, []).

rfc3339_to_system_time(Str, Options) ->
    Unit = proplists:get_value(unit, Options, second),
    [Y1, Y2, Y3, Y4, $-, Mo1, Mo2, $-, D1, D2, _, H1, H2, $:, Mi1, Mi2, $:, S1, S2 | Rest] = Str,
    H = list_to_integer([H1, H2]),
    Mi = list_to_integer([Mi1, Mi2]),
    S = list_to_integer([S1, S2]),
    Y = list_to_integer([Y1, Y2, Y3, Y4]),
    Mo = list_to_integer([Mo1, Mo2]),
    D = list_to_integer([D1, D2]),
    {FracStr, OffsetStr} =
        lists:splitwith(fun(C) -> (C >= $0 andalso C =< $9) orelse C =:= $. end, Rest),
    Local = datetime_to_unix({{Y, Mo, D}, {H, Mi, S}}),
    Secs = Local - parse_offset(OffsetStr),
    check_range(Str, Options, Secs),
    Scaled = erlang:convert_time_unit(Secs, second, Unit),
    Frac = fraction_value(Unit, FracStr),
    case Scaled < 0 of
        true -> Scaled - Frac;
        false -> Scaled + Frac
    end.

fraction_value(second, _) -> 0;
fraction_value(_, "") -> 0;
fraction_value(Unit, FracStr) -> round(factor(Unit) * list_to_float([$0 | FracStr])).
