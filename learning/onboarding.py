"""Onboarding plans moved to learning.services.onboarding. Only learning.tasks (inside its
task) and tests/learning/test_reminders.py still import from here, both left to the reminders
branch; this module goes when those imports are updated."""

from learning.services.onboarding import apply_onboarding_plan

__all__ = ["apply_onboarding_plan"]
