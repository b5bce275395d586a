"""Swedish and English content locales (Wagtail i18n), and "Translate" for the editors.

Wagtail's own migration created one locale from LANGUAGE_CODE when it first ran; pages made
before translations existed are the Swedish originals, so any page left in a locale outside
LANGUAGES is moved to Swedish.
"""

from django.db import migrations

from people.migration_helpers import grant

EDITOR_GROUP_NAME = "Redaktörer"
CONTENT_LANGUAGES = ["sv", "en"]


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    swedish, _created = Locale.objects.get_or_create(language_code="sv")
    Locale.objects.get_or_create(language_code="en")
    Page.objects.exclude(locale__language_code__in=CONTENT_LANGUAGES).update(locale=swedish)
    grant(
        apps,
        EDITOR_GROUP_NAME,
        [("simple_translation", "submit_translation")],
        create=False,
    )


def remove_translation_permission(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=EDITOR_GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="simple_translation", codename="submit_translation"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_course_runs_settings"),
        ("wagtailcore", "0098_apitoken"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_locales, remove_translation_permission)]
