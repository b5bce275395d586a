"""English mode complete for what we write (issue 17): every page a role may open, rendered for
a person whose language is English, carries no Swedish of ours. What people typed (names,
units, course content, case references) is data, left as written, and is taken out before the
check; what remains must be free of Swedish letters and common Swedish words."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from learning.models import CourseRun
from mentoring.matching import MenteeCandidate, MentorCandidate, reason_codes
from mentoring.models import CaseType, MatchProposal, SessionTopic, SupervisedCase
from people.models import Organisation, Unit, User
from tests.test_access_matrix import POLICIES, world  # noqa: F401 – the shared objects

ROLES = ["ny", "mentor", "chef", "kommunadmin", "kursledare"]
SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(?:och|inte|för|eller|har|ingen|inga|sedan|från)\b")
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL)
# The language switcher names Swedish in Swedish, as every language switcher does.
SWITCHER = re.compile(r'<select id="language-switcher".*?</select>', re.DOTALL)


def visible_text(body: str) -> str:
    return html.unescape(TAGS.sub(" ", SWITCHER.sub(" ", body)))


def data_strings() -> list[str]:
    """What people and editors typed: left in their language, so not checked."""
    strings = [
        *User.objects.values_list("full_name", flat=True),
        *Unit.objects.values_list("name", flat=True),
        *Organisation.objects.values_list("name", flat=True),
        *Organisation.objects.values_list("county", flat=True),
        *Page.objects.values_list("title", flat=True),
        *SupervisedCase.objects.values_list("reference", flat=True),
        *CaseType.objects.values_list("name", flat=True),
        *CourseRun.objects.values_list("name", flat=True),
    ]
    return sorted({s for s in strings if s}, key=len, reverse=True)


def swedish_left(text: str, data: list[str]) -> list[str]:
    for value in data:
        text = text.replace(value, " ")
    found = []
    for line in (line.strip() for line in text.splitlines()):
        if line and SWEDISH.search(line):
            found.append(line[:120])
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_pages_in_english_carry_no_swedish_of_ours(role, world):  # noqa: F811
    user = world.users[role]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    data = data_strings()
    found = {}
    for name, policy in POLICIES.items():
        if policy.method != "get" or role not in policy.allowed or policy.everyone_gets:
            continue
        response = client.get(reverse(name, kwargs=policy.kwargs(world) if policy.kwargs else None))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        if left := swedish_left(visible_text(response.content.decode()), data):
            found[name] = left
    assert not found, f"{role}: Swedish on English pages: {found}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("sv", "Kolumner saknas: e-post, namn, enhet, roll, startdatum."),
        ("en", "Columns are missing: email, name, unit, role, start date."),
    ],
)
def test_csv_import_names_the_missing_columns_in_the_readers_language(
    client, home, kommunadmin, language, message
):
    kommunadmin.preferred_language = language
    kommunadmin.save(update_fields=["preferred_language"])
    client.force_login(kommunadmin)
    upload = SimpleUploadedFile("x.csv", b"bara,en,rad\n", "text/csv")
    body = client.post(reverse("people:invite_csv"), {"file": upload}).content.decode()
    assert message in body


@pytest.mark.django_db
def test_matching_reasons_made_in_swedish_read_in_english(ny, mentor, kommun_a, kommunadmin):
    from mentoring.models import MatchingRun

    mentor_candidate = MentorCandidate(
        mentor.pk,
        kommun_a.pk,
        "Skåne län",
        unit_ids=frozenset(),
        specialisations=frozenset({5}),
        languages=frozenset({"sv"}),
        capacity=2,
    )
    mentee = MenteeCandidate(ny.pk, kommun_a.pk, "Skåne län", frozenset(), frozenset({5}))
    with translation.override("sv"):
        codes = reason_codes(
            mentor_candidate, mentee, specialisation_names={5: "Barnavårdsutredning"}
        )
    run = MatchingRun.objects.create(organisation=kommun_a, run_by=kommunadmin)
    proposal = MatchProposal.objects.create(
        run=run, mentee=ny, mentor=mentor, score=1.0, reasons=codes
    )
    proposal.refresh_from_db()
    with translation.override("en"):
        assert "Shares an area of practice: child welfare investigation" in proposal.reason_texts
        assert "Same municipality" in proposal.reason_texts
    with translation.override("sv"):
        assert "Delar inriktning: barnavårdsutredning" in proposal.reason_texts


@pytest.mark.django_db
def test_standard_case_types_and_session_topics_have_english_names(kommun_a):
    case_type = CaseType.objects.create(
        organisation=kommun_a, name="Omedelbart omhändertagande enligt 6 § LVU", risk_level="high"
    )
    own = CaseType.objects.create(organisation=kommun_a, name="Vår egen typ", risk_level="low")
    topic = SessionTopic.objects.get(code="arbetsmiljo")
    with translation.override("en"):
        assert str(case_type) == "Immediate custody under section 6 LVU"
        assert str(topic) == "Work environment and recovery"
        assert str(own) == "Vår egen typ"  # typed by the municipality: shown as typed
    with translation.override("sv"):
        assert str(topic) == "Arbetsmiljö och återhämtning"
