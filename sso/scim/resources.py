"""The SCIM side: which resources we serve, how our people and groups look as SCIM resources,
and SCIM filters as querysets. Parsing and serialising are scim2-models'."""

from django.db.models import Q, QuerySet
from django.urls import reverse
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    Email,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    GroupMember,
    GroupMembership,
    InvalidFilterException,
    Meta,
    Name,
    Patch,
    ResourceType,
    ScimFilter,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    User,
)
from scim2_models.path import FilterVisitor
from scim2_models.path.expressions import (
    CompareOperator,
    Comparison,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)

from sso.models import DirectoryGroup, UnitAttribute

ScimUser = User[EnterpriseUser]
MAX_RESULTS = 200

PROVIDER = ScimProvider(
    models=[User, EnterpriseUser, Group],
    resource_types=[ResourceType.from_resource(ScimUser), ResourceType.from_resource(Group)],
    config=ServiceProviderConfig(
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="The municipality's SCIM token, created on /sso/katalog/.",
                primary=True,
            )
        ],
    ),
)

# The enterprise extension's attribute for each choice of DirectorySync.unit_attribute.
_UNIT_FIELDS = {
    UnitAttribute.DEPARTMENT: "department",
    UnitAttribute.DIVISION: "division",
    UnitAttribute.COST_CENTER: "cost_center",
    UnitAttribute.ORGANIZATION: "organization",
}


def base_url(request) -> str:
    return request.build_absolute_uri(reverse("scim:root")).rstrip("/")


def unit_name_in(resource, unit_attribute: str) -> str | None:
    """The unit the directory names in the mapped attribute; None when it names none."""
    extension = resource[EnterpriseUser]
    if extension is None:
        return None
    value = getattr(extension, _UNIT_FIELDS[unit_attribute], None)
    return value.strip() if isinstance(value, str) and value.strip() else None


def email_in(resource) -> str:
    """The address the person logs in with: the primary (else the first) email, or a userName
    that is an address (Entra ID sends the user principal name)."""
    emails = [e for e in resource.emails or [] if e.value]
    chosen = next((e for e in emails if e.primary), emails[0] if emails else None)
    if chosen is not None:
        return str(chosen.value).strip().lower()
    user_name = (resource.user_name or "").strip()
    return user_name.lower() if "@" in user_name else ""


def full_name_in(resource) -> str:
    if resource.display_name and resource.display_name.strip():
        return resource.display_name.strip()
    name = resource.name
    if name is None:
        return ""
    if name.formatted and name.formatted.strip():
        return name.formatted.strip()
    return " ".join(part.strip() for part in (name.given_name, name.family_name) if part).strip()


def user_resource(person, *, request, unit_attribute: str, unit_name: str, groups) -> ScimUser:
    """A person as the directory sees them (the query response of GET /Users/<id>)."""
    base = base_url(request)
    account = getattr(person, "directory_account", None)
    resource = ScimUser(
        id=str(person.pk),
        external_id=(account.external_id or None) if account else None,
        user_name=person.email,
        display_name=person.full_name or None,
        name=Name(formatted=person.full_name) if person.full_name else None,
        emails=[Email(value=person.email, primary=True, type="work")],
        active=person.is_active,
        groups=[
            GroupMembership(value=str(group.pk), display=group.display_name) for group in groups
        ]
        or None,
        meta=Meta(
            resource_type="User",
            created=person.date_joined,
            last_modified=account.updated_at if account else person.date_joined,
            location=f"{base}/Users/{person.pk}",
        ),
    )
    if unit_name:
        resource[EnterpriseUser] = EnterpriseUser(**{_UNIT_FIELDS[unit_attribute]: unit_name})
    return resource


def group_resource(group: DirectoryGroup, *, request) -> Group:
    base = base_url(request)
    return Group(
        id=str(group.pk),
        external_id=group.external_id or None,
        display_name=group.display_name,
        members=[
            GroupMember(value=str(member.pk), display=member.get_full_name())
            for member in group.members.all()
        ]
        or None,
        meta=Meta(
            resource_type="Group",
            created=group.created_at,
            last_modified=group.updated_at,
            location=f"{base}/Groups/{group.pk}",
        ),
    )


def dump(resource, context: Context) -> dict:
    return resource.model_dump(scim_ctx=context)


# --------------------------------------------------------------------------------------------
# Filters: the common ones (what Entra ID and ADFS-era connectors send: userName eq "...",
# externalId eq "...", displayName eq "...") become one SQL query; any other valid filter is
# evaluated by scim2-models on the municipality's resources.
# --------------------------------------------------------------------------------------------
class _NotInSqlError(Exception):
    pass


_LOOKUPS = {
    CompareOperator.eq: "iexact",
    CompareOperator.co: "icontains",
    CompareOperator.sw: "istartswith",
    CompareOperator.ew: "iendswith",
    CompareOperator.gt: "gt",
    CompareOperator.ge: "gte",
    CompareOperator.lt: "lt",
    CompareOperator.le: "lte",
}
_CASE_EXACT = {CompareOperator.eq: "exact", CompareOperator.co: "contains"}


class _ToQ(FilterVisitor[Q]):
    def __init__(self, fields: dict[tuple[str, str | None], tuple[str, bool]]):
        # (attribute, sub-attribute) -> (ORM field, case exact)
        self.fields = fields

    def _field(self, attr_path, inner_of: str | None = None) -> tuple[str, bool]:
        if attr_path.uri and inner_of is None:
            raise _NotInSqlError
        key = (
            (inner_of, attr_path.attr.lower())
            if inner_of
            else (attr_path.attr.lower(), (attr_path.sub_attr or "").lower() or None)
        )
        if key not in self.fields:
            raise _NotInSqlError
        return self.fields[key]

    def _compare(self, field: str, case_exact: bool, node: Comparison) -> Q:
        value = node.value
        if isinstance(value, bool) or field in ("pk", "members__pk"):
            if node.op not in (CompareOperator.eq, CompareOperator.ne):
                raise _NotInSqlError
            if field.endswith("pk"):
                if not str(value).isdigit():
                    return Q(pk__in=[])
                value = int(value)
            q = Q(**{field: value})
            return ~q if node.op == CompareOperator.ne else q
        if node.op == CompareOperator.ne:
            return ~Q(**{f"{field}__{'exact' if case_exact else 'iexact'}": value})
        lookup = (_CASE_EXACT if case_exact else _LOOKUPS).get(node.op) or _LOOKUPS.get(node.op)
        if lookup is None or not isinstance(value, str):
            raise _NotInSqlError
        return Q(**{f"{field}__{lookup}": value})

    def visit_comparison(self, node: Comparison) -> Q:
        return self._compare(*self._field(node.attr_path), node)

    def visit_present(self, node: Present) -> Q:
        field, _case = self._field(node.attr_path)
        if field.endswith("pk") or field == "is_active":
            return Q(**{f"{field}__isnull": False})
        return Q(**{f"{field}__gt": ""})

    def visit_not(self, node: Not) -> Q:
        return ~self.visit(node.expr)

    def visit_logical_expr(self, node: LogicalExpr) -> Q:
        terms = [self.visit(term) for term in node.terms]
        combined = terms[0]
        for term in terms[1:]:
            combined = combined & term if node.op == LogicalOperator.and_ else combined | term
        return combined

    def visit_value_path(self, node: ValuePath) -> Q:
        outer = node.attr_path.attr.lower()
        inner = node.val_filter
        if not isinstance(inner, Comparison):
            raise _NotInSqlError
        return self._compare(*self._field(inner.attr_path, inner_of=outer), inner)


USER_FIELDS = {
    ("id", None): ("pk", True),
    ("username", None): ("email", False),
    ("emails", None): ("email", False),
    ("emails", "value"): ("email", False),
    ("externalid", None): ("directory_account__external_id", True),
    ("displayname", None): ("full_name", False),
    ("active", None): ("is_active", True),
}
GROUP_FIELDS = {
    ("id", None): ("pk", True),
    ("displayname", None): ("display_name", False),
    ("externalid", None): ("external_id", True),
    ("members", None): ("members__pk", True),
    ("members", "value"): ("members__pk", True),
}


def parse_filter(text: str, model) -> ScimFilter:
    """The filter, checked against the model: a syntax error or an attribute the model does
    not have is the client's error (400 invalidFilter)."""
    try:
        scim_filter = ScimFilter[model](text)
        scim_filter._validate_semantics(strict=True)
    except InvalidFilterException:
        raise
    except Exception as error:  # lark's and pydantic's errors for a malformed filter
        raise InvalidFilterException(detail=str(error)[:300]) from error
    return scim_filter


def filter_queryset(queryset: QuerySet, scim_filter: ScimFilter, fields) -> QuerySet | None:
    """The queryset narrowed in SQL, or None when the filter needs scim2-models to evaluate
    it (an attribute we only have as a computed value)."""
    try:
        return queryset.filter(_ToQ(fields).visit(scim_filter.ast)).distinct()
    except _NotInSqlError:
        return None
