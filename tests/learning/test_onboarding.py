import datetime

import pytest
from django.core.exceptions import ValidationError

from learning.models import Enrolment, ModuleDeadline, OnboardingPlan, PlanCourse, PlanModule
from learning.services.onboarding import apply_onboarding_plan, plan_for
from people.models import Role
from people.services import add_membership
from tests.factories import UserFactory

START = datetime.date(2026, 12, 1)


@pytest.fixture
def national_plan(course):
    plan = OnboardingPlan.objects.create(name="Nationell plan")
    PlanCourse.objects.create(plan=plan, course=course, due_days=60)
    PlanModule.objects.create(plan=plan, module=course.modules().first(), due_days=14)
    return plan


def _hire(unit, start=START):
    user = UserFactory()
    membership = add_membership(None, user=user, role=Role.NEW_HIRE, unit=unit, start_date=start)
    return user, membership


@pytest.mark.django_db
def test_new_hire_is_enrolled_with_due_dates_after_commit(
    enhet_a, course, national_plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user, _membership = _hire(enhet_a)
    assert callbacks, "the plan is applied by a task scheduled after commit"
    enrolment = Enrolment.objects.get(user=user)
    assert enrolment.due_date == START + datetime.timedelta(days=60)
    deadlines = {
        d.module.title: d.due_date for d in ModuleDeadline.objects.filter(enrolment=enrolment)
    }
    assert deadlines == {
        "Modul 1": START + datetime.timedelta(days=14),
        "Modul 2": START + datetime.timedelta(days=60),
        "Modul 3": START + datetime.timedelta(days=60),
    }


@pytest.mark.django_db
def test_applying_twice_changes_nothing_and_a_new_start_date_moves_deadlines(
    enhet_a, course, national_plan
):
    user, membership = _hire(enhet_a)
    apply_onboarding_plan(membership)
    before = list(ModuleDeadline.objects.values_list("pk", "due_date").order_by("pk"))
    apply_onboarding_plan(membership)
    assert list(ModuleDeadline.objects.values_list("pk", "due_date").order_by("pk")) == before
    assert Enrolment.objects.filter(user=user).count() == 1
    membership.start_date = START + datetime.timedelta(days=7)
    membership.save()
    apply_onboarding_plan(membership)
    first = ModuleDeadline.objects.get(module__title="Modul 1")
    assert first.due_date == START + datetime.timedelta(days=21)


@pytest.mark.django_db
def test_municipality_plan_wins_over_the_national_default(enhet_a, catalog, course, national_plan):
    from tests.factories import add_course

    local_course = add_course(catalog, title="Lokal introduktion")
    local = OnboardingPlan.objects.create(name="Lokal plan", organisation=enhet_a.organisation)
    PlanCourse.objects.create(plan=local, course=local_course, due_days=30)
    assert plan_for(enhet_a.organisation_id) == local
    user, membership = _hire(enhet_a)
    apply_onboarding_plan(membership)
    assert [e.course.title for e in Enrolment.objects.filter(user=user)] == ["Lokal introduktion"]


@pytest.mark.django_db
def test_only_new_hires_get_the_plan(enhet_a, course, national_plan):
    user = UserFactory()
    membership = add_membership(None, user=user, role=Role.MENTOR, unit=enhet_a, start_date=START)
    assert apply_onboarding_plan(membership) == []
    assert not Enrolment.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_due_date_before_the_start_date_is_refused(national_plan, course):
    row = PlanCourse(plan=national_plan, course=course, due_days=-1)
    with pytest.raises(ValidationError) as error:
        row.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    assert "före startdatumet" in str(error.value)


@pytest.mark.django_db
def test_a_plan_cannot_reference_an_unpublished_course(national_plan, catalog):
    from tests.factories import add_course

    draft = add_course(catalog, title="Utkast")
    draft.unpublish()
    draft.refresh_from_db()
    row = PlanCourse(plan=national_plan, course=draft, due_days=10)
    with pytest.raises(ValidationError) as error:
        row.full_clean(validate_unique=False, validate_constraints=False)
    assert "inte publicerad" in str(error.value)


@pytest.mark.django_db
def test_only_one_national_default_plan(national_plan):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        OnboardingPlan.objects.create(name="En till")


@pytest.mark.django_db
def test_dashboard_shows_module_due_dates_and_overdue(client, enhet_a, course, national_plan):
    user, membership = _hire(enhet_a, start=datetime.date(2020, 1, 1))
    apply_onboarding_plan(membership)
    client.force_login(user)
    body = client.get("/min-introduktion/").content.decode()
    assert "3 moduler försenade" in body
    assert "klart senast 15 jan. 2020" in body  # the year of a date from another year


@pytest.mark.django_db
def test_municipal_admin_sees_only_own_plan_in_wagtail_admin(
    client, kommunadmin, kommun_b, national_plan
):
    own = OnboardingPlan.objects.create(
        name="Kommun A:s plan", organisation=kommunadmin.memberships.get().organisation
    )
    other = OnboardingPlan.objects.create(name="Kommun B:s plan", organisation=kommun_b)
    client.force_login(kommunadmin)
    index = client.get("/admin/snippets/learning/onboardingplan/")
    assert index.status_code == 200
    body = index.content.decode()
    assert "Kommun A:s plan" in body
    assert "Kommun B:s plan" not in body and "Nationell plan" not in body
    edit = "/admin/snippets/learning/onboardingplan/edit/{}/"
    assert client.get(edit.format(own.pk)).status_code == 200
    assert client.get(edit.format(other.pk)).status_code in (302, 403, 404)
    assert client.get(edit.format(national_plan.pk)).status_code in (302, 403, 404)
    for action in ("delete", "copy", "history", "usage"):
        url = f"/admin/snippets/learning/onboardingplan/{action}/{other.pk}/"
        assert client.get(url).status_code in (302, 403, 404), action
        assert client.post(url).status_code in (302, 403, 404), action
    assert OnboardingPlan.objects.filter(pk=other.pk).exists()
