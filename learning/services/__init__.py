"""Writes for learning, split by sub-domain: enrolment, module progress and course completion,
knowledge checks, certificates."""

from learning.services.certificates import (
    issue_certificate,
)
from learning.services.checks import (
    ANSWER_ALL,
    ATTEMPT_NOT_FOUND,
    CHECK_CHANGED,
    NEXT_ATTEMPT_OPENS,
    NO_ATTEMPTS_LEFT,
    NO_KNOWLEDGE_CHECK,
    REREAD_AND_TALK,
    grade_answers,
    open_attempt,
    submit_knowledge_check,
)
from learning.services.enrolment import (
    COURSE_NOT_PUBLISHED,
    PREREQUISITES_FIRST,
    SELF_ENROL_NOT_ALLOWED,
    enrol_in_course,
    self_enrol,
)
from learning.services.progress import (
    NOT_ENROLLED,
    PASS_CHECK_FIRST,
    complete_course_if_done,
    complete_module,
    modules_done,
    open_module,
    start_module,
)

__all__ = [
    "ANSWER_ALL",
    "ATTEMPT_NOT_FOUND",
    "CHECK_CHANGED",
    "COURSE_NOT_PUBLISHED",
    "NEXT_ATTEMPT_OPENS",
    "NOT_ENROLLED",
    "NO_ATTEMPTS_LEFT",
    "NO_KNOWLEDGE_CHECK",
    "PASS_CHECK_FIRST",
    "PREREQUISITES_FIRST",
    "REREAD_AND_TALK",
    "SELF_ENROL_NOT_ALLOWED",
    "complete_course_if_done",
    "complete_module",
    "enrol_in_course",
    "grade_answers",
    "issue_certificate",
    "modules_done",
    "open_attempt",
    "open_module",
    "self_enrol",
    "start_module",
    "submit_knowledge_check",
]
