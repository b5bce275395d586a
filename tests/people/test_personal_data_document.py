""" "Mina uppgifter" as a document a person can read: an HTML page in the zip beside the JSON,
with each record type under its own name and each column under its label, in words."""

import io
import zipfile

import pytest
from django.urls import reverse

from learning.models import Enrolment

pytestmark = pytest.mark.django_db


def test_the_export_holds_a_readable_page(client, ny, course):
    Enrolment.objects.create(user=ny, course=course)
    client.force_login(ny)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("people:my_data")).content))
    assert "mina-uppgifter.html" in archive.namelist()
    html = archive.read("mina-uppgifter.html").decode()
    assert f"Mina uppgifter i Introsteg – {ny.get_full_name()}" in html
    assert "<h2>Medlemskap</h2>" in html
    assert "<h2>Kursdeltaganden</h2>" in html
    # Record types and columns by name, not "people.membership" or field names.
    assert "people.membership" not in html
    assert "learning.enrolment" not in html
    assert course.title in html
    assert "password" not in html.lower()
    assert "http" not in html.split("<body>")[1]  # read offline: no links to the server
