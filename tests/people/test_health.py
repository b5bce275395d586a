"""The health check (/halsa/) says "ok" only when the database answers and accepts writes."""

import pytest
from django.db import connection

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL=postgres://…): its read-only switches",
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query_only")


def _run(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.django_db
def test_a_writable_database_is_healthy(client):
    response = client.get("/halsa/")
    assert response.status_code == 200
    assert response.content == b"ok"


@on_postgres
@pytest.mark.django_db
def test_read_only_transactions_make_the_site_unhealthy(client):
    # The view uses the test's own connection and transaction: from here on it is read-only,
    # as on a hot standby or with `SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`.
    _run("SET LOCAL transaction_read_only = on")
    response = client.get("/halsa/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


@on_postgres
@pytest.mark.django_db
def test_a_database_set_read_only_by_default_is_unhealthy(client):
    # What `ALTER DATABASE … SET default_transaction_read_only = on` gives every new session.
    _run("SET LOCAL default_transaction_read_only = on")
    assert client.get("/halsa/").status_code == 503


@on_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_made_read_only_is_unhealthy_until_it_is_writable_again(client):
    _run("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    try:
        assert client.get("/halsa/").status_code == 503
    finally:
        _run("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")
    assert client.get("/halsa/").status_code == 200


@on_sqlite
@pytest.mark.django_db
def test_a_query_only_sqlite_database_is_unhealthy(client):
    _run("PRAGMA query_only = ON")
    try:
        assert client.get("/halsa/").status_code == 503
    finally:
        _run("PRAGMA query_only = OFF")
    assert client.get("/halsa/").status_code == 200
