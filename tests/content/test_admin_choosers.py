"""Wagtail's choosers answer 404, never 500, for an id that cannot be an id (content/admin_urls.py):
every "chosen" view the admin has, found by walking the URLs, so a chooser added later is asked
too."""

import pytest
from django.urls import get_resolver
from wagtail.admin.views.generic.chooser import ChosenMultipleViewMixin, ChosenViewMixin

pytestmark = pytest.mark.django_db

NOT_AN_ID = "x'; --"


def _chosen_routes():
    """(route with the prefixes, pattern) of every chooser's chosen view in the URL tree, found
    here without content.admin_urls, so this test fails if the site stops using it."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            inner = getattr(pattern, "url_patterns", None)
            if inner is not None:
                walk(inner, prefix + str(pattern.pattern))
            elif issubclass(
                getattr(pattern.callback, "view_class", object),
                (ChosenViewMixin, ChosenMultipleViewMixin),
            ):
                found.append((prefix + str(pattern.pattern), pattern))

    walk(get_resolver().url_patterns, "")
    return found


def test_there_are_choosers_to_ask():
    routes = [route for route, _ in _chosen_routes()]
    # Images, documents and our snippets (mentoring, learning) at least, single and multiple.
    assert any(route.startswith("admin/images/") for route in routes)
    assert any(route.startswith("admin/documents/") for route in routes)
    assert sum(route.startswith("admin/snippets/") for route in routes) >= 4
    assert all(getattr(pattern.callback, "guarded_ids", False) for _, pattern in _chosen_routes())


def test_every_chooser_answers_404_for_an_id_that_cannot_be_one(admin_client):
    asked = 0
    for route, pattern in _chosen_routes():
        converters = pattern.pattern.converters
        if "pk" in converters:
            path = "/" + route.replace("<str:pk>", NOT_AN_ID).replace("<pk>", NOT_AN_ID)
            response = admin_client.get(path)
        else:
            response = admin_client.get("/" + route, {"id": ["1", NOT_AN_ID]})
        assert response.status_code == 404, (route, response.status_code)
        asked += 1
    assert asked >= 6


def test_a_real_id_is_still_chosen(admin_client):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="Karta", file=get_test_image_file())
    response = admin_client.get(f"/admin/images/chooser/chosen/{image.pk}/")
    assert response.status_code == 200
    assert b"Karta" in response.content
    response = admin_client.get("/admin/images/chooser/chosen/999999/")
    assert response.status_code == 404
    response = admin_client.get("/admin/images/chooser/chosen-multiple/", {"id": [image.pk]})
    assert response.status_code == 200
    assert b"Karta" in response.content
