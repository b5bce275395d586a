"""The pulse invitation's last day reads in the shared date format (core.dates) in both the
plain-text and the HTML part, in the person's language (issue 17): the text part used Django's
"j F Y" ("4 december 2026"), the HTML part "4 dec. 2026"."""

import pytest
from django.utils import translation

from core.dates import format_date
from pulse.models import PulseInvitation
from pulse.tasks import invitation_email
from tests.pulse.conftest import open_round_for


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_last_day_reads_the_same_in_both_parts(ny, enhet_a, language):
    ny.preferred_language = language
    ny.save(update_fields=["preferred_language"])
    round_ = open_round_for((ny, enhet_a))
    message = invitation_email(PulseInvitation.objects.get(round=round_).pk)
    with translation.override(language):
        shown = format_date(round_.last_day)
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert shown in part
        assert round_.last_day.isoformat() not in part
    long_month = round_.last_day.strftime("%B")  # the C locale's English name, as "j F Y" gave
    if long_month not in shown:  # in English May is May either way (it failed in May)
        assert long_month not in message.body
