"""One date format per context (issue 17): "29 nov. 2026" in Swedish, "29 Nov 2026" in English,
always with the year ("sedan 5 maj" about a case from 1990 misled), the time in local time, and
every template through the one filter (|datum), never Django's |date with a format of its own."""

import datetime
import re
from pathlib import Path

import time_machine
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

from core.dates import add_months, format_date


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_a_date_reads_the_same_this_year_and_long_ago_and_always_has_its_year():
    today = timezone.localdate()
    with translation.override("sv"):
        assert render("{{ d|datum }}", d=datetime.date(1990, 5, 5)) == "5 maj 1990"
        assert render("{{ d|datum }}", d=today) == f"{format_date(today)}"
        assert str(today.year) in render("{{ d|datum }}", d=today)
        assert render("{{ d|datum }}", d=datetime.date(today.year, 11, 29)) == (
            f"29 nov. {today.year}"
        )


def test_the_year_stays_when_the_clock_moves_on():
    day = timezone.localdate()
    later = timezone.make_aware(datetime.datetime.combine(add_months(day, 30), datetime.time(12)))
    with time_machine.travel(later, tick=False), translation.override("sv"):
        text = render(
            "{% load i18n %}{% blocktranslate with since=d|datum %}sedan {{ since }}"
            "{% endblocktranslate %}",
            d=day,
        )
        assert text.endswith(str(day.year))


def test_english_dates_and_times_in_local_time():
    year = timezone.localdate().year + 5
    # 23:30 UTC on 2 March is 00:30 on 3 March in Stockholm (CET).
    moment = datetime.datetime(year, 3, 2, 23, 30, tzinfo=datetime.UTC)
    monday = datetime.date(year, 3, 10) - datetime.timedelta(
        days=datetime.date(year, 3, 10).weekday()
    )
    with translation.override("en"):
        assert render('{{ m|datum:"tid" }}', m=moment) == f"3 Mar {year} at 00:30"
        assert render('{{ d|datum:"veckodag" }}', d=monday) == f"Mon {monday.day} Mar {year}"
    with translation.override("sv"):
        assert render('{{ m|datum:"tid" }}', m=moment) == f"3 mars {year} kl. 00:30"
        assert render('{{ d|datum:"veckodag" }}', d=monday) == f"mån {monday.day} mars {year}"
    assert render("{{ d|datum }}", d=None) == ""


# Hidden inputs carry the ISO date the form reads back: not for people to read.
MACHINE_DATE = re.compile(r"""value="\{\{[^}]*\|date:['"]Y-m-d['"]\s*\}\}\"""")


def test_every_template_uses_the_one_date_filter():
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in root.rglob("*.html"):
        if {"node_modules", ".venv", "staticfiles"} & set(path.parts):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line.strip().startswith("{#"):
                continue
            if "|date:" in MACHINE_DATE.sub("", line) or "naturalday" in line:
                offenders.append(f"{path.relative_to(root)}:{number}")
    assert not offenders, f"dates outside |datum: {offenders}"
