"""The calendar (kalender): a person's course-run sessions and due dates as events, their
private calendar feed (its link given and turned off here too), and iCalendar (.ics) files.
Reads here are scoped like selectors."""

import datetime
import secrets
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event

from learning.models import (
    CalendarFeed,
    CourseRun,
    Enrolment,
    ModuleDeadline,
    RunEnrolment,
    RunSession,
)
from people.models import User

ONE_DAY = datetime.timedelta(days=1)

# Events that apps above learning add to a person's calendar (mentoring's booked meetings):
# learning may not import them, so each registers a provider `(user, since) -> events` in its
# AppConfig.ready(), as people.open_work does for a leaver's open work.
_PROVIDERS: dict[str, Callable] = {}


def register_events(key: str, provider: Callable) -> None:
    _PROVIDERS[key] = provider


MODULE_DUE = _("Modul klar senast: %(title)s")
COURSE_DUE = _("Kurs klar senast: %(title)s")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str
    day: datetime.date
    start: datetime.time | None = None
    end: datetime.time | None = None
    place: str = ""
    url: str = ""
    cancelled: bool = False


def session_event(session: RunSession, *, run: CourseRun) -> CalendarEvent:
    return CalendarEvent(
        uid=f"run-session-{session.pk}@introsteg",
        title=f"{run.course.title} – {run.name}",
        day=session.date,
        start=session.start_time,
        end=session.end_time,
        place=session.place or run.place or run.online_url,
        url=run.online_url,
        cancelled=run.status == CourseRun.Status.CANCELLED,
    )


def calendar_events_for(user: User, *, since: datetime.date | None = None) -> list[CalendarEvent]:
    """The user's run sessions and due dates (modules and courses) as calendar events, and
    those the registered providers add (one query each), in date order (3 queries + one per
    provider). `since` leaves out what is already past."""
    sessions = RunSession.objects.filter(
        run__enrolments__user=user, run__enrolments__status=RunEnrolment.Status.ENROLLED
    ).select_related("run__course")
    deadlines = ModuleDeadline.objects.filter(
        enrolment__user=user, enrolment__status=Enrolment.Status.ACTIVE
    ).select_related("module", "enrolment__course")
    courses = Enrolment.objects.filter(
        user=user, status=Enrolment.Status.ACTIVE, due_date__isnull=False
    ).select_related("course")
    if since is not None:
        sessions = sessions.filter(date__gte=since)
        deadlines = deadlines.filter(due_date__gte=since)
        courses = courses.filter(due_date__gte=since)
    events = [session_event(s, run=s.run) for s in sessions]
    events += [
        CalendarEvent(
            uid=f"module-deadline-{d.pk}@introsteg",
            title=str(MODULE_DUE % {"title": d.module.title}),
            day=d.due_date,
        )
        for d in deadlines
    ]
    events += [
        CalendarEvent(
            uid=f"course-due-{e.pk}@introsteg",
            title=str(COURSE_DUE % {"title": e.course.title}),
            day=e.due_date,
        )
        for e in courses
    ]
    for key in sorted(_PROVIDERS):
        events += _PROVIDERS[key](user, since)
    return sorted(events, key=lambda e: (e.day, e.start or datetime.time.min, e.title))


def calendar_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def feed_owner(token: str) -> User:
    """Whose calendar feed this token opens; 404 for a revoked, unknown or malformed token."""
    if not token or len(token) > 64:
        raise Http404
    feed = CalendarFeed.objects.filter(token=token, user__is_active=True).select_related("user")
    feed = feed.first()
    if feed is None:
        raise Http404
    return feed.user


def render_ics(events: list[CalendarEvent], *, name: str) -> bytes:
    """An iCalendar file: sessions as timed events in UTC, due dates as all-day events."""
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Introsteg//Kalender//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        if item.start is not None and item.end is not None:
            # Times are Swedish wall-clock times; UTC in the file works in every client.
            for key, time in (("dtstart", item.start), ("dtend", item.end)):
                moment = datetime.datetime.combine(item.day, time, tzinfo=local)
                event.add(key, moment.astimezone(datetime.UTC))
        else:
            event.add("dtstart", item.day)
            event.add("dtend", item.day + ONE_DAY)
            event.add("transp", "TRANSPARENT")
        if item.place:
            event.add("location", item.place)
        if item.url:
            event.add("url", item.url)
        if item.cancelled:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()


@transaction.atomic
def create_calendar_feed(user: User) -> CalendarFeed:
    """Give a person a new private calendar-feed link (kalenderlänk); an earlier link stops
    working at once."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32), "created_at": timezone.now()}
    )
    return feed


@transaction.atomic
def revoke_calendar_feed(user: User) -> None:
    """Turn off a person's calendar-feed link (stäng av kalenderlänken); it answers 404."""
    CalendarFeed.objects.filter(user=user).delete()
