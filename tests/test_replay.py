"""The replay of fixtures (tests/replay.py) and the cast built with it (tests/cast.py): a replay
gives a test exactly the rows the real build would have given it, pointing at the rows the test
has, and does what the build's signals do besides writing rows."""

import contextlib
import itertools

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from core.models import OutboxMessage
from people.chrome import NAV_KEY
from people.models import Membership, Organisation, Role, User
from tests import cast, replay
from tests.factories import OrganisationFactory, UnitFactory

pytestmark = [
    pytest.mark.django_db,
    # Recordings are refused on SQLite (its search index writes FTS5 tables no model describes,
    # README "How the suite keeps its set-up cheap"), and the checks use SET CONSTRAINTS.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="replays run on PostgreSQL"),
]

_numbers = itertools.count()


@pytest.fixture
def key(monkeypatch):
    """A recording of this test's own (the process keeps recordings between tests), with the
    replay on even where REPLAY_FIXTURES=0 turns it off for the fixtures."""
    monkeypatch.setattr(replay, "ENABLED", True)
    return f"test-replay-{next(_numbers)}"


def _counts(key):
    return replay.stats_by_key.get(key, {"built": 0, "replayed": 0})


def _foreign_keys_hold():
    """Check now every foreign key the test's transaction has written so far, instead of at a
    commit the test never makes (a dangling one raises IntegrityError here)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextlib.contextmanager
def _an_earlier_test():
    """What a test before this one did: its writes rolled back, the process's recordings kept."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _new_hire_in(place):
    return lambda: cast.member("replay@example.org", Role.NEW_HIRE, unit=place["unit"])


def test_the_cast_points_at_the_tests_own_municipalities_and_units(
    ny,
    mentor,
    chef,
    redaktor,
    kommunadmin,
    kursledare,
    utomstaende,
    kommunadmin_b,
    enhet_a,
    enhet_b,
):
    """Built or replayed, each member is in the unit or municipality the test has, and every
    row the cast wrote points at a row that is there."""
    _foreign_keys_hold()
    for person in (ny, mentor, chef):
        assert person.memberships.get().unit == enhet_a
    assert utomstaende.memberships.get().unit == enhet_b
    for person in (redaktor, kommunadmin, kursledare):
        membership = person.memberships.get()
        assert membership.organisation == enhet_a.organisation and membership.unit is None
    assert kommunadmin_b.memberships.get().organisation == enhet_b.organisation
    assert {ny.memberships.get().role, redaktor.memberships.get().role} == {
        Role.NEW_HIRE,
        Role.EDITOR,
    }
    assert not replay.ENABLED or all(
        replay.replayable(f"cast:{name}:people.Unit:{enhet_a.pk}") for name in ("ny", "chef")
    )


def test_a_person_in_a_unit_the_test_made_is_recorded_for_that_unit(kommun_a, enhet_a):
    own = UnitFactory(organisation=kommun_a, name="Egen enhet")
    ny = cast.replayed("ny", unit=own)
    _foreign_keys_hold()
    assert ny.memberships.get().unit == own
    assert not Membership.objects.filter(unit=enhet_a).exists()


def test_a_municipality_the_test_has_already_is_the_one_it_gets(monkeypatch):
    """OrganisationFactory gets Kommun A by name: with one there (the access matrix's world),
    the build returns it, so the replay, which would write a second, is not used."""
    monkeypatch.setattr(replay, "ENABLED", True)
    with _an_earlier_test():
        cast.replayed("kommun_a")
    assert replay.replayable("cast:kommun_a")
    own = OrganisationFactory(name="Kommun A")
    assert cast.replayed("kommun_a") == own
    assert Organisation.objects.filter(name="Kommun A").count() == 1


def test_a_replay_never_points_at_a_missing_or_different_row(key):
    """A recording keyed without its unit (unlike the cast's), to show the replay's own check:
    it replays only while the unit its membership points at is there, unchanged."""
    place = {"unit": UnitFactory(name="Enheten")}
    with _an_earlier_test():
        first = replay.build_once(key, _new_hire_in(place))
    recorded_unit = place["unit"].pk
    assert _counts(key) == {"built": 1, "replayed": 0} and replay.replayable(key)

    with _an_earlier_test():  # the same unit, as it was: replayed, the same person
        again = replay.build_once(key, _new_hire_in(place))
        assert _counts(key)["replayed"] == 1 and again.pk == first.pk
        assert again.memberships.get().unit_id == recorded_unit
        _foreign_keys_hold()

    with _an_earlier_test():  # the same row, changed: built for real
        type(place["unit"]).objects.filter(pk=recorded_unit).update(name="Omdöpt")
        changed = replay.build_once(key, _new_hire_in(place))
        assert _counts(key) == {"built": 2, "replayed": 1} and changed.pk != first.pk
        assert changed.memberships.get().unit.name == "Omdöpt"

    # Another unit, the recorded one gone (a test that made its own unit): built for real.
    place["unit"].delete()
    place["unit"] = UnitFactory(name="En annan enhet")
    other = replay.build_once(key, _new_hire_in(place))
    assert _counts(key) == {"built": 3, "replayed": 1}
    assert other.memberships.get().unit_id == place["unit"].pk != recorded_unit
    _foreign_keys_hold()


def test_a_build_that_found_its_rows_there_is_not_kept(key):
    """A build that found its row there already (Kommun A made by another fixture) records
    nothing, so the next build records, and that recording is replayed."""
    with _an_earlier_test():
        OrganisationFactory(name="Kommun R")
        replay.build_once(key, lambda: OrganisationFactory(name="Kommun R"))
        assert not replay.replayable(key)
    made = replay.build_once(key, lambda: OrganisationFactory(name="Kommun R"))
    assert replay.replayable(key) and _counts(key) == {"built": 2, "replayed": 0}
    Organisation.objects.filter(pk=made.pk).delete()
    with _an_earlier_test():
        replayed = replay.build_once(key, lambda: OrganisationFactory(name="Kommun R"))
        assert _counts(key)["replayed"] == 1 and replayed.pk == made.pk


def test_a_replayed_person_does_what_the_signals_do_besides_writing_rows(
    key, monkeypatch, django_capture_on_commit_callbacks
):
    """people/chrome.py forgets the person's cached navigation, and the onboarding plan's
    outbox row is handed over after the commit: the same outcome as the real build's."""
    place = {"unit": UnitFactory(name="Enheten")}
    build = _new_hire_in(place)

    def outcome(person):
        messages = OutboxMessage.objects.filter(recipient_id=person.pk)
        return sorted(messages.values_list("handler", "status", "attempts"))

    with _an_earlier_test():
        recorded = replay.build_once(key, build, after_replay=replay.people_replayed)
    with _an_earlier_test(), monkeypatch.context() as off:
        off.setattr(replay, "ENABLED", False)
        with django_capture_on_commit_callbacks(execute=True):
            built = replay.build_once(key, build, after_replay=replay.people_replayed)
        built_outcome = outcome(built)
        assert cache.get(NAV_KEY.format(user_id=built.pk)) is None

    cache.set(NAV_KEY.format(user_id=recorded.pk), [Role.MANAGER])  # a stale entry
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        replayed = replay.build_once(key, build, after_replay=replay.people_replayed)
        assert cache.get(NAV_KEY.format(user_id=replayed.pk)) is None  # at once, too
    assert _counts(key)["replayed"] == 1 and replayed.pk == recorded.pk
    assert callbacks, "the after-commit work is left for the commit"
    assert outcome(replayed) == built_outcome
    assert built_outcome and all(
        status != OutboxMessage.Status.PENDING for _h, status, _a in built_outcome
    )
    assert User.objects.get(pk=replayed.pk).email == "replay@example.org"


@pytest.mark.parametrize("batched", [True, False], ids=["one-statement", "statement-each"])
def test_a_replay_writes_the_recorded_rows_while_the_rows_it_changed_are_as_before(
    key, monkeypatch, batched
):
    """A build that changes a row (renames a unit) and inserts one (a municipality). Replayed,
    the rows are exactly the recorded ones; while the changed row no longer holds the value it
    had before the build, the build runs again: before the first replay (rows compared in
    Python), and after it (on PostgreSQL by the md5s taken then). `batched=False` is the path
    a database other than PostgreSQL takes (_batched): one statement per write, rows compared
    in Python at every check."""
    if not batched:
        monkeypatch.setattr(replay, "_batched", lambda connection: False)
    unit = UnitFactory(name="Före")

    def build():
        type(unit).objects.filter(pk=unit.pk).update(name="Efter")
        return OrganisationFactory(name="Kommun U")

    def rows(made):
        return (
            list(type(unit).objects.filter(pk=unit.pk).values()),
            list(Organisation.objects.filter(pk=made.pk).values()),
        )

    with _an_earlier_test():
        recorded = replay.build_once(key, build)
        recorded_rows = rows(recorded)
    assert recorded_rows[0][0]["name"] == "Efter" and replay.replayable(key)

    for round_ in range(2):  # before the first replay, and after it
        with _an_earlier_test():  # the changed row changed otherwise since: built again
            type(unit).objects.filter(pk=unit.pk).update(name="Annat")
            built = replay.build_once(key, build)
            assert _counts(key) == {"built": 2 + round_, "replayed": round_}
            assert rows(built)[0][0]["name"] == "Efter"
        with _an_earlier_test():  # as before the build: replayed, the very rows recorded
            replayed = replay.build_once(key, build)
            assert _counts(key) == {"built": 2 + round_, "replayed": 1 + round_}
            assert replayed.pk == recorded.pk and replayed is not recorded
            assert rows(replayed) == recorded_rows
            # Its own instance, as read from the row: what the last test changed in its copy
            # is not in this one.
            assert replayed.name == "Kommun U"
            replayed.name = "Ändrad i testet"
            _foreign_keys_hold()
    assert (replay._recordings[key].compiled.digests is not None) == batched
