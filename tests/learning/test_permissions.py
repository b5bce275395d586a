"""learning.permissions is the one place for learning's access rules: the course page offers
the .ics download to exactly the people the download answers."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("chef", True),  # the course's audience (managers)
        ("kursledare", True),  # leads the run
        ("redaktor", True),  # curriculum editor
        ("kommunadmin", True),  # nominates managers to runs
        ("ny", False),  # a new hire is not the audience and has no place
        ("utomstaende", False),
    ],
)
def test_the_ics_link_is_offered_to_exactly_those_the_download_answers(
    request, client, run, leadership, who, offered
):
    client.force_login(request.getfixturevalue(who))
    ics = reverse("learning:run_ics", args=[run.pk])
    page = client.get(leadership.url).content.decode()
    assert (ics in page) is offered
    assert client.get(ics).status_code == (200 if offered else 404)
