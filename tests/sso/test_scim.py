"""SCIM 2.0 provisioning (sso/scim): a municipality's token sees and changes only its own
people; creates, updates and deletes go through the staff pages' services; bad input is a
SCIM error with nothing half-saved; Entra ID's ways of saying things are understood."""

import json

import pytest
from django.core import mail
from django.test import Client

from core.models import OutboxMessage
from people.models import AuditEvent, Membership, Role, User
from sso.models import (
    DirectoryGroup,
    DirectorySync,
    EmailDomain,
    IdentityProvider,
    Protocol,
    ScimToken,
)
from sso.scim.services import create_scim_token, hash_token, revoke_scim_token
from tests.factories import UnitFactory
from tests.mentoring.factories import CaseFactory, person

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


class Scim:
    """A SCIM client with one municipality's token, speaking JSON as Entra ID does."""

    def __init__(self, raw: str):
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def _call(self, method, path, body=None, raw_body=None, **extra):
        data = raw_body if raw_body is not None else (json.dumps(body) if body else "")
        response = getattr(self.client, method)(
            f"/scim/v2/{path}", data=data, content_type="application/scim+json", **extra
        )
        response.json_body = json.loads(response.content) if response.content else None
        return response

    def get(self, path, **params):
        response = self.client.get(f"/scim/v2/{path}", params)
        response.json_body = json.loads(response.content) if response.content else None
        return response

    def post(self, path, body=None, **kw):
        return self._call("post", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self._call("put", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self._call("patch", path, body, **kw)

    def delete(self, path):
        return self._call("delete", path)


def _token(admin, organisation) -> str:
    _row, raw = create_scim_token(admin, organisation_id=organisation.pk, label="Entra ID")
    return raw


@pytest.fixture
def scim_a(kommunadmin, kommun_a, enhet_a):
    DirectorySync.objects.create(organisation=kommun_a, default_unit=enhet_a)
    return Scim(_token(kommunadmin, kommun_a))


@pytest.fixture
def scim_b(kommunadmin_b, kommun_b, enhet_b):
    DirectorySync.objects.create(organisation=kommun_b, default_unit=enhet_b)
    return Scim(_token(kommunadmin_b, kommun_b))


def new_user(email="sara@kommun-a.se", name="Sara Socialsekreterare", **extra):
    body = {
        "schemas": [USER, ENTERPRISE],
        "userName": email,
        "active": True,
        "displayName": name,
        "name": {"givenName": name.split()[0], "familyName": name.split()[-1]},
        "emails": [{"primary": True, "type": "work", "value": email}],
        "externalId": "0f6e3c1a-1111-2222-3333-444455556666",
    }
    body.update(extra)
    return body


def _error(response, status, scim_type=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/scim+json"
    body = json.loads(response.content)
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    if scim_type:
        assert body["scimType"] == scim_type
    return body["detail"]


# --------------------------------------------------------------------------------------------
# Tokens: created and revoked by the municipal admin, stored hashed, fail closed
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_token_is_stored_hashed_and_audited(kommunadmin, kommun_a):
    row, raw = create_scim_token(kommunadmin, organisation_id=kommun_a.pk, label="Entra ID")
    assert len(raw) >= 40
    assert row.token_hash == hash_token(raw) and raw not in row.token_hash
    assert not ScimToken.objects.filter(token_hash=raw).exists()
    assert AuditEvent.objects.filter(object_type="sso.scimtoken", object_id=str(row.pk)).exists()


@pytest.mark.django_db
def test_no_token_a_wrong_one_or_a_revoked_one_gets_401(scim_a, kommunadmin, ny):
    anonymous = Client()
    response = anonymous.get("/scim/v2/Users")
    assert "Bearer" in response["WWW-Authenticate"]
    _error(response, 401)
    _error(Scim("not-a-token").get("Users"), 401)
    assert scim_a.get("Users").status_code == 200
    revoke_scim_token(kommunadmin, token=ScimToken.objects.get())
    _error(scim_a.get("Users"), 401)


@pytest.mark.django_db
def test_a_logged_in_session_is_no_token(client, kommunadmin, scim_a):
    client.force_login(kommunadmin)
    _error(client.get("/scim/v2/Users"), 401)


@pytest.mark.django_db
def test_a_token_stops_when_its_admin_is_no_longer_admin(scim_a, kommunadmin):
    Membership.objects.filter(user=kommunadmin, role=Role.MUNICIPAL_ADMIN).delete()
    _error(scim_a.get("Users"), 401)


@pytest.mark.django_db
def test_only_the_municipalitys_admin_creates_a_token(kommunadmin_b, kommun_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        create_scim_token(kommunadmin_b, organisation_id=kommun_a.pk, label="x")


# --------------------------------------------------------------------------------------------
# One municipality's token never reaches another's people
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_token_of_a_never_reads_or_changes_bs_people(scim_a, scim_b, ny, utomstaende):
    listed = scim_a.get("Users").json_body
    emails = {r["userName"] for r in listed["Resources"]}
    assert ny.email in emails and utomstaende.email not in emails
    _error(scim_a.get(f"Users/{utomstaende.pk}"), 404)
    found = scim_a.get("Users", filter=f'userName eq "{utomstaende.email}"').json_body
    assert found["totalResults"] == 0 and found["Resources"] == []
    replace = {
        "schemas": [PATCH],
        "Operations": [{"op": "Replace", "path": "active", "value": False}],
    }
    _error(scim_a.patch(f"Users/{utomstaende.pk}", replace), 404)
    _error(scim_a.put(f"Users/{utomstaende.pk}", new_user(email=utomstaende.email)), 404)
    _error(scim_a.delete(f"Users/{utomstaende.pk}"), 404)
    utomstaende.refresh_from_db()
    assert utomstaende.is_active
    # And B's token sees B's person, not A's.
    assert scim_b.get(f"Users/{utomstaende.pk}").status_code == 200
    _error(scim_b.get(f"Users/{ny.pk}"), 404)


@pytest.mark.django_db
def test_a_token_of_a_never_sees_bs_groups_nor_adds_bs_people(scim_a, scim_b, utomstaende):
    created = scim_b.post("Groups", {"schemas": [GROUP], "displayName": "Mentorer B"})
    assert created.status_code == 201
    _error(scim_a.get(f"Groups/{created.json_body['id']}"), 404)
    assert scim_a.get("Groups").json_body["totalResults"] == 0
    body = {
        "schemas": [GROUP],
        "displayName": "Mentor",
        "members": [{"value": str(utomstaende.pk)}],
    }
    _error(scim_a.post("Groups", body), 400, "invalidValue")
    assert not DirectoryGroup.objects.filter(organisation__name="Kommun A").exists()


# --------------------------------------------------------------------------------------------
# Create, update, delete through the staff pages' services
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_create_invites_into_the_unit_of_the_mapped_attribute(scim_a, enhet_a, kommun_a):
    other = UnitFactory(organisation=kommun_a, name="Vuxen – försörjningsstöd")
    body = new_user()
    body[ENTERPRISE] = {"department": "Vuxen – försörjningsstöd"}
    response = scim_a.post("Users", body)
    assert response.status_code == 201, response.content
    created = User.objects.get(email="sara@kommun-a.se")
    assert created.full_name == "Sara Socialsekreterare" and created.is_invited
    membership = created.memberships.get()
    assert (membership.unit, membership.role) == (other, Role.SOCIAL_SECRETARY)
    assert response["Location"].endswith(f"/scim/v2/Users/{created.pk}")
    assert response.json_body["externalId"] == body["externalId"]
    assert response.json_body[ENTERPRISE]["department"] == "Vuxen – försörjningsstöd"
    # The invitation went out through the outbox, as from the staff page.
    assert OutboxMessage.objects.filter(
        handler="people.tasks.invitation_email", recipient_id=created.pk
    ).exists()
    assert AuditEvent.objects.filter(object_id=str(created.pk), summary__contains="SCIM").exists()
    # Entra ID then looks the person up exactly so.
    found = scim_a.get("Users", filter='userName eq "SARA@kommun-a.se"').json_body
    assert [r["id"] for r in found["Resources"]] == [str(created.pk)]
    by_external = scim_a.get("Users", filter=f'externalId eq "{body["externalId"]}"').json_body
    assert by_external["totalResults"] == 1


@pytest.mark.django_db
def test_entra_patch_replace_with_and_without_path(scim_a, ny, kommun_a, enhet_a):
    other = UnitFactory(organisation=kommun_a, name="Familjehem")
    body = {
        "schemas": [PATCH],
        "Operations": [
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "nina@example.org"},
            {
                "op": "Replace",
                "value": {"displayName": "Nina Ny-Namn", f"{ENTERPRISE}:department": "Familjehem"},
            },
        ],
    }
    response = scim_a.patch(f"Users/{ny.pk}", body)
    assert response.status_code == 200, response.content
    ny.refresh_from_db()
    assert (ny.full_name, ny.email) == ("Nina Ny-Namn", "nina@example.org")
    assert ny.memberships.get().unit == other
    # change_membership wrote its line, as from the staff page.
    assert AuditEvent.objects.filter(action="role_change", details__unit="Familjehem").exists()


@pytest.mark.django_db
def test_entra_active_false_as_a_string_deactivates(scim_a, ny):
    body = {
        "schemas": [PATCH],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
    }
    response = scim_a.patch(f"Users/{ny.pk}", body)
    assert response.status_code == 200, response.content
    assert response.json_body["active"] is False
    ny.refresh_from_db()
    assert not ny.is_active
    assert AuditEvent.objects.filter(object_id=str(ny.pk), summary="Avaktiverad").exists()
    body["Operations"][0]["value"] = "True"
    scim_a.patch(f"Users/{ny.pk}", body)
    ny.refresh_from_db()
    assert ny.is_active


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_open_work_refuses_deactivation_and_tells_the_admin(scim_a, ny, kommunadmin, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    CaseFactory(holder=ny)
    body = {"schemas": [PATCH], "Operations": [{"op": "Replace", "path": "active", "value": False}]}
    detail = _error(scim_a.patch(f"Users/{ny.pk}", body), 400, "mutability")
    assert "öppet arbete" in detail
    _error(scim_a.delete(f"Users/{ny.pk}"), 400, "mutability")
    ny.refresh_from_db()
    assert ny.is_active
    rows = OutboxMessage.objects.filter(handler="sso.tasks.directory_refusal_email")
    # Once a day per person and admin, however often the directory retries.
    assert rows.count() == 1 and rows.get().recipient_id == kommunadmin.pk
    told = [m for m in mail.outbox if m.to == [kommunadmin.email]]
    assert len(told) == 1 and "Ny Testsson" in told[0].subject
    assert f"/personal/{ny.pk}/" in told[0].body  # the leaver page
    assert scim_a.get(f"Users/{ny.pk}").json_body["active"] is True


@pytest.mark.django_db
def test_delete_deactivates_and_hides_and_a_new_create_brings_them_back(scim_a, ny):
    assert scim_a.delete(f"Users/{ny.pk}").status_code == 204
    ny.refresh_from_db()
    assert not ny.is_active and ny.memberships.exists()
    _error(scim_a.get(f"Users/{ny.pk}"), 404)
    again = scim_a.post("Users", new_user(email=ny.email, name="Ny Testsson"))
    assert again.status_code == 201, again.content
    assert again.json_body["id"] == str(ny.pk)
    ny.refresh_from_db()
    assert ny.is_active


@pytest.mark.django_db
def test_a_group_that_maps_to_no_role_changes_no_role(scim_a, chef, kommunadmin):
    body = {
        "schemas": [GROUP],
        "displayName": "Alla anställda",
        "members": [{"value": str(chef.pk)}, {"value": str(kommunadmin.pk)}],
    }
    assert scim_a.post("Groups", body).status_code == 201
    assert chef.memberships.get().role == Role.MANAGER


@pytest.mark.django_db
def test_groups_map_to_roles(scim_a, ny, kommun_a):
    response = scim_a.post(
        "Groups", {"schemas": [GROUP], "displayName": "Mentor", "members": [{"value": str(ny.pk)}]}
    )
    assert response.status_code == 201, response.content
    assert ny.memberships.get().role == Role.MENTOR
    remove = {
        "schemas": [PATCH],
        "Operations": [{"op": "Remove", "path": f'members[value eq "{ny.pk}"]'}],
    }
    assert scim_a.patch(f"Groups/{response.json_body['id']}", remove).status_code == 200
    assert ny.memberships.get().role == Role.SOCIAL_SECRETARY
    # A written mapping (by the group's id in the directory) wins over the names.
    sync = DirectorySync.objects.get(organisation=kommun_a)
    sync.group_roles = "aad-chefer = manager"
    sync.save()
    chefer = scim_a.post(
        "Groups",
        {
            "schemas": [GROUP],
            "displayName": "Chefer IFO",
            "externalId": "aad-chefer",
            "members": [{"value": str(ny.pk)}],
        },
    )
    assert chefer.status_code == 201
    assert ny.memberships.get().role == Role.MANAGER
    assert scim_a.get(f"Users/{ny.pk}").json_body["groups"][0]["display"] == "Chefer IFO"


# --------------------------------------------------------------------------------------------
# Bad input: a SCIM error and nothing half-saved
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_malformed_json_is_invalid_syntax(scim_a):
    _error(scim_a.post("Users", raw_body="{not json"), 400, "invalidSyntax")
    _error(scim_a.post("Users", raw_body="[1, 2]"), 400, "invalidSyntax")
    assert not User.objects.filter(email__endswith="kommun-a.se").exists()


@pytest.mark.django_db
def test_unknown_attributes_are_refused(scim_a, ny):
    _error(scim_a.post("Users", new_user(favouriteColour="blå")), 400)
    assert not User.objects.filter(email="sara@kommun-a.se").exists()
    bad_patch = {
        "schemas": [PATCH],
        "Operations": [{"op": "Replace", "path": "shoeSize", "value": 42}],
    }
    _error(scim_a.patch(f"Users/{ny.pk}", bad_patch), 400)


@pytest.mark.django_db
def test_a_personal_identity_number_in_a_name_is_refused(scim_a, ny):
    detail = _error(scim_a.post("Users", new_user(name="Sara 121212-1212")), 400, "invalidValue")
    assert "personnummer" in detail
    assert not User.objects.filter(email="sara@kommun-a.se").exists()
    # A PATCH that would also change the unit leaves the unit as it was.
    body = {
        "schemas": [PATCH],
        "Operations": [
            {"op": "Replace", "path": "displayName", "value": "Nina 19121212-1212"},
            {"op": "Replace", "path": "active", "value": False},
        ],
    }
    _error(scim_a.patch(f"Users/{ny.pk}", body), 400, "invalidValue")
    ny.refresh_from_db()
    assert ny.is_active and "1212" not in ny.full_name


@pytest.mark.django_db
def test_an_email_of_another_municipalitys_domain_is_refused(scim_a, kommun_b, enhet_b):
    idp = IdentityProvider.objects.create(
        organisation=kommun_b, slug="kommun-b", protocol=Protocol.OIDC, default_unit=enhet_b
    )
    EmailDomain.objects.create(identity_provider=idp, domain="kommun-b.se")
    detail = _error(scim_a.post("Users", new_user(email="bo@kommun-b.se")), 400, "invalidValue")
    assert "annan kommuns domän" in detail
    assert not User.objects.filter(email="bo@kommun-b.se").exists()


@pytest.mark.django_db
def test_an_address_already_in_use_is_a_uniqueness_conflict(scim_a, utomstaende):
    _error(scim_a.post("Users", new_user(email=utomstaende.email)), 409, "uniqueness")


@pytest.mark.django_db
def test_an_unknown_unit_is_refused_and_nothing_is_created(scim_a):
    body = new_user()
    body[ENTERPRISE] = {"department": "Finns inte"}
    detail = _error(scim_a.post("Users", body), 400, "invalidValue")
    assert "Finns inte" in detail
    assert not User.objects.filter(email="sara@kommun-a.se").exists()


@pytest.mark.django_db
def test_a_bad_filter_is_invalid_filter(scim_a):
    _error(scim_a.get("Users", filter='userName eq "x'), 400, "invalidFilter")
    _error(scim_a.get("Users", filter='shoeSize eq "42"'), 400, "invalidFilter")


@pytest.mark.django_db
def test_errors_are_in_english_when_asked(scim_a):
    response = scim_a.post("Users", new_user(name="Sara 121212-1212"), HTTP_ACCEPT_LANGUAGE="en")
    assert "personal identity" in _error(response, 400).lower()


# --------------------------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_discovery_endpoints(scim_a):
    config = scim_a.get("ServiceProviderConfig").json_body
    assert config["patch"]["supported"] is True and config["filter"]["supported"] is True
    types = scim_a.get("ResourceTypes").json_body
    assert {r["id"] for r in types["Resources"]} == {"User", "Group"}
    schemas = scim_a.get("Schemas").json_body
    assert USER in {s["id"] for s in schemas["Resources"]}
    assert scim_a.get(f"Schemas/{USER}").json_body["id"] == USER
    _error(scim_a.get("Schemas/urn:nothing"), 404)


# --------------------------------------------------------------------------------------------
# The admin's page: tokens created (shown once) and revoked; settings saved
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_admin_creates_a_token_sees_it_once_and_revokes_it(client, kommunadmin, kommun_a):
    from django.urls import reverse

    client.force_login(kommunadmin)
    url = reverse("sso:directory")
    page = client.post(url, {"action": "token", "label": "Entra ID"})
    assert page.status_code == 200
    raw = page.context["new_token"]
    token = ScimToken.objects.get(organisation=kommun_a)
    assert token.token_hash == hash_token(raw)
    assert Scim(raw).get("Users").status_code == 200
    again = client.get(url)
    assert raw not in again.content.decode()
    client.post(reverse("sso:revoke_token", kwargs={"token_id": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is not None
    _error(Scim(raw).get("Users"), 401)


@pytest.mark.django_db
def test_an_admin_of_b_cannot_revoke_as_token_of_a(client, kommunadmin, kommunadmin_b, kommun_a):
    from django.urls import reverse

    token, _raw = create_scim_token(kommunadmin, organisation_id=kommun_a.pk, label="Entra")
    client.force_login(kommunadmin_b)
    response = client.post(reverse("sso:revoke_token", kwargs={"token_id": token.pk}))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_the_admin_saves_the_mapping_and_a_bad_line_is_a_form_error(
    client, kommunadmin, kommun_a, enhet_a
):
    from django.urls import reverse

    client.force_login(kommunadmin)
    url = reverse("sso:directory")
    bad = client.post(
        url, {"action": "settings", "unit_attribute": "division", "group_roles": "x = kung"}
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    assert not DirectorySync.objects.exists()
    good = client.post(
        url,
        {
            "action": "settings",
            "unit_attribute": "division",
            "default_unit": enhet_a.pk,
            "group_roles": "mentorer = mentor",
        },
    )
    assert good.status_code == 302
    sync = DirectorySync.objects.get(organisation=kommun_a)
    assert (sync.unit_attribute, sync.default_unit) == ("division", enhet_a)


@pytest.mark.django_db
def test_the_directory_page_runs_the_same_queries_for_one_token_and_many(
    client, kommunadmin, kommun_a
):
    from django.urls import reverse

    from tests.queries import exact_queries

    client.force_login(kommunadmin)
    url = reverse("sso:directory")
    create_scim_token(kommunadmin, organisation_id=kommun_a.pk, label="1")
    client.get(url)
    with exact_queries(DIRECTORY_QUERIES):
        assert client.get(url).status_code == 200
    for n in range(10):
        create_scim_token(kommunadmin, organisation_id=kommun_a.pk, label=f"n{n}")
    with exact_queries(DIRECTORY_QUERIES):
        assert client.get(url).status_code == 200


# Session, user, memberships, the municipality, its directory settings, its tokens with their
# creators, the site and two page lookups of the base template's menu, the unit choices.
DIRECTORY_QUERIES = 7  # before the cached chrome (issue 23): 10


@pytest.mark.django_db
def test_the_user_list_runs_the_same_queries_for_one_person_and_many(scim_a, enhet_a):
    from tests.queries import exact_queries

    person(enhet_a, email="en@kommun-a.se")
    scim_a.get("Users")
    with exact_queries(USER_LIST_QUERIES):
        before = scim_a.get("Users").json_body["totalResults"]  # the admin and this person
    for n in range(20):
        person(enhet_a, email=f"p{n}@kommun-a.se")
    with exact_queries(USER_LIST_QUERIES):
        assert scim_a.get("Users").json_body["totalResults"] == before + 20


# The token (with its creator and municipality), the creator's memberships (still admin?), the
# mapping, the count, the page, its unit memberships and its directory groups, and the
# savepoint around the request and its release.
USER_LIST_QUERIES = 9
