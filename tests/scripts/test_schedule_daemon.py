"""`opdlist schedule` fires on the days and at the times the crontab line says, as cron and the
workflow do (APScheduler numbers weekdays from Monday = 0, cron from Sunday = 0)."""
from __future__ import annotations

import datetime as dt

import pytest
from ruamel.yaml import YAML

from conftest import ROOT
from scripts import cli
from store.config import Config, cron_trigger

UTC = dt.timezone.utc
MONDAY = dt.datetime(2026, 12, 7, 5, 0, tzinfo=UTC)      # before the 06:30 run
SATURDAY = dt.datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


class Recorder:
    """BlockingScheduler as `opdlist schedule` uses it, recording the jobs and never blocking."""
    jobs: list = []

    def __init__(self, timezone=None):
        Recorder.jobs = []

    def add_job(self, func, trigger=None, id=None, **kw):
        Recorder.jobs.append((id, trigger))

    def get_job(self, id):
        return None

    def start(self):
        pass

    def shutdown(self, wait=True):
        pass


def fires(trigger, now: dt.datetime, n: int) -> list[dt.datetime]:
    out = []
    for _ in range(n):
        now = trigger.get_next_fire_time(None, now)
        out.append(now)
        now += dt.timedelta(seconds=1)
    return out


def test_the_daemon_runs_monday_to_friday_after_the_feed_is_rebuilt(repo, monkeypatch):
    import apscheduler.schedulers.blocking as blocking
    monkeypatch.setattr(blocking, "BlockingScheduler", Recorder)
    assert cli.main(["--repo", str(repo), "schedule"]) == 0
    ((name, trigger),) = Recorder.jobs
    assert name == "daily"
    # from a Monday morning: that Monday at 06:30, then Tuesday to Friday, then Monday
    week = fires(trigger, MONDAY, 6)
    assert [d.strftime("%a %H:%M") for d in week] == \
        ["Mon 06:30", "Tue 06:30", "Wed 06:30", "Thu 06:30", "Fri 06:30", "Mon 06:30"]
    assert week[0].date() == MONDAY.date()
    # from a Saturday: nothing until Monday
    assert fires(trigger, SATURDAY, 1)[0] == dt.datetime(2026, 12, 7, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize("line, days", [
    ("0 12 * * 0", {"Sun"}), ("0 12 * * 7", {"Sun"}), ("0 12 * * 6,0", {"Sat", "Sun"}),
    ("0 12 * * mon-fri", {"Mon", "Tue", "Wed", "Thu", "Fri"}),
    ("0 12 * * 0-2", {"Sun", "Mon", "Tue"}), ("0 12 * * */3", {"Sun", "Wed", "Sat"}),
    ("0 12 * * *", {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}),
])
def test_weekdays_mean_what_they_mean_in_a_crontab(line, days):
    got = {d.strftime("%a") for d in fires(cron_trigger(line, "UTC"), MONDAY, 14)}
    assert got == days


def test_the_workflow_the_crontab_line_and_the_daemon_share_one_schedule():
    """The default (pyproject.toml's value) is the cron of daily.yml; the daemon reads it."""
    daily = YAML(typ="safe").load((ROOT / ".github" / "workflows" / "daily.yml").read_text())
    assert [c["cron"] for c in daily["on"]["schedule"]] == [Config().schedule]
    days = {d.strftime("%a") for d in fires(cron_trigger(Config().schedule, "UTC"), MONDAY, 10)}
    assert days == {"Mon", "Tue", "Wed", "Thu", "Fri"}


def test_a_line_that_cron_and_apscheduler_would_read_differently_is_refused(repo):
    r = cli.main(["--repo", str(repo), "--set", "schedule=30 6 1 * 1", "schedule"])
    assert r == 2
