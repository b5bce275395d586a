"""Certificates (intyg): the learner's own, the public verification by code, the introductions
waiting for the manager's sign-off (godkännande), and the certificates an admin may revoke."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.http import Http404

from content.models import Audience, CourseKind, CoursePage
from learning import permissions
from learning.certificates import normalise_code
from learning.models import Certificate, Enrolment
from learning.selectors.figures import introduction
from people.models import User


def requires_sign_off(course: CoursePage) -> bool:
    """The introduction (a self-paced course for new hires) is complete only when the manager
    has signed it off after the closing conversation; other courses are complete with their
    modules, and cohort courses (the leadership course) with their attendance as well."""
    return needs_sign_off(kind=course.kind, audience=course.audience)


def needs_sign_off(*, kind: str, audience: str) -> bool:
    """`requires_sign_off` from a course's two fields, for readers that fetched values only."""
    return kind == CourseKind.SELF_PACED and audience == Audience.NEW_HIRES


def awaiting_sign_off_of(
    *, status: str, modules_completed_at: datetime.datetime | None, kind: str, audience: str
) -> bool:
    """Whether an enrolment (read as values: its status, when its modules were all done, and
    its course's kind and audience) waits for the manager's sign-off."""
    return (
        status == Enrolment.Status.ACTIVE
        and modules_completed_at is not None
        and needs_sign_off(kind=kind, audience=audience)
    )


def certificates_for(user: User) -> list[Certificate]:
    """The user's own certificates, newest first."""
    return list(Certificate.objects.filter(user=user).select_related("user"))


def get_certificate_for(user: User, *, pk: int) -> Certificate:
    """The user's own certificate; anyone else's is a 404."""
    certificate = Certificate.objects.filter(pk=pk, user=user).select_related("user").first()
    if certificate is None:
        raise Http404
    return certificate


@dataclass
class Verification:
    """What the public check shows, and whether the viewer may revoke the certificate."""

    certificate: Certificate
    may_revoke: bool = False


def verify_certificate(raw_code: str, *, viewer: User | None = None) -> Verification | None:
    """The certificate with this verification code, for the public page; None when unknown.

    A code of the wrong shape is not looked up at all. An anonymous viewer costs one query."""
    code = normalise_code(raw_code)
    if code is None:
        return None
    certificate = Certificate.objects.filter(code=code).select_related("user").first()
    if certificate is None:
        return None
    may_revoke = (
        viewer is not None
        and viewer.is_authenticated
        and not certificate.is_revoked
        and permissions.may_revoke(viewer, certificate=certificate)
    )
    return Verification(certificate=certificate, may_revoke=may_revoke)


@dataclass
class AwaitingSignOff:
    enrolment_id: int
    name: str
    course_title: str
    modules_completed_on: datetime.date


def get_enrolment_for_sign_off(user: User, *, pk: int) -> Enrolment:
    """An enrolment in the user's units that needs a sign-off (whether given yet or not); a 404
    for anything else, whether it exists or not."""
    enrolment = (
        Enrolment.objects.filter(permissions.sign_off_scope(user), pk=pk)
        .select_related("user", "course")
        .first()
    )
    if enrolment is None or not requires_sign_off(enrolment.course):
        raise Http404
    return enrolment


def get_certificate_for_revoking(user: User, *, pk: int) -> Certificate:
    """A certificate the user's municipality issued, for its admin to revoke; a 404 otherwise."""
    certificate = (
        Certificate.objects.filter(permissions.revocation_scope(user), pk=pk)
        .select_related("user")
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


def awaiting_sign_off_for(*, users) -> list[tuple]:
    """(enrolment id, user id, course title, modules completed at) of each introduction of
    these people (ids or a subquery) whose modules are done and that waits for the manager's
    sign-off (awaiting_sign_off_of), oldest first. One query."""
    rows = (
        Enrolment.objects.filter(
            introduction(),
            user_id__in=users,
            course__live=True,
            status=Enrolment.Status.ACTIVE,
            modules_completed_at__isnull=False,
        )
        .order_by("modules_completed_at", "pk")
        .values_list("pk", "user_id", "course__title", "modules_completed_at")
    )
    return list(rows)


def latest_certificate_of(user_field: str) -> tuple[Subquery, Subquery]:
    """(course title, issued at) of the latest certificate of the user in `user_field` of an
    outer query's row (NULL for someone without one), for a list that reads its people in one
    query (Mitt team's rows). By the user_id index per row: as a separate query for a unit's
    people, PostgreSQL read all 26,784 certificates of the scale set to find theirs (issue 23)."""
    latest = Certificate.objects.filter(user_id=OuterRef(user_field)).order_by("-issued_at", "-pk")
    return (
        Subquery(latest.values("course_title")[:1]),
        Subquery(latest.values("issued_at")[:1]),
    )
