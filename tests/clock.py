"""The calendar day a test runs on."""

import contextlib
import datetime
from pathlib import Path

import time_machine
from django.utils import timezone


@contextlib.contextmanager
def on_the_day(day: datetime.date):
    """The clock on `day` at the time of day it now is, ticking; unchanged when it is that day.
    Only this process: servers and workers a test starts still see the real clock."""
    now = timezone.localtime()
    if now.date() == day:
        yield
        return
    moment = timezone.make_aware(datetime.datetime.combine(day, now.time()))
    with time_machine.travel(moment, tick=True):
        yield


TESTS = Path(__file__).resolve().parent
# Tests whose peers are processes of their own that keep the real clock and check times
# against it: the OpenID provider (its tokens' issue and expiry times), the web and worker
# processes of tests/config (a TOTP code's time window) and the killed worker's workers (the
# outbox rows due now). A clock moved in this process only would disagree with them: neither
# the day of the run (tests/conftest.py) nor the clock years ahead (tests/clock_ahead.py) is
# applied to them. A run that crossed midnight in Stockholm failed 19 of them so (session 35).
REAL_CLOCK_PEERS = {"openid_provider", "workers"}
REAL_CLOCK_DIRS = (TESTS / "config",)


def has_real_clock_peer(item) -> bool:
    path = Path(item.path)
    return bool(REAL_CLOCK_PEERS & set(getattr(item, "fixturenames", ()))) or any(
        folder in path.parents for folder in REAL_CLOCK_DIRS
    )
