import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.dates import add_months
from learning import services, signoffs
from learning.certificates import ALPHABET, new_code, normalise_code
from learning.models import Certificate
from people.models import Role
from people.services import add_membership
from tests.factories import UserFactory, right_answers


def _complete(learner, course):
    """Every module done, then the manager of the learner's unit signs the introduction off
    (the certificate is issued with the sign-off, tests/learning/test_certificates_signoff.py)."""
    enrolment = services.enrol_in_course(None, learner=learner, course=course)
    for module in course.modules():
        services.submit_knowledge_check(learner, module=module, answers=right_answers(module))
    unit = learner.memberships.first().unit
    manager = UserFactory(email=f"chef-{unit.pk}@example.org", full_name="Chef för enheten")
    add_membership(None, user=manager, role=Role.MANAGER, unit=unit, start_date=unit_start())
    signoffs.sign_off_introduction(
        manager, enrolment=enrolment, conversation_date=timezone.localdate()
    )
    enrolment.refresh_from_db()
    return enrolment


def unit_start():
    return timezone.localdate() - datetime.timedelta(days=365)


def test_codes_are_unguessable_and_well_formed():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert normalise_code(code) == code
        assert set(code.replace("-", "")) <= set(ALPHABET)
    sample = next(iter(codes))
    assert normalise_code(sample.lower().replace("-", " ")) == sample
    for bad in ("", "abc", "0000-0000-0000-0000", "AAAA-AAAA-AAAA", "A" * 300, "../../etc"):
        assert normalise_code(bad) is None


@pytest.mark.django_db
def test_completing_a_course_issues_one_certificate(ny, course):
    enrolment = _complete(ny, course)
    certificate = Certificate.objects.get(user=ny)
    assert certificate.enrolment == enrolment
    assert certificate.course_title == "Yrkesintroduktion"
    assert certificate.expires_on is None and certificate.is_valid()
    services.complete_course_if_done(enrolment)
    services.issue_certificate(enrolment)
    assert Certificate.objects.filter(user=ny).count() == 1


@pytest.mark.django_db
def test_validity_period_sets_an_expiry_date(ny, course):
    course.certificate_validity_months = 12
    course.save_revision().publish()
    _complete(ny, course)
    certificate = Certificate.objects.get(user=ny)
    issued = timezone.localtime(certificate.issued_at).date()
    assert certificate.expires_on == add_months(issued, 12)
    assert not certificate.is_valid(today=certificate.expires_on + datetime.timedelta(days=1))


@pytest.mark.django_db
def test_learner_downloads_the_pdf_and_it_names_them_and_the_course(client, ny, course):
    _complete(ny, course)
    certificate = Certificate.objects.get(user=ny)
    client.force_login(ny)
    page = client.get(reverse("learning:certificates")).content.decode()
    assert "Yrkesintroduktion" in page and certificate.code in page
    response = client.get(reverse("learning:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Intyg" in text
    assert ny.full_name in text
    assert "Yrkesintroduktion" in text
    assert certificate.code in text
    assert f"/intyg/{certificate.code}/" in text


@pytest.mark.django_db
def test_someone_elses_certificate_pdf_is_a_404(client, ny, utomstaende, course):
    _complete(ny, course)
    certificate = Certificate.objects.get(user=ny)
    client.force_login(utomstaende)
    assert client.get(reverse("learning:certificate_pdf", args=[certificate.pk])).status_code == 404
    assert certificate.code not in client.get(reverse("learning:certificates")).content.decode()


@pytest.mark.django_db
def test_public_page_confirms_the_certificates_facts_and_nothing_else(client, ny, course):
    _complete(ny, course)
    certificate = Certificate.objects.get(user=ny)
    response = client.get(reverse("verify", args=[certificate.code.lower()]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Intyget är äkta och giltigt." in body
    assert ny.full_name in body and "Yrkesintroduktion" in body
    assert ny.email not in body
    # The issuing municipality and unit are on the certificate (issue 19); nothing else about
    # the person is: no email, role or start date.
    assert "Kommun A" in body
    assert "Nyanställd" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["ABCD-EFGH-JKMN-PQRS", "fel-form", "x" * 200, "%00"])
def test_unknown_or_malformed_code_is_a_plain_not_found(client, home, code):
    response = client.get(f"/intyg/{code}/")
    assert response.status_code == 404
    assert "Det finns inget intyg med den koden." in response.content.decode()


@pytest.mark.django_db
def test_max_attempts_stops_further_tries(client, ny, course):
    module = course.modules().first()
    module.max_attempts = 1
    module.save_revision().publish()
    services.enrol_in_course(None, learner=ny, course=course)
    wrong = {q.id: [c.id for c in q.choices if not c.correct][:1] for q in module.questions()}
    client.force_login(ny)
    url = reverse("learning:check", args=[module.pk])
    response = client.get(url)
    assert "Du har 1 försök kvar." in response.content.decode()
    attempt = response.context["attempt"].pk
    response = client.post(url, wrong | {"attempt": attempt}, follow=True)
    assert "Försök igen" not in response.content.decode()
    assert "Du har använt alla försök" in client.get(url).content.decode()
    # Sending the used attempt again with the right answers lands on its one result.
    response = client.post(url, right_answers(module) | {"attempt": attempt}, follow=True)
    assert "Inte godkänt den här gången" in response.content.decode()
    assert ny.enrolments.get().progress.get().attempts.count() == 1
