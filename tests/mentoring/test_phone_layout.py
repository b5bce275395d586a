"""The caseload page on a phone (issue 17): a share such as "1 av 1" wrapped inside its cell
at 375 px ("1 av" over "1"); the cell keeps the figure on one line."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from mentoring.models import CheckAnswer, RiskLevel
from tests.mentoring.factories import CaseFactory, CaseTypeFactory, ReviewFactory


@pytest.mark.django_db
def test_a_share_stays_on_one_line(client, ny, chef, kommun_a):
    kind = CaseTypeFactory(organisation=kommun_a, risk_level=RiskLevel.MEDIUM)
    case = CaseFactory(holder=ny, case_type=kind)
    ReviewFactory(case=case, supervisor=chef, child_spoken_alone=CheckAnswer.YES)
    client.force_login(chef)
    page = client.get(reverse("mentoring:caseload")).content.decode()
    assert '<td class="nowrap">1 av 1</td>' in page
    css = (Path(settings.BASE_DIR) / "static" / "css" / "introsteg.css").read_text()
    assert re.search(r"\.nowrap\s*\{\s*white-space:\s*nowrap;\s*\}", css)
