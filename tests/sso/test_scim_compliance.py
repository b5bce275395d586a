"""Protocol compliance of the SCIM endpoint, checked by an independent checker (scim2-tester,
from the python-scim project) against a live server: discovery, then create, read, replace
and delete of Users and Groups with the values the checker makes up.

What the checker flags is printed (run with -s) and listed in the README ("Katalogsynk");
the checks below are those the endpoint passes, so a regression fails here."""

import httpx2
import pytest

from sso.models import DirectorySync
from sso.scim.services import create_scim_token

# Checks the endpoint is known to fail, by resource type and title, with why (README
# "Katalogsynk", the checker's findings). Anything else that fails is a regression.
_NO_EMAIL = (
    "the checker's made-up users have a random userName and no email address; an account "
    "here logs in with its address, so the endpoint refuses them (400 invalidValue), and "
    "every later check that needs a user fails with that"
)
KNOWN_FINDINGS: dict[tuple[str, str], str] = {
    **{
        ("User", title): _NO_EMAIL
        for title in (
            "object_creation",
            "object_query",
            "object_query_without_id",
            "object_query_with_attributes",
            "object_list_with_attributes",
            "search_with_attributes",
            "object_replacement",
            "object_deletion",
            "check_add_attribute",
            "check_remove_attribute",
            "check_replace_attribute",
        )
    },
    # The Group checks fill "members" with a made-up user first (see above).
    **{
        ("Group", title): _NO_EMAIL
        for title in (
            "object_query_with_attributes",
            "object_list_with_attributes",
            "search_with_attributes",
            "object_replacement",
            "check_add_attribute",
            "check_remove_attribute",
            "check_replace_attribute",
        )
    },
}


@pytest.fixture
def results(live_server, kommunadmin, kommun_a, enhet_a):
    # Imported here, not at the top: scim2-tester imports scim2-models, which costs every test
    # process that collects this file some 0.7 s of CPU (sso/scim/urls.py).
    from scim2_client.engines.httpx2 import SyncSCIMClient
    from scim2_tester import check_server

    DirectorySync.objects.create(organisation=kommun_a, default_unit=enhet_a)
    _row, raw = create_scim_token(kommunadmin, organisation_id=kommun_a.pk, label="checker")
    http = httpx2.Client(
        base_url=f"{live_server.url}/scim/v2",
        headers={"Authorization": f"Bearer {raw}"},
        timeout=30,
    )
    with http:
        return check_server(SyncSCIMClient(http))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_independent_checker_finds_nothing_new(results):
    from scim2_tester import Status

    failed = []
    for result in results:
        kind = result.resource_type or "-"
        line = f"{result.status.name:8} {kind:6} {result.title}: {result.reason}"
        print(line)  # noqa: T201 - the checker's report, for the README
        known = (result.resource_type, result.title) in KNOWN_FINDINGS
        if result.status in (Status.ERROR, Status.CRITICAL) and not known:
            failed.append(line)
    passed = {(r.resource_type, r.title) for r in results if r.status == Status.SUCCESS}
    # What must keep passing: discovery, the random URL, and a group's whole life.
    for must in [
        (None, "query_all_schemas"),
        (None, "query_all_resource_types"),
        (None, "random_url"),
        ("Group", "object_creation"),
        ("Group", "object_query"),
        ("Group", "object_query_without_id"),
        ("Group", "object_deletion"),
    ]:
        assert must in passed, must
    assert not failed, "\n".join(failed)
