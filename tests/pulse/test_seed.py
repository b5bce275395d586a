"""The pulse's demo data: closed rounds in the demo municipality, one quarter where both units
show and one where the small unit (and, through the total, the other) is hidden; and an open
pulse for the demo new hire, linked on "Min introduktion". Idempotent."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from people.models import User
from pulse import selectors
from pulse.models import PulseAnswer, PulseInvitation


@pytest.mark.django_db
def test_seed_pulse_shows_figures_hides_a_small_unit_and_opens_a_pulse_for_ny(client, settings):
    settings.DEBUG = True
    call_command("seed_pulse", "--password", "demo-losen-123")
    answers = PulseAnswer.objects.count()
    call_command("seed_pulse", "--password", "demo-losen-123")
    assert PulseAnswer.objects.count() == answers == 9 + 3 + 7 + 6
    assert not PulseAnswer.objects.filter(round__isnull=False).exists()

    page = selectors.results_for(User.objects.get(email="admin@example.org"))
    last, before = page.tables[1], page.tables[2]
    assert [item.figure.n for item in before.units] == [6, 7]
    assert [item.figure.hidden for item in last.units] == [True, True]
    assert last.total.n == 12
    assert before.comment_groups and all(group.n >= 5 for group in before.comment_groups)

    ny = User.objects.get(email="ny@example.org")
    invitation = PulseInvitation.objects.get(person=ny)
    client.force_login(ny)
    body = client.get(reverse("learning:dashboard")).content.decode()
    assert reverse("pulse:answer", args=[invitation.token]) in body
