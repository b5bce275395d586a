"""The daily job that computes the quarter facts, and the cooperation groups' rules."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from followup import services, tasks
from followup.indicators import current_quarter
from followup.models import QuarterFact
from people.models import Organisation
from tests.factories import OrganisationFactory
from tests.followup.conftest import day_in, hires

pytestmark = pytest.mark.django_db


def test_the_job_is_idempotent_and_keeps_past_snapshots(enhet_a, previous):
    hires(enhet_a, 3, start=day_in(previous, 5))
    written = tasks.refresh_quarter_facts.delay().get()
    assert written > 0
    rows = set(QuarterFact.objects.values_list("unit_id", "quarter", "indicator", "people"))
    call_command("refresh_followup", stdout=io.StringIO())
    assert set(QuarterFact.objects.values_list("unit_id", "quarter", "indicator", "people")) == rows
    # A caseload snapshot of a past quarter is not recomputed (its state is gone): it stays.
    kept = QuarterFact.objects.create(
        unit=enhet_a,
        organisation=enhet_a.organisation,
        quarter=previous.start,
        indicator="over_skyddad_mangd",
        numerator=1,
        denominator=6,
        people=6,
    )
    current = QuarterFact.objects.filter(
        unit=enhet_a, quarter=current_quarter().start, indicator="over_skyddad_mangd"
    )
    assert current.update(numerator=99) == 1
    services.refresh_quarter_facts()
    assert QuarterFact.objects.filter(pk=kept.pk).exists()
    # The current quarter's snapshot is taken again every day.
    assert current.get().numerator == 0


def test_municipalities_are_linked_to_their_county(kommun_a):
    assert kommun_a.county_area_id is None
    services.link_counties()
    kommun_a.refresh_from_db()
    assert kommun_a.county_area.name == "Skåne län"


def test_a_municipality_is_in_one_group_only(lanssamordnare, kommun_a, kommun_b):
    kommun_d = OrganisationFactory(name="Kommun D", county="Skåne län")
    services.link_counties()
    a, b, d = (Organisation.objects.get(pk=o.pk) for o in (kommun_a, kommun_b, kommun_d))
    county = a.county_area
    services.save_cooperation_group(lanssamordnare, county=county, name="Ett", organisations=[a, b])
    with pytest.raises(ValidationError) as caught:
        services.save_cooperation_group(
            lanssamordnare, county=county, name="Två", organisations=[b, d]
        )
    assert "Kommun B ingår redan i en annan samverkansgrupp." in caught.value.messages
    with pytest.raises(ValidationError):
        services.save_cooperation_group(
            lanssamordnare, county=county, name="Tre", organisations=[d]
        )


def test_only_the_countys_coordinator_may_change_its_groups(kommunadmin, kommun_a, kommun_b):
    services.link_counties()
    a, b = (Organisation.objects.get(pk=o.pk) for o in (kommun_a, kommun_b))
    with pytest.raises(PermissionDenied):
        services.save_cooperation_group(
            kommunadmin, county=a.county_area, name="Ett", organisations=[a, b]
        )
