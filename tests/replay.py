"""Fixtures that build Wagtail pages, built for real once per test process and replayed after.

Building the page tree (a home page, the catalogue, a course with three modules, each saved as a
revision and published) went through Wagtail's whole publishing path for every test that asked
for it: revisions, log entries, the reference index, the search index, treebeard's paths. Here
the first build in a process runs that path and records every row it inserted or changed, in
every table; later tests get the same rows written back directly (one INSERT per table, all in
one statement on PostgreSQL), inside their own transaction, so the usual rollback takes them
away again.

A recording is replayed only when the database is in the state the recording started from: the
rows it changed still hold the values they had before, none of the rows it inserted exists, and
the rows it points at are as they were (one query, _can_replay).
Otherwise (another fixture or a transactional test left a different tree) the fixture builds
for real again, so a replay can never produce a state the real build would not have produced.
A build that deletes rows or writes a table no model describes is never replayed."""

import copy
import dataclasses
import functools
import os
from collections.abc import Callable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import sql

# REPLAY_FIXTURES=0 builds every time (to compare, or to rule the replay out when debugging).
ENABLED = os.environ.get("REPLAY_FIXTURES", "1") != "0"
stats = {"built": 0, "replayed": 0}
stats_by_key: dict[str, dict[str, int]] = {}


@dataclasses.dataclass(eq=False)  # one per table and recording: hashed as itself
class _Table:
    model: type
    fields: list  # primary key first


@dataclasses.dataclass
class _Recording:
    inserted: list[tuple[_Table, list]]  # instances as the build left them
    updated: list[tuple[_Table, dict, list]]  # rows before (pk -> values), instances after
    # Rows outside the recording that it points at: (table, the field pointed at, its values,
    # the rows found then, keyed by that field's value).
    referenced: list[tuple[_Table, str, set, dict]]
    result: object  # the fixture's value: (model, primary key), or a dict of those
    compiled: "_Compiled | None" = None  # at its first replay (_compile)


@dataclasses.dataclass
class _Compiled:
    """What a replay of one recording runs, compiled at its first replay instead of at every
    one: the check as one query, the writes as one statement. Compiling querysets
    (SQLCompiler.as_sql) was 13 % of build_once, the check and the writes a round trip per
    table and per compared row set: replaying `course` took 16 queries, now 2 (the check, the
    writes; _fetch copies what the replay wrote), `ny` 9, now 2. A test asking for `course`
    (home, catalog, course) spent 23 ms of its process's CPU and 7.6 of PostgreSQL's on
    set-up, now 7.5 and 5 with _fetch's query (200 tests, min of 3, load 4-6); with _fetch's
    copies ~2 ms less of each test process's CPU, ~0.6 of PostgreSQL's."""

    # EXISTS clauses: a row the recording inserts is there already.
    exists: list[str]
    exists_params: list
    # The rows that must be as recorded (the before-values of the rows it changes, the rows it
    # points at): (table, the field they are found by, its values, the rows keyed by it).
    compared: list[tuple[_Table, str, list, dict]]
    # On PostgreSQL, per row set of `compared`, a subquery giving the md5 of its rows' text.
    digest_sql: list[str]
    digest_params: list
    # Those md5s as PostgreSQL computed them at the first check that found the rows equal to
    # the recorded ones in Python (the same SQL, so the same text: no representation of ours
    # to keep in step with PostgreSQL's); None until then, and always on SQLite.
    digests: list | None
    writes: list[tuple[str, list | tuple]]  # the INSERT (one per table) and UPDATE statements
    write_sql: str | None  # on PostgreSQL: all of them, their values bound, as one string
    rows: dict[type, tuple]  # the rows written, by model, for after_replay (read only)
    # The same, by (model, primary key), for _fetch to copy: read after the build, so as the
    # replay writes them.
    written: dict[tuple, object]


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
    # In a transaction (a savepoint inside a test's) of its own, read before it commits: in a
    # transactional test what the build leaves for after the commit (the onboarding plan's
    # delivery) would otherwise have run and written its rows into the recording, and a test
    # in a transaction, where that work never runs, would get them replayed.
    with transaction.atomic(using=using):
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
        keys = _keys(result)
        referenced = _referenced(tables, inserted, updated, keys, using)
    recording = _Recording(inserted, updated, referenced, keys) if replayable else None
    return result, recording


def _referenced(tables, inserted, updated, keys, using: str) -> list:
    """The rows the recording points at (foreign keys of the rows it writes, and its result)
    that it does not write itself, as they are now. Checking them cost a query per table
    pointed at (session 33), until the check became one query (_Compiled): with them the
    page tree and the access matrix's world took 113 queries against 107 before; kommun_a,
    enhet_a, ny, mentor and chef replayed 32 queries and 10 ms of CPU (min of 30), built 90
    queries and 22-24 ms."""
    table_of = {table.model: table for table in tables}
    written = {
        (table.model, obj.pk)
        for table, instances in [*inserted, *[(t, after) for t, _before, after in updated]]
        for obj in instances
    }
    wanted: dict[tuple, set] = {}
    for table, instances in [*inserted, *[(t, after) for t, _before, after in updated]]:
        for field in table.fields:
            if not (field.many_to_one or field.one_to_one):
                continue
            target = table_of.get(field.related_model._meta.concrete_model)
            if target is None:
                continue
            by_pk = field.target_field.attname == target.fields[0].attname
            for obj in instances:
                value = getattr(obj, field.attname)
                if value is None or (by_pk and (target.model, value) in written):
                    continue
                wanted.setdefault((target, field.target_field.attname), set()).add(value)
    by_model: dict[type, set] = {}
    _wanted(keys, by_model)
    for model, pks in by_model.items():
        target = table_of[model._meta.concrete_model]
        outside = {pk for pk in pks if (target.model, pk) not in written}
        if outside:
            wanted.setdefault((target, target.fields[0].attname), set()).update(outside)
    return [
        (table, attname, values, _rows_for(table, values, using, by=attname))
        for (table, attname), values in wanted.items()
    ]


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


def _fetch(keys, using: str, written: dict | None = None):
    """The recorded result, each name an instance of its own. A row the replay has just written
    (`written`: the recorded instances, by model and primary key, read after the build) is
    a deep copy of the recorded instance: the same values as the row the replay wrote, and
    nothing shared with the recording or another test. Other rows are read back, one query per
    model instead of one per object (with the inserted rows' check as one query of EXISTS
    clauses, replaying the page tree and the access matrix's world went from 166 queries to
    107, session 33)."""
    written = written or {}
    by_model: dict[type, set] = {}
    _wanted(keys, by_model)
    found = {
        model: model._base_manager.using(using).in_bulk(list(outside))
        for model, pks in by_model.items()
        if (outside := [pk for pk in pks if (model, pk) not in written])
    }
    handed_out: set = set()

    def instance(keys):
        if isinstance(keys, dict):
            return {name: instance(value) for name, value in keys.items()}
        model, pk = keys
        if keys in written:
            return copy.deepcopy(written[keys])
        if pk not in found[model]:
            raise model.DoesNotExist(f"{model._meta.label} {pk} is gone")
        obj = found[model][pk]
        if keys in handed_out:
            obj = copy.copy(obj)
        handed_out.add(keys)
        return obj

    return instance(keys)


def _sql(queryset, using: str) -> tuple[str, tuple]:
    return queryset.query.get_compiler(using).as_sql()


# The md5 of a row set's text, ordered by the text itself: the same rows give the same md5
# whatever order the scan returns them in.
_DIGEST = (
    "(SELECT md5(string_agg(replay_row::text, '|' ORDER BY replay_row::text))"
    " FROM ({rows}) AS replay_row)"
)


def _batched(connection) -> bool:
    """PostgreSQL: the check compares md5s, the writes go as one statement. Elsewhere (SQLite,
    where recordings are refused today) the rows are compared in Python at every check and
    the writes go one statement each; tests/test_replay.py runs that path on PostgreSQL too."""
    return connection.vendor == "postgresql"


def _compile(recording: _Recording, using: str) -> _Compiled:
    connection = connections[using]
    batched = _batched(connection)
    exists, exists_params = [], []
    for table, instances in recording.inserted:
        manager = table.model._base_manager.using(using)
        query, params = _sql(
            manager.filter(pk__in=[obj.pk for obj in instances]).values("pk"), using
        )
        exists.append(f"EXISTS ({query})")
        exists_params.extend(params)
    compared = [
        (table, table.fields[0].attname, list(before), before)
        for table, before, _after in recording.updated
    ] + [(table, by, list(values), rows) for table, by, values, rows in recording.referenced]
    digest_sql, digest_params = [], []
    if batched:
        for table, by, values, _rows in compared:
            query, params = _sql(_rows_queryset(table, values, using, by), using)
            digest_sql.append(_DIGEST.format(rows=query))
            digest_params.extend(params)
    writes, rows = [], {}
    for table, instances in recording.inserted:
        # raw: the values as recorded (no auto_now, no defaults); no signals.
        insert = sql.InsertQuery(table.model)
        insert.insert_values(table.fields, instances, raw=True)
        writes.extend(insert.get_compiler(using=using).as_sql())
        rows.setdefault(table.model, []).extend(instances)
    for table, _before, instances in recording.updated:
        for obj in instances:
            manager = table.model._base_manager.using(using)
            update = manager.filter(pk=obj.pk).query.chain(sql.UpdateQuery)
            update.add_update_values({f.attname: getattr(obj, f.attname) for f in table.fields[1:]})
            if update.related_updates:  # a parent table's columns: not among a table's fields
                raise ValueError(f"{table.model._meta.label}: an update of another table")
            writes.append(update.get_compiler(using=using).as_sql())
        rows.setdefault(table.model, []).extend(instances)
    write_sql = None
    if batched:
        # Django's client-side binding cursor (psycopg's ClientCursor, the default without
        # server_side_binding) sends several statements in one execute when it has no
        # parameters to bind: the values bound here once, as psycopg binds them.
        connection.ensure_connection()
        write_sql = ";\n".join(
            connection.ops.compose_sql(query, params) for query, params in writes
        )
    return _Compiled(
        exists=exists,
        exists_params=exists_params,
        compared=compared,
        digest_sql=digest_sql,
        digest_params=digest_params,
        digests=None,
        writes=writes,
        write_sql=write_sql,
        rows={model: tuple(instances) for model, instances in rows.items()},
        written={(obj.__class__, obj.pk): obj for objs in rows.values() for obj in objs},
    )


def _can_replay(recording: _Recording, using: str, absent=()) -> bool:
    """One query: whether a row the recording inserts, or one of `absent`, is there (EXISTS
    clauses, instead of one .exists() each: 53 queries for the page tree and the world, then
    4), and on PostgreSQL the md5 of each row set the recording compares. Until those md5s are
    known (the first replay) and on SQLite, the rows are compared in Python, a query each."""
    if recording.compiled is None:
        recording.compiled = _compile(recording, using)
    compiled = recording.compiled
    exists, params = list(compiled.exists), list(compiled.exists_params)
    for queryset in absent:
        query, more = _sql(queryset.values("pk"), using)
        exists.append(f"EXISTS ({query})")
        params.extend(more)
    columns = [" OR ".join(exists) or "FALSE", *compiled.digest_sql]
    connection = connections[using]
    with connection.cursor() as cursor:
        # SQL that Django compiled from querysets, with their parameters kept apart.
        cursor.execute("SELECT " + ", ".join(columns), [*params, *compiled.digest_params])
        found, *digests = cursor.fetchone()
    if found:
        return False
    if compiled.digests is not None:
        # The same text as when the rows were found equal to the recorded ones: equal still.
        return digests == compiled.digests
    for table, by, values, rows in compiled.compared:
        if _rows_for(table, values, using, by=by) != rows:
            return False
    if compiled.digest_sql:
        compiled.digests = digests  # read in this transaction, before the comparison above
    return True


def _rows_queryset(table: _Table, pks, using: str, by: str):
    attnames = [field.attname for field in table.fields]
    if by not in attnames:  # a field of a parent table (multi-table inheritance): not expected
        raise ValueError(f"{table.model._meta.label} has no column {by}")
    queryset = table.model._base_manager.using(using).filter(**{f"{by}__in": list(pks)})
    return queryset.order_by().values_list(*attnames)


def _rows_for(table: _Table, pks, using: str, *, by: str | None = None) -> dict:
    """The rows whose primary key (or the field `by`) is one of `pks`, keyed by it."""
    by = by or table.fields[0].attname
    position = [field.attname for field in table.fields].index(by)
    return {row[position]: row for row in _rows_queryset(table, pks, using, by)}


def _replay(recording: _Recording, using: str) -> dict[type, tuple]:
    """Write the recording's rows; returns them, by model, for after_replay, which reads them
    and never changes them (they are the recording's own: handing out copies cost a copy of
    every row at every replay)."""
    compiled = recording.compiled
    # Without a savepoint of its own (SAVEPOINT and RELEASE were 10 of the 42 queries of
    # kommun_a, enhet_a, ny, mentor and chef replayed): a replay that fails fails the test,
    # whose transaction it then leaves for rollback; in a transactional test it is one.
    with transaction.atomic(using=using, savepoint=False), connections[using].cursor() as cursor:
        if compiled.write_sql is not None:
            # One query for Django's query log (CaptureQueriesContext), whatever the tables:
            # replays run in fixtures, before a test's own counting starts.
            cursor.execute(compiled.write_sql)
        else:
            for query, params in compiled.writes:
                cursor.execute(query, params)
    return compiled.rows


def page_tree_replayed(rows: dict | None = None) -> None:
    """What content/signals.py and Wagtail's Site signals do on saving pages and sites, besides
    writing rows (the replay writes those, without signals); and for the people among the rows
    (the access matrix's world has both), what people_replayed does."""
    from wagtail.models import Site

    from content.outline import forget_outlines

    forget_outlines()
    Site.clear_site_root_paths_cache()
    if rows:
        people_replayed(rows)


def people_replayed(rows: dict) -> None:
    """What the post_save receivers of Membership do besides writing rows (the replay writes
    the outbox row learning/signals.py writes): people/chrome.py forgets the person's cached
    navigation now and again after the commit, and core.outbox.enqueue hands each new row to
    the broker after the commit. Inside a test's transaction the after-commit work never runs,
    as with a real build; in a transactional test it runs at once, as with a real build. The
    other receivers of the cast's models (Wagtail's locale, content/signals.py) do nothing for
    them."""
    from core import outbox
    from core.models import OutboxMessage
    from people.chrome import forget_nav
    from people.models import Membership

    for user_id in sorted({membership.user_id for membership in rows.get(Membership, ())}):
        forget_nav(user_id)
    for message in rows.get(OutboxMessage, ()):
        if message.status == OutboxMessage.Status.PENDING:
            transaction.on_commit(functools.partial(outbox.deliver_soon, message.pk))


def replayable(key: str) -> bool:
    """Whether the first build of `key` in this process left a recording to replay (a build
    that deletes rows or writes a table no model describes leaves none, and is built again for
    every test)."""
    return _recordings.get(key) is not None


def _count_as(key: str, outcome: str) -> None:
    stats[outcome] += 1
    counts = stats_by_key.setdefault(key, {"built": 0, "replayed": 0})
    counts[outcome] += 1


def build_once(key: str, build: Callable, *, after_replay: Callable = lambda rows: None, absent=()):
    """build() the first time in this process, recording what it writes; afterwards replay the
    recording when the database is where the recording started, then after_replay(rows) with
    the rows it wrote (by model), and build() otherwise.

    `absent`: querysets of what the build looks up before it writes (a get_or_create's lookup,
    Kommun A by name): the recording is replayed only when none of them finds a row, as when it
    was recorded (a build that found its row records nothing, below); otherwise the build
    would have used the row it found, and a replay would write a second one."""
    using = DEFAULT_DB_ALIAS
    recording = _recordings.get(key)
    if ENABLED and recording is not None and _can_replay(recording, using, absent):
        rows = _replay(recording, using)
        after_replay(rows)
        _count_as(key, "replayed")
        return _fetch(recording.result, using, recording.compiled.written)
    _count_as(key, "built")
    if not ENABLED or key in _recordings:
        return build()
    result, recording = _record(build, using)
    # A build that found its rows there already (a get_or_create of a Kommun A another fixture
    # made) has nothing to replay: the next build may be the one to record.
    if recording is None or recording.inserted:
        _recordings[key] = recording
    return result
