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


def test_the_tests_whose_peers_keep_the_real_clock_are_named_in_one_place():
    """Neither the day of the run nor the clock years ahead is applied to a test whose peer
    process checks times against the real clock (its tokens, codes, due rows): in a run that
    crossed midnight the OpenID and cross-process TOTP tests failed so."""
    from types import SimpleNamespace

    def item(path, *fixtures):
        return SimpleNamespace(path=clock.TESTS / path, fixturenames=list(fixtures))

    assert clock.has_real_clock_peer(item("sso/test_oidc_login.py", "db", "openid_provider"))
    assert clock.has_real_clock_peer(item("learning/test_worker_kill.py", "workers"))
    assert clock.has_real_clock_peer(item("config/test_shared_cache.py"))
    assert not clock.has_real_clock_peer(item("e2e/test_public_pages.py", "live_server"))
    assert not clock.has_real_clock_peer(item("people/test_staff.py", "client", "db"))
