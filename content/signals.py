"""Framework events that change the curriculum's outline (content/outline.py): any page saved
(which includes publishing, unpublishing and new revisions), moved or deleted, and any site
changed (the modules' links depend on its root page), starts a new generation of cached
outlines."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import post_page_move

from content.outline import forget_outlines


@receiver(post_save)
@receiver(post_delete)
@receiver(post_page_move)
def curriculum_changed(sender, instance, **kwargs):
    if not isinstance(instance, Page | Site):
        return
    forget_outlines()
    # Again after the commit: a page's prerequisites are saved after the page row, and another
    # process may have cached the outline as it was before the transaction committed.
    transaction.on_commit(forget_outlines)
