"""Certificates (intyg): the learner's own, and the public verification by code."""

from django.http import Http404

from learning.certificates import normalise_code
from learning.models import (
    Certificate,
)
from people.models import User


def certificates_for(user: User) -> list[Certificate]:
    """The user's own certificates, newest first."""
    return list(Certificate.objects.filter(user=user).select_related("user"))


def get_certificate_for(user: User, *, pk: int) -> Certificate:
    """The user's own certificate; anyone else's is a 404."""
    certificate = Certificate.objects.filter(pk=pk, user=user).select_related("user").first()
    if certificate is None:
        raise Http404
    return certificate


def verify_certificate(raw_code: str) -> Certificate | None:
    """The certificate with this verification code, for the public page; None when unknown.

    A code of the wrong shape is not looked up at all.
    """
    code = normalise_code(raw_code)
    if code is None:
        return None
    return Certificate.objects.filter(code=code).select_related("user").first()
