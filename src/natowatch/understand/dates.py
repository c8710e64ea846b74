"""Calendar arithmetic for relative dates ("last week", "on Thursday", "five years ago").

Each function takes the publication day and returns an ISO 8601 string at the precision the
expression has: a weekday gives a day, "last month" a month, "last week" an ISO week.
"""

from __future__ import annotations

import datetime as dt


def parse_day(value: str | None) -> dt.date | None:
    """The publication day from an ISO date (``YYYY-MM-DD``); None when unknown or not a day."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def weekday(published: dt.date, day: int, direction: str) -> str:
    """The weekday ``day`` (0 = Monday) nearest ``published``: ``past``, ``future`` or ``last``.

    ``past`` allows the publication day itself ("on Thursday" in Thursday's paper); ``last`` and
    ``next`` skip it.
    """
    if direction in ("future", "next"):
        offset = (day - published.weekday()) % 7
        if direction == "next" and offset == 0:
            offset = 7
        return (published + dt.timedelta(days=offset)).isoformat()
    offset = (published.weekday() - day) % 7
    if direction == "last" and offset == 0:
        offset = 7
    return (published - dt.timedelta(days=offset)).isoformat()


def shift_days(published: dt.date, days: int) -> str:
    return (published + dt.timedelta(days=days)).isoformat()


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def shift_weeks(published: dt.date, weeks: int) -> str:
    return iso_week(published + dt.timedelta(weeks=weeks))


def shift_months(published: dt.date, months: int) -> str:
    index = published.year * 12 + published.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift_years(published: dt.date, years: int) -> str:
    return f"{published.year + years:04d}"


def month_near(published: dt.date, month: int, direction: str) -> str:
    """A month named without a year: ``last May``, ``next May`` or plain ``in May`` (this year)."""
    year = published.year
    if direction == "last" and month >= published.month:
        year -= 1
    elif direction == "next" and month <= published.month:
        year += 1
    return f"{year:04d}-{month:02d}"
