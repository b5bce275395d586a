"""The Wagtail admin speaks Swedish about our models (issue 17): names and plurals, an empty
listing in Swedish, booleans as Ja/Nej, a way back to the site, and the explorer keeps a
course's modules in their order after one of them is published."""

import re

import pytest
from django.urls import reverse
from django.utils.text import camel_case_to_spaces
from wagtail.models import get_page_models
from wagtail.snippets.models import get_snippet_models

from mentoring.models import CaseType
from tests.factories import add_course, add_module

OURS = {"people", "content", "learning", "mentoring", "team", "safety", "sso", "core"}


def test_every_model_in_the_admin_has_swedish_names():
    shown = [m for m in {*get_snippet_models(), *get_page_models()} if m._meta.app_label in OURS]
    assert shown
    unnamed = []
    for model in shown:
        options = model._meta
        if options.verbose_name == camel_case_to_spaces(model.__name__):
            unnamed.append(f"{options.label}: verbose_name")
        if str(options.verbose_name_plural) == f"{options.verbose_name}s":
            unnamed.append(f"{options.label}: verbose_name_plural")
    assert not unnamed, unnamed


@pytest.mark.django_db
def test_an_empty_listing_says_so_in_swedish(client, redaktor):
    client.force_login(redaktor)
    body = client.get(reverse("wagtailsnippets_learning_onboardingplan:list")).content.decode()
    assert "Det finns inga introduktionsplaner ännu." in body
    assert "There are no" not in body


@pytest.mark.django_db
def test_booleans_read_ja_nej_and_the_menu_leads_back_to_the_site(client, redaktor, kommun_a):
    redaktor.is_superuser = True  # case types are the municipalities' own: superusers see all
    redaktor.save()
    CaseType.objects.create(organisation=kommun_a, name="LVU", risk_level="high", is_active=True)
    client.force_login(redaktor)
    body = client.get(reverse("wagtailsnippets_mentoring_casetype:list")).content.decode()
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
    assert " Nej " in cells and " Ja " in cells
    assert "True" not in cells and "False" not in cells
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Till Introsteg" in home
    assert reverse("people:start") in home


@pytest.mark.django_db
def test_the_explorer_keeps_the_modules_in_order_after_publishing(client, redaktor, catalog):
    course = add_course(catalog, title="Ordning")
    modules = [add_module(course, title=f"Steg {n}") for n in (1, 2, 3)]
    modules[1].title = "Steg 2 (rättad)"
    modules[1].save_revision().publish()
    client.force_login(redaktor)
    body = client.get(reverse("wagtailadmin_explore", args=[course.pk])).content.decode()
    positions = [body.index(title) for title in ("Steg 1", "Steg 2 (rättad)", "Steg 3")]
    assert positions == sorted(positions)
