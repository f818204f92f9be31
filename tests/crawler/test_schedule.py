"""arXiv's announcement calendar: the submission windows behind each listing day."""
from __future__ import annotations

import datetime as dt

from crawler import schedule

D = dt.date


def test_windows_follow_the_published_schedule():
    # listing Wed 2025-10-01 <- announced Tue 20:00 <- received Mon 14:00 .. Tue 14:00 EDT
    assert schedule.submission_window(D(2025, 10, 1)) == (
        dt.datetime(2025, 9, 29, 18, tzinfo=dt.timezone.utc),
        dt.datetime(2025, 9, 30, 18, tzinfo=dt.timezone.utc))
    # listing Mon <- announced Sun <- received Thu 14:00 .. Fri 14:00
    start, end = schedule.submission_window(D(2025, 10, 6))
    assert (start.date(), end.date()) == (D(2025, 10, 2), D(2025, 10, 3))
    # listing Tue <- announced Mon <- received Fri 14:00 .. Mon 14:00 (the weekend)
    start, end = schedule.submission_window(D(2025, 10, 7))
    assert (start.date(), end.date()) == (D(2025, 10, 3), D(2025, 10, 6))
    # winter time: 14:00 EST is 19:00 UTC
    assert schedule.cutoff(D(2025, 12, 2)).hour == 19


def test_windows_tile_time_and_skip_holidays():
    days = schedule.listing_days(D(2025, 10, 1), D(2026, 1, 30))
    assert D(2025, 11, 28) not in days and D(2025, 10, 4) not in days
    for a, b in zip(days, days[1:]):
        assert schedule.submission_window(a)[1] == schedule.submission_window(b)[0]
    # after Thanksgiving the Monday listing carries two windows
    start, end = schedule.submission_window(D(2025, 12, 1))
    assert (start.date(), end.date()) == (D(2025, 11, 26), D(2025, 11, 28))


def test_listing_day_of_a_submission():
    for day in schedule.listing_days(D(2025, 10, 1), D(2025, 12, 30)):
        start, end = schedule.submission_window(day)
        assert schedule.listing_day_of(start + dt.timedelta(seconds=1)) == day
        assert schedule.listing_day_of(end) == day


def test_the_fake_and_the_calendar_agree_on_every_day_of_window_a(window_a):
    from scripts.fake_arxiv import FakeArxiv
    fake = FakeArxiv(window_a)
    assert schedule.listing_days(fake.days[0], fake.days[-1]) == fake.days
    wrong = [k for k, t in fake.submitted.items()
             if schedule.listing_day_of(t) != D.fromisoformat(fake.papers[k].date)]
    assert wrong == []
