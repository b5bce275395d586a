"""The demo never goes stale: seeded three years from now, every journey the README describes
still works, because every date in the demo data counts from the day the seed runs."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from learning.management.commands.seed_demo import MODULE_DUE_DAYS
from learning.models import Certificate, CourseRun, Enrolment, ModuleDeadline, RunEnrolment
from mentoring.models import Mentorship, SupervisedCase
from mentoring.selectors.caseload import open_case_alerts_for_units
from people.models import Membership, Unit

PASSWORD = "demo-losen-123"
THREE_YEARS = datetime.timedelta(days=3 * 365 + 1)


@pytest.fixture
def three_years_on():
    """The clock moved three years ahead (and ticking) for the seed and every request."""
    real_today = timezone.localdate()
    with time_machine.travel(timezone.now() + THREE_YEARS, tick=True):
        assert timezone.localdate() >= real_today + THREE_YEARS
        yield timezone.localdate()


def _login(client, email):
    client.logout()
    assert client.login(username=email, password=PASSWORD), email


@pytest.mark.django_db
def test_every_readme_journey_works_when_seeded_three_years_from_now(
    settings, client, three_years_on, django_capture_on_commit_callbacks
):
    today = three_years_on
    settings.DEBUG = True
    # As in `make run`: the onboarding plan is applied once the new hire's membership commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_mentoring", "--password", PASSWORD)

    # ny@: Min introduktion, 1 of 8 modules done, due dates counted from her start 10 days ago.
    _login(client, "ny@example.org")
    assert "1 av 9 moduler klara" in client.get("/min-introduktion/").content.decode()
    start = Membership.objects.get(user__email="ny@example.org").start_date
    assert start == today - datetime.timedelta(days=10)
    enrolment = Enrolment.objects.get(
        user__email="ny@example.org", course__slug="yrkesintroduktion-barn-och-unga"
    )
    assert today < enrolment.due_date <= today + datetime.timedelta(days=90)
    deadlines = sorted(
        ModuleDeadline.objects.filter(enrolment=enrolment).values_list("due_date", flat=True)
    )
    assert deadlines == [start + datetime.timedelta(days=d) for d in MODULE_DUE_DAYS]
    assert all(due > today for due in deadlines[1:])  # the first module is the one done

    # mentor@: an active mentorship with ny@ that began before its two logged sessions, past.
    mentorship = Mentorship.objects.get(
        mentor__email="mentor@example.org", mentee__email="ny@example.org"
    )
    assert mentorship.status == Mentorship.Status.ACTIVE
    assert today - datetime.timedelta(days=30) < mentorship.start_date < today
    dates = sorted(mentorship.sessions.values_list("date", flat=True))
    assert len(dates) == 2 and mentorship.start_date <= dates[0] and dates[-1] < today
    _login(client, "mentor@example.org")
    assert "Nora Nyström" in client.get("/mentorskap/mina-adepter/").content.decode()

    # The cases: opened in the last weeks, references carrying the year they were opened.
    for case in SupervisedCase.objects.all():
        assert today - datetime.timedelta(days=60) < case.opened_on <= today, case.reference
        assert case.reference.startswith(f"BoU-{case.opened_on.year}-"), case.reference
        for review in case.reviews.all():
            assert case.opened_on <= review.date < today, case.reference

    # chef@: Ärendebelastning shows the two open alerts (no supervisor; no recent review).
    unit = Unit.objects.get(name="Barn och unga – utredning", organisation__name="Lunds kommun")
    alerts = open_case_alerts_for_units([unit.pk], today=today)
    assert len(alerts) == 2
    _login(client, "chef@example.org")
    body = client.get("/mentorskap/arenden/belastning/").content.decode()
    assert all(alert.reference in body for alert in alerts)

    # chef@: both leadership runs still open for sign-up; the first is full with two on its
    # waitlist, where he holds a seat: when he moves to the second from the course page, his
    # seat goes to the first on the waitlist.
    runs = list(CourseRun.objects.order_by("start_date"))
    assert len(runs) == 2
    for run in runs:
        assert run.is_open_for_enrolment(today), run.name
        assert today < run.enrolment_deadline < run.start_date, run.name
        assert all(today < s.date <= run.end_date for s in run.sessions.all()), run.name
    lund, online = runs
    assert lund.name.endswith(", Lund") and str(lund.start_date.year) in lund.name
    assert online.name.endswith(", på distans") and str(online.end_date.year) in online.name
    assert lund.enrolments.filter(user__email="chef@example.org").exists()
    body = client.get(lund.course.url).content.decode()
    assert "Fullbokad – anmälan till reservlistan" in body and "20 platser kvar" in body
    waiting = list(
        lund.enrolments.filter(status=RunEnrolment.Status.WAITLISTED).order_by("waitlist_position")
    )
    assert len(waiting) == 2
    client.post(reverse("learning:run_withdraw", args=[lund.pk]))
    waiting[0].refresh_from_db()
    assert waiting[0].status == RunEnrolment.Status.ENROLLED
    response = client.post(reverse("learning:run_enrol", args=[online.pk]), follow=True)
    assert "Du har en plats" in response.content.decode()
    place = RunEnrolment.objects.get(run=online, user__email="chef@example.org")
    assert place.status == RunEnrolment.Status.ENROLLED

    # admin@: Kursanmälningar offers both runs for nominating a manager.
    _login(client, "admin@example.org")
    body = client.get(reverse("learning:run_requests")).content.decode()
    assert lund.name in body and online.name in body

    # kursledare@: Kursomgångar lists the two runs they lead, with sessions ahead.
    _login(client, "kursledare@example.org")
    body = client.get(reverse("learning:runs_led")).content.decode()
    assert lund.name in body and online.name in body
    assert client.get(reverse("learning:run_roster", args=[lund.pk])).status_code == 200
    # admin@ manages the run Lund arranges: its roster and waitlist, not the national one.
    _login(client, "admin@example.org")
    roster = client.get(reverse("learning:run_roster", args=[lund.pk])).content.decode()
    assert waiting[1].user.get_full_name() in roster
    assert client.get(reverse("learning:run_roster", args=[online.pk])).status_code == 404

    # socialsekreterare@: the introduction's certificate, signed off by the manager 800 days
    # ago and expired since (valid for 24 months); the public check says so.
    certificate = Certificate.objects.get(user__email="socialsekreterare@example.org")
    assert timezone.localdate(certificate.issued_at) == today - datetime.timedelta(days=800)
    assert certificate.expires_on < today and certificate.is_expired
    assert certificate.signed_off_by_name == "Carl Christiansson"
    _login(client, "socialsekreterare@example.org")
    body = client.get(reverse("learning:certificates")).content.decode()
    assert certificate.code in body
    verify = client.get(reverse("verify", args=[certificate.code])).content.decode()
    assert "Intyget är äkta men har gått ut." in verify

    # Seeded again half a year on, when the runs' names and the references' year have moved on,
    # nothing is added twice.
    counts = [m.objects.count() for m in (CourseRun, SupervisedCase, Mentorship, Certificate)]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=200)):
        call_command("seed_mentoring", "--password", PASSWORD)
    assert counts == [
        m.objects.count() for m in (CourseRun, SupervisedCase, Mentorship, Certificate)
    ]
