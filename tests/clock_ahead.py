"""The suite with the clock years ahead (`make test-ahead`, run by CI after `make test`): "a test
with the clock moved years ahead still works". Load it with `-p tests.clock_ahead`; from its
import on, this process's clock runs CLOCK_AHEAD_DAYS (default 1096, three years) ahead, ticking,
so Django, the conftest's day of the run and every test see that day.

A fixed date in a test or its data ages with the calendar: with the clock three years ahead 16
tests failed (session 35) - the cast's new hire out of her first year, invitation start dates
refused as more than two years back. They are relative to the day of the run now, and this run
keeps them so.

Left out: the tests whose peers are processes of their own that keep the real clock and check
times against it (tests/clock.py REAL_CLOCK_PEERS: the OpenID provider, the web and worker
processes of tests/config, the killed worker's workers). Three years apart, a token or a code is
"not yet valid" or long expired: that is the two clocks disagreeing, not the code ageing. The
browser tests run: their browser keeps the real clock, and nothing it checks depends on it."""

import datetime
import os

import pytest
import time_machine

from tests.clock import has_real_clock_peer

DAYS = int(os.environ.get("CLOCK_AHEAD_DAYS", "1096"))
_travel = time_machine.travel(
    datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=DAYS), tick=True
)
_travel.start()


def pytest_collection_modifyitems(config, items):
    left_out = [item for item in items if has_real_clock_peer(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not has_real_clock_peer(item)]


def pytest_report_header(config):
    now = datetime.datetime.now(datetime.UTC)
    return f"clock ahead: {DAYS} days (tests/clock_ahead.py), now {now:%Y-%m-%d %H:%M} UTC"


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    _travel.stop()
