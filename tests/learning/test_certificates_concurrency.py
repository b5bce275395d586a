"""Two sign-offs of the same introduction at the same moment (a double click, or the manager and
a deputy at once) issue one certificate (PostgreSQL: the enrolment row is locked)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from learning import services, signoffs
from learning.models import Certificate, SignOff
from people.models import AuditEvent, Role
from people.services import add_membership
from tests.factories import UserFactory, right_answers

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks (select_for_update) and one writer at a "
    "time; CI runs PostgreSQL (DATABASE_URL=postgres://…)",
)
SIGNERS = 6


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_sign_offs_issue_one_certificate(ny, chef, enhet_a, course):
    enrolment = services.enrol_in_course(None, learner=ny, course=course)
    for module in course.modules():
        services.submit_knowledge_check(ny, module=module, answers=right_answers(module))
    deputies = [UserFactory(email=f"bitr{n}@example.org") for n in range(SIGNERS - 1)]
    for deputy in deputies:
        add_membership(
            None, user=deputy, role=Role.MANAGER, unit=enhet_a, start_date=timezone.localdate()
        )
    start = threading.Barrier(SIGNERS)
    codes, errors = [], []

    def sign(manager):
        try:
            start.wait(timeout=30)
            certificate = signoffs.sign_off_introduction(
                manager, enrolment=enrolment, conversation_date=timezone.localdate()
            )
            codes.append(certificate.code)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(m,)) for m in [chef, *deputies]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(codes) == SIGNERS and len(set(codes)) == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert SignOff.objects.filter(enrolment=enrolment).count() == 1
    assert AuditEvent.objects.filter(object_type="learning.signoff").count() == 1
