"""The curriculum editors' group (Redaktörer): Wagtail admin access and page permissions."""

from django.db import migrations

from people.migration_helpers import find_permissions, grant

GROUP_NAME = "Redaktörer"
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page"]
MODEL_PERMISSIONS = [("wagtailadmin", "access_admin")]
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


def create_group(apps, schema_editor):
    group = grant(apps, GROUP_NAME, MODEL_PERMISSIONS + COLLECTION_PERMISSIONS)
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        pages = [("wagtailcore", codename) for codename in PAGE_PERMISSIONS]
        for permission in find_permissions(apps, pages):
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=permission
            )
    collection = Collection.objects.filter(depth=1).first()
    if collection is not None:
        for permission in find_permissions(apps, COLLECTION_PERMISSIONS):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
