"""Reads that learning pages need, already scoped to the requesting user.

Every function here runs a fixed number of queries, whatever the number of courses, modules
and learners: the page tree is read once and progress rows are fetched in one go.

Languages: a course or module can have an English translation (Wagtail i18n). Enrolments,
progress, deadlines and runs are always recorded against the Swedish original (the page with
the same translation key in Swedish; an English-only page is its own original), so switching
language keeps a learner's place. A page passed in is mapped to its original first; titles are
then shown in the learner's language, and the page a learner reads is the translation.

The reads are split by sub-domain: progress (courses, modules, positions), knowledge checks,
certificates and course runs.
"""

from learning.selectors.certificates import (
    certificates_for,
    get_certificate_for,
    verify_certificate,
)
from learning.selectors.checks import (
    REREAD_PAUSE,
    AttemptReview,
    CheckState,
    ItemRow,
    asked_to_reread,
    attempt_review,
    attempts_left,
    drawn_questions,
    item_analysis_for,
    knowledge_check_state,
    modules_with_checks,
    original_module,
    pause_after_failure,
    too_fast_checks_of,
)
from learning.selectors.progress import (
    PREREQUISITES_MISSING,
    PREVIOUS_MODULE_FIRST,
    CourseProgress,
    ModulePosition,
    ModuleStatus,
    course_progress_for,
    dashboard_for,
    get_attempt_for,
    get_course_for_enrolment,
    get_module_for_learner,
    missing_prerequisites_for,
    module_position_for,
    module_position_in_request,
)
from learning.selectors.runs import (
    CourseRunsPanel,
    Roster,
    RosterRow,
    RunRequests,
    RunSummary,
    Withdrawal,
    attendance_requirement_met,
    course_runs_for,
    get_request_for_admin,
    get_run_for_calendar,
    get_run_for_enrolment,
    get_session_for_marking,
    run_requests_for_admin,
    run_roster_for,
    runs_led_by,
    withdrawal_for,
)

__all__ = [
    "PREREQUISITES_MISSING",
    "PREVIOUS_MODULE_FIRST",
    "REREAD_PAUSE",
    "AttemptReview",
    "CheckState",
    "CourseProgress",
    "CourseRunsPanel",
    "ItemRow",
    "ModulePosition",
    "ModuleStatus",
    "Roster",
    "RosterRow",
    "RunRequests",
    "RunSummary",
    "Withdrawal",
    "asked_to_reread",
    "attempt_review",
    "attempts_left",
    "attendance_requirement_met",
    "certificates_for",
    "course_progress_for",
    "course_runs_for",
    "dashboard_for",
    "drawn_questions",
    "get_attempt_for",
    "get_certificate_for",
    "get_course_for_enrolment",
    "get_module_for_learner",
    "get_request_for_admin",
    "get_run_for_calendar",
    "get_run_for_enrolment",
    "get_session_for_marking",
    "item_analysis_for",
    "knowledge_check_state",
    "missing_prerequisites_for",
    "module_position_for",
    "module_position_in_request",
    "modules_with_checks",
    "original_module",
    "pause_after_failure",
    "run_requests_for_admin",
    "run_roster_for",
    "runs_led_by",
    "too_fast_checks_of",
    "verify_certificate",
    "withdrawal_for",
]
