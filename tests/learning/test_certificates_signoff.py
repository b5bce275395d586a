"""The certificate a municipality signs (issue 19): the introduction is complete when its modules
are done and the manager has signed it off after the closing conversation (avslutande samtal);
the certificate names the municipality, unit, modules with their hours, the completion date,
the signer, the validity and the verification address with a QR code; the public check shows
valid, expired or revoked; the municipality's admin revokes with a reason."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from learning import services, signoffs
from learning.certificates import qr_image
from learning.models import Certificate, Enrolment, SignOff
from people.models import AuditAction, AuditEvent, Role
from people.services import add_membership
from tests.factories import UnitFactory, UserFactory, right_answers
from tests.queries import exact_queries

TODAY = timezone.localdate()


def _modules_done(learner, course) -> Enrolment:
    enrolment = services.enrol_in_course(None, learner=learner, course=course)
    for module in course.modules():
        services.submit_knowledge_check(learner, module=module, answers=right_answers(module))
    enrolment.refresh_from_db()
    return enrolment


def _sign_off_form(**extra):
    return {"conversation_date": TODAY.isoformat(), "comment": "", "confirm": "on", **extra}


@pytest.fixture
def waiting(ny, course):
    return _modules_done(ny, course)


# --- The rule: modules done AND the manager's sign-off ---------------------------------------


@pytest.mark.django_db
def test_modules_done_is_not_yet_complete_and_issues_no_certificate(client, ny, course):
    client.force_login(ny)
    enrolment = services.enrol_in_course(None, learner=ny, course=course)
    modules = list(course.modules())
    for module in modules[:-1]:
        services.submit_knowledge_check(ny, module=module, answers=right_answers(module))
    last = modules[-1]
    response = client.post(
        reverse("learning:check", args=[last.pk]),
        {"attempt": services.open_attempt(ny, module=last).pk, **_answers_post(last)},
        follow=True,
    )
    assert response.status_code == 200
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.modules_completed_at is not None
    assert not Certificate.objects.filter(user=ny).exists()


def _answers_post(module):
    return {qid: choices for qid, choices in right_answers(module).items()}


@pytest.mark.django_db
def test_manager_signs_off_on_mitt_team_and_the_certificate_is_issued_then(
    client, chef, ny, waiting
):
    client.force_login(chef)
    page = client.get(reverse("team:overview")).content.decode()
    url = reverse("team:sign_off", args=[waiting.pk])
    assert "Väntar på ditt godkännande" in page and url in page and ny.full_name in page

    form = client.get(url)
    assert form.status_code == 200
    assert "Godkänn introduktionen för" in form.content.decode()
    response = client.post(url, _sign_off_form(comment="Bra samtal."))
    assert response.status_code == 302 and response["Location"] == reverse("team:overview")
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.COMPLETED
    sign_off = SignOff.objects.get(enrolment=waiting)
    assert sign_off.signed_by == chef and sign_off.conversation_date == TODAY
    assert sign_off.comment == "Bra samtal."
    certificate = Certificate.objects.get(enrolment=waiting)
    assert certificate.signed_off_by_name == chef.full_name
    assert certificate.organisation_name == "Kommun A"
    assert certificate.unit_name == "Barn och unga – utredning"
    assert certificate.completed_on == TODAY
    assert [m["title"] for m in certificate.modules] == ["Modul 1", "Modul 2", "Modul 3"]
    # Audited: who signed off which introduction, in the municipality's log.
    event = AuditEvent.objects.get(object_type="learning.signoff")
    assert event.actor == chef and event.action == AuditAction.CREATE
    assert event.organisation.name == "Kommun A" and certificate.code in event.summary
    # No longer waiting.
    after = client.get(reverse("team:overview")).content.decode()
    assert url not in after and "Ingen väntar på godkännande just nu." in after


@pytest.mark.django_db
def test_a_second_click_issues_nothing_twice(client, chef, waiting):
    client.force_login(chef)
    url = reverse("team:sign_off", args=[waiting.pk])
    client.post(url, _sign_off_form())
    first = Certificate.objects.get(enrolment=waiting)
    response = client.post(url, _sign_off_form(comment="Igen"), follow=True)
    assert "är redan godkänd" in response.content.decode()
    assert Certificate.objects.filter(enrolment=waiting).count() == 1
    assert SignOff.objects.filter(enrolment=waiting).count() == 1
    assert AuditEvent.objects.filter(object_type="learning.signoff").count() == 1
    # The service itself returns the same certificate.
    again = signoffs.sign_off_introduction(chef, enrolment=waiting, conversation_date=TODAY)
    assert again.pk == first.pk


@pytest.mark.django_db
def test_sign_off_must_be_confirmed_and_dated_not_in_the_future(client, chef, waiting):
    client.force_login(chef)
    url = reverse("team:sign_off", args=[waiting.pk])
    unconfirmed = client.post(url, {"conversation_date": TODAY.isoformat()})
    assert "Bekräfta att ni har haft det avslutande samtalet." in unconfirmed.content.decode()
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    future = client.post(url, _sign_off_form(conversation_date=tomorrow))
    assert str(signoffs.CONVERSATION_IN_FUTURE) in future.content.decode()
    before_start = (TODAY - datetime.timedelta(days=1)).isoformat()
    early = client.post(url, _sign_off_form(conversation_date=before_start))
    assert str(signoffs.CONVERSATION_BEFORE_START) in early.content.decode()
    garbage = client.post(url, _sign_off_form(conversation_date="igår"))
    assert garbage.status_code == 200
    assert "Ange datumet som ÅÅÅÅ-MM-DD." in garbage.content.decode()
    assert not Certificate.objects.filter(enrolment=waiting).exists()


@pytest.mark.django_db
def test_sign_off_before_the_modules_are_done_is_refused(client, chef, ny, course):
    enrolment = services.enrol_in_course(None, learner=ny, course=course)
    client.force_login(chef)
    response = client.post(reverse("team:sign_off", args=[enrolment.pk]), _sign_off_form())
    assert str(signoffs.MODULES_NOT_DONE) in response.content.decode()
    assert not Certificate.objects.exists()
    with pytest.raises(ValidationError):
        signoffs.sign_off_introduction(chef, enrolment=enrolment, conversation_date=TODAY)


@pytest.mark.django_db
def test_only_the_managers_of_the_unit_may_sign_off(client, ny, mentor, kommunadmin, waiting):
    other_unit = UnitFactory(organisation=waiting.user.memberships.first().organisation)
    chef_annan = UserFactory(email="chef-annan@example.org")
    add_membership(None, user=chef_annan, role=Role.MANAGER, unit=other_unit, start_date=TODAY)
    url = reverse("team:sign_off", args=[waiting.pk])
    for user in (ny, mentor, kommunadmin, chef_annan):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, _sign_off_form()).status_code == 404
    with pytest.raises(PermissionDenied):
        signoffs.sign_off_introduction(chef_annan, enrolment=waiting, conversation_date=TODAY)
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_a_delegate_with_the_manager_role_in_the_unit_may_sign_off(client, enhet_a, waiting):
    deputy = UserFactory(email="bitradande@example.org", full_name="Bitte Biträdande")
    add_membership(None, user=deputy, role=Role.MANAGER, unit=enhet_a, start_date=TODAY)
    client.force_login(deputy)
    client.post(reverse("team:sign_off", args=[waiting.pk]), _sign_off_form())
    certificate = Certificate.objects.get(enrolment=waiting)
    assert certificate.signed_off_by_name == "Bitte Biträdande"


@pytest.mark.django_db
def test_a_cohort_course_keeps_its_attendance_rule_and_needs_no_sign_off(
    chef, kursledare, leadership
):
    from learning.models import RunEnrolment
    from learning.services import runs
    from tests.learning.conftest import make_run, once_begun

    run = make_run(leadership, seats=2, sessions=2, leaders=[kursledare])
    place = RunEnrolment.objects.create(run=run, user=chef, status=RunEnrolment.Status.ENROLLED)
    enrolment = _modules_done(chef, leadership)
    assert enrolment.status == Enrolment.Status.ACTIVE  # attendance still missing
    with once_begun(run.sessions.order_by("date").last()):
        for session in run.sessions.all():
            runs.mark_attendance(kursledare, session=session, present={place.pk})
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.signed_off_by_name == ""
    assert not SignOff.objects.exists()


# --- The PDF --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pdf_names_municipality_unit_modules_hours_date_signer_validity_and_qr(
    client, chef, ny, course, waiting
):
    course.certificate_validity_months = 24
    course.save_revision().publish()
    certificate = signoffs.sign_off_introduction(chef, enrolment=waiting, conversation_date=TODAY)
    client.force_login(ny)
    response = client.get(reverse("learning:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    text = page.extract_text()
    verify_url = f"http://testserver/intyg/{certificate.code}/"
    for expected in (
        "Kommun A",
        "Barn och unga – utredning",
        "Yrkesintroduktion",
        "Modul 1",
        "Modul 3",
        "15 min",  # each module's estimated time
        "Genomförd",
        "Godkänd av",
        chef.full_name,
        "Giltighet",
        "till och med",
        verify_url,
    ):
        assert expected in text, expected
    # The QR code on the page encodes exactly the verification address.
    images = page.images
    assert len(images) == 1
    assert _modules_of(images[0].image) == _modules_of(qr_image(verify_url))


def _modules_of(image) -> list[list[bool]]:
    """The dark/light modules of a QR image, read at each module's centre (box 8, border 4)."""
    gray = image.convert("L")
    size = gray.size[0] // 8
    return [[gray.getpixel((8 * x + 4, 8 * y + 4)) < 128 for x in range(size)] for y in range(size)]


# --- The public check and revocation ---------------------------------------------------------


@pytest.fixture
def certificate(chef, waiting):
    return signoffs.sign_off_introduction(chef, enrolment=waiting, conversation_date=TODAY)


@pytest.mark.django_db
def test_public_check_shows_the_same_minimal_facts_and_valid(client, ny, chef, certificate):
    body = client.get(reverse("verify", args=[certificate.code])).content.decode()
    assert "Intyget är äkta och giltigt." in body
    for expected in (
        ny.full_name,
        "Kommun A",
        "Barn och unga – utredning",
        "Yrkesintroduktion",
        "Modul 2",
        chef.full_name,
        "tills vidare",
    ):
        assert expected in body
    assert ny.email not in body and "Återkalla intyget" not in body


@pytest.mark.django_db
def test_public_check_says_expired(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=TODAY - datetime.timedelta(days=1)
    )
    body = client.get(reverse("verify", args=[certificate.code])).content.decode()
    assert "Intyget är äkta men har gått ut." in body
    assert "Intyget är äkta och giltigt." not in body


@pytest.mark.django_db
def test_admin_revokes_with_a_reason_confirmed_and_audited(client, kommunadmin, certificate):
    client.force_login(kommunadmin)
    verify_url = reverse("verify", args=[certificate.code])
    url = reverse("learning:revoke_certificate", args=[certificate.pk])
    assert url in client.get(verify_url).content.decode()
    assert client.get(url).status_code == 200
    unconfirmed = client.post(url, {"reason": "Utfärdat av misstag."})
    assert "Bekräfta att du vill återkalla intyget." in unconfirmed.content.decode()
    no_reason = client.post(url, {"reason": "  ", "confirm": "on"})
    assert "Skriv varför intyget återkallas." in no_reason.content.decode()
    identity = client.post(url, {"reason": "Gäller 19121212-1212", "confirm": "on"})
    assert identity.status_code == 200
    certificate.refresh_from_db()
    assert not certificate.is_revoked

    response = client.post(url, {"reason": "Utfärdat av misstag.", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == verify_url
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == kommunadmin
    assert certificate.revocation_reason == "Utfärdat av misstag."
    event = AuditEvent.objects.get(object_type="learning.certificate")
    assert event.actor == kommunadmin and event.action == AuditAction.UPDATE

    client.logout()
    body = client.get(verify_url).content.decode()
    assert "återkallat sedan" in body and "Intyget är äkta och giltigt." not in body
    assert "Utfärdat av misstag." not in body  # the reason is for the log, not the public
    # Revoking again changes nothing.
    signoffs.revoke_certificate(kommunadmin, certificate=certificate, reason="Annat skäl")
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Utfärdat av misstag."
    assert AuditEvent.objects.filter(object_type="learning.certificate").count() == 1


@pytest.mark.django_db
def test_revocation_is_scoped_to_the_issuing_municipality(
    client, ny, chef, kommunadmin_b, utomstaende, certificate
):
    url = reverse("learning:revoke_certificate", args=[certificate.pk])
    for user in (kommunadmin_b, ny, chef, utomstaende):
        client.force_login(user)
        assert client.get(url).status_code == 404
        post = client.post(url, {"reason": "x", "confirm": "on"})
        assert post.status_code == 404
        verify = client.get(reverse("verify", args=[certificate.code])).content.decode()
        assert url not in verify
    with pytest.raises(PermissionDenied):
        signoffs.revoke_certificate(kommunadmin_b, certificate=certificate, reason="x")
    certificate.refresh_from_db()
    assert not certificate.is_revoked


# --- Exact query counts for the new pages ----------------------------------------------------


@pytest.mark.django_db
def test_public_check_runs_one_query_for_an_anonymous_visitor(client, certificate):
    url = reverse("verify", args=[certificate.code])
    client.get(url)
    # The certificate; the menu's link to the catalogue is cached (people/chrome.py).
    with exact_queries(1):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_sign_off_page_query_count_does_not_grow_with_the_course(client, chef, waiting):
    client.force_login(chef)
    url = reverse("team:sign_off", args=[waiting.pk])
    client.get(url)
    # Session, user, the manager's memberships, the enrolment with learner and course; the
    # menu's link to the catalogue is cached (people/chrome.py).
    with exact_queries(4):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_revoke_page_query_count(client, kommunadmin, certificate):
    client.force_login(kommunadmin)
    url = reverse("learning:revoke_certificate", args=[certificate.pk])
    client.get(url)
    # Session, user, the admin's memberships, the certificate with its holder; the menu's
    # link to the catalogue is cached (people/chrome.py).
    with exact_queries(4):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_revoked_certificate_is_not_reminded_before_it_expires(kommunadmin, certificate):
    from core.models import OutboxMessage
    from learning import reminders

    expires = TODAY + datetime.timedelta(days=30)
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=expires)
    signoffs.revoke_certificate(kommunadmin, certificate=certificate, reason="Fel person.")
    reminders.queue_daily_reminders(TODAY)
    # Reminders are outbox rows keyed by kind (learning/reminders.py).
    assert not OutboxMessage.objects.filter(
        key__startswith="reminder:certificate_expiring:"
    ).exists()
