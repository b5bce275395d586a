"""A quicker way back to the migrated database after a transactional test (a browser journey,
a real worker, a race between two connections), to the same rows as Django's own.

Django ends such a test with a flush, and with `serialized_rollback` the next test puts back the
rows migrations created (the Wagtail root page, content types, permissions, the role groups).
Both cost more than the rows involved:
- the flush is one TRUNCATE of all ~250 tables, which on PostgreSQL makes new files for every
  table and index: 3.6 s measured under load (two workers and other jobs), where a DELETE FROM
  each table, nearly all of them empty, took 0.3 s. Every foreign key Django makes on PostgreSQL
  is DEFERRABLE INITIALLY DEFERRED, so the order of the DELETEs does not matter: the keys are
  checked at the commit, when every table is empty. (The one trigger fires on UPDATE only.)
  Sequences are left as they are either way (Django's flush here never restarts them).
- the restore saves each of the ~750 snapshot rows on its own (an UPDATE that finds nothing,
  then an INSERT: 1-1.7 s a test). Here the snapshot is parsed once per process and written
  back with one INSERT per table (Model.save for models with a parent table, which bulk_create
  cannot write), its many-to-many rows too, and the constraints checked as Django checks them.
  Raw saves send pre_save/post_save with raw=True; the restore writes the snapshot's rows and
  nothing else, so no receiver adds a row the snapshot did not hold.

`tests/test_fast_reset.py` compares the two: after a transactional test, both ways, the same
rows in every table."""

import functools
from collections import defaultdict
from io import StringIO

from django.core import serializers
from django.db import connections, transaction
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql.operations import DatabaseOperations
from django.db.models.constants import OnConflict

_django_sql_flush = DatabaseOperations.sql_flush
_django_deserialize = BaseDatabaseCreation.deserialize_db_from_string
_parsed: dict[tuple[str, int], list] = {}


def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """DELETE FROM every table instead of one TRUNCATE (see the module's docstring); Django's
    own statement where it restarts sequences or cascades (never in this suite's flushes)."""
    if reset_sequences or allow_cascade or not tables:
        return _django_sql_flush(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    return [
        "SET CONSTRAINTS ALL DEFERRED;",
        # Table names from the introspection of the database itself, quoted.
        *(f"DELETE FROM {self.quote_name(table)};" for table in tables),  # noqa: S608
    ]


def _objects(alias: str, data: str) -> list:
    key = (alias, hash(data))
    if key not in _parsed:
        _parsed[key] = list(serializers.deserialize("json", StringIO(data), using=alias))
    return _parsed[key]


def _write(model, deserialized_objects, alias: str, table_names: set) -> None:
    """Like DeserializedObject.save() for each object: the row is written whether or not one
    with its key is there already (the first restore of a process finds the migrated rows
    unflushed), and its many-to-many rows become exactly the snapshot's."""
    meta = model._meta
    table_names.add(meta.db_table)
    # Django's raw save writes the object's own table only and keeps every value as it is
    # (an auto_now field too): QuerySet._insert with raw=True is that, for many rows at once.
    manager = model._base_manager.using(alias)
    objects = [deserialized.object for deserialized in deserialized_objects]
    fields = list(meta.local_concrete_fields)
    others = [f for f in fields if not f.primary_key]
    on_conflict = OnConflict.UPDATE if others else OnConflict.IGNORE
    batch = max(connections[alias].ops.bulk_batch_size(fields, objects), 1)
    for start in range(0, len(objects), batch):
        manager._insert(
            objects[start : start + batch],
            fields=fields,
            raw=True,
            using=alias,
            on_conflict=on_conflict,
            update_fields=others or None,
            unique_fields=[meta.pk] if others else None,
        )
    wanted = defaultdict(set)  # through model -> {(source pk, target pk)}
    sides = {}
    for deserialized in deserialized_objects:
        for name, pks in (deserialized.m2m_data or {}).items():
            field = meta.get_field(name)
            through = field.remote_field.through
            sides[through] = (
                f"{field.m2m_field_name()}_id",
                f"{field.m2m_reverse_field_name()}_id",
            )
            wanted[through] |= {(deserialized.object.pk, pk) for pk in pks}
    for through, pairs in wanted.items():
        table_names.add(through._meta.db_table)
        source, target = sides[through]
        rows = through._base_manager.using(alias)
        have = rows.filter(**{f"{source}__in": [o.pk for o in objects]})
        extra = [
            pk for pk, *pair in have.values_list("pk", source, target) if tuple(pair) not in pairs
        ]
        if extra:
            rows.filter(pk__in=extra).delete()
        rows.bulk_create(
            [through(**{source: a, target: b}) for a, b in sorted(pairs)], ignore_conflicts=True
        )


def deserialize_db_from_string(self, data):
    """Django's deserialize_db_from_string, with one INSERT per table."""
    alias = self.connection.alias
    by_model = defaultdict(list)
    for deserialized in _objects(alias, data):
        by_model[type(deserialized.object)].append(deserialized)
    table_names: set[str] = set()
    with transaction.atomic(using=alias):
        with self.connection.constraint_checks_disabled():
            for model, deserialized_objects in by_model.items():
                _write(model, deserialized_objects, alias, table_names)
        # Inside the transaction, as Django does: PostgreSQL checks the deferred keys here.
        self.connection.check_constraints(table_names=table_names)


@functools.cache
def install() -> None:
    """For this process (idempotent): PostgreSQL's flush, and every backend's restore."""
    DatabaseOperations.sql_flush = sql_flush
    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string


def uninstall() -> None:
    DatabaseOperations.sql_flush = _django_sql_flush
    BaseDatabaseCreation.deserialize_db_from_string = _django_deserialize
    install.cache_clear()
