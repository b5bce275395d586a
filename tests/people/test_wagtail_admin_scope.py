"""The Wagtail admin leaks nothing across municipalities: its reports are the curriculum
editors' only, its choosers and bulk-action pages list only the user's own municipality's
objects, and every spreadsheet export escapes formulas."""

import csv
import io

import pytest
from django.urls import URLPattern, reverse
from openpyxl import load_workbook
from wagtail.admin.urls import reports as report_urls
from wagtail.log_actions import log

from learning.models import OnboardingPlan
from mentoring.models import CaseType
from people.exports import FORMULA_STARTS, escape_formula
from tests.factories import UserFactory

REPORTS = [
    reverse(f"wagtailadmin_reports:{pattern.name}")
    for pattern in report_urls.urlpatterns
    if isinstance(pattern, URLPattern)
]


@pytest.fixture
def history_of_b(kommun_b, kommunadmin_b):
    """Kommun B's admin has made an onboarding plan: a line in Wagtail's site history."""
    plan = OnboardingPlan.objects.create(organisation=kommun_b, name="Kommun B:s plan")
    log(instance=plan, action="wagtail.create", user=kommunadmin_b)
    return plan


def _formulas(cells) -> set:
    return {cell for cell in cells if isinstance(cell, str) and cell.startswith(FORMULA_STARTS)}


def _xlsx_cells(content: bytes) -> set:
    sheet = load_workbook(io.BytesIO(content)).active
    # XML turns a carriage return into a line feed on the way through the file.
    return {
        cell.replace("\n", "\r") if isinstance(cell, str) else cell
        for row in sheet.iter_rows(min_row=2, values_only=True)
        for cell in row
    }


@pytest.mark.django_db
def test_municipal_admins_get_none_of_wagtails_reports(client, kommunadmin, history_of_b):
    assert len(REPORTS) >= 10  # every report, with its results view
    client.force_login(kommunadmin)
    for url in REPORTS:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "/reports/" not in response.get("Location", ""), url
        assert "Kommun B:s plan" not in response.content.decode()
        assert "Admin-b Testsson" not in response.content.decode()
    export = client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
    assert export.status_code in (302, 403)
    # Not offered in the menu either.
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailadmin_reports:site_history") not in home


@pytest.mark.django_db
@pytest.mark.parametrize("cast", ["redaktor", "superuser"])
def test_curriculum_editors_keep_the_reports(client, request, cast, history_of_b):
    if cast == "superuser":
        user = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    else:
        user = request.getfixturevalue(cast)
    client.force_login(user)
    if cast == "superuser":  # (an editor meets Wagtail's own rules, e.g. unlock for locked pages)
        for url in REPORTS:
            assert client.get(url).status_code == 200, url
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Kommun B:s plan" in history and "Admin-b Testsson" in history


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_the_one_escape_rule(start):
    assert escape_formula(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
    assert escape_formula(f"Anna {start}") == f"Anna {start}"
    assert escape_formula(-5) == -5
    assert escape_formula(None) is None


@pytest.mark.django_db
@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_wagtails_report_exports_escape_formulas(client, redaktor, kommun_b, start):
    name = f"{start}HYPERLINK(1)"
    author = UserFactory(email="x@example.org", full_name=f"{start}Författare")
    plan = OnboardingPlan.objects.create(organisation=kommun_b, name=name)
    log(instance=plan, action="wagtail.create", user=author)
    client.force_login(redaktor)
    url = reverse("wagtailadmin_reports:site_history")

    response = client.get(url + "?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cells = {cell for row in rows[1:] for cell in row}
    assert f"'{name}" in cells
    assert not _formulas(cells)

    # XLSX: Wagtail stores such a value as a text cell, never a formula, and it is shown as
    # typed (a quote added there would show in the sheet).
    response = client.get(url + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    # (XML turns a carriage return into a line feed on the way through the file.)
    typed = [
        cell
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, str) and cell.value.replace("\n", "\r") == name
    ]
    assert typed and all(cell.data_type == "s" for cell in typed)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.django_db
@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_the_team_exports_escape_formulas(client, chef, enhet_a, start):
    import datetime

    from people.models import Role
    from people.services import add_membership

    name = f"{start}HYPERLINK(1)"
    user = UserFactory(email="f@example.org", full_name=name)
    add_membership(
        None, user=user, role=Role.NEW_HIRE, unit=enhet_a, start_date=datetime.date(2026, 1, 1)
    )
    client.force_login(chef)
    text = client.get(reverse("team:export", args=["csv"])).content.decode("utf-8-sig")
    cells = {cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row}
    assert f"'{name}" in cells and not _formulas(cells)
    cells = _xlsx_cells(client.get(reverse("team:export", args=["xlsx"])).content)
    assert f"'{name}" in cells and not _formulas(cells)


# --------------------------------------------------------------------------------------------
# Choosers and bulk actions: the admin of municipality B never sees A's objects' names
# --------------------------------------------------------------------------------------------
@pytest.fixture
def objects_of_a_and_b(kommun_a, kommun_b):
    return {
        "casetype": (
            CaseType.objects.create(organisation=kommun_a, name="A-typen", risk_level="low"),
            CaseType.objects.create(organisation=kommun_b, name="B-typen", risk_level="low"),
        ),
        "onboardingplan": (
            OnboardingPlan.objects.create(organisation=kommun_a, name="A-planen"),
            OnboardingPlan.objects.create(organisation=kommun_b, name="B-planen"),
        ),
    }


APPS = {"casetype": "mentoring", "onboardingplan": "learning"}


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["casetype", "onboardingplan"])
def test_choosers_list_only_the_own_municipalitys_objects(
    client, kommunadmin_b, objects_of_a_and_b, model
):
    theirs, own = objects_of_a_and_b[model]
    client.force_login(kommunadmin_b)
    base = f"/admin/snippets/choose/{APPS[model]}/{model}/"
    for url in (base, f"{base}results/", f"{base}?q=typen", f"{base}results/?q=planen"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert theirs.name not in body, url
    assert own.name in client.get(base).content.decode()
    assert client.get(f"{base}chosen/{theirs.pk}/").status_code == 404
    assert own.name in client.get(f"{base}chosen/{own.pk}/").content.decode()
    both = client.get(f"{base}chosen-multiple/?id={theirs.pk}&id={own.pk}").content.decode()
    assert theirs.name not in both and own.name in both


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["casetype", "onboardingplan"])
def test_bulk_action_pages_name_only_the_own_municipalitys_objects(
    client, kommunadmin_b, objects_of_a_and_b, model
):
    theirs, own = objects_of_a_and_b[model]
    client.force_login(kommunadmin_b)
    url = f"/admin/bulk/{APPS[model]}/{model}/delete/"
    assert client.get(f"{url}?id={theirs.pk}").status_code == 404
    for query in (f"?id={theirs.pk}&id={own.pk}", "?id=all"):
        response = client.get(url + query)
        assert response.status_code == 200
        body = response.content.decode()
        assert theirs.name not in body and own.name in body
    client.post(f"{url}?id={theirs.pk}&id={own.pk}")
    assert type(theirs).objects.filter(pk=theirs.pk).exists()
