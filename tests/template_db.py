"""The PostgreSQL test databases, migrated once and cloned for each pytest-xdist worker.

Running the ~250 migrations cost each worker 133-140 s under load, and every worker ran them at
the same time on two cores. Here the first worker to arrive migrates a template database, named
after a fingerprint of everything the migrations read (the migration files, the project modules
they import, the settings their data migrations use, the versions of the packages holding the
apps), and every worker starts from `CREATE DATABASE ... TEMPLATE`, a copy of a few seconds.
A later run with the same fingerprint reuses the template; a changed, added or removed migration
makes a new one (so CI on a clean clone migrates once, honestly), and `--create-db` always
migrates again.
After the copy the worker checks that Django finds no unapplied migration in it.

SQLite runs and `--reuse-db` runs keep pytest-django's own set-up (see tests/conftest.py)."""

import hashlib
import importlib.metadata
import inspect
import sys
from pathlib import Path

from django.conf import settings
from django.db import connections

# Template names: test_<database>_tpl_<fingerprint>; PostgreSQL names hold at most 63 bytes.
FINGERPRINT_LENGTH = 16
# Settings that data migrations read (Wagtail's initial locale, the role groups' names).
MIGRATION_SETTINGS = (
    "INSTALLED_APPS",
    "AUTH_USER_MODEL",
    "LANGUAGE_CODE",
    "LANGUAGES",
    "WAGTAIL_CONTENT_LANGUAGES",
    "WAGTAIL_I18N_ENABLED",
)


def is_postgresql(alias: str = "default") -> bool:
    return connections[alias].vendor == "postgresql"


def _project_file(value) -> Path | None:
    module = value if inspect.ismodule(value) else sys.modules.get(getattr(value, "__module__", ""))
    filename = getattr(module, "__file__", None)
    if not filename:
        return None
    path = Path(filename).resolve()
    base = Path(settings.BASE_DIR).resolve()
    if not path.is_relative_to(base) or "site-packages" in path.parts:
        return None
    return path


def migration_fingerprint() -> str:
    """A digest of what decides the migrated database's contents."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    files: set[Path] = set()
    names = []
    for key, migration in sorted(loader.disk_migrations.items()):
        names.append(".".join(key))
        module = sys.modules[migration.__module__]
        files.add(Path(module.__file__).resolve())
        # Project code a migration calls (people.migration_helpers, field validators, models).
        for value in vars(module).values():
            if (path := _project_file(value)) is not None:
                files.add(path)
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b"\n")
    for path in sorted(files):
        digest.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in MIGRATION_SETTINGS:
        digest.update(repr(getattr(settings, name, None)).encode() + b"\n")
    # The versions of the packages that hold the installed apps (their post_migrate handlers
    # create content types and permissions); other installed packages do not count.
    from django.apps import apps

    owners = importlib.metadata.packages_distributions()
    distributions = {
        f"{name}=={importlib.metadata.version(name)}"
        for app in apps.get_app_configs()
        for name in owners.get(app.name.partition(".")[0], ())
    }
    digest.update("\n".join(sorted(distributions)).encode())
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def _template_prefix(connection) -> str:
    # The base name without the xdist suffix, so every worker shares one template.
    base = connection.settings_dict["NAME"]
    return f"test_{base}_tpl_"


def _lock_key(prefix: str) -> int:
    return int.from_bytes(hashlib.sha256(prefix.encode()).digest()[:8], "big", signed=True)


def _migrate_template(connection, template: str, verbosity: int) -> None:
    """Migrate a new database under a temporary name and rename it only when complete, so an
    interrupted run never leaves a half-migrated template behind."""
    creation = connection.creation
    building = template[:-1] + "_"  # same length, never a finished template's name
    old_name = connection.settings_dict["NAME"]
    old_test_name = connection.settings_dict["TEST"].get("NAME")
    connection.settings_dict["TEST"]["NAME"] = building
    try:
        creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = old_name
        settings.DATABASES[connection.alias]["NAME"] = old_name
        connection.settings_dict["TEST"]["NAME"] = old_test_name
    with creation._nodb_cursor() as cursor:
        cursor.execute(
            f"ALTER DATABASE {_q(connection, building)} RENAME TO {_q(connection, template)}"
        )


def _q(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def _existing(cursor, prefix: str) -> list[str]:
    like = prefix.replace("_", r"\_") + "%"
    cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [like])
    return [row[0] for row in cursor.fetchall()]


def _built_by(cursor, template: str) -> str | None:
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [template],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def setup_from_template(alias: str, *, verbosity: int, rebuild: bool, serialize: bool, run_id: str):
    """Create this worker's test database as a copy of the migrated template (migrating the
    template first when it is missing, stale or `rebuild` is asked for). Returns the original
    database name, for `teardown`."""
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[alias]
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    worker_db = creation._get_test_db_name()
    prefix = _template_prefix(connection)
    template = prefix + migration_fingerprint()
    assert len(template.encode()) <= 63, template

    # One process at a time: the first migrates, the others wait and then copy.
    with creation._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_lock_key(prefix)])
        try:
            existing = _existing(cursor, prefix)
            # --create-db: migrate again, but once per run, not once per worker.
            stale = rebuild and _built_by(cursor, template) != run_id
            if stale or template not in existing:
                for name in existing:  # stale templates, or a build a killed run left
                    cursor.execute(f"DROP DATABASE IF EXISTS {_q(connection, name)}")
                connection.close()
                if verbosity >= 1:
                    sys.stderr.write(f"Migrating the template test database {template}...\n")
                _migrate_template(connection, template, verbosity)
                assert run_id.isalnum(), run_id  # hex, safe to quote as a literal
                cursor.execute(f"COMMENT ON DATABASE {_q(connection, template)} IS '{run_id}'")
            cursor.execute(f"DROP DATABASE IF EXISTS {_q(connection, worker_db)}")
            cursor.execute(
                f"CREATE DATABASE {_q(connection, worker_db)} TEMPLATE {_q(connection, template)}"
            )
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(prefix)])

    connection.close()
    connection.settings_dict["NAME"] = worker_db
    settings.DATABASES[alias]["NAME"] = worker_db
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert not unapplied, f"the template {template} lacks migrations: {unapplied}"
    if serialize:
        connection._test_serialized_contents = creation.serialize_db_to_string()
    return old_name


def teardown(alias: str, old_name: str, *, verbosity: int) -> None:
    connections[alias].creation.destroy_test_db(old_name, verbosity, keepdb=False)
