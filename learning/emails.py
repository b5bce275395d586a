"""The emails about course runs (kursomgångar): a person's place in a run (moved up, nominated,
request decided, run cancelled, seats changed, waitlist changed by hand) and a message from
whoever manages the run. Built when the outbox delivers them (learning.tasks), from the rows
as they are then."""

from django.conf import settings
from django.urls import reverse

from learning.models import CourseRun, RunEnrolment
from people.emails import build_email
from people.models import User


def build_run_email(place_id: int, template: str):
    """The email about a place in a course run: moved up, nominated, or request decided."""
    place = (
        RunEnrolment.objects.filter(pk=place_id)
        .select_related("user", "run__course", "nominated_by", "decided_by")
        .first()
    )
    if place is None or not place.user.is_active:
        return None
    base_url = settings.SITE_URL.rstrip("/")
    context = {
        "user": place.user,
        "place": place,
        "run": place.run,
        "sessions": list(place.run.sessions.order_by("date", "start_time")),
        "course_url": base_url + (place.run.course.get_url() or "/"),
        "calendar_url": base_url + reverse("learning:run_ics", args=[place.run_id]),
    }
    return build_email(f"learning/email/run_{template}", to=place.user, context=context)


def build_run_message_email(
    run_id: int, user_id: int, sender_id: int | None, subject: str, message: str
):
    """The email of a message to everyone in a run: the run's name, dates and a link."""
    run = CourseRun.objects.filter(pk=run_id).select_related("course").first()
    to = User.objects.filter(pk=user_id, is_active=True).first()
    if run is None or to is None:
        return None
    sender = User.objects.filter(pk=sender_id).first()
    base_url = settings.SITE_URL.rstrip("/")
    context = {
        "user": to,
        "run": run,
        "sender": sender,
        "subject": subject,
        "message": message,
        "course_url": base_url + (run.course.get_url() or "/") + f"#omgang-{run.pk}",
    }
    return build_email("learning/email/run_message", to=to, context=context)
