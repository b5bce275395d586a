"""Mitt team as a manager reads it (issue 17): dates as people write them, not ISO, and the
charts' axes, legends and table headings in the reader's language."""

import pytest
from django.urls import reverse

from core.dates import format_date


def overview(client, chef, language: str) -> str:
    chef.preferred_language = language
    chef.save(update_fields=["preferred_language"])
    client.force_login(chef)
    response = client.get(reverse("team:overview"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_start_dates_read_as_dates_not_iso(client, chef, ny):
    start = ny.memberships.get().start_date
    body = overview(client, chef, "sv")
    row = body.split(ny.get_full_name())[1].split("</tr>")[0]
    assert format_date(start) in row
    assert start.isoformat() not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words", "not_words"),
    [
        (
            "sv",
            ["Andel av modulerna som är klara", "Antal personer", "0–24 %", "100 %"],
            ["Share of modules"],
        ),
        (
            "en",
            ["Share of modules completed", "Number of people", "0–24%", "100%"],
            ["Andel av modulerna", "Antal personer", "0–24 %"],
        ),
    ],
)
def test_the_progress_charts_axes_and_table_are_in_the_readers_language(
    client, chef, ny, language, words, not_words
):
    body = overview(client, chef, language)
    chart = body.split('id="chart-progress-title"')[0].rsplit("<figure", 1)[1]
    chart += body.split('id="chart-progress-title"')[1].split("</figure>")[0]
    for word in words:
        assert word in chart
    for word in not_words:
        assert word not in chart
    # The table beside the chart says what its columns hold.
    assert '<th scope="col">' in chart
