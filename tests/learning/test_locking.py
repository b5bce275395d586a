import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from learning import services, signoffs
from tests.factories import add_course, add_module, right_answers


@pytest.fixture
def sequential(catalog):
    course = add_course(catalog, title="I ordning")
    course.sequential_modules = True
    course.save_revision().publish()
    for number in (1, 2, 3):
        add_module(course, title=f"Steg {number}")
    return course


@pytest.mark.django_db
def test_sequential_course_locks_modules_until_the_previous_is_done(client, ny, sequential):
    services.enrol_in_course(None, learner=ny, course=sequential)
    first, second, _third = sequential.modules()
    with pytest.raises(ValidationError) as error:
        services.submit_knowledge_check(ny, module=second, answers=right_answers(second))
    assert "bli klar med modulen ”Steg 1” först" in error.value.messages[0]
    client.force_login(ny)
    page = client.get(second.url).content.decode()
    assert "Låst: bli klar med modulen ”Steg 1” först." in page
    assert "Brödtext om barnets bästa." not in page  # the body waits until it is unlocked
    response = client.get(reverse("learning:check", args=[second.pk]), follow=True)
    assert "Låst" in response.content.decode()
    services.submit_knowledge_check(ny, module=first, answers=right_answers(first))
    page = client.get(second.url).content.decode()
    assert "Låst: bli klar med modulen ”Steg 1”" not in page
    assert "Brödtext om barnets bästa." in page


@pytest.mark.django_db
def test_prerequisite_course_must_be_completed_first(client, ny, chef, catalog, course):
    advanced = add_course(catalog, title="Fördjupning")
    add_module(advanced, title="Fördjupningsmodul")
    advanced.prerequisites.add(course)
    advanced.save_revision().publish()
    with pytest.raises(ValidationError) as error:
        services.self_enrol(ny, course=advanced)
    assert "Yrkesintroduktion" in error.value.messages[0]
    client.force_login(ny)
    page = client.get(advanced.url).content.decode()
    assert "Kursen kräver att du först har gått klart: Yrkesintroduktion." in page
    # An admin may still enrol them (e.g. by the onboarding plan); the modules stay locked.
    services.enrol_in_course(None, learner=ny, course=advanced)
    module = advanced.modules().first()
    assert "Låst: gå först klart Yrkesintroduktion." in client.get(module.url).content.decode()
    services.enrol_in_course(None, learner=ny, course=course)
    for m in course.modules():
        services.submit_knowledge_check(ny, module=m, answers=right_answers(m))
    # The introduction is complete once the manager signs it off (issue 19), not before.
    assert "Låst" in client.get(module.url).content.decode()
    enrolment = ny.enrolments.get(course=course)
    signoffs.sign_off_introduction(
        chef, enrolment=enrolment, conversation_date=timezone.localdate()
    )
    assert "Låst" not in client.get(module.url).content.decode()


@pytest.mark.django_db
def test_a_course_cannot_require_itself(course):
    course.prerequisites.add(course)
    with pytest.raises(ValidationError):
        course.full_clean()
