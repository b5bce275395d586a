import pytest
from django.urls import reverse

from content.models import ModulePage
from tests.factories import add_course, add_module, question


@pytest.mark.django_db
def test_catalog_lists_published_courses_and_filters_by_audience(client, catalog):
    add_course(catalog, title="Introduktion för nya", audience="new_hires")
    add_course(catalog, title="Ledarskap för chefer", audience="managers", kind="cohort")
    draft = add_course(catalog, title="Utkast")
    draft.unpublish()
    body = client.get(catalog.url).content.decode()
    assert "Introduktion för nya" in body
    assert "Ledarskap för chefer" in body
    assert "Utkast" not in body
    body = client.get(catalog.url + "?malgrupp=managers").content.decode()
    assert "Ledarskap för chefer" in body
    assert "Introduktion för nya" not in body
    # An unknown filter value shows everything rather than failing.
    response = client.get(catalog.url + "?malgrupp=<script>")
    assert response.status_code == 200
    assert "Introduktion för nya" in response.content.decode()


@pytest.mark.django_db
def test_course_page_shows_modules_and_outcomes(client, course):
    body = client.get(course.url).content.decode()
    for number in range(1, 4):
        assert f"Modul {number}" in body
    assert "Kunna det viktiga" in body
    assert "Logga in" in body


@pytest.mark.django_db
def test_module_page_requires_login(client, course):
    module = course.modules().first()
    response = client.get(module.url)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.django_db
def test_module_page_renders_every_block_and_no_answers(client, course, ny):
    module = course.modules().first()
    client.force_login(ny)
    body = client.get(module.url).content.decode()
    assert "Brödtext om barnets bästa." in body
    assert "Reflektera och ta med till din mentor" in body
    assert "Fallbeskrivning" in body
    # The knowledge check is graded on the server: no choice text or correctness in the page.
    assert "Också fel" not in body
    assert "correct" not in body


@pytest.mark.django_db
def test_questions_expose_stable_ids_and_right_answers(course):
    module = ModulePage.objects.get(title="Modul 1")
    [q] = module.questions()
    assert q.kind == "single"
    assert [c.text for c in q.choices] == ["Rätt", "Fel", "Också fel"]
    assert q.correct_ids == {q.choices[0].id}
    assert module.reflection_prompts() == ["Vad tar du med dig från Modul 1?"]


@pytest.mark.django_db
def test_a_single_choice_question_must_have_exactly_one_right_answer():
    from django.core.exceptions import ValidationError

    from content.blocks import QuestionBlock

    block = QuestionBlock()
    value = block.to_python(
        question(choices=[("A", True), ("B", True)])[1]
        | {"choices": [{"text": "A", "correct": True}, {"text": "B", "correct": True}]}
    )
    with pytest.raises(ValidationError):
        block.clean(value)


@pytest.mark.django_db
def test_wagtail_admin_is_for_editors_and_municipal_admins_only(
    client, home, ny, mentor, chef, redaktor, kommunadmin
):
    for person in (redaktor, kommunadmin):
        client.force_login(person)
        assert client.get("/admin/").status_code == 200
    client.force_login(kommunadmin)
    assert client.get("/admin/pages/").status_code in (302, 403)  # no page permissions
    for person in (ny, mentor, chef):
        client.force_login(person)
        response = client.get("/admin/")
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/admin/login/" in response.url or "/accounts/login/" in response.url


@pytest.mark.django_db
def test_editor_can_edit_and_publish_a_module_in_the_admin(client, course, redaktor):
    module = course.modules().first()
    client.force_login(redaktor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk]))
    assert response.status_code == 200
    assert "Kunskapskontroll" in response.content.decode()


@pytest.mark.django_db
def test_module_without_knowledge_check_is_allowed(course):
    module = add_module(course, title="Läsmodul", questions=[])
    assert not module.has_knowledge_check
    assert module.questions() == []


@pytest.mark.django_db
def test_video_block_is_self_hosted_with_captions_and_no_external_embed(client, course, ny):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from tests.factories import stream

    video = Document.objects.create(title="Samtal", file=ContentFile(b"\x00", name="samtal.mp4"))
    captions = Document.objects.create(
        title="Undertexter", file=ContentFile(b"WEBVTT\n", name="samtal.vtt")
    )
    module = add_module(course, title="Videomodul", questions=[])
    module.body = stream(
        [
            (
                "video",
                {
                    "title": "Ett samtal med ett barn",
                    "file": video.pk,
                    "captions": captions.pk,
                    "transcript": "Socialsekreteraren frågar hur det är i skolan.",
                    "external": "https://video.example.org/samtal",
                },
            ),
            ("document", {"document": captions.pk, "title": "Läs undertexterna"}),
        ]
    )
    module.save_revision().publish()
    client.force_login(ny)
    body = client.get(module.url).content.decode()
    assert "<video" in body
    assert '<track kind="captions"' in body
    assert video.url in body
    assert "Socialsekreteraren frågar hur det är i skolan." in body
    assert "<iframe" not in body  # an external video is a plain link, never an embed
    assert 'href="https://video.example.org/samtal"' in body
    assert "Läs undertexterna" in body


@pytest.mark.django_db
def test_learner_sees_a_published_change_at_once(client, course, ny):
    from tests.factories import stream

    module = course.modules().first()
    client.force_login(ny)
    assert "Brödtext om barnets bästa." in client.get(module.url).content.decode()
    module.body = stream([("paragraph", "<p>Uppdaterad text om barnkonventionen.</p>")])
    module.save_revision()  # a draft is not shown
    assert "Uppdaterad text" not in client.get(module.url).content.decode()
    module.get_latest_revision().publish()
    body = client.get(module.url).content.decode()
    assert "Uppdaterad text om barnkonventionen." in body
    assert "Brödtext om barnets bästa." not in body


@pytest.mark.django_db
def test_editor_preview_shows_the_draft_not_the_cached_live_body(client, course, redaktor, rf):
    from tests.factories import stream

    module = course.modules().first()
    client.force_login(redaktor)
    client.get(module.url)  # the live body is now cached
    module.body = stream([("paragraph", "<p>Utkast som bara syns i förhandsvisningen.</p>")])
    module.save_revision()
    request = rf.get("/")
    request.user = redaktor
    draft = module.get_latest_revision_as_object()
    response = draft.make_preview_request(request, draft.default_preview_mode)
    assert "Utkast som bara syns i förhandsvisningen." in response.render().content.decode()
    assert "Utkast som bara" not in client.get(module.url).content.decode()


@pytest.mark.django_db
def test_the_module_served_is_read_fresh_though_the_outline_is_cached(client, course, ny):
    """Routing finds the module's id among the course's children in the outline
    (content.outline.page_to_serve) but reads the page itself on every view: a change that
    reached the database without a new outline generation (another process's write, seen here
    as an update without signals) shows at once, and a module no longer live is a 404."""
    module = course.modules().first()
    client.force_login(ny)
    assert client.get(module.url).status_code == 200  # the outline is cached now
    ModulePage.objects.filter(pk=module.pk).update(title="Ny rubrik", estimated_minutes=42)
    body = client.get(module.url).content.decode()
    assert "<h1>Ny rubrik</h1>" in body
    assert "ca 42 minuter" in body
    ModulePage.objects.filter(pk=module.pk).update(live=False)
    assert client.get(module.url).status_code == 404


@pytest.mark.django_db
def test_a_slug_that_is_not_a_module_of_the_course_is_a_404(client, course, ny):
    client.force_login(ny)
    assert client.get(f"{course.url}finns-inte/").status_code == 404
