"""The calendar day a test runs on."""

import contextlib
import datetime

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
