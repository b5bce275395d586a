"""The kinds of notice a mentorship's lifecycle emails, as flags the email templates read
(templates never compare strings)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    ended: bool = False
    changed: bool = False
    session_changed: bool = False


MENTORSHIP_NOTICES = {
    "ended": Notice(ended=True),
    "changed": Notice(changed=True),
    "session_changed": Notice(session_changed=True),
}
