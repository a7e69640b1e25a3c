"""``calendar:system_time_to_universal_time/2``, a NIF in AtomVM (nifs.c), which logger_std_h
calls for every event's timestamp.

AtomVM's calendar.erl holds only a stub for it; the NIF takes the units ``second``,
``millisecond``, ``microsecond``, ``nanosecond`` and ``native`` (the nanosecond), divides
down to whole seconds the C way (toward zero, so -1500 ms is second -1, where OTP's
calendar floors to -2) and answers ``gmtime``'s proleptic Gregorian date and time.
avmsim's own libs/calendar.erl keeps OTP's flooring for its internal callers.
"""
from __future__ import annotations

from typing import Any

from ..natives import native
from ._util import badarg

UNITS_PER_SECOND = {"second": 1, "millisecond": 1_000, "microsecond": 1_000_000,
                    "nanosecond": 1_000_000_000, "native": 1_000_000_000}
"""The units AtomVM's NIF knows; any other term is badarg."""

INT64 = range(-(1 << 63), 1 << 63)
SECONDS_PER_DAY = 86_400


def civil_date(days: int) -> tuple[int, int, int]:
    """{Year, Month, Day} of day ``days`` after 1970-01-01, proleptic Gregorian (any year)."""
    days += 719_468                         # shift the epoch to 0000-03-01
    era = days // 146_097
    day_of_era = days - era * 146_097
    year_of_era = (day_of_era - day_of_era // 1_460 + day_of_era // 36_524
                   - day_of_era // 146_096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153          # 0 = March
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + 3 if shifted_month < 10 else shifted_month - 9
    year = year_of_era + era * 400 + (month <= 2)
    return (year, month, day)


@native("calendar", "system_time_to_universal_time", 2)
def system_time_to_universal_time(ctx: Any, time: Any, unit: Any) -> Any:
    per_second = UNITS_PER_SECOND.get(getattr(unit, "name", None))
    if per_second is None or time.__class__ is not int or time not in INT64:
        raise badarg()
    seconds = abs(time) // per_second * (1 if time >= 0 else -1)
    days, second_of_day = divmod(seconds, SECONDS_PER_DAY)
    hour, rest = divmod(second_of_day, 3_600)
    return (civil_date(days), (hour, rest // 60, rest % 60))
