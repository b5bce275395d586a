"""Every database constraint a form can trip says in Swedish what to change. Django's default
for a check constraint is "Begränsningen “decision_valid_after_decided” överträds.", which
reached a page; this test lists the constraints of our models and fails for one without a
message of its own. A unique constraint on plain fields may keep Django's translated "… med
detta … finns redan", which names the fields; a conditional or expression constraint may not."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import CheckConstraint, UniqueConstraint


def _our_apps():
    """The project's own apps (any new one included), not Django's, Wagtail's or allauth's."""
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(root) and ".venv" not in path.parts:
            yield config


def _constraints():
    for config in _our_apps():
        for model in config.get_models():
            for constraint in model._meta.constraints:
                yield f"{model._meta.label}.{constraint.name}", constraint


def _needs_own_message(constraint) -> bool:
    if isinstance(constraint, CheckConstraint):
        return True
    assert isinstance(constraint, UniqueConstraint)
    return constraint.condition is not None or bool(constraint.expressions)


CONSTRAINTS = dict(_constraints())


def test_our_models_have_constraints_to_check():
    assert len(CONSTRAINTS) > 40


@pytest.mark.parametrize("name", [name for name, c in CONSTRAINTS.items() if _needs_own_message(c)])
def test_every_constraint_a_form_can_trip_has_a_message_of_its_own(name):
    constraint = CONSTRAINTS[name]
    message = constraint.violation_error_message
    assert message and message != constraint.default_violation_error_message, name
    assert "%(name)s" not in str(message), name
