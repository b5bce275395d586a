"""The demo data shows the staff list's states: a pending invitation and a deactivated
person, with start dates counted from today."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from people.models import StaffStatus, User


@pytest.mark.django_db
def test_the_demo_has_a_pending_invitation_and_a_deactivated_person(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--password", "demo-losen-123", stdout=None)
    today = timezone.localdate()
    invited = User.objects.get(email="inbjuden@example.org")
    gone = User.objects.get(email="slutat@example.org")
    assert invited.staff_status == StaffStatus.INVITED
    assert gone.staff_status == StaffStatus.DEACTIVATED
    assert invited.memberships.get().start_date == today + datetime.timedelta(days=14)
    assert gone.memberships.get().start_date == today - datetime.timedelta(days=700)
    client.force_login(User.objects.get(email="admin@example.org"))
    staff = reverse("people:staff")
    assert invited.full_name in client.get(staff, {"status": "inbjuden"}).content.decode()
    assert gone.full_name in client.get(staff, {"status": "avaktiverad"}).content.decode()
    # The leaver can come back: reactivating restores her login with the same password.
    client.post(reverse("people:reactivate", args=[gone.pk]))
    assert type(client)().login(email=gone.email, password="demo-losen-123")
