import datetime

from core import dates
from core.dates import add_months


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2026, 11, 15), 14) == datetime.date(2028, 1, 15)
    assert add_months(datetime.date(2026, 3, 31), -1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 8, 29), 6) == datetime.date(2027, 2, 28)


def test_plausible_start_dates(settings):
    today = datetime.date(2026, 11, 29)
    assert dates.start_date_problem(datetime.date(2024, 11, 29), today=today) is None
    assert dates.start_date_problem(datetime.date(2024, 11, 28), today=today) is not None
    assert dates.start_date_problem(datetime.date(2027, 11, 29), today=today) is None
    assert dates.start_date_problem(datetime.date(2027, 11, 30), today=today) is not None
    settings.DATE_BOUNDS_START_YEARS_AHEAD = 2
    assert dates.start_date_problem(datetime.date(2027, 11, 30), today=today) is None


def test_plausible_case_dates():
    today = datetime.date(2026, 11, 29)
    assert dates.case_opened_problem(datetime.date(2021, 11, 29), today=today) is None
    assert dates.case_opened_problem(datetime.date(2021, 11, 28), today=today) is not None
