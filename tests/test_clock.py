"""The suite keeps one calendar day per run (tests/conftest.py, tests/clock.py)."""

import datetime
import time

from django.utils import timezone

from tests import clock, conftest


def test_past_midnight_a_test_runs_on_the_day_the_run_began():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    before = timezone.localtime()
    with clock.on_the_day(yesterday):
        inside = timezone.localtime()
        assert inside.date() == yesterday
        # The same time of day (to the minute, either side of midnight), and the clock moves.
        minutes = abs((inside.hour - before.hour) * 60 + inside.minute - before.minute)
        assert min(minutes, 24 * 60 - minutes) <= 1
        time.sleep(0.01)
        assert timezone.localtime() > inside
    assert timezone.localdate() >= before.date()


def test_on_the_day_it_is_the_clock_is_left_alone():
    with clock.on_the_day(timezone.localdate()):
        assert abs((timezone.now() - datetime.datetime.now(datetime.UTC)).total_seconds()) < 5


def test_every_test_runs_on_the_day_the_tests_were_collected():
    assert timezone.localdate() == conftest.COLLECTED_ON
