import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from people.models import User

# Start dates relative to today (only dates near today are accepted).
SOON = (timezone.localdate() + datetime.timedelta(days=47)).isoformat()
LATER = (timezone.localdate() + datetime.timedelta(days=64)).isoformat()

GOOD_AND_BAD = (
    "e-post;namn;enhet;roll;startdatum\n"
    f"kim@example.org;Kim Larsson;Barn och unga – utredning;nyanställd;{SOON}\n"
    f"ny@example.org;Dubbel Person;Barn och unga – utredning;mentor;{SOON}\n"
    f"inte-en-adress;Utan Adress;Barn och unga – utredning;nyanställd;{SOON}\n"
    "lo@example.org;Lo Berg;Barn och familj;nyanställd;15/1 2027\n"
    f"sam@example.org;;Barn och unga – utredning;trollkarl;{LATER}\n"
    f"kim@example.org;Kim Igen;Barn och unga – utredning;nyanställd;{SOON}\n"
)


def _upload(client, text, name="personal.csv"):
    return client.post(
        reverse("people:invite_csv"),
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")},
    )


@pytest.mark.django_db
def test_preview_shows_every_row_and_every_error_in_swedish_and_creates_nothing(
    client, home, kommunadmin, enhet_a, enhet_b, ny
):
    client.force_login(kommunadmin)
    body = _upload(client, GOOD_AND_BAD).content.decode()
    assert "1 av 6 rader kan bjudas in. Inget har skapats ännu." in body
    assert "Det finns redan ett konto med den e-postadressen." in body
    assert "Ogiltig e-postadress." in body
    assert "Enheten ”Barn och familj” finns inte i din kommun." in body
    assert "Ogiltigt startdatum ”15/1 2027”" in body
    assert "Namn saknas." in body
    assert "Okänd roll ”trollkarl”" in body
    assert "E-postadressen finns på flera rader i filen." in body
    assert not User.objects.filter(email="kim@example.org").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_confirming_invites_only_the_valid_rows(
    client, home, kommunadmin, enhet_a, ny, django_capture_on_commit_callbacks
):
    client.force_login(kommunadmin)
    response = _upload(client, GOOD_AND_BAD)
    token = response.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:invite_csv"), {"token": token}, follow=True)
    assert "1 inbjudan har skickats." in response.content.decode()
    kim = User.objects.get(email="kim@example.org")
    assert kim.memberships.get().unit == enhet_a
    assert [m.to for m in mail.outbox] == [["kim@example.org"]]
    # Confirming the same preview again creates nothing more, and says why.
    response = client.post(reverse("people:invite_csv"), {"token": token})
    assert "Det finns redan ett konto med den e-postadressen." in response.content.decode()
    assert User.objects.filter(email="kim@example.org").count() == 1


@pytest.mark.django_db
def test_a_tampered_or_garbage_file_never_gives_a_500(client, home, kommunadmin, enhet_a):
    client.force_login(kommunadmin)
    response = client.post(reverse("people:invite_csv"), {"token": "förfalskad"}, follow=True)
    assert "Förhandsgranskningen har gått ut" in response.content.decode()
    response = _upload(client, "bara,en,rad\n", name="x.csv")
    assert "Kolumner saknas" in response.content.decode()
    response = client.post(
        reverse("people:invite_csv"),
        {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x00garbage", "text/csv")},
    )
    assert response.status_code == 200
    response = _upload(client, "")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("cast", ["ny", "chef", "utomstaende"])
def test_only_municipal_admins_reach_the_csv_page(client, home, request, cast):
    client.force_login(request.getfixturevalue(cast))
    assert client.get(reverse("people:invite_csv")).status_code == 404
