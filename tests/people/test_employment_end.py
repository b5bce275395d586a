"""The day employment ended (anställningen upphörde): recorded by the one place that closes an
account (deactivation, a revoked invitation, anonymisation, SCIM active=false), cleared on
reactivation, and filled for accounts closed before it was kept from the audit log."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from people import staff
from people.models import AuditAction, AuditEvent, User
from people.personal_data import anonymise_person
from tests.sso.test_scim import PATCH, Scim, _token

pytestmark = pytest.mark.django_db


def _ended(user) -> datetime.date | None:
    return User.objects.get(pk=user.pk).employment_ended_on


def test_deactivation_records_today_and_reactivation_clears_it(kommunadmin, ny):
    today = timezone.localdate()
    staff.deactivate_person(kommunadmin, person=ny)
    assert _ended(ny) == today
    # A second deactivation (a double click) does not move the day.
    User.objects.filter(pk=ny.pk).update(employment_ended_on=today - datetime.timedelta(days=3))
    staff.deactivate_person(kommunadmin, person=ny)
    assert _ended(ny) == today - datetime.timedelta(days=3)
    staff.reactivate_person(kommunadmin, person=ny)
    assert _ended(ny) is None and User.objects.get(pk=ny.pk).is_active


def test_a_revoked_invitation_closes_with_an_end_date(kommunadmin, ny):
    ny.set_unusable_password()
    ny.save()
    staff.revoke_invitation(kommunadmin, person=ny)
    assert _ended(ny) == timezone.localdate()


def test_anonymising_keeps_the_day_a_deactivated_person_left(kommunadmin, ny, mentor):
    left = timezone.localdate() - datetime.timedelta(days=40)
    staff.deactivate_person(kommunadmin, person=ny)
    User.objects.filter(pk=ny.pk).update(employment_ended_on=left)
    anonymise_person(kommunadmin, user=User.objects.get(pk=ny.pk))
    assert _ended(ny) == left
    # Anonymised while still active: they leave today.
    anonymise_person(kommunadmin, user=mentor)
    assert _ended(mentor) == timezone.localdate()
    assert not User.objects.get(pk=mentor.pk).is_active


def test_scim_active_false_records_the_end_and_true_clears_it(kommunadmin, kommun_a, enhet_a, ny):
    from sso.models import DirectorySync

    DirectorySync.objects.create(organisation=kommun_a, default_unit=enhet_a)
    scim = Scim(_token(kommunadmin, kommun_a))
    body = {"schemas": [PATCH], "Operations": [{"op": "Replace", "path": "active", "value": False}]}
    assert scim.patch(f"Users/{ny.pk}", body).status_code == 200
    assert _ended(ny) == timezone.localdate()
    body["Operations"][0]["value"] = True
    assert scim.patch(f"Users/{ny.pk}", body).status_code == 200
    assert _ended(ny) is None


def _line(user, organisation, *, summary="", action=AuditAction.UPDATE, at):
    event = AuditEvent.objects.create(
        organisation=organisation,
        action=action,
        object_type="people.user",
        object_id=str(user.pk),
        summary=summary,
    )
    AuditEvent.objects.filter(pk=event.pk).update(at=at)


def test_the_migration_dates_accounts_closed_before_from_the_audit_log(kommun_a, enhet_a):
    from tests.mentoring.factories import person

    migration = importlib.import_module("people.migrations.0012_employment_ended_on")
    today = timezone.localdate()
    noon = datetime.time(12)

    def at(days_ago: int, time=noon) -> datetime.datetime:
        day = today - datetime.timedelta(days=days_ago)
        return timezone.make_aware(datetime.datetime.combine(day, time))

    late, back_again, then_anonymised, no_line, active = (
        person(enhet_a, "new_hire", start=today, email=f"m{n}@example.org") for n in range(5)
    )
    # 00:30 local time is the previous day in UTC: the local day is the one that counts.
    _line(late, kommun_a, summary="Avaktiverad", at=at(100, datetime.time(0, 30)))
    _line(back_again, kommun_a, summary="Avaktiverad", at=at(300))
    _line(back_again, kommun_a, summary="Aktiverad igen", at=at(200))
    _line(back_again, kommun_a, summary="Avaktiverad", at=at(50))
    _line(then_anonymised, kommun_a, summary="Inbjudan återkallad", at=at(80))
    _line(then_anonymised, kommun_a, action=AuditAction.ANONYMISE, summary="Anonymiserad", at=at(9))
    _line(active, kommun_a, summary="Avaktiverad", at=at(70))
    _line(active, kommun_a, summary="Aktiverad igen", at=at(60))
    User.objects.filter(pk__in=[late.pk, back_again.pk, then_anonymised.pk, no_line.pk]).update(
        is_active=False
    )

    migration.date_the_closed_accounts(apps, None)

    assert _ended(late) == today - datetime.timedelta(days=100)
    assert _ended(back_again) == today - datetime.timedelta(days=50)
    assert _ended(then_anonymised) == today - datetime.timedelta(days=80)
    assert _ended(no_line) is None
    assert _ended(active) is None
