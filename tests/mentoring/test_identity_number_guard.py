"""Mentoring's hand-written forms feed services that call full_clean; where a form names a
field differently from the model (the mentee's reflection), the guard runs on the form too, so
the error sits at the field the person typed in and their text is kept."""

import pytest
from django.urls import reverse

from people.validators import IDENTITY_NUMBER_IN_TEXT
from tests.mentoring.factories import MentorProfileFactory, MentorshipFactory, SessionFactory


@pytest.mark.django_db
def test_mentee_reflection_with_a_personnummer_is_a_field_error(client, mentor, ny):
    MentorProfileFactory(user=mentor, capacity=10)
    session = SessionFactory(mentorship=MentorshipFactory(mentor=mentor, mentee=ny))
    client.force_login(ny)
    reflection = "Vi pratade om pojken 121212\u20111212."
    response = client.post(
        reverse("mentoring:confirm_session", args=[session.pk]), {"reflection": reflection}
    )
    assert response.status_code == 200
    body = response.content.decode()
    errors = body[body.index('id="id_reflection_error"') :]
    assert errors.index(str(IDENTITY_NUMBER_IN_TEXT)) < errors.index("</p>")
    assert "121212\u20111212" in body  # the input is kept
    session.refresh_from_db()
    assert session.confirmed_at is None
    assert session.mentee_reflection == ""
