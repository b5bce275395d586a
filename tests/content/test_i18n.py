"""Courses in two languages (Wagtail i18n): a learner reads the English translation when there
is one and their language is English, the Swedish original otherwise; enrolments and progress
always belong to the Swedish original."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page

from learning import services
from learning.models import Enrolment, ModuleProgress
from tests.factories import UserFactory, add_course, right_answers
from tests.queries import exact_queries


def translate(page, *, title, **fields):
    """What an editor does with "Translate" (simple_translation) and then "Publish"."""
    translated = page.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )
    translated.title = title
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


@pytest.fixture
def english_course(course):
    """The course and its first module in English; modules 2 and 3 are not translated."""
    translate(course, title="Professional introduction", summary="An English summary.")
    translate(
        course.modules().first(),
        title="Module 1 in English",
        intro="An English introduction.",
    )
    return course


@pytest.fixture
def english_ny(ny):
    ny.preferred_language = "en"
    ny.save(update_fields=["preferred_language"])
    return ny


@pytest.fixture
def enrolled(ny, course):
    return services.enrol_in_course(
        None, learner=ny, course=course, due_date=timezone.localdate() + datetime.timedelta(30)
    )


@pytest.mark.django_db
def test_swedish_and_english_locales_exist_and_pages_are_swedish(course):
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"sv", "en"}
    assert set(Page.objects.values_list("locale__language_code", flat=True)) == {"sv"}


@pytest.mark.django_db
def test_course_page_is_english_for_an_english_learner_and_swedish_otherwise(
    client, ny, english_course
):
    client.force_login(ny)
    swedish = client.get(english_course.url).content.decode()
    assert "Yrkesintroduktion" in swedish
    assert "Professional introduction" not in swedish
    assert "Modul 1" in swedish

    ny.preferred_language = "en"
    ny.save(update_fields=["preferred_language"])
    english = client.get(english_course.url).content.decode()
    assert "Professional introduction" in english
    assert "An English summary." in english
    assert "Module 1 in English" in english
    # Not translated yet: shown in Swedish, in the same list.
    assert "Modul 2" in english
    assert "Yrkesintroduktion" not in english


@pytest.mark.django_db
def test_module_is_english_for_an_english_learner_and_progress_is_the_originals(
    client, english_ny, english_course, enrolled
):
    original = english_course.modules().first()
    client.force_login(english_ny)
    body = client.get(original.url).content.decode()
    assert "Module 1 in English" in body
    assert "An English introduction." in body
    assert "Module 1 of 3" in body
    # Opening the English module starts the Swedish original's module.
    progress = ModuleProgress.objects.get()
    assert progress.module_id == original.pk
    assert progress.enrolment == enrolled


@pytest.mark.django_db
def test_untranslated_module_is_served_in_swedish_to_an_english_learner(
    client, english_ny, english_course, enrolled
):
    second = english_course.modules()[1]
    client.force_login(english_ny)
    response = client.get(second.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Modul 2</h1>" in body
    assert "Module 2 of 3" in body  # the interface is English all the same


@pytest.mark.django_db
def test_knowledge_check_of_the_translation_completes_the_original_module(
    client, english_ny, english_course, enrolled
):
    original = english_course.modules().first()
    english = original.get_translation(Locale.objects.get(language_code="en"))
    # "Translate" copies the blocks with their ids, so answers match in both languages.
    assert [q.id for q in english.questions()] == [q.id for q in original.questions()]
    client.force_login(english_ny)
    url = reverse("learning:check", args=[english.pk])
    attempt = client.get(url).context["attempt"]
    response = client.post(url, right_answers(english) | {"attempt": attempt.pk})
    assert response.status_code == 302
    progress = ModuleProgress.objects.get(enrolment=enrolled)
    assert progress.module_id == original.pk
    assert progress.completed_at is not None
    dashboard = client.get(reverse("learning:dashboard")).content.decode()
    assert "My introduction" in dashboard
    assert "Professional introduction" in dashboard
    assert "1 of 3 modules done" in dashboard


@pytest.mark.django_db
def test_enrolling_from_the_english_course_page_enrols_in_the_original(
    client, english_ny, english_course
):
    english = english_course.get_translation(Locale.objects.get(language_code="en"))
    client.force_login(english_ny)
    client.post(reverse("learning:enrol", args=[english.pk]))
    assert Enrolment.objects.get(user=english_ny).course_id == english_course.pk


@pytest.mark.django_db
def test_dashboard_shows_translated_titles_to_english_learner_only(
    client, ny, english_course, enrolled
):
    client.force_login(ny)
    swedish = client.get(reverse("learning:dashboard")).content.decode()
    assert "Yrkesintroduktion" in swedish
    assert "Professional introduction" not in swedish
    ny.preferred_language = "en"
    ny.save(update_fields=["preferred_language"])
    english = client.get(reverse("learning:dashboard")).content.decode()
    assert "Professional introduction" in english
    assert "Module 1 in English" in english


@pytest.mark.django_db
def test_catalogue_lists_translations_and_untranslated_courses(client, ny, catalog, english_course):
    add_course(catalog, title="Bara på svenska")
    client.force_login(ny)
    swedish = client.get(catalog.url).content.decode()
    assert "Yrkesintroduktion" in swedish
    assert "Bara på svenska" in swedish
    assert "Professional introduction" not in swedish

    ny.preferred_language = "en"
    ny.save(update_fields=["preferred_language"])
    english = client.get(catalog.url).content.decode()
    assert "Professional introduction" in english
    assert "Bara på svenska" in english
    assert "Yrkesintroduktion" not in english


# Exact (tests/queries.py), for one course or four: one more than in Swedish, for the
# translations. (The open pulse survey is a group of "Väntar på mig" since issue 23.)
ENGLISH_DASHBOARD_QUERIES = 7  # the Swedish dashboard (6, with "Väntar på mig") + 1


@pytest.mark.django_db
def test_english_dashboard_query_count_is_constant(
    client, english_ny, catalog, english_course, enrolled
):
    client.force_login(english_ny)
    client.get(reverse("learning:dashboard"))
    with exact_queries(ENGLISH_DASHBOARD_QUERIES):
        assert client.get(reverse("learning:dashboard")).status_code == 200
    for number in range(3):
        other = add_course(catalog, title=f"Kurs {number}")
        translate(other, title=f"Course {number}")
        services.enrol_in_course(None, learner=english_ny, course=other)
    client.get(reverse("learning:dashboard"))  # new pages: the course outlines are read again
    with exact_queries(ENGLISH_DASHBOARD_QUERIES):
        body = client.get(reverse("learning:dashboard")).content.decode()
    assert "Course 2" in body


@pytest.mark.django_db
def test_anonymous_visitor_gets_english_catalogue_from_the_language_cookie(
    client, catalog, english_course
):
    client.cookies["django_language"] = "en"
    body = client.get(catalog.url).content.decode()
    assert "Professional introduction" in body
    assert '<html lang="en">' in body


@pytest.mark.django_db
def test_swedish_learner_following_an_english_link_reads_swedish(client, ny, english_course):
    english = english_course.get_translation(Locale.objects.get(language_code="en"))
    english.slug = "professional-introduction"
    english.save_revision().publish()
    english.refresh_from_db()
    url = english.get_url()
    assert url != english_course.url
    client.force_login(ny)
    body = client.get(url).content.decode()
    assert "Yrkesintroduktion" in body
    english_reader = UserFactory(email="en@example.org", preferred_language="en")
    client.force_login(english_reader)
    # And the Swedish link gives the English reader the translation.
    assert "Professional introduction" in client.get(english_course.url).content.decode()


@pytest.mark.django_db
def test_english_titles_do_not_reach_swedish_readers_through_the_shared_outline(
    client, english_ny, english_course
):
    """The course outline is shared by every request in a process (content.outline): an English
    reader's translated titles are on copies, never on the shared modules."""
    swedish_reader = UserFactory(email="svensk@example.org")
    for person in (english_ny, swedish_reader):
        services.enrol_in_course(None, learner=person, course=english_course)
    second = english_course.modules()[1]
    client.force_login(english_ny)
    assert "Module 1 in English" in client.get(second.url).content.decode()
    client.force_login(swedish_reader)
    page = client.get(second.url).content.decode()
    assert "Modul 1" in page
    assert "Module 1 in English" not in page
    assert "Professional introduction" not in page
    client.force_login(english_ny)
    assert "Module 1 in English" in client.get(reverse("learning:dashboard")).content.decode()
    client.force_login(swedish_reader)
    assert "Module 1 in English" not in client.get(reverse("learning:dashboard")).content.decode()
