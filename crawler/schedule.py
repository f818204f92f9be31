"""arXiv's announcement calendar: listing days and the submission window behind each.

All times of the schedule are US Eastern (https://info.arxiv.org/help/availability.html):
submissions received between two 14:00 cutoffs are announced at 20:00 the same evening,
Sunday to Thursday, and the RSS feed rebuilt at midnight carries them with `pubDate` = the
next calendar day, the *listing day* (the ``date`` of every Paper record):

    received               announced      listing day
    Mon 14:00 - Tue 14:00  Tue 20:00      Wed
    Tue 14:00 - Wed 14:00  Wed 20:00      Thu
    Wed 14:00 - Thu 14:00  Thu 20:00      Fri
    Thu 14:00 - Fri 14:00  Sun 20:00      Mon
    Fri 14:00 - Mon 14:00  Mon 20:00      Tue

So listing days are Monday to Friday. On a holiday arXiv skips an announcement and the next
one carries both windows; `NO_LISTING_DAYS` holds the listing days known to have none.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
UTC = dt.timezone.utc
CUTOFF = dt.time(14, 0)

# Weekdays with no listing (the announcement of the evening before was a holiday). From
# ../shared/arxiv/coverage.tsv for 2025/26 and arXiv's published 2026 holiday list.
NO_LISTING_DAYS: frozenset[dt.date] = frozenset(dt.date.fromisoformat(d) for d in (
    "2025-11-28", "2025-12-26", "2025-12-31",
    "2026-01-02", "2026-01-20", "2026-09-08", "2026-11-27", "2026-12-30", "2027-01-01",
))


def is_listing_day(day: dt.date, holidays: Iterable[dt.date] = NO_LISTING_DAYS) -> bool:
    return day.weekday() < 5 and day not in holidays


def listing_days(first: dt.date, last: dt.date,
                 holidays: Iterable[dt.date] = NO_LISTING_DAYS) -> list[dt.date]:
    """Listing days from `first` to `last`, both included."""
    holidays = frozenset(holidays)
    out, d = [], first
    while d <= last:
        if is_listing_day(d, holidays):
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def previous_listing_day(day: dt.date, holidays: Iterable[dt.date] = NO_LISTING_DAYS) -> dt.date:
    holidays = frozenset(holidays)
    d = day - dt.timedelta(days=1)
    while not is_listing_day(d, holidays):
        d -= dt.timedelta(days=1)
    return d


def cutoff(listing_day: dt.date) -> dt.datetime:
    """The 14:00 Eastern cutoff closing the submissions of `listing_day` (UTC): the latest
    weekday strictly before the listing day (Mon -> the Friday before)."""
    d = listing_day - dt.timedelta(days=1)
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    return dt.datetime.combine(d, CUTOFF, tzinfo=EASTERN).astimezone(UTC)


def submission_window(listing_day: dt.date, previous: Optional[dt.date] = None,
                      holidays: Iterable[dt.date] = NO_LISTING_DAYS) -> tuple[dt.datetime, dt.datetime]:
    """(start, end] in UTC of the submissions announced on `listing_day`: from the cutoff of
    the previous listing day (`previous`, default from the calendar) to its own cutoff."""
    if previous is None:
        previous = previous_listing_day(listing_day, holidays)
    return cutoff(previous), cutoff(listing_day)


def listing_day_of(submitted: dt.datetime,
                   holidays: Iterable[dt.date] = NO_LISTING_DAYS) -> dt.date:
    """The listing day that announces a submission received at `submitted` (aware)."""
    holidays = frozenset(holidays)
    local = submitted.astimezone(EASTERN)
    d = local.date() + dt.timedelta(days=1)
    while True:
        if is_listing_day(d, holidays) and cutoff(d) >= submitted:
            return d
        d += dt.timedelta(days=1)
