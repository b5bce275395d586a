"""A real TOTP code for a test, from allauth's own functions, that is still valid when the
request that carries it is checked.

allauth accepts only the current 30-second window (MFA_TOTP_TOLERANCE is 0). A code made in the
last second of a window is refused by a request that arrives in the next one: under a loaded
CI machine that happened about once in a few hundred runs. So when less than `valid_for`
seconds of the window remain, wait for the next window first (at most `valid_for` seconds)."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)


def current_code(secret, *, valid_for=5):
    period = app_settings.TOTP_PERIOD
    assert valid_for < period
    left = period - time.time() % period
    if left < valid_for:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
