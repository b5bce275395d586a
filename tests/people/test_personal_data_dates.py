"""The data export's read-me says when it was made in the shared date format, in the person's
language (issue 17), not as "2026-11-30 02:10"."""

import io
import zipfile

import pytest
import time_machine
from django.utils import timezone, translation

from core.dates import DateStyle, format_date
from people.personal_data import personal_data_zip


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "name"), [("sv", "Läs mig.txt"), ("en", "Read me.txt")])
def test_the_read_me_dates_the_export_for_people(ny, language, name):
    moment = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(moment, tick=False), translation.override(language):
        archive = zipfile.ZipFile(io.BytesIO(personal_data_zip(ny)))
        text = archive.read(name).decode()
        assert format_date(moment, DateStyle.DATE_TIME) in text
    assert timezone.localtime(moment).strftime("%Y-%m-%d") not in text
