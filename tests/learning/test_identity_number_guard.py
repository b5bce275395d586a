"""The identity-number guard in learning's Wagtail admin: the onboarding-plan name (which
reached Wagtail's site history and the Mitt team export) and a course run's name and place are
refused in the admin's edit view, with the error on the field and nothing saved."""

import pytest
from django.urls import reverse

from learning.models import CourseRun, OnboardingPlan, PlanCourse
from people.validators import IDENTITY_NUMBER_IN_TEXT
from tests.learning.test_course_runs_views import _admin_form

MESSAGE = str(IDENTITY_NUMBER_IN_TEXT)


def _plan_form(plan, course, *, name):
    plan_course = plan.courses.get()
    return {
        "name": name,
        "organisation": plan.organisation_id or "",
        "courses-TOTAL_FORMS": "1",
        "courses-INITIAL_FORMS": "1",
        "courses-MIN_NUM_FORMS": "1",
        "courses-MAX_NUM_FORMS": "1000",
        "courses-0-id": str(plan_course.pk),
        "courses-0-course": str(course.pk),
        "courses-0-due_days": "60",
        "courses-0-ORDER": "1",
        "courses-0-DELETE": "",
        "modules-TOTAL_FORMS": "0",
        "modules-INITIAL_FORMS": "0",
        "modules-MIN_NUM_FORMS": "0",
        "modules-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def own_plan(kommunadmin, course):
    plan = OnboardingPlan.objects.create(
        name="Kommun A:s plan", organisation=kommunadmin.memberships.get().organisation
    )
    PlanCourse.objects.create(plan=plan, course=course, due_days=30)
    return plan


@pytest.mark.django_db
def test_wagtail_admin_saves_an_ordinary_plan_name(client, kommunadmin, own_plan, course):
    """The form data below is what the edit view accepts, so the refusal below is the guard's."""
    client.force_login(kommunadmin)
    url = reverse("wagtailsnippets_learning_onboardingplan:edit", args=[own_plan.pk])
    response = client.post(url, _plan_form(own_plan, course, name="Introduktion 2027"))
    assert response.status_code == 302
    own_plan.refresh_from_db()
    assert own_plan.name == "Introduktion 2027"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Plan för 121212\u20131212", "Plan 19121212/1212"])
def test_wagtail_admin_refuses_a_personnummer_in_the_plan_name(
    client, kommunadmin, own_plan, course, name
):
    client.force_login(kommunadmin)
    url = reverse("wagtailsnippets_learning_onboardingplan:edit", args=[own_plan.pk])
    response = client.post(url, _plan_form(own_plan, course, name=name))
    assert response.status_code == 200
    body = response.content.decode()
    errors = body[body.index('id="panel-child-name-errors"') :]
    assert errors.index(MESSAGE) < errors.index("</div>")  # on the name field
    own_plan.refresh_from_db()
    assert own_plan.name == "Kommun A:s plan"
    assert own_plan.courses.get().due_days == 30  # nothing saved, not even the inline rows


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["name", "place", "sessions-0-place"])
def test_wagtail_admin_refuses_a_personnummer_in_a_course_run(
    client, redaktor, kursledare, leadership, field
):
    client.force_login(redaktor)
    form = _admin_form(leadership, kursledare)
    form[field] = "Hos 12.12.12.1212"
    response = client.post(reverse("wagtailsnippets_learning_courserun:add"), form)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not CourseRun.objects.exists()
