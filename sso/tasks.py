"""Emails about single sign-on and provisioning, delivered through the outbox."""

from django.conf import settings
from django.urls import reverse

from core import outbox
from people.emails import build_email
from people.models import User


@outbox.handler
def directory_refusal_email(admin_id: int, person_id: int, detail: str):
    """Tell a municipal admin that the directory (SCIM) asked to deactivate a person who still
    holds open work, and where to hand it over (the leaver page)."""
    admin = User.objects.filter(pk=admin_id, is_active=True).first()
    person = User.objects.filter(pk=person_id).first()
    if admin is None or person is None:
        return None
    path = reverse("people:leaver", kwargs={"user_id": person.pk})
    context = {
        "admin": admin,
        "person": person,
        "detail": detail,
        "url": f"{settings.SITE_URL.rstrip('/')}{path}",
    }
    return build_email("sso/email/directory_refusal", to=admin, context=context)
