"""A knowledge-check result whose answers were not kept (seen in the screenshots of every page
type: a heading "Dina svar" over nothing) says so."""

import pytest
from django.urls import reverse

from learning.models import Enrolment, ModuleProgress, QuizAttempt

pytestmark = pytest.mark.django_db


def test_an_attempt_without_saved_answers_says_so(client, ny, course):
    module = course.get_children().specific().first()
    enrolment = Enrolment.objects.create(user=ny, course=course)
    progress = ModuleProgress.objects.create(enrolment=enrolment, module=module)
    attempt = QuizAttempt.objects.create(progress=progress, score=100, passed=True)
    client.force_login(ny)
    body = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert "Dina svar" in body
    assert "Inga svar är sparade för det här försöket." in body
