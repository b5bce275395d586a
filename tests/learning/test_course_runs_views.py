"""Course-run pages: the course page, the municipal admin's requests page, the course leader's
roster and attendance, and the Wagtail admin for runs. Every page answers 404 to outsiders
and runs a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from learning import services, views
from learning.models import (
    ALREADY_ENROLLED,
    NEGATIVE_SEATS,
    SESSION_OUTSIDE_RUN,
    Attendance,
    CourseRun,
    Enrolment,
    RunEnrolment,
)
from learning.services import runs
from people.models import Role
from tests.factories import UserFactory, people_in
from tests.learning.conftest import make_managers, make_run, once_begun


def _body(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_a_manager_enrols_from_the_course_page(client, chef, run, leadership):
    client.force_login(chef)
    page = _body(client.get(leadership.url))
    assert "Kursomgångar" in page
    assert "Omgång 1" in page
    assert "2 platser kvar" in page
    assert reverse("learning:run_enrol", args=[run.pk]) in page
    response = client.post(reverse("learning:run_enrol", args=[run.pk]), follow=True)
    body = _body(response)
    assert str(views.RUN_ENROLLED % {"run": "Omgång 1"}) in body
    assert "Du har en plats" in body
    assert "1 plats kvar" in body
    assert reverse("learning:run_withdraw", args=[run.pk]) in body


@pytest.mark.django_db
def test_a_full_run_shows_the_waitlist_position(client, chef, enhet_a, run, leadership):
    for manager in make_managers(enhet_a, 3):
        runs.enrol_in_course_run(manager, run=run)
    client.force_login(chef)
    assert "Ställ dig på reservlistan" in _body(client.get(leadership.url))
    response = client.post(reverse("learning:run_enrol", args=[run.pk]), follow=True)
    body = _body(response)
    assert str(views.RUN_WAITLISTED % {"position": 2}) in body
    assert "Du står som nummer 2 på reservlistan" in body


@pytest.mark.django_db
def test_withdrawing_asks_first_and_keeps_the_course(client, chef, run, leadership):
    runs.enrol_in_course_run(chef, run=run)
    assert Enrolment.objects.get(user=chef, course=leadership).status == Enrolment.Status.ACTIVE
    client.force_login(chef)
    url = reverse("learning:run_withdraw", args=[run.pk])
    confirm = _body(client.get(url))
    assert "Din plats blir ledig. Du kan anmäla dig igen fram till sista anmälningsdagen" in confirm
    assert "Kursen finns kvar i din introduktion" in confirm
    assert run.enrolments.get().status == RunEnrolment.Status.ENROLLED  # a GET changes nothing
    response = client.post(url, follow=True)
    assert str(views.RUN_WITHDRAWN % {"run": "Omgång 1"}) in _body(response)
    assert run.enrolments.get().status == RunEnrolment.Status.WITHDRAWN
    # The course stays on the introduction: another run can be taken.
    assert Enrolment.objects.get(user=chef, course=leadership).status == Enrolment.Status.ACTIVE
    # A second click (or a stale tab) finds no place to withdraw: told so, nothing changes.
    response = client.post(url, follow=True)
    assert str(runs.NOT_IN_RUN) in _body(response)
    assert run.enrolments.get().status == RunEnrolment.Status.WITHDRAWN
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_confirmation_says_the_seat_goes_to_the_waitlist(client, chef, enhet_a, run):
    seated = make_managers(enhet_a, 2)
    for manager in seated:
        runs.enrol_in_course_run(manager, run=run)
    runs.enrol_in_course_run(chef, run=run)  # the run has 2 seats: chef waits
    client.force_login(seated[0])
    page = _body(client.get(reverse("learning:run_withdraw", args=[run.pk])))
    assert "Din plats går direkt till den som står först på reservlistan" in page
    client.force_login(chef)
    page = _body(client.get(reverse("learning:run_withdraw", args=[run.pk])))
    assert "Du lämnar reservlistan" in page


@pytest.mark.django_db
def test_after_the_deadline_the_run_says_so_and_offers_no_sign_up(client, chef, run, leadership):
    runs.enrol_in_course_run(chef, run=run)
    run.enrolment_deadline = timezone.localdate() - datetime.timedelta(days=1)
    run.save()
    client.force_login(chef)
    page = _body(client.get(leadership.url))
    assert "Anmälan är stängd: sista anmälningsdagen har passerat." in page
    assert reverse("learning:run_enrol", args=[run.pk]) not in page
    confirm = _body(client.get(reverse("learning:run_withdraw", args=[run.pk])))
    assert "du kan inte anmäla dig igen" in confirm


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["deadline", "twice", "cancelled", "audience"])
def test_bad_enrolments_through_the_page_say_why_and_change_nothing(client, chef, ny, run, case):
    learner, expected = chef, None
    if case == "deadline":
        run.enrolment_deadline = timezone.localdate() - datetime.timedelta(days=1)
        run.save()
        expected = runs.ENROLMENT_CLOSED
    elif case == "twice":
        runs.enrol_in_course_run(chef, run=run)
        expected = ALREADY_ENROLLED
    elif case == "cancelled":
        run.status = CourseRun.Status.CANCELLED
        run.save()
        expected = runs.RUN_CANCELLED
    else:
        learner, expected = ny, runs.WRONG_AUDIENCE % {"audience": "Chefer"}
    before = list(RunEnrolment.objects.values_list("pk", "status", "updated_at"))
    client.force_login(learner)
    response = client.post(reverse("learning:run_enrol", args=[run.pk]), follow=True)
    assert response.status_code == 200
    assert str(expected) in _body(response)
    assert list(RunEnrolment.objects.values_list("pk", "status", "updated_at")) == before


@pytest.mark.django_db
def test_enrolling_in_a_missing_run_or_with_get_is_not_a_500(client, chef, run):
    client.force_login(chef)
    assert client.post(reverse("learning:run_enrol", args=[run.pk + 999])).status_code == 404
    assert client.get(reverse("learning:run_enrol", args=[run.pk])).status_code == 405


@pytest.mark.django_db
def test_anonymous_visitors_see_runs_but_no_buttons(client, run, leadership):
    body = _body(client.get(leadership.url))
    assert "Omgång 1" in body
    assert reverse("learning:run_enrol", args=[run.pk]) not in body
    assert client.post(reverse("learning:run_enrol", args=[run.pk])).status_code == 302


@pytest.mark.django_db
def test_outsider_gets_404_on_every_run_page(client, utomstaende, chef, run, approval_request):
    session = run.sessions.first()
    client.force_login(utomstaende)
    for url in (
        reverse("learning:runs_led"),
        reverse("learning:run_roster", args=[run.pk]),
        reverse("learning:session_attendance", args=[session.pk]),
        reverse("learning:run_requests"),
        reverse("learning:run_ics", args=[run.pk]),
    ):
        assert client.get(url).status_code == 404, url
    decide = reverse("learning:decide_request", args=[approval_request.pk, "godkann"])
    assert client.post(decide).status_code == 404
    assert client.post(session_url(session), {"present": []}).status_code == 404
    approval_request.refresh_from_db()
    assert approval_request.status == RunEnrolment.Status.PENDING
    assert not Attendance.objects.exists()


def session_url(session):
    return reverse("learning:session_attendance", args=[session.pk])


@pytest.fixture
def approval_request(chef, run, leadership):
    leadership.requires_approval = True
    leadership.save_revision().publish()
    run.refresh_from_db()
    return runs.enrol_in_course_run(chef, run=run)


@pytest.mark.django_db
def test_a_chef_is_not_a_course_leader(client, chef, run):
    client.force_login(chef)
    assert client.get(reverse("learning:runs_led")).status_code == 404
    assert client.get(reverse("learning:run_roster", args=[run.pk])).status_code == 404


# --- Course leader: roster and attendance ----------------------------------------------------


@pytest.mark.django_db
def test_course_leader_marks_attendance_on_their_run(client, kursledare, chef, run, leadership):
    place = runs.enrol_in_course_run(chef, run=run)
    other = make_run(leadership, name="Någon annans omgång")
    client.force_login(kursledare)
    listing = _body(client.get(reverse("learning:runs_led")))
    assert "Omgång 1" in listing
    assert "Någon annans omgång" not in listing
    assert client.get(reverse("learning:run_roster", args=[other.pk])).status_code == 404
    assert client.get(session_url(other.sessions.first())).status_code == 404
    session = run.sessions.order_by("date").first()
    # Before the session begins the page says when attendance can be marked, with no form.
    early = _body(client.get(session_url(session)))
    assert "Passet har inte börjat än" in early and 'name="present"' not in early
    assert "Närvaro markeras när passet har börjat" in _body(
        client.get(reverse("learning:run_roster", args=[run.pk]))
    )
    assert client.post(session_url(session), {"present": [place.pk]}).status_code == 200
    assert not Attendance.objects.exists()
    travel = once_begun(session)
    travel.start()
    client.force_login(kursledare)  # a month on, the session from before has expired
    form = _body(client.get(session_url(session)))
    assert chef.get_full_name() in form
    response = client.post(session_url(session), {"present": [place.pk]}, follow=True)
    body = _body(response)
    assert str(views.ATTENDANCE_SAVED) in body
    assert "1 av 2" in body
    assert Attendance.objects.get().present is True
    # A participant who is not in the run is a form error, and nothing changes.
    response = client.post(session_url(session), {"present": [place.pk + 999]})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in _body(response)
    assert Attendance.objects.get().present is True
    travel.stop()


@pytest.mark.django_db
def test_editors_see_every_run(client, redaktor, run, leadership):
    make_run(leadership, name="Omgång 2")
    client.force_login(redaktor)
    listing = _body(client.get(reverse("learning:runs_led")))
    assert "Omgång 1" in listing and "Omgång 2" in listing
    assert client.get(reverse("learning:run_roster", args=[run.pk])).status_code == 200


# --- Municipal admin: requests and nomination ------------------------------------------------


@pytest.mark.django_db
def test_a_course_that_needs_approval_sends_a_request(client, chef, run, leadership):
    leadership.requires_approval = True
    leadership.save_revision().publish()
    client.force_login(chef)
    assert "Ansök om plats" in _body(client.get(leadership.url))
    response = client.post(reverse("learning:run_enrol", args=[run.pk]), follow=True)
    body = _body(response)
    assert str(views.RUN_REQUESTED) in body
    assert "Din anmälan väntar på godkännande" in body
    assert run.enrolments.get().status == RunEnrolment.Status.PENDING


@pytest.mark.django_db
def test_admin_approves_a_request_on_their_page(client, kommunadmin, chef, approval_request):
    client.force_login(kommunadmin)
    page = _body(client.get(reverse("learning:run_requests")))
    assert "Väntar på godkännande" in page
    assert chef.get_full_name() in page
    url = reverse("learning:decide_request", args=[approval_request.pk, "godkann"])
    response = client.post(url, follow=True)
    expected = views.REQUEST_APPROVED % {"name": chef.get_full_name(), "status": "antagen"}
    assert str(expected) in _body(response)
    approval_request.refresh_from_db()
    assert approval_request.status == RunEnrolment.Status.ENROLLED
    # Decided requests are no longer the admin's to decide: 404, nothing changes.
    assert client.post(url).status_code == 404
    bad = reverse("learning:decide_request", args=[approval_request.pk, "kanske"])
    assert client.post(bad).status_code == 404


@pytest.mark.django_db
def test_admin_nominates_a_manager_and_sees_errors_in_the_form(client, kommunadmin, chef, run):
    client.force_login(kommunadmin)
    data = {"manager": chef.pk, "run": run.pk}
    response = client.post(reverse("learning:run_requests"), data, follow=True)
    assert "Chef Testsson är anmäld till Omgång 1: antagen." in _body(response)
    response = client.post(reverse("learning:run_requests"), data)
    body = _body(response)
    assert response.status_code == 200
    expected = runs.NOMINEE_ALREADY_ENROLLED % {"name": chef.get_full_name()}
    assert str(expected) in body
    assert f'<option value="{chef.pk}" selected>' in body
    assert RunEnrolment.objects.count() == 1


@pytest.mark.django_db
def test_admin_cannot_pick_a_manager_of_another_municipality(client, kommunadmin, enhet_b, run):
    (manager_b,) = make_managers(enhet_b, 1, prefix="chef-b")
    client.force_login(kommunadmin)
    page = _body(client.get(reverse("learning:run_requests")))
    assert manager_b.get_full_name() not in page
    response = client.post(
        reverse("learning:run_requests"), {"manager": manager_b.pk, "run": run.pk}
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in _body(response)
    assert not RunEnrolment.objects.exists()


# --- Query counts ----------------------------------------------------------------------------


def _fill(leadership, unit, *, runs_count, sessions, managers, leaders=()):
    # The managers as make_managers makes them, in one INSERT a table (through add_membership
    # they cost 26 queries each, ~2,200 of the query-count tests' ~12,000).
    people = people_in(
        unit,
        Role.MANAGER,
        [
            UserFactory.build(
                email=f"fyll{runs_count}-{number}@example.org", full_name=f"Chef {number:03}"
            )
            for number in range(managers)
        ],
        start=datetime.date(2025, 1, 1),
    )
    made = []
    for number in range(runs_count):
        run = make_run(
            leadership, name=f"Omgång {number}", seats=3, sessions=sessions, leaders=leaders
        )
        made.append(run)
    for person in people:
        runs.enrol_in_course_run(person, run=made[0])
    return made, people


@pytest.mark.django_db
@pytest.mark.parametrize(("runs_count", "sessions", "managers"), [(1, 1, 1), (8, 6, 25)])
def test_course_page_queries_do_not_grow(
    client, chef, enhet_a, leadership, django_assert_num_queries, runs_count, sessions, managers
):
    made, _people = _fill(
        leadership, enhet_a, runs_count=runs_count, sessions=sessions, managers=managers
    )
    runs.enrol_in_course_run(chef, run=made[-1])
    client.force_login(chef)
    client.get(leadership.url)  # saves the session and warms Wagtail's site cache
    # Wagtail i18n adds one query (routing reads the active locale) and content's route_to_child
    # saves one (the child page in one query instead of two); the cached course outline saves
    # the catalogue on the way, the modules and the prerequisites; an undated enrolment has no
    # module deadlines to read; the site and the home page come from the outline too (issue 23:
    # 14 before); the enrolment and its progress rows in one query (12 before session 31);
    # no query for view restrictions when no page on the way has one (11 before session 33,
    # content.models.ServedFresh).
    with django_assert_num_queries(9):
        response = client.get(leadership.url)
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("sessions", "managers"), [(1, 1), (8, 30)])
def test_roster_and_attendance_queries_do_not_grow(
    client, kursledare, enhet_a, leadership, django_assert_num_queries, sessions, managers
):
    (run,), _people = _fill(
        leadership,
        enhet_a,
        runs_count=1,
        sessions=sessions,
        managers=managers,
        leaders=[kursledare],
    )
    session = run.sessions.first()
    with once_begun(run.sessions.order_by("date").last()):
        runs.mark_attendance(
            kursledare, session=session, present={p.pk for p in run.enrolments.all()[:1]}
        )
    client.force_login(kursledare)
    client.get(reverse("learning:dashboard"))  # the first request after login saves the session
    with django_assert_num_queries(4):
        assert client.get(reverse("learning:runs_led")).status_code == 200
    with django_assert_num_queries(9):
        assert client.get(reverse("learning:run_roster", args=[run.pk])).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(session_url(session)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 30])
def test_requests_page_queries_do_not_grow(
    client, kommunadmin, enhet_a, leadership, django_assert_num_queries, count
):
    leadership.requires_approval = True
    leadership.save_revision().publish()
    _fill(leadership, enhet_a, runs_count=min(count, 5), sessions=1, managers=count)
    client.force_login(kommunadmin)
    client.get(reverse("learning:dashboard"))  # the first request after login saves the session
    with django_assert_num_queries(7):
        assert client.get(reverse("learning:run_requests")).status_code == 200


# --- Wagtail admin ---------------------------------------------------------------------------


def _admin_form(leadership, kursledare, *, seats="12", session_day=None):
    start = timezone.localdate() + datetime.timedelta(days=40)
    session_day = session_day or start
    return {
        "course": leadership.pk,
        "name": "Vintern, Lund",
        "start_date": start.isoformat(),
        "end_date": (start + datetime.timedelta(days=30)).isoformat(),
        "enrolment_deadline": (start - datetime.timedelta(days=5)).isoformat(),
        "place": "Stadshuset",
        "online_url": "",
        "seats": seats,
        "status": "open",
        "leaders": [kursledare.pk],
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-date": session_day.isoformat(),
        "sessions-0-start_time": "09:00",
        "sessions-0-end_time": "12:00",
        "sessions-0-place": "",
        "sessions-0-ORDER": "1",
        "sessions-0-DELETE": "",
        "sessions-0-id": "",
    }


@pytest.mark.django_db
def test_editor_creates_a_run_with_sessions_in_the_wagtail_admin(
    client, redaktor, kursledare, leadership
):
    client.force_login(redaktor)
    add_url = reverse("wagtailsnippets_learning_courserun:add")
    assert client.get(reverse("wagtailsnippets_learning_courserun:list")).status_code == 200
    response = client.post(add_url, _admin_form(leadership, kursledare))
    assert response.status_code == 302, _body(response)
    run = CourseRun.objects.get()
    assert run.sessions.count() == 1
    assert list(run.leaders.all()) == [kursledare]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["seats", "session"])
def test_wagtail_admin_refuses_bad_runs_in_swedish(client, redaktor, kursledare, leadership, bad):
    client.force_login(redaktor)
    form = _admin_form(leadership, kursledare)
    if bad == "seats":
        form["seats"], expected = "-3", NEGATIVE_SEATS
    else:
        form["sessions-0-date"] = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
        expected = SESSION_OUTSIDE_RUN
    response = client.post(reverse("wagtailsnippets_learning_courserun:add"), form)
    assert response.status_code == 200
    assert str(expected) in _body(response)
    assert not CourseRun.objects.exists()


@pytest.mark.django_db
def test_more_seats_in_the_admin_move_the_waitlist_up(
    client, redaktor, kursledare, enhet_a, run, leadership
):
    managers = make_managers(enhet_a, 3)
    for manager in managers:
        runs.enrol_in_course_run(manager, run=run)
    client.force_login(redaktor)
    form = _admin_form(leadership, kursledare, seats="3")
    form.update(
        name=run.name,
        start_date=run.start_date.isoformat(),
        end_date=run.end_date.isoformat(),
        enrolment_deadline=run.enrolment_deadline.isoformat(),
    )
    sessions = list(run.sessions.order_by("sort_order"))
    form["sessions-TOTAL_FORMS"] = form["sessions-INITIAL_FORMS"] = str(len(sessions))
    for index, session in enumerate(sessions):
        form.update(
            {
                f"sessions-{index}-id": str(session.pk),
                f"sessions-{index}-date": session.date.isoformat(),
                f"sessions-{index}-start_time": "09:00",
                f"sessions-{index}-end_time": "12:00",
                f"sessions-{index}-place": "",
                f"sessions-{index}-ORDER": str(index + 1),
                f"sessions-{index}-DELETE": "",
            }
        )
    response = client.post(reverse("wagtailsnippets_learning_courserun:edit", args=[run.pk]), form)
    assert response.status_code == 302, _body(response)
    assert run.enrolments.filter(status=RunEnrolment.Status.ENROLLED).count() == 3


def _edit_form(run, leadership, kursledare, **changes):
    form = _admin_form(leadership, kursledare, seats=str(run.seats))
    form.update(
        name=run.name,
        start_date=run.start_date.isoformat(),
        end_date=run.end_date.isoformat(),
        enrolment_deadline=run.enrolment_deadline.isoformat(),
    )
    sessions = list(run.sessions.order_by("sort_order"))
    form["sessions-TOTAL_FORMS"] = form["sessions-INITIAL_FORMS"] = str(len(sessions))
    for index, session in enumerate(sessions):
        form.update(
            {
                f"sessions-{index}-id": str(session.pk),
                f"sessions-{index}-date": session.date.isoformat(),
                f"sessions-{index}-start_time": "09:00",
                f"sessions-{index}-end_time": "12:00",
                f"sessions-{index}-place": "",
                f"sessions-{index}-ORDER": str(index + 1),
                f"sessions-{index}-DELETE": "",
            }
        )
    form.update(changes)
    return form


def _run_emails(template):
    return OutboxMessage.objects.filter(
        handler="learning.tasks.run_email", args__template=template
    ).order_by("recipient_id")


@pytest.mark.django_db
def test_cancelling_a_run_in_the_admin_tells_everyone_with_a_place(
    client, redaktor, kursledare, enhet_a, chef, run, leadership
):
    managers = make_managers(enhet_a, 3)  # 2 seats: 2 seated, 1 waiting
    for manager in managers:
        runs.enrol_in_course_run(manager, run=run)
    client.force_login(redaktor)
    edit = reverse("wagtailsnippets_learning_courserun:edit", args=[run.pk])
    response = client.post(edit, _edit_form(run, leadership, kursledare, status="cancelled"))
    assert response.status_code == 302, _body(response)
    run.refresh_from_db()
    assert run.status == CourseRun.Status.CANCELLED
    told = sorted(m.recipient_id for m in _run_emails("cancelled"))
    assert told == sorted(m.pk for m in managers)
    # Saving the cancelled run again tells nobody twice.
    assert client.post(edit, _edit_form(run, leadership, kursledare)).status_code == 302
    assert _run_emails("cancelled").count() == 3
    # The course stays on the introduction of those who had a seat.
    assert Enrolment.objects.filter(course=leadership, status=Enrolment.Status.ACTIVE).count() == 2


@pytest.mark.django_db
def test_fewer_seats_in_the_admin_move_the_last_seated_to_the_front_of_the_waitlist(
    client, redaktor, kursledare, enhet_a, run, leadership
):
    first, second, waiting = make_managers(enhet_a, 3)  # 2 seats: the third waits
    for manager in (first, second, waiting):
        runs.enrol_in_course_run(manager, run=run)
    client.force_login(redaktor)
    edit = reverse("wagtailsnippets_learning_courserun:edit", args=[run.pk])
    response = client.post(edit, _edit_form(run, leadership, kursledare, seats="1"))
    assert response.status_code == 302, _body(response)
    places = {p.user_id: p for p in run.enrolments.all()}
    assert places[first.pk].status == RunEnrolment.Status.ENROLLED
    assert (places[second.pk].status, places[second.pk].waitlist_position) == (
        RunEnrolment.Status.WAITLISTED,
        1,
    )
    assert places[waiting.pk].waitlist_position == 2
    told = sorted(m.recipient_id for m in _run_emails("seats_changed"))
    assert told == sorted(u.pk for u in (first, second, waiting))


@pytest.mark.django_db
def test_non_editors_have_no_run_admin(client, chef, kommunadmin):
    for person in (chef, kommunadmin):
        client.force_login(person)
        response = client.get(reverse("wagtailsnippets_learning_courserun:list"))
        assert response.status_code in (302, 403), person


# --- Certificate with credits ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_certificate_names_the_courses_credits(client, chef, kursledare, run, leadership):
    import io

    from pypdf import PdfReader

    from learning.models import Certificate
    from tests.factories import right_answers

    place = runs.enrol_in_course_run(chef, run=run)
    with once_begun(run.sessions.order_by("date").last()):
        for session in run.sessions.all():
            runs.mark_attendance(kursledare, session=session, present={place.pk})
    for module in leadership.modules():
        services.submit_knowledge_check(chef, module=module, answers=right_answers(module))
    certificate = Certificate.objects.get(user=chef)
    client.force_login(chef)
    pdf = client.get(reverse("learning:certificate_pdf", args=[certificate.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "7,5 högskolepoäng" in text
    client.logout()
    verify = _body(client.get(reverse("verify", args=[certificate.code])))
    assert "7,5 högskolepoäng" in verify
