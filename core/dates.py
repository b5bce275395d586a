"""Calendar rules the apps share (the lowest layer): month arithmetic (learning's certificates,
mentoring's check-in frequency, retention and protected first year all count in months) and
the bounds of a plausible date where people type one."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), or the month's last day when it is shorter:
    31 January + 1 month is 28 (or 29) February."""
    return day + relativedelta(months=months)


# --------------------------------------------------------------------------------------------
# Plausible dates: a date typed with the wrong year is refused where it is entered, with the
# bounds in the message. The bounds are settings (DATE_BOUNDS_*), read here and nowhere else.
# --------------------------------------------------------------------------------------------
START_DATE_TOO_EARLY = _(
    "Startdatumet ligger mer än %(years)s år bakåt i tiden. Kontrollera årtalet."
)
START_DATE_TOO_LATE = _(
    "Startdatumet ligger mer än %(years)s år fram i tiden. Kontrollera årtalet."
)
CASE_OPENED_TOO_EARLY = _(
    "Ett ärende som öppnades för mer än %(years)s år sedan hör inte hemma här. Kontrollera årtalet."
)


def start_date_problem(day: datetime.date, *, today: datetime.date) -> str | None:
    """Why a start date (anställningens startdatum) is implausible, or None."""
    back, ahead = settings.DATE_BOUNDS_START_YEARS_BACK, settings.DATE_BOUNDS_START_YEARS_AHEAD
    if day < add_months(today, -12 * back):
        return START_DATE_TOO_EARLY % {"years": back}
    if day > add_months(today, 12 * ahead):
        return START_DATE_TOO_LATE % {"years": ahead}
    return None


def case_opened_problem(day: datetime.date, *, today: datetime.date) -> str | None:
    """Why the date a case was opened is implausible (too long ago), or None; a date in the
    future is the case service's own message."""
    back = settings.DATE_BOUNDS_CASE_YEARS_BACK
    if day < add_months(today, -12 * back):
        return CASE_OPENED_TOO_EARLY % {"years": back}
    return None
