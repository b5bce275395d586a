""" "Väntar på mig" links an open pulse (issue 23): the invited person sees "Svara på
pulsenkäten" with its last day in the block, on every landing page that shows the block, while
the round is open and they have not answered; nobody else ever sees it."""

import pytest
from django.urls import reverse

from core.dates import format_date
from people import waiting
from pulse import services
from pulse.models import PulseInvitation
from tests.pulse.conftest import open_round_for

ANSWER = "Svara på pulsenkäten"


def page(token):
    return reverse("pulse:answer", args=[token])


def block(client, path) -> str:
    """The "Väntar på mig" section of the page, and nothing else."""
    body = client.get(path).content.decode()
    start = body.index('class="card waiting"')
    return body[start : body.index("</section>", start)]


@pytest.mark.django_db
def test_the_new_hire_answers_the_pulse_from_the_block_by_its_last_day(client, ny, inbjudan):
    client.force_login(ny)
    found = block(client, reverse("learning:dashboard"))
    assert ANSWER in found and page(inbjudan.token) in found
    assert "Pulsenkät: hur har du det på jobbet?" in found
    last_day = format_date(inbjudan.round.last_day)
    assert f"Svara senast {last_day}." in found
    # One link, not a second card beside the block (the old separate include).
    assert (
        client.get(reverse("learning:dashboard")).content.decode().count(page(inbjudan.token)) == 1
    )
    [item] = [i for g in waiting.waiting_for(ny) for i in g.items if i.url == page(inbjudan.token)]
    assert item.day == inbjudan.round.last_day


@pytest.mark.django_db
def test_every_page_with_the_block_links_the_pulse(client, mentor, chef, enhet_a):
    round_ = open_round_for((mentor, enhet_a), (chef, enhet_a))
    for user, path in (
        (mentor, reverse("mentoring:my_mentees")),
        (chef, reverse("team:overview")),
        (mentor, reverse("learning:dashboard")),
    ):
        token = PulseInvitation.objects.get(round=round_, person=user).token
        client.force_login(user)
        assert page(token) in block(client, path), (user, path)


@pytest.mark.django_db
def test_the_link_goes_once_answered(client, ny, inbjudan):
    client.force_login(ny)
    services.answer_pulse(ny, invitation=inbjudan, workload=3, support=3, stay=3)
    found = block(client, reverse("learning:dashboard"))
    assert ANSWER not in found and page(inbjudan.token) not in found


@pytest.mark.django_db
def test_the_link_goes_when_the_round_closes(client, ny, inbjudan):
    client.force_login(ny)
    services.close_due_rounds(inbjudan.round.closes_on)
    assert ANSWER not in block(client, reverse("learning:dashboard"))


@pytest.mark.django_db
def test_nobody_outside_the_round_sees_it(client, ny, inbjudan, mentor, chef, utomstaende):
    """A colleague in the same unit, the unit's manager and someone in another municipality:
    not invited to this round, so no link (to it or any other)."""
    for user, path in (
        (mentor, reverse("mentoring:my_mentees")),
        (chef, reverse("team:overview")),
        (utomstaende, reverse("learning:dashboard")),
        (mentor, reverse("learning:dashboard")),
    ):
        client.force_login(user)
        found = block(client, path)
        assert ANSWER not in found and "/puls/" not in found, (user, path)
