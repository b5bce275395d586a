"""The SCIM 2.0 endpoint (/scim/v2/): token-authenticated, never by session, so CSRF does not
apply (csrf_exempt on the URLconf's callbacks, sso/scim/urls.py, only there) and neither does
the session's two-step verification (people.permissions.MFA_OPEN_URL_NAMES); without a valid
token every request gets 401. The URLconf imports this module on the first SCIM request.

Thin: parse with scim2-models, call one selector or service, serialise with scim2-models.
"""

import functools
import json

import pydantic
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from scim2_models import (
    Context,
    Error,
    Group,
    ListResponse,
    PatchOp,
    SCIMException,
)

from sso.scim import resources, selectors, services
from sso.scim.resources import ScimUser

CONTENT_TYPE = "application/scim+json"
UNAUTHORISED = _(
    "Ange kommunens SCIM-nyckel som Bearer-token. Nyckeln saknas, är fel eller återkallad."
)
NOT_FOUND = _("Resursen finns inte.")
BAD_JSON = _("Innehållet är inte giltig JSON: %(problem)s")
NOT_AN_OBJECT = _("Innehållet ska vara ett JSON-objekt.")
METHOD_NOT_ALLOWED = _("Metoden stöds inte här.")
BAD_PAGING = _("startIndex och count ska vara heltal.")


def _response(payload: dict | None, *, status: int = 200, location: str = "") -> HttpResponse:
    response = HttpResponse(
        b"" if payload is None else json.dumps(payload),
        status=status,
        content_type=CONTENT_TYPE,
    )
    if location:
        response["Location"] = location
    return response


def _error(status: int, detail, scim_type: str | None = None) -> HttpResponse:
    error = Error(status=status, scim_type=scim_type, detail=str(detail))
    response = _response(error.model_dump(), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="scim"'
    return response


def _validation_error(error: ValidationError) -> HttpResponse:
    messages = [str(m) for m in error.messages]
    codes = (
        {getattr(e, "code", None) for e in error.error_list}
        if hasattr(error, "error_list")
        else set()
    )
    if hasattr(error, "error_dict"):
        codes = {e.code for errors in error.error_dict.values() for e in errors}
    if "uniqueness" in codes:
        return _error(409, " ".join(messages), "uniqueness")
    return _error(400, " ".join(messages), "invalidValue")


def scim_endpoint(view):
    """Authenticate the token, run the view in one transaction, and answer every failure as a
    SCIM error in the request's language (Swedish unless the client asks for English)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        language = translation.get_language_from_request(request)
        with translation.override(language):
            header = request.headers.get("Authorization", "")
            scheme, _sep, raw = header.partition(" ")
            token = selectors.token_for(raw.strip()) if scheme.lower() == "bearer" else None
            if token is None:
                return _error(401, UNAUTHORISED)
            refusal = None
            try:
                with transaction.atomic():
                    return view(request, token, *args, **kwargs)
            except services.OpenWorkRefusedError as error:
                refusal = error
            except SCIMException as error:
                scim_error = error.to_error()
                return _error(scim_error.status or 400, scim_error.detail, scim_error.scim_type)
            except pydantic.ValidationError as error:
                first = Error.from_validation_errors(error)[0]
                return _error(400, first.detail, first.scim_type or "invalidValue")
            except ValidationError as error:
                return _validation_error(error)
            except Http404:
                return _error(404, NOT_FOUND)
            except PermissionDenied as error:
                return _error(403, str(error) or NOT_FOUND)
            # Told after the rollback, so the email is not rolled back with the refused change.
            detail = " ".join(str(m) for m in refusal.messages)
            if refusal.notify:
                services.tell_admins_of_refusal(token, person=refusal.person, detail=detail)
            return _error(400, detail, "mutability")

    return wrapped


def _body(request) -> dict:
    try:
        payload = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _syntax(BAD_JSON % {"problem": str(error)[:200]}) from error
    if not isinstance(payload, dict):
        raise _syntax(NOT_AN_OBJECT)
    return payload


def _syntax(detail) -> SCIMException:
    from scim2_models import InvalidSyntaxException

    return InvalidSyntaxException(detail=str(detail))


def _paging(request) -> tuple[int, int]:
    try:
        start = max(1, int(request.GET.get("startIndex", 1)))
        count = min(
            max(0, int(request.GET.get("count", resources.MAX_RESULTS))), resources.MAX_RESULTS
        )
    except ValueError as error:
        from scim2_models import InvalidValueException

        raise InvalidValueException(detail=str(BAD_PAGING)) from error
    return start, count


def _list(request, items, total: int, start: int, model) -> HttpResponse:
    listing = ListResponse[model](
        total_results=total, start_index=start, items_per_page=len(items), resources=items
    )
    return _response(listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE))


def _not_allowed() -> HttpResponse:
    return _error(405, METHOD_NOT_ALLOWED)


# --------------------------------------------------------------------------------------------
# Users
# --------------------------------------------------------------------------------------------
def _sync(token):
    """The municipality's mapping, read once per request (a list shows many people)."""
    if not hasattr(token, "scim_sync"):
        token.scim_sync = services.sync_for(token.organisation_id)
    return token.scim_sync


def _user(request, token, person) -> ScimUser:
    sync = _sync(token)
    memberships = getattr(person, "scim_unit_memberships", None)
    if memberships is None:
        membership = services.primary_membership(person, token.organisation_id)
        unit_name = membership.unit.name if membership and membership.unit else ""
    else:
        unit_name = memberships[0].unit.name if memberships and memberships[0].unit else ""
    groups = getattr(person, "scim_groups", None)
    if groups is None:
        groups = person.directory_groups.filter(organisation_id=token.organisation_id)
    return resources.user_resource(
        person,
        request=request,
        unit_attribute=sync.unit_attribute,
        unit_name=unit_name,
        groups=groups,
    )


def _fresh_user(request, token, person) -> ScimUser:
    return _user(request, token, selectors.get_person_for(token, resource_id=str(person.pk)))


def _desired(token, resource: ScimUser) -> dict:
    sync = _sync(token)
    return {
        "email": resources.email_in(resource),
        "full_name": resources.full_name_in(resource),
        "unit_name": resources.unit_name_in(resource, sync.unit_attribute),
        "active": resource.active,
        "external_id": resource.external_id,
    }


@scim_endpoint
def users(request, token):
    if request.method == "GET":
        start, count = _paging(request)
        people = selectors.people_for(token)
        text = request.GET.get("filter", "").strip()
        if text:
            scim_filter = resources.parse_filter(text, ScimUser)
            narrowed = resources.filter_queryset(people, scim_filter, resources.USER_FIELDS)
            if narrowed is None:
                matching = [r for p in people if scim_filter.match(r := _user(request, token, p))]
                return _list(
                    request, matching[start - 1 : start - 1 + count], len(matching), start, ScimUser
                )
            people = narrowed
        total = people.count()
        page = [_user(request, token, p) for p in people[start - 1 : start - 1 + count]]
        return _list(request, page, total, start, ScimUser)
    if request.method == "POST":
        resource = ScimUser.model_validate(
            _body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST
        )
        desired = _desired(token, resource)
        desired["active"] = True if desired["active"] is None else desired["active"]
        person = services.create_person(token, **desired)
        created = _fresh_user(request, token, person)
        return _response(
            resources.dump(created, Context.RESOURCE_CREATION_RESPONSE),
            status=201,
            location=created.meta.location,
        )
    return _not_allowed()


@scim_endpoint
def user(request, token, resource_id):
    person = selectors.get_person_for(token, resource_id=resource_id)
    if request.method == "GET":
        current = _user(request, token, person)
        return _response(
            resources.dump(current, Context.RESOURCE_QUERY_RESPONSE),
            location=current.meta.location,
        )
    if request.method == "PUT":
        resource = ScimUser.model_validate(
            _body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
        )
        services.update_person(token, person=person, **_desired(token, resource))
        updated = _fresh_user(request, token, person)
        return _response(resources.dump(updated, Context.RESOURCE_REPLACEMENT_RESPONSE))
    if request.method == "PATCH":
        patch = PatchOp[ScimUser].model_validate(
            _body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        current = _user(request, token, person)
        before = resources.dump(current, Context.RESOURCE_QUERY_RESPONSE)
        patch.patch(current)
        if resources.dump(current, Context.RESOURCE_QUERY_RESPONSE) != before:
            services.update_person(token, person=person, **_desired(token, current))
        updated = _fresh_user(request, token, person)
        return _response(resources.dump(updated, Context.RESOURCE_PATCH_RESPONSE))
    if request.method == "DELETE":
        services.delete_person(token, person=person)
        return _response(None, status=204)
    return _not_allowed()


# --------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------
def _member_ids(resource: Group) -> list[str]:
    return [str(member.value) for member in resource.members or [] if member.value]


@scim_endpoint
def groups(request, token):
    if request.method == "GET":
        start, count = _paging(request)
        rows = selectors.groups_for(token)
        text = request.GET.get("filter", "").strip()
        if text:
            scim_filter = resources.parse_filter(text, Group)
            narrowed = resources.filter_queryset(rows, scim_filter, resources.GROUP_FIELDS)
            if narrowed is None:
                matching = [
                    r
                    for g in rows
                    if scim_filter.match(r := resources.group_resource(g, request=request))
                ]
                return _list(
                    request, matching[start - 1 : start - 1 + count], len(matching), start, Group
                )
            rows = narrowed
        total = rows.count()
        page = [
            resources.group_resource(g, request=request)
            for g in rows[start - 1 : start - 1 + count]
        ]
        return _list(request, page, total, start, Group)
    if request.method == "POST":
        resource = Group.model_validate(_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        group = services.save_group(
            token,
            group=None,
            display_name=resource.display_name or "",
            external_id=resource.external_id,
            member_ids=_member_ids(resource),
        )
        created = resources.group_resource(
            selectors.get_group_for(token, resource_id=str(group.pk)), request=request
        )
        return _response(
            resources.dump(created, Context.RESOURCE_CREATION_RESPONSE),
            status=201,
            location=created.meta.location,
        )
    return _not_allowed()


@scim_endpoint
def group(request, token, resource_id):
    row = selectors.get_group_for(token, resource_id=resource_id)
    if request.method == "GET":
        current = resources.group_resource(row, request=request)
        return _response(
            resources.dump(current, Context.RESOURCE_QUERY_RESPONSE),
            location=current.meta.location,
        )
    if request.method in ("PUT", "PATCH"):
        if request.method == "PUT":
            resource = Group.model_validate(
                _body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
            )
        else:
            patch = PatchOp[Group].model_validate(
                _body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST
            )
            resource = resources.group_resource(row, request=request)
            patch.patch(resource)
        services.save_group(
            token,
            group=row,
            display_name=resource.display_name or "",
            external_id=resource.external_id,
            member_ids=_member_ids(resource),
        )
        updated = resources.group_resource(
            selectors.get_group_for(token, resource_id=resource_id), request=request
        )
        context = (
            Context.RESOURCE_REPLACEMENT_RESPONSE
            if request.method == "PUT"
            else Context.RESOURCE_PATCH_RESPONSE
        )
        return _response(resources.dump(updated, context))
    if request.method == "DELETE":
        services.delete_group(token, group=row)
        return _response(None, status=204)
    return _not_allowed()


# --------------------------------------------------------------------------------------------
# Discovery: ServiceProviderConfig, ResourceTypes, Schemas (RFC 7644 §4)
# --------------------------------------------------------------------------------------------
def _with_location(payload: dict, request, path: str, resource_type: str) -> dict:
    payload.setdefault("meta", {})
    payload["meta"]["resourceType"] = resource_type
    payload["meta"]["location"] = f"{resources.base_url(request)}/{path}"
    return payload


@scim_endpoint
def root(request, token):
    raise Http404


@scim_endpoint
def service_provider_config(request, token):
    if request.method != "GET":
        return _not_allowed()
    payload = resources.dump(resources.PROVIDER.config, Context.RESOURCE_QUERY_RESPONSE)
    return _response(
        _with_location(payload, request, "ServiceProviderConfig", "ServiceProviderConfig")
    )


def _discovery(request, items, key, path, resource_type, resource_id):
    if request.method != "GET":
        return _not_allowed()
    payloads = {
        str(key(item)): _with_location(
            resources.dump(item, Context.RESOURCE_QUERY_RESPONSE),
            request,
            f"{path}/{key(item)}",
            resource_type,
        )
        for item in items
    }
    if resource_id is not None:
        if resource_id not in payloads:
            raise Http404
        return _response(payloads[resource_id])
    listing = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": len(payloads),
        "startIndex": 1,
        "itemsPerPage": len(payloads),
        "Resources": list(payloads.values()),
    }
    return _response(listing)


@scim_endpoint
def resource_types(request, token, resource_id=None):
    return _discovery(
        request,
        resources.PROVIDER.resource_types,
        lambda item: item.id,
        "ResourceTypes",
        "ResourceType",
        resource_id,
    )


@scim_endpoint
def schemas(request, token, resource_id=None):
    return _discovery(
        request, resources.PROVIDER.schemas, lambda item: item.id, "Schemas", "Schema", resource_id
    )
