"""Mentoring's events in a person's calendar (learning.calendar reads them through its
registry): the booked next meeting of each open mentorship, for both mentor and mentee."""

import datetime

from django.utils.translation import gettext_lazy as _

from learning.calendar import CalendarEvent
from mentoring import selectors

MEETING_TITLE = _("Mentorsträff med %(name)s")
# A mentor meeting is booked with a start time; an hour is the usual length in the first year.
MEETING_LENGTH = datetime.timedelta(hours=1)


def booked_meetings(user, since: datetime.date | None) -> list[CalendarEvent]:
    events = []
    for mentorship in selectors.booked_meeting_events(user, since=since):
        other = mentorship.mentee if user.pk == mentorship.mentor_id else mentorship.mentor
        start = mentorship.next_meeting_time
        end = None
        if start is not None:
            end = (
                datetime.datetime.combine(mentorship.next_meeting_date, start) + MEETING_LENGTH
            ).time()
            # Past 23:00 the hour would end the next day; the event keeps to its own day.
            end = max(end, start)
        events.append(
            CalendarEvent(
                # One uid per mentorship: a rebooked meeting moves in a subscribed calendar.
                uid=f"mentor-meeting-{mentorship.pk}@introsteg",
                title=str(MEETING_TITLE % {"name": other.get_full_name()}),
                day=mentorship.next_meeting_date,
                start=start,
                end=end,
                place=mentorship.next_meeting_place,
            )
        )
    return events
