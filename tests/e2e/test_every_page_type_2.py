"""Every page type at both widths, part 2 of 2 (tests/e2e/sweep.py says what and how)."""
# The matrix's `world` fixture is imported, so a test taking it as a parameter shadows the name.
# ruff: noqa: F811

import pytest

from tests.e2e.sweep import sweep
from tests.followup.test_access import follow_up_people  # noqa: F401 - a fixture
from tests.test_access_matrix import world  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_every_page_type_at_both_widths_part_2(browser, live_server, world, follow_up_people):
    sweep(browser, live_server, world, follow_up_people, part=2)
