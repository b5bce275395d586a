"""Calendar arithmetic the apps share (the lowest layer: learning's certificates and mentoring's
check-in frequency, retention and protected first year all count in months)."""

import datetime

from dateutil.relativedelta import relativedelta


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), or the month's last day when it is shorter:
    31 January + 1 month is 28 (or 29) February."""
    return day + relativedelta(months=months)
