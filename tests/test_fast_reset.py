"""tests/fast_reset.py leaves the database as Django's flush and restore do: after a
transactional test made rows in many tables (pages, people, groups with permissions), both
ways end with the same rows in every table."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page

from tests import fast_reset
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BEAT_STAMP = "django_celery_beat_periodictasks"


def _every_row() -> dict:
    """Each table's rows; an automatic many-to-many table without its own numbering (its
    sequence goes on, so the ids differ from one restore to the next either way)."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        fields = [f.attname for f in meta.concrete_fields]
        if meta.auto_created:
            fields.remove(meta.pk.attname)
        rows[meta.db_table] = sorted(map(repr, model._base_manager.values_list(*fields)))
    return rows


def _make_rows() -> None:
    root = Page.get_first_root_node()
    root.add_child(instance=Page(title="Tillfällig", slug="tillfallig"))
    user = UserFactory(email="tillfallig@example.org")
    group = Group.objects.first()
    user.groups.add(group)
    group.permissions.clear()


def _flush_and_restore() -> None:
    # As TransactionTestCase's teardown and the next serialized_rollback test's set-up do.
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        reset_sequences=False,
        allow_cascade=False,
        inhibit_post_migrate=True,
    )
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


def test_the_quick_flush_and_restore_leave_the_rows_djangos_leave():
    migrated = _every_row()
    assert migrated["auth_group_permissions"] and migrated["wagtailcore_page"]
    was_installed = connection.creation.deserialize_db_from_string.__func__ is (
        fast_reset.deserialize_db_from_string
    )
    try:
        fast_reset.uninstall()
        _make_rows()
        assert _every_row() != migrated
        _flush_and_restore()
        djangos = _every_row()

        fast_reset.install()
        if connection.vendor == "postgresql":
            assert connection.ops.sql_flush(None, ["a_table"])[0].startswith("SET CONSTRAINTS")
        _make_rows()
        _flush_and_restore()
        quick = _every_row()
        # Django's raw saves send post_save, and django-celery-beat's receiver stamps the
        # time of a change in its PeriodicTasks table; the quick restore writes the snapshot's
        # rows only. Every other table holds the same rows either way, and the migrated ones.
        changed = [table for table in quick if quick[table] != djangos[table]]
        assert changed in ([], [BEAT_STAMP])
        same = [table for table in quick if table != BEAT_STAMP]
        assert {t: quick[t] for t in same} == {t: migrated[t] for t in same}
        in_snapshot = [
            d.object.pk
            for d in fast_reset._objects(connection.alias, connection._test_serialized_contents)
            if d.object._meta.db_table == BEAT_STAMP
        ]
        assert [row.split(",")[0].strip("(") for row in quick[BEAT_STAMP]] == [
            str(pk) for pk in sorted(in_snapshot)
        ]
    finally:
        (fast_reset.install if was_installed else fast_reset.uninstall)()
