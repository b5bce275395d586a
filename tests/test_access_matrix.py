"""The access matrix: every URL pattern of the project, walked with every role, against a
declared table of who may use it. Real objects are created for every URL parameter, owned by
the new hire `ny` (her mentor is `mentor`, her manager `chef`, her municipality's admin
`kommunadmin`). A URL pattern with no declared policy fails the test.

The admins (every pattern of the Wagtail and Django admins, AREAS below) are walked in part 2,
tests/test_access_matrix_admin.py: a file of its own, so that `--dist loadfile` runs the two
parts on both workers.

Outcomes: "ok" = the page answers (2xx, or a redirect that is not to the login page, or a
form error); "login" = anonymous visitors are sent to the login page; everything else must be
denied: a 404 for our pages (nothing leaks), and a redirect to the login page or a 403 for
the Wagtail and Django admins.
"""

import datetime
from dataclasses import dataclass

import django.test.client
import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from learning.certificates import new_code
from learning.models import (
    CalendarFeed,
    Certificate,
    Enrolment,
    ModuleProgress,
    QuizAttempt,
    RunEnrolment,
)
from mentoring.models import (
    CaseStage,
    MatchingRun,
    MatchProposal,
    MentorChangeRequest,
    Mentorship,
    SupervisionSession,
)
from people.models import County, Role
from safety.models import (
    Answer,
    Incident,
    IncidentKind,
    Location,
    Recommendation,
    SafetyCheck,
    WhoKnows,
)
from tests import cast, replay
from tests.factories import UnitFactory, add_course
from tests.learning.conftest import make_run
from tests.mentoring.factories import CaseFactory, CaseTypeFactory, ReviewFactory, person

TODAY = timezone.localdate()

# Who is who. Owners of the objects: ny (and her mentor, manager and municipal admin).
# The others are the roles the issue names: anonymous, another new hire, a mentor of someone
# else, a manager of another unit, a curriculum editor, a municipal admin of another
# municipality; plus the course leader.
ROLES = [
    "anonym",
    "ny",
    "ny2",
    "mentor",
    "mentor_annan",
    "chef",
    "chef_annan",
    "redaktor",
    "kommunadmin",
    "admin_annan",
    "kursledare",
]
LEARNERS = {"ny", "ny2", "mentor", "mentor_annan", "chef", "chef_annan"}
EVERYONE = set(ROLES) - {"anonym"}
PUBLIC = set(ROLES)


@dataclass
class Policy:
    """Who gets "ok"; the kwargs to build the URL from the objects; the method to use."""

    allowed: set[str]
    kwargs: object = None  # callable(objects) -> dict
    method: str = "get"
    everyone_gets: str = ""  # the same outcome for every role, e.g. "login"


def _k(**builders):
    return lambda o: {key: build(o) for key, build in builders.items()}


# --------------------------------------------------------------------------------------------
# The declared table: one entry per named URL of our own apps.
# --------------------------------------------------------------------------------------------
POLICIES: dict[str, Policy] = {
    "health": Policy(PUBLIC),
    "verify": Policy(PUBLIC, _k(code=lambda o: o.certificate.code)),
    # learning
    # Pages about one's own learning answer everyone logged in, with an empty state.
    "learning:dashboard": Policy(EVERYONE),
    "learning:check": Policy({"ny"}, _k(module_id=lambda o: o.module.pk), "post"),
    "learning:complete": Policy({"ny"}, _k(module_id=lambda o: o.module.pk), "post"),
    # Self-paced courses are open to everyone logged in (after check and complete above, which
    # would otherwise find the person enrolled).
    "learning:enrol": Policy(EVERYONE, _k(course_id=lambda o: o.course.pk), "post"),
    "learning:attempt": Policy({"ny"}, _k(attempt_id=lambda o: o.attempt.pk)),
    "learning:certificates": Policy(EVERYONE),
    "learning:certificate_pdf": Policy({"ny"}, _k(certificate_id=lambda o: o.certificate.pk)),
    # The issuing municipality's admin revokes its certificates.
    "learning:revoke_certificate": Policy(
        {"kommunadmin"}, _k(certificate_id=lambda o: o.certificate.pk)
    ),
    # The list of runs one manages: leaders and editors, and municipal admins (theirs arranged).
    "learning:runs_led": Policy({"kursledare", "redaktor", "kommunadmin", "admin_annan"}),
    # The run is arranged by kommunadmin's municipality: she manages it with its leader.
    "learning:run_roster": Policy(
        {"kursledare", "redaktor", "kommunadmin"}, _k(run_id=lambda o: o.run.pk)
    ),
    "learning:run_waitlist": Policy(
        {"kursledare", "redaktor", "kommunadmin"},
        _k(
            run_id=lambda o: o.run.pk,
            place_id=lambda o: o.run_waitlisted.pk,
            action=lambda o: "ta-bort",
        ),
    ),
    "learning:run_export": Policy(
        {"kursledare", "redaktor", "kommunadmin"},
        _k(run_id=lambda o: o.run.pk, fmt=lambda o: "csv"),
    ),
    "learning:run_message": Policy(
        {"kursledare", "redaktor", "kommunadmin"}, _k(run_id=lambda o: o.run.pk)
    ),
    "learning:run_enrol": Policy(EVERYONE, _k(run_id=lambda o: o.run.pk), "post"),
    # The confirmation page, for those with a place in the run: chef's request, and the other
    # manager, whose POST to run_enrol just above took a seat (the others are not the audience).
    "learning:run_withdraw": Policy({"chef", "chef_annan"}, _k(run_id=lambda o: o.run.pk)),
    # A run's schedule is for the course's audience (managers) and the people who run it.
    "learning:run_ics": Policy(
        EVERYONE - {"ny", "ny2", "mentor", "mentor_annan"}, _k(run_id=lambda o: o.run.pk)
    ),
    "learning:session_attendance": Policy(
        {"kursledare", "redaktor"}, _k(session_id=lambda o: o.run_session.pk)
    ),
    "learning:run_requests": Policy({"kommunadmin", "admin_annan"}),  # their own municipality
    "learning:decide_request": Policy(
        {"kommunadmin"},
        _k(enrolment_id=lambda o: o.run_request.pk, decision=lambda o: "godkann"),
        "post",
    ),
    # The feed is for calendar apps: no login, the token is the key; a wrong token is a 404.
    "learning:calendar_feed": Policy(PUBLIC, _k(token=lambda o: o.feed.token)),
    "learning:calendar": Policy(EVERYONE),
    "learning:calendar_new_link": Policy(EVERYONE, None, "post"),
    "learning:calendar_revoke": Policy(EVERYONE, None, "post"),
    # people
    "people:start": Policy(EVERYONE),
    "people:profile": Policy(EVERYONE),
    "people:my_data": Policy(EVERYONE),
    "people:staff": Policy({"kommunadmin", "admin_annan"}),
    "people:invite": Policy({"kommunadmin", "admin_annan"}),
    "people:invite_csv": Policy({"kommunadmin", "admin_annan"}),
    "people:audit_log": Policy({"kommunadmin", "admin_annan"}),
    "people:anonymise": Policy({"kommunadmin"}, _k(user_id=lambda o: o.ny.pk)),
    "people:set_language": Policy(PUBLIC, None, "post"),
    # The accessibility statement and its report form are public, by law.
    "people:accessibility": Policy(PUBLIC),
    "people:accessibility_reports": Policy({"kommunadmin", "admin_annan"}),  # own municipality
    # The outbox (issue 15): failed deliveries to one's own staff; resending a failed
    # invitation follows the rule for inviting (municipal admins of the person's municipality).
    "people:deliveries": Policy({"kommunadmin", "admin_annan"}),
    "people:resend_invitation": Policy(
        {"kommunadmin"}, _k(delivery_id=lambda o: _failed_invitation(o).pk), "post"
    ),
    # The staff lifecycle (issue 18): a person within the municipal admin's reach; each
    # change is a confirmation page (GET) and its POST.
    "people:person": Policy({"kommunadmin"}, _k(user_id=lambda o: o.ny.pk)),
    "people:membership_edit": Policy(
        {"kommunadmin"},
        _k(user_id=lambda o: o.ny.pk, membership_id=lambda o: o.ny.memberships.first().pk),
    ),
    "people:resend_pending": Policy({"kommunadmin"}, _k(user_id=lambda o: o.ny.pk)),
    "people:revoke": Policy({"kommunadmin"}, _k(user_id=lambda o: o.ny.pk)),
    "people:leaver": Policy({"kommunadmin"}, _k(user_id=lambda o: o.ny.pk)),
    "people:deactivate": Policy({"kommunadmin"}, _k(user_id=lambda o: o.ny.pk)),
    "people:reactivate": Policy({"kommunadmin"}, _k(user_id=lambda o: o.ny.pk)),
    # Single sign-on (issue 20): finding one's municipality's login and its login page are
    # public (an unknown or switched-off municipality is a 404); the settings are the municipal
    # admin's, for their own municipality.
    "sso:find": Policy(PUBLIC),
    "sso:login": Policy(set(), _k(slug=lambda o: "ingen-kommun"), everyone_gets="404"),
    "sso:settings": Policy({"kommunadmin", "admin_annan"}),
    "sso:confirm_arrival": Policy(set(), _k(arrival_id=lambda o: 999999), "post"),
    "sso:directory": Policy({"kommunadmin", "admin_annan"}),
    "sso:revoke_token": Policy(set(), _k(token_id=lambda o: 999999), "post"),
    # The platform operator's overview of every municipality's sign-in: superusers only.
    "sso:overview": Policy(set()),
    # SCIM (sso/scim): a municipality's bearer token, never a session: 401 for everyone here.
    "scim:root": Policy(set(), everyone_gets="401"),
    "scim:users": Policy(set(), everyone_gets="401"),
    "scim:user": Policy(set(), _k(resource_id=lambda o: str(o.ny.pk)), everyone_gets="401"),
    "scim:groups": Policy(set(), everyone_gets="401"),
    "scim:group": Policy(set(), _k(resource_id=lambda o: "1"), everyone_gets="401"),
    "scim:service_provider_config": Policy(set(), everyone_gets="401"),
    "scim:resource_types": Policy(set(), everyone_gets="401"),
    "scim:resource_type": Policy(set(), _k(resource_id=lambda o: "User"), everyone_gets="401"),
    "scim:schemas": Policy(set(), everyone_gets="401"),
    "scim:schema": Policy(set(), _k(resource_id=lambda o: "x"), everyone_gets="401"),
    "scim:unknown": Policy(set(), everyone_gets="401"),
    # mentoring
    "mentoring:home": Policy(EVERYONE),
    # Own mentees / own mentor / own wishes: scoped to the person, an empty state for others.
    "mentoring:my_mentees": Policy(EVERYONE),
    "mentoring:my_mentor": Policy(EVERYONE),
    "mentoring:units": Policy({"chef", "chef_annan"}),
    "mentoring:profile": Policy({"mentor", "mentor_annan"}),
    "mentoring:needs": Policy(EVERYONE),
    "mentoring:matching": Policy({"kommunadmin", "admin_annan", "chef", "chef_annan"}),
    "mentoring:run": Policy({"kommunadmin"}, _k(run_id=lambda o: o.matching_run.pk)),
    "mentoring:confirm_run": Policy(
        {"kommunadmin"}, _k(run_id=lambda o: o.matching_run.pk), "post"
    ),
    "mentoring:adjust": Policy({"kommunadmin"}, _k(proposal_id=lambda o: o.proposal.pk)),
    "mentoring:mentorship": Policy({"ny", "mentor"}, _k(mentorship_id=lambda o: o.mentorship.pk)),
    "mentoring:respond": Policy(
        {"ny", "mentor"}, _k(mentorship_id=lambda o: o.mentorship.pk), "post"
    ),
    "mentoring:log_session": Policy({"mentor"}, _k(mentorship_id=lambda o: o.mentorship.pk)),
    "mentoring:session": Policy({"ny", "mentor"}, _k(session_id=lambda o: o.session.pk)),
    "mentoring:confirm_session": Policy({"ny"}, _k(session_id=lambda o: o.session.pk), "post"),
    "mentoring:cases": Policy(EVERYONE),  # the cases one holds, supervises or manages
    "mentoring:case_new": Policy({"ny", "ny2", "mentor", "mentor_annan"}),  # case holders
    "mentoring:caseload": Policy({"chef", "chef_annan"}),
    "mentoring:caseload_unit": Policy({"chef"}, _k(unit_id=lambda o: o.unit.pk)),
    "mentoring:case": Policy({"ny", "mentor", "chef"}, _k(case_id=lambda o: o.case.pk)),
    "mentoring:case_stage": Policy({"ny", "chef"}, _k(case_id=lambda o: o.case.pk)),
    "mentoring:case_close": Policy({"ny", "chef"}, _k(case_id=lambda o: o.case.pk)),
    "mentoring:review_new": Policy({"mentor", "chef"}, _k(case_id=lambda o: o.case.pk)),
    "mentoring:review_edit": Policy({"mentor"}, _k(review_id=lambda o: o.review.pk)),
    "mentoring:decide": Policy({"mentor", "chef"}, _k(review_id=lambda o: o.review.pk)),
    # A mentorship's lifecycle (issue 18): the mentor, the municipal admin and the mentee's
    # manager end it; only the admin and the manager change mentor and read the mentee's
    # private change requests; the two of them book the next meeting; the mentor corrects
    # the sessions they logged.
    "mentoring:stewardship": Policy({"kommunadmin", "admin_annan", "chef", "chef_annan"}),
    "mentoring:close_request": Policy(
        {"kommunadmin", "chef"}, _k(request_id=lambda o: o.change_request.pk), "post"
    ),
    "mentoring:end": Policy(
        {"mentor", "kommunadmin", "chef"}, _k(mentorship_id=lambda o: o.mentorship.pk)
    ),
    "mentoring:change_mentor": Policy(
        {"kommunadmin", "chef"}, _k(mentorship_id=lambda o: o.mentorship.pk)
    ),
    "mentoring:request_change": Policy({"ny"}, _k(mentorship_id=lambda o: o.mentorship.pk)),
    "mentoring:book_meeting": Policy({"ny", "mentor"}, _k(mentorship_id=lambda o: o.mentorship.pk)),
    # A confirmation page since issue 17 (GET shows the meeting, POST removes it).
    "mentoring:cancel_meeting": Policy(
        {"ny", "mentor"}, _k(mentorship_id=lambda o: o.mentorship.pk)
    ),
    "mentoring:edit_session": Policy({"mentor"}, _k(session_id=lambda o: o.session.pk)),
    "mentoring:delete_session": Policy({"mentor"}, _k(session_id=lambda o: o.session.pk)),
    # safety (issue 22): one's own checks and, for mentors and managers, those in their care;
    # case holders make checks for themselves; a check is read by its person, their mentor and
    # the unit's managers; a check on a case is made by the case's holder only.
    "safety:home": Policy(EVERYONE),
    "safety:check_new": Policy({"ny", "ny2", "mentor", "mentor_annan"}),
    "safety:check": Policy({"ny", "mentor", "chef"}, _k(check_id=lambda o: o.safety_check.pk)),
    "safety:case_check_new": Policy({"ny"}, _k(case_id=lambda o: o.case.pk)),
    # Incidents: recorded by case holders for themselves; read by the person, the unit's
    # managers and the mentor the person chose to tell; the follow-up steps are the manager's.
    "safety:incident_new": Policy({"ny", "ny2", "mentor", "mentor_annan"}),
    "safety:incident": Policy({"ny", "mentor", "chef"}, _k(incident_id=lambda o: o.incident.pk)),
    "safety:incident_debrief_session": Policy({"mentor"}, _k(incident_id=lambda o: o.incident.pk)),
    "safety:incident_debrief": Policy({"chef"}, _k(incident_id=lambda o: o.incident.pk), "post"),
    "safety:incident_follow_up": Policy({"chef"}, _k(incident_id=lambda o: o.incident.pk), "post"),
    # The municipality's routine (reporting link, wording of the questions): its admins only.
    "safety:routines": Policy({"kommunadmin", "admin_annan"}),
    "safety:routine": Policy({"kommunadmin"}, _k(organisation_id=lambda o: o.ny_kommun.pk)),
    # pulse (issue 21): one's own invitation only; the results are the municipal admin's (own
    # municipality) and the first-line managers' (own units).
    "pulse:answer": Policy({"ny"}, _k(token=lambda o: o.pulse_invitation.token)),
    "pulse:results": Policy({"kommunadmin", "admin_annan", "chef", "chef_annan"}),
    # team
    "team:overview": Policy({"chef", "chef_annan"}),
    "team:export": Policy({"chef", "chef_annan"}, _k(fmt=lambda o: "csv")),
    "team:unit": Policy({"chef"}, _k(unit_id=lambda o: o.unit.pk)),
    "team:unit_export": Policy({"chef"}, _k(unit_id=lambda o: o.unit.pk, fmt=lambda o: "xlsx")),
    # The manager of the new hire's unit signs off her introduction.
    "team:sign_off": Policy({"chef"}, _k(enrolment_id=lambda o: o.enrolment.pk)),
    # follow-up (issue 21): municipal admins for their own municipality (the page picks it);
    # county coordinators and national follow-up are walked in tests/followup/test_access.py.
    "followup:overview": Policy({"kommunadmin", "admin_annan"}),
    "followup:export": Policy({"kommunadmin", "admin_annan"}, _k(fmt=lambda o: "csv")),
    # Cooperation groups are the county coordinator's only: none of these roles.
    "followup:groups": Policy(set()),
    "followup:group_new": Policy(set()),
    "followup:group_edit": Policy(set(), _k(group_id=lambda o: 999999)),
    "followup:group_delete": Policy(set(), _k(group_id=lambda o: 999999), "post"),
    # The county set-up (länsindelning) is the platform operator's (a superuser) alone.
    "followup:counties": Policy(set()),
    "followup:county_edit": Policy(set(), _k(county_id=lambda o: o.county.pk)),
    # Wagtail's public helpers: page-privacy password forms (a 404 without a restriction).
    "wagtaildocs_authenticate_with_password": Policy(
        set(), _k(restriction_id=lambda o: 999), everyone_gets="404"
    ),
    "wagtailcore_authenticate_with_password": Policy(
        set(),
        _k(page_view_restriction_id=lambda o: 999, page_id=lambda o: o.module.pk),
        everyone_gets="404",
    ),
    "wagtailcore_login": Policy(PUBLIC),
    "wagtailadmin_login_redirect": Policy(set(), everyone_gets="login"),
}


def _pulse_invitation(ny, unit):
    from pulse.models import PulseInvitation, PulseRound, quarter_start

    pulse_round = PulseRound.objects.create(
        organisation=unit.organisation,
        kind=PulseRound.Kind.QUARTERLY,
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=14),
        period_start=quarter_start(TODAY),
    )
    return PulseInvitation.objects.create(round=pulse_round, person=ny, unit=unit)


def _failed_invitation(o):
    """A fresh failed invitation to a person invited to ny's unit (one per call: a resend
    replaces it)."""
    from core.models import OutboxMessage

    if not hasattr(o, "invited"):
        o.invited = person(o.unit, Role.NEW_HIRE, start=TODAY, email="inbjuden@example.org")
        o.invited.set_unusable_password()
        o.invited.save()
    return OutboxMessage.objects.create(
        handler="people.tasks.invitation_email",
        args={"user_id": o.invited.pk},
        recipient_id=o.invited.pk,
        status=OutboxMessage.Status.FAILED,
    )


# Patterns outside the table: whole areas with one rule each, checked for every pattern in
# them (parameters filled with placeholder values).
AREAS = {
    # Wagtail's reports (site history, locked and aging pages, workflows…) cover the whole site,
    # every municipality: the curriculum editors' only (checked before the rest of the admin).
    "admin/reports/": {"redaktor"},
    # Wagtail's admin: editors and municipal admins get in (within their permissions);
    # nobody else ever gets a page.
    "admin/": {"redaktor", "kommunadmin", "admin_annan"},
    # Django's admin is for superusers only (none of these roles).
    "django-admin/": set(),
}
# allauth's account pages (login, reset, email, two-step verification) are everyone's; each is
# walked for a 500 and for anonymous access to the logged-in-only ones.
ACCOUNTS = "accounts/"
# Regex routes served by Wagtail and Django with their own access rules, checked directly in
# tests below (the page tree, documents, media in DEBUG only).
DIRECT = {"wagtail_serve", "wagtaildocs_serve", "?"}


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name or "?", pattern


ALL_PATTERNS = list(_walk(get_resolver().url_patterns))


def _placeholder_path(route: str, pattern: URLPattern) -> str | None:
    """A concrete path for a route with placeholder parameters; None for regex routes."""
    converters = getattr(pattern.pattern, "converters", None)
    if converters is None or "^" in route or "(?P" in route:
        return None
    path = route
    for name, converter in converters.items():
        kind = type(converter).__name__
        value = {"IntConverter": "999999", "UUIDConverter": "00000000-0000-0000-0000-000000000000"}
        placeholder = value.get(kind, "x")
        prefixed = [f"<{kind}:{name}>" for kind in ("int", "str", "slug", "path", "uuid")]
        for token in [f"<{name}>", *prefixed]:
            path = path.replace(token, placeholder)
    for token in [t for t in path.split("<")[1:] if ">" in t]:
        path = path.replace("<" + token.split(">")[0] + ">", "x")
    return "/" + path


# --------------------------------------------------------------------------------------------
# The objects and people
# --------------------------------------------------------------------------------------------
class Objects:
    pass


# The cast members the world needs (the conftest's fixtures of these names, made the same way).
WORLD_CAST = ["ny", "mentor", "chef", "redaktor", "kommunadmin", "kursledare", "kommunadmin_b"]


def _build_world(course, catalog) -> dict:
    """The world's rows, people included: the model instances by name."""
    kommun_a, kommun_b = cast.kommun_a(), cast.kommun_b()
    enhet_a = cast.enhet_a(kommun_a)
    places = {"a": (enhet_a, kommun_a), "b": (None, kommun_b)}
    users = {}
    for name in WORLD_CAST:
        unit, organisation = places[cast.PEOPLE[name][3]]
        users[name] = cast.person(name, unit=unit, organisation=organisation)
    ny, mentor, chef = users["ny"], users["mentor"], users["chef"]
    kommunadmin, kursledare = users["kommunadmin"], users["kursledare"]
    o = {"ny_kommun": kommun_a, "unit": enhet_a}
    module = course.get_children().specific().first()
    enrolment = Enrolment.objects.create(user=ny, course=course)
    progress = ModuleProgress.objects.create(enrolment=enrolment, module=module)
    o["attempt"] = QuizAttempt.objects.create(progress=progress, score=100, passed=True)
    o["enrolment"] = enrolment
    o["certificate"] = Certificate.objects.create(
        enrolment=enrolment,
        user=ny,
        course=course,
        course_title=course.title,
        code=new_code(),
        organisation=kommun_a,
    )
    leadership = add_course(catalog, title="Ledarskap", kind="cohort", audience="managers")
    o["run"] = make_run(leadership, leaders=[kursledare], organiser=kommun_a)
    o["run_session"] = o["run"].sessions.first()
    o["run_request"] = RunEnrolment.objects.create(
        run=o["run"], user=chef, status=RunEnrolment.Status.PENDING
    )
    # Waiting for a seat: a manager who is none of the roles walked here.
    o["run_waitlisted"] = RunEnrolment.objects.create(
        run=o["run"],
        user=person(enhet_a, Role.MANAGER, start=TODAY, email="chef.vantar@example.org"),
        status=RunEnrolment.Status.WAITLISTED,
        waitlist_position=1,
    )
    o["feed"] = CalendarFeed.objects.create(user=ny, token="hemlig-token-" + "x" * 30)
    o["mentorship"] = Mentorship.objects.create(
        mentor=mentor,
        mentee=ny,
        organisation=kommun_a,
        status=Mentorship.Status.ACTIVE,
        start_date=TODAY - datetime.timedelta(days=20),
    )
    o["session"] = SupervisionSession.objects.create(
        mentorship=o["mentorship"], date=TODAY - datetime.timedelta(days=2), duration_minutes=60
    )
    o["change_request"] = MentorChangeRequest.objects.create(mentorship=o["mentorship"])
    o["matching_run"] = MatchingRun.objects.create(organisation=kommun_a, run_by=kommunadmin)
    o["proposal"] = MatchProposal.objects.create(
        run=o["matching_run"], mentee=ny, mentor=mentor, score=1.0
    )
    case_type = CaseTypeFactory(organisation=kommun_a, name="Placering")
    o["case"] = CaseFactory(
        holder=ny, case_type=case_type, supervisor=mentor, stage=CaseStage.INVESTIGATION
    )
    o["review"] = ReviewFactory(
        case=o["case"], supervisor=mentor, date=TODAY - datetime.timedelta(1)
    )
    o["safety_check"] = SafetyCheck.objects.create(
        person=ny,
        organisation=kommun_a,
        unit=enhet_a,
        case=o["case"],
        planned_on=TODAY,
        location=Location.HOME,
        known_threats=Answer.NO,
        weapons=Answer.NO,
        animals=Answer.NO,
        earlier_incidents=Answer.NO,
        who_knows=WhoKnows.COLLEAGUE,
        recommendation=Recommendation.AS_PLANNED,
    )
    o["incident"] = Incident.objects.create(
        person=ny,
        organisation=kommun_a,
        unit=enhet_a,
        occurred_on=TODAY,
        kind=IncidentKind.VERBAL_THREAT,
        tell_mentor=True,
    )

    o["pulse_invitation"] = _pulse_invitation(ny, enhet_a)
    o["county"] = County.objects.create(name="Län i matrisen")

    other_unit = UnitFactory(organisation=kommun_a, name="Vuxenenheten")
    users["ny2"] = person(enhet_a, Role.NEW_HIRE, start=TODAY, email="ny2@example.org")
    users["mentor_annan"] = person(enhet_a, Role.MENTOR, start=TODAY, email="mentor2@example.org")
    Mentorship.objects.create(
        mentor=users["mentor_annan"],
        mentee=users["ny2"],
        organisation=kommun_a,
        status=Mentorship.Status.ACTIVE,
        start_date=TODAY,
    )
    users["chef_annan"] = person(other_unit, Role.MANAGER, start=TODAY, email="chef2@example.org")
    users["admin_annan"] = users.pop("kommunadmin_b")  # the municipal admin of another one
    o["users"] = users
    return o


@pytest.fixture
def world(course, catalog):
    """The objects of every URL parameter and the people who walk them.

    Building them took about 1.5 s a test (a published course page, eleven people with their
    memberships, a run with sessions), and ~150 tests take the world (the matrix, the fuzz test,
    the English pages, follow-up). So it is built once per test process and replayed after
    (tests/replay.py), people included: the cast's fixtures (`ny`, `mentor`…) are made anew with
    new keys for every test, and a replayed world would point at people who no longer exist. A
    test that takes `world` therefore takes its people from `world.users`, never from those
    fixtures as well (they would be a second person with the same email)."""
    built = replay.build_once(
        "world", lambda: _build_world(course, catalog), after_replay=replay.page_tree_replayed
    )
    catalog.refresh_from_db()  # its child count: the leadership course was added to it
    o = Objects()
    for name, value in built.items():
        setattr(o, name, value)
    o.course = course
    o.module = course.get_children().specific().first()
    o.ny = o.users["ny"]
    o.users = {"anonym": None, **o.users}
    return o


def _outcome(response) -> str:
    location = response.get("Location", "")
    if response.status_code >= 500:
        return "error"
    if response.status_code in (301, 302) and "/accounts/login/" in location:
        return "login"
    if response.status_code in (200, 201, 204, 301, 302, 303, 400):
        return "ok"
    if response.status_code == 405:
        return "method"
    return str(response.status_code)


def _request(client, policy: Policy, path: str):
    if policy.method == "post":
        return client.post(path, {})
    return client.get(path)


def _ignore_rendered(store, signal, sender, template, context, **kwargs):
    pass


@pytest.fixture
def contexts_not_kept(monkeypatch):
    """The walks read a response's status and Location only. Django's test client keeps a copy
    of the context of every template a response renders (for `response.context`): 9 % of the
    admin walk's CPU (py-spy, issue 16), for Wagtail's forms of many widget templates."""
    monkeypatch.setattr(django.test.client, "store_rendered_templates", _ignore_rendered)


def _client_for(django_client_class, user):
    client = django_client_class(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


# --------------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------------
def test_every_url_pattern_has_a_declared_policy():
    undeclared = [
        (route, name)
        for route, name, _pattern in ALL_PATTERNS
        if name not in POLICIES and name not in DIRECT and not route.startswith((*AREAS, ACCOUNTS))
    ]
    assert not undeclared, f"URL patterns with no access policy: {undeclared}"
    names = {name for _route, name, _pattern in ALL_PATTERNS}
    stale = set(POLICIES) - names
    assert not stale, f"policies for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.usefixtures("contexts_not_kept")
@pytest.mark.parametrize("role", ROLES)
def test_our_pages_follow_the_declared_table(role, world):
    from django.test import Client

    client = _client_for(Client, world.users[role])
    wrong = []
    for name, policy in POLICIES.items():
        path = reverse(name, kwargs=policy.kwargs(world) if policy.kwargs else None)
        got = _outcome(_request(client, policy, path))
        if policy.everyone_gets:
            expected = policy.everyone_gets
        elif role in policy.allowed:
            expected = "ok"
        elif role == "anonym":
            expected = "login"
        else:
            expected = "404"
        if got != expected:
            wrong.append(f"{name} {policy.method.upper()} {path}: expected {expected}, got {got}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.usefixtures("contexts_not_kept")
@pytest.mark.parametrize("role", ["anonym", "ny", "kommunadmin"])
def test_account_pages_never_fail_and_private_ones_need_a_login(role, world):
    from django.test import Client

    client = _client_for(Client, world.users[role])
    public = ("login/", "password/reset/", "signup/", "confirm-email/", "password/reset/key/")
    wrong = []
    for route, name, pattern in ALL_PATTERNS:
        if not route.startswith(ACCOUNTS):
            continue
        path = _placeholder_path(route, pattern)
        if path is None:
            continue
        response = client.get(path)
        got = _outcome(response)
        if got == "error":
            wrong.append(f"{path} ({name}): server error")
        is_public = route[len(ACCOUNTS) :].startswith(public) or name in (
            "account_reset_password_done",
            "account_reset_password_from_key_done",
            "account_email_verification_sent",
            "account_inactive",
            "account_logout",
            "account_login_code_confirm",
            "account_reset_password_from_key",
            "mfa_authenticate",
            # Single sign-on's login flow (allauth's social accounts): where a refused or
            # cancelled login at the identity provider lands, before anyone is logged in.
            "socialaccount_login_cancelled",
            "socialaccount_login_error",
        )
        if role == "anonym" and not is_public and response.status_code == 200:
            wrong.append(f"{path} ({name}): a logged-in page answered 200 to anonymous")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_the_world_is_replayed_with_its_people(world):
    """The world is recorded for replay (or ~150 tests build it anew, ~1.5 s each), and its
    people are the ones its objects point at, in the places the cast has them."""
    # SQLite refuses recordings (its search index writes tables no model describes).
    assert not replay.ENABLED or connection.vendor != "postgresql" or replay.replayable("world")
    assert world.mentorship.mentee == world.ny and world.mentorship.mentor == world.users["mentor"]
    assert world.ny.memberships.get().unit == world.unit
    assert world.users["admin_annan"].memberships.get().organisation.name == "Kommun B"
    assert world.run.leaders.get() == world.users["kursledare"]


@pytest.mark.django_db
def test_the_page_tree_needs_a_login_for_modules(client, world):
    course_url = world.course.url
    module_url = world.module.url
    assert client.get(course_url).status_code == 200  # the catalogue and courses are public
    response = client.get(module_url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world.users["ny"])
    assert client.get(module_url).status_code == 200
