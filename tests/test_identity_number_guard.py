"""Every free-text field of people, learning, mentoring and team carries the identity-number
guard, so no path that saves through full_clean (services, ModelForms, the Wagtail admin, CSV
import, a later API) can store a personnummer. A new CharField or TextField fails this test
until it is guarded or, with a reason, exempted below.

The curriculum's own page content (the content app) is deliberately not walked: teaching text
may cite Skatteverket's test numbers."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from people.validators import validate_no_identity_number

GUARDED_APPS = ("people", "learning", "mentoring", "safety", "team", "sso", "followup", "pulse")

# Fields whose values the system writes itself or whose type already rules out free text.
# Fields with choices are exempt without being listed (only the listed values can be saved).
EXEMPT_TYPES = (
    models.EmailField,  # email addresses
    models.SlugField,  # codes: letters, digits, - and _ only, set by admins
)
EXEMPT = {
    "people.User.password": "a password hash",
    "people.SubmittedForm.key": "a hash of the person and the form's CSRF token",
    "people.AuditEvent.object_type": "a model label written by record_event",
    "people.AuditEvent.object_id": "a primary key written by record_event",
    "learning.Certificate.code": "the generated verification code",
    "learning.Certificate.course_title": "a copy of the course page title: curriculum content",
    "learning.CalendarFeed.token": "the calendar feed's secret token",
    "learning.AttemptQuestion.question_id": "a question's block id (a uuid), written when an "
    "attempt draws its questions",
    "sso.IdentityProvider.issuer": "the identity provider's address (URLValidator)",
    "sso.IdentityProvider.client_id": "the identifier the identity provider issued (a GUID)",
    "sso.IdentityProvider.metadata_url": "the identity provider's metadata address",
    "sso.IdentityProvider.metadata_xml": "the identity provider's signed metadata: base64 "
    "certificates, whose digit runs are no one's identity number",
    "sso.IdentityProvider.saml_entity_id": "the identity provider's entity id (a URI)",
    "sso.EmailDomain.domain": "a domain name (a RegexValidator allows nothing else)",
    "sso.ScimToken.token_hash": "the SHA-256 of a SCIM token, written by create_scim_token",
    "learning.CourseRun.online_url": "a meeting link; its long meeting ids are not numbers "
    "anyone writes about a client, and URLValidator limits it to an address",
    "pulse.PulseInvitation.token": "the invitation link's secret token",
}
IDENTITY_NUMBER = "121212\u20131212"  # Skatteverket's test number with an en dash


def _name(field) -> str:
    return f"{field.model._meta.app_label}.{field.model.__name__}.{field.name}"


def _text_fields():
    for label in GUARDED_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.CharField | models.TextField) and (
                    field.model is model
                ):
                    yield field


def _needs_guard(field) -> bool:
    return not (field.choices or isinstance(field, EXEMPT_TYPES) or _name(field) in EXEMPT)


def test_every_free_text_field_is_guarded_or_exempted_with_a_reason():
    unguarded = [
        _name(field)
        for field in _text_fields()
        if _needs_guard(field) and validate_no_identity_number not in field.validators
    ]
    assert unguarded == [], (
        "Add validators=[validate_no_identity_number] (people.validators) to these fields, "
        "or exempt them with a reason in this test."
    )


def test_the_exemption_list_names_only_existing_unguarded_fields():
    fields = {_name(field): field for field in _text_fields()}
    for name in EXEMPT:
        assert name in fields, f"{name} no longer exists: remove it from EXEMPT"
        assert not fields[name].choices, f"{name} has choices: exempt without listing"


def test_the_fields_the_issue_named_are_guarded():
    guarded = {_name(f) for f in _text_fields() if validate_no_identity_number in f.validators}
    assert {
        "people.User.full_name",
        "people.AccessibilityReport.description",
        "people.AccessibilityReport.name",
        "people.AccessibilityReport.page_url",
        "learning.OnboardingPlan.name",
        "learning.CourseRun.name",
        "mentoring.SupervisedCase.reference",
        "mentoring.SupervisionSession.notes",
        "mentoring.Mentorship.decline_reason",
        "safety.SafetyCheck.notes",
        "pulse.PulseAnswer.comment",
    } <= guarded


@pytest.mark.parametrize(
    "field",
    [f for f in _text_fields() if _needs_guard(f)],
    ids=_name,
)
def test_each_guarded_field_refuses_a_personnummer_when_cleaned(field):
    with pytest.raises(ValidationError) as caught:
        field.clean(IDENTITY_NUMBER, None)
    assert "identity_number" in [error.code for error in caught.value.error_list]
