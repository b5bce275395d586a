"""Enrolment (kursdeltagande): a learner in a course, by someone else or by themself."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from content.models import CoursePage
from learning.models import Enrolment
from learning.selectors import missing_prerequisites_for
from people.models import User

COURSE_NOT_PUBLISHED = _("Kursen är inte publicerad.")
SELF_ENROL_NOT_ALLOWED = _("Till den här kursen anmäler du dig till en kursomgång.")
PREREQUISITES_FIRST = _("Gå först klart %(courses)s, sedan kan du anmäla dig.")


@transaction.atomic
def enrol_in_course(
    actor: User | None,
    *,
    learner: User,
    course: CoursePage,
    due_date: datetime.date | None = None,
) -> Enrolment:
    """Enrol a learner in a course (kursdeltagande); enrolling twice returns the first enrolment."""
    if not course.live:
        raise ValidationError(COURSE_NOT_PUBLISHED)
    enrolment = Enrolment.objects.filter(user=learner, course=course).first()
    if enrolment is not None:
        return enrolment
    enrolment = Enrolment(user=learner, course=course, due_date=due_date, enrolled_by=actor)
    enrolment.full_clean(validate_constraints=False)
    try:
        # A double click can race us to the unique (user, course) row; the database decides.
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        enrolment = Enrolment.objects.get(user=learner, course=course)
    return enrolment


def self_enrol(learner: User, *, course: CoursePage) -> Enrolment:
    """A learner enrols themself in a self-paced course; cohort courses go through course runs."""
    if not course.is_self_paced:
        raise ValidationError(SELF_ENROL_NOT_ALLOWED)
    missing = missing_prerequisites_for(learner, course=course)
    if missing:
        raise ValidationError(PREREQUISITES_FIRST % {"courses": ", ".join(missing)})
    return enrol_in_course(learner, learner=learner, course=course)
