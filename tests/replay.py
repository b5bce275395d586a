"""Fixtures that build Wagtail pages, built for real once per test process and replayed after.

Building the page tree (a home page, the catalogue, a course with three modules, each saved as a
revision and published) went through Wagtail's whole publishing path for every test that asked
for it: revisions, log entries, the reference index, the search index, treebeard's paths. Here
the first build in a process runs that path and records every row it inserted or changed, in
every table; later tests get the same rows written back directly (one INSERT per table), inside
their own transaction, so the usual rollback takes them away again.

A recording is replayed only when the database is in the state the recording started from: the
rows it changed still hold the values they had before, and none of the rows it inserted exists.
Otherwise (another fixture or a transactional test left a different tree) the fixture builds
for real again, so a replay can never produce a state the real build would not have produced.
A build that deletes rows or writes a table no model describes is never replayed."""

import copy
import dataclasses
import os
from collections.abc import Callable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction

# REPLAY_FIXTURES=0 builds every time (to compare, or to rule the replay out when debugging).
ENABLED = os.environ.get("REPLAY_FIXTURES", "1") != "0"
stats = {"built": 0, "replayed": 0}
stats_by_key: dict[str, dict[str, int]] = {}


@dataclasses.dataclass
class _Table:
    model: type
    fields: list  # primary key first


@dataclasses.dataclass
class _Recording:
    inserted: list[tuple[_Table, list]]  # instances as the build left them
    updated: list[tuple[_Table, dict, list]]  # rows before (pk -> values), instances after
    result: object  # the fixture's value: (model, primary key), or a dict of those


_recordings: dict[str, _Recording | None] = {}


def _tables(connection) -> tuple[list[_Table], list[str]]:
    """The tables of all models (each once), and the tables no model describes."""
    existing = set(connection.introspection.table_names())
    seen: set[str] = set()
    tables = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or meta.db_table in seen or meta.db_table not in existing:
            continue
        seen.add(meta.db_table)
        fields = [meta.pk] + [f for f in meta.local_concrete_fields if f is not meta.pk]
        tables.append(_Table(model, fields))
    return tables, sorted(existing - seen)


def _rows(table: _Table, using: str) -> dict:
    attnames = [field.attname for field in table.fields]
    queryset = table.model._base_manager.using(using).order_by().values_list(*attnames)
    return {row[0]: row for row in queryset}


def _count(connection, table: str) -> int:
    with connection.cursor() as cursor:
        # A table name from the database's own catalogue, quoted.
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


def _instances(table: _Table, pks, using: str) -> list:
    return list(table.model._base_manager.using(using).filter(pk__in=list(pks)).order_by("pk"))


def _record(build: Callable, using: str):
    connection = connections[using]
    tables, others = _tables(connection)
    before = {table.model: _rows(table, using) for table in tables}
    other_counts = {name: _count(connection, name) for name in others}
    result = build()
    replayable = all(_count(connection, name) == n for name, n in other_counts.items())
    inserted, updated = [], []
    for table in tables:
        old, new = before[table.model], _rows(table, using)
        if old.keys() - new.keys():
            replayable = False  # deleted rows: not worth replaying
        added = new.keys() - old.keys()
        if added:
            inserted.append((table, _instances(table, added, using)))
        changed = {pk: old[pk] for pk in old.keys() & new.keys() if old[pk] != new[pk]}
        if changed:
            updated.append((table, changed, _instances(table, changed, using)))
    recording = _Recording(inserted, updated, _keys(result)) if replayable else None
    return result, recording


def _keys(result):
    """A model instance as (model, primary key); a dict of instances (several objects built
    together, such as the access matrix's world and its cast) as a dict of those."""
    if isinstance(result, dict):
        return {name: _keys(value) for name, value in result.items()}
    return (type(result), result.pk)


def _wanted(keys, by_model: dict) -> None:
    if isinstance(keys, dict):
        for value in keys.values():
            _wanted(value, by_model)
    else:
        model, pk = keys
        by_model.setdefault(model, set()).add(pk)


def _fetch(keys, using: str):
    """The recorded result read back, one query per model instead of one per object, each name
    an instance of its own as before. With _any_row below, replaying the page tree and the
    access matrix's world went from 166 queries to 107 (0.06 s of CPU either way; the rest of
    the 1.9 s to 0.24 s under load 8 here was the database's)."""
    by_model: dict[type, set] = {}
    _wanted(keys, by_model)
    found = {
        model: model._base_manager.using(using).in_bulk(list(pks))
        for model, pks in by_model.items()
    }
    handed_out: set = set()

    def instance(keys):
        if isinstance(keys, dict):
            return {name: instance(value) for name, value in keys.items()}
        model, pk = keys
        if pk not in found[model]:
            raise model.DoesNotExist(f"{model._meta.label} {pk} is gone")
        obj = found[model][pk]
        if keys in handed_out:
            obj = copy.copy(obj)
        handed_out.add(keys)
        return obj

    return instance(keys)


def _any_row(querysets, using: str) -> bool:
    """Whether any of the querysets finds a row: one query of EXISTS clauses, instead of one
    .exists() each (53 for the page tree and the world, 4 now)."""
    connection = connections[using]
    clauses, params = [], []
    for queryset in querysets:
        sql, more = queryset.values("pk").query.get_compiler(using).as_sql()
        clauses.append(f"EXISTS ({sql})")
        params.extend(more)
    if not clauses:
        return False
    with connection.cursor() as cursor:
        # SQL that Django compiled from the querysets, with their parameters kept apart.
        cursor.execute("SELECT " + " OR ".join(clauses), params)
        return bool(cursor.fetchone()[0])


def _can_replay(recording: _Recording, using: str) -> bool:
    inserted = [
        table.model._base_manager.using(using).filter(pk__in=[obj.pk for obj in instances])
        for table, instances in recording.inserted
    ]
    if _any_row(inserted, using):
        return False
    for table, before, _after in recording.updated:
        if _rows_for(table, before.keys(), using) != before:
            return False
    return True


def _rows_for(table: _Table, pks, using: str) -> dict:
    attnames = [field.attname for field in table.fields]
    queryset = table.model._base_manager.using(using).filter(pk__in=list(pks)).order_by()
    return {row[0]: row for row in queryset.values_list(*attnames)}


def _replay(recording: _Recording, using: str) -> None:
    with transaction.atomic(using=using):
        for table, instances in recording.inserted:
            manager = table.model._base_manager.using(using)
            # raw: the values as recorded (no auto_now, no defaults); no signals.
            manager._insert([copy.copy(obj) for obj in instances], fields=table.fields, raw=True)
        for table, _before, instances in recording.updated:
            manager = table.model._base_manager.using(using)
            for obj in instances:
                values = {f.attname: getattr(obj, f.attname) for f in table.fields[1:]}
                manager.filter(pk=obj.pk).update(**values)


def page_tree_replayed() -> None:
    """What content/signals.py and Wagtail's Site signals do on saving pages and sites, besides
    writing rows (the replay writes those, without signals)."""
    from wagtail.models import Site

    from content.outline import forget_outlines

    forget_outlines()
    Site.clear_site_root_paths_cache()


def replayable(key: str) -> bool:
    """Whether the first build of `key` in this process left a recording to replay (a build
    that deletes rows or writes a table no model describes leaves none, and is built again for
    every test)."""
    return _recordings.get(key) is not None


def _count_as(key: str, outcome: str) -> None:
    stats[outcome] += 1
    counts = stats_by_key.setdefault(key, {"built": 0, "replayed": 0})
    counts[outcome] += 1


def build_once(key: str, build: Callable, *, after_replay: Callable = lambda: None):
    """build() the first time in this process, recording what it writes; afterwards replay the
    recording when the database is where the recording started, and build() otherwise."""
    using = DEFAULT_DB_ALIAS
    recording = _recordings.get(key)
    if ENABLED and recording is not None and _can_replay(recording, using):
        _replay(recording, using)
        after_replay()
        _count_as(key, "replayed")
        return _fetch(recording.result, using)
    _count_as(key, "built")
    if not ENABLED or key in _recordings:
        return build()
    result, _recordings[key] = _record(build, using)
    return result
