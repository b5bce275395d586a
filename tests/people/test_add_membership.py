"""Giving a person a role (people.services.add_membership): what it writes, what it refuses, and
what it costs. Every person the tests, the seeds, "Bjud in" and SCIM make goes through it, so
its queries are pinned exactly (session 35: 28 -> 10 for a new hire's first role, 21 -> 4 for
the same role given again)."""

import datetime
import threading
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from core.models import OutboxMessage
from learning.tasks import onboarding_plan
from people import chrome
from people.models import (
    EDITOR_GROUP_NAME,
    AuditAction,
    AuditEvent,
    Membership,
    Role,
)
from people.services import add_membership, invite_person
from tests.factories import OrganisationFactory, UnitFactory, UserFactory
from tests.queries import exact_queries

TODAY = timezone.localdate()
START = TODAY + datetime.timedelta(days=3)

# The service's savepoint, the look-up, the INSERT, the role groups (one query: what is held
# and what is wanted), the audit line and the savepoint's release.
NEW_ROLE = 6
# + the onboarding plan's outbox row (learning/signals.py: its savepoint, the INSERT, the
# release; a new membership has no untried twin to look for).
NEW_HIRE = NEW_ROLE + 3
# + the editors' Wagtail group.
NEW_EDITOR = NEW_ROLE + 1
# The savepoint, the look-up, the role groups and the release: nothing is written.
UNCHANGED = 4
# The start date alone (an UPDATE for the INSERT) and, for a new hire, the plan's outbox row,
# which the untried twin of the first start date already covers (its savepoint, the look-up,
# the release).
MOVED = NEW_ROLE
MOVED_NEW_HIRE = MOVED + 3
# The invitation, inside its own savepoint: the admin's memberships, the address, the person
# and their address, the new hire's role (NEW_HIRE) and the invitation's outbox row
# (savepoint, INSERT, release); 38 before session 35.
INVITE = 2 + 1 + 1 + 2 + NEW_HIRE + 3


def _events(membership) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type="people.membership", object_id=str(membership.pk)
        ).order_by("pk")
    )


def _plans(membership) -> int:
    return OutboxMessage.objects.filter(
        handler=onboarding_plan.outbox_name, args={"membership_id": membership.pk}
    ).count()


@pytest.mark.django_db
def test_a_new_hires_first_role_is_one_insert_one_audit_line_and_one_plan(enhet_a):
    user = UserFactory()
    with exact_queries(NEW_HIRE):
        membership = add_membership(
            None, user=user, role=Role.NEW_HIRE, unit=enhet_a, start_date=START
        )
    stored = Membership.objects.get(user=user)
    assert (stored.pk, stored.organisation_id, stored.unit_id, stored.role, stored.start_date) == (
        membership.pk,
        enhet_a.organisation_id,
        enhet_a.pk,
        Role.NEW_HIRE,
        START,
    )
    [event] = _events(membership)
    assert (event.action, event.subject_id, event.organisation_id, event.details) == (
        AuditAction.ROLE_CHANGE,
        user.pk,
        enhet_a.organisation_id,
        {"role": Role.NEW_HIRE, "unit": enhet_a.name, "start": START.isoformat()},
    )
    assert _plans(membership) == 1
    assert not user.groups.exists()


@pytest.mark.django_db
def test_the_same_role_again_writes_nothing_and_records_nothing(enhet_a):
    user = UserFactory()
    first = add_membership(None, user=user, role=Role.NEW_HIRE, unit=enhet_a, start_date=START)
    created_at = Membership.objects.get(pk=first.pk).created_at
    with exact_queries(UNCHANGED) as captured:
        again = add_membership(None, user=user, role=Role.NEW_HIRE, unit=enhet_a, start_date=START)
    assert not [
        q for q in captured.captured_queries if not q["sql"].startswith(("SELECT", "SAV", "REL"))
    ]
    assert again.pk == first.pk
    assert Membership.objects.get(pk=first.pk).created_at == created_at
    assert len(_events(first)) == 1
    assert _plans(first) == 1


@pytest.mark.django_db
def test_a_new_start_date_moves_the_role_and_is_audited(enhet_a):
    user = UserFactory()
    first = add_membership(None, user=user, role=Role.NEW_HIRE, unit=enhet_a, start_date=START)
    later = START + datetime.timedelta(days=7)
    with exact_queries(MOVED_NEW_HIRE):
        moved = add_membership(None, user=user, role=Role.NEW_HIRE, unit=enhet_a, start_date=later)
    assert moved.pk == first.pk
    assert Membership.objects.get(pk=first.pk).start_date == later
    assert [e.details["start"] for e in _events(first)] == [START.isoformat(), later.isoformat()]
    # The plan's row for the first date has not been tried: it applies the plan as it stands.
    assert _plans(first) == 1


@pytest.mark.django_db
def test_other_unit_roles_cost_what_the_role_needs(enhet_a, kommun_a):
    manager, editor = UserFactory(), UserFactory()
    with exact_queries(NEW_ROLE):
        role = add_membership(None, user=manager, role=Role.MANAGER, unit=enhet_a, start_date=START)
    assert _plans(role) == 0
    with exact_queries(MOVED):
        add_membership(None, user=manager, role=Role.MANAGER, unit=enhet_a, start_date=TODAY)
    with exact_queries(UNCHANGED):
        add_membership(None, user=manager, role=Role.MANAGER, unit=enhet_a, start_date=TODAY)
    with exact_queries(NEW_EDITOR):
        add_membership(None, user=editor, role=Role.EDITOR, organisation=kommun_a, start_date=START)
    assert set(editor.groups.values_list("name", flat=True)) == {EDITOR_GROUP_NAME}
    [event] = AuditEvent.objects.filter(subject_id=editor.pk)
    assert event.details["unit"] == kommun_a.name


@pytest.mark.django_db
def test_an_invitation_gives_the_role_in_the_same_transaction(kommunadmin, enhet_a):
    with exact_queries(INVITE):
        user = invite_person(
            kommunadmin,
            email="ny.kollega@example.org",
            full_name="Ny Kollega",
            unit=enhet_a,
            role=Role.NEW_HIRE,
            start_date=START,
        )
    membership = user.memberships.get()
    assert [e.action for e in _events(membership)] == [AuditAction.INVITE]
    assert _plans(membership) == 1


@pytest.mark.django_db
def test_bad_input_is_refused_with_the_memberships_own_errors(enhet_a, kommun_a):
    user = UserFactory()
    # A unit role without a unit: Membership.clean()'s translated error, before anything is
    # written (get_or_create's INSERT used to meet the check constraint first).
    with pytest.raises(ValidationError) as error:
        add_membership(None, user=user, role=Role.NEW_HIRE, organisation=kommun_a, start_date=START)
    assert error.value.message_dict == {"unit": ["Den här rollen kräver en enhet."]}
    with pytest.raises(ValidationError) as error:
        add_membership(None, user=user, role="chef", unit=enhet_a, start_date=START)
    assert list(error.value.message_dict) == ["role"]
    with pytest.raises(ValidationError) as error:
        add_membership(None, user=user, role=Role.MENTOR, unit=enhet_a, start_date=None)
    assert list(error.value.message_dict) == ["start_date"]
    assert not Membership.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(subject_id=user.pk).exists()


@pytest.mark.django_db
def test_a_new_role_clears_the_cached_navigation_and_a_moved_date_keeps_it(enhet_a):
    user = UserFactory()
    add_membership(None, user=user, role=Role.MENTOR, unit=enhet_a, start_date=START)
    key = chrome.NAV_KEY.format(user_id=user.pk)
    cache.set(key, [Role.MENTOR])
    add_membership(None, user=user, role=Role.MENTOR, unit=enhet_a, start_date=TODAY)
    assert cache.get(key) == [Role.MENTOR]  # the roles the navigation shows are the same
    add_membership(None, user=user, role=Role.MANAGER, unit=enhet_a, start_date=TODAY)
    assert cache.get(key) is None


def _in_another_connection(work):
    """Run `work` in a thread of its own, so on a connection of its own outside the test's
    transaction: what it commits is there for the test's connection to meet."""
    result, errors = [], []

    def run():
        try:
            result.append(work())
        except Exception as error:  # reported by the caller
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result, errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db
def test_the_same_role_given_at_the_same_moment_elsewhere_is_returned_not_refused():
    """Another request inserts the same role between this call's look-up and its INSERT: the
    INSERT waits for that transaction, the unique constraint refuses the twin when it commits,
    and the second try returns the other request's row (as get_or_create's retry did)."""

    def place():
        organisation = OrganisationFactory(name="Kommun Samtidig")
        return UnitFactory(organisation=organisation), UserFactory(email="samtidig@example.org")

    thread, made, errors = _in_another_connection(place)
    thread.join(timeout=60)
    assert errors == []
    [(unit, user)] = made
    waiting = connection.cursor().connection.info.backend_pid
    blocked = threading.Event()

    def twin_committed_once_the_insert_waits():
        with transaction.atomic():
            twin = Membership.objects.create(
                user=user,
                organisation_id=unit.organisation_id,
                unit=unit,
                role=Role.MANAGER,
                start_date=START,
            )
            ready.set()
            deadline = time.monotonic() + 30
            with connection.cursor() as cursor:
                while time.monotonic() < deadline and not blocked.is_set():
                    cursor.execute(
                        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)",
                        [waiting],
                    )
                    if cursor.fetchone()[0]:
                        blocked.set()
                    else:
                        time.sleep(0.01)
        return twin

    ready = threading.Event()
    thread, twins, errors = _in_another_connection(twin_committed_once_the_insert_waits)
    try:
        assert ready.wait(timeout=30)
        membership = add_membership(None, user=user, role=Role.MANAGER, unit=unit, start_date=START)
        thread.join(timeout=60)
        assert errors == []
        assert blocked.is_set(), "the INSERT never waited for the other transaction"
        assert membership.pk == twins[0].pk
        assert Membership.objects.filter(user=user).count() == 1
        assert not AuditEvent.objects.filter(subject_id=user.pk).exists()
    finally:
        thread.join(timeout=60)
        cleanup, _done, errors = _in_another_connection(
            lambda: (user.delete(), unit.organisation.delete())
        )
        cleanup.join(timeout=60)
        assert errors == []
