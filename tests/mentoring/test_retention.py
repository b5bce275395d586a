"""Retention (gallring): closed cases and their reviews are deleted after the municipality's
period, by a periodic task, with an audit line; open cases and decisions stay."""

import datetime

import pytest
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    CaseReview,
    CaseStage,
    EntrustmentDecision,
    MentoringSettings,
    SupervisedCase,
)
from mentoring.tasks import purge_expired_cases
from people.models import AuditEvent
from tests.mentoring.factories import CaseFactory, DecisionFactory, ReviewFactory

TODAY = datetime.date(2026, 11, 23)


def _closed(holder, case_type, closed_on, reference):
    return CaseFactory(
        holder=holder,
        case_type=case_type,
        reference=reference,
        stage=CaseStage.CLOSED,
        opened_on=closed_on - datetime.timedelta(days=60),
        closed_on=closed_on,
    )


@pytest.mark.django_db
def test_closed_cases_are_deleted_after_the_default_24_months(ny, mentor, placering, chef):
    old = _closed(ny, placering, datetime.date(2024, 11, 23), "BoU-2024-001")
    recent = _closed(ny, placering, datetime.date(2024, 11, 24), "BoU-2024-002")
    still_open = CaseFactory(holder=ny, case_type=placering, reference="BoU-2026-003")
    review = ReviewFactory(case=old, supervisor=mentor, date=old.opened_on)
    decision = DecisionFactory(person=ny, case_type=placering, decided_by=chef, level=3)
    decision.reviews.add(review)

    assert services.purge_expired_cases(TODAY) == 1
    assert set(SupervisedCase.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert not CaseReview.objects.filter(pk=review.pk).exists()
    assert EntrustmentDecision.objects.filter(pk=decision.pk).exists()
    line = AuditEvent.objects.get(action="delete", object_type="mentoring.supervisedcase")
    assert line.object_id == str(old.pk)
    assert "BoU" not in line.summary  # the log never names the case reference
    assert services.purge_expired_cases(TODAY) == 0  # idempotent


@pytest.mark.django_db
def test_the_municipality_sets_its_own_period(ny, placering, kommun_a):
    MentoringSettings.objects.create(organisation=kommun_a, case_retention_months=6)
    _closed(ny, placering, datetime.date(2026, 5, 23), "BoU-2026-010")
    _closed(ny, placering, datetime.date(2026, 6, 1), "BoU-2026-011")
    services.purge_expired_cases(TODAY)
    assert list(SupervisedCase.objects.values_list("reference", flat=True)) == ["BoU-2026-011"]


@pytest.mark.django_db
def test_the_daily_task_purges(ny, placering):
    today = timezone.localdate()
    _closed(ny, placering, today - datetime.timedelta(days=800), "BoU-2020-001")
    assert purge_expired_cases.apply().get() == 1
    assert not SupervisedCase.objects.exists()
