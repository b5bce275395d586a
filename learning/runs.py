"""Course runs moved: seats and the waitlist to learning.services.runs, the calendar feed to
learning.calendar, the emails to learning.emails. Only learning.tasks still imports from here
(build_run_email, inside its task); this module goes when that import is updated."""

from learning.emails import build_run_email

__all__ = ["build_run_email"]
