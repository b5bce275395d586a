"""Generated input (hypothesis) for every form of our own pages, posted as the person who may
use it: never a 500, and nothing unreadable is stored (no NUL characters, nothing outside the
form's choices).

The pages and people come from the access matrix (tests/test_access_matrix.py), so a new page
is fuzzed as soon as it is declared there. The project has no JSON endpoints; the calendar
feeds (.ics) take no input but their token, which the access matrix covers.
"""

import functools
import inspect
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_access_matrix import POLICIES, world  # noqa: F401  (the fixture)

# The order in which to pick the person who may use a page: the owners first.
PREFERENCE = [
    "ny",
    "mentor",
    "chef",
    "kommunadmin",
    "redaktor",
    "kursledare",
    "ny2",
    "mentor_annan",
    "chef_annan",
    "admin_annan",
    "anonym",
]
# Pages whose POST logs the person out or hands out files; nothing to fuzz there.
NOT_FORMS = {
    "people:my_data",
    "team:export",
    "team:unit_export",
    "learning:run_ics",
    "learning:run_export",
}
# POST-only targets whose form lives on another page: where to read the form from.
FORM_PAGES = {
    "learning:check": lambda o: o.module.url,
    "learning:complete": lambda o: o.module.url,
    "learning:decide_request": lambda o: reverse("learning:run_requests"),
    "mentoring:respond": lambda o: reverse("mentoring:mentorship", args=[o.mentorship.pk]),
    "mentoring:confirm_session": lambda o: reverse("mentoring:session", args=[o.session.pk]),
    "mentoring:confirm_run": lambda o: reverse("mentoring:run", args=[o.matching_run.pk]),
    "mentoring:close_request": lambda o: reverse("mentoring:stewardship"),
}


def _views(resolver=None, namespace="") -> dict:
    """Every named URL of the project and its view function."""
    views = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            views |= _views(pattern, inner)
        elif pattern.name:
            views.setdefault(f"{namespace}{pattern.name}", pattern.callback)
    return views


def _takes_input(name: str, policy) -> bool:
    """A page is fuzzed when it takes input: a POST target, or a page whose view reads what is
    posted to it. Decided here, at collection, so read-only pages are not collected only to be
    skipped; test_pages_left_out_show_no_form checks the other way round."""
    if policy.method == "post":
        return True
    source = inspect.getsource(inspect.unwrap(VIEWS[name]))
    return any(word in source for word in ("request.POST", "request.FILES", "request.method"))


VIEWS = _views()
CANDIDATES = [
    name
    for name, policy in POLICIES.items()
    if policy.allowed - {"anonym"} and name not in NOT_FORMS and ":" in name
]
FUZZED = [name for name in CANDIDATES if _takes_input(name, POLICIES[name])]
READ_ONLY = [name for name in CANDIDATES if name not in FUZZED]


class _Forms(HTMLParser):
    """The fields of the page's own POST forms (those that post back to the page itself, not
    the header's language and logout forms): name -> (input type or "select", values)."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.fields: dict[str, tuple[str, list[str]]] = {}
        self._in_post_form = False
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post_form = (attrs.get("method") or "").lower() == "post" and (
                attrs.get("action") or self.path
            ).split("?")[0].split("#")[0] in (self.path, ".")
        elif not self._in_post_form:
            return
        elif tag in ("input", "textarea") and attrs.get("name"):
            kind = attrs.get("type", "text") if tag == "input" else "textarea"
            if kind not in ("hidden", "submit") or attrs["name"] != "csrfmiddlewaretoken":
                self.fields.setdefault(attrs["name"], (kind, []))[1].append(
                    attrs.get("value") or ""
                )
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self.fields[self._select] = ("select", [])
        elif tag == "option" and self._select:
            self.fields[self._select][1].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False
        elif tag == "select":
            self._select = None


JUNK = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=20),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(
        ["", " ", "0", "-1", "2026-02-30", "9999-12-31", "31/12 2026", "19811218-9876", "x" * 5000]
    ),
    st.dates().map(str),
)


def _value(kind: str, options: list[str]):
    if kind in ("select", "radio", "checkbox") and options:
        return st.one_of(st.sampled_from(options), JUNK)
    return JUNK


@functools.cache
def _text_models() -> list[tuple[type, list]]:
    """The models of people, learning and mentoring with their text fields."""
    found = []
    for config in apps.get_app_configs():
        if config.label not in ("people", "learning", "mentoring"):
            continue
        for model in config.get_models():
            fields = [
                field
                for field in model._meta.concrete_fields
                if isinstance(field, models.CharField | models.TextField)
            ]
            if fields:
                found.append((model, fields))
    return found


@functools.cache
def _joined_text_sql() -> tuple[str, tuple]:
    """One query for every row of those models: the model's number and the row's text fields
    joined (NULL as empty), all models in one UNION ALL. Compiled once: building the 34-model
    union through the ORM after every test cost more CPU than the 33 round trips it saves."""
    joined = [
        model._default_manager.order_by().values_list(
            Value(index),
            Concat(
                *(F(field.attname) for field in fields), Value(""), output_field=models.TextField()
            ),
        )
        for index, (model, fields) in enumerate(_text_models())
    ]
    return joined[0].union(*joined[1:], all=True).query.sql_with_params()


def _stored_text_without_nul() -> list[str]:
    # Read back in Python: SQLite's LIKE cannot look for a NUL character. A NUL in any field of
    # a row is in its joined text: one query after each of the 57 tests (34 before, one a
    # model; 73 before that, one a field). A model with a NUL is read again field by field,
    # to name the field.
    with connection.cursor() as cursor:
        cursor.execute(*_joined_text_sql())
        found = {index for index, text in cursor.fetchall() if "\x00" in (text or "")}
    bad = []
    for index in sorted(found):
        model, fields = _text_models()[index]
        rows = list(model._default_manager.values_list(*(field.attname for field in fields)))
        for position, field in enumerate(fields):
            if any("\x00" in (row[position] or "") for row in rows):
                bad.append(f"{model._meta.label}.{field.name}")
    return bad


def _client_for(name, world):  # noqa: F811
    policy = POLICIES[name]
    role = next(r for r in PREFERENCE if r in policy.allowed)
    client = Client(raise_request_exception=False)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    path = reverse(name, kwargs=policy.kwargs(world) if policy.kwargs else None)
    return client, path


def _form_fields(client, path, source) -> dict:
    page = client.get(source)
    assert page.status_code < 500
    parser = _Forms(path)
    parser.feed(page.content.decode(errors="replace"))
    return parser.fields


def test_every_page_is_fuzzed_or_read_only():
    assert FUZZED and READ_ONLY
    assert "learning:dashboard" in READ_ONLY and "people:invite" in FUZZED


@pytest.mark.django_db
def test_pages_left_out_show_no_form(world):  # noqa: F811
    """The pages the collection left out (their views never read a POST) show no form of their
    own, so nothing that takes input goes unfuzzed."""
    with_forms = []
    for name in READ_ONLY:
        client, path = _client_for(name, world)
        if _form_fields(client, path, path):
            with_forms.append(name)
    assert not with_forms


@pytest.mark.django_db
@pytest.mark.parametrize("name", FUZZED)
def test_generated_input_never_breaks_a_form(name, world):  # noqa: F811
    policy = POLICIES[name]
    client, path = _client_for(name, world)
    fields = {}
    if policy.method == "get" or name in FORM_PAGES:
        source = FORM_PAGES[name](world) if name in FORM_PAGES else path
        fields = _form_fields(client, path, source)
    # A page that takes input but shows no named field here (a button only, an empty list)
    # still gets junk posted to it.
    fields = fields or {"falt": ("text", [])}

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({key: _value(*spec) for key, spec in fields.items()}))
    def post(payload):
        response = client.post(path, payload)
        assert response.status_code < 500, (name, payload)

    post()
    assert not _stored_text_without_nul()
