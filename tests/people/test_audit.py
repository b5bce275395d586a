import pytest
from django.urls import reverse

from people.audit import record_event
from people.models import AuditAction, AuditEvent


@pytest.mark.django_db
def test_audit_events_are_append_only(kommunadmin, kommun_a):
    event = record_event(
        kommunadmin, action=AuditAction.EXPORT, organisation=kommun_a, object_type="team.export"
    )
    assert event.actor_label == kommunadmin.full_name
    event.summary = "ändrad"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


@pytest.mark.django_db
def test_admin_sees_and_filters_only_their_own_municipalitys_log(
    client, kommunadmin, kommun_a, kommun_b, ny, django_assert_max_num_queries
):
    record_event(ny, action=AuditAction.READ, organisation=kommun_a, object_type="x.case")
    record_event(ny, action=AuditAction.EXPORT, organisation=kommun_a, object_type="x.team")
    record_event(ny, action=AuditAction.READ, organisation=kommun_b, object_type="x.hemlig")
    client.force_login(kommunadmin)
    body = client.get(reverse("people:audit_log")).content.decode()
    assert "x.case" in body and "x.team" in body
    assert "x.hemlig" not in body
    filtered = client.get(reverse("people:audit_log"), {"handelse": "read"}).content.decode()
    assert "x.case" in filtered and "x.team" not in filtered
    assert "Granskningslogg" in filtered


@pytest.mark.django_db
def test_audit_log_is_a_404_for_everyone_but_admins(client, ny, chef):
    for user in (ny, chef):
        client.force_login(user)
        assert client.get(reverse("people:audit_log")).status_code == 404
